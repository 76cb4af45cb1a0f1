#!/usr/bin/env python3
"""Historical analysis benchmark: how fast the NVR analyses recorded footage in the background,
as a multiple of real time, against bare ONNX Runtime inference of the same frames at the same
rate with the same threads, measured in the same run.

The NVR is driven for real: `ronin serve` with detection on (ML_ENABLED=true,
ML_HISTORICAL_FPS=2, ML_THREADS per run, ML_WORKER_CONCURRENCY=1) and pipelines on, so it adopts
footage written into a camera's folder (tests/support/footage.py) at start-up and its start-up
backfill queues a detection job per segment. Scenes, each on a server of its own:

- busy: vtest.avi (people walking past a parked van and car), BENCH_BUSY_SEGMENTS (6) segments
  of BENCH_BUSY_SEGMENT_SECONDS (70; the test footage cuts vtest.avi's 80 s, so no longer);
- static: one vtest.avi frame looped, BENCH_STATIC_SEGMENTS (1) segment of
  BENCH_STATIC_SEGMENT_SECONDS (900, the NVR's default segment length).

Each run is timed from outside, from when the jobs are queued to when every job has succeeded
(polled on GET /api/jobs): first the start-up backfill (which loads the model), then
BENCH_ROUNDS (2) forced re-analyses (POST /api/analysis with force), each against a bare pass;
the best forced run counts. The server's whole process tree (its ffmpeg decoders included) is
sampled for CPU over each run. Also shown: the NVR's ffmpeg decoding command alone over the
files, the floor under any analysis of them. The bare side is Python onnxruntime's `session.run` alone over
every frame of the same files decoded at 2 fps, input tensors prepared beforehand (see
bench/bare_inference.py); its first pass also keeps what it finds in each frame.

Every run's answers are checked: every job succeeded on its first attempt, one per recording;
each result's frame count is the recording's duration x 2 fps within 2 frames; each result's
detection count is what the recording holds (replaced, never added to); on vtest.avi every
segment has people; and each frame the NVR stored detections for has, per class, what bare
inference finds in it (at most 2% of those frames may differ).

Target: the static scene at 2 fps analysed at 50x real time or faster on one inference thread.
The busy scene's speed and its ratio to bare inference are printed, without a target.

Environment: BENCH_THREADS (1; a comma list such as 1,2 also measures those), BENCH_ROUNDS (2),
BENCH_BUSY_SEGMENTS (6), BENCH_BUSY_SEGMENT_SECONDS (70), BENCH_STATIC_SEGMENTS (1),
BENCH_STATIC_SEGMENT_SECONDS (900), BENCH_SCENES (busy,static), RONIN_BIN (.build/release/ronin).
"""
import hashlib
import os
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]
# The server runs in its data folder: the binary's path must not be relative.
os.environ["RONIN_BIN"] = str(Path(os.environ.get("RONIN_BIN", ROOT / ".build/release/ronin")).resolve())

from bare_inference import MODEL, Session, analysis_size, decode_arguments, decoded_frames, letterbox  # noqa: E402
from common import ProcessTree, Verdict, become_subreaper, instant, iso, measure_until, run_outside  # noqa: E402
from detection.analysis_helpers import detections, jobs  # noqa: E402
from recording.helpers import utc  # noqa: E402
from support.footage import adopt_footage  # noqa: E402
from support.paths import RONIN_BIN  # noqa: E402
from support.server import ApiClient, RoninServer  # noqa: E402

THREADS = [int(t) for t in os.environ.get("BENCH_THREADS", "1").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
SCENES = os.environ.get("BENCH_SCENES", "busy,static").split(",")
FPS = 2
# Frames whose detections may differ from bare inference's (a score on the threshold can fall
# either side of it between two implementations of the same arithmetic).
MISMATCH_ALLOWED = 0.02
FRAMES_TOLERANCE = 2
TARGET_REALTIME = 50.0
POLL_SECONDS = 0.2


@dataclass(frozen=True)
class Scene:
    """Footage of one kind: what it is called, how it is written, and whether people are in it."""
    name: str
    camera: str
    segments: int
    seconds: float
    still: bool

    @property
    def footage_seconds(self) -> float:
        return self.segments * self.seconds


def scenes() -> list[Scene]:
    env = os.environ.get
    known = {
        "busy": Scene("vtest.avi (busy)", "Busy Street", int(env("BENCH_BUSY_SEGMENTS", "6")),
                      float(env("BENCH_BUSY_SEGMENT_SECONDS", "70")), still=False),
        "static": Scene("static scene", "Still Yard", int(env("BENCH_STATIC_SEGMENTS", "1")),
                        float(env("BENCH_STATIC_SEGMENT_SECONDS", "900")), still=True),
    }
    return [known[name] for name in SCENES]


# -- the bare side ---------------------------------------------------------------------------------

@dataclass
class BarePass:
    """One timed pass of bare inference over every frame: session.run seconds and CPU seconds."""
    frames: int
    seconds: float
    cpu: float


class BareInference:
    """Bare onnxruntime over every frame of the scene's files at 2 fps. Identical frames (a still
    scene, footage cut from the same clip) share one prepared tensor, but every frame is run. The
    first pass keeps what each frame holds: recording file -> frame index -> detections per class."""

    def __init__(self, threads: int, files: list[Path]) -> None:
        self.session = Session(threads)
        self.tensors: dict[bytes, object] = {}
        self.order: list[bytes] = []
        self.expected: dict[Path, list[Counter]] = {}
        found: dict[bytes, Counter] = {}
        for path in files:
            self.expected[path] = []
            for frame in decoded_frames(path, FPS):
                key = hashlib.blake2b(frame.tobytes(), digest_size=16).digest()
                if key not in self.tensors:
                    self.tensors[key] = letterbox(frame, self.session.size)
                    found[key] = self.session.detect(self.tensors[key])
                self.order.append(key)
                self.expected[path].append(found[key])

    def timed_pass(self) -> BarePass:
        seconds = cpu = 0.0
        for key in self.order:
            tensor = self.tensors[key]
            began, began_cpu = time.perf_counter(), time.process_time()
            self.session.run(tensor)
            seconds += time.perf_counter() - began
            cpu += time.process_time() - began_cpu
        return BarePass(len(self.order), seconds, cpu)


def decode_alone(files: list[Path]) -> tuple[float, float]:
    """The NVR's ffmpeg decoding command alone over the files (frames thrown away), timed from
    outside: wall seconds and CPU seconds, the floor under any analysis of the files, however few
    frames it infers."""
    seconds = cpu = 0.0
    for path in files:
        run = run_outside(decode_arguments(path, FPS, analysis_size(path), output="/dev/null"))
        if run.returncode != 0:
            raise RuntimeError(f"ffmpeg could not decode {path}: {run.stderr.strip()}")
        seconds, cpu = seconds + run.wall_seconds, cpu + run.cpu
    return seconds, cpu


# -- the NVR side ----------------------------------------------------------------------------------

@dataclass
class NvrRun:
    """One analysis of every recording of the scene by the NVR: how it was started, the measured
    window (wall clock and the server tree's CPU), and the jobs as they ended."""
    label: str
    seconds: float
    cpu_seconds: float
    cpu_window: float  # the seconds the CPU was read over (from before the jobs were queued)
    jobs: list[dict]

    @property
    def frames(self) -> int:
        return sum(j["result"]["frames"] for j in self.jobs if j.get("result"))

    @property
    def analysed(self) -> int:
        return sum(j["result"]["analysed"] for j in self.jobs if j.get("result"))


class AnalysedCamera:
    """A camera whose footage a running server has adopted: its recordings and their files."""

    def __init__(self, server: RoninServer, camera: dict, files: list[Path], timeout: float = 60.0) -> None:
        self.server = server
        self.id = camera["id"]
        storage = server.data_dir / "storage"
        api = server.login()
        deadline = time.monotonic() + timeout
        # Reconciliation indexes the files in the background, after the server answers.
        while True:
            self.recordings = api.get("/api/recordings", params={"camera_id": self.id, "start": iso(time.time() - 86400),
                                                                 "end": iso(time.time() + 3600)}).json()
            if len(self.recordings) >= len(files) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        by_path = {str(f.relative_to(storage)): f for f in files}
        self.files = {r["id"]: by_path.get(r["path"]) for r in self.recordings}
        self.start = min(utc(r["start"]) for r in self.recordings) if self.recordings else None
        self.end = max(utc(r["end"]) for r in self.recordings) if self.recordings else None

    @property
    def footage_seconds(self) -> float:
        return sum(r["duration_seconds"] for r in self.recordings)

    def jobs(self, api: ApiClient) -> list[dict]:
        return jobs(api, self.id, kind="detect")

    def finished(self, api: ApiClient, since: float) -> tuple[bool, list[dict]]:
        """Whether every recording's job has succeeded after `since` (epoch seconds), or one has
        stopped for good (parked, cancelled: waiting longer is pointless); and the jobs."""
        found = self.jobs(api)
        ended = {j["recording_id"]: j for j in found if j["state"] in ("succeeded", "parked", "cancelled")
                 and j["finished_at"] and instant(j["finished_at"]) >= since - 0.001}
        stopped = any(j["state"] in ("parked", "cancelled") for j in ended.values())
        return stopped or all(r["id"] in ended for r in self.recordings), found


def wait_for_analysis(camera: AnalysedCamera, tree: ProcessTree, label: str, queue=None) -> NvrRun | None:
    """Measures the server's tree until every job of the camera has finished since its jobs were
    queued: by `queue()`, called right after the first sample, or (None) by the server itself,
    the start-up backfill, from when the earliest of them was created. Wall time runs from the
    queueing to the poll that saw the last job succeed."""
    api = camera.server.login()
    state: dict = {"since": None, "jobs": [], "ended": None}

    def begin() -> None:
        state["since"] = time.time()
        queue()

    def done() -> bool:
        if state["since"] is None:
            found = camera.jobs(api)
            if len(found) < len(camera.recordings):
                return False
            state["since"] = min(instant(j["created_at"]) for j in found)
        ok, state["jobs"] = camera.finished(api, state["since"])
        state["ended"] = time.time()
        return ok

    window = measure_until(tree, done, timeout=120 + 2 * camera.footage_seconds, step=POLL_SECONDS,
                           begin=begin if queue else None)
    if window is None:
        return None
    return NvrRun(label, state["ended"] - state["since"], window.cpu_seconds, window.seconds, state["jobs"])


def force_analysis(camera: AnalysedCamera, api: ApiClient, verdict: Verdict, where: str):
    """A `queue` for wait_for_analysis: asks for every recording of the camera to be analysed
    again; the jobs are queued by the time it answers."""
    def post() -> None:
        r = api.post("/api/analysis", json={"camera_ids": [camera.id], "start": iso(camera.start.timestamp() - 1),
                                            "end": iso(camera.end.timestamp() + 1), "force": True})
        verdict.check(r.status_code == 202 and r.json().get("queued") == len(camera.recordings),
                      f"{where}: POST /api/analysis answered {r.status_code} {r.text[:200]} for {len(camera.recordings)} recordings")
    return post


# -- answers ---------------------------------------------------------------------------------------

def check_run(verdict: Verdict, where: str, scene: Scene, camera: AnalysedCamera, run: NvrRun,
              bare: BareInference) -> None:
    """The run's jobs and the detections it left, against the recordings and bare inference."""
    api = camera.server.login()
    by_recording = {j["recording_id"]: j for j in run.jobs}
    verdict.check(len(run.jobs) == len(camera.recordings) == scene.segments and set(by_recording) == set(camera.files),
                  f"{where}: {len(run.jobs)} jobs for {len(camera.recordings)} recordings of {scene.segments} segments written")
    stored = detections(api, camera.id, camera.start, camera.end)
    distinct = {(d["time"], d["class"], d["track_id"]) for d in stored}
    verdict.check(len(distinct) == len(stored), f"{where}: {len(stored) - len(distinct)} detections stored twice")
    rows: dict[str, list[dict]] = {}
    for d in stored:
        rows.setdefault(d["recording_id"], []).append(d)
    checked, wrong, first_wrong = 0, 0, ""
    for recording in camera.recordings:
        job, rid = by_recording.get(recording["id"]), recording["id"]
        if job is None:
            continue
        if not verdict.check(job["state"] == "succeeded" and job["attempt"] == 1,
                             f"{where}: the job of {recording['path']} is {job['state']} after {job['attempt']} attempts "
                             f"({job['last_error']})"):
            continue
        result, expected_frames = job["result"], recording["duration_seconds"] * FPS
        verdict.check(abs(result["frames"] - expected_frames) <= FRAMES_TOLERANCE,
                      f"{where}: {recording['path']} analysed {result['frames']} frames, its {recording['duration_seconds']} s "
                      f"at {FPS} fps are {expected_frames:.0f}")
        mine = rows.get(rid, [])
        verdict.check(result["detections"] == len(mine),
                      f"{where}: the job of {recording['path']} found {result['detections']} detections, it holds {len(mine)}")
        if not scene.still:
            verdict.check(any(d["class"] == "person" for d in mine), f"{where}: no person found in {recording['path']} of vtest.avi")
        per_frame: dict[int, Counter] = {}
        start = instant(recording["start"])
        for d in mine:
            per_frame.setdefault(round((instant(d["time"]) - start) * FPS), Counter())[d["class"]] += 1
        expected = bare.expected.get(camera.files.get(rid), [])
        for index, counts in per_frame.items():
            checked += 1
            if index >= len(expected) or counts != expected[index]:
                wrong += 1
                first_wrong = first_wrong or (f"{recording['path']} frame {index}: {dict(counts)} against "
                                              f"{dict(expected[index]) if index < len(expected) else 'no such frame'}")
    verdict.check(wrong <= MISMATCH_ALLOWED * max(checked, 1),
                  f"{where}: detections of {wrong} of {checked} frames differ from bare inference (first: {first_wrong})")
    in_jobs = sum(j["result"]["seconds"] for j in run.jobs if j.get("result"))
    print(f"    {run.label}: the jobs' own analysis took {in_jobs:.2f} of its {run.seconds:.2f} s; {len(stored)} detections "
          f"stored, {checked - wrong} of {checked} frames with detections agree with bare inference")


# -- one scene -------------------------------------------------------------------------------------

@dataclass
class SceneResult:
    """The best forced run and the best bare pass of one scene at one thread count."""
    scene: Scene
    threads: int
    footage_seconds: float
    nvr: NvrRun | None
    bare: BarePass | None

    @property
    def realtime(self) -> float:
        return self.footage_seconds / self.nvr.seconds if self.nvr else float("nan")

    @property
    def bare_realtime(self) -> float:
        return self.footage_seconds / self.bare.seconds if self.bare else float("nan")


def server_env(threads: int) -> dict[str, str]:
    return {"RONIN_RUN_PIPELINES": "true", "ML_ENABLED": "true", "ML_HISTORICAL_FPS": str(FPS), "ML_THREADS": str(threads),
            "ML_WORKER_CONCURRENCY": "1", "ML_MODEL_PATH": MODEL, "LOG_LEVEL": "notice"}


def print_row(label: str, footage: float, seconds: float, cpu: float, cpu_window: float, frames: int, analysed: int) -> None:
    print(f"  {label:40}{seconds:9.2f}{footage / seconds:11.1f}x{100 * cpu / cpu_window:10.0f}%"
          f"{1000 * cpu / max(frames, 1):14.1f}{100 * analysed / max(frames, 1):9.0f}%")


def bench_scene(scene: Scene, verdict: Verdict) -> list[SceneResult]:
    server = RoninServer("sqlite", None, "bench-analysis", env=server_env(THREADS[0]))
    results = []
    try:
        server.start()
        camera_row, files = adopt_footage(server, server.login(), scene.camera, scene.segments, scene.seconds, still=scene.still)
        camera = AnalysedCamera(server, camera_row, files)
        footage = camera.footage_seconds
        detection = server.login().get("/api/ml/status").json()["detection"]
        if not verdict.check(detection["available"], f"{scene.name}: detection cannot run: {detection['reason']}"):
            return results
        if not verdict.check(len(camera.recordings) == scene.segments and all(camera.files.values()),
                             f"{scene.name}: the server adopted {len(camera.recordings)} recordings of {scene.segments} segments written"):
            return results
        for n, threads in enumerate(THREADS):
            if n > 0:
                server.stop()
                server.env.update(server_env(threads))
                server.start()
            results.append(bench_threads(scene, camera, threads, footage, first=n == 0, verdict=verdict))
    finally:
        server.stop()
        shutil.rmtree(server.data_dir, ignore_errors=True)
    return results


def bench_threads(scene: Scene, camera: AnalysedCamera, threads: int, footage: float, first: bool,
                  verdict: Verdict) -> SceneResult:
    """The start-up backfill (on the first server start), then the forced rounds, each beside a
    bare pass, the side that goes first alternating."""
    where = f"{scene.name}, {threads} thread(s)"
    tree = ProcessTree([camera.server.proc.pid])
    api = camera.server.login()
    runs: list[NvrRun] = []
    if first:
        backfill = wait_for_analysis(camera, tree, "start-up backfill")
        if backfill is None:
            verdict.wrong(f"{where}: the start-up backfill did not finish within its time")
        else:
            runs.append(backfill)
    files = [camera.files[r["id"]] for r in camera.recordings]
    bare = BareInference(threads, files)
    decoding = decode_alone(files)
    passes: list[BarePass] = []
    forced: list[NvrRun] = []
    for n in range(ROUNDS):
        def nvr() -> None:
            label = f"POST /api/analysis force, round {n + 1}"
            run = wait_for_analysis(camera, tree, label, force_analysis(camera, api, verdict, where))
            if run is None:
                verdict.wrong(f"{where}: {label} did not finish within its time")
            else:
                forced.append(run)
        sides = [lambda: passes.append(bare.timed_pass()), nvr]
        for side in sides[::-1] if n % 2 else sides:
            side()
    runs += forced
    frames = len(bare.order)
    print(f"\n== {scene.name}: {scene.segments} x {scene.seconds:.0f} s ({footage:.0f} s of footage, {frames} frames at {FPS} fps, "
          f"{len(bare.tensors)} distinct), ML_THREADS={threads}, ML_WORKER_CONCURRENCY=1; load average {os.getloadavg()[0]:.1f}")
    print(f"  {'':40}{'wall s':>9}{'real time':>12}{'CPU':>11}{'CPU ms/frame':>14}{'analysed':>10}")
    print_row("ffmpeg decoding alone (no inference)", footage, decoding[0], decoding[1], decoding[0], frames, 0)
    for p in passes:
        print_row("bare onnxruntime, every frame", footage, p.seconds, p.cpu, p.seconds, p.frames, p.frames)
    for run in runs:
        print_row(f"NVR, {run.label}", footage, run.seconds, run.cpu_seconds, run.cpu_window, run.frames, run.analysed)
    for run in runs:
        check_run(verdict, f"{where}, {run.label}", scene, camera, run, bare)
    result = SceneResult(scene, threads, footage, min(forced, key=lambda r: r.seconds, default=None),
                         min(passes, key=lambda p: p.seconds, default=None))
    if result.nvr:
        print(f"  best forced run: {result.realtime:.1f}x real time, {result.realtime / result.bare_realtime:.2f}x bare inference "
              f"({result.bare_realtime:.1f}x real time)")
    return result


def main() -> int:
    if not RONIN_BIN.exists():
        sys.exit(f"{RONIN_BIN} not found: build it first (make build) or set RONIN_BIN")
    become_subreaper()
    verdict = Verdict("analysis benchmark")
    print(f"ronin: {RONIN_BIN}\nmodel: {MODEL}\nthreads {THREADS}, {ROUNDS} forced rounds per scene; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    results = [r for scene in scenes() for r in bench_scene(scene, verdict)]
    print("\nsummary")
    for r in results:
        if r.nvr is None:
            print(f"  {r.scene.name}, {r.threads} thread(s): not measured")
            continue
        line = (f"  {r.scene.name}, {r.threads} thread(s): {r.realtime:.1f}x real time, "
                f"{r.realtime / r.bare_realtime:.2f}x bare inference ({r.bare_realtime:.1f}x)")
        if r.scene.still and r.threads == 1:
            line += "  " + verdict.target(r.realtime >= TARGET_REALTIME,
                                          f"static scene {r.realtime:.1f}x real time on one thread (>= {TARGET_REALTIME:.0f}x)") \
                + f" (>= {TARGET_REALTIME:.0f}x)"
        else:
            line += "  (no target)"
        print(line)
    if "static" in SCENES and 1 not in THREADS:
        verdict.wrong("the static scene's target is for one thread: BENCH_THREADS must include 1")
    return verdict.exit_status()


if __name__ == "__main__":
    sys.exit(main())
