#!/usr/bin/env python3
"""Detection benchmark: the whole `ronin detect` pipeline against bare ONNX Runtime inference of
the same model with the same threads, measured in the same run.

Scenes: vtest.avi (people walking past a parked van and car, 768x576, ~80 s) and a static scene
(one vtest.avi frame looped for BENCH_STATIC_SECONDS, 120 by default). Every scene is analysed at
2 fps, like the NVR.

- pipeline: `ronin detect --json` (decode with ffmpeg, motion filter, letterbox, inference, NMS,
  tracking, activity). Its speed is frames / `elapsed_seconds` of the summary line (model loading
  and process start excluded); run once with the motion filter (the NVR's default) and once with
  `--no-motion` (every frame inferred).
- bare: Python's onnxruntime running the model on ready-made input tensors of the same frames,
  same intra-op threads, graph optimisation all. Preprocessing is NOT included on the bare side
  (tensors are built before timing), so the ratio charges the pipeline for everything it does.

Targets: pipeline (--no-motion) >= 0.9x bare inference; static footage >= 20x real time at 2 fps.

Each side is measured BENCH_ROUNDS times, interleaved, and the best run counts, so a burst of
other work on the machine hurts neither side more than the other.

Environment: RONIN_BIN (.build/release/ronin), BENCH_THREADS (CPU count), BENCH_STATIC_SECONDS (120),
BENCH_ROUNDS (3).
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "bench")]

BIN = os.environ.get("RONIN_BIN", str(ROOT / ".build/release/ronin"))
MODEL = str(ROOT / "models/yolov3-tiny.onnx")
VTEST = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"
THREADS = int(os.environ.get("BENCH_THREADS", str(os.cpu_count() or 1)))
STATIC_SECONDS = float(os.environ.get("BENCH_STATIC_SECONDS", "120"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
FPS = 2
ANALYSIS_WIDTH = 640  # the pipeline's default max_width


def static_scene(folder: Path) -> Path:
    """One vtest.avi frame (t=10 s) looped into a still H.264 clip: an honest camera at night."""
    still = folder / "still.png"
    clip = folder / "static.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", "10", "-i", VTEST, "-frames:v", "1", str(still)], check=True)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-loop", "1", "-framerate", "10", "-i", str(still), "-t", str(STATIC_SECONDS),
                    "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", str(clip)], check=True)
    return clip


def run_pipeline(clip: Path, *extra: str) -> dict:
    """`ronin detect --json` over the clip; returns its summary line."""
    args = [BIN, "detect", str(clip), "--fps", str(FPS), "--json", "--threads", str(THREADS), "--model", MODEL, *extra]
    result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        sys.exit(f"ronin detect failed ({result.returncode}): {result.stderr.strip()}")
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    summary = lines[-1]
    assert summary["type"] == "summary", summary
    summary["fps"] = summary["frames"] / summary["elapsed_seconds"]
    return summary


def frames(clip: Path) -> tuple[np.ndarray, int, int]:
    """The clip's frames at 2 fps, scaled like the pipeline scales them (at most 640 wide)."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                            "-of", "csv=p=0", str(clip)], capture_output=True, text=True, check=True)
    width, height = (int(v) for v in probe.stdout.strip().split(","))
    scale = min(1.0, ANALYSIS_WIDTH / width)
    width, height = max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(clip), "-an", "-vf", f"fps={FPS},scale={width}:{height}",
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3), width, height


def letterbox(frame: np.ndarray, size: int) -> np.ndarray:
    """Nearest-neighbour letterbox into a size x size CHW float tensor padded with 114 (not timed)."""
    height, width = frame.shape[:2]
    scale = min(size / width, size / height)
    new_w, new_h = round(width * scale), round(height * scale)
    rows = (np.arange(new_h) / scale).astype(int).clip(0, height - 1)
    cols = (np.arange(new_w) / scale).astype(int).clip(0, width - 1)
    canvas = np.full((size, size, 3), 114, np.uint8)
    top, left = (size - new_h) // 2, (size - new_w) // 2
    canvas[top:top + new_h, left:left + new_w] = frame[rows][:, cols]
    return (canvas.transpose(2, 0, 1)[None].astype(np.float32) / 255.0).copy()


class BareInference:
    """session.run alone over the clip's frames, with input tensors prepared once beforehand."""

    def __init__(self, clip: Path):
        options = ort.SessionOptions()
        options.intra_op_num_threads = THREADS
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(MODEL, options, providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0]
        decoded, _, _ = frames(clip)
        self.tensors = [letterbox(frame, self.input.shape[2]) for frame in decoded]
        self.session.run(None, {self.input.name: self.tensors[0]})  # warm-up

    def fps(self) -> float:
        started = time.perf_counter()
        for tensor in self.tensors:
            self.session.run(None, {self.input.name: tensor})
        return len(self.tensors) / (time.perf_counter() - started)


def report(name: str, clip: Path, duration: float) -> tuple[float, float]:
    bare_side = BareInference(clip)
    bare, every, gated = 0.0, None, None
    for _ in range(ROUNDS):
        bare = max(bare, bare_side.fps())
        run = run_pipeline(clip, "--no-motion")
        every = run if every is None or run["fps"] > every["fps"] else every
        run = run_pipeline(clip)
        gated = run if gated is None or run["fps"] > gated["fps"] else gated
    skipped = gated["skipped_by_motion"] / max(gated["frames"], 1)
    realtime = duration / gated["elapsed_seconds"]
    print(f"\n{name}: {gated['frames']} frames at {FPS} fps, {THREADS} inference thread(s), best of {ROUNDS} rounds")
    print(f"  bare onnxruntime inference      {bare:8.1f} frames/s   (session.run only, tensors prepared beforehand)")
    print(f"  pipeline, every frame inferred  {every['fps']:8.1f} frames/s   ratio {every['fps'] / bare:.2f}x bare (target >= 0.9x)")
    print(f"  pipeline, motion filter on      {gated['fps']:8.1f} frames/s   ratio {gated['fps'] / bare:.2f}x bare; "
          f"{100 * skipped:.0f}% of frames skipped by motion, {gated['events']} events")
    print(f"  speed with motion filter        {realtime:8.1f}x real time")
    return every["fps"] / bare, realtime


def main() -> None:
    if not Path(BIN).exists():
        sys.exit(f"{BIN} not found: build it first (make build) or set RONIN_BIN")
    print(f"ronin: {BIN}\nmodel: {MODEL}\nonnxruntime {ort.__version__}")
    with tempfile.TemporaryDirectory(prefix="bench-detection-") as folder:
        vtest_duration = float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", VTEST],
                                              capture_output=True, text=True, check=True).stdout)
        ratio, _ = report("vtest.avi", Path(VTEST), vtest_duration)
        static_ratio, realtime = report(f"static scene ({STATIC_SECONDS:.0f} s of one frame)", static_scene(Path(folder)), STATIC_SECONDS)
    print("\nsummary")
    print(f"  pipeline vs bare inference (vtest.avi, every frame): {ratio:.2f}x  {'OK' if ratio >= 0.9 else 'BELOW TARGET'} (>= 0.9x)")
    print(f"  static scene at 2 fps: {realtime:.1f}x real time  {'OK' if realtime >= 20 else 'BELOW TARGET'} (>= 20x)")


if __name__ == "__main__":
    main()
