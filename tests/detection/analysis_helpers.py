"""Helpers for the background-analysis tests: a server with detection on, and waiting on jobs."""
import datetime as dt
import time

from recording.helpers import iso

# Detection on (tests/support/server.py turns it off elsewhere); a short lease so a worker that
# dies is replaced within seconds.
ML_ENV = {"ML_ENABLED": "true", "ML_JOB_LEASE_SECONDS": "9"}


def jobs(api, camera_id: str | None = None, **params) -> list[dict]:
    """Every job (of a camera), newest first, all pages."""
    found, cursor = [], None
    while True:
        query = {"limit": 500, **params}
        if camera_id:
            query["camera_id"] = camera_id
        if cursor:
            query["cursor"] = cursor
        r = api.get("/api/jobs", params=query)
        assert r.status_code == 200, r.text
        page = r.json()
        found += page["jobs"]
        cursor = page["next_cursor"]
        if not cursor:
            return found


def wait_for_jobs(api, check, timeout: float, camera_id: str | None = None, **params) -> list[dict]:
    """Polls the job list until `check(jobs)` holds; returns the jobs, or fails with the last list."""
    deadline = time.monotonic() + timeout
    found = []
    while time.monotonic() < deadline:
        found = jobs(api, camera_id, **params)
        if check(found):
            return found
        time.sleep(0.5)
    summary = [(j["state"], j["attempt"], j["progress"], j["last_error"]) for j in found]
    raise AssertionError(f"jobs never reached the expected state within {timeout} s: {summary}")


def detections(api, camera_id: str, start: dt.datetime, end: dt.datetime, **params) -> list[dict]:
    """Every detection of a camera in [start, end), all pages."""
    found, cursor = [], None
    while True:
        query = {"camera_id": camera_id, "start": iso(start), "end": iso(end), "limit": 10000, **params}
        if cursor:
            query["cursor"] = cursor
        r = api.get("/api/detections", params=query)
        assert r.status_code == 200, r.text
        page = r.json()
        found += page["detections"]
        cursor = page["next_cursor"]
        if not cursor:
            return found
