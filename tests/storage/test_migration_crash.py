"""A move between tiers killed with kill -9 (docs/design/tiers.md, Moving): after the restart the
moves finish, nothing is lost, nothing is kept twice, and rows and files agree. Slowed by
MIGRATION_MAX_MBPS so the kill lands in the middle of a copy. On SQLite only (CI's time): the
statements it relies on (the tier switch, the job queue's) run on PostgreSQL in tests/storage/
test_retention.py and tests/detection.
"""
from __future__ import annotations

import signal

import pytest

from storage.helpers import file_sha256, place_footage, recordings, tier_of, wait_for_tiers
from support.waiting import wait_for

pytestmark = pytest.mark.sqlite_only


@pytest.mark.timeout(240)
def test_a_move_killed_midway_finishes_after_a_restart_without_loss_or_duplicates(make_server, moto_s3, tmp_path):
    warm = tmp_path / "warm"
    warm.mkdir()
    cold = moto_s3.bucket()
    srv = make_server({"RONIN_RUN_PIPELINES": "true", "WARM_STORAGE_PATH": str(warm), **cold, "HOT_MAX_AGE": "5s", "WARM_MAX_AGE": "30s",
                       "STORAGE_CHECK_SECONDS": "1", "STORAGE_MIN_FREE_GB": "0.01", "MIGRATION_MAX_MBPS": "1"})
    # Large segments (a low QP): each copy takes seconds at one megabyte a second.
    camera, originals = place_footage(srv, "Yard", count=4, seconds=10, quality=8)
    api = srv.login()
    hot = srv.data_dir / "storage"
    wait_for(lambda: list(warm.rglob("*.partial")), timeout=60, interval=0.1)
    srv.stop(signal.SIGKILL)
    assert list(warm.rglob("*.partial")), "killed in the middle of a copy"
    srv.start()
    api = srv.login()

    # Everything ends in cold storage (30 s of warm), each file once, whole.
    wait_for_tiers(api, camera["id"], lambda t: len(t) == 4 and set(t.values()) == {"cold"}, timeout=180)
    wait_for(lambda: api.get("/api/jobs", params={"state": "queued,running,failed"}).json()["total"] == 0, timeout=60)
    objects = moto_s3.keys(cold)
    assert set(objects) == set(originals), "exactly the recorded files, once each"
    assert not [p for p in hot.rglob("*.mp4") if ".recording" not in p.parts and ".streams" not in p.parts], "nothing left in hot storage"
    assert not list(warm.rglob("*.mp4")) and not list(warm.rglob("*.partial")), "nothing left in warm storage"
    rows = recordings(api, camera["id"])
    assert len(rows) == 4 and len({r["path"] for r in rows}) == 4
    for row in rows:
        assert api.get(row["file_url"]).content == open_bytes(moto_s3, cold, row["path"])
        assert file_sha256_of_bytes(open_bytes(moto_s3, cold, row["path"])) == originals[row["path"]]
    jobs = api.get("/api/jobs", params={"kind": "migrate", "limit": 500}).json()["jobs"]
    assert all(j["state"] == "succeeded" for j in jobs), [(j["state"], j["last_error"]) for j in jobs]
    assert api.get("/api/storage/deletions").json()["total"] == 0, "moving deletes nothing"


def open_bytes(moto_s3, cold: dict, key: str) -> bytes:
    body = moto_s3.client().get_object(Bucket=cold["COLD_STORAGE_S3_BUCKET"], Key=cold["COLD_STORAGE_S3_PREFIX"] + "/" + key)["Body"]
    return body.read()


def file_sha256_of_bytes(data: bytes) -> str:
    import hashlib
    return hashlib.sha256(data).hexdigest()
