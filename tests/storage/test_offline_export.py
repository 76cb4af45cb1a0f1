"""Offline export to removable media (docs/design/tiers.md, Offline export): footage of two
cameras in a range, cut without re-encoding, with the events and their snapshots, a manifest,
SHA256SUMS and an offline page, written by a background job into a new folder under EXPORT_ROOTS;
`ronin export` asks for the same and `ronin verify-export` checks the result, and notices a
flipped byte. Hostile destinations are refused, a cancel stops the export, and a kill -9 in the
middle resumes after the restart without writing anything twice.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import stat
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from support.exports import (adopt_cameras, add_event, export_of, file_sha256, files_under, iso, ronin, wait_for_export,
                             wait_for_footage)
from support.waiting import wait_for

pytestmark = pytest.mark.sqlite_only  # footage, ffmpeg and files on the stick; the rows are plain: see tests/conftest.py

TZ = "Europe/Berlin"
FOLDER_NAME = re.compile(r"^ronin-export-\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}-[0-9a-f]{8}$")


def media_duration(path: Path) -> float:
    r = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_name", "-of", "json", str(path)],
                       capture_output=True, text=True, timeout=60, check=True)
    info = json.loads(r.stdout)
    assert [s["codec_name"] for s in info["streams"]] == ["h264"], info
    return float(info["format"]["duration"])


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def expected_videos(api, cameras, start: dt.datetime, end: dt.datetime) -> int:
    """How many MP4 files an export of the range holds: one per stretch of footage (segments at
    most 2 s apart), cut again at every clock hour (in UTC and Europe/Berlin alike)."""
    count = 0
    for camera in cameras:
        rows = api.get("/api/recordings", params={"camera_id": camera["id"], "start": iso(start), "end": iso(end)}).json()
        runs: list[list[dt.datetime]] = []
        for row in sorted(rows, key=lambda r: r["start"]):
            first = max(dt.datetime.fromisoformat(row["start"].replace("Z", "+00:00")), start)
            last = min(dt.datetime.fromisoformat(row["end"].replace("Z", "+00:00")), end)
            if runs and (first - runs[-1][1]).total_seconds() <= 2:
                runs[-1][1] = max(runs[-1][1], last)
            else:
                runs.append([first, last])
        for first, last in runs:
            hour = first.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
            count += 1
            while hour < last:
                count += 1
                hour += dt.timedelta(hours=1)
    return count


@pytest.fixture
def stick(tmp_path) -> Path:
    """The removable medium: EXPORT_ROOTS points here."""
    root = tmp_path / "usb"
    root.mkdir()
    return root


@pytest.fixture
def export_server(make_server, stick):
    return make_server(env={"RONIN_RUN_PIPELINES": "true", "EXPORT_ROOTS": str(stick)})


def post_export(api, cameras, start, end, destination, tz=TZ):
    return api.post("/api/exports", json={"camera_ids": [c["id"] for c in cameras], "start": iso(start), "end": iso(end),
                                          "destination": str(destination), "tz": tz})


@pytest.mark.timeout(420)
def test_two_cameras_export_with_events_manifest_checksums_and_a_page(export_server, stick):
    base = now() - dt.timedelta(seconds=5)
    # Front Door: 18 s without a break (three 6 s segments); Back Yard: two 6 s segments 10 s apart.
    cameras = adopt_cameras(export_server, {
        "Front Door": [(base - dt.timedelta(seconds=12), 6), (base - dt.timedelta(seconds=6), 6), (base, 6)],
        "Back Yard": [(base - dt.timedelta(seconds=16), 6), (base, 6)],
    })
    front, back = cameras["Front Door"], cameras["Back Yard"]
    api = export_server.login()
    start, end = base - dt.timedelta(seconds=30), base + dt.timedelta(seconds=2)
    wait_for_footage(api, front["id"], 3, start, end)
    wait_for_footage(api, back["id"], 2, start, end)
    seen = add_event(export_server, front, base - dt.timedelta(seconds=10), with_snapshot=True)
    unseen = add_event(export_server, front, base - dt.timedelta(seconds=4), with_snapshot=False, kind="departure")
    yard = add_event(export_server, back, base - dt.timedelta(seconds=3), with_snapshot=True, class_name="car")
    add_event(export_server, back, start - dt.timedelta(minutes=5), with_snapshot=True)  # before the range: left out

    destination = stick / "exports" / "case 17"  # made by the export, like a new folder on the stick
    r = post_export(api, [front, back], start, end, destination)
    assert r.status_code == 202, r.text
    asked = r.json()
    assert asked["state"] == "queued" and asked["destination"] == str(destination) and asked["time_zone"] == TZ
    folder = Path(asked["folder"])
    assert folder.parent == destination and FOLDER_NAME.match(folder.name), folder
    local_start = start.astimezone(ZoneInfo(TZ)).strftime("%Y-%m-%d_%H-%M-%S")
    assert folder.name.startswith(f"ronin-export-{local_start}-") and folder.name.endswith(asked["id"][:8].lower())
    assert stat.S_IMODE(folder.stat().st_mode) == 0o750

    done = wait_for_export(api, asked["id"], {"succeeded", "parked", "cancelled"})
    assert done["state"] == "succeeded", done
    assert done["progress"] == 1 and done["finished_at"] and done["error"] is None

    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["format"] == "ronin-export" and manifest["version"] == 1
    assert manifest["export_id"].lower() == asked["id"].lower() and manifest["time_zone"] == TZ
    assert manifest["nvr_version"] == api.get("/api/health").json()["version"]
    assert manifest["range"] == {"start": iso(start).replace(".000Z", "Z"), "end": iso(end).replace(".000Z", "Z")}
    assert manifest["created_at"]
    assert [(c["name"], c["folder"]) for c in manifest["cameras"]] == [("Front Door", "cameras/Front Door"), ("Back Yard", "cameras/Back Yard")]

    # One MP4 per camera per stretch of footage, named by camera and local time, cut without re-encoding.
    videos = [f for f in manifest["files"] if f["kind"] == "video"]
    front_videos = [f for f in videos if f["path"].startswith("cameras/Front Door/Front_Door_")]
    back_videos = [f for f in videos if f["path"].startswith("cameras/Back Yard/Back_Yard_")]
    assert len(front_videos) + len(back_videos) == len(videos) == expected_videos(api, [front, back], start, end), videos
    assert len(front_videos) >= 1 and len(back_videos) >= 2, videos
    assert 16 <= media_duration(folder / front_videos[0]["path"]) <= 20
    for video in back_videos:
        assert 5 <= media_duration(folder / video["path"]) <= 8
    for video in videos:
        local = dt.datetime.fromisoformat(video["start"].replace("Z", "+00:00")).astimezone(ZoneInfo(TZ))
        assert local.strftime("%Y-%m-%d_%H-%M-%S") in video["path"], video

    # Events of the range, with their snapshots where the NVR had one.
    events = {e["id"].lower(): e for e in manifest["events"]}
    assert set(events) == {seen.id, unseen.id, yard.id}
    assert events[unseen.id]["snapshot"] is None and events[unseen.id]["kind"] == "departure"
    for event in (events[seen.id], events[yard.id]):
        snapshot = folder / event["snapshot"]
        assert snapshot.read_bytes()[:3] == b"\xff\xd8\xff", event
    assert events[yard.id]["class"] == "car" and events[yard.id]["snapshot"].startswith("cameras/Back Yard/events/")

    # Every file listed with its size and SHA-256; SHA256SUMS lists them and the manifest.
    on_disk = files_under(folder)
    assert on_disk == sorted([f["path"] for f in manifest["files"]] + ["manifest.json", "SHA256SUMS"])
    for entry in manifest["files"]:
        assert (folder / entry["path"]).stat().st_size == entry["size"] and file_sha256(folder / entry["path"]) == entry["sha256"], entry
    sums = (folder / "SHA256SUMS").read_text().splitlines()
    assert sorted(line.split("  ", 1)[1] for line in sums) == sorted(p for p in on_disk if p != "SHA256SUMS")
    checked = subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=folder, capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    page = (folder / "index.html").read_text()
    assert page.count('data-testid="export-video"') == len(videos) and page.count('data-testid="event-snapshot"') == 2
    assert "http://" not in page and "https://" not in page
    assert done["files"] == len(on_disk) and done["bytes"] == sum((folder / p).stat().st_size for p in on_disk)

    # The list shows it, newest first, with the job's state.
    listed = api.get("/api/exports", params={"limit": 10}).json()
    assert listed["total"] == 1 and listed["exports"][0]["id"] == asked["id"] and listed["exports"][0]["state"] == "succeeded"
    job = api.get(f"/api/jobs/{asked['job_id']}").json()
    assert job["kind"] == "export" and job["state"] == "succeeded" and job["result"]["written"] == len(on_disk) - 3

    # The export folder itself is someone's export: nothing goes inside it.
    r = post_export(api, [front], start, end, folder)
    assert r.status_code == 422 and "existing export folder" in r.json()["message"], r.text

    verified = ronin(export_server, "verify-export", str(folder))
    assert verified.returncode == 0 and "OK" in verified.stdout, verified.stdout + verified.stderr

    # `ronin export` asks for the same through the same checks and follows it to the end.
    made = ronin(export_server, "export", "--camera", "Front Door", "back yard", "--from", iso(start), "--to", iso(end),
                 "--to-dir", str(stick / "from-the-command-line"), "--tz", TZ)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "Done:" in made.stdout and "queued" in made.stdout
    second = next(Path(p) for p in (stick / "from-the-command-line").iterdir())
    assert files_under(second) == on_disk
    assert ronin(export_server, "verify-export", str(second)).returncode == 0
    listed = api.get("/api/exports", params={"limit": 1}).json()
    assert listed["total"] == 2 and listed["exports"][0]["folder"] == str(second) and listed["next_cursor"]
    older = api.get("/api/exports", params={"limit": 1, "cursor": listed["next_cursor"]}).json()
    assert [e["id"] for e in older["exports"]] == [asked["id"]] and older["next_cursor"] is None

    # One flipped byte in one video: verify-export names it and fails.
    victim = folder / back_videos[1]["path"]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0x01
    victim.write_bytes(bytes(data))
    (folder / "stray.txt").write_text("not part of the export")
    (folder / front_videos[0]["path"]).unlink()
    broken = ronin(export_server, "verify-export", str(folder))
    assert broken.returncode != 0
    assert f"changed: {back_videos[1]['path']}" in broken.stdout, broken.stdout
    assert f"missing: {front_videos[0]['path']}" in broken.stdout and "extra: stray.txt" in broken.stdout, broken.stdout
    assert "changed: cameras/Back Yard/" + Path(back_videos[0]["path"]).name not in broken.stdout


@pytest.mark.timeout(240)
def test_hostile_destinations_are_refused_and_named(make_server, stick, tmp_path):
    server = make_server(env={"EXPORT_ROOTS": f"{stick},{tmp_path / 'not-mounted'}"})
    api = server.login()
    r = api.post("/api/cameras", params={"validate": "false"}, json={"name": "Porch", "host": "127.0.0.1", "port": 9, "enabled": False})
    camera = r.json()
    outside = tmp_path / "outside"
    outside.mkdir()
    (stick / "inner").mkdir()
    (stick / "to-outside").symlink_to(outside)
    (stick / "inner" / "to-inside").symlink_to(stick / "inner")
    (stick / "notes.txt").write_text("a file, not a folder")
    theirs = stick / "theirs" / "ronin-export-2026-01-01_00-00-00-0badc0de"
    theirs.mkdir(parents=True)
    (theirs / ".ronin-export.json").write_text(json.dumps({"export_id": "0badc0de-0000-0000-0000-000000000000", "files": {}}))
    end = now()
    start = end - dt.timedelta(minutes=5)

    cases = [
        (str(outside), "not under an export root"),
        ("/", "not under an export root"),
        (str(stick) + "2/x", "not under an export root"),
        (f"{stick}/inner/../../outside", "'..'"),
        (f"{stick}/./inner", "'.'"),
        (f"{stick}/to-outside", "symbolic link"),
        (f"{stick}/to-outside/deeper/new", "symbolic link"),
        (f"{stick}/inner/to-inside", "symbolic link"),
        (f"{stick}/notes.txt", "not a folder"),
        (str(theirs), "existing export folder"),
        (f"{theirs}/inside", "existing export folder"),
        (f"{stick}/a\u0000b", "NUL"),
        (f"{stick}/" + "x" * 300, "longer than 255 bytes"),
        (f"{stick}/" + "/".join(["y" * 200] * 20), "bytes long"),
        ("relative/path", "absolute"),
        (f"{stick}/line\nbreak", "control character"),
        (str(tmp_path / "not-mounted" / "x"), "not there"),
    ]
    for destination, problem in cases:
        r = post_export(api, [camera], start, end, destination)
        assert r.status_code == 422, (destination, r.status_code, r.text)
        body = r.json()
        assert body["error"] == "validation_failed" and problem in body["message"], (destination, body)
    # Nothing was made anywhere.
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in stick.iterdir()) == ["inner", "notes.txt", "theirs", "to-outside"]
    assert sorted(p.name for p in theirs.iterdir()) == [".ronin-export.json"]

    # A good destination without footage in the range: nothing to export.
    r = post_export(api, [camera], start, end, stick / "inner")
    assert r.status_code == 404 and "footage" in r.json()["message"], r.text
    assert list((stick / "inner").iterdir()) == [stick / "inner" / "to-inside"]
    r = post_export(api, [camera], end, start, stick)
    assert r.status_code == 400
    assert api.post("/api/exports", json={"camera_ids": [], "start": iso(start), "end": iso(end), "destination": str(stick)}).status_code == 422
    assert api.get("/api/exports").json() == {"exports": [], "total": 0, "next_cursor": None}

    # Without EXPORT_ROOTS offline export is off, and says so.
    off = make_server()
    off_api = off.login()
    porch = off_api.post("/api/cameras", params={"validate": "false"}, json={"name": "Porch", "host": "127.0.0.1", "port": 9, "enabled": False}).json()
    r = post_export(off_api, [porch], start, end, stick)
    assert r.status_code == 422 and "Offline export is off" in r.json()["message"] and "EXPORT_ROOTS" in r.json()["message"], r.text


def many_runs(base: dt.datetime, count: int) -> list[tuple[dt.datetime, float]]:
    """`count` separate 4 s stretches 10 s apart (each its own file in an export), oldest first."""
    return [(base - dt.timedelta(seconds=10 * (count - 1 - n)), 4) for n in range(count)]


def slow_export(server, stick, runs: int):
    """Two cameras with `runs` separate stretches each, and an export of them asked for."""
    base = now() - dt.timedelta(seconds=5)
    cameras = adopt_cameras(server, {"Gate": many_runs(base, runs), "Shed": many_runs(base, runs)})
    api = server.login()
    start, end = base - dt.timedelta(seconds=10 * runs + 10), base + dt.timedelta(seconds=2)
    for camera in cameras.values():
        wait_for_footage(api, camera["id"], runs, start, end)
    r = post_export(api, list(cameras.values()), start, end, stick, tz="UTC")
    assert r.status_code == 202, r.text
    return api, r.json(), expected_videos(api, list(cameras.values()), start, end)


def videos_in(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.mp4"))


@pytest.mark.timeout(420)
def test_cancel_stops_an_export_and_leaves_no_partial_file(export_server, stick):
    api, asked, expected = slow_export(export_server, stick, runs=14)
    folder = Path(asked["folder"])
    wait_for(lambda: export_of(api, asked["id"])["state"] == "running" and len(videos_in(folder)) >= 2, timeout=120, interval=0.2)
    r = api.post(f"/api/exports/{asked['id']}/cancel")
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "cancelled" and r.json()["finished_at"]
    # The worker stops the cut it is in and says so.
    wait_for(lambda: f"job export {asked['job_id']} stopped".lower() in export_server.log_text().lower(), timeout=30)
    written = files_under(folder)
    assert not [f for f in written if f.endswith(".partial")], written
    assert "manifest.json" not in written and "SHA256SUMS" not in written
    assert len(videos_in(folder)) < expected, "the export stopped before its end"
    assert export_of(api, asked["id"])["state"] == "cancelled"
    assert api.get(f"/api/jobs/{asked['job_id']}").json()["state"] == "cancelled"
    again = api.post(f"/api/exports/{asked['id']}/cancel")
    assert again.status_code == 409, again.text
    assert files_under(folder) == written


@pytest.mark.timeout(480)
def test_a_kill_in_the_middle_resumes_after_the_restart_without_writing_twice(make_server, stick):
    server = make_server(env={"RONIN_RUN_PIPELINES": "true", "EXPORT_ROOTS": str(stick), "ML_JOB_LEASE_SECONDS": "6"})
    api, asked, expected = slow_export(server, stick, runs=14)
    folder = Path(asked["folder"])
    wait_for(lambda: export_of(api, asked["id"])["state"] == "running" and len(videos_in(folder)) >= 3, timeout=120, interval=0.2)
    server.stop(signal.SIGKILL)
    before = {path: (path.stat().st_ino, path.stat().st_mtime_ns) for path in videos_in(folder)}
    assert 3 <= len(before) < expected, "killed in the middle"
    server.start()
    api = server.login()
    done = wait_for_export(api, asked["id"], {"succeeded", "parked", "cancelled"})
    assert done["state"] == "succeeded", done
    job = api.get(f"/api/jobs/{asked['job_id']}").json()
    assert job["attempt"] == 2 and job["result"]["skipped"] >= len(before) - 1, job
    assert "Took back 1 jobs left running by an earlier process" in server.log_text()

    manifest = json.loads((folder / "manifest.json").read_text())
    videos = [f["path"] for f in manifest["files"] if f["kind"] == "video"]
    assert len(videos) == len(set(videos)) == expected == len(videos_in(folder)) >= 28, videos
    on_disk = files_under(folder)
    assert on_disk == sorted([f["path"] for f in manifest["files"]] + ["manifest.json", "SHA256SUMS"])
    assert not [f for f in on_disk if f.endswith(".partial") or f.endswith(".ronin-export.json")]
    # Files finished before the kill were checked and kept, not written again (at most the one
    # being renamed at the instant of the kill is redone).
    kept = [path for path, identity in before.items() if path.exists() and (path.stat().st_ino, path.stat().st_mtime_ns) == identity]
    assert len(kept) >= len(before) - 1, (len(kept), len(before))
    verified = ronin(server, "verify-export", str(folder))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert len([p for p in stick.iterdir()]) == 1, "one export folder"
