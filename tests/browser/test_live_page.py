"""The Live View in a real browser against a server that runs real camera pipelines.

Two cameras on the RTSP test camera: "Porch" (main stream /vtest with AAC audio, no sub-stream)
and "Garage" (main /vtest, sub-stream /pattern for the grid). A person signs in and lands on the
Live View; both cells must really play (the <video>'s currentTime advances) over the live WebSocket
(the default), with the browser's native HLS and with our own MSE HLS player; layouts, paging, hiding, sound, enlarging and zoom are
then driven through the page, and what persists is checked after a reload.
"""
from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from recording.helpers import PIPELINE_ENV, add_camera, wait_for_state

from .ui import UI, tid

pytestmark = pytest.mark.sqlite_only  # the page, not the database: tests/api checks its data on both

PLAY_WAIT = 40  # pipeline start + first HLS segments + player start, on a busy 2-core machine


@pytest.fixture
def live_server(make_server):
    return make_server(env=PIPELINE_ENV)


@pytest.fixture
def cameras(live_server, test_camera):
    api = live_server.login()
    porch = add_camera(api, test_camera, "/vtest", name="Porch", group="Outside", sort_order=0)
    garage = add_camera(api, test_camera, "/vtest", name="Garage", group="Inside", sort_order=1,
                        substream_path="/pattern")
    return api, porch, garage


def _sign_in(ui: UI, server) -> None:
    ui.base_url = server.base_url
    ui.open("/")
    ui.find("login-page")
    ui.login(server.admin_username, server.admin_password)


def _wait_cell_state(ui: UI, name: str, label: str, timeout: float = PLAY_WAIT) -> None:
    ui.until(lambda: ui.live_cell(name).find_element(By.CSS_SELECTOR, tid("live-cell-state")).text == label,
             timeout, f"{name} never showed {label!r}")


def _scale(transform: str) -> float:
    """The scale factor of a CSS transform as the browser reports it ("translate(..) scale(1.5)")."""
    match = re.search(r"scale\(([\d.]+)\)", transform or "")
    return float(match.group(1)) if match else 1.0


def _grid_counts(ui: UI) -> tuple[int, int]:
    return len(ui.all("live-cell")), len(ui.all("live-empty-slot"))


def test_live_view(live_server, cameras, ui: UI, shot):
    api, porch, garage = cameras

    # -- sign in like a person: the Live View is the landing page ---------------------------------
    _sign_in(ui, live_server)
    ui.find("live-page")
    assert ui.path() == "/live", ui.path()
    assert ui.nav_labels() == ["Live View", "Playback", "ML", "Setup", "Status", "Users"], ui.nav_labels()
    ui.find("live-grid")
    ui.until(lambda: ui.live_cell_names() == ["Porch", "Garage"], message="cells in sort order")
    assert ui.find("live-grid").get_attribute("data-layout") == "2"
    assert _grid_counts(ui) == (2, 2), "2x2 grid: two cameras and two empty slots"
    shot("01-grid-connecting")

    # -- both cells play over the live WebSocket (the default) ----------------------------------------
    for name in ("Porch", "Garage"):
        ui.wait_video_advances(name, timeout=PLAY_WAIT)
        state = ui.video_state(name)
        assert state["player"] == "ws", state
        assert state["muted"], f"{name} starts muted"
    porch_cell, garage_cell = ui.live_cell("Porch"), ui.live_cell("Garage")
    assert porch_cell.get_attribute("data-stream") == "main", "no sub-stream: the grid plays the main stream"
    assert garage_cell.get_attribute("data-stream") == "sub", "the grid plays the sub-stream"
    assert ui.video_state("Garage")["address"].endswith(f"/api/cameras/{garage['id']}/live/ws?stream=sub")
    assert ui.video_state("Porch")["address"].endswith(f"/api/cameras/{porch['id']}/live/ws?stream=main")
    _wait_cell_state(ui, "Porch", "Recording")
    _wait_cell_state(ui, "Garage", "Recording")
    assert wait_for_state(api, porch["id"], {"recording"}, timeout=5)["state"] == "recording"
    ui.until(lambda: all(c.get_attribute("data-playback") == "playing" for c in ui.live_cells()),
             message="the connecting overlay never went away")
    assert not ui.present("live-overlay")
    shot("02-grid-playing-ws")

    # -- with the browser's own HLS (forced by ?player=native) ---------------------------------------
    native = ui.d.execute_script("return document.createElement('video').canPlayType('application/vnd.apple.mpegurl')")
    assert native, "this Chromium is expected to play HLS natively"
    ui.open("/live?player=native")
    ui.until(lambda: ui.live_cell_names() == ["Porch", "Garage"])
    for name in ("Porch", "Garage"):
        ui.wait_video_advances(name, timeout=PLAY_WAIT)
        assert ui.video_state(name)["player"] == "hls-native", ui.video_state(name)
    assert ui.video_state("Garage")["src"].endswith(f"/api/cameras/{garage['id']}/live/sub/stream.m3u8")
    assert ui.video_state("Porch")["src"].endswith(f"/api/cameras/{porch['id']}/live/stream.m3u8")
    shot("02-grid-playing-native")

    # -- and with our own MSE HLS player (forced by ?player=mse) --------------------------------------
    ui.open("/live?player=mse")
    ui.until(lambda: ui.live_cell_names() == ["Porch", "Garage"])
    for name in ("Porch", "Garage"):
        ui.wait_video_advances(name, timeout=PLAY_WAIT)
        state = ui.video_state(name)
        assert state["player"] == "hls-mse", state
        assert state["src"].startswith("blob:"), state
    assert "mp4a.40.2" in ui.video_state("Porch")["mime"], "the main stream carries AAC"
    assert ui.video_state("Porch")["mime"].startswith('video/mp4; codecs="avc1.'), ui.video_state("Porch")
    assert "mp4a" not in ui.video_state("Garage")["mime"], "the sub-stream has no audio track"
    shot("03-grid-playing-mse")

    # localStorage ronin.player=mse forces it too (the tab's ?player choice cleared first)
    ui.d.execute_script("sessionStorage.clear(); localStorage.setItem('ronin.player', 'mse')")
    ui.open("/live")
    ui.wait_video_advances("Porch", timeout=PLAY_WAIT)
    assert ui.video_state("Porch")["player"] == "hls-mse"
    ui.d.execute_script("localStorage.removeItem('ronin.player')")
    ui.open("/live")
    ui.wait_video_advances("Garage", timeout=PLAY_WAIT)
    assert ui.video_state("Garage")["player"] == "ws"

    # -- layouts and paging ---------------------------------------------------------------------------
    ui.click("layout-1")
    ui.until(lambda: _grid_counts(ui) == (1, 0), message="1x1 shows one camera")
    assert ui.page_indicator() == (1, 2)
    assert ui.live_cell_names() == ["Porch"]
    assert not ui.find("page-prev").is_enabled()
    shot("04-layout-1x1-page1")
    ui.click("page-next")
    ui.until(lambda: ui.live_cell_names() == ["Garage"], message="page 2 shows the second camera")
    assert ui.page_indicator() == (2, 2)
    assert not ui.find("page-next").is_enabled()
    ui.wait_video_advances("Garage", timeout=PLAY_WAIT)
    assert ui.live_cell("Garage").get_attribute("data-stream") == "sub"
    shot("05-layout-1x1-page2")
    ui.click("layout-3")
    ui.until(lambda: _grid_counts(ui) == (2, 7), message="3x3: two cameras, seven empty slots")
    assert ui.page_indicator() == (1, 1)
    assert ui.find("layout-3").get_attribute("aria-pressed") == "true"
    shot("06-layout-3x3")

    # -- hide a camera from the sidebar; the layout and the hidden camera survive a reload -------------
    sidebar = ui.find("camera-sidebar")
    groups = [g.get_attribute("data-group") for g in ui.all("sidebar-group", sidebar)]
    assert groups == ["Outside", "Inside"], groups
    ui.sidebar_camera("Porch").find_element(By.CSS_SELECTOR, tid("visibility-toggle")).click()
    ui.until(lambda: ui.live_cell_names() == ["Garage"], message="the hidden camera left the grid")
    assert ui.sidebar_camera("Porch").get_attribute("data-hidden") == "true"
    assert "1 of 2 shown" in ui.find("sidebar-count").text
    shot("07-porch-hidden")
    ui.d.refresh()
    ui.find("live-grid")
    ui.until(lambda: ui.live_cell_names() == ["Garage"], message="hidden camera stays hidden after reload")
    assert ui.find("live-grid").get_attribute("data-layout") == "3", "the layout survives a reload"
    assert ui.sidebar_camera("Porch").get_attribute("data-hidden") == "true"
    stored = ui.d.execute_script("return JSON.parse(localStorage.getItem('ronin.live'))")
    assert stored["layout"] == 3 and stored["hidden"] == [porch["id"]], stored
    ui.sidebar_camera("Porch").find_element(By.CSS_SELECTOR, tid("visibility-toggle")).click()
    ui.until(lambda: ui.live_cell_names() == ["Porch", "Garage"])
    ui.click("layout-2")
    ui.until(lambda: _grid_counts(ui) == (2, 2))

    # -- sidebar collapses and comes back ---------------------------------------------------------------
    ui.click("sidebar-toggle")
    ui.gone("camera-sidebar")
    width_collapsed = ui.find("live-grid").size["width"]
    shot("08-sidebar-collapsed")
    ui.click("sidebar-toggle")
    ui.find("camera-sidebar")
    assert ui.find("live-grid").size["width"] < width_collapsed

    # -- sound on one cell only; a sub-stream cell switches to the main stream for it -------------------
    for name in ("Porch", "Garage"):
        ui.wait_video_advances(name, timeout=PLAY_WAIT)
    ui.live_cell("Garage").find_element(By.CSS_SELECTOR, tid("audio-toggle")).click()
    ui.until(lambda: ui.live_cell("Garage").get_attribute("data-stream") == "main",
             message="sound needs the main stream")
    ui.until(lambda: not ui.video_state("Garage")["muted"], message="Garage is not muted")
    assert ui.video_state("Porch")["muted"], "the other cell stays muted"
    assert ui.video_state("Garage")["address"].endswith(f"/api/cameras/{garage['id']}/live/ws?stream=main")
    ui.wait_video_advances("Garage", timeout=PLAY_WAIT)
    assert not ui.video_state("Garage")["muted"], "still playing with sound"
    toggle = ui.live_cell("Garage").find_element(By.CSS_SELECTOR, tid("audio-toggle"))
    assert toggle.get_attribute("aria-pressed") == "true"
    shot("09-garage-sound-on")
    ui.d.refresh()
    ui.until(lambda: ui.live_cell("Garage").get_attribute("data-audio") == "on", message="sound choice persisted")
    assert ui.live_cell("Garage").get_attribute("data-stream") == "main"
    assert ui.live_cell("Porch").get_attribute("data-audio") == "off"
    ui.wait_video_advances("Garage", timeout=PLAY_WAIT)
    toggle = ui.live_cell("Garage").find_element(By.CSS_SELECTOR, tid("audio-toggle"))
    if toggle.get_attribute("data-sound-blocked") == "true":
        # No gesture on the fresh page yet: the browser held the sound back and the cell says so.
        shot("10-sound-waiting-for-click")
        toggle.click()
    ui.until(lambda: not ui.video_state("Garage")["muted"], message="Garage has sound after the reload")
    assert ui.video_state("Porch")["muted"]
    ui.live_cell("Garage").find_element(By.CSS_SELECTOR, tid("audio-toggle")).click()
    ui.until(lambda: ui.video_state("Garage")["muted"] and ui.live_cell("Garage").get_attribute("data-stream") == "sub",
             message="muting again returns to the sub-stream")

    # -- enlarge: the main stream, digital zoom, back to the grid ---------------------------------------
    ui.live_cell("Garage").find_element(By.CSS_SELECTOR, tid("live-frame")).click()
    ui.find("live-enlarged")
    assert ui.path() == f"/live?camera={garage['id']}", ui.path()
    assert ui.live_cell_names() == ["Garage"]
    assert ui.live_cell("Garage").get_attribute("data-stream") == "main"
    ui.wait_video_advances("Garage", timeout=PLAY_WAIT)
    assert ui.video_state("Garage")["address"].endswith(f"/api/cameras/{garage['id']}/live/ws?stream=main")
    assert not ui.video_state("Garage")["transform"]
    shot("11-enlarged")

    ui.click("zoom-in")
    ui.until(lambda: _scale(ui.video_state("Garage")["transform"]) == 1.5, message="zoom-in scales the video")
    frame = ui.live_cell("Garage").find_element(By.CSS_SELECTOR, tid("live-frame"))
    ui.d.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "arguments[0].dispatchEvent(new WheelEvent('wheel', {deltaY: -300, clientX: r.left + r.width * 0.25,"
        " clientY: r.top + r.height * 0.25, bubbles: true, cancelable: true}));", frame)
    ui.until(lambda: _scale(ui.video_state("Garage")["transform"]) > 1.5,
             message="the mouse wheel zooms further")
    before = ui.video_state("Garage")["transform"]
    ActionChains(ui.d).move_to_element(frame).click_and_hold().move_by_offset(120, 80).release().perform()
    ui.until(lambda: ui.video_state("Garage")["transform"] != before, message="dragging pans the picture")
    assert ui.find("zoom-level").text.endswith("×")
    shot("12-enlarged-zoomed")
    ui.click("zoom-reset")
    ui.until(lambda: not ui.video_state("Garage")["transform"], message="reset removes the zoom")

    ui.click("back-to-grid")
    ui.find("live-grid")
    assert ui.path() == "/live"
    ui.until(lambda: ui.live_cell_names() == ["Porch", "Garage"])
    # the sidebar enlarges too, and Escape goes back
    ui.sidebar_camera("Porch").find_element(By.CSS_SELECTOR, "button.live-sidebar-name").click()
    ui.find("live-enlarged")
    assert ui.live_cell_names() == ["Porch"]
    ui.d.find_element(By.TAG_NAME, "body").send_keys("\ue00c")  # Escape
    ui.find("live-grid")
    shot("13-back-to-grid")

    # -- a phone-sized screen: the camera list opens over the grid ---------------------------------------
    ui.viewport(390, 844, mobile=True)
    shot("14-narrow-sidebar")
    ui.click("sidebar-close")
    ui.gone("camera-sidebar")
    shot("15-narrow-grid")
    ui.click("sidebar-toggle")
    ui.find("camera-sidebar")


def test_live_view_enlarged_mse_and_reconnect(live_server, cameras, test_camera, ui: UI, shot):
    """Our MSE player plays the enlarged main stream with sound, shows "Reconnecting…" while the
    camera is gone, and picks the stream up again once it is back."""
    api, porch, garage = cameras
    _sign_in(ui, live_server)
    ui.open(f"/live?player=mse&camera={garage['id']}")
    ui.find("live-enlarged")
    state = ui.wait_video_advances("Garage", timeout=PLAY_WAIT)
    assert state["player"] == "hls-mse" and "mp4a.40.2" in state["mime"], state
    ui.live_cell("Garage").find_element(By.CSS_SELECTOR, tid("audio-toggle")).click()
    ui.until(lambda: not ui.video_state("Garage")["muted"], message="sound on in MSE mode")
    ui.wait_video_advances("Garage")
    shot("01-enlarged-mse")

    ui.click("back-to-grid")
    ui.until(lambda: ui.live_cell_names() == ["Porch", "Garage"])
    for name in ("Porch", "Garage"):
        ui.wait_video_advances(name, timeout=PLAY_WAIT)

    test_camera.stop()
    try:
        ui.until(lambda: ui.live_cell("Porch").get_attribute("data-playback") == "reconnecting",
                 60, "the player never noticed the camera was gone")
        assert "Reconnecting" in ui.live_cell("Porch").find_element(By.CSS_SELECTOR, tid("live-overlay")).text
        _wait_cell_state(ui, "Porch", "Reconnecting", timeout=60)
        error = ui.live_cell("Porch").find_element(By.CSS_SELECTOR, tid("live-cell-error"))
        assert error.text.strip(), "the camera's last error is shown in the cell"
        shot("02-camera-offline")
    finally:
        test_camera.start()
    for name in ("Porch", "Garage"):
        ui.until(lambda: ui.live_cell(name).get_attribute("data-playback") == "playing", 120,
                 f"{name} never played again after the camera came back")
        ui.wait_video_advances(name, timeout=PLAY_WAIT)
    assert ui.video_state("Porch")["player"] == "hls-mse"
    shot("03-camera-back")
