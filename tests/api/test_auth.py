"""Login, the session cookie, bearer tokens and password changes (docs/api.md, Authentication).

Failed logins here use fresh users or unknown names, never `admin`: the session server is shared
and its lockout limits are the defaults.
"""
import email.utils
import json
import time
import uuid

import pytest
import requests

from .helpers import (assert_error, assert_iso_z, b64url, bearer, camera_input, find_jwt_key, jwt_decode,
                      jwt_sign, unique, UUID_RE)


def _new_user(admin_api, role="viewer", password="user-password-1") -> tuple[str, str, dict]:
    username = unique("user")
    r = admin_api.post("/api/users", json={"username": username, "password": password, "role": role})
    assert r.status_code == 201, r.text
    return username, password, r.json()


def _login(server, username, password) -> requests.Response:
    return requests.post(server.base_url + "/api/auth/login",
                         json={"username": username, "password": password}, timeout=30)


def _set_cookies(r: requests.Response) -> list[str]:
    return r.raw.headers.getlist("Set-Cookie")


def _session_cookie_attrs(r: requests.Response) -> tuple[str, dict[str, str]]:
    """Value and attributes (lower-case names) of the `ronin_session` Set-Cookie header."""
    headers = [h for h in _set_cookies(r) if h.strip().startswith("ronin_session=")]
    assert len(headers) == 1, f"expected one ronin_session Set-Cookie, got {_set_cookies(r)}"
    first, *attrs = [part.strip() for part in headers[0].split(";")]
    value = first.split("=", 1)[1]
    parsed = {}
    for attr in attrs:
        name, _, val = attr.partition("=")
        parsed[name.strip().lower()] = val.strip()
    return value, parsed


def test_login_success_shape_and_cookie(server):
    r = _login(server, server.admin_username, server.admin_password)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer"
    assert isinstance(body["expires_in"], int) and body["expires_in"] > 0
    token = body["access_token"]
    assert isinstance(token, str) and token.count(".") == 2
    value, attrs = _session_cookie_attrs(r)
    assert value == token
    assert "httponly" in attrs
    assert attrs.get("samesite", "").lower() == "strict"
    assert attrs.get("path") == "/"


def test_me_with_bearer(server, admin_api):
    r = requests.get(server.base_url + "/api/auth/me", headers=bearer(admin_api.token), timeout=10)
    assert r.status_code == 200, r.text
    me = r.json()
    assert set(me) >= {"id", "username", "role", "created_at"}
    assert UUID_RE.match(me["id"])
    assert me["username"] == server.admin_username
    assert me["role"] == "admin"
    assert_iso_z(me["created_at"])


def test_wrong_password_and_unknown_user_look_the_same(server, admin_api):
    username, _, _ = _new_user(admin_api)
    wrong = _login(server, username, "not-the-password")
    unknown = _login(server, unique("nobody"), "not-the-password")
    body_wrong = assert_error(wrong, 401, "unauthorized")
    body_unknown = assert_error(unknown, 401, "unauthorized")
    assert body_wrong == body_unknown, "the answer tells unknown users from wrong passwords"
    assert "ronin_session=" not in " ".join(_set_cookies(wrong))


def test_no_token_is_401(anon_api):
    for path in ("/api/auth/me", "/api/cameras", "/api/users"):
        assert_error(anon_api.get(path), 401, "unauthorized")


def test_cookie_authorises_get_and_head(server, admin_api):
    headers = {"Cookie": f"ronin_session={admin_api.token}"}
    r = requests.get(server.base_url + "/api/auth/me", headers=headers, timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["username"] == server.admin_username
    r = requests.get(server.base_url + "/api/cameras", headers=headers, timeout=10)
    assert r.status_code == 200, r.text
    r = requests.head(server.base_url + "/api/auth/me", headers=headers, timeout=10)
    assert r.status_code != 401, "the cookie must be accepted on HEAD requests too"
    assert r.status_code < 500


def test_cookie_does_not_authorise_changes(server, admin_api, cameras):
    cam = cameras.create()
    headers = {"Cookie": f"ronin_session={admin_api.token}"}
    base = server.base_url
    attempts = [
        ("POST", "/api/cameras?validate=false", camera_input()),
        ("PATCH", f"/api/cameras/{cam['id']}?validate=false", {"name": unique("renamed")}),
        ("PUT", f"/api/cameras/{cam['id']}?validate=false", {"group": "cookie"}),
        ("DELETE", f"/api/cameras/{cam['id']}", None),
        ("POST", f"/api/cameras/{cam['id']}/recording/start", None),
        ("POST", "/api/users", {"username": unique("cookie"), "password": "password-123",
                                "role": "admin"}),
        ("POST", "/api/auth/password", {"current_password": server.admin_password,
                                        "new_password": "cookie-changed-1"}),
    ]
    for method, path, body in attempts:
        r = requests.request(method, base + path, headers=headers, json=body, timeout=30)
        assert_error(r, 401, "unauthorized")
    after = admin_api.get(f"/api/cameras/{cam['id']}")
    assert after.status_code == 200
    assert after.json() == cam, "a cookie-only request changed the camera"
    assert admin_api.get("/api/auth/me").status_code == 200  # password unchanged: token still valid


def test_bearer_alone_authorises_changes(server, admin_api):
    """A request with only the Authorization header (no cookie) may change things."""
    r = requests.post(server.base_url + "/api/cameras", params={"validate": "false"},
                      json=camera_input(), headers=bearer(admin_api.token), timeout=30)
    assert r.status_code == 201, r.text
    assert admin_api.delete(f"/api/cameras/{r.json()['id']}").status_code == 204


@pytest.mark.parametrize("token", [
    "", "garbage", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.", "Bearer", "🙂",
], ids=["empty", "garbage", "three-dots", "empty-payload", "word-bearer", "emoji"])
def test_garbage_tokens_are_401(server, token):
    r = requests.get(server.base_url + "/api/auth/me",
                     headers={"Authorization": f"Bearer {token}".encode()}, timeout=10)
    assert_error(r, 401, "unauthorized")


def test_wrong_scheme_is_401(server, admin_api):
    r = requests.get(server.base_url + "/api/auth/me",
                     headers={"Authorization": f"Basic {admin_api.token}"}, timeout=10)
    assert_error(r, 401, "unauthorized")


def test_forged_tokens_are_401(server, admin_api):
    header, payload, signature = jwt_decode(admin_api.token)
    other_key = uuid.uuid4().bytes * 2
    alg = header.get("alg", "HS256")
    forged = {
        "other-key": jwt_sign({**header, "alg": alg if alg in ("HS256", "HS384", "HS512") else "HS256"},
                              payload, other_key),
        "alg-none": jwt_sign({"alg": "none", "typ": "JWT"}, payload, b""),
        "alg-none-keeps-signature": jwt_sign({"alg": "none", "typ": "JWT"}, payload, b"")
        + signature,
        "payload-tampered": ".".join([admin_api.token.split(".")[0],
                                      b64url(json.dumps({**payload, "exp": payload.get("exp", 0) + 3600}).encode()),
                                      signature]),
        "truncated-signature": admin_api.token[:-4],
    }
    for name, token in forged.items():
        r = requests.get(server.base_url + "/api/auth/me", headers=bearer(token), timeout=10)
        assert r.status_code == 401, f"{name} token accepted: {r.status_code} {r.text}"
        assert_error(r, 401, "unauthorized")


def test_expired_token_signed_with_the_server_key_is_401(server, admin_api):
    """Reproduce the server's signature with the generated key, then forge an expired token."""
    key_file = server.data_dir / "jwt_secret.key"
    if not key_file.exists():
        pytest.fail(f"{key_file} missing: the generated JWT secret must be kept in the data folder")
    # The HS256 key is the file's text (docs/design/security.md): the token must verify with it.
    key = key_file.read_text().strip().encode()
    assert find_jwt_key(admin_api.token, key) == key, "the session token is not signed with jwt_secret.key"
    header, payload, _ = jwt_decode(admin_api.token)
    assert "exp" in payload, f"token without exp: {payload}"
    now = int(time.time())
    fresh = jwt_sign(header, {**payload, "iat": now, "exp": now + 600}, key)
    r = requests.get(server.base_url + "/api/auth/me", headers=bearer(fresh), timeout=10)
    assert r.status_code == 200, f"control token rejected, forging is wrong: {r.text}"
    expired = jwt_sign(header, {**payload, "iat": now - 7200, "exp": now - 3600}, key)
    r = requests.get(server.base_url + "/api/auth/me", headers=bearer(expired), timeout=10)
    assert_error(r, 401, "unauthorized")


def test_logout_clears_the_cookie(server):
    session = requests.Session()
    r = session.post(server.base_url + "/api/auth/login",
                     json={"username": server.admin_username, "password": server.admin_password},
                     timeout=30)
    assert r.status_code == 200
    token = r.json()["access_token"]
    assert session.cookies.get("ronin_session") == token
    r = session.post(server.base_url + "/api/auth/logout", headers=bearer(token), timeout=10)
    assert r.status_code == 204, r.text
    value, attrs = _session_cookie_attrs(r)
    expired = attrs.get("max-age") is not None and int(attrs["max-age"]) <= 0
    if "expires" in attrs:
        when = email.utils.parsedate_to_datetime(attrs["expires"])
        expired = expired or when.timestamp() < time.time()
    assert expired or value in ("", '""'), f"logout did not clear the cookie: {_set_cookies(r)}"
    assert session.cookies.get("ronin_session") in (None, "", '""')


def test_logout_ends_the_session_but_not_others(server):
    kept = server.login()
    ended = server.login()
    assert ended.get("/api/auth/me").status_code == 200
    assert ended.post("/api/auth/logout").status_code == 204
    r = requests.get(server.base_url + "/api/auth/me", headers=bearer(ended.token), timeout=10)
    assert r.status_code == 401, "a signed-out token must stop working"
    r = requests.get(server.base_url + "/api/cameras", cookies={"ronin_session": ended.token}, timeout=10)
    assert r.status_code == 401, "nor may it be replayed as a cookie"
    assert kept.get("/api/auth/me").status_code == 200, "other sessions of the same user go on"
    assert ended.post("/api/auth/logout").status_code == 204, "signing out twice is harmless"


def test_password_change_invalidates_older_tokens(server, admin_api):
    username, password, _ = _new_user(admin_api)
    old = server.login(username, password)
    time.sleep(1.1)  # the change happens strictly after the old token was issued
    r = old.post("/api/auth/password",
                 json={"current_password": password, "new_password": "brand-new-password-2"})
    assert r.status_code == 204, r.text
    # A login right after the change works and its token is good.
    fresh = server.login(username, "brand-new-password-2")
    assert fresh.get("/api/auth/me").status_code == 200
    r = requests.get(server.base_url + "/api/auth/me", headers=bearer(old.token), timeout=10)
    assert_error(r, 401, "unauthorized")
    r = requests.get(server.base_url + "/api/auth/me", headers={"Cookie": f"ronin_session={old.token}"},
                     timeout=10)
    assert_error(r, 401, "unauthorized")
    assert_error(_login(server, username, password), 401, "unauthorized")


def test_password_change_needs_the_current_password(server, admin_api):
    username, password, _ = _new_user(admin_api)
    client = server.login(username, password)
    r = client.post("/api/auth/password",
                    json={"current_password": "definitely-wrong", "new_password": "another-password-3"})
    assert_error(r, (400, 401, 403, 422))
    assert client.get("/api/auth/me").status_code == 200
    server.login(username, password)  # unchanged


def test_password_change_validates_the_new_password(server, admin_api):
    username, password, _ = _new_user(admin_api)
    client = server.login(username, password)
    for new in ("short", "", "x" * 257):
        r = client.post("/api/auth/password", json={"current_password": password, "new_password": new})
        assert_error(r, 422, "validation_failed")
    server.login(username, password)  # unchanged
