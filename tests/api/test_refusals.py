"""Refused requests: every error answer carries the same security headers as any other, and
each refusal is logged with its status and client, never with a secret."""
import pytest
import requests

from .helpers import LogWindow, assert_error, bearer

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def assert_security_headers(r: requests.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert r.headers.get(name) == value, f"{r.status_code} {r.request.url}: {name} is {r.headers.get(name)!r}"
    assert "default-src 'self'" in r.headers.get("Content-Security-Policy", ""), r.headers


@pytest.mark.parametrize("method, path, kwargs, status", [
    ("GET", "/api/no-such-thing", {}, 404),
    ("GET", "/api/cameras", {}, 401),
    ("DELETE", "/api/health", {}, 405),
    ("POST", "/api/auth/login", {"data": b"{not json", "headers": {"Content-Type": "application/json"}}, 400),
    ("POST", "/api/auth/login", {"data": b"x" * (3 * 1024 * 1024), "headers": {"Content-Type": "application/json"}}, 413),
    ("GET", "/no-such-asset.js", {}, 404),
])
def test_error_answers_carry_the_security_headers(server, method, path, kwargs, status):
    r = requests.request(method, server.base_url + path, timeout=30, **kwargs)
    assert r.status_code == status, r.text
    assert_security_headers(r)


def test_a_forbidden_answer_carries_them_too(server, viewer_api):
    r = viewer_api.post("/api/users", json={"username": "x", "password": "y" * 10, "role": "viewer"})
    assert_error(r, 403, "forbidden")
    assert_security_headers(r)
    assert_security_headers(requests.get(server.base_url + "/api/health", timeout=30))


def test_refused_requests_are_logged_without_secrets(server, viewer_api):
    log = LogWindow(server)
    secret = "not-the-password-" + "q" * 8
    assert requests.post(server.base_url + "/api/auth/login", json={"username": "admin", "password": secret},
                         timeout=30).status_code == 401
    assert requests.get(server.base_url + "/api/cameras?token=abc123secret", headers=bearer("garbage.token.here"),
                        timeout=30).status_code == 401
    assert viewer_api.delete("/api/users/00000000-0000-0000-0000-000000000000").status_code == 403
    text = log.text()
    assert "Refused: POST /api/auth/login 401" in text and "from 127.0.0.1" in text, text[-2000:]
    assert "Refused: GET /api/cameras 401" in text
    assert "Refused: DELETE /api/users/00000000-0000-0000-0000-000000000000 403" in text
    for leaked in (secret, "abc123secret", "garbage.token.here", viewer_api.token):
        assert leaked not in text
