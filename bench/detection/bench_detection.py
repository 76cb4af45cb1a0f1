#!/usr/bin/env python3
"""Detection benchmark: the whole `ronin detect` pipeline against bare ONNX Runtime inference of
the same model with the same threads, measured in the same run.

Scenes: vtest.avi (people walking past a parked van and car, 768x576, ~80 s) and a static scene
(one vtest.avi frame looped for BENCH_STATIC_SECONDS, 120 by default). Every scene is analysed at
2 fps, like the NVR.

- pipeline: `ronin detect --json` (decode with ffmpeg, motion filter, letterbox, inference, NMS,
  tracking, activity), run once with the motion filter (the NVR's default) and once with
  `--no-motion` (every frame inferred). Two figures for each run: its own report (frames /
  `elapsed_seconds` of its summary line, model loading and process start left out), and the
  whole run timed from outside: wall clock from spawn to exit, and the CPU of the process and of
  every child it ran (the ffmpeg decoder, ffprobe), per frame.
- bare: Python's onnxruntime running the model on ready-made input tensors of the same frames,
  same intra-op threads, graph optimisation all. Preprocessing is NOT included on the bare side
  (tensors are built before timing), so the ratio charges the pipeline for everything it does.

Answers are checked: both runs must report every frame the bare side decoded; with every frame
inferred, each frame's detections (per class) must match what bare inference of that frame
finds with the same thresholds and NMS; with the motion filter, every frame it reports
detections for must match too. A run whose answers disagree fails, however fast it was.

Targets: pipeline (--no-motion, own report) >= 0.9x bare inference; static footage >= 20x real
time at 2 fps, timed from outside (the whole run, as a user waits for it).

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
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import onnxruntime as ort

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "bench")]

from bare_inference import MODEL, VTEST, Session, frames, letterbox  # noqa: E402
from common import OutsideRun, Verdict, become_subreaper, run_outside  # noqa: E402

BIN = os.environ.get("RONIN_BIN", str(ROOT / ".build/release/ronin"))
THREADS = int(os.environ.get("BENCH_THREADS", str(os.cpu_count() or 1)))
STATIC_SECONDS = float(os.environ.get("BENCH_STATIC_SECONDS", "120"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
FPS = 2
# Frames whose detections may differ from bare inference's (a score on the threshold can fall
# either side of it between two implementations of the same arithmetic).
MISMATCH_ALLOWED = 0.02
TARGET_RATIO = 0.9
TARGET_REALTIME = 20.0


def static_scene(folder: Path) -> Path:
    """One vtest.avi frame (t=10 s) looped into a still H.264 clip: an honest camera at night."""
    still = folder / "still.png"
    clip = folder / "static.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", "10", "-i", VTEST, "-frames:v", "1", str(still)], check=True)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-loop", "1", "-framerate", "10", "-i", str(still), "-t", str(STATIC_SECONDS),
                    "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", str(clip)], check=True)
    return clip


@dataclass
class PipelineRun:
    """One `ronin detect --json` run: its summary line, its detections per frame, and the run as
    measured from outside."""
    summary: dict
    per_frame: dict[int, Counter]
    outside: OutsideRun

    @property
    def fps(self) -> float:
        return self.summary["frames"] / self.summary["elapsed_seconds"]

    @property
    def outside_fps(self) -> float:
        return self.summary["frames"] / self.outside.wall_seconds

    def cpu_ms_per_frame(self, children_only: bool = False) -> float:
        cpu = self.outside.children_cpu if children_only else self.outside.cpu
        return 1000 * cpu / max(self.summary["frames"], 1)


def run_pipeline(clip: Path, *extra: str) -> PipelineRun:
    """`ronin detect --json` over the clip, timed from outside."""
    args = [BIN, "detect", str(clip), "--fps", str(FPS), "--json", "--threads", str(THREADS), "--model", MODEL, *extra]
    outside = run_outside(args, cwd=ROOT)
    if outside.returncode != 0:
        sys.exit(f"ronin detect failed ({outside.returncode}): {outside.stderr.strip()}")
    lines = [json.loads(line) for line in outside.stdout.splitlines() if line.startswith("{")]
    if not lines or lines[-1].get("type") != "summary":
        sys.exit(f"ronin detect printed no summary line: {outside.stdout[-500:]!r}")
    per_frame: dict[int, Counter] = {}
    for line in lines:
        if line["type"] == "detection":
            per_frame.setdefault(line["frame"], Counter())[line["class"]] += 1
    return PipelineRun(lines[-1], per_frame, outside)


class BareInference:
    """session.run alone over the clip's frames, with input tensors prepared once beforehand. An
    untimed first pass over every frame warms the session up and keeps what it finds in each
    frame: the answers the pipeline is checked against."""

    def __init__(self, clip: Path):
        self.session = Session(THREADS)
        self.tensors = [letterbox(frame, self.session.size) for frame in frames(clip, FPS)]
        self.expected = [self.session.detect(t) for t in self.tensors]
        self.cpu_ms_per_frame = float("inf")

    def fps(self) -> float:
        started, cpu = time.perf_counter(), time.process_time()
        for tensor in self.tensors:
            self.session.run(tensor)
        self.cpu_ms_per_frame = min(self.cpu_ms_per_frame, 1000 * (time.process_time() - cpu) / len(self.tensors))
        return len(self.tensors) / (time.perf_counter() - started)


def check_run(verdict: Verdict, scene: str, label: str, run: PipelineRun, bare: BareInference, every_frame: bool) -> None:
    """The run's answers against the frames and the bare side's detections."""
    s, frames_expected = run.summary, len(bare.tensors)
    where = f"{scene}, {label}"
    verdict.check(s["frames"] == frames_expected, f"{where}: reported {s['frames']} frames, the clip has {frames_expected} at {FPS} fps")
    verdict.check(s["analysed"] + s["skipped_by_motion"] == s["frames"],
                  f"{where}: {s['analysed']} analysed + {s['skipped_by_motion']} skipped is not {s['frames']} frames")
    if every_frame:
        verdict.check(s["skipped_by_motion"] == 0 and s["analysed"] == s["frames"],
                      f"{where}: skipped {s['skipped_by_motion']} frames with the motion filter off")
    verdict.check(s["elapsed_seconds"] <= run.outside.wall_seconds,
                  f"{where}: reports {s['elapsed_seconds']} s, longer than the {run.outside.wall_seconds:.3f} s it ran")
    verdict.check(not run.outside.outlived, f"{where}: left {', '.join(run.outside.outlived)} running after it exited")
    # Every frame when all are inferred; otherwise the frames it reports detections for.
    checked = range(frames_expected) if every_frame else sorted(run.per_frame)
    wrong = [i for i in checked if i >= frames_expected or run.per_frame.get(i, Counter()) != bare.expected[i]]
    found, expected = sum(sum(c.values()) for c in run.per_frame.values()), sum(sum(bare.expected[i].values()) for i in checked
                                                                                   if i < frames_expected)
    if every_frame:
        verdict.check(expected > 0 or scene.startswith("static"), f"{where}: bare inference found nothing to compare with")
    if wrong:
        first = wrong[0]
        verdict.check(len(wrong) <= MISMATCH_ALLOWED * max(len(checked), 1),
                      f"{where}: detections of {len(wrong)} of {len(checked)} frames differ from bare inference "
                      f"(frame {first}: {dict(run.per_frame.get(first, {}))} against "
                      f"{dict(bare.expected[first]) if first < frames_expected else 'no such frame'})")
    print(f"  {label}: {found} detections reported, {len(checked) - len(wrong)} of {len(checked)} frames checked "
          f"agree with bare inference ({expected} detections)")


def report(verdict: Verdict, name: str, clip: Path, duration: float) -> tuple[float, float]:
    bare_side = BareInference(clip)
    bare, every, gated = 0.0, None, None
    for _ in range(ROUNDS):
        bare = max(bare, bare_side.fps())
        run = run_pipeline(clip, "--no-motion")
        every = run if every is None or run.fps > every.fps else every
        run = run_pipeline(clip)
        gated = run if gated is None or run.fps > gated.fps else gated
    skipped = gated.summary["skipped_by_motion"] / max(gated.summary["frames"], 1)
    realtime, realtime_outside = duration / gated.summary["elapsed_seconds"], duration / gated.outside.wall_seconds
    print(f"\n{name}: {gated.summary['frames']} frames at {FPS} fps, {THREADS} inference thread(s), best of {ROUNDS} rounds")
    print(f"  {'':32}{'own report':>12}{'whole run, timed from outside':^50}")
    print(f"  {'':32}{'frames/s':>12}{'wall s':>10}{'frames/s':>10}{'CPU ms/frame':>14}{'in children':>16}")
    print(f"  {'bare onnxruntime inference':32}{bare:12.1f}{'':>10}{'':>10}{bare_side.cpu_ms_per_frame:14.1f}"
          f"{'':>16}  (session.run only, tensors prepared beforehand)")
    for label, run in (("pipeline, every frame inferred", every), ("pipeline, motion filter on", gated)):
        print(f"  {label:32}{run.fps:12.1f}{run.outside.wall_seconds:10.2f}{run.outside_fps:10.1f}"
              f"{run.cpu_ms_per_frame():14.1f}{run.cpu_ms_per_frame(children_only=True):16.1f}")
    print(f"  ratio every frame / bare: {every.fps / bare:.2f}x own report, {every.outside_fps / bare:.2f}x whole run; "
          f"CPU per frame {every.cpu_ms_per_frame() / bare_side.cpu_ms_per_frame:.2f}x bare (decoder included)")
    print(f"  motion filter: {100 * skipped:.0f}% of frames skipped, {gated.summary['events']} events; "
          f"{realtime:.1f}x real time own report, {realtime_outside:.1f}x whole run")
    check_run(verdict, name, "every frame", every, bare_side, every_frame=True)
    check_run(verdict, name, "motion filter", gated, bare_side, every_frame=False)
    return every.fps / bare, realtime_outside


def main() -> int:
    if not Path(BIN).exists():
        sys.exit(f"{BIN} not found: build it first (make build) or set RONIN_BIN")
    become_subreaper()
    verdict = Verdict("detection benchmark")
    print(f"ronin: {BIN}\nmodel: {MODEL}\nonnxruntime {ort.__version__}")
    with tempfile.TemporaryDirectory(prefix="bench-detection-") as folder:
        vtest_duration = float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", VTEST],
                                              capture_output=True, text=True, check=True).stdout)
        ratio, _ = report(verdict, "vtest.avi", Path(VTEST), vtest_duration)
        _, realtime = report(verdict, f"static scene ({STATIC_SECONDS:.0f} s of one frame)", static_scene(Path(folder)), STATIC_SECONDS)
    print("\nsummary")
    print(f"  pipeline vs bare inference (vtest.avi, every frame, own report): {ratio:.2f}x  "
          f"{verdict.target(ratio >= TARGET_RATIO, f'pipeline {ratio:.2f}x bare inference (>= {TARGET_RATIO}x)')} (>= {TARGET_RATIO}x)")
    print(f"  static scene at 2 fps, whole run: {realtime:.1f}x real time  "
          f"{verdict.target(realtime >= TARGET_REALTIME, f'static scene {realtime:.1f}x real time (>= {TARGET_REALTIME:.0f}x)')} "
          f"(>= {TARGET_REALTIME:.0f}x)")
    return verdict.exit_status()


if __name__ == "__main__":
    sys.exit(main())
