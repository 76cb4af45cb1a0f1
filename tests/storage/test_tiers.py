"""Footage moves hot → warm → cold (docs/design/tiers.md) by age, with second-scale policies,
to a warm folder and to a real S3 API (moto): every row says where its footage is, the footage
is there and only there, byte for byte; it plays from every tier with ranges, the day's
timeline stays whole, and one clip export spans hot, warm and cold. A tier that cannot be
reached is reported, and its footage is neither forgotten nor marked missing.
"""
from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from pathlib import Path

import pytest

from recording.helpers import decodes_cleanly, iso, media_duration, utc
from storage.helpers import file_sha256, place_footage, recordings, sha256, storage, tier_of, wait_for_tiers
from support.waiting import wait_for

pytestmark = pytest.mark.sqlite_only  # files, S3 and ffmpeg; the rows' SQL runs on both databases in tests/api

def settle(api) -> None:
    """Waits until no move or deletion is waiting or running."""
    wait_for(lambda: api.get("/api/jobs", params={"state": "queued,running,failed"}).json()["total"] == 0, timeout=60)


POLICY = {"RONIN_RUN_PIPELINES": "true", "HOT_MAX_AGE": "30s", "WARM_MAX_AGE": "60s", "STORAGE_CHECK_SECONDS": "1",
          "STORAGE_MIN_FREE_GB": "0.01"}


@pytest.mark.timeout(240)
def test_footage_moves_down_the_tiers_and_plays_and_exports_from_every_one(make_server, moto_s3, tmp_path):
    cold = moto_s3.bucket()
    warm = tmp_path / "warm"
    warm.mkdir()
    srv = make_server({**POLICY, "WARM_STORAGE_PATH": str(warm), **cold})
    # Two minutes of footage in ten-second segments, the newest ending five seconds ago.
    camera, originals = place_footage(srv, "Loading Gate", count=12, seconds=10)
    api = srv.login()
    wait_for_tiers(api, camera["id"], lambda found: len(found) == 12 and {"hot", "warm", "cold"} <= set(found.values()), timeout=60)
    # Policies edited here apply at the next check: nothing more moves for an hour, and once the
    # moves under way end, rows and storage can be compared.
    r = api.put("/api/storage/policy", json={"hot_max_age": "1h", "warm_max_age": "2h"})
    assert r.status_code == 200 and r.json()["hot"]["max_age_seconds"] == 3600, r.text
    settle(api)

    # Each recording is where its row says, and only there, byte for byte.
    hot, objects = srv.data_dir / "storage", moto_s3.keys(cold)
    for key, tier in tier_of(api, camera["id"]).items():
        assert ((hot / key).exists(), (warm / key).exists(), key in objects) == (tier == "hot", tier == "warm", tier == "cold"), (key, tier)
        if tier != "cold":
            assert file_sha256((hot if tier == "hot" else warm) / key) == originals[key]
    assert not list(warm.rglob("*.partial")), "no copy is left half-written"

    # They play from every tier: whole and by ranges, the same bytes as recorded.
    rows = recordings(api, camera["id"])
    for row in rows:
        whole = api.get(row["file_url"])
        assert whole.status_code == 200 and sha256(whole.content) == originals[row["path"]], (row["tier"], row["path"])
        assert row["sha256"] == originals[row["path"]], "the row keeps the footage's hash as it was recorded, wherever it is"
        part = api.get(row["file_url"], headers={"Range": "bytes=1000-4999"})
        assert part.status_code == 206 and part.content == whole.content[1000:5000], row["tier"]
        assert part.headers["Content-Range"] == f"bytes 1000-4999/{len(whole.content)}"
        assert api.get(row["file_url"], headers={"Range": f"bytes={len(whole.content) + 10}-"}).status_code == 416
    assert {r["tier"] for r in rows} == {"hot", "warm", "cold"}

    # The day's timeline is whole across the tier boundaries.
    first, last = utc(rows[0]["start"]), utc(rows[-1]["end"])
    timeline = api.get(f"/api/playback/{camera['id']}/timeline", params={"date": first.strftime("%Y-%m-%d"), "tz": "UTC"}).json()
    covering = [r for r in timeline["ranges"] if utc(r["start"]) <= first + dt.timedelta(seconds=1) and utc(r["end"]) >= last - dt.timedelta(seconds=1)]
    assert covering, f"one range covers all the footage: {timeline['ranges']}"

    # One export from cold footage to hot, without re-encoding.
    start, end = first + dt.timedelta(seconds=13), last - dt.timedelta(seconds=3)
    clip = api.get(f"/api/playback/{camera['id']}/export", params={"start": iso(start), "end": iso(end), "tz": "UTC"})
    assert clip.status_code == 200, clip.text[:300]
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "clip.mp4"
        path.write_bytes(clip.content)
        assert decodes_cleanly(path)
        wanted = (end - start).total_seconds()
        assert wanted - 0.5 <= media_duration(path) <= wanted + 2.5, (media_duration(path), wanted)

    status = storage(api)
    by_tier = {t["tier"]: t for t in status["tiers"]}
    assert all(by_tier[t]["configured"] and by_tier[t]["reachable"] and by_tier[t]["recordings"] > 0 for t in ("hot", "warm", "cold")), by_tier
    assert by_tier["cold"]["location"].startswith(f"s3://{cold['COLD_STORAGE_S3_BUCKET']}/footage")
    assert cold["COLD_STORAGE_S3_SECRET_ACCESS_KEY"] not in str(status) + srv.log_text()


@pytest.mark.timeout(180)
def test_footage_that_changed_on_disk_since_it_was_recorded_is_not_moved(make_server, tmp_path):
    """A move checks its copy against the footage's SHA-256 as recorded: a file that rotted on
    disk after it was indexed stays where it is, the move fails saying why, and the rest moves."""
    warm = tmp_path / "warm"
    warm.mkdir()
    srv = make_server({**POLICY, "HOT_MAX_AGE": "1h", "WARM_MAX_AGE": "2h", "WARM_STORAGE_PATH": str(warm)})
    camera, originals = place_footage(srv, "Rotting Gate", count=4, seconds=10)
    api = srv.login()
    rows = wait_for(lambda: (found := recordings(api, camera["id"])) and len(found) == 4 and all(r["sha256"] for r in found) and found,
                    timeout=60)
    assert {r["path"]: r["sha256"] for r in rows} == originals, "adopted footage is hashed as it is indexed"
    rotten = rows[1]["path"]
    with open(srv.data_dir / "storage" / rotten, "r+b") as handle:
        handle.seek(5000)
        byte = handle.read(1)
        handle.seek(5000)
        handle.write(bytes([byte[0] ^ 0x40]))

    assert api.put("/api/storage/policy", json={"hot_max_age": "1s"}).status_code == 200
    wait_for_tiers(api, camera["id"], lambda found: sum(t == "warm" for t in found.values()) == 3, timeout=60)
    failed = wait_for(lambda: [j for j in api.get("/api/jobs", params={"kind": "migrate", "limit": 50}).json()["jobs"]
                               if j["last_error"] and "as recorded" in j["last_error"]], timeout=60)
    assert rotten in failed[0]["last_error"] or failed[0]["recording_id"] == rows[1]["id"], failed[0]
    assert tier_of(api, camera["id"])[rotten] == "hot"
    assert (srv.data_dir / "storage" / rotten).exists() and not (warm / rotten).exists()
    assert not list(warm.rglob("*.partial")), "the rejected copy is removed"


@pytest.mark.timeout(240)
def test_an_unreachable_tier_is_reported_and_its_footage_is_kept(make_server, tmp_path):
    warm = tmp_path / "warm"
    warm.mkdir()
    srv = make_server({**POLICY, "HOT_MAX_AGE": "20s", "WARM_STORAGE_PATH": str(warm)})
    camera, originals = place_footage(srv, "Back Lot", count=4, seconds=10)
    api = srv.login()
    found = wait_for_tiers(api, camera["id"], lambda t: list(t.values()).count("warm") >= 2, timeout=60)
    moved = [key for key, tier in found.items() if tier == "warm"]

    # The warm disk goes away (unmounted): it is reported, nothing is marked missing or deleted,
    # and hot footage that should move waits where it is.
    away = tmp_path / "unmounted"
    warm.rename(away)
    status = api.post("/api/storage/check").json()
    warm_status = next(t for t in status["tiers"] if t["tier"] == "warm")
    assert warm_status["reachable"] is False and "not there" in warm_status["error"], warm_status
    viewer_visible = api.get("/api/storage").json()
    assert viewer_visible["critical"] is False
    srv.stop()
    srv.start()
    api = srv.login()
    rows = {r["path"]: r for r in recordings(api, camera["id"])}
    assert all(rows[key]["status"] == "complete" and rows[key]["tier"] == "warm" for key in moved), rows
    assert "could not be checked at start" in srv.log_text()
    assert api.get("/api/storage/deletions").json()["total"] == 0

    # It comes back: its footage plays again.
    away.rename(warm)
    row = rows[moved[0]]
    played = api.get(row["file_url"])
    assert played.status_code == 200 and sha256(played.content) == originals[moved[0]]
