"""Recording survives what real installations meet: cameras dropping out, ffmpeg or the server
being killed. Losses stay within seconds, and cut segments are indexed and play."""
import os
import signal
import time

import pytest

from recording.helpers import (PIPELINE_ENV, add_camera, camera_status, decodes_cleanly, ffmpeg_pid, gaps, kill_ffmpeg,
                               recordings, utc, wait_for_new_ffmpeg, wait_for_recordings,
                               wait_for_state)
from support.camera import TestCamera
from support.waiting import wait_for

pytestmark = pytest.mark.sqlite_only  # footage and ffmpeg, not the database: see tests/conftest.py


@pytest.fixture
def own_camera():
    camera = TestCamera()
    camera.start()
    yield camera
    camera.stop()


def test_camera_outage_recovers_by_itself(make_server, own_camera):
    server = make_server(env=PIPELINE_ENV)
    api = server.login()
    camera = add_camera(api, own_camera, "/vtest")
    wait_for_recordings(api, camera["id"], 1, timeout=60)
    own_camera.stop()
    wait_for_state(api, camera["id"], {"reconnecting", "error"}, timeout=30)
    time.sleep(30)  # time passes on purpose: a long outage, during which the NVR keeps retrying
    own_camera.start()
    back = time.monotonic()
    wait_for_state(api, camera["id"], {"recording"}, timeout=30)
    recovered_in = time.monotonic() - back
    before = len(recordings(api, camera["id"]))
    rows = wait_for_recordings(api, camera["id"], before + 1, timeout=30)
    assert recovered_in < 15, f"recording resumed {recovered_in:.1f} s after the camera returned"
    assert max(gaps(rows)) >= 25, "the outage shows as a gap in the footage"


def test_killing_ffmpeg_loses_at_most_a_few_seconds(make_server, test_camera):
    server = make_server(env=PIPELINE_ENV)
    api = server.login()
    camera = add_camera(api, test_camera, "/vtest")
    wait_for_recordings(api, camera["id"], 1, timeout=60)
    time.sleep(2)  # time passes on purpose: the kill comes in the middle of a segment, with footage in it
    killed_at = kill_ffmpeg(server, api, camera["id"])
    rows = wait_for_recordings(api, camera["id"], 3, timeout=60)
    # The footage recorded before the kill ends within one fragment of it (a fragment lasts at
    # most a second, and is flushed as soon as it is complete), and the cut file plays.
    cut = max((r for r in rows if utc(r["end"]).timestamp() <= killed_at + 1), key=lambda r: r["end"])
    assert killed_at - utc(cut["end"]).timestamp() < 2
    assert decodes_cleanly(server.data_dir / "storage" / cut["path"])
    # Lost: the partial fragment (up to one 2 s GOP), the reconnect delay (up to 1 s), and the
    # camera's RTSP session set-up until its first keyframe.
    assert max(gaps(rows)) < 8, gaps(rows)


def test_killing_the_server_loses_at_most_a_few_seconds(make_server, test_camera):
    server = make_server(env=PIPELINE_ENV)
    api = server.login()
    camera = add_camera(api, test_camera, "/vtest")
    wait_for_recordings(api, camera["id"], 1, timeout=60)
    time.sleep(2)  # time passes on purpose: the kill comes in the middle of a segment, with footage in it
    orphan = ffmpeg_pid(server, camera["id"])
    server.stop(signal.SIGKILL)
    killed_at = time.time()
    time.sleep(3)  # the server stays down a moment, as after a crash
    server.start()
    api = server.login()
    wait_for_state(api, camera["id"], {"recording"}, timeout=40)
    # The ffmpeg the dead server left behind was stopped, not left writing alongside a new one.
    assert not _alive(orphan)
    rows = wait_for_recordings(api, camera["id"], 3, timeout=60)
    # The footage from before the crash reaches to within 2 s of it (fragments are flushed
    # every second), and what was cut is indexed and plays.
    before = [r for r in rows if utc(r["start"]).timestamp() < killed_at]
    assert before and max(utc(r["end"]).timestamp() for r in before) > killed_at - 2, (killed_at, before)
    assert max(gaps(rows)) < 10, gaps(rows)
    for row in rows:
        assert decodes_cleanly(server.data_dir / "storage" / row["path"])


def test_watchdog_restarts_a_frozen_stream_and_recording_resumes(make_server, own_camera):
    server = make_server(env=PIPELINE_ENV)
    stall_seconds = float(PIPELINE_ENV["PIPELINE_STALL_SECONDS"])
    api = server.login()
    camera = add_camera(api, own_camera, "/vtest")
    wait_for_recordings(api, camera["id"], 1, timeout=60)
    restarts = wait_for_state(api, camera["id"], {"recording"}, timeout=30)["restarts"]
    pid = ffmpeg_pid(server, camera["id"])
    # The camera stops sending but keeps its connections open, as a hung camera does.
    os.kill(own_camera.proc.pid, signal.SIGSTOP)
    frozen_at = time.monotonic()
    try:
        status = wait_for(lambda: (s := camera_status(api, camera["id"]))["restarts"] > restarts and s, timeout=stall_seconds + 20)
        restarted_after = time.monotonic() - frozen_at
        assert "stalled" in (status["last_error"] or "").lower(), status
        assert status["state"] in ("reconnecting", "starting", "error"), status
        assert stall_seconds - 1 <= restarted_after <= stall_seconds + 8, restarted_after
        assert not _alive(pid), "the stalled ffmpeg was stopped"
    finally:
        os.kill(own_camera.proc.pid, signal.SIGCONT)
    wait_for_state(api, camera["id"], {"recording"}, timeout=90)
    thawed = time.time()
    rows = wait_for_recordings(api, camera["id"], len(recordings(api, camera["id"])) + 1, timeout=60)
    assert max(utc(r["end"]).timestamp() for r in rows) > thawed



def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = open(f"/proc/{pid}/stat").read().split()
    return stat[2] != "Z"
