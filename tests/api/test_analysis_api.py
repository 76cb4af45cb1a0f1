"""Backfill and the job queue through the API (docs/api.md, Detection and background jobs), on
both databases: footage found at start-up is queued once, newest first; a range can be queued by
hand; jobs are listed, filtered, paged, cancelled and retried; bad input gets a clear 4xx.

The server here runs no workers (RONIN_RUN_WORKERS=false, an API-and-recording node), so the
jobs stay where the API puts them.
"""
import datetime as dt

import pytest

from detection.analysis_helpers import jobs, wait_for_jobs
from recording.helpers import iso
from support.footage import adopt_footage

from .helpers import assert_error


@pytest.fixture
def node(make_server):
    srv = make_server(env={"RONIN_RUN_PIPELINES": "true", "RONIN_RUN_WORKERS": "false", "ML_ENABLED": "true"})
    camera, _ = adopt_footage(srv, srv.login(), "Porch", count=3, seconds=4)
    api = srv.login()
    queued = wait_for_jobs(api, lambda found: len(found) >= 3, timeout=30, camera_id=camera["id"])
    return srv, api, camera, queued


def span(api, camera_id):
    now = dt.datetime.now(dt.timezone.utc)
    rows = api.get("/api/recordings", params={"camera_id": camera_id, "start": iso(now - dt.timedelta(hours=1)),
                                              "end": iso(now + dt.timedelta(minutes=5))}).json()
    return rows


def test_footage_found_at_start_up_is_queued_once_newest_first(node):
    srv, api, camera, queued = node
    rows = span(api, camera["id"])
    assert len(rows) == 3 and len(queued) == 3
    assert {j["recording_id"] for j in queued} == {r["id"] for r in rows}
    for job in queued:
        assert job["state"] == "queued" and job["kind"] == "detect" and job["priority"] == 10 and job["attempt"] == 0
        assert job["payload"] == {"recording_id": job["recording_id"]} and job["camera_id"] == camera["id"]
    by_start = {r["id"]: r["start"] for r in rows}
    order = sorted(queued, key=lambda j: j["run_at"])
    assert [by_start[j["recording_id"]] for j in order] == sorted(by_start.values(), reverse=True), "newest first"
    # A restart does not queue them again.
    srv.stop()
    srv.start()
    assert len(jobs(srv.login(), camera["id"])) == 3
    status = srv.login().get("/api/ml/status").json()
    detect = next(q for q in status["queues"] if q["kind"] == "detect")
    assert detect["queued"] == 3 and 11 <= detect["backlog_seconds"] <= 13, detect
    # This node runs no detection workers (only the storage workers every server runs).
    assert status["detection"]["available"] is True and not [w for w in status["workers"] if "detect" in w["kinds"]], status["workers"]


def test_a_range_is_queued_by_hand_and_jobs_are_cancelled_and_retried(node):
    _, api, camera, queued = node
    rows = span(api, camera["id"])
    body = {"camera_ids": [camera["id"]], "start": rows[0]["start"], "end": rows[-1]["end"]}
    r = api.post("/api/analysis", json=body)
    assert r.status_code == 202, r.text
    assert r.json() == {"recordings": 3, "queued": 0, "already_analysed": 0, "already_queued": 3}

    victim = queued[0]
    cancelled = api.post(f"/api/jobs/{victim['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled" and cancelled.json()["finished_at"]
    assert_error(api.post(f"/api/jobs/{victim['id']}/cancel"), 409, "conflict")
    assert [j["id"] for j in jobs(api, camera["id"], state="cancelled")] == [victim["id"]]
    # Asking for the range again brings back what was cancelled.
    again = api.post("/api/analysis", json=body).json()
    assert again == {"recordings": 3, "queued": 1, "already_analysed": 0, "already_queued": 2}
    job = api.get(f"/api/jobs/{victim['id']}").json()
    assert job["state"] == "queued" and job["priority"] == 30, "a person's request outranks the start-up backfill"

    assert_error(api.post(f"/api/jobs/{victim['id']}/retry"), 409, "conflict")
    api.post(f"/api/jobs/{victim['id']}/cancel")
    retried = api.post(f"/api/jobs/{victim['id']}/retry")
    assert retried.status_code == 200 and retried.json()["state"] == "queued" and retried.json()["attempt"] == 0


def test_jobs_are_listed_filtered_and_paged(node):
    _, api, camera, queued = node
    pages, cursor = [], None
    while True:
        params = {"limit": 2, "camera_id": camera["id"]}
        if cursor:
            params["cursor"] = cursor
        page = api.get("/api/jobs", params=params).json()
        assert page["total"] == 3
        pages.append([j["id"] for j in page["jobs"]])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert [len(p) for p in pages] == [2, 1]
    assert sorted(sum(pages, [])) == sorted(j["id"] for j in queued)
    assert api.get("/api/jobs", params={"state": "running,parked"}).json()["jobs"] == []
    assert api.get("/api/jobs", params={"kind": "detect", "state": "queued"}).json()["total"] >= 3
    one = api.get(f"/api/jobs/{queued[0]['id']}")
    assert one.status_code == 200 and one.json() == next(j for j in jobs(api, camera["id"]) if j["id"] == queued[0]["id"])


@pytest.mark.parametrize("params", [{"state": "sleeping"}, {"limit": "0"}, {"limit": "501"}, {"limit": "x"},
                                    {"camera_id": "not-a-uuid"}, {"cursor": "v1.garbage"}, {"kind": "../etc"}])
def test_bad_job_list_parameters_are_400(admin_api, params):
    assert_error(admin_api.get("/api/jobs", params=params), 400, "bad_request")


def test_unknown_or_malformed_job_ids(admin_api):
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_error(admin_api.get(f"/api/jobs/{unknown}"), 404, "not_found")
    assert_error(admin_api.post(f"/api/jobs/{unknown}/cancel"), 404, "not_found")
    assert_error(admin_api.post(f"/api/jobs/{unknown}/retry"), 404, "not_found")
    assert_error(admin_api.get("/api/jobs/nope"), 400, "bad_request")


def test_bad_analysis_requests_get_4xx_and_queue_nothing(admin_api, cameras):
    cam = cameras.create()
    now = dt.datetime.now(dt.timezone.utc)
    good = {"camera_ids": [cam["id"]], "start": iso(now - dt.timedelta(hours=1)), "end": iso(now)}
    before = admin_api.get("/api/jobs").json()["total"]
    cases = [
        ({**good, "camera_ids": ["00000000-0000-4000-8000-000000000000"]}, 404, "not_found"),
        ({**good, "camera_ids": []}, 422, "validation_failed"),
        ({**good, "camera_ids": ["nope"]}, 400, "bad_request"),
        ({**good, "end": good["start"]}, 400, "bad_request"),
        ({**good, "start": iso(now - dt.timedelta(days=400))}, 400, "bad_request"),
        ({**good, "start": "yesterday"}, 400, "bad_request"),
        ({"camera_ids": [cam["id"]], "start": good["start"]}, 400, "bad_request"),
        ({**good, "force": "yes"}, 400, "bad_request"),
    ]
    for body, status, code in cases:
        assert_error(admin_api.post("/api/analysis", json=body), status, code)
    assert_error(admin_api.post("/api/analysis", data=b"{nope", headers={"Content-Type": "application/json"}), 400, "bad_request")
    # Detection is off on this server (tests/support/server.py): a valid request says so.
    assert_error(admin_api.post("/api/analysis", json=good), 422, "validation_failed")
    assert admin_api.get("/api/jobs").json()["total"] == before


def test_ml_status_says_why_detection_cannot_run(server, viewer_api):
    status = viewer_api.get("/api/ml/status")
    assert status.status_code == 200
    detection = status.json()["detection"]
    assert detection["enabled"] is False and detection["available"] is False
    assert "ML_ENABLED=false" in detection["reason"]
