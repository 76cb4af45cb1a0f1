"""The Setup page in a real browser against the real server and the real RTSP test camera.

A person's path through the page: sign in (after one wrong password), add a camera with a
connection test, toggle its recording, edit it, bulk stop/start, export, import, delete, sign out.
What the UI shows is checked against what the API then reports, so a button that only changes the
screen fails.
"""
from __future__ import annotations

import datetime
import json

import pytest
from selenium.webdriver.common.by import By

from .downloads import finished_download
from .ui import PROBE_WAIT, UI, tid

pytestmark = pytest.mark.sqlite_only  # the page, not the database: tests/api checks its data on both


def _cameras_by_name(admin_api) -> dict[str, dict]:
    r = admin_api.get("/api/cameras")
    assert r.status_code == 200, r.text
    return {c["name"]: c for c in r.json()}


def test_setup_page(server, test_camera, admin_api, browser, ui: UI, shot, suffix, camera_cleanup):
    name = f"Lobby {suffix}"
    other = f"Dock {suffix}"

    # -- sign in like a person, after one wrong password ---------------------------------------
    ui.open("/setup")
    ui.find("login-page")
    assert ui.path().startswith("/login?next="), ui.path()
    shot("01-login")

    ui.login(server.admin_username, "not-the-password", expect_success=False)
    error = ui.find("login-error")
    assert error.text.strip(), "the failed sign-in shows no message"
    assert ui.token() is None
    shot("02-login-failed")

    ui.login(server.admin_username, server.admin_password)
    ui.find("setup-page")
    assert ui.path() == "/setup", "after sign-in the page the user asked for comes back"
    assert ui.token(), "the bearer token is kept in localStorage"
    assert ui.nav_labels() == ["Live View", "Playback", "ML", "Setup", "Status", "Users"], ui.nav_labels()
    assert server.admin_username in ui.find("user-menu-button").text
    shot("03-setup")

    # -- add a camera, test its connection first -------------------------------------------------
    ui.click("add-camera")
    modal = ui.modal()
    assert ui.field("Port", modal).get_attribute("value") == "554", "port defaults to 554"
    ui.fill("Name", name, modal)
    ui.fill("Host", test_camera.host, modal)
    ui.fill("Port", str(test_camera.port), modal)
    ui.fill("Stream path", "/vtest", modal)
    ui.fill("Group", "Lobby cams", modal)
    shot("04-add-camera-filled")

    ui.click("test-connection")
    result = ui.find("probe-result")
    ui.until(lambda: result.get_attribute("data-status") in ("ok", "error"), PROBE_WAIT, "probe never finished")
    assert result.get_attribute("data-status") == "ok", result.text
    assert "h264" in ui.find("probe-video").text.lower()
    assert "768x576" in ui.find("probe-video").text
    assert ui.find("probe-audio").text.strip(), "audio line (codec or 'no audio') is shown"
    assert ui.find("probe-elapsed").text.strip().endswith(("ms", "s"))
    shot("05-connection-tested")

    ui.click("save-camera")
    ui.gone("camera-modal", timeout=PROBE_WAIT)
    row = ui.camera_row(name)
    assert f"{test_camera.host}:{test_camera.port}" in row.find_element(By.CSS_SELECTOR, tid("camera-address")).text
    assert row.find_element(By.CSS_SELECTOR, tid("camera-stream")).text == "/vtest"
    assert row.find_element(By.CSS_SELECTOR, tid("camera-group")).text == "Lobby cams"
    assert ui.recording_of(name) == "on", "new cameras record by default"
    saved = _cameras_by_name(admin_api)[name]
    assert (saved["host"], saved["port"], saved["stream_path"]) == (test_camera.host, test_camera.port, "/vtest")
    assert saved["group"] == "Lobby cams" and saved["recording_enabled"] is True
    shot("06-camera-added")

    # -- per-camera recording toggle ------------------------------------------------------------
    ui.click("recording-toggle", within=ui.camera_row(name))
    ui.wait_recording(name, "off")
    assert _cameras_by_name(admin_api)[name]["recording_enabled"] is False
    shot("07-recording-stopped")
    ui.click("recording-toggle", within=ui.camera_row(name))
    ui.wait_recording(name, "on")
    assert _cameras_by_name(admin_api)[name]["recording_enabled"] is True

    # -- edit: a taken name is refused inline, then a real change saves -------------------------
    r = admin_api.post("/api/cameras", params={"validate": "false"},
                       json={"name": other, "host": "127.0.0.1", "port": 9, "stream_path": "/none",
                             "sort_order": 100})
    assert r.status_code == 201, r.text
    ui.open("/setup")  # a reload shows the camera added behind the page's back
    ui.camera_row(other)

    ui.click("edit-camera", within=ui.camera_row(name))
    modal = ui.modal()
    assert ui.field("Name", modal).get_attribute("value") == name
    assert ui.field("Password", modal).get_attribute("value") == "", "passwords are never shown"
    ui.fill("Name", other.upper(), modal)
    ui.click("save-camera")
    err = ui.find("form-error")
    assert err.text.strip(), "409 shows the server's message"
    assert ui.present("camera-modal"), "the modal stays open on a server refusal"
    shot("08-edit-name-taken")

    ui.fill("Name", name, modal)
    ui.fill("Group", "Entrance", modal)
    ui.fill("Sort order", "5", modal)
    ui.click("save-camera")
    ui.gone("camera-modal", timeout=PROBE_WAIT)
    ui.until(lambda: ui.camera_row(name).find_element(By.CSS_SELECTOR, tid("camera-group")).text == "Entrance")
    edited = _cameras_by_name(admin_api)[name]
    assert edited["group"] == "Entrance" and edited["sort_order"] == 5
    assert edited["host"] == test_camera.host and edited["stream_path"] == "/vtest"
    names = ui.camera_names()
    assert names.index(name) < names.index(other), "rows follow sort_order (5 before 100)"
    shot("09-camera-edited")

    # -- bulk stop / start --------------------------------------------------------------------------
    ui.click("stop-all-recording")
    ui.find("confirm-dialog")
    shot("10-stop-all-confirm")
    ui.click("confirm-button")
    ui.gone("confirm-dialog")
    ui.wait_recording(name, "off")
    ui.wait_recording(other, "off")
    assert all(not c["recording_enabled"] for c in _cameras_by_name(admin_api).values())
    shot("11-all-stopped")

    ui.click("start-all-recording")
    ui.wait_recording(name, "on")
    ui.wait_recording(other, "on")
    assert all(c["recording_enabled"] for c in _cameras_by_name(admin_api).values())
    shot("12-all-started")

    # -- the same page on a phone: rows become cards, every control still reachable -----------------
    ui.viewport(390, 844, mobile=True)
    row = ui.camera_row(name)
    assert row.find_element(By.CSS_SELECTOR, tid("edit-camera")).is_displayed()
    assert row.find_element(By.CSS_SELECTOR, tid("recording-toggle")).is_enabled()
    assert ui.d.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"), \
        "no sideways scrolling on a phone"
    shot("12b-phone")
    ui.viewport(1400, 900)

    # -- export (plain, then with a passphrase) -------------------------------------------------------
    ui.click("export-cameras")
    ui.find("export-dialog")
    shot("13-export")
    ui.click("export-download")
    ui.gone("export-dialog")
    today = datetime.date.today().isoformat()
    exported = finished_download(browser.download_dir, f"ronin-cameras-{today}", ".json", timeout=20)
    doc = json.loads(exported.read_text())
    assert doc["format"] == "ronin-cameras" and doc["credentials"] == "none"
    exported_names = [c["name"] for c in doc["cameras"]]
    assert name in exported_names and other in exported_names
    exported.rename(exported.with_name("plain-export.txt"))  # make room for the next download

    ui.click("export-cameras")
    ui.fill("Passphrase (optional)", "correct horse battery", ui.find("export-dialog"))
    ui.click("export-download")
    ui.gone("export-dialog")
    encrypted = finished_download(browser.download_dir, f"ronin-cameras-{today}", ".json", timeout=20)
    assert json.loads(encrypted.read_text())["credentials"] == "encrypted"

    # -- import: existing names are skipped, a renamed copy is created ----------------------------------
    copy_name = f"Lobby copy {suffix}"
    doc["cameras"] = [c for c in doc["cameras"] if c["name"] in (name, other)]
    doc["cameras"].append({**doc["cameras"][0], "name": copy_name})
    import_file = browser.download_dir / "to-import.json"
    import_file.write_text(json.dumps(doc))
    ui.click("import-cameras")
    dialog = ui.find("import-dialog")
    dialog.find_element(By.CSS_SELECTOR, tid("import-file")).send_keys(str(import_file))
    ui.until(lambda: "3 cameras" in dialog.text, message="the chosen file is summarised")
    shot("14-import-chosen")
    ui.click("import-submit")
    ui.find("import-report")
    assert "1 created, 2 skipped, 0 refused" in ui.find("import-summary").text
    assert copy_name in ui.find("import-created").text
    skipped = ui.find("import-skipped").text
    assert name in skipped and other in skipped
    shot("15-import-report")
    ui.click("import-done")
    ui.camera_row(copy_name)
    assert copy_name in _cameras_by_name(admin_api)

    # -- delete with a confirmation that names the camera --------------------------------------------------
    ui.click("delete-camera", within=ui.camera_row(name))
    ui.find("confirm-dialog")
    assert ui.find("confirm-camera-name").text == name
    shot("16-delete-confirm")
    ui.click("confirm-button")
    ui.gone("confirm-dialog")
    ui.camera_row_gone(name)
    assert name not in _cameras_by_name(admin_api)
    shot("17-camera-deleted")

    # -- sign out ---------------------------------------------------------------------------------------
    ui.sign_out()
    assert ui.token() is None
    shot("18-signed-out")
    ui.open("/setup")
    ui.find("login-page")


def test_camera_form_errors(server, test_camera, admin_api, ui: UI, shot, suffix, camera_cleanup):
    """A failed probe shows the server's reason; Save refuses inline; 'without checking' saves."""
    name = f"Broken {suffix}"
    ui.open("/setup")
    ui.login(server.admin_username, server.admin_password)
    ui.click("add-camera")
    modal = ui.modal()

    ui.click("save-camera")
    assert "Give the camera a name" in ui.find("camera-modal").text, "client-side checks run first"

    ui.fill("Name", name, modal)
    ui.fill("Host", test_camera.host, modal)
    ui.fill("Port", str(test_camera.port), modal)
    ui.fill("Stream path", "/no-such-mount", modal)
    ui.click("test-connection")
    result = ui.find("probe-result")
    ui.until(lambda: result.get_attribute("data-status") in ("ok", "error"), PROBE_WAIT, "probe never finished")
    assert result.get_attribute("data-status") == "error"
    assert ui.find("probe-message").text.strip()
    shot("01-probe-failed")

    ui.click("save-camera")
    err = ui.find("form-error", timeout=PROBE_WAIT)
    assert err.text.strip()
    assert ui.present("camera-modal")
    assert name not in _cameras_by_name(admin_api), "a refused save stores nothing"
    shot("02-save-refused")

    ui.set_checkbox("Save without checking the stream", True, modal)
    ui.click("save-camera")
    ui.gone("camera-modal")
    ui.camera_row(name)
    saved = _cameras_by_name(admin_api)[name]
    assert saved["stream_path"] == "/no-such-mount"
    shot("03-saved-unchecked")

    # Edit with a stored password: blank keeps it, the checkbox removes it.
    r = admin_api.patch(f"/api/cameras/{saved['id']}", params={"validate": "false"},
                        json={"username": "cam", "password": "cam-secret"})
    assert r.status_code == 200 and r.json()["has_password"] is True, r.text
    ui.open("/setup")
    ui.click("edit-camera", within=ui.camera_row(name))
    modal = ui.modal()
    ui.fill("Group", "Keep password", modal)
    ui.click("save-camera")
    ui.gone("camera-modal")
    assert _cameras_by_name(admin_api)[name]["has_password"] is True, "blank password keeps the stored one"

    ui.click("edit-camera", within=ui.camera_row(name))
    modal = ui.modal()
    ui.set_checkbox("Remove the stored password", True, modal)
    ui.set_checkbox("Save without checking the stream", True, modal)
    shot("04-remove-password")
    ui.click("save-camera")
    ui.gone("camera-modal")
    assert _cameras_by_name(admin_api)[name]["has_password"] is False, "the checkbox removes the password"


def test_connection_test_on_edit_uses_stored_password(server, authed_camera, admin_api, ui: UI, shot,
                                                      suffix, camera_cleanup):
    """Editing a camera with RTSP credentials: 'Test connection' with the password field blank
    uses the stored password (camera_id); a wrong typed password fails without being echoed."""
    name = f"Gate {suffix}"
    r = admin_api.post("/api/cameras", json={
        "name": name, "host": authed_camera.host, "port": authed_camera.port, "stream_path": "/vtest",
        "username": authed_camera.username, "password": authed_camera.password})
    assert r.status_code == 201, r.text

    ui.open("/setup")
    ui.login(server.admin_username, server.admin_password)
    ui.click("edit-camera", within=ui.camera_row(name))
    modal = ui.modal()
    assert ui.field("Password", modal).get_attribute("value") == ""
    assert "keep the stored password" in modal.text
    ui.click("test-connection")
    result = ui.find("probe-result")
    ui.until(lambda: result.get_attribute("data-status") in ("ok", "error"), PROBE_WAIT, "probe never finished")
    assert result.get_attribute("data-status") == "ok", result.text
    assert "768x576" in ui.find("probe-video").text
    shot("01-stored-password-ok")

    wrong = "wrong-rtsp-pass-42"
    ui.fill("Password", wrong, modal)
    assert "Settings changed since this test" in ui.find("probe-result").text, "an old result is marked stale"
    ui.click("test-connection")
    ui.until(lambda: ui.find("probe-result").get_attribute("data-status") == "error", PROBE_WAIT,
             "a wrong password must fail the test")
    message = ui.find("probe-message").text
    assert message.strip() and wrong not in message
    shot("02-wrong-password")
    ui.button("Cancel", modal).click()
    ui.gone("camera-modal")
    assert _cameras_by_name(admin_api)[name]["has_password"] is True, "cancel changes nothing"
