"""Users and roles (docs/api.md, Users and Roles)."""
import uuid

import pytest
import requests

from .helpers import assert_error, assert_user_shape, alnum_unique, bearer, camera_input, unique


def _create(admin_api, username=None, password="user-password-1", role="viewer") -> dict:
    r = admin_api.post("/api/users", json={"username": username or unique("user"),
                                           "password": password, "role": role})
    assert r.status_code == 201, r.text
    return r.json()


def test_admin_crud(server, admin_api):
    username = unique("crud")
    r = admin_api.post("/api/users", json={"username": username, "password": "first-password",
                                           "role": "viewer"})
    assert r.status_code == 201, r.text
    user = r.json()
    assert_user_shape(user)
    assert user["username"] == username and user["role"] == "viewer"
    assert "first-password" not in r.text

    r = admin_api.get(f"/api/users/{user['id']}")
    assert r.status_code == 200 and r.json() == user

    listed = admin_api.get("/api/users")
    assert listed.status_code == 200
    assert user in listed.json()
    for entry in listed.json():
        assert_user_shape(entry)

    r = admin_api.patch(f"/api/users/{user['id']}", json={"role": "admin"})
    assert r.status_code == 200, r.text
    assert r.json()["role"] == "admin"
    assert r.json()["updated_at"] >= user["updated_at"]

    r = admin_api.patch(f"/api/users/{user['id']}", json={"password": "second-password"})
    assert r.status_code == 200, r.text
    assert server.login(username, "second-password").get("/api/auth/me").json()["role"] == "admin"
    old = requests.post(server.base_url + "/api/auth/login",
                        json={"username": username, "password": "first-password"}, timeout=30)
    assert_error(old, 401, "unauthorized")

    assert admin_api.delete(f"/api/users/{user['id']}").status_code == 204
    assert_error(admin_api.get(f"/api/users/{user['id']}"), 404, "not_found")
    assert user["id"] not in [u["id"] for u in admin_api.get("/api/users").json()]
    assert_error(admin_api.delete(f"/api/users/{user['id']}"), 404, "not_found")


def test_list_is_ordered_by_username(admin_api):
    stem = alnum_unique("ord")
    for suffix in ("b", "c", "a"):
        _create(admin_api, stem + suffix)
    names = [u["username"] for u in admin_api.get("/api/users").json()]
    ours = [n for n in names if n.startswith(stem)]
    assert ours == [stem + "a", stem + "b", stem + "c"]


@pytest.mark.parametrize("username", [
    "", "has space", "slash/name", "semi;colon", "quote'", "x" * 65, "tab\tname", "new\nline",
    "nul\x00byte", "emoji🙂", "<script>",
], ids=["empty", "space", "slash", "semicolon", "quote", "65-chars", "tab", "newline", "nul",
        "emoji", "html"])
def test_bad_usernames_are_422(admin_api, username):
    r = admin_api.post("/api/users", json={"username": username, "password": "good-password",
                                           "role": "viewer"})
    assert_error(r, 422, "validation_failed")


GOOD_USERNAMES = {
    "one-char": lambda: "q",
    "all-punctuation": lambda: f"a.b_c-d@e.{uuid.uuid4().hex[:6]}",
    "64-chars": lambda: uuid.uuid4().hex[:8] + "X" * 56,
    "digits": lambda: str(uuid.uuid4().int)[:12],
}


@pytest.mark.parametrize("make_name", GOOD_USERNAMES.values(), ids=GOOD_USERNAMES.keys())
def test_good_usernames_are_accepted(admin_api, make_name):
    username = make_name()
    user = _create(admin_api, username)
    assert user["username"] == username
    assert admin_api.get(f"/api/users/{user['id']}").json()["username"] == username
    assert admin_api.delete(f"/api/users/{user['id']}").status_code == 204


@pytest.mark.parametrize("password", ["", "seven77", "x" * 257], ids=["empty", "7-chars", "257-chars"])
def test_bad_passwords_are_422(admin_api, password):
    r = admin_api.post("/api/users", json={"username": unique("pw"), "password": password,
                                           "role": "viewer"})
    assert_error(r, 422, "validation_failed")


@pytest.mark.parametrize("password", ["eight888", "y" * 256], ids=["8-chars", "256-chars"])
def test_password_length_bounds_are_inclusive(server, admin_api, password):
    user = _create(admin_api, password=password)
    assert server.login(user["username"], password).get("/api/auth/me").status_code == 200


def test_bad_role_is_422(admin_api):
    r = admin_api.post("/api/users", json={"username": unique("role"), "password": "good-password",
                                           "role": "root"})
    assert_error(r, 422, "validation_failed")
    user = _create(admin_api)
    assert_error(admin_api.patch(f"/api/users/{user['id']}", json={"role": "superuser"}), 422,
                 "validation_failed")
    assert_error(admin_api.patch(f"/api/users/{user['id']}", json={"password": "short"}), 422,
                 "validation_failed")
    assert admin_api.get(f"/api/users/{user['id']}").json() == user


def test_duplicate_username_is_409(admin_api):
    user = _create(admin_api)
    r = admin_api.post("/api/users", json={"username": user["username"], "password": "other-password",
                                           "role": "admin"})
    assert_error(r, 409, "conflict")
    assert [u["username"] for u in admin_api.get("/api/users").json()].count(user["username"]) == 1


def test_viewer_is_forbidden_everything_on_users(admin_api, viewer_api):
    target = _create(admin_api)
    for method, path, body in [
        ("GET", "/api/users", None),
        ("GET", f"/api/users/{target['id']}", None),
        ("POST", "/api/users", {"username": unique("v"), "password": "good-password", "role": "admin"}),
        ("PATCH", f"/api/users/{target['id']}", {"role": "admin"}),
        ("DELETE", f"/api/users/{target['id']}", None),
    ]:
        assert_error(viewer_api.request(method, path, json=body), 403, "forbidden")
    assert admin_api.get(f"/api/users/{target['id']}").json() == target


def test_viewer_cannot_promote_itself(admin_api, viewer_api):
    me = viewer_api.get("/api/auth/me").json()
    assert me["role"] == "viewer"
    assert_error(viewer_api.patch(f"/api/users/{me['id']}", json={"role": "admin"}), 403, "forbidden")
    assert admin_api.get(f"/api/users/{me['id']}").json()["role"] == "viewer"


def test_viewer_is_forbidden_camera_changes_but_reads(admin_api, viewer_api, cameras):
    cam = cameras.create()
    assert viewer_api.get("/api/cameras").status_code == 200
    r = viewer_api.get(f"/api/cameras/{cam['id']}")
    # A viewer reads the camera, without how it is reached (see tests/api/test_viewer_view.py).
    wiring = {"folder_name", "host", "port", "username", "has_password", "stream_path", "substream_path", "transport"}
    assert r.status_code == 200
    assert r.json() == {k: (None if k in wiring else v) for k, v in cam.items()}
    new = camera_input()
    for method, path, body in [
        ("POST", "/api/cameras?validate=false", new),
        ("PATCH", f"/api/cameras/{cam['id']}?validate=false", {"name": unique("v")}),
        ("PUT", f"/api/cameras/{cam['id']}?validate=false", {"group": "viewer"}),
        ("DELETE", f"/api/cameras/{cam['id']}", None),
        ("POST", f"/api/cameras/{cam['id']}/recording/start", None),
        ("POST", f"/api/cameras/{cam['id']}/recording/stop", None),
        ("POST", "/api/cameras/recording/start-all", None),
        ("POST", "/api/cameras/recording/stop-all", None),
        ("POST", "/api/cameras/import?validate=false",
         {"format": "ronin-cameras", "version": 1, "credentials": "none", "cameras": [new]}),
    ]:
        assert_error(viewer_api.request(method, path, json=body), 403, "forbidden")
    assert admin_api.get(f"/api/cameras/{cam['id']}").json() == cam
    assert new["name"] not in [c["name"] for c in admin_api.get("/api/cameras").json()]


def test_viewer_changes_own_password(server, admin_api):
    user = _create(admin_api, password="viewer-old-pass")
    client = server.login(user["username"], "viewer-old-pass")
    r = client.post("/api/auth/password", json={"current_password": "viewer-old-pass",
                                                 "new_password": "viewer-new-pass"})
    assert r.status_code == 204, r.text
    server.login(user["username"], "viewer-new-pass")


def test_admin_cannot_delete_itself(server, admin_api):
    me = admin_api.get("/api/auth/me").json()
    assert_error(admin_api.delete(f"/api/users/{me['id']}"), 403, "forbidden")
    assert admin_api.get(f"/api/users/{me['id']}").status_code == 200


def test_last_admin_cannot_be_demoted(make_server):
    srv = make_server()
    admin = srv.login()
    me = admin.get("/api/auth/me").json()
    assert_error(admin.patch(f"/api/users/{me['id']}", json={"role": "viewer"}), 422, "validation_failed")
    assert admin.get(f"/api/users/{me['id']}").json()["role"] == "admin"

    second = _create(admin, role="admin")
    r = admin.patch(f"/api/users/{me['id']}", json={"role": "viewer"})
    assert r.status_code == 200, r.text  # another admin exists now
    other = srv.login(second["username"], "user-password-1")
    assert_error(other.patch(f"/api/users/{second['id']}", json={"role": "viewer"}), 422,
                 "validation_failed")
    roles = {u["username"]: u["role"] for u in other.get("/api/users").json()}
    assert roles == {"admin": "viewer", second["username"]: "admin"}


def test_deleted_users_token_stops_working(server, admin_api):
    user = _create(admin_api, role="admin")
    client = server.login(user["username"], "user-password-1")
    assert client.get("/api/cameras").status_code == 200
    assert admin_api.delete(f"/api/users/{user['id']}").status_code == 204
    for path in ("/api/auth/me", "/api/cameras"):
        r = requests.get(server.base_url + path, headers=bearer(client.token), timeout=10)
        assert_error(r, 401, "unauthorized")
    r = requests.post(server.base_url + "/api/cameras", params={"validate": "false"},
                      json=camera_input(), headers=bearer(client.token), timeout=30)
    assert_error(r, 401, "unauthorized")


def test_demoted_admin_loses_admin_rights_at_once(server, admin_api):
    user = _create(admin_api, role="admin")
    client = server.login(user["username"], "user-password-1")
    assert client.get("/api/users").status_code == 200
    assert admin_api.patch(f"/api/users/{user['id']}", json={"role": "viewer"}).status_code == 200
    # Either answer is fine: the old token now acts as a viewer (403) or was revoked (401).
    assert_error(client.get("/api/users"), (401, 403))
    assert_error(client.post("/api/cameras?validate=false", json=camera_input()), (401, 403))
