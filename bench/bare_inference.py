"""Bare ONNX Runtime inference, the floor the detection and analysis benchmarks measure the NVR
against: footage decoded at the analysis rate and scaled as the NVR scales it, letterboxed as its
pipeline letterboxes, a Python onnxruntime session of the same model with the same threads, and
the model's output decoded into detections per class with the pipeline's thresholds and NMS.

Decoding and letterboxing are the benchmarks' own preparation, never timed: the bare side's
figure is `session.run` alone.
"""
import json
import subprocess
from collections import Counter
from pathlib import Path
from typing import Iterator

import numpy as np
import onnxruntime as ort

ROOT = Path(__file__).resolve().parents[1]
MODEL = str(ROOT / "models/yolov3-tiny.onnx")
VTEST = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"
ANALYSIS_WIDTH = 640  # the pipeline's default max_width
# The pipeline's defaults: ML_CONFIDENCE_THRESHOLD and the NMS overlap.
CONFIDENCE = 0.25
NMS_IOU = 0.45


def analysis_size(clip: Path) -> tuple[int, int]:
    """The size the pipeline analyses the clip's frames at: at most 640 wide, even sides."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                            "-of", "csv=p=0", str(clip)], capture_output=True, text=True, check=True)
    width, height = (int(v) for v in probe.stdout.strip().split(","))
    scale = min(1.0, ANALYSIS_WIDTH / width)
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def decode_arguments(clip: Path, fps: float, size: tuple[int, int], output: str = "pipe:1") -> list[str]:
    """The ffmpeg command the NVR's frame source runs: the clip's frames at `fps`, scaled to
    `size`, as raw RGB to `output`."""
    width, height = size
    return ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(clip), "-an", "-sn", "-dn",
            "-vf", f"fps={fps},scale={width}:{height}:flags=bilinear", "-f", "rawvideo", "-pix_fmt", "rgb24", "-y", output]


def decoded_frames(clip: Path, fps: float) -> Iterator[np.ndarray]:
    """The clip's frames at `fps`, scaled like the pipeline scales them, one RGB array at a time
    (long footage does not have to fit in memory)."""
    width, height = analysis_size(clip)
    ffmpeg = subprocess.Popen(decode_arguments(clip, fps, (width, height)), stdout=subprocess.PIPE)
    size = width * height * 3
    try:
        while len(raw := ffmpeg.stdout.read(size)) == size:
            yield np.frombuffer(raw, np.uint8).reshape(height, width, 3)
    finally:
        ffmpeg.stdout.close()
        if ffmpeg.wait() != 0:
            raise RuntimeError(f"ffmpeg could not decode {clip} ({ffmpeg.returncode})")


def frames(clip: Path, fps: float) -> np.ndarray:
    """Every frame of `decoded_frames`, in one array."""
    return np.stack(list(decoded_frames(clip, fps)))


def _taps(count: int, source: int, scale: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bilinear taps with pixel centres aligned, as the pipeline's letterbox samples."""
    position = np.clip((np.arange(count) + 0.5) / scale - 0.5, 0, source - 1)
    low = position.astype(int)
    return low, np.minimum(low + 1, source - 1), (position - low).astype(np.float32)


def letterbox(frame: np.ndarray, size: int) -> np.ndarray:
    """Bilinear letterbox into a size x size CHW float tensor padded with 114 (not timed)."""
    height, width = frame.shape[:2]
    scale = min(size / width, size / height)
    new_w, new_h = min(size, max(1, round(width * scale))), min(size, max(1, round(height * scale)))
    col_low, col_high, col_weight = _taps(new_w, width, scale)
    row_low, row_high, row_weight = _taps(new_h, height, scale)
    pixels = frame.astype(np.float32)
    rows = pixels[row_low] * (1 - row_weight)[:, None, None] + pixels[row_high] * row_weight[:, None, None]
    picture = rows[:, col_low] * (1 - col_weight)[None, :, None] + rows[:, col_high] * col_weight[None, :, None]
    canvas = np.full((size, size, 3), 114, np.float32)
    top, left = (size - new_h) // 2, (size - new_w) // 2
    canvas[top:top + new_h, left:left + new_w] = picture
    return (canvas.transpose(2, 0, 1)[None] / 255.0).astype(np.float32)


def _nms(corners: np.ndarray, scores: np.ndarray) -> int:
    """How many boxes greedy NMS keeps."""
    order, kept = np.argsort(-scores), 0
    while order.size:
        best, rest = corners[order[0]], corners[order[1:]]
        kept += 1
        inter = (np.clip(np.minimum(best[2], rest[:, 2]) - np.maximum(best[0], rest[:, 0]), 0, None)
                 * np.clip(np.minimum(best[3], rest[:, 3]) - np.maximum(best[1], rest[:, 1]), 0, None))
        union = (best[2] - best[0]) * (best[3] - best[1]) + (rest[:, 2] - rest[:, 0]) * (rest[:, 3] - rest[:, 1]) - inter
        order = order[1:][inter / np.maximum(union, 1e-9) <= NMS_IOU]
    return kept


def decode(output: np.ndarray, names: list[str]) -> Counter:
    """Detections per class in one YOLOv3 output ([boxes, 5 + classes]: box, objectness, class
    scores): each box's best class, objectness x class score over the threshold, NMS per class."""
    best = output[:, 5:].argmax(1)
    scores = output[:, 4] * output[np.arange(len(output)), 5 + best]
    keep = scores >= CONFIDENCE
    boxes, scores, best = output[keep, :4], scores[keep], best[keep]
    corners = np.stack([boxes[:, 0] - boxes[:, 2] / 2, boxes[:, 1] - boxes[:, 3] / 2,
                        boxes[:, 0] + boxes[:, 2] / 2, boxes[:, 1] + boxes[:, 3] / 2], 1)
    return Counter({names[c]: _nms(corners[best == c], scores[best == c]) for c in set(best.tolist())})


class Session:
    """The model in a CPU onnxruntime session with `threads` intra-op threads (one inter-op
    thread, every graph optimisation), as the NVR configures its own."""

    def __init__(self, threads: int) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(MODEL, options, providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0]
        self.size = self.input.shape[2]
        self.names = json.loads(self.session.get_modelmeta().custom_metadata_map["names"])

    def run(self, tensor: np.ndarray) -> np.ndarray:
        """The model's output for one input tensor (its first batch item)."""
        return self.session.run(None, {self.input.name: tensor})[0][0]

    def detect(self, tensor: np.ndarray) -> Counter:
        """Detections per class in one input tensor."""
        return decode(self.run(tensor), self.names)
