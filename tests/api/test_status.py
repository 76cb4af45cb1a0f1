"""GET /api/status on both databases: the recording totals (summed in SQL, where PostgreSQL
returns a bigint sum as numeric), the last hour and last day per camera, and camera states.

Recording rows are written straight into the database (support/db.py), so this covers on SQLite
and PostgreSQL what the Status page shows, without recording for hours.
"""
import datetime as dt

from .helpers import unique

UTC = dt.timezone.utc
BIG = 5 * 2**30  # a segment over 4 GiB: sums must not wrap at 32 bits


def status(api) -> dict:
    r = api.get("/api/status")
    assert r.status_code == 200, r.text
    return r.json()


def test_recording_statistics_count_the_rows(admin_api, cameras, db):
    camera = cameras.create(name=unique("stats"))
    now = dt.datetime.now(UTC)
    before = status(admin_api)["storage"]
    db.add_recordings(camera["id"], [(now - dt.timedelta(minutes=10), now - dt.timedelta(minutes=5))], size_bytes=BIG)
    db.add_recordings(camera["id"], [(now - dt.timedelta(hours=5), now - dt.timedelta(hours=4, minutes=50)),
                                     (now - dt.timedelta(days=3), now - dt.timedelta(days=3, minutes=-10))])
    report = status(admin_api)

    storage = report["storage"]
    assert storage["recordings_count"] - before["recordings_count"] == 3
    assert storage["recordings_bytes"] - before["recordings_bytes"] == BIG + 2 * 1000
    mine = next(c for c in report["recording_per_camera"] if c["camera_id"].lower() == camera["id"].lower())
    assert mine["name"] == camera["name"]
    assert mine["last_hour"] == {"segments": 1, "bytes": BIG}
    assert mine["last_day"] == {"segments": 2, "bytes": BIG + 1000}, "the 3-day-old segment is not in the last day"
    assert report["recording"]["last_hour"]["segments"] >= 1
    assert report["recording"]["last_day"]["bytes"] >= BIG + 1000


def test_camera_states_and_health(admin_api, viewer_api, cameras, server):
    camera = cameras.create(name=unique("state"))
    report = status(viewer_api)  # viewers see the Status page too
    assert report["api"]["status"] == "ok"
    assert report["api"]["database"] == {"sqlite": "sqlite", "postgres": "postgresql"}[server.database]
    mine = next(c for c in report["cameras"] if c["id"].lower() == camera["id"].lower())
    # The shared test server runs no pipelines: every camera is stopped.
    assert mine["state"] == "stopped" and mine["enabled"] is True, mine
    assert report["cameras_by_state"].get("stopped", 0) >= 1
    assert status(admin_api)["storage"]["root"] == server.env["STORAGE_ROOT"]
