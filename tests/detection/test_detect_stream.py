"""`ronin detect` on a live camera: the real RTSP test camera (gst-rtsp-server serving vtest.avi)
with credentials, which must never appear in any process's command line or in the output."""
import json
import os
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest

from support.paths import REPO_ROOT, RONIN_BIN


def command_lines() -> list[str]:
    """Every process's command line, as `ps` would show it."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found.append(entry.joinpath("cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
            except OSError:
                pass
    return found


def test_live_stream_with_credentials(authed_camera):
    url = authed_camera.url("/vtest", with_credentials=True)
    assert authed_camera.password in url
    proc = subprocess.Popen([str(RONIN_BIN), "detect", url, "--json", "--fps", "2"], cwd=REPO_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        people, seen_ps = [], False
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and len(people) < 3:
            ready, _, _ = select.select([proc.stdout], [], [], 1)
            if not seen_ps and people:
                # ffmpeg is decoding now: its arguments must not carry the password.
                decoders = [line for line in command_lines() if line.startswith(("ffmpeg", "/usr/bin/ffmpeg")) and "rawvideo" in line]
                assert decoders
                assert not [line for line in decoders if authed_camera.password in line]
                seen_ps = True
            if ready:
                line = proc.stdout.readline()
                if not line:
                    break
                record = json.loads(line)
                if record["type"] == "detection" and record["class"] == "person":
                    people.append(record)
        assert proc.poll() is None, proc.stderr.read()
        assert len(people) >= 3, "no people found on the live stream"
        assert seen_ps
        assert people[-1]["time"] >= 0 and len(people[-1]["box"]) == 4
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)
    assert authed_camera.password not in proc.stderr.read()


def test_wrong_password_is_a_clear_error(authed_camera):
    url = authed_camera.url("/vtest").replace("rtsp://", "rtsp://viewer:wrong-password@")
    result = subprocess.run([str(RONIN_BIN), "detect", url, "--json"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "wrong-password" not in result.stderr
    assert result.stderr.startswith("ronin detect: Cannot read rtsp://viewer:***@127.0.0.1:")
    assert len(result.stderr.strip().splitlines()) == 1
