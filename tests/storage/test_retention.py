"""Retention (docs/design/tiers.md, What goes first, Deleting): footage older than
RETENTION_MAX_AGE ends, file and row together, each deletion logged with its reason; footage a
locked event overlaps is kept; events left without footage go with their pictures. Runs on both
databases: the deletion's transaction and the log are SQL that must hold on each.
"""
from __future__ import annotations

import datetime as dt

import pytest

from recording.helpers import utc
from storage.helpers import place_footage, recordings
from support.event_rows import EventRow, EventRows
from support.waiting import wait_for


@pytest.mark.timeout(180)
def test_old_footage_ends_with_a_logged_reason_and_locked_footage_stays(make_server):
    srv = make_server({"RONIN_RUN_PIPELINES": "true", "STORAGE_CHECK_SECONDS": "1", "STORAGE_MIN_FREE_GB": "0.01"})
    # Six ten-second segments, the newest ending five seconds ago; no retention yet.
    camera, originals = place_footage(srv, "Drive", count=6, seconds=10)
    api = srv.login()
    rows = wait_for(lambda: len(found := recordings(api, camera["id"])) == 6 and found, timeout=30)
    oldest, second, third = rows[0], rows[1], rows[2]
    # A locked event in the oldest segment, an unlocked one in the second (alone in its footage),
    # and an unlocked one in the third with a picture folder.
    def event(row, locked):
        start = utc(row["start"]) + dt.timedelta(seconds=2)
        return EventRow(start=start, end=start + dt.timedelta(seconds=3), locked=locked, artifacts="ready")
    kept, orphan, pictured = event(oldest, True), event(second, False), event(third, False)
    EventRows(srv).add_events(camera["id"], [kept, orphan, pictured])
    pictures = srv.data_dir / "storage" / ".events" / camera["id"].lower() / pictured.id.lower()
    pictures.mkdir(parents=True)
    (pictures / "snapshot.jpg").write_bytes(b"\xff\xd8\xff")

    # Retention of 25 s, set in the UI: the four oldest segments are past it.
    r = api.put("/api/storage/policy", json={"retention_max_age": "25s"})
    assert r.status_code == 200 and r.json()["effective"]["max_age_seconds"] == 25, r.text
    wait_for(lambda: api.get("/api/storage/deletions").json()["total"] >= 3, timeout=60)
    wait_for(lambda: api.get("/api/jobs", params={"state": "queued,running,failed"}).json()["total"] == 0, timeout=60)

    left = {r["path"] for r in recordings(api, camera["id"])}
    assert oldest["path"] in left, "a locked event's footage is never deleted"
    assert second["path"] not in left and third["path"] not in left
    hot = srv.data_dir / "storage"
    assert (hot / oldest["path"]).exists() and not (hot / second["path"]).exists() and not (hot / third["path"]).exists()
    log = api.get("/api/storage/deletions", params={"limit": 2}).json()
    assert log["total"] >= 3 and len(log["deletions"]) == 2 and log["next_cursor"], log
    rest = api.get("/api/storage/deletions", params={"cursor": log["next_cursor"], "limit": 100}).json()["deletions"]
    deleted = log["deletions"] + rest
    assert len({d["id"] for d in deleted}) == len(deleted) == log["total"], "pages neither repeat nor skip"
    assert {d["path"] for d in deleted} >= {second["path"], third["path"]}
    assert all(d["reason"] == "age" and d["camera_id"].lower() == camera["id"].lower() and d["tier"] == "hot" for d in deleted), deleted
    for d in deleted:
        assert d["size_bytes"] > 0 and utc(d["deleted_at"]) >= utc(d["end"])
    # Events left without footage went, with their pictures; the locked one stayed.
    ids = {e["id"].lower() for e in api.get("/api/events", params={"camera_id": camera["id"]}).json()["events"]}
    assert kept.id.lower() in ids and orphan.id.lower() not in ids and pictured.id.lower() not in ids
    assert not pictures.exists()
    # Footage that is left still plays.
    remaining = recordings(api, camera["id"])
    assert all(api.get(r["file_url"], headers={"Range": "bytes=0-99"}).status_code == 206 for r in remaining)
