"""POST /api/cameras/test: probing real RTSP streams from the gst-rtsp-server test camera."""
import uuid

from .helpers import (RTSP_PASSWORD, RTSP_USER, LogWindow, assert_error, closed_port, probe_input)


def _probe(api, body):
    return api.post("/api/cameras/test", json=body)


def _assert_ok(r) -> dict:
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is True
    assert isinstance(body["elapsed_ms"], int) and body["elapsed_ms"] >= 0
    return body


def test_main_stream_h264_with_aac(admin_api, test_camera):
    body = _assert_ok(_probe(admin_api, probe_input(test_camera, "/vtest")))
    video = body["video"]
    assert video["codec"] == "h264"
    assert (video["width"], video["height"]) == (768, 576)
    assert abs(float(video["fps"]) - 10.0) < 0.5, video
    audio = body["audio"]
    assert audio is not None and audio["codec"] == "aac"
    assert isinstance(audio["sample_rate"], int) and audio["sample_rate"] > 0
    assert isinstance(audio["channels"], int) and audio["channels"] >= 1


def test_stream_without_audio(admin_api, test_camera):
    body = _assert_ok(_probe(admin_api, probe_input(test_camera, "/vtest-noaudio")))
    assert body["video"]["codec"] == "h264"
    assert "audio" in body, "docs/api.md: `audio` is null when the stream has none, not left out"
    assert body["audio"] is None


def test_g711_audio(admin_api, test_camera):
    body = _assert_ok(_probe(admin_api, probe_input(test_camera, "/vtest-g711")))
    assert body["audio"]["codec"] == "pcm_mulaw"
    assert body["audio"]["sample_rate"] == 8000


def test_closed_port_is_422_with_a_message(admin_api):
    r = _probe(admin_api, {"host": "127.0.0.1", "port": closed_port(), "stream_path": "/vtest"})
    error = assert_error(r, 422, "probe_failed")
    assert len(error["message"]) > 5


def test_unknown_stream_is_422(admin_api, test_camera):
    assert_error(_probe(admin_api, probe_input(test_camera, "/no-such-mount")), 422, "probe_failed")


def test_host_is_required(admin_api):
    assert_error(_probe(admin_api, {"port": 554}), (400, 422))


def test_authed_camera_without_password_says_authentication(server, admin_api, authed_camera):
    r = _probe(admin_api, probe_input(authed_camera, "/vtest", username=RTSP_USER))
    error = assert_error(r, 422, "probe_failed")
    assert "auth" in error["message"].lower(), error["message"]


def test_authed_camera_with_wrong_password_hides_it(server, admin_api, authed_camera):
    secret = "wrong-" + uuid.uuid4().hex
    log = LogWindow(server)
    r = _probe(admin_api, probe_input(authed_camera, "/vtest", username=RTSP_USER, password=secret))
    error = assert_error(r, 422, "probe_failed")
    assert "auth" in error["message"].lower(), error["message"]
    assert secret not in r.text
    assert secret not in log.text(), "the probe logged the password"


def test_authed_camera_with_right_password(server, admin_api, authed_camera):
    log = LogWindow(server)
    body = _assert_ok(_probe(admin_api, probe_input(authed_camera, "/vtest", username=RTSP_USER,
                                                    password=RTSP_PASSWORD)))
    assert body["video"]["codec"] == "h264"
    assert RTSP_PASSWORD not in log.text(), "the probe logged the password"


def test_camera_id_supplies_the_stored_password(server, admin_api, authed_camera, cameras):
    log = LogWindow(server)
    cam = cameras.create(authed_camera, username=RTSP_USER, password=RTSP_PASSWORD)
    base = probe_input(authed_camera, "/vtest", username=RTSP_USER)
    _assert_ok(_probe(admin_api, {**base, "camera_id": cam["id"]}))
    # An explicit password wins over the stored one.
    r = _probe(admin_api, {**base, "camera_id": cam["id"], "password": "not-it-" + uuid.uuid4().hex})
    assert_error(r, 422, "probe_failed")
    # Without camera_id there is no stored password to use.
    assert_error(_probe(admin_api, base), 422, "probe_failed")
    assert RTSP_PASSWORD not in log.text()


def test_unknown_camera_id_is_404(admin_api, test_camera):
    r = _probe(admin_api, {**probe_input(test_camera), "camera_id": str(uuid.uuid4())})
    assert_error(r, 404, "not_found")


def test_probe_saves_nothing(admin_api, test_camera):
    before = admin_api.get("/api/cameras").json()
    _assert_ok(_probe(admin_api, {**probe_input(test_camera), "name": "probe-only-" + uuid.uuid4().hex}))
    assert admin_api.get("/api/cameras").json() == before
