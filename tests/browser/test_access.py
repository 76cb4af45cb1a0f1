"""Sessions and roles in the browser: viewers get a read-only Setup page and no Users page; a
401 sends the user to the login page and back to where they were; a lockout shows Retry-After."""
from __future__ import annotations

import re

import pytest

from .ui import UI

pytestmark = pytest.mark.sqlite_only  # the page, not the database: tests/api checks its data on both

# Export is here too: the server keeps it for admins (the file can carry credentials).
EDIT_CONTROLS = ("add-camera", "edit-camera", "delete-camera", "recording-toggle",
                 "start-all-recording", "stop-all-recording", "import-cameras", "export-cameras")


def test_viewer_sees_cameras_read_only(server, admin_api, ui: UI, shot, make_user, suffix, camera_cleanup):
    name = f"Yard {suffix}"
    r = admin_api.post("/api/cameras", params={"validate": "false"},
                       json={"name": name, "host": "127.0.0.10", "stream_path": "/main", "group": "Outside"})
    assert r.status_code == 201, r.text
    viewer = make_user(role="viewer", prefix="watch")

    ui.open("/setup")
    ui.login(viewer["username"], viewer["password"])
    row = ui.camera_row(name)
    assert row.get_attribute("data-recording") == "on"
    assert "Recording" in row.text
    for control in EDIT_CONTROLS:
        assert not ui.present(control), f"a viewer sees {control}"
    # How the camera is reached is for admins: no address, no stream path.
    assert not ui.present("camera-address") and not ui.present("camera-stream")
    assert "127.0.0.10" not in row.text and "/main" not in row.text
    assert ui.nav_labels() == ["Live View", "Playback", "ML", "Setup", "Status"], ui.nav_labels()
    assert "viewer" in ui.find("user-menu-button").text
    shot("01-viewer-setup")

    ui.open("/users")
    ui.find("forbidden-page")
    shot("02-viewer-users-forbidden")


def test_expired_session_returns_to_the_page(server, ui: UI, shot, make_user):
    me = make_user(role="admin", prefix="sess")
    # deep link while signed out
    ui.open("/users")
    ui.find("login-page")
    assert ui.path() == "/login?next=%2Fusers", ui.path()
    ui.login(me["username"], me["password"])
    ui.find("users-page")
    assert ui.path() == "/users"

    # the token goes bad (expired, revoked): the next API call answers 401
    ui.d.execute_script("window.localStorage.setItem('ronin.token', 'not-a-valid-token')")
    ui.click("nav-setup")
    ui.find("login-page")
    assert ui.token() is None, "a 401 drops the token"
    assert ui.path() == "/login?next=%2Fsetup", ui.path()
    assert "session" in ui.find("login-notice").text.lower()
    shot("01-session-ended")
    ui.login(me["username"], me["password"])
    ui.find("setup-page")
    assert ui.path() == "/setup"


def test_lockout_shows_retry_after(make_server, ui: UI, shot):
    """After LOGIN_MAX_FAILURES wrong passwords the server answers 429; the page says for how long."""
    srv = make_server({"LOGIN_MAX_FAILURES": "2", "LOGIN_WINDOW_SECONDS": "120"})
    ui.base_url = srv.base_url
    ui.open("/login")
    for _ in range(2):
        ui.login(srv.admin_username, "wrong-password", expect_success=False)
        ui.find("login-error")
        ui.until(lambda: ui.find("login-submit").is_enabled())
    ui.login(srv.admin_username, srv.admin_password, expect_success=False)
    lockout = ui.find("login-lockout")
    seconds = int(re.search(r"(\d+) second", lockout.text).group(1))
    assert 0 < seconds <= 120, lockout.text
    assert not ui.find("login-submit").is_enabled(), "the button waits out the lockout"
    assert ui.token() is None
    shot("01-locked-out")
