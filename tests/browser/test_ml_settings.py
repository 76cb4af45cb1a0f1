"""The ML page's detection settings in a real browser: an admin changes the settings for all
cameras (frames per second, cooldown, motion sensitivity as a share of the picture, default
confidence, the classes to detect, a per-class threshold), saves, and a reload shows them as the
server keeps them; a value the server refuses shows its message on the form and on the field it
names, and nothing is saved; a camera's own settings follow the global ones where left empty;
export downloads what the server exports and import takes a file back. A viewer reads the same
settings and can change nothing.
"""
from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.by import By

from .downloads import finished_download
from .ui import UI, tid

pytestmark = pytest.mark.sqlite_only  # the page, not the database: tests/api checks the settings on both


def settings(api) -> dict:
    r = api.get("/api/ml/config")
    assert r.status_code == 200, r.text
    return r.json()


def value(ui: UI, testid: str) -> str:
    return ui.find(testid).get_attribute("value")


def threshold(ui: UI, cls: str):
    return ui.find("threshold-editor").find_element(By.CSS_SELECTOR, f'{tid("threshold-row")}[data-class="{cls}"]')


def type_into(element, text: str) -> None:
    element.send_keys("\ue009a", "\ue003")  # Ctrl+A, Backspace: what clear() does not tell React
    if text:
        element.send_keys(text)


def fill(ui: UI, testid: str, text: str) -> None:
    type_into(ui.find(testid), text)


@pytest.mark.timeout(180)
def test_settings_edit_takes_effect_and_a_refused_value_says_why(make_server, ui: UI, browser, shot, tmp_path):
    srv = make_server()
    api = srv.login()
    r = api.post("/api/cameras", params={"validate": "false"}, json={"name": "Porch", "host": "127.0.0.1", "port": 9, "enabled": False})
    assert r.status_code == 201, r.text
    camera = r.json()
    ui.base_url = srv.base_url
    ui.open("/ml?tab=settings")
    ui.login(srv.admin_username, srv.admin_password)
    ui.find("config-form")
    assert ui.find("config-editor").get_attribute("data-scope") == "global"
    assert [o.get_attribute("value") for o in ui.find("config-fps").find_elements(By.TAG_NAME, "option")] == ["", "1", "2"]
    shot("01-settings")

    # -- the admin changes the settings for all cameras and saves -------------------------------------------
    ui.select("Live detection", "on")
    ui.select("Frames per second", "1")
    fill(ui, "config-cooldown", "45")
    fill(ui, "config-motion", "0.5")
    fill(ui, "config-confidence", "0.3")
    ui.set_checkbox("person", True)
    ui.set_checkbox("car", True)
    ui.click("threshold-add")
    row = ui.all("threshold-row")[-1]
    type_into(row.find_element(By.CSS_SELECTOR, tid("threshold-class")), "person")
    type_into(row.find_element(By.CSS_SELECTOR, tid("threshold-value")), "0.6")
    shot("02-changed")
    ui.click("config-save")
    ui.wait_toast("Saved the detection settings of all cameras")
    stored = settings(api)["global"]
    assert stored["live_enabled"] is True and stored["cooldown_seconds"] == 45, stored
    pipeline = stored["pipeline"]
    assert (pipeline["fps"], pipeline["confidence"], pipeline["classes"], sorted(pipeline["class_filter"])) == (1, 0.3, {"person": 0.6}, ["car", "person"]), pipeline
    assert pipeline["motion"]["min_changed_fraction"] == pytest.approx(0.005), pipeline

    # a reload shows what the server keeps
    ui.d.refresh()
    ui.find("config-form")
    assert (value(ui, "config-live"), value(ui, "config-fps"), value(ui, "config-cooldown"), value(ui, "config-motion"), value(ui, "config-confidence")) == \
        ("on", "1", "45", "0.5", "0.3")
    assert ui.field("person").is_selected() and ui.field("car").is_selected() and not ui.field("dog").is_selected()
    assert threshold(ui, "person").find_element(By.CSS_SELECTOR, tid("threshold-value")).get_attribute("value") == "0.6"
    assert not ui.find("config-save").is_enabled(), "nothing to save after a reload"
    shot("03-reloaded")

    # -- a value the server refuses: its message, on the form and on the field; nothing saved --------------------
    type_into(threshold(ui, "person").find_element(By.CSS_SELECTOR, tid("threshold-value")), "1.5")
    ui.click("config-save")
    error = ui.find("config-error")
    assert "pipeline.classes.person" in error.text, error.text
    assert error.get_attribute("data-field") == "threshold:person"
    assert threshold(ui, "person").find_element(By.CSS_SELECTOR, tid("threshold-error")).text == error.text
    assert settings(api)["global"]["pipeline"]["classes"] == {"person": 0.6}, "the refused value is not kept"
    shot("04-refused")
    ui.click("config-reset")
    ui.gone("config-error")

    # -- a camera's own settings: empty fields follow the global ones -------------------------------------------------
    ui.select("Settings for", camera["id"].lower())
    ui.until(lambda: ui.find("config-editor").get_attribute("data-scope") == camera["id"].lower(), message="the camera's settings")
    assert f"scope={camera['id'].lower()}" in ui.path().lower(), ui.path()
    assert value(ui, "config-fps") == "" and "now 1 fps" in ui.find("config-editor").text, "the camera inherits 1 fps"
    ui.select("Live detection", "off")
    ui.click("config-save")
    ui.wait_toast("Saved the detection settings of Porch")
    own = next(c for c in settings(api)["cameras"] if c["camera_id"].lower() == camera["id"].lower())
    assert own["config"]["live_enabled"] is False and own["effective"]["live_enabled"] is False, own
    assert own["effective"]["fps"] == 1 and own["effective"]["cooldown_seconds"] == 45, own["effective"]
    shot("05-camera")

    # -- export downloads what the server exports; import takes a file back -----------------------------------------------
    ui.select("Settings for", "")
    ui.until(lambda: ui.find("config-editor").get_attribute("data-scope") == "global", message="back to all cameras")
    ui.click("config-export")
    exported = finished_download(browser.download_dir, suffix=".json")
    assert json.loads(exported.read_text()) == api.get("/api/ml/config/export").json()
    imported = tmp_path / "quiet-night.json"
    imported.write_text(json.dumps({"confidence": 0.45, "classes": {"car": 0.7}, "fps": 2}))
    chooser = ui.d.find_element(By.CSS_SELECTOR, tid("config-import-file"))
    ui.d.execute_script("arguments[0].hidden = false", chooser)
    chooser.send_keys(str(imported))
    ui.wait_toast("Imported quiet-night.json")
    ui.until(lambda: value(ui, "config-confidence") == "0.45" and value(ui, "config-fps") == "2", message="the form shows the imported settings")
    assert threshold(ui, "car").find_element(By.CSS_SELECTOR, tid("threshold-value")).get_attribute("value") == "0.7"
    assert settings(api)["global"]["pipeline"]["confidence"] == 0.45
    shot("06-imported")

    # -- a viewer reads the same settings and changes nothing ----------------------------------------------------------------
    r = api.post("/api/users", json={"username": "reader", "password": "reader-pass-1", "role": "viewer"})
    assert r.status_code == 201, r.text
    ui.sign_out()
    ui.open("/ml?tab=settings")
    ui.login("reader", "reader-pass-1")
    ui.find("config-read-only")
    assert value(ui, "config-confidence") == "0.45"
    assert not ui.find("config-confidence").is_enabled() and not ui.field("person").is_enabled()
    assert not ui.present("config-save") and not ui.present("config-import") and not ui.present("threshold-add"), "viewers change nothing"
    assert ui.present("config-export")
    shot("07-viewer")
