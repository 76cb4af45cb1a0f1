"""Every recording is analysed inside the NVR (docs/design/jobs.md): the test camera serves
vtest.avi, the server records it in short segments, and each finished segment gets a detection
job that finds the people (with boxes on them) and the parked van and car (as vehicles), which
the day's timeline then shows. A crash in the middle of a job loses nothing and duplicates
nothing; a recording that cannot be read is parked with the reason while the others go on, and
retrying it by hand works once the footage is back.
"""
import datetime as dt
import os
import shutil
import signal
import time

import pytest

from detection.analysis_helpers import ML_ENV, detections, jobs, wait_for_jobs
from detection.vtest_reference import CAR, PEOPLE, VAN, VEHICLES, iou, normalised
from recording.helpers import PIPELINE_ENV, add_camera, utc, wait_for_recordings
from support.footage import adopt_footage
from support.waiting import wait_for
from support.paths import REPO_ROOT

pytestmark = pytest.mark.sqlite_only  # footage, ffmpeg and the model, not the database: see tests/conftest.py


def box_of(detection: dict) -> tuple[float, float, float, float]:
    box = detection["box"]
    return box["x"], box["y"], box["width"], box["height"]


def succeeded_for(rows):
    def check(found):
        states = {j["recording_id"]: j["state"] for j in found}
        return all(states.get(r["id"]) == "succeeded" for r in rows)
    return check


@pytest.mark.timeout(420)
def test_every_recorded_segment_is_analysed_and_shows_on_the_timeline(make_server, test_camera):
    server = make_server(env={**PIPELINE_ENV, **ML_ENV})
    api = server.login()
    camera = add_camera(api, test_camera, "/vtest-noaudio")
    rows = wait_for_recordings(api, camera["id"], 4, timeout=90)[:4]
    found = wait_for_jobs(api, succeeded_for(rows), timeout=180, camera_id=camera["id"])
    for job in (j for j in found if j["recording_id"] in {r["id"] for r in rows}):
        assert job["kind"] == "detect" and job["attempt"] == 1 and job["priority"] == 20, job
        assert job["result"]["frames"] >= 8 and job["result"]["analysed"] >= 1, job

    start, end = utc(rows[0]["start"]), utc(rows[-1]["end"])
    seen = detections(api, camera["id"], start, end)
    people = [d for d in seen if d["class"] == "person"]
    assert len(people) >= 20, f"{len(people)} people in {len(rows)} segments of vtest.avi"
    for d in seen:
        box = d["box"]
        assert 0 <= box["x"] <= 1 and 0 <= box["y"] <= 1 and 0.005 < box["width"] <= 1 and 0.005 < box["height"] <= 1, d
        assert start <= utc(d["time"]) <= end and d["source"] == "historical" and d["recording_id"] in {r["id"] for r in rows}
    # Two analyses of one instant are never stored twice: one row per frame, class and track.
    assert len({(d["time"], d["class"], d["track_id"]) for d in seen}) == len(seen)
    # The parked van and car are found as vehicles, where they stand, in most segments.
    for name, reference in (("van", VAN), ("car", CAR)):
        segments_with_it = {d["recording_id"] for d in seen if d["class"] in VEHICLES
                            and iou(box_of(d), normalised(reference)) > 0.4}
        assert len(segments_with_it) >= 3, f"the parked {name} is found in {len(segments_with_it)} of {len(rows)} segments"

    day = start.strftime("%Y-%m-%d")
    timeline = api.get(f"/api/playback/{camera['id']}/timeline", params={"date": day, "tz": "UTC"}).json()
    assert timeline["counts"].get("person", 0) >= len([p for p in people if p["time"][:10] == day])
    assert any(m["class"] == "person" for m in timeline["markers"]), timeline["markers"]

    status = api.get("/api/ml/status").json()
    assert status["detection"]["available"] is True and status["detection"]["model"].startswith("yolov3-tiny.onnx#")
    assert [w for w in status["workers"] if w["alive"] and "detect" in w["kinds"]], status["workers"]


@pytest.mark.timeout(300)
def test_a_crash_in_the_middle_of_a_job_neither_loses_nor_duplicates(make_server):
    server = make_server(env={"RONIN_RUN_PIPELINES": "true", **ML_ENV, "ML_JOB_LEASE_SECONDS": "6"})
    camera, _ = adopt_footage(server, server.login(), "Backyard", count=1, seconds=60)
    api = server.login()
    # The start-up backfill queues the adopted minute; kill the server once a third is done.
    running = wait_for_jobs(api, lambda found: any(j["state"] == "running" and j["progress"] >= 0.3 for j in found),
                            timeout=120, camera_id=camera["id"])
    job = next(j for j in running if j["state"] == "running")
    assert job["priority"] == 10, "footage found at start-up is queued as backfill"
    server.stop(signal.SIGKILL)
    server.start()
    api = server.login()
    done = wait_for_jobs(api, lambda found: any(j["id"] == job["id"] and j["state"] == "succeeded" for j in found),
                         timeout=120, camera_id=camera["id"])
    finished = next(j for j in done if j["id"] == job["id"])
    assert finished["attempt"] == 2, finished
    assert len([j for j in done if j["recording_id"] == job["recording_id"]]) == 1, "one job per recording"
    recording = api.get(f"/api/recordings/{job['recording_id']}").json()
    seen = detections(api, camera["id"], utc(recording["start"]) - dt.timedelta(seconds=1), utc(recording["end"]) + dt.timedelta(seconds=1))
    assert len(seen) == finished["result"]["detections"] > 0
    assert len({(d["time"], d["class"], d["track_id"]) for d in seen}) == len(seen)
    # The boxes are on the people: the minute adopted is vtest.avi from 5 s on (support/footage.py),
    # so its instant t shows what vtest.avi shows at 5 + t.
    origin = utc(recording["start"])
    for moment, reference in PEOPLE:
        near = [d for d in seen if d["class"] == "person" and abs((utc(d["time"]) - origin).total_seconds() - (moment - 5)) <= 0.3]
        best = max((iou(box_of(d), normalised(reference)) for d in near), default=0)
        assert best > 0.4, f"no person box on {reference} at {moment} s of vtest.avi: {near}"
    assert "Took back 1 jobs left running by an earlier process" in server.log_text()


@pytest.mark.timeout(300)
def test_an_unreadable_recording_is_parked_and_the_others_go_on(make_server, tmp_path):
    server = make_server(env={"RONIN_RUN_PIPELINES": "true", **ML_ENV})
    camera, files = adopt_footage(server, server.login(), "Gate", count=3, seconds=6)
    api = server.login()
    broken = files[1]
    shutil.copy(broken, tmp_path / "kept.mp4")
    # Truncated as a failing disk would leave it: the file is there, its footage is not.
    with open(broken, "r+b") as handle:
        handle.truncate(2000)
    found = wait_for_jobs(api, lambda js: len(js) == 3 and all(j["state"] in ("succeeded", "parked") for j in js), timeout=180,
                          camera_id=camera["id"])
    parked = [j for j in found if j["state"] == "parked"]
    assert len(parked) == 1 and len([j for j in found if j["state"] == "succeeded"]) == 2, found
    assert parked[0]["attempt"] == 1, "an unreadable file is not retried in vain"
    assert "decode" in parked[0]["last_error"] or "cannot be read" in parked[0]["last_error"], parked[0]["last_error"]
    status = api.get("/api/ml/status").json()
    assert next(q for q in status["queues"] if q["kind"] == "detect")["parked"] == 1

    # The footage comes back (restored from a backup): retrying the parked job analyses it.
    shutil.copy(tmp_path / "kept.mp4", broken)
    os.utime(broken, (files[2].stat().st_mtime - 6,) * 2)
    r = api.post(f"/api/jobs/{parked[0]['id']}/retry")
    assert r.status_code == 200 and r.json()["state"] == "queued" and r.json()["attempt"] == 0, r.text
    done = wait_for_jobs(api, lambda js: all(j["state"] == "succeeded" for j in js), timeout=120, camera_id=camera["id"])
    assert next(j for j in done if j["id"] == parked[0]["id"])["attempt"] == 1


@pytest.mark.timeout(300)
def test_without_a_model_jobs_wait_and_the_status_says_why(make_server, tmp_path):
    model = tmp_path / "models" / "yolov3-tiny.onnx"
    server = make_server(env={"RONIN_RUN_PIPELINES": "true", **ML_ENV, "ML_MODEL_PATH": str(model)})
    camera, _ = adopt_footage(server, server.login(), "Drive", count=2, seconds=4)
    api = server.login()
    wait_for_jobs(api, lambda js: len(js) == 2, timeout=30, camera_id=camera["id"])
    status = api.get("/api/ml/status").json()
    assert status["detection"]["available"] is False and f"no model at {model}" in status["detection"]["reason"], status
    workers = wait_for(lambda: [w for w in api.get("/api/ml/status").json()["workers"] if w["reason"]], timeout=30)
    assert workers[0]["detection_available"] is False and "no model" in workers[0]["reason"]
    time.sleep(3)  # deliberately: nothing may happen to the jobs meanwhile
    assert [j["state"] for j in jobs(api, camera["id"])] == ["queued", "queued"], "not failed, not parked: waiting"
    # The model arrives (provisioned late): the waiting jobs run within the half-minute recheck.
    model.parent.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "models" / "yolov3-tiny.onnx", model)
    wait_for_jobs(api, lambda js: all(j["state"] == "succeeded" for j in js), timeout=120, camera_id=camera["id"])
    assert api.get("/api/ml/status").json()["detection"]["available"] is True



@pytest.mark.timeout(300)
def test_without_onnx_runtime_jobs_wait_and_the_status_says_why(make_server, tmp_path):
    missing = tmp_path / "no-such-folder" / "libonnxruntime.so"
    server = make_server(env={"RONIN_RUN_PIPELINES": "true", **ML_ENV, "ORT_LIBRARY_PATH": str(missing)})
    camera, _ = adopt_footage(server, server.login(), "Porch", count=1, seconds=4)
    api = server.login()
    wait_for_jobs(api, lambda js: len(js) == 1, timeout=30, camera_id=camera["id"])
    status = api.get("/api/ml/status").json()
    assert status["detection"]["available"] is False and str(missing) in status["detection"]["reason"], status["detection"]
    workers = wait_for(lambda: [w for w in api.get("/api/ml/status").json()["workers"] if w["reason"]], timeout=30)
    assert workers[0]["detection_available"] is False and str(missing) in workers[0]["reason"], workers
    time.sleep(3)  # deliberately: nothing may happen to the job meanwhile
    assert [j["state"] for j in jobs(api, camera["id"])] == ["queued"], "not failed, not parked: waiting"
    assert "Cannot queue" not in server.log_text()


@pytest.mark.timeout(300)
def test_a_running_job_that_is_cancelled_stops_at_once_and_writes_nothing(make_server):
    # A long lease: the heartbeat (a third of it) would notice the cancel only after 40 s.
    # Ten frames a second of a minute of busy footage: the job runs long enough to be cancelled.
    server = make_server(env={"RONIN_RUN_PIPELINES": "true", **ML_ENV, "ML_JOB_LEASE_SECONDS": "120", "ML_HISTORICAL_FPS": "10"})
    camera, _ = adopt_footage(server, server.login(), "Shed", count=1, seconds=60)
    api = server.login()
    running = wait_for_jobs(api, lambda found: any(j["state"] == "running" for j in found), timeout=120, camera_id=camera["id"])
    job = next(j for j in running if j["state"] == "running")
    r = api.post(f"/api/jobs/{job['id']}/cancel")
    assert r.status_code == 200 and r.json()["state"] == "cancelled", r.text
    # The pool is told at once (not at its next heartbeat) and stops the handler at its next frame.
    wait_for(lambda: f"Job detect {job['id']} cancelled while running: stopping it" in server.log_text(), timeout=30)
    wait_for(lambda: "stopped: cancelled or taken over" in server.log_text(), timeout=30)
    workers = api.get("/api/ml/status").json()["workers"]
    assert not [j for w in workers for j in w["jobs"] if j["id"] == job["id"]], workers
    recording = api.get(f"/api/recordings/{job['recording_id']}").json()
    assert detections(api, camera["id"], utc(recording["start"]) - dt.timedelta(seconds=1),
                      utc(recording["end"]) + dt.timedelta(seconds=1)) == []
    after = api.get(f"/api/jobs/{job['id']}").json()
    assert after["state"] == "cancelled" and after["progress"] < 1 and after["result"] is None, after
