"""What live detection sees, in a real browser: a camera that live detection watches (the test
camera's vtest.avi, people walking) gets "person" on its Live View cell while people are in
view, and loses it when the camera stops (its cell goes offline); meanwhile the header's badge counts the events that
happen while the ML page is closed, and opening the page clears it.
"""
from __future__ import annotations

import json

import pytest

from events.helpers import events
from recording.helpers import add_camera

from .events_ui import LIVE_DETECT_ENV
from .ui import UI, tid

pytestmark = pytest.mark.sqlite_only  # live detection and the page, not the database


def indicator(ui: UI, name: str) -> dict | None:
    """The cell's detection indicator: its text and the objects it stands for, or None."""
    cells = ui.live_cell(name).find_elements("css selector", tid("live-detections"))
    if not cells:
        return None
    return {"text": cells[0].text, "objects": json.loads(cells[0].get_attribute("data-objects"))}


def badge(ui: UI) -> int:
    found = ui.all("unseen-badge")
    return int(found[0].get_attribute("data-count")) if found else 0


@pytest.mark.timeout(300)
def test_live_view_says_what_detection_sees_and_the_badge_counts(make_server, test_camera, ui: UI, shot):
    srv = make_server(env=LIVE_DETECT_ENV)
    api = srv.login()
    camera = add_camera(api, test_camera, "/vtest-noaudio", name="Lobby")
    ui.base_url = srv.base_url
    ui.open("/live")
    ui.login(srv.admin_username, srv.admin_password)
    ui.find("live-grid")

    # -- people walk through the picture: the cell says so ---------------------------------------------
    seen = ui.until(lambda: (i := indicator(ui, "Lobby")) and i["objects"].get("person", 0) >= 1 and i, 150,
                    "the Lobby cell never said live detection sees a person")
    assert seen["text"].startswith("person"), seen
    if seen["objects"]["person"] > 1:
        assert f"person ×{seen['objects']['person']}" in seen["text"], seen
    shot("01-person-in-view")

    # -- events happen while the ML page is closed: the badge counts them -------------------------------------
    # (the first visit counts from the moment the user signed in)
    ui.until(lambda: badge(ui) >= 1, 120, "the header never counted a new event")
    counted = badge(ui)
    listed = events(api, camera_id=camera["id"])
    assert 1 <= counted <= len(listed) + 1, (counted, len(listed))  # one more may be written between the two reads
    assert ui.find("nav-ml").text == "ML" and "new event" in ui.find("nav-ml").get_attribute("aria-label")
    shot("02-badge")
    ui.click("nav-ml")
    ui.find("ml-page")
    ui.until(lambda: badge(ui) == 0, message="opening the ML page clears the badge")
    # The Status tab says live detection watches the camera, here, and what it sees.
    ui.click("ml-tab-status")
    live_row = ui.until(lambda: next((r for r in ui.all("live-status-row") if r.get_attribute("data-camera-id").lower() == camera["id"].lower()
                                      and r.get_attribute("data-state") == "watching"), None), 30, "the Status tab never said the camera is watched")
    live = next(c for c in api.get("/api/ml/status").json()["live"] if c["camera_id"].lower() == camera["id"].lower())
    assert live_row.get_attribute("data-worker") == live["worker"] and "Lobby" in live_row.text and "Watching" in live_row.text, live_row.text
    ui.d.execute_script("arguments[0].scrollIntoView()", live_row)
    shot("02b-live-status")
    ui.click("nav-live")
    ui.find("live-grid")

    # -- the camera stops: nothing is in view any more ----------------------------------------------------------
    r = api.patch(f"/api/cameras/{camera['id']}", params={"validate": "false"}, json={"enabled": False})
    assert r.status_code == 200, r.text
    ui.until(lambda: indicator(ui, "Lobby") is None, 60, "the indicator stayed after the camera stopped")
    # (the presence ends at once; the camera list that says it stopped comes with the next poll)
    ui.until(lambda: ui.live_cell("Lobby").get_attribute("data-playback") == "offline", 30, "the stopped camera's cell never went offline")
    shot("03-stopped")
