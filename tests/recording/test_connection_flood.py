"""Hundreds of idle connections to the web server never stop recording or the API."""
import socket
import time

import pytest

from recording.helpers import PIPELINE_ENV, add_camera, camera_status, recordings, wait_for_recordings, wait_for_state

pytestmark = pytest.mark.sqlite_only  # sockets, ffmpeg and footage, not the database: see tests/conftest.py

IDLE_SOCKETS = 400


def test_hundreds_of_idle_connections_do_not_stop_recording_or_the_api(make_server, test_camera):
    server = make_server(env=PIPELINE_ENV)
    api = server.login()
    camera = add_camera(api, test_camera, "/vtest-noaudio")
    wait_for_state(api, camera["id"], {"recording"}, timeout=40)
    wait_for_recordings(api, camera["id"], 1, timeout=60)
    restarts = camera_status(api, camera["id"])["restarts"]
    hoard = []
    try:
        for _ in range(IDLE_SOCKETS):
            hoard.append(socket.create_connection(("127.0.0.1", server.port), timeout=10))
        # Half of them start a request and never finish it.
        for sock in hoard[::2]:
            sock.sendall(b"GET /api/status HTTP/1.1\r\nHost: x\r\n")
        before = len(recordings(api, camera["id"]))
        held_since = time.time()
        # The API answers, and recording goes on: new segments keep arriving, no restart.
        for _ in range(10):
            status = camera_status(api, camera["id"])
            assert status["state"] == "recording" and status["restarts"] == restarts, status
            time.sleep(1)  # time passes on purpose: ten seconds of looking while the connections are held
        rows = wait_for_recordings(api, camera["id"], before + 2, timeout=40)
        assert max(r["end"] for r in rows) > time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(held_since))
    finally:
        for sock in hoard:
            sock.close()
    assert "Too many open files" not in server.log_text()
