"""The offline export's index.html in a real browser, opened straight from the export folder
(file://, no server): the camera list, a video per file that plays (its time advances), and the
events with their snapshots; an event's Play button seeks its camera's video to the event."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from support.exports import adopt_cameras, add_event, iso, wait_for_export, wait_for_footage

from .ui import UI, tid

pytestmark = pytest.mark.sqlite_only  # a static page read from disk: the database plays no part


def video_states(driver) -> list[dict]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('[data-testid=export-video]')).map(v => ({t: v.currentTime, paused: v.paused,"
        " duration: v.duration, error: v.error && v.error.code, src: v.currentSrc, camera: v.dataset.cameraId}));")


@pytest.mark.timeout(300)
def test_the_exported_page_plays_the_footage_and_shows_the_events_offline(make_server, tmp_path, browser, shot):
    stick = tmp_path / "usb"
    stick.mkdir()
    server = make_server(env={"RONIN_RUN_PIPELINES": "true", "EXPORT_ROOTS": str(stick)})
    base = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(seconds=5)
    cameras = adopt_cameras(server, {"Front Door": [(base - dt.timedelta(seconds=8), 8), (base, 8)], "Back Yard": [(base, 8)]})
    api = server.login()
    start, end = base - dt.timedelta(seconds=20), base + dt.timedelta(seconds=2)
    wait_for_footage(api, cameras["Front Door"]["id"], 2, start, end)
    wait_for_footage(api, cameras["Back Yard"]["id"], 1, start, end)
    add_event(server, cameras["Front Door"], base - dt.timedelta(seconds=6), with_snapshot=True)
    add_event(server, cameras["Back Yard"], base - dt.timedelta(seconds=4), with_snapshot=True, class_name="car")
    add_event(server, cameras["Back Yard"], base - dt.timedelta(seconds=2), with_snapshot=False, kind="departure")
    r = api.post("/api/exports", json={"camera_ids": [cameras["Front Door"]["id"], cameras["Back Yard"]["id"]], "start": iso(start),
                                       "end": iso(end), "destination": str(stick), "tz": "Europe/Berlin"})
    assert r.status_code == 202, r.text
    done = wait_for_export(api, r.json()["id"], {"succeeded", "parked", "cancelled"})
    assert done["state"] == "succeeded", done
    # The server is not needed to watch the export.
    server.stop()

    page = Path(done["folder"]) / "index.html"
    ui = UI(browser, "")
    browser.get(page.as_uri())
    assert [s.get_attribute("data-camera-name") for s in ui.all("export-camera")] == ["Front Door", "Back Yard"]
    names = [a.text for a in ui.find("export-cameras").find_elements(By.CSS_SELECTOR, "a")]
    assert names == ["Front Door", "Back Yard", "Events"], names
    assert len(ui.all("export-video")) == 2, video_states(browser)

    # Each video loads from the folder; the first plays and its time advances.
    ui.until(lambda: all(v["duration"] and v["duration"] > 5 for v in video_states(browser)), timeout=30,
             message=f"the videos never loaded: {video_states(browser)}")
    assert all(v["src"].startswith("file://") and v["error"] is None for v in video_states(browser))
    browser.execute_script("const v = document.querySelector('[data-testid=export-video]'); v.muted = true; v.play();")
    first: dict = {}

    def advanced():
        state = video_states(browser)[0]
        if state["paused"] or state["t"] <= 0:
            return False
        begun = first.setdefault("t", state["t"])
        return state["t"] - begun >= 1.5

    ui.until(advanced, timeout=30, message=f"the first video never played: {video_states(browser)}")

    # The events, newest last, with their snapshots loaded from the folder.
    events = ui.all("export-event")
    assert len(events) == 3
    snapshots = ui.all("event-snapshot")
    assert len(snapshots) == 2
    ui.until(lambda: all(browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img) == 768
                         for img in snapshots), timeout=15, message="the snapshots never loaded")
    assert "car" in events[1].text and "Back Yard" in events[1].text
    assert "no snapshot" in events[2].text and "departure" in events[2].text
    browser.execute_script("window.scrollTo(0, 0);")
    shot("01-cameras-and-videos")

    # Play on the Back Yard car seeks the Back Yard video to it and plays it.
    browser.execute_script("document.querySelector('[data-testid=export-video]').pause();")
    events[1].find_element(By.CSS_SELECTOR, "button").click()
    ui.until(lambda: not video_states(browser)[1]["paused"] and video_states(browser)[1]["t"] > 1, timeout=20,
             message=f"the Back Yard video was not sought to the event: {video_states(browser)}")
    assert browser.find_elements(By.CSS_SELECTOR, tid("export-video"))[1].get_attribute("data-camera-id") == cameras["Back Yard"]["id"].lower()
    browser.execute_script("document.querySelectorAll('video').forEach(v => v.pause());"
                           "document.getElementById('events').scrollIntoView();")
    shot("02-events-with-snapshots")
