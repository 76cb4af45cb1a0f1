#!/usr/bin/env python3
"""Storage benchmark (docs/design/tiers.md): moving footage between tiers against the bare copy of
the same files in the same run, and planning storage over a year of sixteen cameras' index.

- Hot → warm: BENCH_FILES segments of about BENCH_MB MB (one real segment written with ffmpeg,
  copied under the recorder's names) adopted by `ronin serve` with WARM_STORAGE_PATH on the same
  disk and HOT_MAX_AGE=1s, so every segment moves. The NVR's time runs from the first move job's
  start to the last one's end (the jobs API): each move copies, syncs, verifies (size and
  SHA-256) and switches the row. The bare side: `cp` of the same files to another folder of the
  same disk, then `sync`. Ratio: bare seconds / NVR seconds (1.0: as fast as cp).
- Hot → cold: the same with moto's S3 server (PyPI) as cold storage; the bare side is boto3's
  `upload_file` of the same files to the same server, one after the other (the NVR moves three at
  a time).
- Planning: `ronin storage-benchmark --cameras 16 --days 365` writes a year of 15-minute segments
  (560,640 recordings, events in one in ten, a locked one in a thousand) into a fresh SQLite
  database, reads the index as a storage check does and times StoragePlanner over it with every
  rule in play (retention by age and size, a camera's own retention, hot and warm limits, a disk
  short of space). Bare side of the read: the same rows selected from Python's sqlite3.

Targets: both moves at 0.8x or better of their bare copy; planning under 1 s. The run also fails
when a moved file differs from the original, when a row does not name the tier the footage is in,
or when the plan would delete locked footage.

Environment: BENCH_FILES (16), BENCH_MB (20), BENCH_ROUNDS (3: the sides alternate going first;
each side's best round counts), RONIN_BIN (.build/release/ronin).
"""
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]
os.environ["RONIN_BIN"] = str(Path(os.environ.get("RONIN_BIN", ROOT / ".build/release/ronin")).resolve())

from common import Verdict, instant, ronin_env  # noqa: E402
from support.paths import RONIN_BIN  # noqa: E402
from support.s3 import MotoS3  # noqa: E402
from support.server import RoninServer  # noqa: E402

FILES = int(os.environ.get("BENCH_FILES", "16"))
MEGABYTES = float(os.environ.get("BENCH_MB", "20"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
VTEST = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"
TARGET_RATIO = 0.8
TARGET_PLAN_SECONDS = 1.0


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def make_segment(folder: Path) -> Path:
    """One real MP4 of about MEGABYTES (vtest.avi at a quality that makes it that large)."""
    path = folder / "segment.mp4"
    seconds = 20
    bitrate = int(MEGABYTES * 8_000_000 / seconds)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-stream_loop", "-1", "-t", str(seconds), "-i", VTEST, "-an", "-c:v", "libx264",
                    "-preset", "ultrafast", "-b:v", str(bitrate), "-maxrate", str(bitrate), "-bufsize", str(bitrate), "-g", "20",
                    str(path)], check=True, timeout=600)
    return path


def place(server: RoninServer, segment: Path) -> tuple[dict, dict[str, str]]:
    """A camera with FILES copies of `segment` as its footage, adopted by `server` at its start."""
    api = server.login()
    r = api.post("/api/cameras", params={"validate": "false"},
                 json={"name": f"Bench {time.time_ns() % 100000}", "host": "127.0.0.1", "port": 9, "enabled": False})
    assert r.status_code == 201, r.text
    camera = r.json()
    server.stop()
    end = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(minutes=5)
    root = server.data_dir / "storage"
    digest = sha256(segment)
    keys = {}
    for n in range(FILES):
        stop = end - dt.timedelta(seconds=20 * (FILES - 1 - n))
        start = (stop - dt.timedelta(seconds=20)).astimezone()
        key = f"{camera['folder_name']}/{start.strftime('%Y-%m-%d')}/{start.strftime('%H-%M-%S')}.mp4"
        (root / key).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(segment, root / key)
        os.utime(root / key, (stop.timestamp(), stop.timestamp()))
        keys[key] = digest
    subprocess.run(["sync"], check=True)
    server.start()
    return camera, keys


def rows_of(api, camera: dict) -> list[dict]:
    """The camera's recordings of the last three hours."""
    now = dt.datetime.now(dt.timezone.utc)
    return api.get("/api/recordings", params={"camera_id": camera["id"], "start": (now - dt.timedelta(hours=3)).isoformat().replace("+00:00", "Z"),
                                              "end": now.isoformat().replace("+00:00", "Z")}).json()


def nvr_move(tier: str, segment: Path, moto: MotoS3 | None, verdict: Verdict) -> float:
    """Seconds the NVR took to move every segment from hot to `tier`."""
    scratch = Path(tempfile.mkdtemp(prefix="ronin-bench-storage-", dir=str(ROOT / "test-output")))
    env = {"RONIN_RUN_PIPELINES": "true", "STORAGE_CHECK_SECONDS": "1", "STORAGE_MIN_FREE_GB": "0.01", "ML_ENABLED": "false",
           "LOG_LEVEL": "notice"}
    cold = None
    if tier == "warm":
        env["WARM_STORAGE_PATH"] = str(scratch / "warm")
        (scratch / "warm").mkdir()
    else:
        cold = moto.bucket()
        env.update(cold)
    server = RoninServer("sqlite", None, f"bench-storage-{tier}", env={**env, "HOT_MAX_AGE": "1h"})
    try:
        server.start()
        camera, keys = place(server, segment)
        api = server.login()
        # The server adopts the files after it starts: once every one has its row, let them move
        # (one storage check then plans every move, and the clock measures moving, not adopting).
        deadline = time.monotonic() + 300
        while len(rows_of(api, camera)) < FILES:
            if time.monotonic() > deadline:
                verdict.wrong(f"{tier}: the server did not adopt the {FILES} segments within 5 minutes")
                return float("nan")
            time.sleep(0.2)
        r = api.put("/api/storage/policy", json={"hot_max_age": "1s"})
        assert r.status_code == 200, r.text
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            jobs = api.get("/api/jobs", params={"kind": "migrate", "limit": 500}).json()["jobs"]
            if len(jobs) == FILES and all(j["state"] in ("succeeded", "parked") for j in jobs):
                break
            time.sleep(0.5)
        else:
            verdict.wrong(f"{tier}: the moves did not finish within 15 minutes")
            return float("nan")
        verdict.check(all(j["state"] == "succeeded" for j in jobs), f"{tier}: moves failed: {[j['last_error'] for j in jobs if j['last_error']]}")
        rows = rows_of(api, camera)
        verdict.check(len(rows) == FILES and all(r["tier"] == tier for r in rows), f"{tier}: not every row names {tier}: {[r['tier'] for r in rows]}")
        for row in rows[:3]:
            if tier == "warm":
                verdict.check(sha256(scratch / "warm" / row["path"]) == keys[row["path"]], f"warm copy of {row['path']} differs")
            else:
                body = moto.client().get_object(Bucket=cold["COLD_STORAGE_S3_BUCKET"], Key=f"{cold['COLD_STORAGE_S3_PREFIX']}/{row['path']}")["Body"]
                verdict.check(hashlib.sha256(body.read()).hexdigest() == keys[row["path"]], f"cold copy of {row['path']} differs")
        spans = sorted((instant(j["started_at"]), instant(j["finished_at"])) for j in jobs)
        busy = [end - start for start, end in spans]
        gaps = [b[0] - a[1] for a, b in zip(spans, spans[1:])]
        print(f"    NVR moves: each {min(busy) * 1000:.0f}-{max(busy) * 1000:.0f} ms (median {sorted(busy)[len(busy) // 2] * 1000:.0f}), "
              f"{sum(max(0.0, g) for g in gaps) * 1000:.0f} ms between them in all")
        return max(end for _, end in spans) - spans[0][0]
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def bare_copy(tier: str, segment: Path, moto: MotoS3 | None) -> float:
    """Seconds a bare copy of FILES copies of the segment took: cp + sync, or boto3 uploads."""
    scratch = Path(tempfile.mkdtemp(prefix="ronin-bench-bare-", dir=str(ROOT / "test-output")))
    try:
        sources = []
        for n in range(FILES):
            path = scratch / "hot" / f"{n:03d}.mp4"
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(segment, path)
            sources.append(path)
        subprocess.run(["sync"], check=True)
        if tier == "warm":
            (scratch / "warm").mkdir()
            began = time.monotonic()
            for path in sources:
                subprocess.run(["cp", str(path), str(scratch / "warm" / path.name)], check=True)
            subprocess.run(["sync"], check=True)
            return time.monotonic() - began
        bucket = moto.bucket()["COLD_STORAGE_S3_BUCKET"]
        client = moto.client()
        began = time.monotonic()
        for path in sources:
            client.upload_file(str(path), bucket, f"bare/{path.name}")
        return time.monotonic() - began
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def planning(verdict: Verdict) -> None:
    with tempfile.TemporaryDirectory(prefix="ronin-bench-plan-") as folder:
        env = ronin_env({"RONIN_DATA_DIR": folder, "LOG_LEVEL": "warning"})
        result = subprocess.run([str(RONIN_BIN), "storage-benchmark", "--cameras", "16", "--days", "365", "--rounds", "5"], env=env,
                                capture_output=True, text=True, timeout=1800)
        if not verdict.check(result.returncode == 0, f"storage-benchmark failed: {result.stderr[-500:]}"):
            return
        figures = json.loads(result.stdout)
        began = time.monotonic()
        with sqlite3.connect(Path(folder) / "ronin.sqlite") as conn:
            rows = conn.execute("SELECT id, camera_id, start_time, end_time, size_bytes, tier FROM recordings WHERE status = 'complete'").fetchall()
        bare = time.monotonic() - began
    plan = sorted(figures["plan_seconds"])[len(figures["plan_seconds"]) // 2]
    print(f"\nplanning over {figures['recordings']:,} recordings of {figures['cameras']} cameras (a year of 15-minute segments):")
    print(f"  read the index as a check does: {figures['read_seconds']:.2f} s (bare SELECT from Python: {bare:.2f} s, "
          f"{figures['read_seconds'] / bare:.1f}x)")
    print(f"  plan: p50 {plan * 1000:.0f} ms over {len(figures['plan_seconds'])} rounds ({figures['deletions']:,} deletions, "
          f"{figures['moves']:,} moves)  [{verdict.target(plan < TARGET_PLAN_SECONDS, f'planning {plan:.2f} s, target under 1 s')}]")
    verdict.check(len(rows) == figures["recordings"], f"the bare read found {len(rows)} rows, the NVR {figures['recordings']}")
    verdict.check(figures["locked_deleted"] == 0, "the plan would delete locked footage")
    verdict.check(figures["deletions"] > 0 and figures["moves"] > 0, "the plan had no work: the benchmark measures nothing")


def main() -> int:
    if not RONIN_BIN.exists():
        sys.exit(f"{RONIN_BIN} not found: build it first (make build) or set RONIN_BIN")
    verdict = Verdict("bench/storage")
    print(f"ronin: {RONIN_BIN}\n{FILES} segments of about {MEGABYTES:g} MB, {ROUNDS} rounds per side (alternating), best round counts")
    (ROOT / "test-output").mkdir(exist_ok=True)
    moto = MotoS3().start()
    try:
        with tempfile.TemporaryDirectory(prefix="ronin-bench-segment-", dir=str(ROOT / "test-output")) as folder:
            segment = make_segment(Path(folder))
            size = segment.stat().st_size
            total = size * FILES
            for tier, bare_name in (("warm", "cp + sync"), ("cold", "boto3 upload_file")):
                nvr, bare = [], []
                for round_ in range(ROUNDS):
                    sides = [("nvr", lambda: nvr_move(tier, segment, moto, verdict)), ("bare", lambda: bare_copy(tier, segment, moto))]
                    if round_ % 2:
                        sides.reverse()
                    for name, run in sides:
                        (nvr if name == "nvr" else bare).append(run())
                    print(f"  hot → {tier} round {round_ + 1}: NVR {nvr[-1]:.2f} s, {bare_name} {bare[-1]:.2f} s")
                best_nvr, best_bare = min(nvr), min(bare)
                ratio = best_bare / best_nvr
                print(f"hot → {tier}: {total / 1e6:.0f} MB in {FILES} files: NVR {total / best_nvr / 1e6:.1f} MB/s, {bare_name} "
                      f"{total / best_bare / 1e6:.1f} MB/s, ratio {ratio:.2f}x  "
                      f"[{verdict.target(ratio >= TARGET_RATIO, f'hot to {tier} at {ratio:.2f}x of {bare_name}, target 0.8x or better')}]")
    finally:
        moto.stop()
    planning(verdict)
    return verdict.exit_status()


if __name__ == "__main__":
    sys.exit(main())
