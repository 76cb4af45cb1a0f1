"""Footage made for a test: segments of vtest.avi (or of one still frame of it) encoded with
ffmpeg and written into a camera's folder the way the recorder files them, so that a server
started with pipelines on adopts them at start-up (reconciliation indexes files without rows).

This puts minutes of footage in place in seconds, at any bitrate, ending at a chosen instant.
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
from pathlib import Path

VTEST = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"


def write_segments(folder: Path, count: int, seconds: float, end: dt.datetime, quality: int = 23,
                   still: bool = False, first_offset: float = 5.0) -> list[Path]:
    """`count` consecutive segments of `seconds` each under `folder` (the camera's folder), the
    last ending at `end`. `quality` is x264's QP (low: large files); `still` loops one frame
    (a static scene). Returns the files, oldest first."""
    paths = []
    with tempfile.TemporaryDirectory(prefix="ronin-footage-") as scratch:
        for n in range(count):
            seg_end = end - dt.timedelta(seconds=seconds * (count - 1 - n))
            start = (seg_end - dt.timedelta(seconds=seconds)).astimezone()
            path = folder / start.strftime("%Y-%m-%d") / start.strftime("%H-%M-%S.mp4")
            path.parent.mkdir(parents=True, exist_ok=True)
            if still:
                # The image2 demuxer loops a file (`-loop 1`); from a pipe it would give one frame. A
                # BMP, not a PNG: decoding it again for every frame costs next to nothing.
                image = Path(scratch) / "still.bmp"
                if not image.exists():
                    subprocess.run(["ffmpeg", "-v", "error", "-ss", "3", "-i", VTEST, "-frames:v", "1", str(image)],
                                   capture_output=True, check=True, timeout=60)
                inputs = ["-loop", "1", "-framerate", "10", "-t", str(seconds), "-i", str(image)]
            else:
                offset = (first_offset + n * seconds) % 70
                inputs = ["-ss", str(offset), "-t", str(seconds), "-i", VTEST]
            subprocess.run(["ffmpeg", "-v", "error", "-y", *inputs, "-an", "-c:v", "libx264", "-preset", "ultrafast", "-qp", str(quality),
                            "-g", "20", "-r", "10", "-pix_fmt", "yuv420p", str(path)],
                           check=True, timeout=300)
            os.utime(path, (seg_end.timestamp(), seg_end.timestamp()))
            paths.append(path)
    return paths


def adopt_footage(srv, api, camera_name: str, count: int, seconds: float, **options) -> tuple[dict, list[Path]]:
    """Creates a camera that is not recorded (its footage is made here), stops `srv`, writes the
    footage, starts `srv` again so it adopts the files, and returns the camera and the files.
    `srv` must run with RONIN_RUN_PIPELINES=true (reconciliation runs with the pipelines)."""
    r = api.post("/api/cameras", params={"validate": "false"},
                 json={"name": camera_name, "host": "127.0.0.1", "port": 9, "enabled": False})
    assert r.status_code == 201, r.text
    camera = r.json()
    srv.stop()
    end = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(seconds=5)
    files = write_segments(srv.data_dir / "storage" / camera["folder_name"], count, seconds, end, **options)
    srv.start()
    return camera, files
