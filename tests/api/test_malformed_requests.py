"""A sweep of malformed requests: each gets the documented 4xx with a JSON error body.

Never a 5xx, never a dropped connection. The last test checks the server is still healthy and
the camera list unchanged after the sweep.
"""
import json
import uuid

import pytest
import requests

from .helpers import assert_error, camera_input

MiB = 1024 * 1024
GHOST = str(uuid.uuid4())


def _camera_body(**fields) -> dict:
    body = camera_input(None)
    body.update(fields)
    return body


def _raw(text: str | bytes, ctype: str | None = "application/json") -> dict:
    data = text.encode() if isinstance(text, str) else text
    return {"data": data, "headers": {"Content-Type": ctype} if ctype else {}}


def _chunked(data: bytes) -> dict:
    """Sent with Transfer-Encoding: chunked (no Content-Length); see `_chunks`."""
    return {"chunked": data, "headers": {"Content-Type": "application/json"}}


def _chunks(data: bytes):
    for i in range(0, len(data), 64 * 1024):
        yield data[i:i + 64 * 1024]


DEEP = "[" * 100_000 + "]" * 100_000

# (id, method, path, request kwargs, expected status or statuses)
CASES = [
    # bodies that are not JSON, or not the right JSON
    ("invalid-json", "POST", "/api/cameras", _raw('{"name": "x", "host": '), 400),
    ("trailing-garbage", "POST", "/api/cameras", _raw('{"name": "x", "host": "h"} trailing'), 400),
    ("nan-literal", "POST", "/api/cameras", _raw('{"name": "x", "host": "h", "port": NaN}'), 400),
    ("empty-body", "POST", "/api/cameras", _raw(""), 400),
    ("array-body", "POST", "/api/cameras", {"json": []}, 400),
    ("string-body", "POST", "/api/cameras", {"json": "camera"}, 400),
    ("null-body", "POST", "/api/cameras", _raw("null"), 400),
    ("number-body", "POST", "/api/cameras", _raw("42"), 400),
    ("array-patch", "PATCH", "/api/cameras/{cam}", {"json": [1, 2]}, 400),
    ("null-user", "POST", "/api/users", _raw("null"), 400),
    ("array-login", "POST", "/api/auth/login", {"json": ["admin", "pw"]}, 400),
    ("array-import", "POST", "/api/cameras/import", {"json": []}, 400),
    ("invalid-utf8", "POST", "/api/cameras", _raw(b'{"name": "\xff\xfe\xfd", "host": "h"}'), 400),
    ("lone-surrogate", "POST", "/api/cameras", _raw('{"name": "\\ud800", "host": "h"}'), (400, 422)),
    ("deep-array", "POST", "/api/cameras", _raw(DEEP), 400),
    ("deep-field", "POST", "/api/cameras", _raw('{"host": "h", "name": ' + DEEP + "}"), 400),
    ("deep-object", "POST", "/api/cameras", _raw('{"a":' * 50_000 + "1" + "}" * 50_000), 400),
    # wrong field types
    ("name-number", "POST", "/api/cameras", {"json": _camera_body(name=123)}, 400),
    ("name-array", "POST", "/api/cameras", {"json": _camera_body(name=["a"])}, 400),
    ("port-string", "POST", "/api/cameras", {"json": _camera_body(port="554")}, 400),
    ("enabled-string", "POST", "/api/cameras", {"json": _camera_body(enabled="yes")}, 400),
    ("sort-order-object", "POST", "/api/cameras", {"json": _camera_body(sort_order={})}, 400),
    ("patch-port-bool", "PATCH", "/api/cameras/{cam}", {"json": {"port": True}}, 400),
    ("user-role-number", "PATCH", "/api/users/{user}", {"json": {"role": 5}}, 400),
    ("login-numbers", "POST", "/api/auth/login", {"json": {"username": 1, "password": 2}}, 400),
    ("probe-host-number", "POST", "/api/cameras/test", {"json": {"host": 127001}}, 400),
    ("camera-id-not-uuid", "POST", "/api/cameras/test", {"json": {"host": "h", "camera_id": "nope"}}, 400),
    # numbers that do not fit
    ("port-overflow", "POST", "/api/cameras", _raw(json.dumps(_camera_body())[:-1] + ', "port": 99999999999999999999}'), (400, 422)),
    ("sort-overflow", "POST", "/api/cameras", _raw(json.dumps(_camera_body())[:-1] + ', "sort_order": 1e400}'), (400, 422)),
    ("port-fraction", "POST", "/api/cameras", {"json": _camera_body(port=554.5)}, (400, 422)),
    # missing or null required fields
    ("camera-no-host", "POST", "/api/cameras", {"json": {"name": "no-host-" + GHOST[:8]}}, (400, 422)),
    ("camera-no-name", "POST", "/api/cameras", {"json": {"host": "127.0.0.1"}}, (400, 422)),
    ("camera-null-name", "POST", "/api/cameras", {"json": _camera_body(name=None)}, (400, 422)),
    ("camera-empty-object", "POST", "/api/cameras", {"json": {}}, (400, 422)),
    ("user-no-password", "POST", "/api/users", {"json": {"username": "np-" + GHOST[:8], "role": "viewer"}}, (400, 422)),
    ("probe-empty", "POST", "/api/cameras/test", {"json": {}}, (400, 422)),
    ("password-empty", "POST", "/api/auth/password", {"json": {}}, (400, 422)),
    ("login-no-password", "POST", "/api/auth/login", {"json": {"username": "admin"}}, (400, 422)),
    # unknown ids and ids that are not UUIDs
    ("ghost-camera", "GET", f"/api/cameras/{GHOST}", {}, 404),
    ("ghost-camera-patch", "PATCH", f"/api/cameras/{GHOST}", {"json": {"group": "g"}}, 404),
    ("ghost-camera-delete", "DELETE", f"/api/cameras/{GHOST}", {}, 404),
    ("ghost-camera-record", "POST", f"/api/cameras/{GHOST}/recording/stop", {}, 404),
    ("ghost-user", "GET", f"/api/users/{GHOST}", {}, 404),
    ("ghost-user-patch", "PATCH", f"/api/users/{GHOST}", {"json": {"role": "viewer"}}, 404),
    ("ghost-user-delete", "DELETE", f"/api/users/{GHOST}", {}, 404),
    ("ghost-probe-camera", "POST", "/api/cameras/test", {"json": {"host": "127.0.0.1", "camera_id": GHOST}}, 404),
    ("bad-id-camera", "GET", "/api/cameras/not-a-uuid", {}, 400),
    ("bad-id-camera-patch", "PATCH", "/api/cameras/12345", {"json": {"group": "g"}}, 400),
    ("bad-id-camera-delete", "DELETE", "/api/cameras/zzz", {}, 400),
    ("bad-id-camera-record", "POST", "/api/cameras/xyz/recording/start", {}, 400),
    ("bad-id-user", "GET", "/api/users/not-a-uuid", {}, 400),
    ("bad-id-user-delete", "DELETE", "/api/users/%00", {}, 400),
    ("uuid-with-junk", "GET", f"/api/cameras/{GHOST}x", {}, 400),
    # huge bodies
    ("huge-camera", "POST", "/api/cameras", {"json": _camera_body(name="x" * (2 * MiB))}, 413),
    ("huge-camera-patch", "PATCH", "/api/cameras/{cam}", {"json": {"group": "g" * (2 * MiB)}}, 413),
    ("huge-user", "POST", "/api/users", {"json": {"username": "u", "password": "p" * (2 * MiB), "role": "viewer"}}, 413),
    ("huge-login", "POST", "/api/auth/login", {"json": {"username": "x", "password": "p" * (2 * MiB)}}, 413),
    ("huge-chunked", "POST", "/api/cameras", _chunked(json.dumps(_camera_body(name="y" * (3 * MiB))).encode()), 413),
    # wrong content types
    ("text-plain", "POST", "/api/cameras", _raw(json.dumps(_camera_body()), "text/plain"), 415),
    ("form", "POST", "/api/cameras", _raw("name=x&host=h", "application/x-www-form-urlencoded"), 415),
    ("no-content-type", "POST", "/api/cameras", _raw(json.dumps(_camera_body()), None), 415),
    ("xml-patch", "PATCH", "/api/cameras/{cam}", _raw("<camera/>", "application/xml"), 415),
    ("text-login", "POST", "/api/auth/login", _raw('{"username":"a","password":"b"}', "text/plain"), 415),
    # unknown paths and wrong methods
    ("unknown-path", "GET", "/api/nope", {}, 404),
    ("unknown-nested", "GET", "/api/cameras/{cam}/nope", {}, 404),
    ("unknown-deep", "GET", "/api/users/{user}/a/b/c", {}, 404),
    ("unknown-post", "POST", "/api/definitely/not/here", {"json": {}}, 404),
    ("delete-collection", "DELETE", "/api/cameras", {}, 405),
    ("put-login", "PUT", "/api/auth/login", {"json": {}}, 405),
    ("get-login", "GET", "/api/auth/login", {}, 405),
    ("post-health", "POST", "/api/health", {"json": {}}, 405),
    ("delete-users", "DELETE", "/api/users", {}, 405),
    ("get-start-all", "GET", "/api/cameras/recording/start-all", {}, 405),
    ("patch-record", "PATCH", "/api/cameras/{cam}/recording/start", {"json": {}}, 405),
    ("post-user-item", "POST", "/api/users/{user}", {"json": {}}, 405),
    # absurd query strings
    ("validate-maybe", "POST", "/api/cameras?validate=maybe", {"json": _camera_body()}, 400),
    ("validate-words", "PATCH", "/api/cameras/{cam}?validate=yes%20please", {"json": {"port": 1}}, 400),
    ("import-validate-2", "POST", "/api/cameras/import?validate=2",
     {"json": {"format": "ronin-cameras", "version": 1, "credentials": "none", "cameras": []}}, 400),
]


@pytest.fixture(scope="module")
def sweep_api(server):
    return server.login()


@pytest.fixture(scope="module")
def targets(sweep_api):
    """A camera and a user to aim at, and the camera list before the sweep."""
    cam = sweep_api.post("/api/cameras", params={"validate": "false"}, json=camera_input(None))
    assert cam.status_code == 201, cam.text
    user = sweep_api.post("/api/users", json={"username": "sweep-" + uuid.uuid4().hex[:8],
                                              "password": "sweep-password", "role": "viewer"})
    assert user.status_code == 201, user.text
    before = sweep_api.get("/api/cameras").json()
    yield {"cam": cam.json()["id"], "user": user.json()["id"], "before": before}
    sweep_api.delete(f"/api/cameras/{cam.json()['id']}")
    sweep_api.delete(f"/api/users/{user.json()['id']}")


@pytest.mark.parametrize("method,path,kwargs,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_request_gets_a_4xx_json_error(sweep_api, targets, method, path, kwargs, expected):
    kwargs = dict(kwargs)
    if "chunked" in kwargs:
        kwargs["data"] = _chunks(kwargs.pop("chunked"))
    try:
        r = sweep_api.request(method, path.format(**targets), **kwargs)
    except requests.ConnectionError as e:
        pytest.fail(f"{method} {path}: the connection dropped instead of an answer: {e}")
    assert_error(r, expected)


def test_server_still_healthy_after_the_sweep(server, sweep_api, targets):
    assert server.proc.poll() is None, "the server process died"
    r = requests.get(server.base_url + "/api/health", timeout=10)
    assert r.status_code == 200 and r.json()["status"] == "ok"
    assert sweep_api.get("/api/cameras").json() == targets["before"], "the sweep changed the camera list"
