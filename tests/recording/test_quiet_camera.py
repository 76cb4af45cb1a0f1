"""A quiet camera (a clock on a black picture, 640x360 at 10 fps, a few kilobytes a second, a
keyframe every 4 s) is recorded, not restarted: fragments reach the disk as they are made, the
watchdog judges progress whatever the bitrate, and killing its ffmpeg loses seconds, not minutes.

Two cameras on the quiet stream: one is watched for two minutes and must never be restarted;
meanwhile the other's ffmpeg is killed and its recovery checked, within the same two minutes.
Why two minutes prove "no restarts over several minutes": with the watchdog at 8 s
(PIPELINE_STALL_SECONDS) they are fifteen stall windows, as many as five minutes at the default
20 s, and the segment being written must grow at least every 3.5 s throughout, so no window comes
close to running out; at least three 30 s segments close. Watching three minutes would cost about
50 s more (measured), since the kill check took only about 15 s after the watch when it ran
there; a shorter stall window would rest on timing margins a busy 2-core machine may not keep."""
import threading
import time

import pytest

from recording.helpers import (PIPELINE_ENV, add_camera, camera_status, decodes_cleanly, kill_ffmpeg, recordings,
                               utc, wait_for_recordings, wait_for_state)

pytestmark = pytest.mark.sqlite_only  # footage and ffmpeg, not the database: see tests/conftest.py

OBSERVE_SECONDS = 120
# When, into the watch, the other camera's ffmpeg is killed: after its first segment has closed,
# at no particular point of the camera's 4 s keyframe interval.
KILL_AFTER_SECONDS = 40


def newest_staged_size(server, camera_id: str) -> int | None:
    staging = server.data_dir / "storage" / ".recording" / camera_id.lower()
    files = sorted(staging.glob("*.mp4"), key=lambda p: int(p.stem))
    return files[-1].stat().st_size if files else None


def check_a_kill_costs_seconds(server, camera_id: str, kill_at: float) -> None:
    """kill -9 of the camera's ffmpeg between keyframes: the cut segment keeps all but its last
    second, and recording resumes at the camera's next keyframe."""
    api = server.login()  # a session of its own: this runs beside the watch
    time.sleep(max(0.0, kill_at - time.monotonic()))  # time passes on purpose: footage piles up first
    killed_at = kill_ffmpeg(server, api, camera_id)
    before = [r for r in recordings(api, camera_id) if utc(r["start"]).timestamp() < killed_at]
    assert before, "the footage recorded before the kill was not indexed"
    cut = max(before, key=lambda r: r["end"])
    assert killed_at - utc(cut["end"]).timestamp() < 2, (killed_at, cut)
    assert decodes_cleanly(server.data_dir / "storage" / cut["path"])
    after = wait_for_recordings(api, camera_id, len(before) + 1, timeout=60)
    resumed = min(utc(r["start"]).timestamp() for r in after if utc(r["start"]).timestamp() >= killed_at - 0.5)
    # Lost: the last partial fragment (under a second), the reconnect (about a second) and the
    # wait for the camera's next keyframe (up to its 4 s GOP).
    assert resumed - utc(cut["end"]).timestamp() < 8, (cut, resumed)


@pytest.mark.timeout(360)
def test_quiet_camera_is_recorded_without_restarts_and_a_kill_costs_seconds(make_server, test_camera):
    server = make_server(env={**PIPELINE_ENV, "RECORDING_SEGMENT_SECONDS": "30"})
    api = server.login()
    watched = add_camera(api, test_camera, "/quiet", audio_enabled=False)
    killed = add_camera(api, test_camera, "/quiet", audio_enabled=False)
    wait_for_state(api, watched["id"], {"recording"}, timeout=60)
    wait_for_state(api, killed["id"], {"recording"}, timeout=60)
    restarts_at_start = camera_status(api, watched["id"])["restarts"]

    # The kill check runs beside the watch; what it found is raised here once the watch is over.
    failures: list[BaseException] = []

    def kill_check():
        try:
            check_a_kill_costs_seconds(server, killed["id"], time.monotonic() + KILL_AFTER_SECONDS)
        except BaseException as error:  # noqa: BLE001 - handed to the test's own thread
            failures.append(error)

    killer = threading.Thread(target=kill_check, name="kill-check", daemon=True)
    killer.start()

    # Every second for two minutes: still recording, never restarted (not even when the other
    # camera's ffmpeg dies), and the segment being written grows at least every few seconds (one
    # fragment a second, flushed as it is made).
    longest_without_growth = 0.0
    last_size, last_growth = newest_staged_size(server, watched["id"]), time.monotonic()
    deadline = time.monotonic() + OBSERVE_SECONDS
    while time.monotonic() < deadline:
        time.sleep(1)  # time passes on purpose: one look a second for the whole watch
        status = camera_status(api, watched["id"])
        assert status["state"] == "recording", status
        assert status["restarts"] == restarts_at_start, f"the quiet camera was restarted: {status}"
        size, now = newest_staged_size(server, watched["id"]), time.monotonic()
        if size != last_size:
            last_size, last_growth = size, now
        longest_without_growth = max(longest_without_growth, now - last_growth)
    killer.join(timeout=60)
    assert not killer.is_alive(), "the kill check did not finish"
    if failures:
        raise failures[0]
    assert longest_without_growth <= 3.5, f"nothing reached the disk for {longest_without_growth:.1f} s"
    rows = recordings(api, watched["id"])
    assert len(rows) >= 3, rows
    assert all(r["video_codec"] == "h264" and r["width"] == 640 for r in rows)
    covered = sum(r["duration_seconds"] for r in rows)
    assert covered >= OBSERVE_SECONDS - 35, f"{covered:.0f} s recorded in {OBSERVE_SECONDS} s"
