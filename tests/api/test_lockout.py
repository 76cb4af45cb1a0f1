"""Login lockout (docs/api.md, Authentication): per username, per client, and its end.

Each test starts its own server with small limits so the shared server is never locked.
"""
import time

import requests

from .helpers import assert_error, unique

SHORT_WINDOW = 8   # for the test that waits the lockout out
LONG_WINDOW = 60   # for the others, so a slow machine cannot age failures out mid-test


def _limits(window: int) -> dict[str, str]:
    return {"LOGIN_MAX_FAILURES": "3", "LOGIN_MAX_FAILURES_PER_CLIENT": "5",
            "LOGIN_WINDOW_SECONDS": str(window)}


def _login(srv, username, password) -> requests.Response:
    return requests.post(srv.base_url + "/api/auth/login",
                         json={"username": username, "password": password}, timeout=30)


def _assert_locked(r: requests.Response, window: int = LONG_WINDOW) -> int:
    assert_error(r, 429, "too_many_attempts")
    retry_after = r.headers.get("Retry-After")
    assert retry_after is not None, "429 without Retry-After"
    assert retry_after.isdigit(), f"Retry-After must be integer seconds, got {retry_after!r}"
    seconds = int(retry_after)
    assert 0 < seconds <= window + 1, f"Retry-After {seconds} outside (0, {window + 1}]"
    assert "access_token" not in r.text
    assert "ronin_session=" not in r.headers.get("Set-Cookie", "")
    return seconds


def _add_user(srv, username, password, role="viewer"):
    admin = srv.login()
    r = admin.post("/api/users", json={"username": username, "password": password, "role": role})
    assert r.status_code == 201, r.text


def test_username_locked_even_with_right_password(make_server):
    srv = make_server(env=_limits(LONG_WINDOW))
    bystander = unique("bystander")
    _add_user(srv, bystander, "bystander-pass-1")
    for _ in range(3):
        assert_error(_login(srv, "admin", "wrong-password"), 401, "unauthorized")
    _assert_locked(_login(srv, "admin", srv.admin_password))
    _assert_locked(_login(srv, "admin", "wrong-password"))
    # The lock is per username: another account on the same client still logs in.
    assert _login(srv, bystander, "bystander-pass-1").status_code == 200


def test_unknown_username_is_locked_too(make_server):
    srv = make_server(env=_limits(LONG_WINDOW))
    ghost = unique("ghost")
    for _ in range(3):
        assert_error(_login(srv, ghost, "wrong-password"), 401, "unauthorized")
    _assert_locked(_login(srv, ghost, "wrong-password"))


def test_client_locked_across_usernames(make_server):
    srv = make_server(env=_limits(LONG_WINDOW))
    for i in range(5):  # one failure each: no username reaches its own limit of 3
        assert_error(_login(srv, unique(f"spray{i}"), "wrong-password"), 401, "unauthorized")
    _assert_locked(_login(srv, "admin", srv.admin_password))
    _assert_locked(_login(srv, unique("fresh"), "wrong-password"))


def test_lockout_ends_after_the_window(make_server):
    srv = make_server(env=_limits(SHORT_WINDOW))
    for _ in range(3):
        assert_error(_login(srv, "admin", "wrong-password"), 401, "unauthorized")
    seconds = _assert_locked(_login(srv, "admin", srv.admin_password), SHORT_WINDOW)
    time.sleep(seconds + 1.0)  # time passes on purpose: the lockout runs out (a sign-in before then would be refused)
    r = _login(srv, "admin", srv.admin_password)
    assert r.status_code == 200, f"still locked {seconds + 1}s after Retry-After {seconds}: {r.text}"
    # The old failures have aged out: one more mistake is a plain 401 again.
    assert_error(_login(srv, "admin", "wrong-password"), 401, "unauthorized")
