#!/usr/bin/env python3
"""Timeline benchmark: the playback day timeline and month days queries over one year of
footage index for 16 cameras (15-minute segments, about 560,000 recordings rows) and 5 million
detections, on SQLite and on PostgreSQL, against the bare indexed SELECT of the same rows.

The real server creates the schema and the cameras; the rows are then bulk-loaded straight into
the database in the server's own storage format, and `ronin serve` is started on it again. Each
endpoint gets a few hundred random (camera, day) and (camera, month) requests over one
keep-alive HTTP session; the baseline runs the same requests as bare SELECTs from Python.
Prints p50/p95/max per query, the baseline's p50/p95, their ratio and whether p95 meets the
target (50 ms), and how long building the index took.

Environment: BENCH_DATABASES (sqlite,postgres), BENCH_CAMERAS (16), BENCH_DETECTIONS (5000000),
BENCH_DAYS (365), BENCH_REQUESTS (300 per query), BENCH_TZ (America/New_York),
RONIN_BIN (.build/release/ronin).
"""
import os
import random
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench"), str(Path(__file__).resolve().parent)]

from baseline import PostgresBaseline, SQLiteBaseline  # noqa: E402
from common import Latency  # noqa: E402
from dataset import Span, camera_index, split  # noqa: E402
from loaders import load_postgres, load_sqlite  # noqa: E402
from support.postgres import ThrowawayPostgres  # noqa: E402
from support.paths import RONIN_BIN  # noqa: E402
from support.server import ApiClient, RoninServer  # noqa: E402
from workload import Ask, day_asks, days_covered, month_asks, timeline_disagreement  # noqa: E402

DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,postgres").split(",")
CAMERAS = int(os.environ.get("BENCH_CAMERAS", "16"))
DETECTIONS = int(os.environ.get("BENCH_DETECTIONS", "5000000"))
DAYS = int(os.environ.get("BENCH_DAYS", "365"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))
ZONE = os.environ.get("BENCH_TZ", "America/New_York")
WARMUP = 30
TARGET_MS = 50.0


@dataclass
class QueryResult:
    """The endpoint's and the baseline's timings for one query, and answers that disagreed."""
    name: str
    endpoint: Latency | None
    baseline: Latency
    disagreements: list[str]
    failure: str | None = None


def create_cameras(server: RoninServer) -> dict[str, str]:
    """The cameras, through the API as a user would add them (no stream is ever opened): their
    ids and the folder names their files are under, in creation order."""
    api = server.login()
    folders = {}
    for n in range(CAMERAS):
        r = api.post("/api/cameras?validate=false", json={
            "name": f"Bench {n:02d}", "host": "192.0.2.10", "port": 554, "stream_path": f"/cam{n}",
            "enabled": False, "recording_enabled": False})
        assert r.status_code == 201, r.text
        folders[r.json()["id"]] = r.json()["folder_name"]
    return folders


def build_index(server: RoninServer, span: Span) -> tuple[list[str], float, dict[str, int]]:
    """Creates the schema and cameras with the real server, then bulk-loads the year of rows."""
    server.start()
    names = create_cameras(server)
    camera_ids = list(names)
    server.stop()
    started = time.monotonic()
    cameras = [(cid, camera_index(n, names[cid], span, count))
               for n, (cid, count) in enumerate(zip(camera_ids, split(DETECTIONS, CAMERAS)))]
    if server.database == "sqlite":
        counts = load_sqlite(server.database_url.removeprefix("sqlite://"), cameras)
    else:
        counts = load_postgres(server.database_url, cameras)
    return camera_ids, time.monotonic() - started, counts


@dataclass(frozen=True)
class Query:
    """One row of the table: how to ask the server, how to read the same rows bare, and how to
    check an answer against those rows (a reason when they disagree, else None)."""
    name: str
    asks: list[Ask]
    request: Callable[[Ask], tuple[str, dict]]
    fetch: Callable[[Ask], list]
    check: Callable[[Ask, dict, list], str | None]


def timed_series(asks: list[Ask], call: Callable[[Ask], object]) -> tuple[list[float], list]:
    """Milliseconds of `call` for each ask, after a warm-up, and what each call answered."""
    for ask in asks[:WARMUP]:
        call(ask)
    timings, answers = [], []
    for ask in asks:
        started = time.perf_counter()
        answers.append(call(ask))
        timings.append((time.perf_counter() - started) * 1000)
    return timings, answers


def run_query(api: ApiClient, query: Query) -> QueryResult:
    base_timings, rows = timed_series(query.asks, query.fetch)

    def ask_server(ask: Ask):
        path, params = query.request(ask)
        return api.get(path, params=params)
    timings, responses = timed_series(query.asks, ask_server)
    baseline = Latency.of(base_timings)
    failed = next((r for r in responses if r.status_code != 200), None)
    if failed is not None:
        return QueryResult(query.name, None, baseline, [], f"answered {failed.status_code}: {failed.text[:200]}")
    disagreements = [f"{ask.period}: {why}" for ask, response, found in zip(query.asks, responses, rows)
                     if (why := query.check(ask, response.json(), found))]
    return QueryResult(query.name, Latency.of(timings), baseline, disagreements)


def queries(base, camera_ids: list[str], span: Span) -> list[Query]:
    """A camera's day and month, and every camera's at once as the Playback page asks them."""
    rng = random.Random(7)
    days = day_asks(rng, camera_ids, span, REQUESTS)
    months = month_asks(rng, camera_ids, span, REQUESTS)
    every = ",".join(camera_ids)
    every_days = [Ask(every, a.period, a.start, a.end) for a in days[:max(1, REQUESTS // 5)]]
    every_months = [Ask(every, a.period, a.start, a.end) for a in months[:max(1, REQUESTS // 5)]]

    def day_rows(ask: Ask) -> list:
        return [(base.recordings(c, ask.start, ask.end), base.detections(c, ask.start, ask.end))
                for c in ask.camera_id.split(",")]

    def month_rows(ask: Ask) -> list:
        return [base.recordings(c, ask.start, ask.end) for c in ask.camera_id.split(",")]

    def check_day(ask: Ask, answer: dict, rows: list) -> str | None:
        return next((f"camera {camera.get('camera_id')}: {why}" for camera, (_, detections)
                     in zip(answer.get("cameras", [answer]), rows)
                     if (why := timeline_disagreement(camera, base.seconds(detections)))), None)

    def check_month(ask: Ask, answer: dict, rows: list) -> str | None:
        return next((f"camera {camera.get('camera_id')}: days {camera.get('days')} but footage on {expected}"
                     for camera, found in zip(answer.get("cameras", [answer]), rows)
                     if camera.get("days") != (expected := days_covered(base.seconds(found), ask, span))), None)

    n = len(camera_ids)
    return [
        Query("day timeline", days, lambda a: (f"/api/playback/{a.camera_id}/timeline", {"date": a.period, "tz": ZONE}),
              day_rows, check_day),
        Query("month days", months, lambda a: (f"/api/playback/{a.camera_id}/days", {"month": a.period, "tz": ZONE}),
              month_rows, check_month),
        Query(f"day, {n} cams", every_days,
              lambda a: ("/api/playback/timeline", {"camera_ids": a.camera_id, "date": a.period, "tz": ZONE}),
              day_rows, check_day),
        Query(f"month, {n} cams", every_months,
              lambda a: ("/api/playback/days", {"camera_ids": a.camera_id, "month": a.period, "tz": ZONE}),
              month_rows, check_month),
    ]


def report(database: str, build_seconds: float, counts: dict[str, int], results: list[QueryResult], plan: list[str]) -> None:
    print(f"\n== {database}: {counts['recordings']:,} recordings, {counts['detections']:,} detections; "
          f"index generated and loaded in {build_seconds:.1f} s; load average now {os.getloadavg()[0]:.1f}")
    print(f"{'query':16}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'base p50':>10}{'base p95':>10}"
          f"{'ratio p50':>11}{'ratio p95':>11}  p95 < {TARGET_MS:.0f} ms")
    for r in results:
        base = f"{r.baseline.p50:10.2f}{r.baseline.p95:10.2f}"
        if r.endpoint is None:
            print(f"{r.name:16}{r.baseline.count:5}{'-':>9}{'-':>9}{'-':>9}{base}{'-':>11}{'-':>11}  not measured: {r.failure}")
            continue
        e = r.endpoint
        print(f"{r.name:16}{e.count:5}{e.p50:9.2f}{e.p95:9.2f}{e.max:9.2f}{base}{e.p50 / r.baseline.p50:10.1f}x"
              f"{e.p95 / r.baseline.p95:10.1f}x  {'yes' if e.p95 < TARGET_MS else 'NO'}")
    for r in results:
        if r.disagreements:
            print(f"  {r.name}: {len(r.disagreements)} answers disagree with the rows, e.g. "
                  f"{r.disagreements[0][:300]}")
    print("  baseline recordings plan: " + " | ".join(plan))


def bench(database: str, span: Span, postgres: ThrowawayPostgres | None) -> None:
    url = postgres.create_database("bench_timeline") if postgres else None
    server = RoninServer(database, url, "bench-timeline", env={"LOG_LEVEL": "notice"})
    try:
        camera_ids, build_seconds, counts = build_index(server, span)
        base = SQLiteBaseline(server.database_url.removeprefix("sqlite://")) if postgres is None \
            else PostgresBaseline(url)
        try:
            server.start()
            api = server.login()
            results = [run_query(api, query) for query in queries(base, camera_ids, span)]
            sample = random.Random(3).choice(camera_ids)
            plan = base.explain(sample, span.start + 86400 * 100, span.start + 86400 * 101)
        finally:
            base.close()
            server.stop()
        report(database, build_seconds, counts, results, plan)
    finally:
        shutil.rmtree(server.data_dir, ignore_errors=True)


def main() -> int:
    span = Span.last_year(ZONE, DAYS)
    print(f"{CAMERAS} cameras x {DAYS} days of 15-minute segments, {DETECTIONS:,} detections, zone {ZONE}; "
          f"{REQUESTS} requests per query after {WARMUP} warm-up; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores; {RONIN_BIN}", flush=True)
    postgres = ThrowawayPostgres().start() if "postgres" in DATABASES else None
    try:
        for database in DATABASES:
            bench(database, span, postgres if database == "postgres" else None)
    finally:
        if postgres:
            postgres.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
