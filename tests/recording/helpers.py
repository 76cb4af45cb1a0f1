"""Helpers for recording tests: a server with pipelines on, waiting on camera state, reading segments."""
import datetime as dt
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

PIPELINE_ENV = {
    "RONIN_RUN_PIPELINES": "true",
    "RECORDING_SEGMENT_SECONDS": "5",
    "PIPELINE_STALL_SECONDS": "8",
}


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def add_camera(api, camera, path="/vtest", **fields) -> dict:
    body = {"name": f"rec-{uuid.uuid4().hex[:6]}", "host": camera.host, "port": camera.port,
            "stream_path": path, "audio_enabled": True}
    body.update(fields)
    r = api.post("/api/cameras", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def camera_status(api, camera_id: str) -> dict:
    r = api.get("/api/status")
    assert r.status_code == 200, r.text
    return next(c for c in r.json()["cameras"] if c["id"] == camera_id)


def wait_for_state(api, camera_id: str, states: set[str], timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    status = {}
    while time.monotonic() < deadline:
        status = camera_status(api, camera_id)
        if status["state"] in states:
            return status
        time.sleep(0.5)
    raise AssertionError(f"camera {camera_id} never reached {states}; last status {status}")


def recordings(api, camera_id: str, in_progress: bool = False) -> list[dict]:
    """The camera's recordings of the last two hours: the finished ones, and the segment being
    written too when `in_progress`."""
    now = dt.datetime.now(dt.timezone.utc)
    r = api.get("/api/recordings", params={"camera_id": camera_id, "start": iso(now - dt.timedelta(hours=2)),
                                           "end": iso(now + dt.timedelta(hours=1))})
    assert r.status_code == 200, r.text
    return [row for row in r.json() if in_progress or not row["in_progress"]]


def wait_for_recordings(api, camera_id: str, count: int, timeout: float) -> list[dict]:
    deadline = time.monotonic() + timeout
    rows = []
    while time.monotonic() < deadline:
        rows = recordings(api, camera_id)
        if len(rows) >= count:
            return rows
        time.sleep(1)
    raise AssertionError(f"expected {count} recordings for {camera_id}, got {len(rows)}")


def gaps(rows: list[dict]) -> list[float]:
    """Seconds between each segment's end and the next one's start (negative = overlap)."""
    return [(utc(b["start"]) - utc(a["end"])).total_seconds() for a, b in zip(rows, rows[1:])]


def decodes_cleanly(path: Path) -> bool:
    """The whole file decodes with ffmpeg without errors."""
    r = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True, text=True, timeout=120)
    return r.returncode == 0 and "error" not in r.stderr.lower()


def media_duration(path: Path) -> float:
    r = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
                       capture_output=True, text=True, timeout=60)
    return float(r.stdout.strip())


def ffmpeg_pid(server, camera_id: str) -> int:
    return int((server.data_dir / "run" / f"{camera_id.lower()}.pid").read_text().strip())


def wait_for_new_ffmpeg(server, camera_id: str, old_pid: int, timeout: float) -> int:
    """The pid of the camera's ffmpeg once it is not `old_pid` any more."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid = ffmpeg_pid(server, camera_id)
            if pid != old_pid:
                return pid
        except (FileNotFoundError, ValueError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"no new ffmpeg for camera {camera_id} within {timeout} s")


def kill_ffmpeg(server, api, camera_id: str) -> float:
    """SIGKILLs the camera's ffmpeg; returns when a new one records again, with the kill's time."""
    pid = ffmpeg_pid(server, camera_id)
    os.kill(pid, signal.SIGKILL)
    killed_at = time.time()
    wait_for_new_ffmpeg(server, camera_id, pid, timeout=30)
    wait_for_state(api, camera_id, {"recording"}, timeout=60)
    return killed_at
