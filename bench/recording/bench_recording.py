#!/usr/bin/env python3
"""Recording benchmark: 16 cameras of pre-encoded 1080p H.264 + AAC, served by the test RTSP
camera, recorded by the NVR, against bare ffmpeg doing the same copy work, in the same run.

Both sides read each stream once and write, with `-c copy`, live HLS, fragmented-MP4 segments
and the live view's fragmented MP4 (a fragment every tenth of a second) to a UNIX socket: the
NVR's tee command minus the NVR. On the bare side this script drains the sockets (not measured);
on the NVR side the server reads them, and that is measured as the NVR's own work. CPU is that of whole process trees over the measured
window: the NVR process, every ffmpeg it runs and every short-lived child (ffprobe of each
finished segment), those that exited during the window included (see bench/common.py). Bare
ffmpeg is measured in two halves, before and after the NVR, and averaged.

Every output is verified while it is measured: a camera that restarted, an output that stopped
advancing, a segment that was not indexed or footage with a hole fails the run, on either side.

Targets: NVR total within 1.15x of bare ffmpeg; the NVR process itself under 2% of one core.

Environment: BENCH_CAMERAS (16), BENCH_SECONDS (120 for the NVR, half of it for each bare half),
BENCH_WARMUP (20), BENCH_SEGMENT_SECONDS (900 as the NVR's default, both sides), BENCH_STALL_SECONDS (10),
RONIN_BIN (.build/release/ronin).
"""
import os
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Hashable

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

from common import (ProcessTree, TreeSnapshot, Verdict, Window, become_subreaper, command_line, instant, iso,  # noqa: E402
                    measure, mib, reap_adopted)
from support.camera import TestCamera  # noqa: E402
from support.server import ApiClient, RoninServer  # noqa: E402

CAMERAS = int(os.environ.get("BENCH_CAMERAS", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "120"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "20"))
# The NVR's own default: every finished segment costs an ffprobe and a row, so shorter segments
# would charge the NVR that work more often than it does for its users.
SEGMENT_SECONDS = int(os.environ.get("BENCH_SEGMENT_SECONDS", "900"))
STALL_SECONDS = float(os.environ.get("BENCH_STALL_SECONDS", "10"))
SOURCE = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"
SOURCE_SECONDS = 30
HLS_SECONDS = 2
# Neighbouring segments closer than this are footage without interruption (as on the timeline).
HOLE_TOLERANCE = 2.0
# A segment closes at the first keyframe after its boundary (2 s GOP) and is indexed within
# seconds: boundaries this close to the end of the window are not yet expected as rows or files.
SETTLE_SECONDS = 10.0
TARGET_RATIO = 1.15
TARGET_OWN_PERCENT = 2.0


def footage_1080p(cache: Path) -> Path:
    """30 s of 1080p30 H.264 (2 s GOP) with AAC, encoded once before anything is measured."""
    target = cache / "bench-1080p30-v1.mp4"
    if not target.exists():
        print("encoding the 1080p source once (not measured)…", flush=True)
        tmp = target.with_suffix(".tmp.mp4")
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-stream_loop", "-1", "-i", SOURCE,
                        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                        "-t", str(SOURCE_SECONDS), "-vf", "scale=1920:1080,fps=30", "-c:v", "libx264", "-preset", "veryfast",
                        "-profile:v", "high", "-b:v", "4M", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0",
                        "-c:a", "aac", "-b:a", "64k", "-shortest", str(tmp)], check=True)
        tmp.rename(target)
    return target


# -- what the outputs look like ------------------------------------------------------------------

def newest_segment(folder: Path) -> tuple[str, int] | None:
    """Name and size of the newest `<epoch seconds>.mp4` in a folder (the one being written)."""
    try:
        names = [n for n in os.listdir(folder) if n.endswith(".mp4") and n[:-4].isdigit()]
    except FileNotFoundError:
        return None
    if not names:
        return None
    name = max(names, key=lambda n: int(n[:-4]))
    try:
        return name, (folder / name).stat().st_size
    except FileNotFoundError:
        return None


def staged_bytes(folder: Path) -> int:
    """Bytes of the segment files in a folder."""
    total = 0
    for name in segment_files(folder):
        try:
            total += (folder / name).stat().st_size
        except FileNotFoundError:
            pass
    return total


def segment_files(folder: Path) -> set[str]:
    try:
        return {n for n in os.listdir(folder) if n.endswith(".mp4") and n[:-4].isdigit()}
    except FileNotFoundError:
        return set()


def playlist_version(path: Path) -> tuple[int, int, int] | None:
    """Which write of a playlist this is: HLS rewrites it to a temporary file and renames it."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def media_sequence(text: str | None) -> int | None:
    """The number of the newest segment a live playlist lists: its media sequence (the number of
    segments dropped from its head) plus the segments it lists."""
    match = re.search(r"#EXT-X-MEDIA-SEQUENCE:(\d+)", text or "")
    return int(match.group(1)) + text.count("#EXTINF:") if match else None


def read_text(path: Path) -> str | None:
    try:
        return path.read_text()
    except FileNotFoundError:
        return None


def boundaries(start: float, end: float) -> list[float]:
    """The instants in [start, end) at which clock-aligned segments are cut (ffmpeg's
    segment_atclocktime counts from local midnight)."""
    local = time.localtime(start)
    midnight = start - (local.tm_hour * 3600 + local.tm_min * 60 + local.tm_sec) - (start % 1)
    first = midnight + SEGMENT_SECONDS * int((start - midnight) // SEGMENT_SECONDS + 1)
    return [t for t in (first + SEGMENT_SECONDS * k for k in range(int((end - start) // SEGMENT_SECONDS) + 2)) if t < end]


def expected_cuts(window_start: float, window_end: float) -> int:
    """Segments that must have been closed (and on the NVR, indexed) by the end of the window."""
    return len(boundaries(window_start, window_end - SETTLE_SECONDS))


class OutputWatch:
    """Outputs that must keep advancing: each has a reader answering its current version (or
    None while it does not exist). `look` runs at every sample; an output's idle time is the
    longest stretch between the samples that saw it change (so at least the sampling step),
    counted from the first sample and up to the last."""

    def __init__(self, outputs: dict[str, Callable[[], Hashable | None]]) -> None:
        self.outputs = outputs
        self.version: dict[str, Hashable] = {}
        self.changed: dict[str, float] = {}
        self.longest_idle: dict[str, float] = {name: 0.0 for name in outputs}
        self.started: float | None = None

    def look(self) -> None:
        now = time.monotonic()
        self.started = now if self.started is None else self.started
        for name, read in self.outputs.items():
            since = self.changed.get(name, self.started)
            self.longest_idle[name] = max(self.longest_idle[name], now - since)
            value = read()
            if value is not None and self.version.get(name) != value:
                self.version[name] = value
                self.changed[name] = now

    def report(self, verdict: Verdict, side: str) -> float:
        """Fails every output that never appeared or stood still longer than allowed; answers
        the longest time any output stood still."""
        for name in self.outputs:
            if name not in self.changed:
                verdict.wrong(f"{side}: {name} was never written")
            elif self.longest_idle[name] > STALL_SECONDS:
                verdict.wrong(f"{side}: {name} stood still for {self.longest_idle[name]:.1f} s (allowed {STALL_SECONDS:.0f} s)")
        return max(self.longest_idle.values(), default=0.0)


def spread(values: list) -> str:
    return f"{min(values)}-{max(values)}" if values else "-"


def delta(before: int | None, after: int | None) -> int | None:
    return None if before is None or after is None else after - before


@dataclass
class Progress:
    """How far one camera's outputs got over the window: bytes of footage written, new
    segments (files, or on the NVR indexed rows), and segments the live playlist advanced."""
    written: int
    segments: int
    live: int | None


@dataclass
class Bench:
    """What both sides share: the camera, the verdict, and the stream's bytes per second."""
    camera: TestCamera
    url: str
    verdict: Verdict
    bytes_per_second: float

    def check_progress(self, side: str, names: list[str], progress: list[Progress], wall_start: float,
                       wall_end: float) -> str:
        """Every camera wrote at least half the stream's bytes, a segment for each boundary
        passed, and live segments at least half as often as the stream makes them."""
        seconds = wall_end - wall_start
        cuts = expected_cuts(wall_start, wall_end)
        least_bytes = self.bytes_per_second * seconds / 2
        for name, p in zip(names, progress):
            self.verdict.check(p.written >= least_bytes, f"{side}: {name} wrote {mib(p.written)} of footage in {seconds:.0f} s "
                                                         f"(at least {mib(int(least_bytes))} expected)")
            self.verdict.check(p.segments >= cuts, f"{side}: {name} has {p.segments} new segments, {cuts} boundaries passed")
            self.verdict.check(p.live is not None and p.live >= seconds / HLS_SECONDS / 2,
                               f"{side}: {name}'s live playlist advanced {p.live} segments in {seconds:.0f} s")
        return (f"per camera {spread([round(p.written / 1048576, 1) for p in progress])} MiB written, "
                f"{spread([p.segments for p in progress])} new segments ({cuts} boundaries passed), "
                f"live playlists advanced {spread([p.live or 0 for p in progress])} segments")


@dataclass
class SideResult:
    """One side's measured window and what its checks found."""
    window: Window
    root_pids: set[int]
    summary: str


def window_line(window: Window) -> str:
    exited = window.exited()
    names = sorted({m.comm for m in exited})
    return (f"{window.samples} samples over {window.seconds:.1f} s, {len(window.seen)} processes seen in the tree, "
            f"{len(exited)} of them exited during the window{' (' + ', '.join(names) + ')' if names else ''}")


# -- bare ffmpeg ----------------------------------------------------------------------------------

# What the NVR's tee gives each output (Sources/RoninMedia/Pipeline/FFmpegCommand.swift).
SEGMENT_MP4_OPTIONS = r"movflags=+frag_keyframe+empty_moov+default_base_moof\\:frag_duration=1000000\\:flush_packets=1"
LIVE_FEED_OPTIONS = (r"f=mp4:movflags=+empty_moov+default_base_moof+frag_keyframe:frag_duration=100000:flush_packets=1:use_fifo=1"
                     r":fifo_options=queue_size=120\\:drop_pkts_on_overflow=1\\:attempt_recovery=0:onfail=ignore")


class FeedDrain:
    """The bare side's live view readers: a UNIX socket per camera that ffmpeg writes its live
    fragmented MP4 to, read and thrown away by one thread of this script, counting bytes."""

    def __init__(self, paths: list[Path]) -> None:
        self.received = {str(p): 0 for p in paths}
        self.selector = selectors.DefaultSelector()
        self.stopping = False
        for path in paths:
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(str(path))
            listener.listen(4)
            listener.setblocking(False)
            self.selector.register(listener, selectors.EVENT_READ, ("listener", str(path)))
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.stopping:
            for key, _ in self.selector.select(timeout=0.2):
                kind, path = key.data
                if kind == "listener":
                    connection, _ = key.fileobj.accept()
                    connection.setblocking(False)
                    self.selector.register(connection, selectors.EVENT_READ, ("connection", path))
                    continue
                try:
                    data = key.fileobj.recv(1 << 20)
                except BlockingIOError:
                    continue
                if data:
                    self.received[path] += len(data)
                else:
                    self.selector.unregister(key.fileobj)
                    key.fileobj.close()

    def stop(self) -> None:
        self.stopping = True
        self.thread.join(timeout=5)
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
        self.selector.close()


def bare_ffmpeg(url: str, out: Path) -> subprocess.Popen:
    """What one camera costs without the NVR: the same tee of segments, HLS and live feed, copied."""
    tee = (f"[f=segment:segment_time={SEGMENT_SECONDS}:segment_atclocktime=1:strftime=1:reset_timestamps=1:segment_format=mp4:"
           f"segment_format_options={SEGMENT_MP4_OPTIONS}]{out}/rec/%s.mp4|"
           f"[f=hls:hls_time={HLS_SECONDS}:hls_list_size=10:hls_flags=delete_segments+omit_endlist+independent_segments+temp_file:"
           f"hls_segment_type=fmp4:hls_fmp4_init_filename=init.mp4:onfail=ignore]{out}/live/stream.m3u8|"
           f"[{LIVE_FEED_OPTIONS}]unix:{out}/feed.sock")
    return subprocess.Popen(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp",
                             "-i", url, "-map", "0:v:0", "-map", "0:a:0", "-c:v", "copy", "-c:a", "copy",
                             "-flags", "+global_header", "-f", "tee", tee],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_bare(bench: "Bench", work: Path, seconds: float, label: str) -> SideResult:
    """Bare ffmpeg for every camera: warm up, measure for `seconds` while checking that every
    process stays up and every output keeps advancing, stop."""
    side = f"bare ffmpeg ({label})"
    folders = [work / f"cam{i}" for i in range(CAMERAS)]
    for folder in folders:
        (folder / "live").mkdir(parents=True)
        (folder / "rec").mkdir()
    drain = FeedDrain([f / "feed.sock" for f in folders])
    bare = [bare_ffmpeg(bench.url, folder) for folder in folders]
    try:
        time.sleep(WARMUP)
        before = [(segment_files(f / "rec"), staged_bytes(f / "rec"), media_sequence(read_text(f / "live/stream.m3u8")))
                  for f in folders]
        watch = OutputWatch({name: read for i, f in enumerate(folders) for name, read in (
            (f"cam{i} recording", lambda f=f: newest_segment(f / "rec")),
            (f"cam{i} live playlist", lambda f=f: playlist_version(f / "live/stream.m3u8")),
            (f"cam{i} live feed", lambda f=f: drain.received[str(f / "feed.sock")] or None))})
        wall_start = time.time()
        window = measure(ProcessTree([p.pid for p in bare], others={bench.camera.proc.pid}), seconds,
                         on_sample=lambda _: watch.look())
        wall_end = time.time()
        for i, p in enumerate(bare):
            bench.verdict.check(p.poll() is None, f"{side}: cam{i}'s ffmpeg exited during the window ({p.returncode})")
        idle = watch.report(bench.verdict, side)
        progress = [Progress(staged_bytes(f / "rec") - written, len(segment_files(f / "rec") - files),
                             delta(sequence, media_sequence(read_text(f / "live/stream.m3u8"))))
                    for f, (files, written, sequence) in zip(folders, before)]
        checked = bench.check_progress(side, [f"cam{i}" for i in range(CAMERAS)], progress, wall_start, wall_end)
    finally:
        for p in bare:
            p.send_signal(signal.SIGTERM)
        for p in bare:
            p.wait(timeout=20)
        drain.stop()
    return SideResult(window, set(), f"{side}: {window_line(window)}; {checked}, longest output idle {idle:.1f} s")


# -- the NVR --------------------------------------------------------------------------------------

@dataclass
class NvrState:
    """What the NVR says about each camera at one instant, through its API, and the bytes in
    each camera's staging folder (read first: a segment indexed meanwhile counts twice, never not)."""
    status: dict[str, dict]
    rows: dict[str, list[dict]]
    sequence: dict[str, int | None]
    staged: dict[str, int]

    @classmethod
    def read(cls, api: ApiClient, ids: list[str], since: float, storage: Path) -> "NvrState":
        staged = {cid: staged_bytes(storage / ".recording" / cid) for cid in ids}
        report = api.get("/api/status")
        assert report.status_code == 200, report.text
        status = {c["id"].lower(): c for c in report.json()["cameras"]}
        rows, sequence = {}, {}
        for cid in ids:
            r = api.get("/api/recordings", params={"camera_id": cid, "start": iso(since), "end": iso(time.time() + 3600)})
            assert r.status_code == 200, r.text
            # Finished segments; the one being written is counted by its staged bytes.
            rows[cid] = sorted((row for row in r.json() if not row.get("in_progress")), key=lambda row: instant(row["start"]))
            live = api.get(f"/api/cameras/{cid}/live/stream.m3u8")
            sequence[cid] = media_sequence(live.text) if live.status_code == 200 else None
        return cls(status, rows, sequence, staged)


def footage_holes(rows: list[dict], start: float, end: float) -> list[str]:
    """Where the indexed footage fails to cover [start, end) without interruption."""
    spans = [(instant(r["start"]), instant(r["end"])) for r in rows if r["status"] == "complete"]
    spans = [s for s in spans if s[1] > start and s[0] < end]
    if not spans:
        return [f"no footage indexed in {iso(start)}..{iso(end)}"]
    holes = []
    if spans[0][0] > start + HOLE_TOLERANCE:
        holes.append(f"footage starts {spans[0][0] - start:.1f} s late")
    holes += [f"hole of {b[0] - a[1]:.1f} s at {iso(a[1])}" for a, b in zip(spans, spans[1:]) if b[0] - a[1] > HOLE_TOLERANCE]
    if spans[-1][1] < end - HOLE_TOLERANCE:
        holes.append(f"footage ends {end - spans[-1][1]:.1f} s early")
    return holes


class CameraProcesses:
    """Which ffmpeg records which camera (its source file is named by the camera's id), over
    every sample of the window: exactly one process per camera, the same one throughout."""

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        self.pids: dict[str, set[tuple[int, int]]] = {cid: set() for cid in ids}
        self.lines: dict[tuple[int, int], str] = {}
        self.doubled: list[str] = []

    def look(self, snap: TreeSnapshot) -> None:
        per_camera: dict[str, int] = {}
        for proc in snap.named("ffmpeg"):
            line = self.lines.setdefault(proc.key, command_line(proc.pid))
            for cid in self.ids:
                if cid in line:
                    self.pids[cid].add(proc.key)
                    per_camera[cid] = per_camera.get(cid, 0) + 1
        self.doubled += [cid for cid, n in per_camera.items() if n > 1]

    def report(self, verdict: Verdict, names: dict[str, str]) -> None:
        for cid in self.ids:
            verdict.check(len(self.pids[cid]) == 1, f"NVR: {names[cid]} ran {len(self.pids[cid])} ffmpeg processes "
                                                     f"during the window (a restart, or none)")
        for cid in sorted(set(self.doubled)):
            verdict.wrong(f"NVR: {names[cid]} had two ffmpeg processes at once")


def check_nvr(bench: Bench, before: NvrState, after: NvrState, names: dict[str, str],
              wall_start: float, wall_end: float) -> str:
    """Each camera recorded the whole window: recording at both ends with no restart between,
    footage written, a row indexed for every boundary passed and the footage without holes,
    the live playlist (as the API serves it) advancing."""
    verdict, cuts = bench.verdict, boundaries(wall_start, wall_end - SETTLE_SECONDS)
    progress = []
    for cid, name in names.items():
        for state in (before, after):
            camera = state.status.get(cid, {})
            verdict.check(camera.get("state") == "recording", f"NVR: {name} is {camera.get('state')}, not recording")
        b, a = before.status.get(cid, {}), after.status.get(cid, {})
        verdict.check(a.get("restarts") == b.get("restarts") and a.get("since") == b.get("since"),
                      f"NVR: {name} restarted during the window (restarts {b.get('restarts')} -> {a.get('restarts')}, "
                      f"since {b.get('since')} -> {a.get('since')}; last error {a.get('last_error')})")
        known = {row["id"] for row in before.rows[cid]}
        fresh = [row for row in after.rows[cid] if row["id"] not in known]
        verdict.check(all(row["size_bytes"] > 0 and row["duration_seconds"] > 0 for row in fresh),
                      f"NVR: {name} indexed an empty segment")
        if cuts:
            for hole in footage_holes(after.rows[cid], wall_start, cuts[-1] - HLS_SECONDS):
                verdict.wrong(f"NVR: {name}: {hole}")
        written = after.staged[cid] + sum(row["size_bytes"] for row in fresh) - before.staged[cid]
        progress.append(Progress(written, len(fresh), delta(before.sequence[cid], after.sequence[cid])))
    restarts = sum(c.get("restarts", 0) for c in after.status.values())
    return f"{bench.check_progress('NVR', list(names.values()), progress, wall_start, wall_end)}, restarts since start {restarts}"


def run_nvr(bench: Bench, seconds: float) -> SideResult | None:
    """The NVR recording every camera: warm up, then measure its whole process tree while
    checking each camera's pipeline, segments and live playlist; stop."""
    camera, verdict = bench.camera, bench.verdict
    # Recording alone: background analysis of the footage is bench/analysis's to measure.
    server = RoninServer("sqlite", None, "bench", env={
        "RONIN_RUN_PIPELINES": "true", "LOG_LEVEL": "notice", "RECORDING_SEGMENT_SECONDS": str(SEGMENT_SECONDS),
        "ML_ENABLED": "false"})
    server.start()
    started = time.time()
    storage = server.data_dir / "storage"
    try:
        api = server.login()
        names = {}
        for i in range(CAMERAS):
            r = api.post("/api/cameras?validate=false", json={"name": f"bench-{i:02d}", "host": camera.host, "port": camera.port,
                                                              "stream_path": "/cam1080", "audio_enabled": True})
            assert r.status_code == 201, r.text
            names[r.json()["id"].lower()] = f"bench-{i:02d}"
        ids = list(names)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            states = [c["state"] for c in api.get("/api/status").json()["cameras"]]
            if states.count("recording") == CAMERAS:
                break
            time.sleep(1)
        else:
            verdict.wrong(f"NVR: not every camera reached recording in 120 s: {states}")
            return None
        time.sleep(WARMUP)
        watch = OutputWatch({label: read for cid in ids for label, read in (
            (f"{names[cid]} recording", lambda cid=cid: newest_segment(storage / ".recording" / cid)),
            (f"{names[cid]} live playlist", lambda cid=cid: playlist_version(storage / ".streams" / cid / "stream.m3u8")))})
        processes = CameraProcesses(ids)

        def look(snap: TreeSnapshot) -> None:
            watch.look()
            processes.look(snap)

        before = NvrState.read(api, ids, started - 60, storage)
        wall_start = time.time()
        window = measure(ProcessTree([server.proc.pid], others={camera.proc.pid}), seconds, on_sample=look)
        wall_end = time.time()
        after = NvrState.read(api, ids, started - 60, storage)
        verdict.check(server.proc.poll() is None, "NVR: the server exited during the window")
        processes.report(verdict, names)
        idle = watch.report(verdict, "NVR")
        checked = check_nvr(bench, before, after, names, wall_start, wall_end)
        return SideResult(window, {server.proc.pid}, f"NVR: {window_line(window)}; {checked}, longest output idle {idle:.1f} s")
    finally:
        server.stop()


def main() -> int:
    become_subreaper()
    verdict = Verdict("recording benchmark")
    work = Path(tempfile.mkdtemp(prefix="ronin-bench-rec-"))
    cache = Path(os.environ.get("RONIN_TEST_CAMERA_CACHE", Path(tempfile.gettempdir()) / "ronin-test-camera-cache"))
    cache.mkdir(parents=True, exist_ok=True)
    source = footage_1080p(cache)
    camera = TestCamera(files=[(str(source), "/cam1080")])
    camera.start()
    bench = Bench(camera, camera.url("/cam1080"), verdict, source.stat().st_size / SOURCE_SECONDS)
    print(f"{CAMERAS} cameras of {source.name} from {bench.url}; {WARMUP:.0f} s warm-up, {SECONDS:.0f} s measured for the NVR "
          f"and {SECONDS / 2:.0f} s for each half of bare ffmpeg; {SEGMENT_SECONDS} s segments on both sides\n", flush=True)
    try:
        # Bare ffmpeg in two halves around the NVR (A B A), so drift in the machine's state over
        # the run (page cache, the camera server warming up) weighs on both sides alike.
        first = run_bare(bench, work / "bare-a", SECONDS / 2, "before")
        nvr = run_nvr(bench, SECONDS)
        if nvr is None:
            return verdict.exit_status()
        second = run_bare(bench, work / "bare-b", SECONDS / 2, "after")
    finally:
        camera.stop()
        reap_adopted()
        shutil.rmtree(work, ignore_errors=True)

    bare_cpu = (first.window.cpu_percent() + second.window.cpu_percent()) / 2
    bare_rss = max(first.window.peak_rss, second.window.peak_rss)
    (server_pid,) = nvr.root_pids
    total_cpu = nvr.window.cpu_percent()
    own_cpu = nvr.window.own_percent(server_pid)
    child_cpu = total_cpu - own_cpu
    child_rss = nvr.window.peak_rss - nvr.window.peak_root_rss
    print(f"{'':26}{'CPU % of a core':>16}{'peak memory':>14}")
    print(f"{'bare ffmpeg, total':26}{bare_cpu:16.2f}{mib(bare_rss):>14}")
    print(f"{'bare ffmpeg, per camera':26}{bare_cpu / CAMERAS:16.2f}{mib(bare_rss // CAMERAS):>14}")
    print(f"{'NVR children, total':26}{child_cpu:16.2f}{mib(child_rss):>14}  (ffmpeg, and every ffprobe that ran and exited)")
    print(f"{'NVR children, per camera':26}{child_cpu / CAMERAS:16.2f}{mib(child_rss // CAMERAS):>14}")
    print(f"{'  of which reaped':26}{nvr.window.reaped_percent(server_pid):16.2f}{'':>14}  (children that exited in the window)")
    print(f"{'NVR process':26}{own_cpu:16.2f}{mib(nvr.window.peak_root_rss):>14}")
    print(f"{'NVR total':26}{total_cpu:16.2f}{mib(nvr.window.peak_rss):>14}")
    print()
    for side in (first, nvr, second):
        print(side.summary)
    ratio = total_cpu / bare_cpu if bare_cpu else float("inf")
    print(f"\nratio NVR total / bare ffmpeg (CPU): {ratio:.3f}x   target <= {TARGET_RATIO}x   "
          f"{verdict.target(ratio <= TARGET_RATIO, f'NVR total {ratio:.3f}x bare ffmpeg (<= {TARGET_RATIO}x)')}")
    print(f"NVR process CPU for {CAMERAS} cameras: {own_cpu:.2f}% of one core   target < {TARGET_OWN_PERCENT:.0f}%   "
          f"{verdict.target(own_cpu < TARGET_OWN_PERCENT, f'NVR process {own_cpu:.2f}% of a core (< {TARGET_OWN_PERCENT:.0f}%)')}")
    return verdict.exit_status()


if __name__ == "__main__":
    sys.exit(main())
