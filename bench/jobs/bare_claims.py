"""The floor the NVR's job queue is measured against: the statements of JobQueue.claim's "due"
path and of JobQueue.succeed, word for word, run bare from Python with the database's own driver
(sqlite3, psycopg) by concurrent claimer processes, each with a connection of its own, on the
schema the NVR's migrations made.

Values are bound the way the NVR binds them: on SQLite, ids as uppercase UUID text and instants
as REAL seconds since 1970; on PostgreSQL, uuid and timestamptz. Each statement is its own
transaction (autocommit), as in the NVR; a SQLite connection is set up as the NVR sets up its
own (WAL, synchronous NORMAL, foreign keys on).

Processes rather than threads, so the claimers wait on the database and not on each other's
interpreter lock; they start together at a barrier, and each times every claim-and-finish.
"""
from __future__ import annotations

import multiprocessing
import os
import sqlite3
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import psycopg

# Job.columns: what a claim returns and the NVR decodes into a Job.
COLUMNS = ("id, kind, payload, state, priority, attempt, max_attempts, run_at, lease_owner, lease_expires_at, progress, "
           "result, last_error, unique_key, camera_id, recording_id, created_at, updated_at, started_at, finished_at")
# JobQueue.take around the due pick of JobQueue.claim.
_TAKE = ("WITH next AS MATERIALIZED ({pick}) "
         "UPDATE jobs SET state = 'running', lease_owner = {p}, lease_expires_at = {p}, attempt = attempt + 1, "
         "started_at = {p}, updated_at = {p} WHERE id IN (SELECT id FROM next) RETURNING " + COLUMNS)
_DUE = ("SELECT id FROM jobs WHERE state IN ('queued', 'failed') AND run_at <= {p} AND kind IN ({p}) "
        "ORDER BY priority DESC, run_at LIMIT 1{lock}")
# The read JobQueue.claim makes first (no write lock): is any running job's lease over? Not
# part of the baseline; measured only to show what the NVR's extra statement per claim costs.
_ANY_EXPIRED = "SELECT id FROM jobs WHERE state = 'running' AND lease_expires_at < {p} AND kind IN ({p}) LIMIT 1"
_SUCCEED = ("UPDATE jobs SET state = 'succeeded', progress = 1, result = {p}, lease_expires_at = NULL, "
            "finished_at = {p}, updated_at = {p} WHERE id = {p} AND state = 'running' AND lease_owner = {p} RETURNING id")
# JobQueue.insert's columns, with the values QueueBenchmark gives its jobs.
_INSERT = ("INSERT INTO jobs (id, kind, payload, state, priority, attempt, max_attempts, run_at, progress, unique_key, "
           "camera_id, recording_id, created_at, updated_at) "
           "VALUES ({p}, {p}, {p}, 'queued', {p}, 0, 3, {p}, 0, NULL, NULL, NULL, {p}, {p})")
LEASE_SECONDS = 60.0


class Dialect:
    """How one database is reached and how values are bound to it."""
    name: str
    mark: str
    lock: str

    def connect(self):
        raise NotImplementedError

    def stamp(self, seconds: float):
        raise NotImplementedError

    def new_id(self):
        raise NotImplementedError

    def sql(self, template: str, **parts: str) -> str:
        return template.format(p=self.mark, lock=self.lock, **{k: v.format(p=self.mark, lock=self.lock) for k, v in parts.items()})

    def run(self, db, statement: str, values: tuple) -> list[tuple]:
        """Executes one statement to completion (a SQLite statement holds its write lock until
        every row is read) and answers its rows."""
        raise NotImplementedError

    def insert(self, db, statement: str, rows: list[tuple]) -> None:
        """Executes the statement for every row, in one transaction."""
        raise NotImplementedError


class SQLiteDialect(Dialect):
    name, mark, lock = "sqlite", "?", ""

    def __init__(self, path: str) -> None:
        self.path = path

    def connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        return db

    def stamp(self, seconds: float) -> float:
        return seconds

    def new_id(self) -> str:
        return str(uuid.uuid4()).upper()

    def run(self, db: sqlite3.Connection, statement: str, values: tuple) -> list[tuple]:
        return db.execute(statement, values).fetchall()

    def insert(self, db: sqlite3.Connection, statement: str, rows: list[tuple]) -> None:
        db.execute("BEGIN")
        db.executemany(statement, rows)
        db.execute("COMMIT")


class PostgresDialect(Dialect):
    name, mark, lock = "postgres", "%s", " FOR UPDATE SKIP LOCKED"

    def __init__(self, url: str) -> None:
        self.url = url

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self.url, autocommit=True)

    def stamp(self, seconds: float) -> datetime:
        return datetime.fromtimestamp(seconds, timezone.utc)

    def new_id(self) -> uuid.UUID:
        return uuid.uuid4()

    def run(self, db: psycopg.Connection, statement: str, values: tuple) -> list[tuple]:
        cursor = db.execute(statement, values, prepare=True)
        return cursor.fetchall() if cursor.description else []

    def insert(self, db: psycopg.Connection, statement: str, rows: list[tuple]) -> None:
        with db.transaction():
            db.cursor().executemany(statement, rows)


@dataclass
class ClaimerResult:
    """What one claimer did: the id of every job it claimed and finished, in order, each
    claim-and-finish's milliseconds, when it started and ended (monotonic seconds, comparable
    across processes), and the jobs it claimed but could no longer finish as their holder."""
    n: int
    owner: str
    ids: list[str]
    latencies_ms: list[float]
    started: float
    ended: float
    lost: list[str]
    error: str | None = None


def _claimer(dialect: Dialect, kind: str, n: int, with_expired: bool, barrier, results) -> None:
    """One claimer process: claims and finishes jobs of `kind` until none is left."""
    owner = f"bare:{os.getpid()}:{n}"
    ids, latencies, lost = [], [], []
    started = ended = time.monotonic()
    try:
        db = dialect.connect()
        due = dialect.sql(_TAKE, pick=_DUE)
        any_expired = dialect.sql(_ANY_EXPIRED)
        succeed = dialect.sql(_SUCCEED)
        barrier.wait()
        started = time.monotonic()
        while True:
            began = time.perf_counter()
            now = time.time()
            take = (dialect.stamp(now), kind, owner, dialect.stamp(now + LEASE_SECONDS), dialect.stamp(now), dialect.stamp(now))
            if with_expired and dialect.run(db, any_expired, (dialect.stamp(now), kind)):
                raise RuntimeError("a running job's lease has expired: no lease can have expired")
            rows = dialect.run(db, due, take)
            if not rows:
                break
            job_id = rows[0][0]
            finished = time.time()
            if not dialect.run(db, succeed, (None, dialect.stamp(finished), dialect.stamp(finished), job_id, owner)):
                lost.append(str(job_id))
            latencies.append((time.perf_counter() - began) * 1000)
            ids.append(str(job_id).upper())
        ended = time.monotonic()
        db.close()
        results.put(ClaimerResult(n, owner, ids, latencies, started, ended, lost))
    except Exception as error:  # reported to the parent, which fails the run
        results.put(ClaimerResult(n, owner, ids, latencies, started, time.monotonic(), lost, f"{type(error).__name__}: {error}"))


@dataclass
class BareRun:
    """A whole bare run: every claimer's result, and the wall time from the first claimer's
    start to the last one's end."""
    claimers: list[ClaimerResult]

    @property
    def seconds(self) -> float:
        return max(c.ended for c in self.claimers) - min(c.started for c in self.claimers)

    @property
    def latencies_ms(self) -> list[float]:
        return [ms for c in self.claimers for ms in c.latencies_ms]

    @property
    def ids(self) -> list[str]:
        return [i for c in self.claimers for i in c.ids]


def insert_jobs(dialect: Dialect, kind: str, count: int) -> set[str]:
    """Queues `count` empty jobs of `kind`, due now, priorities 0-2 as QueueBenchmark's, in one
    transaction; answers their ids (uppercase)."""
    now = dialect.stamp(time.time())
    rows = [(dialect.new_id(), kind, f'{{"n":{n}}}', n % 3, now, now, now) for n in range(count)]
    db = dialect.connect()
    try:
        dialect.insert(db, dialect.sql(_INSERT), rows)
    finally:
        db.close()
    return {str(r[0]).upper() for r in rows}


def claim_all(dialect: Dialect, kind: str, claimers: int, with_expired: bool = False) -> BareRun:
    """Starts `claimers` processes that claim and finish every job of `kind`, together."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(claimers), context.Queue()
    processes = [context.Process(target=_claimer, args=(dialect, kind, n, with_expired, barrier, results))
                 for n in range(claimers)]
    for p in processes:
        p.start()
    found = [results.get(timeout=600) for _ in processes]
    for p in processes:
        p.join(timeout=60)
    return BareRun(sorted(found, key=lambda c: c.n))


def job_states(dialect: Dialect, kind: str) -> dict[tuple[str, int, str | None], int]:
    """How many jobs of `kind` are in each (state, attempt, lease owner), read after a run."""
    db = dialect.connect()
    try:
        rows = dialect.run(db, dialect.sql("SELECT state, attempt, lease_owner, count(*) FROM jobs WHERE kind = {p} "
                                           "GROUP BY state, attempt, lease_owner"), (kind,))
    finally:
        db.close()
    return {(state, attempt, owner): count for state, attempt, owner, count in rows}


def delete_jobs(dialect: Dialect, kind: str | None = None) -> int:
    """Deletes the jobs of `kind` (every job when None), then, on PostgreSQL, vacuums the table
    so that every round starts from the same table; answers how many there were."""
    db = dialect.connect()
    try:
        if kind is None:
            count = dialect.run(db, "SELECT count(*) FROM jobs", ())[0][0]
            dialect.run(db, "DELETE FROM jobs", ())
        else:
            count = dialect.run(db, dialect.sql("SELECT count(*) FROM jobs WHERE kind = {p}"), (kind,))[0][0]
            dialect.run(db, dialect.sql("DELETE FROM jobs WHERE kind = {p}"), (kind,))
        if dialect.name == "postgres":
            dialect.run(db, "VACUUM ANALYZE jobs", ())
    finally:
        db.close()
    return count
