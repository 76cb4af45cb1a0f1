#!/usr/bin/env python3
"""Live detection benchmark: how many cameras one core can watch at 2 fps with the motion gate,
on busy and on static footage, and how long a person takes to reach a webhook.

Cameras per core. `ronin serve` (release build, SQLite, pipelines and detection on,
LIVE_DETECTION_FPS=2, ML_THREADS=1) records cameras of one scene from the test
camera: busy (/vtest-noaudio, people walking past parked cars) or static (/quiet, a clock on
black). Its whole process tree (every ffmpeg, every child; bench/common.py) is measured over
BENCH_SECONDS with live detection on, and again with it off (PUT /api/ml/config
{"live_enabled": false}: the cameras keep recording and keep their tap, only the detectors go).
Watching costs the difference, per camera per second of wall clock; cameras per core = 1 / that.
Also printed: with recording, 1 / (the whole tree's CPU per camera-second, detection on). The
baseline, measured in the same run: bare ffmpeg decoding each camera's stream to 2 fps frames of
the analysis size (what any live detector must at least do), per camera-second; the ratio says
what watching costs beyond decoding.

Alert latency. The test camera serves a clip made for this: a still of the scene with nobody in
it (the temporal median of vtest.avi) for PLATE_SECONDS, then vtest.avi with people walking for
PEOPLE_SECONDS, looped. The instant people appear is known exactly: a reader of the same shared
RTSP stream (its own ffmpeg, one thread, no buffering) decodes every frame small and stamps the
first frame that is no longer the still. The NVR watches the camera with LIVE_DETECTION_COOLDOWN=0
and a webhook receiver (tests/support/webhooks.py) stamps each call when it arrives. The latency
of an entry is the first signed person-arrival call for an object first seen after it, minus the
entry's instant; BENCH_LATENCY_ENTRIES entries are measured (the first, during the watch's
warm-up, is left out). The parts are printed too: entry to first sighting (tap, frame sampling),
first sighting to the event written (confirmation, movement), written to received (job, HTTP).

Every answer is checked, and the run fails when one disagrees: every camera recording and never
restarted over a window; one live detector per camera, the same process, for the whole of each
window with detection on, and none with it off; each busy camera reporting people in every
window with detection on, and no static camera ever reporting anything; every entry alerted
before the next, by a correctly signed call; no person arriving while the still was shown.

Targets: alert latency p95 under 3 s; at least 8 static cameras per core (watching).

Environment: BENCH_SCENES (busy,static), BENCH_CAMERAS (4), BENCH_BUSY_CAMERAS (one per core, at most
BENCH_CAMERAS), BENCH_SECONDS (60), BENCH_WARMUP (15),
BENCH_LATENCY_ENTRIES (15), RONIN_BIN (.build/release/ronin).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]
# The server runs in its data folder: the binary's path must not be relative.
os.environ["RONIN_BIN"] = str(Path(os.environ.get("RONIN_BIN", ROOT / ".build/release/ronin")).resolve())

import numpy as np  # noqa: E402

from bare_inference import MODEL, VTEST, decode_arguments  # noqa: E402
from common import Latency, ProcessTree, TreeSnapshot, Verdict, become_subreaper, command_line, instant, measure  # noqa: E402
from support.camera import TestCamera  # noqa: E402
from support.paths import RONIN_BIN  # noqa: E402
from support.server import ApiClient, RoninServer  # noqa: E402
from support.webhooks import WebhookReceiver, signature_problem  # noqa: E402

SCENES = os.environ.get("BENCH_SCENES", "busy,static").split(",")
CAMERAS = int(os.environ.get("BENCH_CAMERAS", "4"))
# A busy scene causes events, and the artifacts and webhooks of each are jobs that yield to live
# detection: watched by more cameras than there are cores, the work piles up past the window and
# its CPU goes uncounted (the run checks that it does not). Busy cameras: one per core, up to
# BENCH_CAMERAS, unless BENCH_BUSY_CAMERAS says otherwise.
BUSY_CAMERAS = int(os.environ.get("BENCH_BUSY_CAMERAS", str(min(CAMERAS, os.cpu_count() or 1))))


def cameras_for(scene: str) -> int:
    return BUSY_CAMERAS if scene == "busy" else CAMERAS
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "15"))
ENTRIES = int(os.environ.get("BENCH_LATENCY_ENTRIES", "15"))
FPS = 2
TARGET_STATIC_PER_CORE = 8.0
TARGET_LATENCY_P95 = 3.0
SECRET = "bench-live-secret"

# The entry clip: the empty scene, then people; PEOPLE_FROM is where in vtest.avi they are taken
# from (people walking in most of the picture).
PLATE_SECONDS, PEOPLE_SECONDS, PEOPLE_FROM = 6, 8, 8
CLIP_VERSION = "v1"
THUMB = (64, 48)  # the reader's frames: small gray pictures, enough to tell the still from people
STILL_TOLERANCE = 1.5  # mean gray difference under which a frame is the still (measured: 0.2 against 5.6 with people)

SCENE_MOUNTS = {"busy": ("/vtest-noaudio", (640, 480)), "static": ("/quiet", (640, 360))}


def server_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"RONIN_RUN_PIPELINES": "true", "ML_ENABLED": "true", "LIVE_DETECTION_ENABLED": "true",
            "LIVE_DETECTION_FPS": str(FPS), "ML_THREADS": "1", "ML_MODEL_PATH": MODEL, "LOG_LEVEL": "notice",
            # Segments end at midnight only: no finished segment queues a historical analysis
            # inside a window (checked: no detection job may start in one).
            "RECORDING_SEGMENT_SECONDS": "86400", **(extra or {})}


def add_cameras(api: ApiClient, camera: TestCamera, mount: str, count: int, prefix: str) -> list[dict]:
    """Adds the cameras one at a time, each recording before the next connects (the test camera's
    RTSP server has been seen to abort when several clients open one mount at the same instant)."""
    made = []
    for n in range(count):
        r = api.post("/api/cameras", params={"validate": "false"},
                     json={"name": f"{prefix} {n + 1}", "host": camera.host, "port": camera.port, "stream_path": mount,
                           "audio_enabled": False})
        if r.status_code != 201:
            raise RuntimeError(f"adding a camera failed: {r.status_code} {r.text}")
        made.append(r.json())
        if not wait_until(lambda: camera_states(api, {made[-1]["id"]})[made[-1]["id"]]["state"] == "recording", timeout=60):
            raise RuntimeError(f"camera {prefix} {n + 1} never recorded: {camera_states(api, {made[-1]['id']})}")
    return made


def camera_states(api: ApiClient, ids: set[str]) -> dict[str, dict]:
    return {c["id"]: c for c in api.get("/api/status").json()["cameras"] if c["id"] in ids}


def udp_sockets() -> set[str]:
    """Inodes of the machine's UDP sockets (IPv4 and IPv6)."""
    inodes = set()
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except FileNotFoundError:
            continue
        inodes |= {row.split()[9] for row in rows if len(row.split()) > 9}
    return inodes


def detectors(snapshot: TreeSnapshot) -> set[int]:
    """The live detectors' ffmpeg processes in the tree: they write raw frames, like the decoders
    of historical analysis, but read a camera's tap from a UDP socket."""
    udp = udp_sockets()
    found = set()
    for member in snapshot.named("ffmpeg"):
        if "rawvideo" not in command_line(member.pid):
            continue
        try:
            links = [os.readlink(f"/proc/{member.pid}/fd/{fd}") for fd in os.listdir(f"/proc/{member.pid}/fd")]
        except (FileNotFoundError, PermissionError):
            continue
        if any(link.startswith("socket:[") and link[8:-1] in udp for link in links):
            found.add(member.pid)
    return found


def backlog(api: ApiClient) -> int:
    """Jobs of the work events cause (artifacts, webhooks) that are due and not done."""
    r = api.get("/api/jobs", params={"state": "queued,running,failed", "limit": 500})
    now = time.time()
    return len([j for j in r.json()["jobs"] if j["kind"] in ("artifacts", "webhook")
                and (j["state"] == "running" or instant(j["run_at"]) <= now)])


def wait_until(check, timeout: float, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(step)
    return None


def live_events(api: ApiClient, camera_id: str, since: float) -> list[dict]:
    r = api.get("/api/events", params={"camera_id": camera_id, "source": "live", "limit": 500})
    return [e for e in r.json()["events"] if instant(e["created_at"]) >= since]


# -- cameras per core ----------------------------------------------------------------------------------

@dataclass
class WindowResult:
    label: str
    cpu_per_camera: float  # CPU seconds per camera per second of wall clock


def measure_nvr(server: RoninServer, api: ApiClient, cameras: list[dict], camera: TestCamera, live: bool, scene: str,
                verdict: Verdict) -> WindowResult | None:
    ids = {c["id"] for c in cameras}
    where = f"{scene}, detection {'on' if live else 'off'}"
    r = api.put("/api/ml/config", json={"live_enabled": live})
    if not verdict.check(r.status_code == 200, f"{where}: PUT /api/ml/config answered {r.status_code} {r.text[:200]}"):
        return None
    tree = ProcessTree([server.proc.pid], others={camera.proc.pid})
    wanted = len(cameras) if live else 0
    if not wait_until(lambda: len(detectors(tree.snapshot())) == wanted, timeout=60):
        verdict.wrong(f"{where}: {len(detectors(tree.snapshot()))} live detectors running, {wanted} wanted")
        return None
    if not live and not wait_until(lambda: backlog(api) == 0, timeout=300, step=2):
        verdict.wrong(f"{where}: the artifacts of the events so far were still being made after 5 minutes")
    time.sleep(WARMUP if live else 5)
    states = camera_states(api, ids)
    behind = backlog(api)
    began = time.time()
    pids: set[int] = set()

    def on_sample(snap: TreeSnapshot) -> None:
        found = detectors(snap)
        if len(found) != wanted:  # read again: a socket table read while it changed
            time.sleep(0.5)
            found = detectors(tree.snapshot())
        pids.update(found)
        if len(found) != wanted:
            verdict.wrong(f"{where}: {len(found)} live detectors in a sample, {wanted} wanted")

    window = measure(tree, SECONDS, on_sample=on_sample)
    verdict.check(server.proc.poll() is None, f"{where}: the server died")
    verdict.check(camera.running, f"{where}: the test camera died (see {camera.log_path})")
    after = camera_states(api, ids)
    for camera_id, state in states.items():
        end = after.get(camera_id, {})
        verdict.check(state["state"] == "recording" and end.get("state") == "recording" and end.get("restarts") == state["restarts"],
                      f"{where}: camera {state['name']} went {state['state']} -> {end.get('state')}, restarts "
                      f"{state['restarts']} -> {end.get('restarts')}")
    verdict.check(len(pids) == wanted, f"{where}: {len(pids)} detector processes over the window for {wanted} cameras (restarts)")
    # Work the window's events caused but that ran after it would be missing from its CPU: the
    # artifacts and webhooks due must not pile up over the window.
    grown = backlog(api) - behind
    verdict.check(grown <= len(cameras), f"{where}: {grown} more artifacts and webhook jobs due and not done at the end of the "
                                         f"window than at its start: the NVR fell behind the work {len(cameras)} cameras cause")
    started = [j for j in api.get("/api/jobs", params={"kind": "detect", "limit": 500}).json()["jobs"]
               if j["started_at"] and instant(j["started_at"]) >= began]
    verdict.check(not started, f"{where}: {len(started)} historical analyses ran inside the window")
    for c in cameras:
        seen = live_events(api, c["id"], began)
        if scene == "busy" and live:
            verdict.check(any(e["class"] == "person" for e in seen), f"{where}: {c['name']} reported no person in the window")
        if scene == "static":
            verdict.check(not seen, f"{where}: {c['name']} reported {[(e['kind'], e['class']) for e in seen]} on a still picture")
    return WindowResult(f"NVR, live detection {'on' if live else 'off'}", window.cpu_seconds / len(cameras) / window.seconds)


def measure_bare(camera: TestCamera, mount: str, size: tuple[int, int], count: int, verdict: Verdict) -> WindowResult | None:
    """`count` bare ffmpeg processes decoding the mount at 2 fps to frames of the analysis size."""
    args = decode_arguments(camera.url(mount), FPS, size, output="/dev/null")
    args[args.index("-i"):args.index("-i")] = ["-rtsp_transport", "tcp"]
    procs = [subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(count)]
    try:
        time.sleep(5)
        tree = ProcessTree([p.pid for p in procs], others={camera.proc.pid} | {p.pid for p in procs})
        window = measure(tree, SECONDS)
        alive = [p.poll() is None for p in procs]
        verdict.check(all(alive), f"bare decoding of {mount}: {alive.count(False)} of {count} ffmpeg exited")
        return WindowResult("bare ffmpeg decoding at 2 fps", window.cpu_seconds / count / window.seconds)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait()


@dataclass
class SceneFigures:
    scene: str
    on: WindowResult | None
    off: WindowResult | None
    bare: WindowResult | None

    @property
    def watch(self) -> float | None:
        return self.on.cpu_per_camera - self.off.cpu_per_camera if self.on and self.off else None


def bench_scene(scene: str, camera: TestCamera, verdict: Verdict) -> SceneFigures:
    mount, size = SCENE_MOUNTS[scene]
    server = RoninServer("sqlite", None, f"bench-live-{scene}", env=server_env())
    try:
        server.start()
        api = server.login()
        detection = api.get("/api/ml/status").json()["detection"]
        if not verdict.check(detection["available"], f"{scene}: detection cannot run: {detection['reason']}"):
            return SceneFigures(scene, None, None, None)
        cameras = add_cameras(api, camera, mount, cameras_for(scene), scene.capitalize())
        ids = {c["id"] for c in cameras}
        if not wait_until(lambda: all(s["state"] == "recording" for s in camera_states(api, ids).values()), timeout=90):
            verdict.wrong(f"{scene}: the cameras never all recorded: {camera_states(api, ids)}")
            return SceneFigures(scene, None, None, None)
        on = measure_nvr(server, api, cameras, camera, True, scene, verdict)
        off = measure_nvr(server, api, cameras, camera, False, scene, verdict)
    finally:
        server.stop()
        shutil.rmtree(server.data_dir, ignore_errors=True)
    bare = measure_bare(camera, mount, size, cameras_for(scene), verdict)
    return SceneFigures(scene, on, off, bare)


# -- alert latency -------------------------------------------------------------------------------------

def cache_dir() -> Path:
    path = Path(os.environ.get("RONIN_BENCH_CACHE", Path(tempfile.gettempdir()) / "ronin-bench-live-cache"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def entry_clip() -> tuple[Path, Path]:
    """The clip (the empty scene, then people walking; H.264 like the test camera's footage: 10
    fps, a keyframe every 2 s, no B-frames) and its still, made once and kept in the cache."""
    st = os.stat(VTEST)
    key = hashlib.sha1(f"{st.st_size}:{int(st.st_mtime)}:{CLIP_VERSION}:{PLATE_SECONDS}:{PEOPLE_SECONDS}:{PEOPLE_FROM}"
                       .encode()).hexdigest()[:10]
    clip, still = cache_dir() / f"entry-{key}.mkv", cache_dir() / f"still-{key}.png"
    if clip.exists() and still.exists():
        return clip, still
    with tempfile.TemporaryDirectory(prefix="ronin-bench-live-") as scratch:
        # The temporal median of frames 2 s apart over the whole clip: everyone who walks by is
        # gone, the parked van and car stay.
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", VTEST, "-vf", "select='not(mod(n\\,20))',tmedian=radius=19",
                        "-vsync", "0", "-frames:v", "2", f"{scratch}/median-%d.png"], check=True, timeout=300)
        shutil.copy(f"{scratch}/median-2.png", f"{scratch}/still.png")
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-loop", "1", "-framerate", "10", "-t", str(PLATE_SECONDS),
                        "-i", f"{scratch}/still.png", "-ss", str(PEOPLE_FROM), "-t", str(PEOPLE_SECONDS), "-i", VTEST,
                        "-filter_complex", "[0:v]format=yuv420p,setsar=1[a];[1:v]fps=10,format=yuv420p,setsar=1[b];"
                                           "[a][b]concat=n=2:v=1[v]",
                        "-map", "[v]", "-an", "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-crf", "23",
                        "-g", "20", "-keyint_min", "20", "-sc_threshold", "0", "-bf", "0", "-r", "10",
                        f"{scratch}/entry.mkv"], check=True, timeout=300)
        shutil.move(f"{scratch}/still.png", still)
        shutil.move(f"{scratch}/entry.mkv", clip)
    return clip, still


def thumbnail(args_input: list[str]) -> list[str]:
    return ["ffmpeg", "-nostdin", "-loglevel", "error", *args_input, "-an", "-vf",
            f"scale={THUMB[0]}:{THUMB[1]}:flags=area,format=gray", "-threads", "1", "-f", "rawvideo", "pipe:1"]


@dataclass
class EntryReader:
    """Reads the camera's stream like a viewer and stamps when people appear and disappear."""
    url: str
    still: np.ndarray
    entries: list[float] = field(default_factory=list)
    exits: list[float] = field(default_factory=list)

    def start(self) -> "EntryReader":
        self.proc = subprocess.Popen(thumbnail(["-fflags", "nobuffer", "-flags", "low_delay", "-rtsp_transport", "tcp",
                                                "-i", self.url]), stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        return self

    def _read(self) -> None:
        size = THUMB[0] * THUMB[1]
        still_run = 0
        was_still = None
        while len(raw := self.proc.stdout.read(size)) == size:
            now = time.time()
            frame = np.frombuffer(raw, np.uint8).astype(np.int16)
            is_still = float(np.abs(frame - self.still).mean()) < STILL_TOLERANCE
            if is_still:
                still_run += 1
            elif still_run >= 10:
                self.entries.append(now)
            if was_still is False and is_still:
                self.exits.append(now)
            if not is_still:
                still_run = 0
            was_still = is_still

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()


@dataclass
class LatencyFigures:
    total: list[float]
    sighting: list[float]
    deciding: list[float]
    delivering: list[float]


def bench_latency(camera: TestCamera, still_png: Path, verdict: Verdict) -> LatencyFigures | None:
    still = np.frombuffer(subprocess.run(thumbnail(["-i", str(still_png)]), capture_output=True, check=True).stdout,
                          np.uint8).astype(np.int16)
    reader = EntryReader(camera.url("/entry"), still).start()
    hooks = WebhookReceiver().start()
    server = RoninServer("sqlite", None, "bench-live-latency", env=server_env({
        "LIVE_DETECTION_COOLDOWN": "0", "NOTIFY_MAX_PER_HOUR": "100000", "NOTIFY_WEBHOOK_URLS": hooks.url,
        "NOTIFY_WEBHOOK_SECRET": SECRET}))
    try:
        server.start()
        api = server.login()
        [cam] = add_cameras(api, camera, "/entry", 1, "Entrance")
        if not wait_until(lambda: camera_states(api, {cam["id"]})[cam["id"]]["state"] == "recording", timeout=60):
            verdict.wrong("alert latency: the camera never recorded")
            return None
        # Entries before the watch has warmed up (3 s from its first frame) are not arrivals.
        watching_from = time.time() + 5
        loop = PLATE_SECONDS + PEOPLE_SECONDS
        if not wait_until(lambda: len([e for e in reader.entries if e >= watching_from]) > ENTRIES,
                          timeout=(ENTRIES + 2) * loop + 60, step=1):
            verdict.wrong(f"alert latency: the reader saw {len(reader.entries)} entries, {ENTRIES + 1} wanted")
            return None
        time.sleep(3)
        calls = hooks.snapshot()
        status = api.get("/api/status").json()["cameras"][0]
        verdict.check(status["restarts"] == 0, f"alert latency: the camera restarted {status['restarts']} times")
    finally:
        server.stop()
        hooks.stop()
        reader.stop()
        shutil.rmtree(server.data_dir, ignore_errors=True)
    arrivals = []
    for call in calls:
        problem = signature_problem(call, SECRET)
        if not verdict.check(problem is None, f"alert latency: a call with a bad signature: {problem}"):
            continue
        body = call.json()
        event = body["event"]
        if event["kind"] == "arrival" and event["class"] == "person" and event["camera_id"] == cam["id"]:
            arrivals.append((call, event))
    figures = LatencyFigures([], [], [], [])
    entries = [e for e in reader.entries if e >= watching_from][:ENTRIES]
    for entered in entries:
        following = reader.entries[reader.entries.index(entered) + 1]
        mine = [(c, e) for c, e in arrivals if instant(e["start"]) >= entered - 1.0 and entered <= c.received_at < following]
        if not verdict.check(bool(mine), f"alert latency: people entered at {entered:.1f} and no alert came before the next entry"):
            continue
        call, event = min(mine, key=lambda ce: ce[0].received_at)
        figures.total.append(call.received_at - entered)
        figures.sighting.append(instant(event["start"]) - entered)
        figures.deciding.append(instant(event["created_at"]) - instant(event["start"]))
        figures.delivering.append(call.received_at - instant(event["created_at"]))
    # Nobody is in the still: an arrival first seen while it was shown is a false alarm.
    for call, event in arrivals:
        start = instant(event["start"])
        shown = any(left + 1.0 <= start < min((e for e in reader.entries if e > left), default=float("inf")) - 0.5
                    for left in reader.exits)
        verdict.check(not shown, f"alert latency: a person arrived at {event['start']} while the empty scene was shown")
    return figures


# -- report --------------------------------------------------------------------------------------------

def per_core(cpu_per_camera: float | None) -> float:
    return 1 / cpu_per_camera if cpu_per_camera and cpu_per_camera > 0 else float("inf")


def main() -> int:
    if not RONIN_BIN.exists():
        sys.exit(f"{RONIN_BIN} not found: build it first (make build) or set RONIN_BIN")
    become_subreaper()
    verdict = Verdict("live detection benchmark")
    print(f"ronin: {RONIN_BIN}\nmodel: {MODEL}\n{BUSY_CAMERAS} busy and {CAMERAS} static cameras, {SECONDS:.0f} s windows at {FPS} fps; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    clip, still = entry_clip()
    camera = TestCamera(files=[(clip, "/entry")]).start()
    try:
        results = [bench_scene(scene, camera, verdict) for scene in SCENES]
        latency = bench_latency(camera, still, verdict) if ENTRIES > 0 else None
    finally:
        camera.stop()

    print(f"\n== cameras per core ({BUSY_CAMERAS} busy, {CAMERAS} static cameras, CPU of whole process trees per camera per second)")
    print(f"  {'':34}{'CPU per camera':>16}{'cameras per core':>18}")
    for r in results:
        for row in (r.on, r.off, r.bare):
            if row:
                print(f"  {r.scene + ': ' + row.label:34}{100 * row.cpu_per_camera:15.1f}%{per_core(row.cpu_per_camera):18.1f}")
        if r.watch is not None:
            ratio = f", {r.watch / r.bare.cpu_per_camera:.2f}x bare decoding" if r.bare else ""
            line = f"  {r.scene}: watching alone {100 * r.watch:.1f}% of a core per camera: {per_core(r.watch):.1f} cameras per core{ratio}"
            if r.scene == "static":
                line += "  " + verdict.target(per_core(r.watch) >= TARGET_STATIC_PER_CORE,
                                              f"static cameras per core {per_core(r.watch):.1f} (>= {TARGET_STATIC_PER_CORE:.0f})") \
                    + f" (>= {TARGET_STATIC_PER_CORE:.0f})"
            else:
                line += "  (no target)"
            print(line)
        else:
            print(f"  {r.scene}: not measured")
    if latency is not None:
        print(f"\n== alert latency: person enters the picture to webhook received ({len(latency.total)} entries)")
        for name, values in (("entry to webhook received", latency.total), ("entry to first sighting", latency.sighting),
                             ("first sighting to event written", latency.deciding),
                             ("event written to webhook received", latency.delivering)):
            if values:
                figures = Latency.of([1000 * v for v in values])
                print(f"  {name:36} p50 {figures.p50 / 1000:6.2f} s   p95 {figures.p95 / 1000:6.2f} s   max {figures.max / 1000:6.2f} s")
        if latency.total:
            p95 = Latency.of(latency.total).p95
            print("  " + verdict.target(p95 < TARGET_LATENCY_P95, f"alert latency p95 {p95:.2f} s (< {TARGET_LATENCY_P95:.0f} s)")
                  + f" p95 {p95:.2f} s (< {TARGET_LATENCY_P95:.0f} s)")
    if "static" not in SCENES:
        verdict.wrong("the static cameras' target needs BENCH_SCENES to include static")
    return verdict.exit_status()


if __name__ == "__main__":
    sys.exit(main())
