#!/usr/bin/env python3
"""Live view benchmark: how far behind the camera the Live View shows it in a real browser, over
the WebSocket and over HLS, and what each WebSocket viewer costs the server.

Camera to screen. The test camera's `/clock` mount (tools/test-camera: 640x360 at 25 fps, a
keyframe every 2 s, x264 zerolatency) draws into every frame the wall-clock instant it was made,
as a code of black and white blocks (tools/test-camera/clock_code.py). `ronin serve` (release
build, SQLite, pipelines on) records it; headless Chromium (Debian's, through selenium, signed in
as the browser tests do) opens the Live View with the player forced by `?player=ws`, then by
`?player=` each of BENCH_HLS_PLAYERS (`hls`: the HLS player the page falls back to, our player over
Media Source Extensions wherever the classic MediaSource exists, so in Chromium; `native`:
Chromium's own HLS, measured for comparison, without a target: it starts segments back and cannot
be moved forward, which is why the page does not use it here; `mse`: ours, forced), and, after
BENCH_WARMUP seconds of playing, takes BENCH_SHOT_RATE screenshots a second (Chrome DevTools
`Page.captureScreenshot` clipped to the picture) for BENCH_SECONDS. Each screenshot is decoded:
the picture's place on the page comes from the video element (its content box, its videoWidth
and videoHeight, object-fit), block centres are sampled and thresholded, and the code's fixed
ring and CRC must hold. A frame's latency is the wall clock just before the screenshot minus the
instant in its code: camera, RTSP, the NVR's ffmpeg, the server, the socket or the playlist, the
player, and the screen. The baseline in the same run: a bare ffmpeg reading the camera's RTSP
stream itself (no buffering) and decoding every frame, the same code read from its frames.

Viewers. The server's whole process tree (bench/common.py: the NVR, its ffmpeg and every child)
is measured over BENCH_SECONDS with nobody watching, then with BENCH_VIEWERS WebSocket viewers
(tests/support/websocket.py, one thread each, reading everything as it comes). An extra viewer
costs the difference divided by the number of viewers, CPU as a share of one core, and resident
memory of the server process.

Every answer is checked, and the run fails when one disagrees: the camera recording and never
restarted over the run; the page running the player it was asked for (`data-player`); at least
BENCH_MIN_FRAMES screenshots decoded on each path and none showing a frame from the future; each
WebSocket viewer getting the `start` message (H.264, the camera's size), the init segment
(`ftyp` + `moov`) and fragments (`moof`) for every frame of the window (90 %), with no
`skipped` or `waiting` and no error; the test camera and the server alive.

Targets: WebSocket p50 < 1.0 s and p95 < 1.5 s; HLS p50 < 3 s (each HLS player measured); an
extra viewer < 1 % of a core.

Environment: BENCH_SECONDS (30), BENCH_WARMUP (10), BENCH_VIEWERS (16), BENCH_SHOT_RATE (4),
BENCH_HLS_PLAYERS (hls,native), BENCH_MIN_FRAMES (20), RONIN_BIN (.build/release/ronin).
"""
from __future__ import annotations

import base64
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench"), str(ROOT / "tools" / "test-camera")]
# The server runs in its data folder: the binary's path must not be relative.
os.environ["RONIN_BIN"] = str(Path(os.environ.get("RONIN_BIN", ROOT / ".build/release/ronin")).resolve())

import numpy as np  # noqa: E402

import clock_code  # noqa: E402
from common import Latency, ProcessTree, Verdict, Window, become_subreaper, measure, mib  # noqa: E402
from support.camera import TestCamera  # noqa: E402
from support.paths import RONIN_BIN, WEB_ROOT  # noqa: E402
from support.server import ApiClient, RoninServer  # noqa: E402
from support.websocket import WebSocket  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "10"))
VIEWERS = int(os.environ.get("BENCH_VIEWERS", "16"))
SHOT_RATE = float(os.environ.get("BENCH_SHOT_RATE", "4"))
HLS_PLAYERS = os.environ.get("BENCH_HLS_PLAYERS", "hls,native").split(",")
MIN_FRAMES = int(os.environ.get("BENCH_MIN_FRAMES", "20"))
TARGET_WS_P50, TARGET_WS_P95, TARGET_HLS_P50 = 1.0, 1.5, 3.0
TARGET_VIEWER_CPU = 1.0  # % of one core per extra viewer
FRAGMENT_SECONDS = 0.1  # the live feed's fragment length (FFmpegCommand: frag_duration=100000)
CAMERA_NAME = "Clock"
PLAY_WAIT = 60  # the pipeline's start, the camera's first keyframe, the player's start
# The players the page may report for each forced setting (livePlayer.ts parsePlayerSetting).
PLAYERS = {"ws": {"ws"}, "native": {"hls-native"}, "hls-native": {"hls-native"}, "mse": {"hls-mse"},
           "hls-mse": {"hls-mse"}, "hls": {"hls-native", "hls-mse"}}


def wait_until(check, timeout: float, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(step)
    return None


def camera_state(api: ApiClient, camera_id: str) -> dict:
    return next((c for c in api.get("/api/status").json()["cameras"] if c["id"] == camera_id), {})


# -- decoding the clock code -----------------------------------------------------------------------

@dataclass
class Shot:
    """One screenshot: when it was asked for and answered (epoch seconds), the PNG of the clip,
    and the geometry to find the picture in it."""
    before: float
    after: float
    png: bytes
    clip: tuple[int, int, int, int]  # x, y, width, height on the page
    picture: tuple[float, float, float, float]  # where the whole video picture lies on the page
    video_size: tuple[int, int]
    player: str | None


def decode_png(data: bytes, width: int, height: int) -> np.ndarray | None:
    r = subprocess.run(["ffmpeg", "-v", "error", "-f", "png_pipe", "-i", "-", "-frames:v", "1", "-f", "rawvideo",
                        "-pix_fmt", "rgb24", "-"], input=data, capture_output=True, timeout=30)
    if r.returncode != 0 or len(r.stdout) != width * height * 3:
        return None
    return np.frombuffer(r.stdout, np.uint8).reshape(height, width, 3)


def read_shot(shot: Shot) -> tuple[float | None, str]:
    """(latency in seconds, "") for a screenshot whose code reads, else (None, why)."""
    x0, y0, width, height = shot.clip
    rgb = decode_png(shot.png, width, height)
    if rgb is None:
        return None, "screenshot not decodable"
    luma = rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114
    px, py, pw, ph = shot.picture
    vw, vh = shot.video_size
    sx, sy = pw / vw, ph / vh
    radius = max(0, int(min(sx, sy) * clock_code.CELL * 0.15))

    def luma_at(x: float, y: float) -> float:
        col, row = int(px + x * sx - x0), int(py + y * sy - y0)
        if not (0 <= col < width and 0 <= row < height):
            return 128.0  # off screen: unclear
        return float(luma[max(0, row - radius):row + radius + 1, max(0, col - radius):col + radius + 1].mean())

    made, why = clock_code.read(luma_at, int(shot.before * 1000))
    if made is None:
        return None, why
    return shot.before - made / 1000, ""


# -- the browser -----------------------------------------------------------------------------------

GEOMETRY_JS = """
const v = document.querySelector(arguments[0]);
if (!v) return null;
const r = v.getBoundingClientRect(), s = getComputedStyle(v), n = (x) => parseFloat(x) || 0;
const left = r.left + n(s.borderLeftWidth) + n(s.paddingLeft) + window.scrollX;
const top = r.top + n(s.borderTopWidth) + n(s.paddingTop) + window.scrollY;
const b = v.buffered;
return {left, top,
        width: r.width - n(s.borderLeftWidth) - n(s.borderRightWidth) - n(s.paddingLeft) - n(s.paddingRight),
        height: r.height - n(s.borderTopWidth) - n(s.borderBottomWidth) - n(s.paddingTop) - n(s.paddingBottom),
        vw: v.videoWidth, vh: v.videoHeight, fit: s.objectFit, position: s.objectPosition, transform: s.transform,
        player: v.dataset.player || null, t: v.currentTime, paused: v.paused, rate: v.playbackRate,
        behind: b.length ? b.end(b.length - 1) - v.currentTime : null,
        viewport: [window.innerWidth + window.scrollX, window.innerHeight + window.scrollY]};
"""


def video_selector(name: str) -> str:
    return f'[data-testid="live-cell"][data-camera-name="{name}"] [data-testid="live-video"]'


def picture_rect(g: dict) -> tuple[float, float, float, float]:
    """Where the video's whole picture lies on the page (x, y, width, height), by object-fit
    (object-position centred, as the Live View has it)."""
    cw, ch, vw, vh = g["width"], g["height"], g["vw"], g["vh"]
    fit = g["fit"]
    if fit == "fill":
        return g["left"], g["top"], cw, ch
    if fit == "none":
        scale = 1.0
    elif fit == "cover":
        scale = max(cw / vw, ch / vh)
    elif fit == "scale-down":
        scale = min(1.0, cw / vw, ch / vh)
    else:  # contain
        scale = min(cw / vw, ch / vh)
    pw, ph = vw * scale, vh * scale
    return g["left"] + (cw - pw) / 2, g["top"] + (ch - ph) / 2, pw, ph


def clip_of(g: dict, picture: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    """The screenshot's clip: the picture within the element's content box and the viewport."""
    px, py, pw, ph = picture
    left, top = max(px, g["left"], 0), max(py, g["top"], 0)
    right = min(px + pw, g["left"] + g["width"], g["viewport"][0])
    bottom = min(py + ph, g["top"] + g["height"], g["viewport"][1])
    x0, y0 = math.floor(left), math.floor(top)
    return x0, y0, max(1, math.ceil(right) - x0), max(1, math.ceil(bottom) - y0)


@dataclass
class PathResult:
    label: str
    asked: str
    players: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    unread: Counter = field(default_factory=Counter)
    shots: int = 0
    capture_ms: list[float] = field(default_factory=list)
    behind: list[float] = field(default_factory=list)  # the player's own buffered-ahead, seconds


def sign_in(driver, server: RoninServer) -> None:
    from browser.ui import UI
    ui = UI(driver, server.base_url)
    ui.open("/live")
    ui.login(server.admin_username, server.admin_password)
    ui.find("live-page", timeout=30)


def watch(driver, server: RoninServer, setting: str, label: str, verdict: Verdict) -> PathResult:
    """Opens the Live View with `?player=setting`, lets it play BENCH_WARMUP seconds, then takes
    screenshots for BENCH_SECONDS; decodes them afterwards (so decoding costs the machine nothing
    while it is measured)."""
    result = PathResult(label, setting)
    driver.get(f"{server.base_url}/live?player={setting}")
    selector = video_selector(CAMERA_NAME)
    first: dict[str, float] = {}

    def playing():
        g = driver.execute_script(GEOMETRY_JS, selector)
        if not g or g["paused"] or g["t"] <= 0 or not g["vw"]:
            return None
        start = first.setdefault("t", g["t"])
        return g if g["t"] - start >= 2 else None

    g = wait_until(playing, PLAY_WAIT, step=0.25)
    if not verdict.check(g is not None, f"{label}: the Live View never played (?player={setting}): "
                                        f"{driver.execute_script(GEOMETRY_JS, selector)}"):
        return result
    time.sleep(WARMUP)
    shots: list[Shot] = []
    period = 1 / SHOT_RATE
    began = time.monotonic()
    while (elapsed := time.monotonic() - began) < SECONDS:
        g = driver.execute_script(GEOMETRY_JS, selector)
        if g is None or not g["vw"]:
            result.unread["no video element or picture"] += 1
        elif g["transform"] not in ("none", "matrix(1, 0, 0, 1, 0, 0)"):
            result.unread[f"the picture is transformed ({g['transform']})"] += 1
        else:
            picture = picture_rect(g)
            clip = clip_of(g, picture)
            before = time.time()
            answer = driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "clip": {"x": clip[0], "y": clip[1], "width": clip[2], "height": clip[3], "scale": 1}})
            after = time.time()
            shots.append(Shot(before, after, base64.b64decode(answer["data"]), clip, picture, (g["vw"], g["vh"]), g["player"]))
            result.players[g["player"]] += 1
            if g["behind"] is not None:
                result.behind.append(g["behind"])
        if (pause := began + (int(elapsed / period) + 1) * period - time.monotonic()) > 0:
            time.sleep(pause)
    result.shots = len(shots)
    for shot in shots:
        result.capture_ms.append(1000 * (shot.after - shot.before))
        latency, why = read_shot(shot)
        if latency is None:
            result.unread[why] += 1
        else:
            result.latencies.append(latency)
    wanted = PLAYERS.get(setting, {setting})
    verdict.check(set(result.players) <= wanted,
                  f"{label}: ?player={setting} ran {dict(result.players)}, wanted {sorted(wanted)}")
    verdict.check(len(result.latencies) >= MIN_FRAMES,
                  f"{label}: {len(result.latencies)} of {result.shots} screenshots decoded (< {MIN_FRAMES}): "
                  f"{dict(result.unread.most_common(5))}")
    future = [x for x in result.latencies if x < 0]
    verdict.check(not future, f"{label}: {len(future)} screenshots show a frame made after they were taken "
                              f"(earliest by {-min(future, default=0) * 1000:.0f} ms): the code is misread")
    return result


def bench_browser(server: RoninServer, verdict: Verdict) -> list[PathResult]:
    from browser.chromium import open_chromium
    downloads = Path(tempfile.mkdtemp(prefix="ronin-bench-live-view-"))
    driver = open_chromium(downloads)
    results = []
    try:
        sign_in(driver, server)
        results.append(watch(driver, server, "ws", "WebSocket", verdict))
        for setting in HLS_PLAYERS:
            results.append(watch(driver, server, setting, f"HLS {setting}", verdict))
    finally:
        driver.quit()
        shutil.rmtree(downloads, ignore_errors=True)
    return results


# -- the bare baseline: the camera's stream read directly ------------------------------------------

def bench_bare(camera: TestCamera, verdict: Verdict, seconds: float) -> list[float]:
    """Latency of a bare ffmpeg reading the RTSP stream (no buffering) and decoding every frame."""
    size = clock_code.WIDTH * clock_code.HEIGHT
    proc = subprocess.Popen(["ffmpeg", "-nostdin", "-v", "error", "-fflags", "nobuffer", "-flags", "low_delay",
                             "-rtsp_transport", "tcp", "-i", camera.url("/clock"), "-an", "-f", "rawvideo",
                             "-pix_fmt", "gray", "-threads", "1", "pipe:1"], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    latencies: list[float] = []
    unread = Counter()
    try:
        began = None
        while len(raw := proc.stdout.read(size)) == size:
            now = time.time()
            began = began or now
            if now - began < 2:  # ffmpeg's start reads a burst of what the server had queued
                continue
            made, why = clock_code.read(lambda x, y: raw[int(y) * clock_code.WIDTH + int(x)], int(now * 1000))
            if made is None:
                unread[why] += 1
            else:
                latencies.append(now - made / 1000)
            if now - began >= seconds + 2:
                break
    finally:
        proc.kill()
        proc.wait()
    verdict.check(len(latencies) >= MIN_FRAMES, f"bare reader: {len(latencies)} frames decoded: {dict(unread)}")
    verdict.check(not unread, f"bare reader: {sum(unread.values())} frames straight from the camera did not read: "
                              f"{dict(unread.most_common(3))}")
    return latencies


# -- viewers -----------------------------------------------------------------------------------------

class Viewer(threading.Thread):
    """One WebSocket viewer that reads everything as it comes and counts what it got."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        super().__init__(daemon=True)
        self.url, self.headers = url, headers
        self.start_message: dict | None = None
        self.init: bytes | None = None
        self.fragments = 0
        self.not_fragments = 0
        self.bytes = 0
        self.texts: Counter = Counter()
        self.error: str | None = None
        self.stopping = False
        self.ws: WebSocket | None = None

    def run(self) -> None:
        try:
            self.ws = WebSocket(self.url, self.headers, timeout=30)
            awaiting_init = False
            while not self.stopping:
                message = self.ws.receive(timeout=30)
                if message.text is not None:
                    kind = json.loads(message.text).get("type")
                    self.texts[kind] += 1
                    if kind == "start":
                        self.start_message = json.loads(message.text)
                        awaiting_init = True
                elif awaiting_init:
                    self.init, awaiting_init = message.data, False
                else:
                    self.fragments += 1
                    self.bytes += len(message.data)
                    if message.data[4:8] not in (b"moof", b"styp"):
                        self.not_fragments += 1
        except (OSError, ConnectionError, ValueError) as error:
            if not self.stopping:
                self.error = repr(error)

    @property
    def started(self) -> bool:
        return self.init is not None and self.fragments > 0

    def stop(self) -> None:
        self.stopping = True
        if self.ws is not None:
            self.ws.close()


@dataclass
class CostWindow:
    label: str
    window: Window
    server_rss: int  # the server process's resident memory at the end of the window

    @property
    def cpu(self) -> float:
        return self.window.cpu_percent()


def measure_server(server: RoninServer, camera: TestCamera, api: ApiClient, camera_id: str, label: str,
                   verdict: Verdict) -> CostWindow:
    before = camera_state(api, camera_id)
    tree = ProcessTree([server.proc.pid], others={camera.proc.pid})
    window = measure(tree, SECONDS)
    after = camera_state(api, camera_id)
    verdict.check(server.proc.poll() is None, f"{label}: the server died")
    verdict.check(camera.running, f"{label}: the test camera died (see {camera.log_path})")
    verdict.check(before.get("state") == "recording" and after.get("state") == "recording"
                  and before.get("restarts") == after.get("restarts"),
                  f"{label}: the camera went {before.get('state')} -> {after.get('state')}, restarts "
                  f"{before.get('restarts')} -> {after.get('restarts')}")
    return CostWindow(label, window, window.end.rss_of({server.proc.pid}))


def bench_viewers(server: RoninServer, camera: TestCamera, api: ApiClient, camera_id: str,
                  verdict: Verdict) -> tuple[CostWindow, CostWindow | None, list[Viewer]]:
    time.sleep(5)
    idle = measure_server(server, camera, api, camera_id, "no viewers", verdict)
    url = server.base_url.replace("http://", "ws://") + f"/api/cameras/{camera_id}/live/ws?stream=main"
    viewers = [Viewer(url, {"Authorization": f"Bearer {api.token}"}) for _ in range(VIEWERS)]
    for viewer in viewers:
        viewer.start()
    try:
        if not wait_until(lambda: all(v.started or v.error for v in viewers), timeout=60):
            verdict.wrong(f"{sum(not v.started for v in viewers)} of {VIEWERS} viewers got no init segment and "
                          f"fragments within 60 s")
        time.sleep(5)
        counts = [v.fragments for v in viewers]
        watched = measure_server(server, camera, api, camera_id, f"{VIEWERS} viewers", verdict)
        got = [v.fragments - c for v, c in zip(viewers, counts)]
    finally:
        for viewer in viewers:
            viewer.stop()
        for viewer in viewers:
            viewer.join(timeout=10)
    frames = clock_code.FPS * watched.window.seconds
    # The camera's ffmpeg cuts a fragment every tenth of a second: at 25 fps, three frames each.
    fragments = frames / math.ceil(clock_code.FPS * FRAGMENT_SECONDS)
    for n, viewer in enumerate(viewers, 1):
        where = f"viewer {n}"
        start = viewer.start_message or {}
        verdict.check(viewer.error is None, f"{where}: {viewer.error}")
        verdict.check(str(start.get("codecs", "")).startswith("avc1.")
                      and (start.get("width"), start.get("height")) == (clock_code.WIDTH, clock_code.HEIGHT),
                      f"{where}: start message {start}")
        init = viewer.init or b""
        verdict.check(init[4:8] == b"ftyp" and b"moov" in init, f"{where}: no init segment (got {init[:16]!r})")
        verdict.check(viewer.not_fragments == 0, f"{where}: {viewer.not_fragments} binary messages that are not fragments")
        verdict.check(got[n - 1] >= 0.9 * fragments, f"{where}: {got[n - 1]} fragments in the window, {fragments:.0f} expected "
                      f"({frames:.0f} frames made)")
        odd = {k: c for k, c in viewer.texts.items() if k != "start"}
        verdict.check(not odd and viewer.texts["start"] == 1, f"{where}: messages {dict(viewer.texts)} (one start, "
                                                              f"nothing skipped, never waiting)")
    return idle, watched, viewers


# -- report ------------------------------------------------------------------------------------------

def print_latency(label: str, seconds: list[float], extra: str = "") -> None:
    if not seconds:
        print(f"  {label:36} nothing decoded")
        return
    figures = Latency.of([1000 * s for s in seconds])
    print(f"  {label:36} p50 {figures.p50 / 1000:5.2f} s   p95 {figures.p95 / 1000:5.2f} s   "
          f"max {figures.max / 1000:5.2f} s   frames {figures.count:4d}{extra}")


def main() -> int:
    if not RONIN_BIN.exists():
        sys.exit(f"{RONIN_BIN} not found: build it first (make build) or set RONIN_BIN")
    if not (WEB_ROOT / "index.html").exists():
        sys.exit(f"{WEB_ROOT} holds no web UI: build it first (make frontend) or set RONIN_WEB_ROOT")
    become_subreaper()
    verdict = Verdict("live view benchmark")
    print(f"ronin: {RONIN_BIN}\nweb UI: {WEB_ROOT}\ncamera: /clock, {clock_code.WIDTH}x{clock_code.HEIGHT} at "
          f"{clock_code.FPS} fps, GOP 2 s; {SECONDS:.0f} s windows, {VIEWERS} viewers, {SHOT_RATE:g} screenshots a "
          f"second after {WARMUP:.0f} s of play; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
          flush=True)
    camera = TestCamera(name=f"bench-live-view-{os.getpid()}").start()
    server = RoninServer("sqlite", None, "bench-live-view", env={
        "RONIN_RUN_PIPELINES": "true", "LOG_LEVEL": "notice", "ML_ENABLED": "false", "LIVE_DETECTION_ENABLED": "false",
        # Segments end at midnight only: no finished segment's probe and row inside a window.
        "RECORDING_SEGMENT_SECONDS": "86400"})
    idle = watched = None
    paths: list[PathResult] = []
    bare: list[float] = []
    try:
        server.start()
        api = server.login()
        r = api.post("/api/cameras", params={"validate": "false"},
                     json={"name": CAMERA_NAME, "host": camera.host, "port": camera.port, "stream_path": "/clock",
                           "audio_enabled": False})
        if r.status_code != 201:
            raise RuntimeError(f"adding the camera failed: {r.status_code} {r.text}")
        camera_id = r.json()["id"]
        if not wait_until(lambda: camera_state(api, camera_id).get("state") == "recording", timeout=60):
            raise RuntimeError(f"the camera never recorded: {camera_state(api, camera_id)}")
        restarts = camera_state(api, camera_id).get("restarts")
        print("measuring the server with no viewers, then with viewers …", flush=True)
        idle, watched, _ = bench_viewers(server, camera, api, camera_id, verdict)
        print("measuring the bare reader …", flush=True)
        bare = bench_bare(camera, verdict, min(SECONDS, 10))
        print("measuring the Live View in Chromium …", flush=True)
        paths = bench_browser(server, verdict)
        end = camera_state(api, camera_id)
        verdict.check(end.get("state") == "recording" and end.get("restarts") == restarts,
                      f"the camera went {end.get('state')}, restarts {restarts} -> {end.get('restarts')} over the run")
        verdict.check(camera.running, f"the test camera died (see {camera.log_path})")
    finally:
        server.stop()
        camera.stop()
        shutil.rmtree(server.data_dir, ignore_errors=True)

    print("\n== camera to screen (the frame's instant in its picture, to the screenshot showing it)")
    print_latency("bare RTSP reader (ffmpeg)", bare)
    for p in paths:
        ran = ",".join(sorted(str(k) for k in p.players)) or "?"
        capture = f", screenshot {np.median(p.capture_ms):.0f} ms" if p.capture_ms else ""
        behind = f", player buffered {np.median(p.behind):.2f} s ahead" if p.behind else ""
        print_latency(f"{p.label} (data-player {ran})", p.latencies,
                      f"   of {p.shots} shots{capture}{behind}")
        if p.unread:
            print(f"  {'':36} unread: {dict(p.unread.most_common(4))}")
    ws = next((p for p in paths if p.asked == "ws"), None)
    if ws and ws.latencies:
        figures = Latency.of(ws.latencies)
        for met, what in ((figures.p50 < TARGET_WS_P50, f"WebSocket p50 {figures.p50:.2f} s (< {TARGET_WS_P50} s)"),
                          (figures.p95 < TARGET_WS_P95, f"WebSocket p95 {figures.p95:.2f} s (< {TARGET_WS_P95} s)")):
            print("  " + verdict.target(met, what) + " " + what)
    for hls in paths:
        if hls.asked != "ws" and hls.latencies:
            figures = Latency.of(hls.latencies)
            if hls.asked == "native":
                print(f"  -- {hls.label} p50 {figures.p50:.2f} s: Chromium's own HLS, for comparison (the page falls back to ours)")
                continue
            what = f"{hls.label} p50 {figures.p50:.2f} s (< {TARGET_HLS_P50} s)"
            print("  " + verdict.target(figures.p50 < TARGET_HLS_P50, what) + " " + what)
    if ws and ws.latencies and bare:
        print(f"  WebSocket p50 is {Latency.of(ws.latencies).p50 - Latency.of(bare).p50:.2f} s behind the bare reader's")

    if idle and watched:
        print(f"\n== server cost of WebSocket viewers (the server's whole process tree over {SECONDS:.0f} s)")
        print(f"  {'':24}{'CPU (% of a core)':>20}{'server RSS':>14}{'tree RSS peak':>16}")
        for w in (idle, watched):
            print(f"  {w.label:24}{w.cpu:19.1f}%{mib(w.server_rss):>14}{mib(w.window.peak_rss):>16}")
        per_cpu = (watched.cpu - idle.cpu) / VIEWERS
        per_rss = (watched.server_rss - idle.server_rss) / VIEWERS
        print(f"  per extra viewer: {per_cpu:.2f}% of a core, {per_rss / 1024:.0f} KiB of server memory  "
              + verdict.target(per_cpu < TARGET_VIEWER_CPU, f"CPU per extra viewer {per_cpu:.2f}% (< {TARGET_VIEWER_CPU:g}%)")
              + f" (< {TARGET_VIEWER_CPU:g}% of a core)")
    return verdict.exit_status()


if __name__ == "__main__":
    sys.exit(main())
