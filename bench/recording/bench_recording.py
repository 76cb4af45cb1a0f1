#!/usr/bin/env python3
"""Recording benchmark: 16 cameras of pre-encoded 1080p H.264 + AAC, served by the test RTSP
camera, recorded by the NVR, against bare ffmpeg doing the same copy work, in the same run.

Both sides read each stream once and write live HLS plus fragmented-MP4 segments with `-c copy`
(the NVR's tee command minus the NVR). Prints CPU (% of one core) and peak memory of the NVR
process and of its ffmpeg children, per camera, and the ratios. Targets: NVR total within 1.15x
of bare ffmpeg; the NVR process itself under 2% of one core for all 16 cameras.

Bare ffmpeg is measured in two halves, before and after the NVR, and averaged.

Environment: BENCH_CAMERAS (16), BENCH_SECONDS (120 per side), BENCH_WARMUP (20),
RONIN_BIN (.build/release/ronin).
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

from common import Usage, children, measure, mib  # noqa: E402
from support.camera import TestCamera  # noqa: E402
from support.server import RoninServer  # noqa: E402

CAMERAS = int(os.environ.get("BENCH_CAMERAS", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "120"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "20"))
SOURCE = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"


def footage_1080p(cache: Path) -> Path:
    """30 s of 1080p30 H.264 (2 s GOP) with AAC, encoded once before anything is measured."""
    target = cache / "bench-1080p30-v1.mp4"
    if not target.exists():
        print("encoding the 1080p source once (not measured)…", flush=True)
        tmp = target.with_suffix(".tmp.mp4")
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-stream_loop", "-1", "-i", SOURCE,
                        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                        "-t", "30", "-vf", "scale=1920:1080,fps=30", "-c:v", "libx264", "-preset", "veryfast",
                        "-profile:v", "high", "-b:v", "4M", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0",
                        "-c:a", "aac", "-b:a", "64k", "-shortest", str(tmp)], check=True)
        tmp.rename(target)
    return target


def bare_ffmpeg(url: str, out: Path) -> subprocess.Popen:
    """What one camera costs without the NVR: the same tee of HLS and segments, copied."""
    (out / "live").mkdir(parents=True)
    (out / "rec").mkdir()
    tee = (f"[f=segment:segment_time=900:segment_atclocktime=1:strftime=1:reset_timestamps=1:segment_format=mp4:"
           f"segment_format_options=movflags=+frag_keyframe+empty_moov+default_base_moof]{out}/rec/%s.mp4|"
           f"[f=hls:hls_time=2:hls_list_size=10:hls_flags=delete_segments+omit_endlist+independent_segments+temp_file:"
           f"hls_segment_type=fmp4:hls_fmp4_init_filename=init.mp4]{out}/live/stream.m3u8")
    return subprocess.Popen(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp",
                             "-i", url, "-map", "0:v:0", "-map", "0:a:0", "-c:v", "copy", "-c:a", "copy",
                             "-flags", "+global_header", "-f", "tee", tee],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_bare(url: str, work: Path, seconds: float) -> dict[str, Usage]:
    """16 bare ffmpeg processes: warm up, measure for `seconds`, stop."""
    bare = [bare_ffmpeg(url, work / f"cam{i}") for i in range(CAMERAS)]
    time.sleep(WARMUP)
    usage = measure({f"cam{i}": [p.pid] for i, p in enumerate(bare)}, seconds)
    for p in bare:
        p.send_signal(signal.SIGTERM)
    for p in bare:
        p.wait(timeout=20)
    return usage


def run_nvr(camera: TestCamera, seconds: float) -> dict[str, Usage] | None:
    """The NVR recording every camera: warm up, measure itself and its ffmpeg children, stop."""
    server = RoninServer("sqlite", None, "bench", env={"RONIN_RUN_PIPELINES": "true", "LOG_LEVEL": "notice"})
    server.start()
    try:
        api = server.login()
        for i in range(CAMERAS):
            r = api.post("/api/cameras?validate=false", json={"name": f"bench-{i:02d}", "host": camera.host, "port": camera.port,
                                                              "stream_path": "/cam1080", "audio_enabled": True})
            assert r.status_code == 201, r.text
        deadline = time.monotonic() + 120
        states: list[str] = []
        while time.monotonic() < deadline:
            states = [c["state"] for c in api.get("/api/status").json()["cameras"]]
            if states.count("recording") == CAMERAS:
                break
            time.sleep(1)
        else:
            print(f"not every camera is recording: {states}")
            return None
        time.sleep(WARMUP)
        ffmpegs = children(server.proc.pid)
        labels = {"nvr": [server.proc.pid]} | {f"ffmpeg{i}": [pid] for i, pid in enumerate(ffmpegs)}
        return measure(labels, seconds)
    finally:
        server.stop()


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="ronin-bench-rec-"))
    cache = Path(os.environ.get("RONIN_TEST_CAMERA_CACHE", Path(tempfile.gettempdir()) / "ronin-test-camera-cache"))
    cache.mkdir(parents=True, exist_ok=True)
    source = footage_1080p(cache)
    camera = TestCamera(files=[(str(source), "/cam1080")])
    camera.start()
    url = camera.url("/cam1080")
    print(f"{CAMERAS} cameras of {source.name} from {url}; {WARMUP:.0f} s warm-up, {SECONDS:.0f} s measured per side\n", flush=True)
    try:
        # Bare ffmpeg in two halves around the NVR (A B A), so drift in the machine's state over
        # the run (page cache, the camera server warming up) weighs on both sides alike.
        first = run_bare(url, work / "bare-a", SECONDS / 2)
        nvr_usage = run_nvr(camera, SECONDS)
        if nvr_usage is None:
            return 1
        second = run_bare(url, work / "bare-b", SECONDS / 2)
        bare_usage = {label: Usage((first[label].cpu_percent + second[label].cpu_percent) / 2,
                                   max(first[label].peak_rss, second[label].peak_rss)) for label in first}
    finally:
        camera.stop()
        shutil.rmtree(work, ignore_errors=True)

    bare_cpu = sum(u.cpu_percent for u in bare_usage.values())
    bare_rss = sum(u.peak_rss for u in bare_usage.values())
    children_usage = [u for label, u in nvr_usage.items() if label != "nvr"]
    child_cpu = sum(u.cpu_percent for u in children_usage)
    child_rss = sum(u.peak_rss for u in children_usage)
    own = nvr_usage["nvr"]
    total_cpu = own.cpu_percent + child_cpu
    print(f"{'':22}{'CPU % of a core':>16}{'peak memory':>14}")
    print(f"{'bare ffmpeg, total':22}{bare_cpu:16.2f}{mib(bare_rss):>14}")
    print(f"{'bare ffmpeg, per cam':22}{bare_cpu / CAMERAS:16.2f}{mib(bare_rss // CAMERAS):>14}")
    print(f"{'NVR ffmpeg, total':22}{child_cpu:16.2f}{mib(child_rss):>14}  ({len(children_usage)} processes)")
    print(f"{'NVR ffmpeg, per cam':22}{child_cpu / max(1, len(children_usage)):16.2f}{mib(child_rss // max(1, len(children_usage))):>14}")
    print(f"{'NVR process':22}{own.cpu_percent:16.2f}{mib(own.peak_rss):>14}")
    print(f"{'NVR total':22}{total_cpu:16.2f}{mib(own.peak_rss + child_rss):>14}")
    ratio = total_cpu / bare_cpu if bare_cpu else float("inf")
    print(f"\nratio NVR total / bare ffmpeg (CPU): {ratio:.3f}x   target <= 1.15x   {'OK' if ratio <= 1.15 else 'MISSED'}")
    print(f"NVR process CPU for {CAMERAS} cameras: {own.cpu_percent:.2f}% of one core   target < 2%   "
          f"{'OK' if own.cpu_percent < 2 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
