"""A scene for the detection overlay tests: footage whose picture holds coloured rectangles at
known places, and detections whose boxes lie exactly over them, written straight into a test
server (SQLite) the way the historical detector would leave them.

The footage (ffmpeg, H.264) shows a dark background with a green "person" rectangle that moves
right at a constant speed and a blue "car" rectangle that stands still. Detections come at the
analysis rate (2 per second), each box the rectangle's place at that instant, plus one lone
"dog" frame. `colour_bounds` finds where a colour shows in a screenshot, so a test can compare
the boxes the page draws with the picture the browser really shows.
"""
from __future__ import annotations

import datetime as dt
import struct
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from support.db import DirectDatabase

FPS = 10  # frames per second of the footage
ANALYSIS_FPS = 2  # detections per second, as ML_FPS's default
TOLERANCE = 0.5 / ANALYSIS_FPS  # how far from an analysed frame its boxes still show (seconds)


@dataclass(frozen=True)
class Shape:
    """A rectangle in frame pixels; `speed` moves it right (pixels per second)."""
    cls: str
    colour: str  # ffmpeg colour of the rectangle in the footage
    x: int
    y: int
    width: int
    height: int
    speed: int = 0
    confidence: float = 0.9

    def box_at(self, seconds: float, frame: tuple[int, int]) -> dict:
        """The rectangle at `seconds` into the footage, as a detection box (fractions of the frame)."""
        fw, fh = frame
        return {"x": (self.x + self.speed * seconds) / fw, "y": self.y / fh,
                "width": self.width / fw, "height": self.height / fh}


# The overlay tests' shapes: a person walking right (60x120 px, 40 px a second) and a parked car.
PERSON = Shape("person", "0x00ff00", x=40, y=140, width=60, height=120, speed=40, confidence=0.87)
CAR = Shape("car", "0x0000ff", x=440, y=280, width=140, height=60, confidence=0.64)


@dataclass
class Scene:
    """The footage's frame size and length, its shapes, and where it starts (UTC)."""
    frame: tuple[int, int]
    seconds: int
    start: dt.datetime
    shapes: tuple[Shape, ...]
    lone: tuple[str, float, dict] | None = None  # one extra detection: class, seconds in, box
    recording_id: str | None = None

    def detections(self) -> list[dict]:
        """Every detection of the scene: (seconds in, class, confidence, box), in time order."""
        rows = []
        for k in range(self.seconds * ANALYSIS_FPS):
            at = k / ANALYSIS_FPS
            rows += [{"at": at, "class": s.cls, "confidence": s.confidence, "box": s.box_at(at, self.frame)}
                     for s in self.shapes]
        if self.lone:
            cls, at, box = self.lone
            rows.append({"at": at, "class": cls, "confidence": 0.55, "box": box})
        return sorted(rows, key=lambda r: r["at"])

    def nearest(self, seconds: float) -> dict[str, dict]:
        """Per class, the detection nearest `seconds` within the tolerance (the earlier on a tie)."""
        best: dict[str, dict] = {}
        for row in self.detections():
            distance = abs(row["at"] - seconds)
            if distance > TOLERANCE + 1e-9:
                continue
            held = best.get(row["class"])
            if held is None or distance < abs(held["at"] - seconds) - 1e-9:
                best[row["class"]] = row
        return best

    def row(self, cls: str, at: float) -> dict:
        """The detection of `cls` at `at` seconds in."""
        for row in self.detections():
            if row["class"] == cls and abs(row["at"] - at) < 1e-3:
                return row
        raise AssertionError(f"the scene has no {cls} at {at} s")

    def write_footage(self, path: Path) -> None:
        """The scene's MP4: a keyframe every second, shapes drawn at each frame's instant."""
        path.parent.mkdir(parents=True, exist_ok=True)
        w, h = self.frame
        cmd = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"color=c=0x262626:s={w}x{h}:r={FPS}:d={self.seconds}"]
        for s in self.shapes:
            cmd += ["-f", "lavfi", "-i", f"color=c={s.colour}:s={s.width}x{s.height}:r={FPS}"]
        chain, last = [], "0:v"
        for i, s in enumerate(self.shapes, 1):
            chain.append(f"[{last}][{i}:v]overlay=x='{s.x}+{s.speed}*t':y={s.y}:shortest=1[v{i}]")
            last = f"v{i}"
        cmd += ["-filter_complex", ";".join(chain), "-map", f"[{last}]", "-pix_fmt", "yuv420p", "-c:v", "libx264",
                "-preset", "veryfast", "-g", str(FPS), "-movflags", "+faststart", str(path)]
        subprocess.run(cmd, check=True, timeout=120, stdin=subprocess.DEVNULL)


class SceneRows(DirectDatabase):
    """Writes footage files and their recording rows, and a scene's detections, into a SQLite
    test server."""

    def add_recording(self, camera_id: str, start: dt.datetime, seconds: float, name: str, frame: tuple[int, int]) -> str:
        """A complete recording of the file `name` (relative to the server's storage, already
        written) from `start`; returns its id."""
        assert self.kind == "sqlite", "footage rows are written to SQLite servers only"
        path = Path(self.server.env["STORAGE_ROOT"]) / name
        recording = uuid.uuid4()
        with self._sqlite() as conn:
            cam = self._sqlite_id(conn, camera_id)
            conn.execute(
                "INSERT INTO recordings (id, camera_id, start_time, end_time, path, size_bytes, duration_seconds,"
                " video_codec, width, height, audio_codec, status, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (self._like(cam, recording), cam, start.timestamp(), start.timestamp() + seconds, name, path.stat().st_size,
                 float(seconds), "h264", frame[0], frame[1], None, "complete", dt.datetime.now(dt.timezone.utc).timestamp()))
        return str(recording)

    def add_scene(self, camera_id: str, scene: Scene, folder: str) -> None:
        """The scene's footage, its recording and its detections."""
        name = f"{folder}/{scene.start.strftime('%H-%M-%S')}.mp4"
        scene.write_footage(Path(self.server.env["STORAGE_ROOT"]) / name)
        scene.recording_id = self.add_recording(camera_id, scene.start, scene.seconds, name, scene.frame)
        now = dt.datetime.now(dt.timezone.utc).timestamp()
        with self._sqlite() as conn:
            cam = self._sqlite_id(conn, camera_id)
            rec = self._like(cam, uuid.UUID(scene.recording_id))
            conn.executemany(
                "INSERT INTO detections (id, camera_id, recording_id, detected_at, class_name, confidence, box_x, box_y,"
                " box_width, box_height, track_id, source, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,NULL,'historical',?)",
                [(self._like(cam, uuid.uuid4()), cam, rec, scene.start.timestamp() + d["at"], d["class"], d["confidence"],
                  d["box"]["x"], d["box"]["y"], d["box"]["width"], d["box"]["height"], now) for d in scene.detections()])


def _png_size(path: Path) -> tuple[int, int]:
    with open(path, "rb") as f:
        header = f.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def screenshot_pixels(path: Path) -> np.ndarray:
    """A PNG screenshot as an array of rows of RGB pixels (ffmpeg decodes it)."""
    width, height = _png_size(path)
    r = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                       capture_output=True, timeout=60, check=True)
    return np.frombuffer(r.stdout, dtype=np.uint8).reshape(height, width, 3)


def colour_bounds(pixels: np.ndarray, within: dict, colour: str, scale: float = 1.0) -> dict | None:
    """Where `colour` ("green" or "blue": the scene's pure rectangles) shows inside `within` (a CSS
    pixel rect {x, y, width, height}), as a CSS pixel rect; `scale` is the device pixel ratio."""
    x0, y0 = int(within["x"] * scale), int(within["y"] * scale)
    x1, y1 = int((within["x"] + within["width"]) * scale), int((within["y"] + within["height"]) * scale)
    part = pixels[y0:y1, x0:x1].astype(int)
    r, g, b = part[..., 0], part[..., 1], part[..., 2]
    mask = (g > 160) & (r < 90) & (b < 90) if colour == "green" else (b > 160) & (r < 90) & (g < 90)
    rows, cols = np.nonzero(mask)
    if rows.size == 0:
        return None
    return {"x": (x0 + cols.min()) / scale, "y": (y0 + rows.min()) / scale,
            "width": (cols.max() - cols.min() + 1) / scale, "height": (rows.max() - rows.min() + 1) / scale}
