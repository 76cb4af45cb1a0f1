"""Detection boxes over recorded footage, in a real browser.

Two segments of known footage (overlay_scene.py) lie in the server, one after the other: in the
first a green rectangle walks right past a blue one standing still, in the second they stand
elsewhere and the green one walks left; "person" and "car" detections lie over them twice a
second, and the first has one lone "dog" frame. A viewer signs in, opens the day on the Playback page and plays: the page
must draw each class's nearest analysed frame, in the legend's colours, exactly over the
rectangles the browser shows, whether the picture is pillarboxed on a desktop or letterboxed on a
phone; while playing the boxes follow the video, into the next segment too, a seek takes them along, a class switched off in
the legend disappears, and boxes leave when no analysed frame is near. Zoomed into the picture
(buttons, the wheel about the pointer, keys) and panned by a drag, the boxes still lie on the
rectangles, cut where the stage cuts the picture, through a seek into the next segment; the reset
and another camera show the whole picture, and a phone's buttons zoom. Positions are checked
against the video element's own geometry (checks in overlay_checks.py) and, independently,
against where the rectangles' colours show in screenshots.
"""
from __future__ import annotations

import datetime as dt

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from recording.helpers import utc
from support.net import free_port

from .overlay_checks import (PX, check_against_picture, check_boxes, clip, expected_rect, legend_toggle, off_by, overlay,
                             pause_at, picture_of, rgb, seconds_in)
from .overlay_scene import CAR, PERSON, TOLERANCE, Scene, SceneRows, Shape
from .ui import UI

pytestmark = pytest.mark.sqlite_only  # the page, not the database: tests/api checks detections on both

DAY = "2026-01-15"
START = utc(f"{DAY}T12:00:00Z")
DOG_AT = 6.0
# The second segment: the person walks left from the right, the car stands at the left.
PERSON_LATER = Shape("person", "0x00ff00", x=500, y=60, width=80, height=160, speed=-40, confidence=0.91)
CAR_LATER = Shape("car", "0x0000ff", x=60, y=250, width=120, height=60, confidence=0.72)


@pytest.fixture
def scenes(server, admin_api, suffix, camera_cleanup) -> tuple[dict, list[Scene]]:
    r = admin_api.post("/api/cameras", params={"validate": "false"},
                       json={"name": f"Yard {suffix}", "host": "127.0.0.1", "port": free_port(),
                             "stream_path": "/main", "enabled": False})
    assert r.status_code == 201, r.text
    camera = r.json()
    first = Scene(frame=(640, 360), seconds=12, start=START, shapes=(PERSON, CAR),
                  lone=("dog", DOG_AT, {"x": 0.75, "y": 0.05, "width": 0.15, "height": 0.2}))
    second = Scene(frame=(640, 360), seconds=8, start=START + dt.timedelta(seconds=12), shapes=(PERSON_LATER, CAR_LATER))
    for scene in (first, second):
        SceneRows(server).add_scene(camera["id"], scene, f"yard-{suffix}")
    return camera, [first, second]


def check_layout(ui: UI, shot, scene: Scene, seconds: float, step: str, bars: str, scale: float = 1.0) -> None:
    """Paused at `seconds`: the picture has bars where `bars` says ("letterbox": above and below,
    "pillarbox": left and right), the boxes map into it, and they lie on the rectangles shown."""
    state = pause_at(ui, scene, seconds)
    check_boxes(state, [scene])
    picture, element = picture_of(state), state["element"]
    if bars == "letterbox":
        assert picture["y"] > element["y"] + 5 and abs(picture["width"] - element["width"]) < 1, (bars, picture, element)
    else:
        assert picture["x"] > element["x"] + 5 and abs(picture["height"] - element["height"]) < 1, (bars, picture, element)
    shot(step)
    check_against_picture(ui, shot, f"{step}-boxes-hidden", state, scale)


def test_detection_boxes_follow_the_footage(server, scenes, make_user, ui: UI, browser, shot):
    camera, footage = scenes
    first, second = footage
    viewer = make_user("viewer")
    browser.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "UTC"})
    ui.open("/")
    ui.login(viewer["username"], viewer["password"])
    # the day of the footage, the ruler zoomed to two minutes around it
    ui.open(f"/playback?cameras={camera['id']}&date={DAY}&span=120&from={12 * 3600 - 30}")
    ui.until(lambda: len(ui.all("ruler-range")) == 1, message="the footage on the ruler, one range for both segments")
    ui.until(lambda: {t.get_attribute("data-class") for t in ui.all("marker-toggle")} == {"person", "car", "dog"},
             message="the legend lists the scene's classes")

    # -- play from two seconds in: boxes are drawn and follow the picture -------------------------
    start_ms = START.timestamp() * 1000
    ui.click_ruler(camera["id"], start_ms + 2000)
    ui.until(lambda: (s := overlay(ui)) and not s["paused"] and s["t"] > 0 and s["boxes"], 30,
             f"the video never played with boxes (last {overlay(ui)})")
    person_times = set()
    for _ in range(25):
        state = overlay(ui)
        if state["paused"]:
            break
        drawn = check_boxes(state, footage, slack=0.25)  # the frame on screen moves on while we read
        if "person" in drawn:
            person_times.add(drawn["person"]["time"])
        ui.d.execute_script("return new Promise((done) => setTimeout(done, 150))")  # the video plays meanwhile
    assert len(person_times) >= 4, f"the person box did not follow the video: {sorted(person_times)}"
    shot("01-playing")

    # colours are the legend's: the person box in the person swatch's colour
    for cls in ("person", "car"):
        swatch = rgb(legend_toggle(ui, cls).find_element(By.CSS_SELECTOR, ".marker-swatch").value_of_css_property("background-color"))
        borders = {rgb(b["border"]) for b in overlay(ui)["boxes"] if b["cls"] == cls}
        assert borders == {swatch}, (cls, borders, swatch)

    # -- paused on an analysed frame: the boxes lie on the rectangles the browser shows ----------------
    check_layout(ui, shot, first, 3.05, "02-desktop", bars="letterbox")  # 16:9 in the taller stage
    # a wide, low window: the picture is pillarboxed, and the boxes follow it
    ui.viewport(1400, 620)
    ui.until(lambda: overlay(ui)["element"]["height"] < 400, message="the stage is lower")
    check_layout(ui, shot, first, 3.55, "03-wide", bars="pillarbox")
    ui.viewport(1400, 900)

    # switching one class off hides only its boxes
    legend_toggle(ui, "person").click()
    ui.until(lambda: [b["cls"] for b in overlay(ui)["boxes"]] == ["car"], message="people hidden, the car stays")
    assert legend_toggle(ui, "person").get_attribute("aria-pressed") == "false"
    shot("04-person-hidden")
    legend_toggle(ui, "person").click()
    ui.until(lambda: sorted(b["cls"] for b in overlay(ui)["boxes"]) == ["car", "person"], message="people shown again")

    # the lone dog frame shows within half a frame interval, and not beyond
    state = pause_at(ui, first, DOG_AT + 0.1)
    assert "dog" in check_boxes(state, footage)
    state = pause_at(ui, first, DOG_AT + TOLERANCE + 0.05)
    assert "dog" not in check_boxes(state, footage)

    # -- a seek on the ruler takes the boxes along ---------------------------------------------------------
    ui.click_ruler(camera["id"], start_ms + 9000)

    def after_seek():
        s = overlay(ui)
        return s if not s["paused"] and s["t"] >= 8.0 and s["boxes"] else False

    state = ui.until(after_seek, 20, f"playback never resumed after the seek (last {overlay(ui)})")
    check_boxes(state, footage, slack=0.25)
    shot("05-after-seek")

    # -- playing on into the next segment, the boxes are that segment's ---------------------------------
    def in_second():
        s = overlay(ui)
        return s if (s["segment"] or "").lower() == second.recording_id.lower() and not s["paused"] and s["boxes"] else False

    state = ui.until(in_second, 20, f"playback never went on into the next segment with boxes (last {overlay(ui)})")
    check_boxes(state, footage, slack=0.25)
    check_layout(ui, shot, second, 2.05, "06-next-segment", bars="letterbox")

    # -- on a phone the picture is letterboxed and the boxes still land on the rectangles ----------------
    ui.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    ui.until(lambda: overlay(ui)["element"]["width"] < 390, message="the phone layout")
    check_layout(ui, shot, second, 4.52, "07-phone", bars="letterbox", scale=2.0)

    # -- detections were fetched in a few windows, never once per frame ---------------------------------
    asked = ui.d.execute_script("return performance.getEntriesByType('resource')"
                                ".filter((e) => e.name.includes('/api/detections')).length")
    assert 1 <= asked <= 6, f"{asked} requests for detections"



def centre(rect: dict) -> tuple[float, float]:
    return rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2


def box_of(state: dict, cls: str) -> dict:
    return next(b["rect"] for b in state["boxes"] if b["cls"] == cls)


def zoomed_to(ui: UI, scale: float) -> dict:
    """Waits until the picture shows at `scale` (the stage says so and the video element is drawn
    that much larger) and the overlay has drawn it; returns the overlay's state."""
    def shown():
        s = overlay(ui)
        return s if (abs(s["zoom"] - scale) < 2e-3 and abs(s["element"]["width"] - s["stage"]["width"] * s["zoom"]) < 1
                     and s["coverage"] == "ready") else False
    return ui.until(shown, message=f"the picture never showed at {scale}× (last {overlay(ui)})")


def cut_by_stage(state: dict, scene: Scene) -> set[str]:
    """The classes whose boxes reach past the stage, so the page must draw them cut."""
    cut = set()
    for b in state["boxes"]:
        whole = expected_rect(state, scene.row(b["cls"], seconds_in(b["time"], scene))["box"])
        if off_by(clip(whole, state["stage"]) or whole, whole) > PX:
            cut.add(b["cls"])
    return cut


def test_detection_boxes_follow_a_zoomed_picture(server, admin_api, scenes, make_user, ui: UI, browser, shot, suffix):
    """Zoomed in (buttons, the wheel about the pointer, keys) and panned by a drag, the boxes stay on
    the rectangles the browser shows, cut where the stage cuts the picture; the zoom lasts through a
    seek into the next segment, 0 shows the whole picture, another camera starts whole, and on a
    phone the buttons zoom."""
    camera, footage = scenes
    first, second = footage
    r = admin_api.post("/api/cameras", params={"validate": "false"},
                       json={"name": f"Gate {suffix}", "host": "127.0.0.1", "port": free_port(), "stream_path": "/main",
                             "enabled": False, "sort_order": 1})  # after the Yard: ticking it keeps the Yard playing
    assert r.status_code == 201, r.text
    gate = r.json()
    viewer = make_user("viewer")
    browser.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "UTC"})
    ui.open("/")
    ui.login(viewer["username"], viewer["password"])
    ui.open(f"/playback?cameras={camera['id']}&date={DAY}&span=120&from={12 * 3600 - 30}")
    ui.until(lambda: {t.get_attribute("data-class") for t in ui.all("marker-toggle")} == {"person", "car", "dog"},
             message="the legend lists the scene's classes")
    start_ms = START.timestamp() * 1000
    ui.click_ruler(camera["id"], start_ms + 2000)
    ui.until(lambda: (s := overlay(ui)) and not s["paused"] and s["boxes"], 30, f"the video never played (last {overlay(ui)})")
    whole = pause_at(ui, first, 3.05)
    assert whole["zoom"] == 1 and ui.find("picture-zoom-level").text == "1.0×"
    ruler = ui.ruler_view()

    # -- the button zooms about the middle of the stage ------------------------------------------------
    ui.click("picture-zoom-in")
    state = zoomed_to(ui, 1.5)
    check_boxes(state, [first])
    mid = centre(state["stage"])
    before, after = centre(box_of(whole, "person")), centre(box_of(state, "person"))
    for axis in (0, 1):
        assert abs(after[axis] - (mid[axis] + 1.5 * (before[axis] - mid[axis]))) <= PX, (before, after, mid)
    assert ui.find("picture-zoom-level").text == "1.5×"

    # -- the wheel over the person zooms about the pointer: the person stays under it, larger ----------
    person = box_of(state, "person")
    ui.wheel_picture(*centre(person), -100)
    ui.until(lambda: overlay(ui)["zoom"] > 1.6, message="the wheel zooms in")
    state = zoomed_to(ui, overlay(ui)["zoom"])
    check_boxes(state, [first])
    wheeled = box_of(state, "person")
    assert max(abs(a - b) for a, b in zip(centre(wheeled), centre(person))) <= PX, (person, wheeled)
    assert abs(wheeled["width"] / person["width"] - state["zoom"] / 1.5) < 0.02, (person, wheeled, state["zoom"])

    # -- a drag pans: the picture and its boxes move with the pointer; the paused video stays paused ----
    stage = ui.find("playback-stage")
    drag = ActionChains(ui.d).move_to_element(stage).click_and_hold()
    for _ in range(4):
        drag.move_by_offset(-15, -20)
    drag.release().perform()
    ui.until(lambda: centre(box_of(overlay(ui), "person"))[1] < centre(wheeled)[1] - 70, message="the drag pans the picture")
    state = overlay(ui)
    assert state["paused"], "a drag is not a click: the video stays paused"
    moved = centre(box_of(state, "person"))
    assert abs(moved[0] - (centre(wheeled)[0] - 60)) <= PX and abs(moved[1] - (centre(wheeled)[1] - 80)) <= PX, (wheeled, moved)
    drawn = check_boxes(state, [first])
    assert set(drawn) == {"person", "car"}, drawn
    assert cut_by_stage(state, first) == {"car"}, f"the car should reach past the stage and be cut: {state}"
    assert ui.ruler_view() == ruler, "zooming the picture leaves the ruler alone"
    shot("01-zoomed-and-panned")
    check_against_picture(ui, shot, "02-zoomed-boxes-hidden", state)

    # -- keys: Z zooms in, Shift+Z out (the ruler's + and − are another zoom) ------------------------------
    scale = state["zoom"]
    body = ui.d.find_element(By.TAG_NAME, "body")
    body.send_keys("z")
    check_boxes(zoomed_to(ui, round(scale * 1.5, 3)), [first])
    body.send_keys(Keys.SHIFT, "z")
    check_boxes(zoomed_to(ui, round(scale, 3)), [first])
    assert ui.ruler_view() == ruler

    # -- a seek, then on into the next segment: the zoom stays and the boxes follow -----------------------
    transform = stage.get_attribute("data-transform")
    ui.click_ruler(camera["id"], start_ms + 10_500)

    def in_second():
        s = overlay(ui)
        return s if (s["segment"] or "").lower() == second.recording_id.lower() and not s["paused"] and s["boxes"] else False

    state = ui.until(in_second, 20, f"playback never went on into the next segment (last {overlay(ui)})")
    assert state["zoom"] == scale and stage.get_attribute("data-transform") == transform, "the zoom lasts"
    check_boxes(state, footage, slack=0.25)
    state = pause_at(ui, second, 2.05)
    assert state["zoom"] == scale
    check_boxes(state, [second])
    shot("03-zoomed-next-segment")
    check_against_picture(ui, shot, "04-zoomed-next-segment-boxes-hidden", state)

    # -- 0 shows the whole picture again ---------------------------------------------------------------------
    body.send_keys("0")
    state = zoomed_to(ui, 1)
    check_boxes(state, [second])
    assert ui.d.execute_script("return [...document.querySelectorAll('[data-testid=playback-video]')]"
                               ".every((v) => !v.style.transform)"), "whole: the videos carry no transform"

    # -- another camera starts whole ---------------------------------------------------------------------------
    ui.click("picture-zoom-in")
    zoomed_to(ui, 1.5)
    picker = ui.find("camera-picker")
    picker.find_element(By.CSS_SELECTOR, f'[data-camera-name="{gate["name"]}"] label').click()
    ui.until(lambda: len(ui.all("ruler-lane")) == 2, message="Gate joins the ruler")
    assert ui.picture_zoom() == 1.5, "adding a camera to the ruler keeps the picture's zoom"
    picker.find_element(By.CSS_SELECTOR, f'[data-camera-name="{gate["name"]}"] [data-testid="picker-focus"]').click()
    ui.until(lambda: ui.picture_zoom() == 1, message="another camera plays: the zoom is reset")

    # -- on a phone the buttons zoom, the controls fit, and the boxes still lie on the rectangles -------------
    picker.find_element(By.CSS_SELECTOR, f'[data-camera-name="{camera["name"]}"] [data-testid="picker-focus"]').click()
    ui.click_ruler(camera["id"], start_ms + 2000)
    ui.until(lambda: (s := overlay(ui)) and not s["paused"] and s["boxes"], 30, f"the video never played again (last {overlay(ui)})")
    assert ui.picture_zoom() == 1
    ui.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    ui.until(lambda: overlay(ui)["element"]["width"] < 390, message="the phone layout")
    pause_at(ui, first, 4.05)
    ui.click("picture-zoom-in")
    zoomed_to(ui, 1.5)
    ui.click("picture-zoom-in")
    state = zoomed_to(ui, 2.25)
    check_boxes(state, [first])
    controls = ui.find("picture-zoom").rect
    s = state["stage"]
    assert s["x"] <= controls["x"] and controls["x"] + controls["width"] <= s["x"] + s["width"] and controls["y"] >= s["y"], (controls, s)
    assert ui.d.execute_script("return document.documentElement.scrollWidth") <= 390, "nothing wider than the phone"
    shot("05-phone-zoomed")
