"""Camera CRUD, probing on save, passwords, names and recording switches (docs/api.md, Cameras)."""
import json
import time
import uuid
from pathlib import Path

import pytest

from .helpers import (RTSP_PASSWORD, RTSP_USER, LogWindow, assert_camera_shape, assert_error,
                      alnum_unique, camera_input, closed_port, unique)


def _names(api) -> list[str]:
    return [c["name"] for c in api.get("/api/cameras").json()]


def test_create_with_probe_against_the_test_camera(admin_api, test_camera, cameras):
    body = camera_input(test_camera, group="Outside", sort_order=3, substream_path="/vtest-noaudio",
                        audio_enabled=True, transport="tcp")
    r = admin_api.post("/api/cameras", json=body)
    assert r.status_code == 201, r.text
    cam = r.json()
    cameras.track(cam["id"])
    assert_camera_shape(cam)
    for field in ("name", "host", "port", "stream_path", "substream_path", "group", "sort_order",
                  "audio_enabled", "transport", "recording_enabled"):
        assert cam[field] == body[field], field
    assert cam["has_password"] is False
    assert cam["username"] == ""
    assert cam["enabled"] is True
    assert admin_api.get(f"/api/cameras/{cam['id']}").json() == cam
    assert cam in admin_api.get("/api/cameras").json()


def test_defaults(admin_api, cameras):
    name = unique("defaults")
    r = admin_api.post("/api/cameras", params={"validate": "false"},
                       json={"name": name, "host": "127.0.0.1", "recording_enabled": False})
    assert r.status_code == 201, r.text
    cam = r.json()
    cameras.track(cam["id"])
    assert_camera_shape(cam)  # null fields (substream_path, group) are present, not left out
    assert cam["port"] == 554
    assert cam["username"] == ""
    assert cam["has_password"] is False
    assert cam["stream_path"] == "/"
    assert cam["substream_path"] is None
    assert cam["transport"] == "tcp"
    assert cam["enabled"] is True
    assert cam["audio_enabled"] is False
    assert cam["group"] is None
    assert cam["sort_order"] == 0


@pytest.mark.parametrize("case", ["bad-path", "closed-port"])
def test_failed_probe_is_422_and_saves_nothing(admin_api, test_camera, case):
    if case == "bad-path":
        body = camera_input(test_camera, "/no-such-stream")
    else:
        body = camera_input(None)
    r = admin_api.post("/api/cameras", json=body)
    assert_error(r, 422, "probe_failed")
    assert body["name"] not in _names(admin_api)


def test_validate_false_saves_without_probing(admin_api, cameras):
    body = camera_input(None)
    r = admin_api.post("/api/cameras", params={"validate": "false"}, json=body)
    assert r.status_code == 201, r.text
    cameras.track(r.json()["id"])
    assert body["name"] in _names(admin_api)


def test_charset_in_content_type_is_fine(admin_api, cameras):
    body = camera_input(None)
    r = admin_api.post("/api/cameras", params={"validate": "false"}, data=json.dumps(body).encode(),
                       headers={"Content-Type": "application/json; charset=utf-8"})
    assert r.status_code == 201, r.text
    cameras.track(r.json()["id"])


@pytest.mark.parametrize("fields", [
    {"name": ""}, {"port": 0}, {"port": 65536}, {"port": -1}, {"host": ""},
    {"transport": "carrier-pigeon"},
], ids=["empty-name", "port-0", "port-65536", "port-negative", "empty-host", "bad-transport"])
def test_invalid_values_are_422(admin_api, fields):
    body = camera_input(None, **fields)
    r = admin_api.post("/api/cameras", params={"validate": "false"}, json=body)
    assert_error(r, 422, "validation_failed")
    if body["name"]:
        assert body["name"] not in _names(admin_api)


def test_patch_and_put(admin_api, cameras):
    cam = cameras.create(group="A")
    new_name = unique("renamed")
    r = admin_api.patch(f"/api/cameras/{cam['id']}", json={"name": new_name, "group": "B"})
    assert r.status_code == 200, r.text  # no connection field changed: no probe of the closed port
    patched = r.json()
    assert patched["name"] == new_name and patched["group"] == "B"
    assert patched["host"] == cam["host"] and patched["port"] == cam["port"]
    assert patched["created_at"] == cam["created_at"]
    assert patched["updated_at"] >= cam["updated_at"]

    r = admin_api.put(f"/api/cameras/{cam['id']}", json={"group": None, "sort_order": 7})
    assert r.status_code == 200, r.text
    assert r.json().get("group") is None and r.json()["sort_order"] == 7 and r.json()["name"] == new_name

    for bad in ({"port": 0}, {"name": ""}, {"port": 70000}):
        assert_error(admin_api.patch(f"/api/cameras/{cam['id']}", params={"validate": "false"}, json=bad),
                     422, "validation_failed")
    assert admin_api.get(f"/api/cameras/{cam['id']}").json() == r.json()


def test_connection_change_reprobes_unless_told_not_to(admin_api, test_camera, cameras):
    cam = cameras.create(test_camera, validate=True)
    dead_port = closed_port()
    assert_error(admin_api.patch(f"/api/cameras/{cam['id']}", json={"port": dead_port}), 422,
                 "probe_failed")
    assert_error(admin_api.patch(f"/api/cameras/{cam['id']}", json={"stream_path": "/nope"}), 422,
                 "probe_failed")
    assert admin_api.get(f"/api/cameras/{cam['id']}").json() == cam
    r = admin_api.patch(f"/api/cameras/{cam['id']}", params={"validate": "false"}, json={"port": dead_port})
    assert r.status_code == 200 and r.json()["port"] == dead_port
    r = admin_api.patch(f"/api/cameras/{cam['id']}", json={"port": test_camera.port,
                                                          "stream_path": "/vtest-noaudio"})
    assert r.status_code == 200, r.text
    assert r.json()["stream_path"] == "/vtest-noaudio"


def test_delete(admin_api, cameras):
    cam = cameras.create()
    assert admin_api.delete(f"/api/cameras/{cam['id']}").status_code == 204
    assert_error(admin_api.get(f"/api/cameras/{cam['id']}"), 404, "not_found")
    assert_error(admin_api.delete(f"/api/cameras/{cam['id']}"), 404, "not_found")
    assert cam["id"] not in [c["id"] for c in admin_api.get("/api/cameras").json()]


def test_unknown_id_is_404(admin_api):
    ghost = str(uuid.uuid4())
    assert_error(admin_api.get(f"/api/cameras/{ghost}"), 404, "not_found")
    assert_error(admin_api.patch(f"/api/cameras/{ghost}", params={"validate": "false"},
                                 json={"group": "x"}), 404, "not_found")
    assert_error(admin_api.delete(f"/api/cameras/{ghost}"), 404, "not_found")
    assert_error(admin_api.post(f"/api/cameras/{ghost}/recording/start"), 404, "not_found")


# --- passwords --------------------------------------------------------------------------------

def test_password_is_never_returned(server, admin_api, cameras):
    secret = "pw-" + uuid.uuid4().hex
    log = LogWindow(server)
    cam = cameras.create(username="someone", password=secret)
    assert cam["has_password"] is True
    responses = [admin_api.get("/api/cameras"), admin_api.get(f"/api/cameras/{cam['id']}"),
                 admin_api.patch(f"/api/cameras/{cam['id']}", json={"group": "g"}),
                 admin_api.post(f"/api/cameras/{cam['id']}/recording/stop"),
                 admin_api.get("/api/cameras/export"),
                 admin_api.get("/api/cameras/export", headers={"X-Export-Passphrase": "long-passphrase"})]
    for r in responses:
        assert r.status_code == 200, r.text
        assert secret not in r.text, f"{r.request.method} {r.request.url} leaks the password"
    assert secret not in log.text(), "the camera password is in the server log"


def test_patch_keeps_password_when_omitted_and_removes_it_with_empty(admin_api, cameras):
    cam = cameras.create(username="u", password="keep-me-" + uuid.uuid4().hex[:6])
    r = admin_api.patch(f"/api/cameras/{cam['id']}", json={"name": unique("kept")})
    assert r.status_code == 200 and r.json()["has_password"] is True
    r = admin_api.patch(f"/api/cameras/{cam['id']}", params={"validate": "false"}, json={"password": ""})
    assert r.status_code == 200, r.text
    assert r.json()["has_password"] is False
    assert admin_api.get(f"/api/cameras/{cam['id']}").json()["has_password"] is False
    r = admin_api.patch(f"/api/cameras/{cam['id']}", params={"validate": "false"}, json={"password": "again-1"})
    assert r.status_code == 200 and r.json()["has_password"] is True


def test_kept_password_still_opens_the_authed_camera(server, admin_api, authed_camera, cameras):
    log = LogWindow(server)
    cam = cameras.create(authed_camera, validate=True, username=RTSP_USER, password=RTSP_PASSWORD)
    assert cam["has_password"] is True
    r = admin_api.patch(f"/api/cameras/{cam['id']}", json={"stream_path": "/vtest-noaudio"})
    assert r.status_code == 200, f"re-probe with the stored password failed: {r.text}"
    r = admin_api.patch(f"/api/cameras/{cam['id']}", json={"password": ""})
    assert_error(r, 422, "probe_failed")
    assert admin_api.get(f"/api/cameras/{cam['id']}").json()["has_password"] is True
    assert RTSP_PASSWORD not in log.text(), "the RTSP password is in the server log"


def test_wrong_password_probe_never_echoes_it(server, admin_api, authed_camera):
    secret = "wrong-" + uuid.uuid4().hex
    log = LogWindow(server)
    body = camera_input(authed_camera, username=RTSP_USER, password=secret)
    r = admin_api.post("/api/cameras", json=body)
    error = assert_error(r, 422, "probe_failed")
    assert "auth" in error["message"].lower(), error
    assert secret not in r.text
    assert body["name"] not in _names(admin_api)
    assert secret not in log.text(), "a failed probe logged the password"


# --- names ------------------------------------------------------------------------------------

def test_duplicate_names_case_insensitive_are_409(admin_api, cameras):
    cam = cameras.create(name=alnum_unique("Dup"))
    for name in (cam["name"], cam["name"].upper(), cam["name"].lower()):
        r = admin_api.post("/api/cameras", params={"validate": "false"}, json=camera_input(None, name=name))
        assert_error(r, 409, "conflict")
    other = cameras.create()
    r = admin_api.patch(f"/api/cameras/{other['id']}", json={"name": cam["name"].swapcase()})
    assert_error(r, 409, "conflict")
    assert _names(admin_api).count(cam["name"]) == 1


WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)} | \
    {f"LPT{i}" for i in range(1, 10)}

HOSTILE_NAMES = {
    "dotdot-etc": "../etc", "slash": "a/b", "dotdot": "..", "dot": ".", "empty": "", "spaces": "   ",
    "nul": "cam\x00era", "newline": "cam\nera", "tab": "cam\tera", "del": "cam\x7fera",
    "backslash": "a\\b", "backslash-dotdot": "..\\..\\win", "abs": "/etc/passwd", "long": "L" * 300,
    "long-utf8": "é" * 200, "con": "CON", "nul-txt": "nul.txt", "lpt1": "lpt1", "trailing-dot": "cam.",
    "leading-dash": "-rf", "colon": "c:cam", "rtl": "cam\u202eexe.mp4",
}


def _assert_safe_folder(folder: str) -> None:
    assert isinstance(folder, str) and folder.strip(), f"empty folder name {folder!r}"
    assert "/" not in folder and "\\" not in folder, folder
    assert folder not in (".", ".."), folder
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in folder), repr(folder)
    assert len(folder.encode()) <= 255, f"folder name of {len(folder.encode())} bytes"
    stem = folder.split(".")[0].rstrip(" ").upper()
    assert stem not in WINDOWS_RESERVED, f"Windows device name {folder!r}"


@pytest.mark.parametrize("name", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
def test_hostile_names_are_rejected_or_made_safe(server, admin_api, cameras, name):
    # Each name is used once per server (each database kind has its own server), so no suffix.
    r = admin_api.post("/api/cameras", params={"validate": "false"}, json=camera_input(None, name=name))
    if r.status_code == 422:
        assert_error(r, 422, "validation_failed")
        return
    assert r.status_code == 201, f"{name!r}: expected 201 or 422, got {r.status_code} {r.text}"
    cam = r.json()
    cameras.track(cam["id"])
    _assert_safe_folder(cam["folder_name"])
    storage = (server.data_dir / "storage").resolve()
    assert (storage / cam["folder_name"]).resolve().parent == storage


def test_distinct_cameras_get_distinct_folders(admin_api, cameras):
    tag = uuid.uuid4().hex[:6]
    folders = {}
    for name in (f"a/b {tag}", f"a_b {tag}", f"a\\b {tag}", f"a:b {tag}", f"a-b {tag}", f"a b {tag}",
                 f"A/B.{tag}", f"a.b.{tag}"):
        r = admin_api.post("/api/cameras", params={"validate": "false"}, json=camera_input(None, name=name))
        if r.status_code == 201:
            cameras.track(r.json()["id"])
            folders[name] = r.json()["folder_name"]
        else:
            assert_error(r, (409, 422))
    lowered = [f.lower() for f in folders.values()]
    assert len(set(lowered)) == len(lowered), f"cameras share a storage folder: {folders}"


@pytest.mark.sqlite_only  # where footage lands on disk; the folder names' rows are checked on both above
def test_recording_folders_stay_inside_storage(make_server, test_camera):
    """Cameras with traversal names that really record: their folders appear inside STORAGE_ROOT.

    A server of its own with 2-second segments, so finished segments reach their folders soon.
    """
    srv = make_server(env={"RONIN_RUN_PIPELINES": "true", "RECORDING_SEGMENT_SECONDS": "2"})
    api = srv.login()
    storage = Path(srv.env["STORAGE_ROOT"]).resolve()
    tag = uuid.uuid4().hex[:8]
    created = []
    for name in (f"../escape-{tag}", f"../../escape2-{tag}", f"sub/dir-{tag}"):
        r = api.post("/api/cameras", params={"validate": "false"},
                     json=camera_input(test_camera, name=name, recording_enabled=True))
        if r.status_code == 422:
            assert_error(r, 422, "validation_failed")
            continue
        assert r.status_code == 201, r.text
        created.append(r.json())
    assert created, "every traversal name was refused; nothing left to record"

    def recorded(cam) -> bool:
        folder = storage / cam["folder_name"]
        return folder.is_dir() and any(folder.rglob("*.mp4"))

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(recorded(c) for c in created):
        time.sleep(1)
    api.post("/api/cameras/recording/stop-all")
    for cam in created:
        assert recorded(cam), (f"no recorded segment under {cam['folder_name']!r} after 60 s; storage has "
                               f"{sorted(str(p.relative_to(storage)) for p in storage.rglob('*'))}")
    for escaped in (storage.parent / f"escape-{tag}", storage.parent.parent / f"escape2-{tag}",
                    storage / "sub" / f"dir-{tag}"):
        assert not escaped.exists(), f"a camera name escaped into {escaped}"
    for entry in storage.rglob("*"):
        assert entry.resolve().is_relative_to(storage), entry


# --- recording switches, order, groups -------------------------------------------------------

def test_recording_start_and_stop(admin_api, cameras):
    cam = cameras.create(recording_enabled=False)
    r = admin_api.post(f"/api/cameras/{cam['id']}/recording/start")
    assert r.status_code == 200, r.text
    assert r.json()["id"] == cam["id"] and "password" not in r.json()
    assert r.json()["recording_enabled"] is True
    assert admin_api.get(f"/api/cameras/{cam['id']}").json()["recording_enabled"] is True
    r = admin_api.post(f"/api/cameras/{cam['id']}/recording/stop")
    assert r.status_code == 200 and r.json()["recording_enabled"] is False
    assert admin_api.get(f"/api/cameras/{cam['id']}").json()["recording_enabled"] is False


def test_start_all_and_stop_all(admin_api, cameras):
    cameras.create(recording_enabled=False)
    cameras.create(recording_enabled=True)
    try:
        r = admin_api.post("/api/cameras/recording/start-all")
        assert r.status_code == 200, r.text
        assert isinstance(r.json()["updated"], int) and r.json()["updated"] >= 1
        listed = admin_api.get("/api/cameras").json()
        assert all(c["recording_enabled"] for c in listed)
        # Every camera is recording now, so stop-all changes each one of them.
        r = admin_api.post("/api/cameras/recording/stop-all")
        assert r.status_code == 200, r.text
        assert r.json() == {"updated": len(listed)}
        assert not any(c["recording_enabled"] for c in admin_api.get("/api/cameras").json())
    finally:
        admin_api.post("/api/cameras/recording/stop-all")


def test_list_order_is_sort_order_then_name(admin_api, cameras):
    stem = alnum_unique("order")
    made = [cameras.create(name=stem + "c", sort_order=1), cameras.create(name=stem + "a", sort_order=2),
            cameras.create(name=stem + "b", sort_order=1), cameras.create(name=stem + "d", sort_order=-5)]
    ids = {c["id"] for c in made}
    ours = [c["name"] for c in admin_api.get("/api/cameras").json() if c["id"] in ids]
    assert ours == [stem + "d", stem + "b", stem + "c", stem + "a"]
    listed = admin_api.get("/api/cameras").json()
    keys = [c["sort_order"] for c in listed]
    assert keys == sorted(keys), "list not ordered by sort_order"


def test_group_round_trip(admin_api, cameras):
    cam = cameras.create(group="Backyard 🌳")
    assert cam["group"] == "Backyard 🌳"
    r = admin_api.patch(f"/api/cameras/{cam['id']}", json={"group": None})
    assert r.status_code == 200, r.text
    assert "group" in r.json(), "a null group must be returned as null, not left out"
    assert r.json()["group"] is None
