"""What the Playback page's detection overlay shows, read from a real browser and checked against
the footage: each drawn box is a detection of the scene on screen, near the picture's instant,
where its box maps into the picture the browser shows (letterboxed, pillarboxed, zoomed and
panned; cut to the stage), and the coloured rectangles in a screenshot lie where the boxes were
drawn. Shared by the overlay tests (test_playback_overlay.py); the scenes are overlay_scene.py's.
"""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from recording.helpers import utc

from .overlay_scene import TOLERANCE, Scene, colour_bounds, screenshot_pixels
from .ui import UI, tid

PX = 1.5  # geometry: CSS pixels a drawn box may be off the expected one (layout rounding)
PIXELS = 3.0  # screenshots: pixels a box may be off the rectangle the browser shows (scaling blur)

# Reads the picture and the drawn boxes at one moment, so both describe the same frame.
READ_OVERLAY = """
const video = document.querySelector('[data-testid=playback-video][data-active=true]');
const overlay = document.querySelector('[data-testid=detection-overlay]');
const stage = document.querySelector('[data-testid=playback-stage]');
if (!video || !overlay || !stage) return null;
const v = video.getBoundingClientRect();
const rect = (r) => ({x: r.left, y: r.top, width: r.width, height: r.height});
return {
  t: video.currentTime, paused: video.paused, segment: video.dataset.segmentId || null,
  media: {width: video.videoWidth, height: video.videoHeight}, element: rect(v),
  stage: rect(overlay.getBoundingClientRect()), zoom: Number(stage.dataset.zoom),
  coverage: overlay.dataset.coverage,
  boxes: [...overlay.querySelectorAll('[data-testid=detection-box]')].map((b) => ({
    cls: b.dataset.class, time: b.dataset.time, confidence: Number(b.dataset.confidence),
    rect: rect(b.getBoundingClientRect()), border: getComputedStyle(b).borderTopColor,
    label: b.textContent})),
};
"""


def picture_of(state: dict) -> dict:
    """The letterboxed picture inside the video element (object-fit: contain), in page pixels; the
    element's box is the browser's own, so a zoomed video gives the zoomed picture."""
    e, m = state["element"], state["media"]
    scale = min(e["width"] / m["width"], e["height"] / m["height"])
    w, h = m["width"] * scale, m["height"] * scale
    return {"x": e["x"] + (e["width"] - w) / 2, "y": e["y"] + (e["height"] - h) / 2, "width": w, "height": h}


def expected_rect(state: dict, box: dict) -> dict:
    p = picture_of(state)
    return {"x": p["x"] + box["x"] * p["width"], "y": p["y"] + box["y"] * p["height"],
            "width": box["width"] * p["width"], "height": box["height"] * p["height"]}


def clip(rect: dict, bounds: dict) -> dict | None:
    """The part of `rect` inside `bounds`, or None when nothing of it is."""
    x0, y0 = max(rect["x"], bounds["x"]), max(rect["y"], bounds["y"])
    x1 = min(rect["x"] + rect["width"], bounds["x"] + bounds["width"])
    y1 = min(rect["y"] + rect["height"], bounds["y"] + bounds["height"])
    return {"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0} if x1 > x0 and y1 > y0 else None


def on_screen(state: dict, box: dict) -> dict | None:
    """Where a detection box shows: mapped into the (zoomed) picture, cut to the stage."""
    return clip(expected_rect(state, box), state["stage"])


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
        expected = on_screen(state, row["box"])
        assert expected is not None, f"a box drawn off the picture: {box}"
        assert off_by(box["rect"], expected) <= PX, (box, expected, state)
        assert box["label"] == f"{row['class']} {round(row['confidence'] * 100)}%", box
        assert box["cls"] not in drawn, f"two frames of {box['cls']} drawn at once: {state['boxes']}"
        drawn[box["cls"]] = box
    if slack == 0.0:
        wanted = {cls: row["at"] for cls, row in scene.nearest(state["t"]).items() if on_screen(state, row["box"])}
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
        # zoomed in, a box off screen is not drawn
        showing = {cls: at for cls, at in wanted.items() if on_screen(state, scene.row(cls, at)["box"])}
        return state if shown == pytest.approx(showing) else False

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
    visible = clip(picture_of(state), state["stage"])  # zoomed in, the stage shows a part of the picture
    for cls, colour in (("person", "green"), ("car", "blue")):
        shown = colour_bounds(pixels, visible, colour, scale)
        assert shown is not None, f"no {colour} rectangle in the picture"
        assert off_by(shown, drawn[cls]) <= PIXELS, (cls, shown, drawn[cls])
    for cls in ("person", "car"):
        legend_toggle(ui, cls).click()
    ui.until(lambda: {"person", "car"} <= {b["cls"] for b in overlay(ui)["boxes"]}, message="the boxes come back")
