"""The free-space guard on a real, small file system (docs/design/tiers.md): a size-limited tmpfs
made by the test is STORAGE_ROOT while two test cameras record onto it, and another program's
file eats its space. The disk never fills: the oldest footage goes first, the newest is kept, a
locked event's footage survives; when only locked footage is left, the storage turns critical and
the camera of lowest storage priority stops recording (live view goes on) until there is room
again.
"""
from __future__ import annotations

import os
import subprocess

import pytest

from recording.helpers import PIPELINE_ENV, add_camera, camera_status, utc, wait_for_state
from storage.helpers import recordings
from support.event_rows import EventRow, EventRows
from support.waiting import wait_for

pytestmark = pytest.mark.sqlite_only  # a file system and ffmpeg, not the database

GIB = 1 << 30


class SmallDisk:
    """A tmpfs of `size` bytes mounted at `path` (mounting needs root, as CI has)."""

    def __init__(self, path, size: int) -> None:
        self.path = path
        path.mkdir()
        command = ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)]
        if os.geteuid() != 0:
            command = ["sudo", "-n", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, f"cannot mount a tmpfs for the test (root needed): {result.stderr}"
        self.lowest_free = self.free()

    def free(self) -> int:
        stats = os.statvfs(self.path)
        free = stats.f_bavail * stats.f_frsize
        self.lowest_free = min(getattr(self, "lowest_free", free), free)
        return free

    def fill(self, name: str, size: int) -> None:
        """Another program's file of `size` bytes."""
        with open(self.path / name, "wb") as handle:
            os.posix_fallocate(handle.fileno(), 0, max(1, size))

    def unmount(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)] if os.geteuid() == 0 else ["sudo", "-n", "umount", "-l", str(self.path)],
                       capture_output=True, timeout=30)


def hot(api) -> dict:
    status = api.post("/api/storage/check").json()
    return next(t for t in status["tiers"] if t["tier"] == "hot") | {"critical": status["critical"], "cameras": status["cameras"]}


@pytest.mark.timeout(300)
def test_a_small_disk_never_fills_and_the_oldest_footage_goes_first(make_server, test_camera, tmp_path):
    disk = SmallDisk(tmp_path / "hot", 1 * GIB)
    srv = None
    try:
        srv = make_server({**PIPELINE_ENV, "STORAGE_ROOT": str(disk.path), "STORAGE_CHECK_SECONDS": "1", "STORAGE_MIN_FREE_GB": "0.01",
                           "STORAGE_PROTECT_NEWEST": "12s"})
        api = srv.login()
        front = add_camera(api, test_camera, "/vtest-noaudio", audio_enabled=False, name="Front")
        side = add_camera(api, test_camera, "/vtest-noaudio", audio_enabled=False, name="Side")
        assert api.put(f"/api/storage/cameras/{front['id']}", json={"priority": 80}).status_code == 200
        assert api.put(f"/api/storage/cameras/{side['id']}", json={"priority": 10}).status_code == 200
        for camera in (front, side):
            wait_for_state(api, camera["id"], {"recording"}, timeout=60)
        wait_for(lambda: all(len(recordings(api, c["id"])) >= 8 for c in (front, side)), timeout=120)
        # A locked event in the Front camera's oldest footage.
        oldest = recordings(api, front["id"])[0]
        start = utc(oldest["start"])
        locked = EventRow(start=start, end=start + (utc(oldest["end"]) - start) / 2, locked=True, artifacts="ready")
        EventRows(srv).add_events(front["id"], [locked])

        # Another program takes all but the guard's reserve and 40% of the footage's size.
        before = hot(api)
        assert before["required_free_bytes"] > 10_000_000, "an hour of the two cameras' measured bandwidth"
        newest = {c["id"]: recordings(api, c["id"])[-1]["path"] for c in (front, side)}
        disk.fill("other-program.bin", before["free_bytes"] - before["required_free_bytes"] + before["used_bytes"] * 2 // 5)
        after = wait_for(lambda: (status := hot(api)) and status["free_bytes"] >= status["required_free_bytes"]
                         and api.get("/api/storage/deletions").json()["total"] > 0 and status, timeout=60)
        kept = {c["id"]: recordings(api, c["id"]) for c in (front, side)}
        deleted = api.get("/api/storage/deletions", params={"limit": 1000}).json()["deletions"]
        assert not after["critical"]
        assert deleted and all(d["reason"] == "free_space" for d in deleted), deleted
        for camera in (front, side):
            left = [r for r in kept[camera["id"]] if r["path"] != oldest["path"]]
            gone = [d for d in deleted if d["camera_id"].lower() == camera["id"].lower()]
            if gone and left:
                assert max(utc(d["start"]) for d in gone) < min(utc(r["start"]) for r in left), "the oldest went first"
            assert newest[camera["id"]] in {r["path"] for r in left}, \
                f"the newest footage is kept: {camera['name']} has {len(left)} left, {len(gone)} gone"
        assert oldest["path"] in {r["path"] for r in recordings(api, front["id"])}, "a locked event's footage survives"
        assert (disk.path / oldest["path"]).exists()

        # Only locked footage left to give: critical, and the lower-priority camera stops recording.
        now = hot(api)
        disk.fill("other-program-2.bin", now["free_bytes"] - now["required_free_bytes"] // 2)
        critical = wait_for(lambda: (status := hot(api)) and status["critical"] and status, timeout=60)
        paused = {c["name"]: c["recording_paused"] for c in critical["cameras"]}
        assert paused == {"Front": False, "Side": True}, paused
        wait_for(lambda: camera_status(api, side["id"])["state"] == "live", timeout=60)
        assert camera_status(api, front["id"])["state"] == "recording"
        assert oldest["path"] in {r["path"] for r in recordings(api, front["id"])}, "locked footage is never deleted, even now"

        # Room again: recording resumes.
        os.remove(disk.path / "other-program-2.bin")
        wait_for(lambda: not hot(api)["critical"], timeout=60)
        wait_for_state(api, side["id"], {"recording"}, timeout=60)
        assert camera_status(api, front["id"])["restarts"] == 0, "the guard never made the recording camera restart"
        assert disk.lowest_free > 0 and "No space left" not in srv.log_text(), "the disk never filled"
    finally:
        if srv:
            srv.stop()
        disk.unmount()
