"""The floor the timeline endpoints are measured against: the bare indexed SELECTs that fetch the
rows an answer is built from, timed from Python with the database's own driver.

- a day: the camera's complete recordings overlapping the day, and its detections in the day;
- a month: the camera's complete recordings overlapping the month.

Overlap is `start < end_bound AND end > start_bound`; the start-time index range is bounded
below by the longest segment, so each query reads only the rows it returns.
"""
import sqlite3
from datetime import datetime, timezone

import psycopg

from dataset import LONGEST_SEGMENT_SECONDS

_RECORDINGS = ("SELECT start_time, end_time FROM recordings WHERE camera_id = {p} AND start_time >= {p} "
               "AND start_time < {p} AND end_time > {p} AND status = 'complete' ORDER BY start_time")
_DETECTIONS = ("SELECT detected_at, class_name FROM detections WHERE camera_id = {p} AND detected_at >= {p} "
               "AND detected_at < {p}")


class SQLiteBaseline:
    """The bare SELECTs on the SQLite file, on one read-only connection; times come back as the
    REAL epoch seconds stored."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.recordings_sql = _RECORDINGS.format(p="?")
        self.detections_sql = _DETECTIONS.format(p="?")

    def recordings(self, camera_id: str, start: float, end: float) -> list[tuple[float, float]]:
        return self.db.execute(self.recordings_sql,
                               (camera_id.upper(), start - LONGEST_SEGMENT_SECONDS, end, start)).fetchall()

    def detections(self, camera_id: str, start: float, end: float) -> list[tuple[float, str]]:
        return self.db.execute(self.detections_sql, (camera_id.upper(), start, end)).fetchall()

    @staticmethod
    def seconds(rows: list[tuple]) -> list[tuple]:
        return rows

    def explain(self, camera_id: str, start: float, end: float) -> list[str]:
        plan = self.db.execute("EXPLAIN QUERY PLAN " + self.recordings_sql,
                               (camera_id.upper(), start - LONGEST_SEGMENT_SECONDS, end, start)).fetchall()
        return [row[-1] for row in plan]

    def close(self) -> None:
        self.db.close()


def _instant(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


class PostgresBaseline:
    """The bare SELECTs on PostgreSQL through psycopg, as prepared statements; times come back as
    the driver gives them, and `seconds` turns them into floats for checking, after the timing."""

    def __init__(self, url: str) -> None:
        self.db = psycopg.connect(url, autocommit=True)
        self.recordings_sql = _RECORDINGS.format(p="%s")
        self.detections_sql = _DETECTIONS.format(p="%s")

    def recordings(self, camera_id: str, start: float, end: float) -> list[tuple[datetime, datetime]]:
        return self.db.execute(self.recordings_sql, (camera_id, _instant(start - LONGEST_SEGMENT_SECONDS),
                                                     _instant(end), _instant(start)), prepare=True, binary=True).fetchall()

    def detections(self, camera_id: str, start: float, end: float) -> list[tuple[datetime, str]]:
        return self.db.execute(self.detections_sql, (camera_id, _instant(start), _instant(end)),
                               prepare=True, binary=True).fetchall()

    @staticmethod
    def seconds(rows: list[tuple]) -> list[tuple]:
        """Rows with their first instant as epoch seconds, as SQLite gives them (not timed)."""
        return [(a.timestamp(), *(v.timestamp() if isinstance(v, datetime) else v for v in rest)) for a, *rest in rows]

    def explain(self, camera_id: str, start: float, end: float) -> list[str]:
        plan = self.db.execute("EXPLAIN " + self.recordings_sql, (camera_id, _instant(start - LONGEST_SEGMENT_SECONDS),
                                                                 _instant(end), _instant(start))).fetchall()
        return [row[0].strip().split("  (cost")[0] for row in plan if "Scan" in row[0]]

    def close(self) -> None:
        self.db.close()
