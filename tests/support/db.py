"""Writes rows straight into a test server's database (SQLite or PostgreSQL), for tests that need
footage or detections at chosen instants without recording for hours.

Values are stored the way the server stores them: on SQLite, instants as seconds since 1970 and
ids in the form the server used for the camera's own row; on PostgreSQL, timestamptz and uuid.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import uuid


class DirectDatabase:
    def __init__(self, server) -> None:
        self.server = server
        self.kind = server.database

    # -- helpers -------------------------------------------------------------------------------
    def _sqlite(self) -> sqlite3.Connection:
        path = self.server.database_url.removeprefix("sqlite://")
        return sqlite3.connect(path, timeout=30)

    def _psql(self, sql: str) -> str:
        # On standard input: thousands of rows do not fit in one command-line argument.
        r = subprocess.run(["psql", self.server.database_url, "-v", "ON_ERROR_STOP=1", "-qAt", "-f", "-"],
                           input=sql, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        return r.stdout

    def _sqlite_id(self, conn: sqlite3.Connection, camera_id: str):
        """The camera id as the server stored it (text or 16 bytes), to reference it and mint others alike."""
        for candidate in (camera_id.upper(), camera_id.lower(), uuid.UUID(camera_id).bytes):
            if conn.execute("SELECT 1 FROM cameras WHERE id = ?", (candidate,)).fetchone():
                return candidate
        raise AssertionError(f"camera {camera_id} is not in the database")

    @staticmethod
    def _like(example, value: uuid.UUID):
        if isinstance(example, bytes):
            return value.bytes
        return str(value).upper() if example.isupper() else str(value)

    @staticmethod
    def _q(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    # -- rows ----------------------------------------------------------------------------------
    def add_recordings(self, camera_id: str, spans: list[tuple[dt.datetime, dt.datetime]], folder: str = "synthetic",
                       status: str = "complete", size_bytes: int = 1000, tier: str = "hot") -> None:
        """Rows without files: `tier` says which storage tier they claim to be in (hot, warm, cold)."""
        now = dt.datetime.now(dt.timezone.utc)
        if self.kind == "sqlite":
            with self._sqlite() as conn:
                cam = self._sqlite_id(conn, camera_id)
                conn.executemany(
                    "INSERT INTO recordings (id, camera_id, start_time, end_time, path, size_bytes, duration_seconds,"
                    " video_codec, width, height, audio_codec, status, created_at, tier) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [(self._like(cam, uuid.uuid4()), cam, s.timestamp(), e.timestamp(),
                      f"{folder}/{uuid.uuid4().hex}.mp4", size_bytes, (e - s).total_seconds(), "h264", 768, 576, None,
                      status, now.timestamp(), tier) for s, e in spans])
            return
        values = ",".join(
            f"('{uuid.uuid4()}', '{camera_id}', {self._q(s.isoformat())}, {self._q(e.isoformat())}, "
            f"{self._q(folder + '/' + uuid.uuid4().hex + '.mp4')}, {int(size_bytes)}, {(e - s).total_seconds()}, 'h264', 768, 576, NULL, "
            f"{self._q(status)}, now(), {self._q(tier)})" for s, e in spans)
        self._psql("INSERT INTO recordings (id, camera_id, start_time, end_time, path, size_bytes, duration_seconds,"
                   " video_codec, width, height, audio_codec, status, created_at, tier) VALUES " + values)

    def add_detections(self, camera_id: str, rows: list[tuple[dt.datetime, str]]) -> None:
        """(instant, class) pairs, each a detection with a fixed box."""
        now = dt.datetime.now(dt.timezone.utc)
        if self.kind == "sqlite":
            with self._sqlite() as conn:
                cam = self._sqlite_id(conn, camera_id)
                conn.executemany(
                    "INSERT INTO detections (id, camera_id, recording_id, detected_at, class_name, confidence, box_x, box_y,"
                    " box_width, box_height, track_id, source, created_at) VALUES (?,?,NULL,?,?,0.9,0.1,0.1,0.2,0.3,NULL,'historical',?)",
                    [(self._like(cam, uuid.uuid4()), cam, t.timestamp(), cls, now.timestamp()) for t, cls in rows])
            return
        values = ",".join(f"('{uuid.uuid4()}', '{camera_id}', {self._q(t.isoformat())}, {self._q(cls)}, 0.9, 0.1, 0.1, 0.2, 0.3,"
                          " 'historical', now())" for t, cls in rows)
        self._psql("INSERT INTO detections (id, camera_id, detected_at, class_name, confidence, box_x, box_y, box_width,"
                   " box_height, source, created_at) VALUES " + values)

    def add_storage_samples(self, rows: list[tuple[dt.datetime, str, int, int | None, int | None]]) -> None:
        """(instant, tier, used bytes, free bytes, capacity bytes) rows of storage over time, as the
        storage service samples them every five minutes."""
        if self.kind == "sqlite":
            with self._sqlite() as conn:
                # Ids in the form the server mints them (as its camera ids are stored).
                example = conn.execute("SELECT id FROM storage_samples LIMIT 1").fetchone()
                form = example[0] if example else str(uuid.uuid4()).upper()
                conn.executemany(
                    "INSERT INTO storage_samples (id, sampled_at, tier, used_bytes, recordings, free_bytes, capacity_bytes)"
                    " VALUES (?,?,?,?,?,?,?)",
                    [(self._like(form, uuid.uuid4()), t.timestamp(), tier, used, max(1, used // 10_000_000), free, capacity)
                     for t, tier, used, free, capacity in rows])
            return
        def num(value):
            return "NULL" if value is None else str(int(value))
        values = ",".join(f"('{uuid.uuid4()}', {self._q(t.isoformat())}, {self._q(tier)}, {int(used)}, {max(1, used // 10_000_000)},"
                          f" {num(free)}, {num(capacity)})" for t, tier, used, free, capacity in rows)
        self._psql("INSERT INTO storage_samples (id, sampled_at, tier, used_bytes, recordings, free_bytes, capacity_bytes) VALUES " + values)
