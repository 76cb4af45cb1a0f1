"""Viewers see what they need to watch, not how the system is wired (docs/api.md, Cameras and
Status): no camera addresses, accounts, stream paths or storage folders, no ffmpeg error text."""
from .helpers import RTSP_PASSWORD, RTSP_USER

WIRING = {"folder_name", "host", "port", "username", "has_password", "stream_path", "substream_path", "transport"}


def test_viewers_get_cameras_without_their_wiring(admin_api, viewer_api, cameras):
    cam = cameras.create(substream_path="/sub", username=RTSP_USER, password=RTSP_PASSWORD)
    assert cam["has_substream"] is True and cam["host"] == "127.0.0.1" and cam["has_password"] is True
    for seen in (viewer_api.get(f"/api/cameras/{cam['id']}").json(),
                 next(c for c in viewer_api.get("/api/cameras").json() if c["id"] == cam["id"])):
        assert set(seen) == set(cam), "viewers get the same keys"
        assert {k for k, v in seen.items() if v is None} >= WIRING, seen
        assert seen["has_substream"] is True and seen["name"] == cam["name"]
        text = str(seen)
        assert "127.0.0.1" not in text and RTSP_USER not in text and "/sub" not in text
    # Admins still see everything.
    assert admin_api.get(f"/api/cameras/{cam['id']}").json() == cam


def test_viewers_get_status_without_paths_or_error_text(admin_api, viewer_api, cameras, server):
    cameras.create()
    admin = admin_api.get("/api/status").json()
    viewer = viewer_api.get("/api/status").json()
    assert admin["storage"]["root"] == str(server.data_dir / "storage")
    assert viewer["storage"]["root"] is None
    assert str(server.data_dir) not in str(viewer)
    assert {c["id"] for c in viewer["cameras"]} == {c["id"] for c in admin["cameras"]}
    assert all(c["last_error"] is None for c in viewer["cameras"])
    assert viewer["storage"]["recordings_count"] == admin["storage"]["recordings_count"]
