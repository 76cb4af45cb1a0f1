"""A quiet camera (a clock on a black picture, 640x360 at 10 fps, a few kilobytes a second, a
keyframe every 4 s) is recorded, not restarted: fragments reach the disk as they are made, the
watchdog judges progress whatever the bitrate, and killing its ffmpeg loses seconds, not minutes."""
import time

import pytest

from recording.helpers import (PIPELINE_ENV, add_camera, camera_status, decodes_cleanly, kill_ffmpeg, recordings,
                               utc, wait_for_recordings, wait_for_state)

pytestmark = pytest.mark.sqlite_only  # footage and ffmpeg, not the database: see tests/conftest.py

# Long enough for the old watchdog (8 s without bytes on disk) to have restarted the camera
# many times over, and for several 30 s segments to close.
OBSERVE_SECONDS = 120


def newest_staged_size(server, camera_id: str) -> int | None:
    staging = server.data_dir / "storage" / ".recording" / camera_id.lower()
    files = sorted(staging.glob("*.mp4"), key=lambda p: int(p.stem))
    return files[-1].stat().st_size if files else None


@pytest.mark.timeout(360)
def test_quiet_camera_is_recorded_without_restarts_and_a_kill_costs_seconds(make_server, test_camera):
    server = make_server(env={**PIPELINE_ENV, "RECORDING_SEGMENT_SECONDS": "30"})
    api = server.login()
    camera = add_camera(api, test_camera, "/quiet", audio_enabled=False)
    wait_for_state(api, camera["id"], {"recording"}, timeout=60)
    restarts_at_start = camera_status(api, camera["id"])["restarts"]

    # Every second for two minutes: still recording, never restarted, and the segment being
    # written grows at least every few seconds (one fragment a second, flushed as it is made).
    longest_without_growth = 0.0
    last_size, last_growth = newest_staged_size(server, camera["id"]), time.monotonic()
    deadline = time.monotonic() + OBSERVE_SECONDS
    while time.monotonic() < deadline:
        time.sleep(1)
        status = camera_status(api, camera["id"])
        assert status["state"] == "recording", status
        assert status["restarts"] == restarts_at_start, f"the quiet camera was restarted: {status}"
        size, now = newest_staged_size(server, camera["id"]), time.monotonic()
        if size != last_size:
            last_size, last_growth = size, now
        longest_without_growth = max(longest_without_growth, now - last_growth)
    assert longest_without_growth <= 3.5, f"nothing reached the disk for {longest_without_growth:.1f} s"
    rows = recordings(api, camera["id"])
    assert len(rows) >= 3, rows
    assert all(r["video_codec"] == "h264" and r["width"] == 640 for r in rows)
    covered = sum(r["duration_seconds"] for r in rows)
    assert covered >= OBSERVE_SECONDS - 35, f"{covered:.0f} s recorded in {OBSERVE_SECONDS} s"

    # kill -9 of ffmpeg between keyframes: the cut segment keeps all but its last second, and
    # recording resumes at the camera's next keyframe.
    time.sleep(2)
    killed_at = kill_ffmpeg(server, api, camera["id"])
    before = [r for r in recordings(api, camera["id"]) if utc(r["start"]).timestamp() < killed_at]
    cut = max(before, key=lambda r: r["end"])
    assert killed_at - utc(cut["end"]).timestamp() < 2, (killed_at, cut)
    assert decodes_cleanly(server.data_dir / "storage" / cut["path"])
    after = wait_for_recordings(api, camera["id"], len(before) + 1, timeout=60)
    resumed = min(utc(r["start"]).timestamp() for r in after if utc(r["start"]).timestamp() >= killed_at - 0.5)
    # Lost: the last partial fragment (under a second), the reconnect (about a second) and the
    # wait for the camera's next keyframe (up to its 4 s GOP).
    assert resumed - utc(cut["end"]).timestamp() < 8, (cut, resumed)
