"""An event's clip asked for before its footage is all recorded (docs/design/events.md,
Artifacts): a webhook receiver or a click that fetches the clip the moment an event ends gets
what there is, marked not to be cached, and the clip is made again until the footage after the
event (EVENT_POST_SECONDS) is recorded; only then is it kept and served as immutable. A clip that
is short for good (kept, cached by browsers for a year) must never come of fetching it early.
"""
from __future__ import annotations

import datetime as dt

import pytest

from events.helpers import clip_duration
from recording.helpers import PIPELINE_ENV, add_camera, recordings, wait_for_state
from support.event_rows import EventRow, EventRows
from support.waiting import wait_for

pytestmark = pytest.mark.sqlite_only  # footage and ffmpeg, not the database: see tests/conftest.py

POST = 6
IMMUTABLE = "private, max-age=31536000, immutable"


@pytest.mark.timeout(150)
def test_a_clip_asked_for_as_its_event_ends_is_not_kept_short(make_server, test_camera):
    srv = make_server({**PIPELINE_ENV, "RECORDING_SEGMENT_SECONDS": "30", "EVENT_PRE_SECONDS": "2",
                       "EVENT_POST_SECONDS": str(POST)})
    api = srv.login()
    camera = add_camera(api, test_camera, "/vtest-noaudio", audio_enabled=False)
    wait_for_state(api, camera["id"], {"recording"}, timeout=60)
    # The event's footage is all in the segment being written: one that holds 8 to 16 s so far,
    # so its pre-roll is in it and it goes on past the post-roll (30 s segments, which may start
    # on the clock's half minutes: the first can be short, and then the next one is waited for).
    def being_written():
        rows = [r for r in recordings(api, camera["id"], in_progress=True) if r["in_progress"]]
        return rows and 8 <= rows[-1]["duration_seconds"] <= 16 and rows[-1]
    wait_for(being_written, timeout=75, interval=0.5)
    end = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    event = EventRow(start=end - dt.timedelta(seconds=4), end=end, artifacts="ready")
    EventRows(srv).add_events(camera["id"], [event])
    path = f"/api/events/{event.id}/clip.mp4"

    early = api.get(path)
    assert early.status_code == 200, early.text
    assert early.headers.get("Cache-Control") == "no-store", early.headers
    short, _ = clip_duration(early.content)
    assert short < 2 + 4 + POST - 2, f"the footage after the event is not recorded yet, and the clip holds {short:.1f} s"
    folder = srv.data_dir / "storage" / ".events" / camera["id"].lower() / event.id.lower()
    assert not (folder / "clip.mp4").exists(), "a clip without its post-roll is not kept"

    # Once the post-roll is recorded, the clip is made whole, kept and cacheable.
    final = wait_for(lambda: (r := api.get(path)).headers.get("Cache-Control") == IMMUTABLE and r, timeout=30)
    whole, _ = clip_duration(final.content)
    assert whole >= 2 + 4 + POST - 0.5, f"the kept clip holds {whole:.1f} s"
    assert (folder / "clip.mp4").exists()
    kept = (folder / "clip.mp4").stat().st_mtime
    again = api.get(path)
    assert again.content == final.content and (folder / "clip.mp4").stat().st_mtime == kept, "a kept clip is not made again"
    # The mosaic of the same event is whole too (its moments are all inside the event).
    mosaic = api.get(f"/api/events/{event.id}/mosaic.jpg")
    assert mosaic.status_code == 200 and mosaic.headers.get("Cache-Control") == IMMUTABLE, mosaic.headers
