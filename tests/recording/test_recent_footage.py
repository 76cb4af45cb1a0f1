"""The segment being written (docs/design/live.md, The segment being written): with the default
15-minute segments, footage recorded seconds ago is in /api/recordings (in progress, growing), on
the timeline and in the status, and plays; the same row becomes an ordinary finished recording
when the segment closes, and a crash leaves it indexed and playable.
"""
from __future__ import annotations

import datetime as dt
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from recording.helpers import PIPELINE_ENV, add_camera, recordings, utc, wait_for_state
from support.waiting import wait_for


# Recording with the default segment length (15 minutes): nothing closes during the test.
ENV = {k: v for k, v in PIPELINE_ENV.items() if k != "RECORDING_SEGMENT_SECONDS"}


def frames_in(data: bytes) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "segment.mp4"
        path.write_bytes(data)
        probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries",
                                "stream=nb_read_packets", "-of", "csv=p=0", str(path)], capture_output=True, text=True, timeout=60)
        return int(probe.stdout.strip() or 0)


@pytest.mark.timeout(180)
# On both databases: the growing row is updated by a statement of our own.
def test_footage_recorded_seconds_ago_plays_and_its_row_becomes_finished(make_server, test_camera):
    srv = make_server(ENV)
    api = srv.login()
    camera = add_camera(api, test_camera, "/vtest-noaudio", audio_enabled=False)
    wait_for_state(api, camera["id"], {"recording"}, timeout=60)
    row = wait_for(lambda: (found := recordings(api, camera["id"], in_progress=True)) and found[0], timeout=30)
    assert row["in_progress"] is True and row["status"] == "recording" and row["path"].startswith(".recording/"), row
    assert (dt.datetime.now(dt.timezone.utc) - utc(row["end"])).total_seconds() < 10, "it reaches to a few seconds ago"

    # It grows, as the same row.
    grown = wait_for(lambda: (found := recordings(api, camera["id"], in_progress=True)) and found[0]["end"] > row["end"] and found[0], timeout=30)
    assert grown["id"] == row["id"] and grown["size_bytes"] > row["size_bytes"] and grown["start"] == row["start"]
    # It plays up to a second or two ago.
    data = api.get(grown["file_url"]).content
    assert frames_in(data) >= 10 * (grown["duration_seconds"] - 3), (frames_in(data), grown["duration_seconds"])
    part = api.get(grown["file_url"], headers={"Range": "bytes=0-1023"})
    assert part.status_code == 206 and len(part.content) == 1024
    # The timeline and the status count it.
    day = utc(grown["start"]).strftime("%Y-%m-%d")
    timeline = api.get(f"/api/playback/{camera['id']}/timeline", params={"date": day, "tz": "UTC"}).json()
    assert any(utc(r["start"]) <= utc(grown["start"]) + dt.timedelta(seconds=1) and utc(r["end"]) >= utc(grown["end"]) - dt.timedelta(seconds=1)
               for r in timeline["ranges"]), timeline["ranges"]
    status = api.get("/api/status").json()
    assert status["storage"]["recordings_count"] >= 1 and status["storage"]["recordings_bytes"] > 0, status["storage"]

    # Recording stops: the segment closes and the same row is an ordinary finished recording.
    assert api.post(f"/api/cameras/{camera['id']}/recording/stop").status_code == 200
    finished = wait_for(lambda: (found := recordings(api, camera["id"], in_progress=True)) and not found[0]["in_progress"] and found[0], timeout=60)
    assert finished["id"] == row["id"] and finished["status"] == "complete" and not finished["path"].startswith(".recording/"), finished
    assert len(recordings(api, camera["id"], in_progress=True)) == 1
    assert frames_in(api.get(finished["file_url"]).content) >= 10 * (finished["duration_seconds"] - 1)


@pytest.mark.sqlite_only  # footage and ffmpeg, not the database
@pytest.mark.timeout(180)
def test_a_crash_leaves_the_segment_being_written_indexed_and_playable(make_server, test_camera):
    srv = make_server(ENV)
    api = srv.login()
    camera = add_camera(api, test_camera, "/vtest-noaudio", audio_enabled=False)
    wait_for_state(api, camera["id"], {"recording"}, timeout=60)
    row = wait_for(lambda: (found := recordings(api, camera["id"], in_progress=True)) and found[0]["duration_seconds"] >= 6 and found[0], timeout=60)
    srv.stop(signal.SIGKILL)
    srv.start()
    api = srv.login()
    rows = wait_for(lambda: [r for r in recordings(api, camera["id"], in_progress=True) if not r["in_progress"]], timeout=60)
    assert not [r for r in recordings(api, camera["id"], in_progress=True) if r["in_progress"] and r["path"] == row["path"]], "no stale row of the cut segment"
    cut = next(r for r in rows if utc(r["start"]) <= utc(row["start"]) + dt.timedelta(seconds=2))
    assert cut["status"] == "complete" and cut["duration_seconds"] >= row["duration_seconds"] - 1
    assert frames_in(api.get(cut["file_url"]).content) >= 10 * (cut["duration_seconds"] - 2)


@pytest.mark.sqlite_only  # footage and ffmpeg, not the database
@pytest.mark.timeout(180)
def test_the_segment_being_written_continues_the_last_finished_one(make_server, test_camera):
    """After a cut, the next segment's row starts where the finished one ended and holds the same
    streams: the timeline shows no gap at a segment boundary while the new file is written."""
    srv = make_server({**ENV, "RECORDING_SEGMENT_SECONDS": "10"})
    api = srv.login()
    camera = add_camera(api, test_camera, "/vtest")
    wait_for_state(api, camera["id"], {"recording"}, timeout=60)

    def continued():
        rows = sorted(recordings(api, camera["id"], in_progress=True), key=lambda r: r["start"])
        finished = [r for r in rows if not r["in_progress"]]
        growing = [r for r in rows if r["in_progress"]]
        if not finished or not growing or utc(growing[0]["start"]) < utc(finished[-1]["end"]) - dt.timedelta(seconds=5):
            return None
        return finished[-1], growing[0]

    finished, growing = wait_for(continued, timeout=90)
    assert abs((utc(growing["start"]) - utc(finished["end"])).total_seconds()) <= 1.0, (finished, growing)
    assert (growing["video_codec"], growing["audio_codec"], growing["width"]) == \
        (finished["video_codec"], finished["audio_codec"], finished["width"]), (finished, growing)
