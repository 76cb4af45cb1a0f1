"""Helpers for the storage tests: footage put in place with known contents, recordings read
back, and storage status at a glance."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from recording.helpers import iso
from support.footage import write_segments
from support.waiting import wait_for


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def place_footage(srv, name: str, count: int, seconds: float, end: dt.datetime | None = None, **options) -> tuple[dict, dict[str, str]]:
    """A camera that is not recorded, whose footage is written while the server is stopped; the
    server adopts it at its next start. Returns the camera and each file's key → SHA-256, taken
    before the server could move anything."""
    api = srv.login()
    r = api.post("/api/cameras", params={"validate": "false"}, json={"name": name, "host": "127.0.0.1", "port": 9, "enabled": False})
    assert r.status_code == 201, r.text
    camera = r.json()
    srv.stop()
    end = end or dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(seconds=5)
    root = srv.data_dir / "storage"
    files = write_segments(root / camera["folder_name"], count, seconds, end, **options)
    hashes = {str(path.relative_to(root)): file_sha256(path) for path in files}
    srv.start()
    return camera, hashes


def recordings(api, camera_id: str, hours: float = 3) -> list[dict]:
    """The camera's finished recordings (not the segment being written)."""
    now = dt.datetime.now(dt.timezone.utc)
    r = api.get("/api/recordings", params={"camera_id": camera_id, "start": iso(now - dt.timedelta(hours=hours)),
                                           "end": iso(now + dt.timedelta(hours=1))})
    assert r.status_code == 200, r.text
    return [row for row in r.json() if not row["in_progress"]]


def tier_of(api, camera_id: str) -> dict[str, str]:
    """Each recording's path → tier."""
    return {r["path"]: r["tier"] for r in recordings(api, camera_id)}


def storage(api) -> dict:
    r = api.get("/api/storage")
    assert r.status_code == 200, r.text
    return r.json()


def tier_status(api, tier: str) -> dict:
    return next(t for t in storage(api)["tiers"] if t["tier"] == tier)


def wait_for_tiers(api, camera_id: str, check, timeout: float) -> dict[str, str]:
    return wait_for(lambda: (found := tier_of(api, camera_id)) and check(found) and found, timeout=timeout)
