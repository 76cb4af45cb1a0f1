"""The Playback page in a real browser against a server that records the real test camera.

"Driveway" records /vtest in 8-second segments; "Garage" is a camera that records nothing. The
browser runs in Europe/Berlin (CDP time-zone override), so the page's days and ruler are local
while the API speaks UTC. A person signs in, opens Playback from the navigation, picks cameras,
sees today marked in the calendar and the footage on the ruler, zooms with the wheel, clicks
into the first segment (the <video> lands near the clicked instant and plays), plays across a
segment boundary into the next segment, zooms with buttons and keys, selects a range and
downloads it as an MP4 (checked with ffprobe), and drives play/pause from the keyboard. The
view survives a reload.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import time
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By

from recording.helpers import PIPELINE_ENV, add_camera, utc, wait_for_recordings
from support.db import DirectDatabase

from .downloads import finished_download
from .ui import UI, tid

pytestmark = pytest.mark.sqlite_only  # the page, not the database: tests/api checks its data on both

TZ = "Europe/Berlin"
SEGMENT_SECONDS = 8
RECORD_WAIT = 120  # pipeline start + three finished 8 s segments on a busy 2-core machine


@pytest.fixture
def playback_server(make_server):
    return make_server(env={**PIPELINE_ENV, "RECORDING_SEGMENT_SECONDS": str(SEGMENT_SECONDS)})


@pytest.fixture
def recorded(playback_server, test_camera):
    api = playback_server.login()
    garage = add_camera(api, test_camera, "/vtest", name="Garage", sort_order=0, recording_enabled=False)
    driveway = add_camera(api, test_camera, "/vtest", name="Driveway", sort_order=1)
    rows = wait_for_recordings(api, driveway["id"], 3, RECORD_WAIT)
    return api, garage, driveway, rows


def ms(text: str) -> float:
    return utc(text).timestamp() * 1000


def ffprobe(path: Path) -> dict:
    r = subprocess.run(["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
                       capture_output=True, text=True, timeout=60, check=True)
    return json.loads(r.stdout)


def test_playback_page(playback_server, recorded, ui: UI, browser, shot):
    api, garage, driveway, rows = recorded
    first, second = rows[0], rows[1]
    browser.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": TZ})
    today = dt.datetime.now(ZoneInfo(TZ)).date().isoformat()

    # -- sign in like a person and open Playback from the navigation --------------------------------
    ui.base_url = playback_server.base_url
    ui.open("/")
    ui.login(playback_server.admin_username, playback_server.admin_password)
    assert ui.nav_labels() == ["Live View", "Playback", "ML", "Setup", "Status", "Users"], ui.nav_labels()
    ui.click("nav-playback")
    page = ui.find("playback-page")
    assert page.get_attribute("data-tz") == TZ
    assert page.get_attribute("data-date") == today
    assert ui.find("nav-playback").get_attribute("aria-current") == "page"

    # the first camera (Garage, no footage) is chosen by default: a calm, empty day
    ui.until(lambda: ui.find("playback-idle").text == "No footage on this day.", message="empty day for Garage")
    assert ui.find("markers-empty").text == "None for this day."
    shot("01-garage-no-footage")

    # -- pick the cameras: both, then Driveway alone --------------------------------------------------
    def picker(name: str):
        return ui.find("camera-picker").find_element(By.CSS_SELECTOR, f'{tid("picker-camera")}[data-camera-name="{name}"]')

    picker("Driveway").find_element(By.TAG_NAME, "label").click()
    ui.until(lambda: len(ui.all("ruler-lane")) == 2, message="one ruler lane per chosen camera")
    assert [lane.get_attribute("data-camera-id") for lane in ui.all("ruler-lane")] == [garage["id"], driveway["id"]]
    assert ui.find("download-clip").text == "Download clips (ZIP)"
    shot("02-two-cameras")
    picker("Garage").find_element(By.TAG_NAME, "label").click()
    ui.until(lambda: len(ui.all("ruler-lane")) == 1, message="Garage left the ruler")
    assert picker("Driveway").get_attribute("data-selected") == "true"
    assert picker("Garage").get_attribute("data-selected") == "false"

    # -- today is marked in the calendar; the ruler shows the footage ---------------------------------
    today_cell = ui.find("calendar").find_element(By.CSS_SELECTOR, f'{tid("calendar-day")}[data-date="{today}"]')
    ui.until(lambda: today_cell.get_attribute("data-footage") == "true", message="today has footage")
    assert today_cell.get_attribute("aria-pressed") == "true"
    ui.until(lambda: len(ui.all("ruler-range")) >= 1, message="footage ranges on the ruler")
    ranges = [(ms(r.get_attribute("data-start")), ms(r.get_attribute("data-end"))) for r in ui.all("ruler-range")]
    assert any(start <= ms(first["start"]) + 1000 and end >= ms(second["end"]) - 1000 for start, end in ranges), \
        (ranges, first, second)
    view_start, view_span = ui.ruler_view()
    assert 23 * 3600_000 <= view_span <= 25 * 3600_000, "the whole local day"
    shot("03-driveway-day")

    # the calendar pages back a month (no footage there) and forward again
    this_month = ui.find("calendar").get_attribute("data-month")
    assert not ui.find("calendar-next").is_enabled(), "no months in the future"
    ui.click("calendar-prev")
    ui.until(lambda: ui.find("calendar").get_attribute("data-month") != this_month, message="previous month")
    ui.until(lambda: ui.find("calendar").get_attribute("aria-busy") == "false", message="days loaded")
    assert not [d for d in ui.all("calendar-day") if d.get_attribute("data-footage") == "true"], \
        "no footage marked in a month before the camera existed"
    ui.click("calendar-next")
    ui.until(lambda: ui.find("calendar").get_attribute("data-month") == this_month, message="back to this month")

    # -- the wheel zooms in around the footage -----------------------------------------------------------
    anchor = ms(first["start"]) + 4000
    for _ in range(10):
        before = ui.ruler_view()[1]
        ui.wheel_ruler(anchor, -120)
        ui.until(lambda: ui.ruler_view()[1] < before or before <= 120_000, message="the wheel zooms in")
    view_start, view_span = ui.ruler_view()
    assert view_span == 120_000, "zoomed all the way: two minutes across the ruler"
    assert view_start <= anchor <= view_start + view_span
    assert "span=120" in ui.path(), ui.path()
    shot("04-zoomed-in")

    # -- click inside the first segment: the video lands there and plays ---------------------------------
    target = ms(first["start"]) + 3000
    clicked = time.monotonic()
    ui.click_ruler(driveway["id"], target)
    ui.until(lambda: (s := ui.playback_video()) and s["segment"] == first["id"] and not s["paused"] and s["t"] > 0,
             30, "the first segment never started playing")
    state = ui.playback_video()
    # it started 3 s in (the click is precise to a fraction of a second) and has played since
    assert 2.5 <= state["t"] <= 3.5 + (time.monotonic() - clicked), state
    assert state["src"].endswith(f"/api/recordings/{first['id']}/file"), state
    t0 = state["t"]
    ui.until(lambda: ui.playback_video()["t"] > t0 + 1.0, 20, "the video does not advance")
    meta = ui.find("clip-meta")
    assert meta.get_attribute("data-recording-id") == first["id"]
    assert "h264" in ui.find("clip-codec").text
    assert ui.find("clip-resolution").text == "768×576"
    assert ui.all("ruler-cursor"), "the cursor shows the playback instant"
    shot("05-playing-first-segment")

    # -- near the end of a segment, playback continues into the next one ---------------------------------
    ui.click_ruler(driveway["id"], ms(first["end"]) - 1500)
    ui.until(lambda: ui.playback_video()["segment"] == second["id"], 30,
             f"playback never moved on to the next segment (last {ui.playback_video()})")
    ui.until(lambda: (ui.playback_video()["instant"] or 0) > ms(first["end"]) + 1000, 20,
             "the instant does not advance past the boundary")
    assert not ui.playback_video()["paused"]
    assert ui.find("clip-meta").get_attribute("data-recording-id") == second["id"]
    shot("06-continued-into-next-segment")

    # the left arrow steps back 10 s, into the first segment again (at its start if it is shorter)
    before = ui.playback_video()["instant"]
    expected = max(before - 10_000, ms(first["start"]))
    ui.d.find_element(By.TAG_NAME, "body").send_keys("\ue012")  # ArrowLeft
    ui.until(lambda: ui.playback_video()["segment"] == first["id"]
             and expected - 1000 <= ui.playback_video()["instant"] <= expected + 3000,
             message=f"left arrow did not step back 10 s (last {ui.playback_video()}, expected {expected})")
    ui.until(lambda: not ui.playback_video()["paused"], message="and keeps playing")

    # -- zoom out and in with the buttons and the keys ----------------------------------------------------
    ui.click("ruler-zoom-out")
    ui.until(lambda: ui.ruler_view()[1] == 240_000, message="zoom out doubles the window")
    ui.d.find_element(By.TAG_NAME, "body").send_keys("-")
    ui.until(lambda: ui.ruler_view()[1] == 480_000, message="the minus key zooms out")
    shot("07-zoomed-out")
    ui.click("ruler-zoom-in")
    ui.until(lambda: ui.ruler_view()[1] == 240_000, message="zoom in halves the window")
    ui.d.find_element(By.TAG_NAME, "body").send_keys("+")
    ui.until(lambda: ui.ruler_view()[1] == 120_000, message="the plus key zooms in")

    # -- keyboard play/pause ---------------------------------------------------------------------------------
    body = ui.d.find_element(By.TAG_NAME, "body")
    body.send_keys(" ")
    ui.until(lambda: ui.playback_video()["paused"], message="space pauses")
    paused_at = ui.playback_video()["t"]
    time.sleep(1.0)  # time passes on purpose: a paused video must not move meanwhile
    assert ui.playback_video()["t"] == paused_at, "paused video stands still"
    assert ui.find("play-toggle").get_attribute("aria-label") == "Play"
    body.send_keys(",")
    ui.until(lambda: ui.playback_video()["t"] < paused_at, message="comma steps one frame back")
    shot("08-paused")
    body.send_keys(" ")
    ui.until(lambda: not ui.playback_video()["paused"], message="space plays again")
    ui.until(lambda: ui.playback_video()["t"] > paused_at + 0.5, message="and the video advances")

    # -- mark in / out at the cursor, then shift+drag a range and download it -----------------------------
    ui.click("mark-in")
    ui.find("selection-label")
    ui.click("mark-out")
    assert ui.find("ruler-selection")
    ui.click("selection-clear")
    ui.gone("ruler-selection")
    clip_start, clip_end = ms(first["start"]) + 2000, ms(second["start"]) + 5000
    ui.drag_ruler(driveway["id"], clip_start, clip_end)
    ui.find("ruler-selection")
    label = ui.find("selection-label").text
    assert "(" in label and "s)" in label, label
    shot("09-range-selected")
    ui.click("download-clip")
    clip = finished_download(browser.download_dir, suffix=".mp4")
    assert clip.name.startswith("Driveway_"), clip.name
    probe = ffprobe(clip)
    assert "mp4" in probe["format"]["format_name"], probe["format"]
    assert any(s["codec_type"] == "video" and s["codec_name"] == "h264" for s in probe["streams"]), probe["streams"]
    wanted = (clip_end - clip_start) / 1000
    duration = float(probe["format"]["duration"])
    assert wanted - 1.0 <= duration <= wanted + 4.0, (duration, wanted)
    shot("10-clip-downloaded")

    # -- the view survives a reload -----------------------------------------------------------------------------
    ui.d.refresh()
    ui.find("playback-page")
    ui.until(lambda: len(ui.all("ruler-lane")) == 1, message="the ruler is back")
    assert ui.all("ruler-lane")[0].get_attribute("data-camera-id") == driveway["id"]
    assert ui.ruler_view()[1] == 120_000, "the zoom survives a reload"
    assert picker("Driveway").get_attribute("data-selected") == "true"
    stored = ui.d.execute_script("return JSON.parse(localStorage.getItem('ronin.playback'))")
    assert stored == {"cameras": [driveway["id"]], "span": 120}, stored
    shot("11-after-reload")

    # -- several cameras download as one ZIP; a camera without footage is left out ------------------------
    picker("Garage").find_element(By.TAG_NAME, "label").click()
    ui.until(lambda: len(ui.all("ruler-lane")) == 2, message="both cameras on the ruler")
    ui.drag_ruler(driveway["id"], clip_start, clip_end)
    ui.find("ruler-selection")
    ui.click("download-clip")
    archive = finished_download(browser.download_dir, suffix=".zip")
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
    assert len(names) == 1 and names[0].startswith("Driveway_") and names[0].endswith(".mp4"), names
    shot("12-zip-downloaded")


def _tick_left(ui: UI, label: str) -> float:
    """Where the ruler tick labelled `label` sits, as a fraction of the ruler's width."""
    for tick in ui.all("ruler-tick"):
        if tick.text == label:
            style = tick.get_attribute("style")
            return float(style.split("left:")[1].split("%")[0]) / 100
    raise AssertionError(f"no tick {label!r} in {[t.text for t in ui.all('ruler-tick')]}")


def test_playback_dst_days_for_a_viewer(server, admin_api, test_camera, make_user, camera_cleanup, suffix,
                                        ui: UI, browser, shot):
    """A viewer follows a link to a spring-forward and a fall-back day in New York: the ruler holds
    23 and 25 local hours, labelled as the viewer's clock ran, with the footage and detection
    markers (filterable by class) where they happened; a day without footage says so calmly."""
    camera = add_camera(admin_api, test_camera, "/vtest", name=f"Porch {suffix}", enabled=False)
    # Footage across the spring-forward jump (01:00 EST to 04:00 EDT) and a few detections in it.
    db = DirectDatabase(server)
    db.add_recordings(camera["id"], [(utc("2026-03-08T06:00:00Z"), utc("2026-03-08T07:00:00Z")),
                                     (utc("2026-03-08T07:00:00Z"), utc("2026-03-08T08:00:00Z"))])
    db.add_detections(camera["id"], [(utc("2026-03-08T06:10:05Z"), "person"), (utc("2026-03-08T06:10:40Z"), "person"),
                                     (utc("2026-03-08T07:30:00Z"), "person"), (utc("2026-03-08T07:45:00Z"), "car")])
    viewer = make_user("viewer")
    browser.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "America/New_York"})
    ui.open("/")
    ui.login(viewer["username"], viewer["password"])
    assert ui.nav_labels() == ["Live View", "Playback", "ML", "Setup", "Status"], ui.nav_labels()

    ui.open(f"/playback?cameras={camera['id']}&date=2026-03-08")
    ui.find("playback-page")
    ui.until(lambda: "23 hours" in ui.find("playback-date").text, message="the short day says so")
    assert ui.find("playback-page").get_attribute("data-date") == "2026-03-08"
    assert ui.ruler_view()[1] == 23 * 3600_000
    assert ui.find("calendar").get_attribute("data-month") == "2026-03"
    # 03:00 comes two hours after midnight on this day (02:00 never happened)
    assert abs(_tick_left(ui, "03:00") - 2 / 23) < 0.002, _tick_left(ui, "03:00")
    assert "02:00" not in [t.text for t in ui.all("ruler-tick")]
    # the footage runs from local 01:00 (an hour in) to 04:00 (three hours in: two hours later)
    ui.until(lambda: len(ui.all("ruler-range")) == 1, message="one consolidated range")
    footage = ui.all("ruler-range")[0]
    assert (ms(footage.get_attribute("data-start")), ms(footage.get_attribute("data-end"))) == \
        (ms("2026-03-08T06:00:00Z"), ms("2026-03-08T08:00:00Z"))
    march8 = ui.find("calendar").find_element(By.CSS_SELECTOR, f'{tid("calendar-day")}[data-date="2026-03-08"]')
    ui.until(lambda: march8.get_attribute("data-footage") == "true", message="the day is marked")
    # detection markers by class, with a legend, counts and per-class toggles
    ui.until(lambda: len(ui.all("ruler-marker")) == 3, message="three one-minute buckets with detections")
    toggles = {t.get_attribute("data-class"): t for t in ui.all("marker-toggle")}
    assert list(toggles) == ["person", "car"], list(toggles)
    assert toggles["person"].text.split() == ["person", "3"] and toggles["car"].text.split() == ["car", "1"]
    counts = [li.text.split() for li in ui.find("class-counts").find_elements(By.TAG_NAME, "li")]
    assert counts == [["person", "3"], ["car", "1"]], counts
    assert ui.find("day-recorded").text == "2h 0m"
    shot("01-spring-forward-23-hours")
    toggles["person"].click()
    ui.until(lambda: len(ui.all("ruler-marker")) == 1, message="hiding people leaves the car's marker")
    assert toggles["person"].get_attribute("aria-pressed") == "false"
    shot("02-people-hidden")
    toggles["person"].click()
    ui.until(lambda: len(ui.all("ruler-marker")) == 3)
    # on a phone the columns stack: the picture and the ruler first, then the calendar and cameras
    ui.viewport(390, 844, mobile=True)
    assert ui.find("playback-stage").location["y"] < ui.find("timeline-ruler").location["y"] < ui.find("calendar").location["y"]
    shot("03-phone")
    ui.viewport(1400, 900)

    ui.open(f"/playback?cameras={camera['id']}&date=2026-11-01")
    ui.until(lambda: "25 hours" in ui.find("playback-date").text, message="the long day says so")
    assert ui.ruler_view()[1] == 25 * 3600_000
    # 03:00 comes four hours after midnight (01:00 happened twice)
    assert abs(_tick_left(ui, "03:00") - 4 / 25) < 0.002, _tick_left(ui, "03:00")
    ui.until(lambda: ui.find("playback-idle").text == "No footage on this day.")
    assert ui.find("markers-empty").text == "None for this day."
    shot("04-fall-back-25-hours")

    # a date that does not exist falls back to today, and the calendar's next day is disabled
    ui.open(f"/playback?cameras={camera['id']}&date=2026-02-30")
    today = dt.datetime.now(ZoneInfo("America/New_York")).date().isoformat()
    ui.until(lambda: ui.find("playback-page").get_attribute("data-date") == today)
    assert not ui.find("day-next").is_enabled()
    selected = [d.get_attribute("data-date") for d in ui.all("calendar-day") if d.get_attribute("aria-pressed") == "true"]
    assert selected == [today], selected
