"""Bulk loaders for the timeline benchmark: put the generated index into the schema the real
server created, the way the server itself stores each value.

SQLite (FluentKit): UUIDs as uppercase text, datetimes as REAL seconds since the epoch; rows go
in with executemany in one transaction, with durability PRAGMAs relaxed on this connection only.
PostgreSQL: uuid and timestamptz columns, filled with COPY FROM STDIN. On both, the secondary
indexes are dropped for the load and recreated from their own definitions afterwards, so the
schema ends up exactly as the migrations made it.
"""
import sqlite3
from datetime import datetime, timezone
from typing import Callable, Iterable

import psycopg

from dataset import CameraIndex

RECORDING_COLUMNS = ("id", "camera_id", "start_time", "end_time", "path", "size_bytes", "duration_seconds",
                     "video_codec", "width", "height", "audio_codec", "status", "created_at")
DETECTION_COLUMNS = ("id", "camera_id", "recording_id", "detected_at", "class_name", "confidence",
                     "box_x", "box_y", "box_width", "box_height", "track_id", "source", "created_at")
# Detection ran over each segment a minute after it was written.
ANALYSIS_DELAY_SECONDS = 60.0


def _rows(cameras: list[tuple[str, CameraIndex]], uid: Callable[[str], str],
          stamp: Callable[[float], object]) -> tuple[Iterable[tuple], Iterable[tuple]]:
    """recordings rows and detections rows, with ids and times in the database's own form."""
    def recordings():
        for camera_id, index in cameras:
            camera = uid(camera_id)
            for s in index.segments:
                yield (uid(s.id), camera, stamp(s.start), stamp(s.end), s.path, s.size_bytes,
                       round(s.end - s.start, 3), "h264", 1920, 1080, "aac", s.status, stamp(s.end + 1.0))

    def detections():
        for camera_id, index in cameras:
            camera = uid(camera_id)
            analysed = {s.id: stamp(s.end + ANALYSIS_DELAY_SECONDS) for s in index.segments}
            for d in index.detections():
                yield (uid(d.id), camera, uid(d.recording_id), stamp(d.detected_at), d.class_name, d.confidence,
                       *d.box, d.track_id, "historical", analysed[d.recording_id])

    return recordings(), detections()


def load_sqlite(path: str, cameras: list[tuple[str, CameraIndex]]) -> dict[str, int]:
    """Loads every camera's rows into the SQLite file; answers the row count per table."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        # The server keeps the file in WAL mode; writing 5M rows once instead of twice (WAL, then
        # the checkpoint) halves the load's I/O. The mode is put back before the server reopens it.
        journal_mode = db.execute("PRAGMA journal_mode").fetchone()[0]
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -1048576", "temp_store = MEMORY"):
            db.execute(f"PRAGMA {pragma}")
        indexes = [sql for (sql,) in db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('recordings', 'detections')")]
        db.execute("BEGIN")
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                                  "AND tbl_name IN ('recordings', 'detections')").fetchall():
            db.execute(f'DROP INDEX "{name}"')
        recordings, detections = _rows(cameras, str.upper, float)
        for table, columns, rows in (("recordings", RECORDING_COLUMNS, recordings),
                                     ("detections", DETECTION_COLUMNS, detections)):
            marks = ", ".join("?" for _ in columns)
            db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        for sql in indexes:
            db.execute(sql)
        db.execute("COMMIT")
        db.execute(f"PRAGMA journal_mode = {journal_mode}")
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("recordings", "detections")}
    finally:
        db.close()


def _pg_stamp(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat()


def load_postgres(url: str, cameras: list[tuple[str, CameraIndex]]) -> dict[str, int]:
    """COPYs every camera's rows into the PostgreSQL database, then ANALYZEs what it loaded
    (as autovacuum would soon after on a live system); answers the row count per table."""
    with psycopg.connect(url, autocommit=False) as db:
        indexes = db.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename IN ('recordings', 'detections') "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)").fetchall()
        for name, _ in indexes:
            db.execute(f'DROP INDEX "{name}"')
        recordings, detections = _rows(cameras, str, _pg_stamp)
        for table, columns, rows in (("recordings", RECORDING_COLUMNS, recordings),
                                     ("detections", DETECTION_COLUMNS, detections)):
            with db.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        for _, definition in indexes:
            db.execute(definition)
        db.commit()
        db.autocommit = True
        db.execute("ANALYZE recordings")
        db.execute("ANALYZE detections")
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("recordings", "detections")}
