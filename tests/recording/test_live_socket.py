"""Live view over a WebSocket (docs/design/live.md): the camera's one ffmpeg feeds fragmented MP4
to the server, which sends it to every signed-in viewer: a `start` message with the codecs a
browser checks, the init segment, then fragments from a keyframe on, the same bytes to everyone.
Strangers, other sites and unknown cameras are refused; a camera outage says `waiting` and the
stream starts again when the camera is back; LIVE_WEBSOCKET=false leaves HLS alone.
"""
from __future__ import annotations

import json
import time

import pytest

from recording.helpers import PIPELINE_ENV, add_camera, wait_for_state
from support.camera import TestCamera
from support.websocket import WebSocket, WebSocketRefused

pytestmark = pytest.mark.sqlite_only  # the camera's ffmpeg and the feed, not the database


def socket_url(srv, camera_id: str, stream: str = "main") -> str:
    return srv.base_url.replace("http://", "ws://") + f"/api/cameras/{camera_id}/live/ws?stream={stream}"


def read_start(ws: WebSocket, timeout: float = 30) -> tuple[dict, bytes]:
    """The `start` message and the init segment that follows it (skipping `waiting`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = ws.receive(timeout=timeout)
        if message.text and json.loads(message.text)["type"] == "start":
            init = ws.receive(timeout=timeout)
            assert init.data is not None, "the init segment follows the start message"
            return json.loads(message.text), init.data
    raise AssertionError("no start message")


def fragments(ws: WebSocket, count: int) -> list[bytes]:
    found = []
    while len(found) < count:
        message = ws.receive(timeout=20)
        assert message.data is not None, f"only fragments while the stream runs, got {message.text}"
        found.append(message.data)
    return found


def moof_track_ids(fragment: bytes) -> list[int]:
    assert fragment[4:8] == b"moof", fragment[:16]
    return [1]


@pytest.mark.timeout(180)
def test_viewers_get_the_init_segment_and_the_same_fragments_and_strangers_get_nothing(make_server, test_camera):
    srv = make_server(PIPELINE_ENV)
    api = srv.login()
    camera = add_camera(api, test_camera, "/vtest", name="Hall")
    wait_for_state(api, camera["id"], {"recording"}, timeout=60)
    auth = {"Authorization": f"Bearer {api.token}"}

    first = WebSocket(socket_url(srv, camera["id"]), auth)
    start, init = read_start(first)
    assert start["codecs"].startswith("avc1.") and start["codecs"].endswith(",mp4a.40.2"), start
    assert start["mime"] == f'video/mp4; codecs="{start["codecs"]}"' and (start["width"], start["height"]) == (768, 576)
    assert init[4:8] == b"ftyp" and b"moov" in init
    # The cookie alone will do (the browser's WebSocket sends it), and a second viewer gets the
    # same fragments, byte for byte, from the same moment on.
    second = WebSocket(socket_url(srv, camera["id"]), {"Cookie": f"ronin_session={api.token}"})
    read_start(second)
    ahead = fragments(second, 10)
    seen = fragments(first, 60)
    joined = b"".join(seen)
    assert b"".join(ahead) in joined, "the second viewer's fragments are the first's"
    assert all(f[4:8] in (b"moof", b"styp") for f in seen), {f[4:8] for f in seen}
    first.close()
    second.close()

    # Strangers, other sites and unknown cameras: no upgrade.
    for headers, url in [({}, socket_url(srv, camera["id"])),
                         ({**auth, "Origin": "http://evil.example"}, socket_url(srv, camera["id"])),
                         (auth, socket_url(srv, "00000000-0000-0000-0000-000000000000")),
                         (auth, socket_url(srv, camera["id"], stream="fourth"))]:
        with pytest.raises(WebSocketRefused) as refused:
            WebSocket(url, headers)
        assert refused.value.status == 400, (headers, url, refused.value.status)
    assert api.get(f"/api/cameras/{camera['id']}/live/ws").status_code == 426


@pytest.mark.timeout(180)
def test_a_camera_outage_says_waiting_and_the_stream_starts_again(make_server):
    camera_server = TestCamera().start()
    srv = make_server(PIPELINE_ENV)
    try:
        api = srv.login()
        camera = add_camera(api, camera_server, "/vtest-noaudio", audio_enabled=False, name="Yard")
        wait_for_state(api, camera["id"], {"recording"}, timeout=60)
        ws = WebSocket(socket_url(srv, camera["id"]), {"Authorization": f"Bearer {api.token}"})
        read_start(ws)
        fragments(ws, 10)
        camera_server.stop()
        deadline = time.monotonic() + 60
        while True:
            assert time.monotonic() < deadline, "the viewer was never told the stream stopped"
            message = ws.receive(timeout=60)
            if message.text and json.loads(message.text)["type"] == "waiting":
                break
        camera_server.restart()
        start, init = read_start(ws, timeout=90)
        assert start["codecs"].startswith("avc1.") and "mp4a" not in start["codecs"]
        assert len(fragments(ws, 10)) == 10
        ws.close()
    finally:
        camera_server.stop()


def test_with_live_websocket_off_the_server_leaves_hls_alone(make_server, test_camera):
    srv = make_server({**PIPELINE_ENV, "LIVE_WEBSOCKET": "false"})
    api = srv.login()
    camera = add_camera(api, test_camera, "/vtest", name="Porch")
    with pytest.raises(WebSocketRefused) as refused:
        WebSocket(socket_url(srv, camera["id"]), {"Authorization": f"Bearer {api.token}"})
    assert refused.value.status == 400, "an upgrade that is not allowed is refused outright"
    r = api.get(f"/api/cameras/{camera['id']}/live/ws")
    assert r.status_code == 426 and "LIVE_WEBSOCKET=false" in r.json()["message"]
