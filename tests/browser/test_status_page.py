"""The Status page in a real browser against a server running real camera pipelines.

Three cameras: "Driveway" records from the test camera, "Shed" streams live with recording off,
and "Attic" points at a closed loopback port (an unreachable camera). A person signs in on the
Status page and must see each camera's real state (and Attic's error), the API's health, storage
numbers and recording statistics once the first segments are indexed; the numbers on the page
are checked against GET /api/status.
"""
from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By

from recording.helpers import PIPELINE_ENV, add_camera, wait_for_recordings
from support.net import free_port, refused_port

from .ui import UI, css_string, tid

pytestmark = pytest.mark.sqlite_only  # the page, not the database: tests/api checks its data on both

SEGMENT_WAIT = 60  # 5-second segments; the first is indexed once the second has begun


def _row(ui: UI, name: str):
    return ui.d.find_element(By.CSS_SELECTOR, f'{tid("status-camera-row")}[data-camera-name={css_string(name)}]')


def _row_state(ui: UI, name: str) -> str | None:
    rows = ui.d.find_elements(By.CSS_SELECTOR, f'{tid("status-camera-row")}[data-camera-name={css_string(name)}]')
    return rows[0].get_attribute("data-state") if rows else None


def test_status_page(make_server, test_camera, ui: UI, shot):
    srv = make_server(env=PIPELINE_ENV)
    api = srv.login()
    driveway = add_camera(api, test_camera, "/vtest", name="Driveway")
    add_camera(api, test_camera, "/vtest-noaudio", name="Shed", recording_enabled=False)
    r = api.post("/api/cameras", params={"validate": "false"},
                 json={"name": "Attic", "host": "127.0.0.1", "port": refused_port(), "stream_path": "/gone"})
    assert r.status_code == 201, r.text

    # -- sign in on a deep link, like a person following a bookmark -----------------------------------
    ui.base_url = srv.base_url
    ui.open("/status")
    ui.find("login-page")
    ui.login(srv.admin_username, srv.admin_password)
    ui.find("status-page")
    assert ui.path() == "/status"
    assert ui.find("nav-status").get_attribute("aria-current") == "page"
    ui.find("system-health")
    shot("01-status-starting")

    # -- system health -------------------------------------------------------------------------------
    health = api.get("/api/health").json()
    assert ui.find("health-api").text.strip() == "Healthy"
    assert ui.find("health-version").text.strip() == health["version"]
    assert ui.find("health-database").text.strip() == {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[health["database"]]
    assert re.fullmatch(r"\d+(s|m \d+s|h \d+m|d \d+h)", ui.find("health-uptime").text.strip()), ui.find("health-uptime").text

    # -- camera connectivity: real states, refreshed every 5 s ------------------------------------------
    ui.until(lambda: _row_state(ui, "Driveway") == "recording", 45, "Driveway never showed recording")
    ui.until(lambda: _row_state(ui, "Shed") == "live", 45, "Shed never showed live")
    ui.until(lambda: _row_state(ui, "Attic") in ("reconnecting", "error"), 45, "Attic never showed its failure")
    driveway_row = _row(ui, "Driveway")
    assert driveway_row.find_element(By.CSS_SELECTOR, tid("status-camera-state")).text == "Recording"
    assert _row(ui, "Shed").find_element(By.CSS_SELECTOR, tid("status-camera-state")).text == "Live"
    assert "recording off" in _row(ui, "Shed").text
    ui.until(lambda: _row(ui, "Attic").find_element(By.CSS_SELECTOR, tid("status-camera-error")).text.strip() not in ("", "—"),
             30, "Attic's last error is not shown")
    attic_error = _row(ui, "Attic").find_element(By.CSS_SELECTOR, tid("status-camera-error")).text
    api_attic = next(c for c in api.get("/api/status").json()["cameras"] if c["name"] == "Attic")
    assert api_attic["last_error"] and api_attic["last_error"][:30] in attic_error, (attic_error, api_attic)
    assert re.fullmatch(r"\d+", _row(ui, "Attic").find_element(By.CSS_SELECTOR, tid("status-camera-restarts")).text)
    assert driveway_row.find_element(By.CSS_SELECTOR, tid("status-camera-since")).text.strip()
    counts = {c.get_attribute("data-state"): int(c.get_attribute("data-count"))
              for c in ui.find("state-counts").find_elements(By.CSS_SELECTOR, ".state-count")}
    assert counts.get("recording") == 1 and counts.get("live") == 1, counts

    # -- recording statistics once segments exist (5-second segments) ----------------------------------
    wait_for_recordings(api, driveway["id"], 1, timeout=SEGMENT_WAIT)
    ui.until(lambda: int(ui.find("rec-hour").get_attribute("data-segments")) >= 1, 15,
             "the page never showed the first recorded segment")
    hour = ui.find("rec-hour")
    assert re.match(r"\d+ segments?\n[\d.]+ (B|KB|MB|GB)$", hour.text), hour.text
    assert int(ui.find("rec-day").get_attribute("data-segments")) >= int(hour.get_attribute("data-segments"))
    per_camera = {r.get_attribute("data-camera-name"): r for r in ui.all("rec-camera-row")}
    assert set(per_camera) == {"Driveway", "Shed", "Attic"}
    assert [r.get_attribute("data-camera-name") for r in ui.all("rec-camera-row")] == ["Attic", "Driveway", "Shed"]

    def per_camera_row(name):
        return ui.d.find_element(By.CSS_SELECTOR, f'{tid("rec-camera-row")}[data-camera-name={css_string(name)}]')

    ui.until(lambda: int(per_camera_row("Driveway").get_attribute("data-hour-segments")) >= 1, 15)
    per_camera = {r.get_attribute("data-camera-name"): r for r in ui.all("rec-camera-row")}
    assert per_camera["Shed"].get_attribute("data-hour-segments") == "0", "Shed does not record"
    assert per_camera["Attic"].get_attribute("data-day-segments") == "0"

    # -- storage ------------------------------------------------------------------------------------------
    ui.until(lambda: int(ui.find("storage-recordings-count").get_attribute("data-count")) >= 1, 15)
    shown_bytes = int(ui.find("storage-recordings-bytes").get_attribute("data-bytes"))
    status = api.get("/api/status").json()
    assert 0 < shown_bytes <= status["storage"]["recordings_bytes"], (shown_bytes, status["storage"])
    assert re.fullmatch(r"[\d.]+ (KB|MB|GB)", ui.find("storage-recordings-bytes").text.strip())
    assert re.fullmatch(r"[\d,]+", ui.find("storage-recordings-count").text.strip())
    bar = ui.find("storage-disk-bar")
    used = int(bar.get_attribute("aria-valuenow"))
    total, free = status["storage"]["total_bytes"], status["storage"]["free_bytes"]
    assert abs(used - round((total - free) / total * 100)) <= 1, (used, total, free)
    assert ui.find("storage-free").text.endswith(" free")
    assert ui.find("storage-root").text == status["storage"]["root"]
    assert "refreshes every 5 seconds" in ui.find("status-updated").text
    shot("02-status-recording")

    # -- the same page on a phone-sized screen -----------------------------------------------------------
    ui.viewport(390, 844, mobile=True)
    ui.find("storage-panel")
    shot("03-status-narrow")


def test_viewer_sees_status_and_live_view(server, admin_api, ui: UI, shot, make_user, suffix, camera_cleanup):
    """Viewers get Live View (the landing page) and Status too, read-only: no recording switches."""
    name = f"Gate {suffix}"
    r = admin_api.post("/api/cameras", params={"validate": "false"},
                       json={"name": name, "host": "127.0.0.1", "port": free_port(), "stream_path": "/main",
                             "group": "Outside"})
    assert r.status_code == 201, r.text
    viewer = make_user(role="viewer", prefix="watch")
    ui.open("/")
    ui.login(viewer["username"], viewer["password"])
    ui.find("live-page")
    assert ui.path() == "/live"
    assert ui.nav_labels() == ["Live View", "Playback", "ML", "Setup", "Status"], ui.nav_labels()
    ui.click("layout-4")  # the shared server may hold other tests' cameras too
    cell = ui.live_cell(name)
    # The shared test server runs no pipelines: the camera is stopped, and the cell says so.
    ui.until(lambda: cell.get_attribute("data-playback") == "offline", 15, "the stopped camera is not shown as offline")
    assert "Not streaming" in cell.text
    assert not ui.present("sidebar-recording-toggle") and not ui.present("sidebar-stop-all")
    shot("01-viewer-live")
    ui.click("nav-status")
    ui.find("status-page")
    ui.until(lambda: _row_state(ui, name) == "stopped")
    assert _row(ui, name).find_element(By.CSS_SELECTOR, tid("status-camera-state")).text == "Stopped"
    shot("02-viewer-status")
