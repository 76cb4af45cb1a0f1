"""Events written straight into a test server's database (the `events` table of
docs/design/events.md), for API tests that need many events at chosen instants without watching
a camera for minutes. Stored as the server stores them (see support/db.py): on SQLite instants as
seconds since 1970, booleans as 0/1 and ids in the camera's own form; on PostgreSQL timestamptz,
boolean and uuid. `boxes` is JSON text with ISO 8601 times, as the API gives them.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field

from .db import DirectDatabase


def iso_ms(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass
class EventRow:
    """One event to write; `end` None makes it ongoing."""
    start: dt.datetime
    end: dt.datetime | None
    kind: str = "arrival"
    class_name: str = "person"
    source: str = "live"
    track_id: int = 1
    reviewed: bool = False
    locked: bool = False
    peak_confidence: float = 0.8
    artifacts: str = "pending"
    artifacts_error: str | None = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def last_seen(self) -> dt.datetime:
        return self.end or self.start + dt.timedelta(seconds=1)

    def boxes_json(self) -> str:
        return json.dumps([{"time": iso_ms(self.start), "x": 0.2, "y": 0.3, "width": 0.1, "height": 0.25,
                            "confidence": self.peak_confidence}])

    def dedupe_key(self, camera_id: str) -> str:
        return f"test:{camera_id}:{self.id}"


class EventRows(DirectDatabase):
    def add_events(self, camera_id: str, rows: list[EventRow]) -> None:
        now = dt.datetime.now(dt.timezone.utc)
        columns = ("id, camera_id, kind, class_name, track_id, source, start_at, end_at, last_seen_at, ongoing, peak_confidence,"
                   " from_state, to_state, boxes, recording_id, reviewed, locked, artifacts, artifacts_error, dedupe_key,"
                   " created_at, updated_at")
        if self.kind == "sqlite":
            with self._sqlite() as conn:
                cam = self._sqlite_id(conn, camera_id)
                conn.executemany(
                    f"INSERT INTO events ({columns}) VALUES (?,?,?,?,?,?,?,?,?,?,?,NULL,NULL,?,NULL,?,?,?,?,?,?,?)",
                    [(self._like(cam, uuid.UUID(r.id)), cam, r.kind, r.class_name, r.track_id, r.source, r.start.timestamp(),
                      r.end.timestamp() if r.end else None, r.last_seen.timestamp(), int(r.end is None), r.peak_confidence,
                      r.boxes_json(), int(r.reviewed), int(r.locked), r.artifacts, r.artifacts_error, r.dedupe_key(camera_id), now.timestamp(),
                      now.timestamp()) for r in rows])
            return
        q = self._q
        values = ",".join(
            f"('{r.id}', '{camera_id}', {q(r.kind)}, {q(r.class_name)}, {r.track_id}, {q(r.source)}, {q(r.start.isoformat())}, "
            f"{q(r.end.isoformat()) if r.end else 'NULL'}, {q(r.last_seen.isoformat())}, {str(r.end is None).lower()}, "
            f"{r.peak_confidence}, NULL, NULL, {q(r.boxes_json())}, NULL, {str(r.reviewed).lower()}, {str(r.locked).lower()}, "
            f"{q(r.artifacts)}, {q(r.artifacts_error) if r.artifacts_error else 'NULL'}, {q(r.dedupe_key(camera_id))}, now(), now())"
            for r in rows)
        self._psql(f"INSERT INTO events ({columns}) VALUES " + values)
