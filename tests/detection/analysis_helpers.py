"""Helpers for the background-analysis tests: a server with detection on, and waiting on jobs."""
import datetime as dt
import time

from recording.helpers import iso

# Detection on (tests/support/server.py turns it off elsewhere); a short lease so a worker that
# dies is replaced within seconds.
ML_ENV = {"ML_ENABLED": "true", "ML_JOB_LEASE_SECONDS": "9"}


def all_pages(api, path: str, key: str, params: dict) -> tuple[list[dict], int, int]:
    """Every item of a cursor-paged list (`key`, `total`, `next_cursor`): the items, the total the
    server counted, and how many pages it took."""
    found, cursor, pages, total = [], None, 0, 0
    while True:
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        r = api.get(path, params=query)
        assert r.status_code == 200, r.text
        page = r.json()
        found += page[key]
        pages += 1
        total = page["total"]
        cursor = page["next_cursor"]
        if not cursor:
            return found, total, pages


def jobs(api, camera_id: str | None = None, **params) -> list[dict]:
    """Every detection job (of a camera), newest first, all pages; `kind=` names another kind
    (events queue artifacts and webhook jobs beside them)."""
    query = {"limit": 500, "kind": "detect", **params, **({"camera_id": camera_id} if camera_id else {})}
    return all_pages(api, "/api/jobs", "jobs", query)[0]


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
    query = {"camera_id": camera_id, "start": iso(start), "end": iso(end), "limit": 10000, **params}
    return all_pages(api, "/api/detections", "detections", query)[0]
