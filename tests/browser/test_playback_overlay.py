"""Detection boxes over recorded footage, in a real browser.

Two segments of known footage (overlay_scene.py) lie in the server, one after the other: in the
first a green rectangle walks right past a blue one standing still, in the second they stand
elsewhere and the green one walks left; "person" and "car" detections lie over them twice a
second, and the first has one lone "dog" frame. A viewer signs in, opens the day on the Playback page and plays: the page
must draw each class's nearest analysed frame, in the legend's colours, exactly over the
rectangles the browser shows, whether the picture is pillarboxed on a desktop or letterboxed on a
phone; while playing the boxes follow the video, into the next segment too, a seek takes them along, a class switched off in
the legend disappears, and boxes leave when no analysed frame is near. Positions are checked
against the video element's own geometry and, independently, against where the rectangles'
colours show in screenshots.
"""
from __future__ import annotations

import datetime as dt

import pytest
from selenium.webdriver.common.by import By

from recording.helpers import utc
from support.net import free_port

from .overlay_scene import CAR, PERSON, TOLERANCE, Scene, SceneRows, Shape, colour_bounds, screenshot_pixels
from .ui import UI, tid

pytestmark = pytest.mark.sqlite_only  # the page, not the database: tests/api checks detections on both

DAY = "2026-01-15"
START = utc(f"{DAY}T12:00:00Z")
DOG_AT = 6.0
# The second segment: the person walks left from the right, the car stands at the left.
PERSON_LATER = Shape("person", "0x00ff00", x=500, y=60, width=80, height=160, speed=-40, confidence=0.91)
CAR_LATER = Shape("car", "0x0000ff", x=60, y=250, width=120, height=60, confidence=0.72)
PX = 1.5  # geometry: CSS pixels a drawn box may be off the expected one (layout rounding)
PIXELS = 3.0  # screenshots: pixels a box may be off the rectangle the browser shows (scaling blur)

# Reads the picture and the drawn boxes at one moment, so both describe the same frame.
READ_OVERLAY = """
const video = document.querySelector('[data-testid=playback-video][data-active=true]');
const overlay = document.querySelector('[data-testid=detection-overlay]');
if (!video || !overlay) return null;
const v = video.getBoundingClientRect();
const rect = (r) => ({x: r.left, y: r.top, width: r.width, height: r.height});
return {
  t: video.currentTime, paused: video.paused, segment: video.dataset.segmentId || null,
  media: {width: video.videoWidth, height: video.videoHeight}, element: rect(v),
  coverage: overlay.dataset.coverage,
  boxes: [...overlay.querySelectorAll('[data-testid=detection-box]')].map((b) => ({
    cls: b.dataset.class, time: b.dataset.time, confidence: Number(b.dataset.confidence),
    rect: rect(b.getBoundingClientRect()), border: getComputedStyle(b).borderTopColor,
    label: b.textContent})),
};
"""


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


def picture_of(state: dict) -> dict:
    """The letterboxed picture inside the video element (object-fit: contain), in page pixels."""
    e, m = state["element"], state["media"]
    scale = min(e["width"] / m["width"], e["height"] / m["height"])
    w, h = m["width"] * scale, m["height"] * scale
    return {"x": e["x"] + (e["width"] - w) / 2, "y": e["y"] + (e["height"] - h) / 2, "width": w, "height": h}


def expected_rect(state: dict, box: dict) -> dict:
    p = picture_of(state)
    return {"x": p["x"] + box["x"] * p["width"], "y": p["y"] + box["y"] * p["height"],
            "width": box["width"] * p["width"], "height": box["height"] * p["height"]}


def off_by(a: dict, b: dict) -> float:
    return max(abs(a[k] - b[k]) for k in ("x", "y", "width", "height"))


def seconds_in(iso: str, scene: Scene) -> float:
    return (utc(iso) - scene.start).total_seconds()


def rgb(css: str) -> tuple[int, ...]:
    """The red, green and blue of a CSS colour as the browser writes it (rgb() or rgba())."""
    return tuple(int(float(v)) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])


def overlay(ui: UI) -> dict:
    return ui.d.execute_script(READ_OVERLAY)


def playing_scene(state: dict, scenes: list[Scene]) -> Scene:
    """The scene whose segment is on screen."""
    assert state and state["segment"], state
    return next(s for s in scenes if s.recording_id.lower() == state["segment"].lower())


def check_boxes(state: dict, scenes: list[Scene], slack: float = 0.0) -> dict[str, dict]:
    """Every drawn box is a detection of the scene on screen, near the picture's instant (each
    class's nearest frame when `slack` is 0), and lies where its box maps into the picture."""
    scene = playing_scene(state, scenes)
    drawn = {}
    for box in state["boxes"]:
        at = seconds_in(box["time"], scene)
        row = scene.row(box["cls"], at)
        assert abs(at - state["t"]) <= TOLERANCE + slack + 1e-6, (box, state["t"])
        assert off_by(box["rect"], expected_rect(state, row["box"])) <= PX, (box, expected_rect(state, row["box"]), state)
        assert box["label"] == f"{row['class']} {round(row['confidence'] * 100)}%", box
        assert box["cls"] not in drawn, f"two frames of {box['cls']} drawn at once: {state['boxes']}"
        drawn[box["cls"]] = box
    if slack == 0.0:
        wanted = {cls: row["at"] for cls, row in scene.nearest(state["t"]).items()}
        assert {cls: seconds_in(b["time"], scene) for cls, b in drawn.items()} == pytest.approx(wanted), (state["t"], state["boxes"])
    return drawn


def pause_at(ui: UI, scene: Scene, seconds: float) -> dict:
    """Pauses (if playing) and puts the picture at `seconds` into the footage, as frame steps
    would, then waits until the overlay has drawn that instant."""
    if not overlay(ui)["paused"]:
        ui.click("play-toggle")
        ui.until(lambda: overlay(ui)["paused"], message="the video pauses")
    ui.d.execute_script("document.querySelector('[data-testid=playback-video][data-active=true]').currentTime = arguments[0]",
                        seconds)
    wanted = {cls: row["at"] for cls, row in scene.nearest(seconds).items()}

    def drawn():
        state = overlay(ui)
        if abs(state["t"] - seconds) > 0.01 or state["coverage"] != "ready":
            return False
        assert playing_scene(state, [scene]) is scene, "paused in another segment"
        shown = {b["cls"]: seconds_in(b["time"], scene) for b in state["boxes"]}
        return state if shown == pytest.approx(wanted) else False

    return ui.until(drawn, message=f"the overlay never showed {wanted} at {seconds} s (last {overlay(ui)})")


def legend_toggle(ui: UI, cls: str):
    return ui.find("marker-legend").find_element(By.CSS_SELECTOR, f'{tid("marker-toggle")}[data-class="{cls}"]')


def check_against_picture(ui: UI, shot, step: str, state: dict, scale: float = 1.0) -> None:
    """With the boxes hidden (the classes switched off in the legend), the green and blue
    rectangles the browser shows lie where the person and car boxes were drawn."""
    drawn = {b["cls"]: b["rect"] for b in state["boxes"]}
    for cls in ("person", "car"):
        legend_toggle(ui, cls).click()
    ui.until(lambda: not overlay(ui)["boxes"] or {b["cls"] for b in overlay(ui)["boxes"]} <= {"dog"},
             message="switching classes off hides their boxes")
    pixels = screenshot_pixels(shot(step))
    for cls, colour in (("person", "green"), ("car", "blue")):
        shown = colour_bounds(pixels, picture_of(state), colour, scale)
        assert shown is not None, f"no {colour} rectangle in the picture"
        assert off_by(shown, drawn[cls]) <= PIXELS, (cls, shown, drawn[cls])
    for cls in ("person", "car"):
        legend_toggle(ui, cls).click()
    ui.until(lambda: {"person", "car"} <= {b["cls"] for b in overlay(ui)["boxes"]}, message="the boxes come back")


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
