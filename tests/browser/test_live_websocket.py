"""The Live View over the live WebSocket (docs/design/live.md) in a real browser, against servers
that run real camera pipelines on the RTSP test camera.

- By default each cell plays fragmented MP4 from `/api/cameras/{id}/live/ws` (`data-player="ws"`),
  the grid's sub-stream and the enlarged main stream with sound alike, and keeps near the live
  edge: what it has buffered but not yet shown stays small.
- A server with LIVE_WEBSOCKET=false refuses the upgrade: the page falls back to HLS (our MSE HLS
  player starts at the playlist's last segment).
- A camera outage (the test camera stopped, then started again) shows "Reconnecting…" and the
  picture comes back over the WebSocket.
"""
from __future__ import annotations

import statistics

import pytest
from selenium.webdriver.common.by import By

from recording.helpers import PIPELINE_ENV, add_camera

from .ui import UI, tid

pytestmark = pytest.mark.sqlite_only  # the page and the live feed, not the database

PLAY_WAIT = 40  # pipeline start + the camera's first keyframe + player start, on a busy 2-core machine
# The player jumps to the live edge when 3 s behind it and checks four times a second; a sample
# taken just before a jump may read a little over 3 s.
JUMP_BOUND_S = 3.5


def _sign_in(ui: UI, server, path: str = "/live") -> None:
    ui.base_url = server.base_url
    ui.open(path)
    ui.login(server.admin_username, server.admin_password)
    ui.find("live-page")


def _latencies(ui: UI, name: str, seconds: float, timeout: float = 60) -> list[float]:
    """Samples the cell's latency (playhead to buffered end) while its video plays `seconds` on."""
    samples: list[float] = []
    first: dict[str, float] = {}

    def played_on():
        state = ui.video_state(name)
        if state["latency"] is not None and not state["paused"]:
            samples.append(state["latency"])
        start = first.setdefault("t", state["t"])
        return state["t"] - start >= seconds

    ui.until(played_on, timeout, f"the video of {name!r} did not play {seconds} s on ({ui.video_state(name)})")
    return samples


def _assert_live(ui: UI, name: str) -> None:
    """The cell stays near the live edge: never past the jump bound, within a second typically."""
    ui.wait_video_advances(name, timeout=PLAY_WAIT)
    samples = _latencies(ui, name, 6)
    assert len(samples) >= 5, samples
    assert max(samples) <= JUMP_BOUND_S, samples
    assert statistics.median(samples) < 1.0, samples


@pytest.fixture
def live_server(make_server):
    return make_server(env=PIPELINE_ENV)


def test_live_view_plays_over_the_websocket(live_server, test_camera, ui: UI, shot):
    api = live_server.login()
    porch = add_camera(api, test_camera, "/vtest", name="Porch", sort_order=0)
    garage = add_camera(api, test_camera, "/vtest", name="Garage", sort_order=1, substream_path="/pattern")
    _sign_in(ui, live_server)
    ui.until(lambda: ui.live_cell_names() == ["Porch", "Garage"], message="cells in sort order")

    for name, camera, stream in (("Porch", porch, "main"), ("Garage", garage, "sub")):
        state = ui.wait_video_advances(name, timeout=PLAY_WAIT)
        assert state["player"] == "ws", state
        assert state["src"].startswith("blob:"), state
        assert state["address"].endswith(f"/api/cameras/{camera['id']}/live/ws?stream={stream}"), state
        assert state["fallback"] is None, state
        assert state["mime"].startswith('video/mp4; codecs="avc1.'), state
        assert ui.live_cell(name).get_attribute("data-stream") == stream
    assert "mp4a.40.2" in ui.video_state("Porch")["mime"], "the main stream carries AAC"
    ui.until(lambda: all(c.get_attribute("data-playback") == "playing" for c in ui.live_cells()),
             message="the connecting overlay never went away")
    for name in ("Porch", "Garage"):
        _assert_live(ui, name)
    shot("01-grid-over-websocket")

    # -- enlarged: the main stream, with sound, still over the WebSocket and still live -------------------
    ui.live_cell("Garage").find_element(By.CSS_SELECTOR, tid("live-frame")).click()
    ui.find("live-enlarged")
    ui.until(lambda: ui.video_state("Garage")["address"].endswith("/live/ws?stream=main"),
             message="enlarged plays the main stream")
    ui.live_cell("Garage").find_element(By.CSS_SELECTOR, tid("audio-toggle")).click()
    ui.until(lambda: not ui.video_state("Garage")["muted"], message="sound on over the WebSocket")
    state = ui.wait_video_advances("Garage", timeout=PLAY_WAIT)
    assert state["player"] == "ws" and "mp4a.40.2" in state["mime"], state
    _assert_live(ui, "Garage")
    ui.click("zoom-in")
    ui.until(lambda: "scale(1.5)" in ui.video_state("Garage")["transform"], message="zoom works over the WebSocket")
    shot("02-enlarged-with-sound-zoomed")


def test_live_view_falls_back_to_hls_when_the_server_has_no_websocket(make_server, test_camera, ui: UI, shot):
    server = make_server(env={**PIPELINE_ENV, "LIVE_WEBSOCKET": "false"})
    api = server.login()
    porch = add_camera(api, test_camera, "/vtest", name="Porch")
    refused = api.get(f"/api/cameras/{porch['id']}/live/ws", headers={"Connection": "Upgrade", "Upgrade": "websocket",
                                                                     "Sec-WebSocket-Version": "13",
                                                                     "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
    assert refused.status_code >= 400, (refused.status_code, refused.text)  # no 101: the upgrade is refused

    _sign_in(ui, server)
    state = ui.wait_video_advances("Porch", timeout=PLAY_WAIT)
    assert state["player"] == "hls-mse", state  # our HLS player: it starts at the live edge
    assert state["address"].endswith(f"/api/cameras/{porch['id']}/live/stream.m3u8"), state
    assert state["fallback"] and "closed" in state["fallback"], state
    ui.until(lambda: ui.live_cell("Porch").get_attribute("data-playback") == "playing")
    shot("01-fallback-hls")

    # (Chromium's native HLS begins a few segments back and can neither seek nor change its rate in
    # a live stream, so its latency is its own; Safari's is moved to its seekable end.)

    # our MSE HLS player starts at the playlist's last segment: at most a segment (2 s) behind the
    # end of what it has, and one reload of the playlist
    ui.open("/live?player=mse")
    state = ui.wait_video_advances("Porch", timeout=PLAY_WAIT)
    assert state["player"] == "hls-mse", state
    samples = _latencies(ui, "Porch", 6)
    assert samples and statistics.median(samples) < 3, samples
    shot("02-fallback-mse-hls")


def test_live_view_over_the_websocket_survives_a_camera_outage(live_server, test_camera, ui: UI, shot):
    api = live_server.login()
    add_camera(api, test_camera, "/vtest", name="Porch")
    _sign_in(ui, live_server)
    state = ui.wait_video_advances("Porch", timeout=PLAY_WAIT)
    assert state["player"] == "ws", state
    shot("01-playing")

    test_camera.stop()
    try:
        ui.until(lambda: ui.live_cell("Porch").get_attribute("data-playback") == "reconnecting",
                 60, "the player never noticed the camera was gone")
        assert "Reconnecting" in ui.live_cell("Porch").find_element(By.CSS_SELECTOR, tid("live-overlay")).text
        shot("02-camera-gone")
    finally:
        test_camera.start()
    ui.until(lambda: ui.live_cell("Porch").get_attribute("data-playback") == "playing", 120,
             "the picture never came back after the camera did")
    state = ui.wait_video_advances("Porch", timeout=PLAY_WAIT)
    assert state["player"] == "ws" and state["fallback"] is None, state
    _assert_live(ui, "Porch")
    shot("03-camera-back")
