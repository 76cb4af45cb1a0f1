#!/usr/bin/env python3
"""Job queue benchmark: claiming and finishing jobs with 4 concurrent claimers, on SQLite and on
PostgreSQL, the NVR's own queue code against the bare statements, in the same run.

- NVR: `ronin queue-benchmark --jobs N --claimers K` queues N empty jobs, then K concurrent
  workers of one process claim and finish them with JobQueue.claim and JobQueue.succeed (the
  statements every worker pool runs), timing each claim-and-finish.
- bare: the same claim statement (JobQueue.claim's "due" path) and finish statement, word for
  word, run from Python with the database's own driver (sqlite3, psycopg) by K processes, each
  with a connection of its own, over N jobs inserted beforehand (see bare_claims.py). Also shown,
  without a target: the bare side making the read JobQueue.claim makes before each due claim
  (is any running job's lease over?), to show what that statement costs.

The schema is the NVR's: its migrations run once (`ronin queue-benchmark --jobs 1`) on a fresh
SQLite file and on a fresh database of a throwaway PostgreSQL. Each side runs BENCH_ROUNDS times,
the sides taking turns to go first, and its best round (lowest p95) counts; every round is
printed. Prints jobs per second, p50, p95 and max per claim-and-finish for each side, and the
NVR's ratio to the bare side.

Target: the NVR claims and finishes a job in under 5 ms at p95, on both databases. The run also
fails when any job was claimed twice or left unclaimed, on either side, when a bare claimer could
not finish a job it held, or when a run leaves jobs behind.

Environment: BENCH_DATABASES (sqlite,postgres), BENCH_JOBS (2000), BENCH_CLAIMERS (4),
BENCH_ROUNDS (3), RONIN_BIN (.build/release/ronin).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench"), str(Path(__file__).resolve().parent)]

from bare_claims import Dialect, PostgresDialect, SQLiteDialect, claim_all, delete_jobs, insert_jobs, job_states  # noqa: E402
from common import Latency, Verdict, on_each_database, ronin_env  # noqa: E402
from support.postgres import ThrowawayPostgres  # noqa: E402

BIN = str(Path(os.environ.get("RONIN_BIN", ROOT / ".build/release/ronin")).resolve())
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,postgres").split(",")
JOBS = int(os.environ.get("BENCH_JOBS", "2000"))
CLAIMERS = int(os.environ.get("BENCH_CLAIMERS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TARGET_P95_MS = 5.0

NVR = "ronin queue-benchmark (the NVR)"
BARE = "bare claim + finish"
BARE_EXPIRED = "bare, expired-lease read first"


@dataclass
class Round:
    """One side's run: jobs claimed and finished, wall seconds, and every claim-and-finish's
    milliseconds."""
    jobs: int
    seconds: float
    latencies_ms: list[float]

    @property
    def latency(self) -> Latency:
        return Latency.of(self.latencies_ms)

    @property
    def per_second(self) -> float:
        return self.jobs / self.seconds if self.seconds > 0 else float("nan")


def run_nvr(database: str, env: dict[str, str], dialect: Dialect, jobs: int, verdict: Verdict) -> Round | None:
    """`ronin queue-benchmark` over `jobs` jobs; its answers checked, and the table left empty."""
    r = subprocess.run([BIN, "queue-benchmark", "--jobs", str(jobs), "--claimers", str(CLAIMERS)], env=env,
                       cwd=env["RONIN_DATA_DIR"], capture_output=True, text=True, timeout=900)
    left = delete_jobs(dialect)
    if r.returncode != 0:
        verdict.wrong(f"{database}: ronin queue-benchmark exited {r.returncode}: {r.stderr.strip()[-400:]}")
        return None
    lines = [line for line in r.stdout.splitlines() if line.startswith("{")]
    if not lines:
        verdict.wrong(f"{database}: ronin queue-benchmark printed no result: {r.stdout[-300:]!r}")
        return None
    result = json.loads(lines[-1])
    done, latencies = result["jobs"], result["latencies_ms"]
    verdict.check(result["claimed_twice"] == 0, f"{database}, NVR: {result['claimed_twice']} jobs claimed twice")
    verdict.check(done == jobs, f"{database}, NVR: claimed and finished {done} of {jobs} jobs ({jobs - done} left unclaimed)")
    verdict.check(len(latencies) == done, f"{database}, NVR: {len(latencies)} timings for {done} jobs")
    verdict.check(left == 0, f"{database}, NVR: left {left} jobs in the table")
    return Round(done, result["seconds"], latencies)


def run_bare(database: str, dialect: Dialect, jobs: int, with_expired: bool, verdict: Verdict) -> Round | None:
    """The bare claimers over `jobs` jobs inserted for them; every job must have been claimed
    once, finished by its claimer and be recorded as such, and nothing else."""
    kind = f"bare-{uuid.uuid4().hex[:8]}"
    inserted = insert_jobs(dialect, kind, jobs)
    run = claim_all(dialect, kind, CLAIMERS, with_expired)
    states = job_states(dialect, kind)
    delete_jobs(dialect, kind)
    label = f"{database}, bare{' with the expired-lease read' if with_expired else ''}"
    errors = [f"claimer {c.n}: {c.error}" for c in run.claimers if c.error]
    if errors:
        verdict.wrong(f"{label}: {'; '.join(errors)[:400]}")
        return None
    ids = run.ids
    claimed = set(ids)
    verdict.check(len(ids) == len(claimed), f"{label}: {len(ids) - len(claimed)} jobs claimed twice")
    verdict.check(claimed <= inserted, f"{label}: claimed {len(claimed - inserted)} jobs that were not its own")
    verdict.check(not inserted - claimed, f"{label}: {len(inserted - claimed)} of {jobs} jobs left unclaimed")
    lost = [i for c in run.claimers for i in c.lost]
    verdict.check(not lost, f"{label}: {len(lost)} jobs claimed but no longer held when finished")
    expected = {("succeeded", 1, c.owner): len(c.ids) for c in run.claimers if c.ids}
    verdict.check(states == expected, f"{label}: the table holds {states}, the claimers finished {expected}")
    return Round(len(ids), run.seconds, run.latencies_ms)


def bench(database: str, postgres: ThrowawayPostgres | None, verdict: Verdict) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    try:
        url = postgres.create_database("bench_jobs") if postgres else f"sqlite://{data_dir / 'ronin.sqlite'}"
        env = ronin_env({"RONIN_DATA_DIR": str(data_dir), "DATABASE_URL": url})
        dialect = PostgresDialect(url) if postgres else SQLiteDialect(url.removeprefix("sqlite://"))
        # The NVR's migrations make the schema (and the run warms the file or the server up).
        if run_nvr(database, env, dialect, 1, verdict) is None:
            return
        sides = {
            NVR: lambda: run_nvr(database, env, dialect, JOBS, verdict),
            BARE: lambda: run_bare(database, dialect, JOBS, False, verdict),
            BARE_EXPIRED: lambda: run_bare(database, dialect, JOBS, True, verdict),
        }
        rounds: dict[str, list[Round]] = {name: [] for name in sides}
        names = list(sides)
        for n in range(ROUNDS):
            for name in names[n % len(names):] + names[:n % len(names)]:
                if (done := sides[name]()) is not None:
                    rounds[name].append(done)
        report(database, rounds, verdict)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def report(database: str, rounds: dict[str, list[Round]], verdict: Verdict) -> None:
    driver = "psycopg" if database == "postgres" else "sqlite3"
    print(f"\n== {database}: {JOBS} jobs, {CLAIMERS} claimers, best of {ROUNDS} rounds by p95; "
          f"load average now {os.getloadavg()[0]:.1f}")
    print(f"  {'':44}{'jobs/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}   p95 of each round")
    best = {name: min(runs, key=lambda r: r.latency.p95) for name, runs in rounds.items() if runs}
    for name, runs in rounds.items():
        if name not in best:
            print(f"  {name:44}  not measured")
            continue
        b, each = best[name], " ".join(f"{r.latency.p95:.2f}" for r in runs)
        label = f"{name} ({driver})" if name != NVR else name
        print(f"  {label:44}{b.per_second:9.0f}{b.latency.p50:9.2f}{b.latency.p95:9.2f}{b.latency.max:9.2f}   {each}")
    if NVR not in best:
        verdict.wrong(f"{database}: the NVR side was not measured")
        return
    nvr = best[NVR]
    mark = verdict.target(nvr.latency.p95 < TARGET_P95_MS,
                          f"{database}: NVR claim-and-finish p95 {nvr.latency.p95:.2f} ms (< {TARGET_P95_MS:.0f} ms)")
    if BARE in best:
        bare = best[BARE]
        print(f"  NVR / bare: jobs/s {nvr.per_second / bare.per_second:.2f}x, p50 {nvr.latency.p50 / bare.latency.p50:.2f}x, "
              f"p95 {nvr.latency.p95 / bare.latency.p95:.2f}x")
    print(f"  NVR p95 < {TARGET_P95_MS:.0f} ms: {mark}")


def main() -> int:
    if not Path(BIN).exists():
        sys.exit(f"{BIN} not found: build it first (make build) or set RONIN_BIN")
    verdict = Verdict("job queue benchmark")
    print(f"ronin: {BIN}\n{JOBS} empty jobs per run, {CLAIMERS} concurrent claimers, {ROUNDS} rounds per side; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    on_each_database(DATABASES, lambda database, postgres: bench(database, postgres, verdict))
    return verdict.exit_status()


if __name__ == "__main__":
    sys.exit(main())
