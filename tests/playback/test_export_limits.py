"""Clip exports are limited (docs/api.md, Playback): a few at once per user and in all, with 429
and Retry-After beyond; and a client that stops reading is cut off, its ffmpeg ended, its slot
given back, so stalled downloads can never pile up.

The footage is made for the test (a few large segments, written into a camera's folder and
adopted by the server at start-up), so a stalled export is far larger than the sockets' buffers.
"""
import datetime as dt
import os
import socket
import subprocess
import time

import pytest
import requests

from api.helpers import assert_error
from recording.helpers import iso, utc
from support.footage import adopt_footage
from support.server import RoninServer

pytestmark = pytest.mark.sqlite_only  # slots and sockets, not the database: see tests/conftest.py

STALL_SECONDS = 3


@pytest.fixture(scope="module")
def footage(server):
    env = {"RONIN_RUN_PIPELINES": "true", "EXPORT_MAX_CONCURRENT": "2", "EXPORT_MAX_CONCURRENT_PER_USER": "1",
           "EXPORT_STALL_SECONDS": str(STALL_SECONDS)}
    srv = RoninServer(server.database, None, "export-limits", env).start()
    # Three 10 s segments at a high bitrate (x264 QP 4): a clip far larger than socket buffers.
    camera, _ = adopt_footage(srv, srv.login(), "Driveway", count=3, seconds=10, quality=4)
    api = srv.login()
    viewers = []
    for n in range(2):
        name, password = f"viewer-{n}-{os.getpid()}", "viewer-password-1"
        assert api.post("/api/users", json={"username": name, "password": password, "role": "viewer"}).status_code == 201
        viewers.append(srv.login(name, password))
    now = dt.datetime.now(dt.timezone.utc)
    rows = api.get("/api/recordings", params={"camera_id": camera["id"], "start": iso(now - dt.timedelta(hours=1)),
                                              "end": iso(now + dt.timedelta(hours=1))}).json()
    rows = [row for row in rows if not row["in_progress"]]
    assert len(rows) == 3, rows
    yield srv, api, viewers, camera, (utc(rows[0]["start"]), utc(rows[-1]["end"]))
    srv.stop()


def export_path(camera, span) -> str:
    return f"/api/playback/{camera['id']}/export?start={iso(span[0])}&end={iso(span[1])}"


def stalled_export(srv, token: str, path: str) -> socket.socket:
    """Starts an export on a socket that then reads (almost) nothing: a tiny receive buffer."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", srv.port))
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
    head = sock.recv(2048)
    assert head.startswith(b"HTTP/1.1 200"), head[:200]
    return sock


def cutting_ffmpegs(srv) -> list[str]:
    """The command lines of the server's running clip cuts (ffmpeg reading a clip-*.txt list)."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            args = open(f"/proc/{entry}/cmdline", "rb").read().split(b"\0")
        except (OSError, ValueError):
            continue
        line = " ".join(a.decode(errors="replace") for a in args)
        if "ffmpeg" in line and f"{srv.data_dir}/run/exports/clip-" in line:
            found.append(line)
    return found


def wait_until(check, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_exports_beyond_the_limits_get_429_and_stalled_ones_are_cut_off(footage):
    srv, api, viewers, camera, span = footage
    path = export_path(camera, span)
    first = stalled_export(srv, api.token, path)
    try:
        # The same user's second export waits for the first.
        again = api.get(path, stream=True)
        body = assert_error(again, 429, "too_many_exports")
        assert again.headers["Retry-After"].isdigit() and "EXPORT_MAX_CONCURRENT_PER_USER" in body["message"]
        # Another user has a slot of their own, up to the limit for everyone (2).
        second = stalled_export(srv, viewers[0].token, path)
        full = viewers[1].get(path, stream=True)
        assert_error(full, 429, "too_many_exports")
        assert "EXPORT_MAX_CONCURRENT" in full.json()["message"]
        assert len(cutting_ffmpegs(srv)) == 2

        # Neither stalled client reads: after EXPORT_STALL_SECONDS both exports are stopped,
        # their ffmpeg ended and their connections closed.
        assert wait_until(lambda: not cutting_ffmpegs(srv), timeout=STALL_SECONDS + 15), cutting_ffmpegs(srv)
        for sock in (first, second):
            sock.settimeout(20)
            received = 0
            while chunk := sock.recv(1 << 20):
                received += len(chunk)
            assert received < 10_000_000, "the server gave up before sending the whole clip"
        assert "read nothing for 3 s" in srv.log_text()
    finally:
        first.close()

    # The slots are free again: a complete export goes through.
    assert wait_until(lambda: viewers[1].get(path, stream=True).status_code == 200, timeout=10)
    r = api.get(path)
    assert r.status_code == 200 and len(r.content) > 10_000_000
