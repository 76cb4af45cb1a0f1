"""The Users page (admins only) and the user menu, in a real browser against the real server."""
from __future__ import annotations

import uuid

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from .ui import UI

pytestmark = pytest.mark.sqlite_only  # the page, not the database: tests/api checks its data on both


def _users_by_name(admin_api) -> dict[str, dict]:
    r = admin_api.get("/api/users")
    assert r.status_code == 200, r.text
    return {u["username"]: u for u in r.json()}


def _can_login(server, username: str, password: str) -> bool:
    r = requests.post(server.base_url + "/api/auth/login",
                      json={"username": username, "password": password}, timeout=30)
    return r.status_code == 200


def test_users_page(server, admin_api, ui: UI, shot, make_user):
    # A dedicated admin, so the shared session admin's password and tokens stay untouched.
    me = make_user(role="admin", prefix="boss")
    ui.open("/users")
    ui.login(me["username"], me["password"])
    ui.find("users-page")
    assert ui.path() == "/users"
    assert "Users" in ui.nav_labels()
    ui.user_row(me["username"])
    shot("01-users")

    # add a viewer
    new_name = f"guard-{uuid.uuid4().hex[:6]}"
    ui.click("add-user")
    modal = ui.find("add-user-modal")
    ui.fill("Username", new_name, modal)
    ui.fill("Password", "guard-password-1", modal)
    ui.select("Role", "viewer", modal)
    shot("02-add-user")
    ui.click("save-user")
    ui.gone("add-user-modal")
    row = ui.user_row(new_name)
    assert row.get_attribute("data-role") == "viewer"
    created = _users_by_name(admin_api)[new_name]
    assert created["role"] == "viewer"
    assert _can_login(server, new_name, "guard-password-1")

    # a duplicate username is refused inline
    ui.click("add-user")
    modal = ui.find("add-user-modal")
    ui.fill("Username", new_name, modal)
    ui.fill("Password", "another-password", modal)
    ui.click("save-user")
    assert ui.find("form-error").text.strip()
    assert ui.present("add-user-modal")
    shot("03-duplicate-user")
    modal.find_element(By.CSS_SELECTOR, '[aria-label="Close dialog"]').click()
    ui.gone("add-user-modal")

    # change role
    Select(ui.user_row(new_name).find_element(By.CSS_SELECTOR, '[data-testid="user-role"]')).select_by_value("admin")
    ui.until(lambda: ui.user_row(new_name).get_attribute("data-role") == "admin")
    assert _users_by_name(admin_api)[new_name]["role"] == "admin"
    ui.wait_toast("is now an admin")

    # reset password
    ui.click("reset-password", within=ui.user_row(new_name))
    modal = ui.find("reset-password-modal")
    ui.fill("New password", "fresh-password-2", modal)
    ui.fill("Repeat new password", "fresh-password-2", modal)
    shot("04-reset-password")
    ui.click("save-password")
    ui.gone("reset-password-modal")
    assert _can_login(server, new_name, "fresh-password-2")
    assert not _can_login(server, new_name, "guard-password-1")

    # deleting yourself: the server refuses and the dialog shows why
    ui.click("delete-user", within=ui.user_row(me["username"]))
    ui.find("confirm-dialog")
    assert ui.find("confirm-username").text == me["username"]
    ui.click("confirm-button")
    refusal = ui.find("confirm-error")
    assert refusal.text.strip()
    assert me["username"] in _users_by_name(admin_api)
    shot("05-delete-self-refused")
    ui.button("Cancel", ui.find("confirm-dialog")).click()
    ui.gone("confirm-dialog")

    # delete the new user
    ui.click("delete-user", within=ui.user_row(new_name))
    ui.find("confirm-dialog")
    ui.click("confirm-button")
    ui.gone("confirm-dialog")
    ui.until(lambda: not ui.d.find_elements(By.CSS_SELECTOR, f'[data-testid="user-row"][data-username="{new_name}"]'))
    assert new_name not in _users_by_name(admin_api)
    shot("06-user-deleted")


def test_change_own_password(server, ui: UI, shot, make_user):
    """User menu -> Change password: a wrong current password is shown, the right one works and
    the UI stays signed in (it signs in again, since older tokens stop working)."""
    me = make_user(role="viewer", prefix="pw")
    ui.open("/")
    ui.login(me["username"], me["password"])
    ui.click("user-menu-button")
    menu = ui.find("user-menu")
    assert me["username"] in menu.text and "viewer" in menu.text
    shot("01-user-menu")
    ui.click("change-password-button")
    modal = ui.find("change-password-modal")
    ui.fill("Current password", "wrong-password-0", modal)
    ui.fill("New password", "brand-new-pass-9", modal)
    ui.fill("Repeat new password", "brand-new-pass-9", modal)
    ui.button("Change password", modal).click()
    assert ui.find("form-error").text.strip()
    assert ui.present("login-page") is False, "a wrong current password does not sign the user out"
    shot("02-wrong-current")

    ui.fill("Current password", me["password"], modal)
    ui.button("Change password", modal).click()
    ui.gone("change-password-modal")
    ui.wait_toast("Password changed")
    assert _can_login(server, me["username"], "brand-new-pass-9")
    # the page still works with the new session
    ui.open("/setup")
    ui.find("setup-page")
    assert not ui.present("login-page")
