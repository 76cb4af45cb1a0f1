"""A camera's stored password goes only to the address it was given for (docs/api.md, Cameras):
moving a camera to another host or port without entering the password again drops it."""
from .helpers import RTSP_PASSWORD, RTSP_USER, assert_error, probe_input


def test_changing_host_or_port_without_the_password_drops_it(admin_api, cameras):
    cam = cameras.create(username=RTSP_USER, password=RTSP_PASSWORD)
    assert cam["has_password"] is True
    path = f"/api/cameras/{cam['id']}?validate=false"
    renamed = admin_api.patch(path, json={"name": cam["name"] + "-x", "group": "Inside"}).json()
    assert renamed["has_password"] is True, "changes that do not move the camera keep the password"
    same_host = admin_api.patch(path, json={"host": cam["host"].upper()}).json()
    assert same_host["has_password"] is True, "the same host, spelled differently, is not a move"
    moved = admin_api.patch(path, json={"host": "127.0.0.2"}).json()
    assert moved["has_password"] is False and moved["username"] == RTSP_USER
    again = admin_api.patch(path, json={"host": "127.0.0.1", "password": RTSP_PASSWORD}).json()
    assert again["has_password"] is True, "a move that brings its password keeps it"
    ported = admin_api.patch(path, json={"port": cam["port"] + 1}).json()
    assert ported["has_password"] is False


def test_a_probe_at_another_address_does_not_borrow_the_stored_password(admin_api, authed_camera, cameras):
    cam = cameras.create(authed_camera, username=RTSP_USER, password=RTSP_PASSWORD)
    # At its own address the stored password opens the camera.
    r = admin_api.post("/api/cameras/test", json={"camera_id": cam["id"], **probe_input(authed_camera)})
    assert r.status_code == 200, r.text
    # The same camera asked for by another name is another address: no credentials are sent.
    r = admin_api.post("/api/cameras/test", json={"camera_id": cam["id"], **probe_input(authed_camera, host="localhost")})
    body = assert_error(r, 422, "probe_failed")
    assert "auth" in body["message"].lower(), body
    assert RTSP_PASSWORD not in r.text
