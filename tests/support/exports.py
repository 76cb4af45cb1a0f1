"""Helpers for the offline export tests (docs/design/tiers.md, Offline export): footage of several
cameras adopted in one restart, events with snapshots written as the NVR keeps them, the `ronin`
command line, and waiting for an export to end."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
from pathlib import Path

from .event_rows import EventRow, EventRows
from .footage import VTEST, write_segments
from .paths import RONIN_BIN
from .waiting import wait_for


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def adopt_cameras(srv, plans: dict[str, list[tuple[dt.datetime, float]]]) -> dict[str, dict]:
    """Creates a camera per name (not recorded: its footage is made here), stops `srv`, writes each
    camera's segments (`(end, seconds)` each, one file per segment, so gaps between them stay
    gaps), and starts `srv` again so it adopts them. `srv` runs with RONIN_RUN_PIPELINES=true.
    Returns the cameras by name."""
    api = srv.login()
    cameras = {}
    for name in plans:
        r = api.post("/api/cameras", params={"validate": "false"}, json={"name": name, "host": "127.0.0.1", "port": 9, "enabled": False})
        assert r.status_code == 201, r.text
        cameras[name] = r.json()
    srv.stop()
    for name, segments in plans.items():
        for number, (end, seconds) in enumerate(segments):
            # A different stretch of vtest.avi in each file, so no two files are alike.
            write_segments(srv.data_dir / "storage" / cameras[name]["folder_name"], 1, seconds, end, first_offset=3 + 4.5 * number)
    srv.start()
    return cameras


def wait_for_footage(api, camera_id: str, count: int, start: dt.datetime, end: dt.datetime, timeout: float = 60) -> list[dict]:
    """The camera's recordings in the range once `count` are indexed."""
    def found():
        r = api.get("/api/recordings", params={"camera_id": camera_id, "start": iso(start), "end": iso(end)})
        assert r.status_code == 200, r.text
        rows = [row for row in r.json() if row["status"] == "complete"]
        return rows if len(rows) >= count else None
    return wait_for(found, timeout=timeout)


def snapshot_jpeg(path: Path, seconds: float = 3.0) -> bytes:
    """Writes a frame of vtest.avi as a JPEG at `path` (the way the NVR keeps an event's snapshot)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", str(seconds), "-i", VTEST, "-frames:v", "1", "-q:v", "4", str(path)],
                   check=True, capture_output=True, timeout=60)
    return path.read_bytes()


def add_event(srv, camera: dict, start: dt.datetime, with_snapshot: bool, class_name: str = "person", kind: str = "arrival") -> EventRow:
    """An event of the camera written into the database, with its snapshot on disk when asked."""
    row = EventRow(start=start, end=start + dt.timedelta(seconds=2), kind=kind, class_name=class_name, artifacts="ready" if with_snapshot else "pending")
    EventRows(srv).add_events(camera["id"], [row])
    if with_snapshot:
        snapshot_jpeg(srv.data_dir / "storage" / ".events" / camera["id"].lower() / row.id.lower() / "snapshot.jpg")
    return row


def ronin(srv, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    """Runs the `ronin` command line with the server's settings (its database, its EXPORT_ROOTS)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RONIN_")}
    env.update(srv.env)
    return subprocess.run([str(RONIN_BIN), *args], env=env, cwd=srv.data_dir, capture_output=True, text=True, timeout=timeout)


def export_of(api, export_id: str) -> dict:
    r = api.get(f"/api/exports/{export_id}")
    assert r.status_code == 200, r.text
    return r.json()


def wait_for_export(api, export_id: str, states: set[str], timeout: float = 180) -> dict:
    """Polls the export until its state is one of `states`; fails naming the last state and error."""
    last = {}

    def reached():
        nonlocal last
        last = export_of(api, export_id)
        return last if last["state"] in states else None
    try:
        return wait_for(reached, timeout=timeout)
    except AssertionError:
        raise AssertionError(f"export {export_id} never became {states}: {last}") from None


def files_under(folder: Path) -> list[str]:
    """Every file in the folder, relative, sorted."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() or p.is_symlink())
