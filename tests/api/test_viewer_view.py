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


def test_viewers_get_recordings_without_their_paths(admin_api, viewer_api, cameras, db):
    import datetime as dt
    cam = cameras.create()
    start = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
    db.add_recordings(cam["id"], [(start, start + dt.timedelta(minutes=15))], folder="Hidden_Folder_Name")
    query = {"camera_id": cam["id"], "start": "2026-03-01T00:00:00Z", "end": "2026-03-02T00:00:00Z"}
    admin = admin_api.get("/api/recordings", params=query).json()
    viewer = viewer_api.get("/api/recordings", params=query).json()
    assert len(admin) == len(viewer) == 1
    assert admin[0]["path"].startswith("Hidden_Folder_Name/")
    assert viewer[0]["path"] is None and "Hidden_Folder_Name" not in str(viewer)
    assert viewer[0]["file_url"] == admin[0]["file_url"]
    assert viewer_api.get(f"/api/recordings/{admin[0]['id']}").json()["path"] is None


def test_viewers_get_detection_status_without_hosts_addresses_or_error_text(make_server):
    """A server whose detection cannot run (the model is missing) and that notifies a webhook:
    admins read the reason, the worker's host and the receiver; viewers the same numbers without
    them."""
    import socket
    from support.waiting import wait_for
    srv = make_server({"ML_ENABLED": "true", "ML_MODEL_PATH": "/nonexistent/private-models/secret.onnx",
                       "NOTIFY_WEBHOOK_URLS": "http://127.0.0.1:9/private-receiver"})
    admin = srv.login()
    r = admin.post("/api/users", json={"username": "watcher", "password": "watcher-password-1", "role": "viewer"})
    assert r.status_code == 201, r.text
    viewer = srv.login("watcher", "watcher-password-1")
    wait_for(lambda: admin.get("/api/ml/status").json()["workers"], timeout=30)
    seen_by_admin = admin.get("/api/ml/status").json()
    seen_by_viewer = viewer.get("/api/ml/status").json()
    assert "private-models" in seen_by_admin["detection"]["reason"]
    assert seen_by_admin["notifications"]["webhooks"] == ["http://127.0.0.1:9/private-receiver"]
    host = seen_by_admin["workers"][0]["host"]
    assert host == socket.gethostname()
    text = str(seen_by_viewer)
    for secret in ("private-models", "secret.onnx", "private-receiver", "127.0.0.1", f"{host}:"):
        assert secret not in text, f"a viewer reads {secret!r}: {text}"
    assert seen_by_viewer["detection"]["available"] is False and seen_by_viewer["detection"]["reason"]
    assert [w["host"] for w in seen_by_viewer["workers"]] == [f"worker {i + 1}" for i in range(len(seen_by_admin["workers"]))]
    assert seen_by_viewer["queues"] == seen_by_admin["queues"]
    assert all(q["backlog_hours"] == round(q["backlog_seconds"] / 3600, 2) for q in seen_by_admin["queues"])


def test_viewers_read_why_an_event_picture_failed_without_ffmpeg_text(admin_api, viewer_api, cameras, server):
    import datetime as dt
    from support.event_rows import EventRow, EventRows
    cam = cameras.create()
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.timezone.utc)
    error = "ffmpeg: /srv/private-storage/Front_Door/2026-03-02/08-00-00.mp4: Invalid data found"
    row = EventRow(start=start, end=start + dt.timedelta(seconds=9), artifacts="failed", artifacts_error=error)
    EventRows(server).add_events(cam["id"], [row])
    admin = admin_api.get(f"/api/events/{row.id}/snapshot.jpg")
    viewer = viewer_api.get(f"/api/events/{row.id}/snapshot.jpg")
    assert admin.status_code == viewer.status_code == 404
    assert admin.json()["error"] == viewer.json()["error"] == "artifact_failed"
    assert "private-storage" in admin.json()["message"]
    assert "private-storage" not in viewer.text and "ffmpeg" not in viewer.text, viewer.text
