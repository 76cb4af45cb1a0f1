"""Pictures as numbers, decoded by ffmpeg: a JPEG (or any image ffmpeg reads) as an RGB array,
optionally scaled, and the comparisons the artifact tests make on them."""
from __future__ import annotations

import json
import subprocess

import numpy as np

JPEG_MAGIC = b"\xff\xd8\xff"


def image_size(data: bytes) -> tuple[int, int]:
    """(width, height) of an encoded image, by ffprobe."""
    r = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=width,height,codec_name", "-of", "json", "-"],
                       input=data, capture_output=True, timeout=30)
    assert r.returncode == 0, f"ffprobe cannot read the image: {r.stderr.decode(errors='replace')}"
    stream = json.loads(r.stdout)["streams"][0]
    return int(stream["width"]), int(stream["height"])


def decode_rgb(data: bytes, size: tuple[int, int] | None = None, hflip: bool = False) -> np.ndarray:
    """The image as a height x width x 3 array of uint8, scaled to `size` (width, height) when
    given, mirrored left to right with `hflip`."""
    width, height = size or image_size(data)
    filters = [f"scale={width}:{height}:flags=area"] if size else []
    filters += ["hflip"] if hflip else []
    r = subprocess.run(["ffmpeg", "-v", "error", "-i", "-", *(["-vf", ",".join(filters)] if filters else []),
                        "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                       input=data, capture_output=True, timeout=30)
    assert r.returncode == 0, f"ffmpeg cannot decode the image: {r.stderr.decode(errors='replace')}"
    pixels = np.frombuffer(r.stdout, dtype=np.uint8)
    assert pixels.size == width * height * 3, f"{pixels.size} bytes decoded for {width}x{height}"
    return pixels.reshape(height, width, 3)


def difference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per-pixel largest difference over the three channels (0..255), height x width."""
    return np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=2)


def mean_difference(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())
