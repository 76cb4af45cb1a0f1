"""The Status page's Detection section in a real browser, against servers whose detection can run,
cannot run (no model), and is switched off.

With the provisioned model, an admin queues the analysis of two recordings of a camera, a good
one and a damaged file, and watches the section: detection is running with the model on the CPU,
the in-process worker pool reports, the queue counts follow the server's, and the damaged
recording's job ends up parked or failed with its reason. The admin opens the parked and failed
jobs, repairs the file and retries the job, which then succeeds. A viewer sees the same section
without the admin's controls. Every figure on the page is compared with GET /api/ml/status.
"""
from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from recording.helpers import iso
from support.net import free_port
from support.paths import REPO_ROOT

from .overlay_scene import CAR, PERSON, Scene, SceneRows
from .ui import UI, css_string, tid

pytestmark = pytest.mark.sqlite_only  # the page, not the database: tests/api checks jobs on both

MODEL = REPO_ROOT / "models" / "yolov3-tiny.onnx"
JOB_WAIT = 150  # a damaged file fails three times with backoff (10 s, 40 s) before it is parked


def ml_status(api) -> dict:
    r = api.get("/api/ml/status")
    assert r.status_code == 200, r.text
    return r.json()


def jobs(api, states: str) -> list[dict]:
    r = api.get("/api/jobs", params={"state": states, "limit": 500})
    assert r.status_code == 200, r.text
    return r.json()["jobs"]


def add_camera(api, name: str) -> dict:
    r = api.post("/api/cameras", params={"validate": "false"},
                 json={"name": name, "host": "127.0.0.1", "port": free_port(), "stream_path": "/main", "enabled": False})
    assert r.status_code == 201, r.text
    return r.json()


def open_status(ui: UI, username: str, password: str) -> None:
    ui.open("/status")
    ui.login(username, password)
    ui.find("status-page")
    ui.d.execute_script("arguments[0].scrollIntoView()", ui.find("detection-panel"))


def queue_counts(ui: UI) -> dict[str, tuple[int, ...]]:
    return {row.get_attribute("data-kind"): tuple(int(row.get_attribute(f"data-{k}")) for k in ("queued", "running", "failed", "parked"))
            for row in ui.all("queue-row")}


def api_counts(status: dict) -> dict[str, tuple[int, ...]]:
    return {q["kind"]: (q["queued"], q["running"], q["failed"], q["parked"]) for q in status["queues"]}


def check_matches_api(ui: UI, api) -> dict:
    """The section shows what GET /api/ml/status says (read again until a refresh lines up)."""
    def same():
        status = ml_status(api)
        panel = ui.find("detection-availability")
        detection = status["detection"]
        if (panel.get_attribute("data-enabled"), panel.get_attribute("data-available")) != \
                (str(detection["enabled"]).lower(), str(detection["available"]).lower()):
            return False
        if queue_counts(ui) != api_counts(status):
            return False
        shown_workers = {r.get_attribute("data-worker-id"): r.get_attribute("data-alive") for r in ui.all("worker-row")}
        if shown_workers != {w["id"]: str(w["alive"]).lower() for w in status["workers"]}:
            return False
        shown_live = {r.get_attribute("data-camera-id").lower(): r.get_attribute("data-state") for r in ui.all("live-status-row")}
        if shown_live != {c["camera_id"].lower(): c["state"] for c in status.get("live", [])}:
            return False
        backlog = sum(q["backlog_seconds"] for q in status["queues"])
        return status if abs(float(ui.find("detection-backlog").get_attribute("data-seconds")) - backlog) < 1e-6 else False

    return ui.until(same, 20, f"the Detection section never matched {ml_status(api)}")


def test_admin_watches_detection_and_retries_a_parked_job(make_server, ui: UI, shot):
    assert MODEL.exists(), f"{MODEL} is missing: scripts/install-deps.sh provisions it"
    srv = make_server(env={"ML_ENABLED": "true", "ML_MODEL_PATH": str(MODEL)})
    api = srv.login()
    camera = add_camera(api, "Orchard")
    rows = SceneRows(srv)
    start = dt.datetime(2026, 2, 3, 9, 0, tzinfo=dt.timezone.utc)
    good = Scene(frame=(640, 360), seconds=6, start=start, shapes=(PERSON, CAR))
    good.write_footage(Path(srv.env["STORAGE_ROOT"]) / "orchard/09-00-00.mp4")
    rows.add_recording(camera["id"], start, 6, "orchard/09-00-00.mp4", good.frame)
    damaged = Path(srv.env["STORAGE_ROOT"]) / "orchard/09-00-06.mp4"
    damaged.write_bytes(b"\x00\x00\x00\x18ftypisom" + b"not a video " * 500)
    damaged_id = rows.add_recording(camera["id"], start + dt.timedelta(seconds=6), 6, "orchard/09-00-06.mp4", good.frame)

    # -- the admin opens Status: detection runs here, the pool reports -------------------------------
    ui.base_url = srv.base_url
    open_status(ui, srv.admin_username, srv.admin_password)
    status = check_matches_api(ui, api)
    assert status["detection"]["available"], status["detection"]
    assert ui.find("detection-state").text == "Running"
    detail = ui.find("detection-detail").text
    assert "CPU" in detail and f"{status['detection']['historical_fps']:g} frame" in detail, detail
    if status["detection"]["model"]:
        assert status["detection"]["model"] in detail, (detail, status["detection"])
    assert any(w["alive"] for w in status["workers"]), status["workers"]
    alive = next(w for w in status["workers"] if w["alive"])
    row = ui.d.find_element(By.CSS_SELECTOR, f'{tid("worker-row")}[data-worker-id={css_string(alive["id"])}]')
    assert row.get_attribute("data-host") == alive["host"] and alive["host"] in row.text
    assert row.find_element(By.CSS_SELECTOR, tid("worker-alive")).text == "Alive"
    assert row.find_element(By.CSS_SELECTOR, tid("worker-heartbeat")).text.endswith(" ago")
    assert ui.present("problem-jobs-button"), "admins can see parked and failed jobs"
    # The camera is switched off: its live detection says so.
    live_row = ui.find("live-status-row")
    assert live_row.get_attribute("data-state") == "off" and "Orchard" in live_row.text and "Off" in live_row.text, live_row.text
    shot("01-running")

    # -- queue both recordings: the good one is analysed, the damaged one fails -----------------------
    r = api.post("/api/analysis", json={"camera_ids": [camera["id"]], "start": iso(start), "end": iso(start + dt.timedelta(seconds=12))})
    assert r.status_code == 202, r.text
    assert r.json()["recordings"] == 2, r.json()
    deadline = time.monotonic() + JOB_WAIT
    troubled: list[dict] = []
    while time.monotonic() < deadline:
        troubled = [j for j in jobs(api, "parked,failed") if (j["recording_id"] or "").lower() == damaged_id.lower()]
        if troubled and troubled[0]["last_error"]:
            break
        time.sleep(1)
    assert troubled, f"the damaged recording's job never failed: {jobs(api, 'queued,running,failed,parked,succeeded')}"
    job = troubled[0]
    status = check_matches_api(ui, api)
    assert status["queues"] and ui.find("detection-backlog").text, status
    button = ui.find("problem-jobs-button")
    ui.until(lambda: int(ui.find("problem-jobs-button").get_attribute("data-count")) >= 1, message="the button counts the job")
    assert "Parked and failed jobs (" in button.text, button.text
    shot("02-job-in-trouble")

    # -- the admin looks at the job, repairs the file and retries it ----------------------------------------
    ui.click("problem-jobs-button")
    dialog = ui.find("jobs-dialog")
    ui.until(lambda: ui.present("job-row"), message="the job is listed")
    job_row = dialog.find_element(By.CSS_SELECTOR, f'{tid("job-row")}[data-job-id={css_string(job["id"])}]')
    assert job_row.get_attribute("data-state") in ("parked", "failed")
    assert "Orchard" in job_row.text, job_row.text
    assert job["last_error"][:40] in job_row.text, (job_row.text, job["last_error"])
    shot("03-parked-and-failed")
    shutil.copyfile(Path(srv.env["STORAGE_ROOT"]) / "orchard/09-00-00.mp4", damaged)
    job_row.find_element(By.CSS_SELECTOR, tid("job-retry")).click()
    ui.wait_toast("queued again")
    ui.until(lambda: not dialog.find_elements(By.CSS_SELECTOR, f'{tid("job-row")}[data-job-id={css_string(job["id"])}]'),
             message="the retried job leaves the list")
    shot("04-retried")
    dialog.find_element(By.CSS_SELECTOR, "button[aria-label='Close dialog']").click()
    ui.gone("jobs-dialog")

    def succeeded():
        r = api.get(f"/api/jobs/{job['id']}")
        assert r.status_code == 200, r.text
        return r.json() if r.json()["state"] == "succeeded" else False

    done = ui.until(succeeded, 60, f"the retried job {job['id']} never succeeded")
    assert done["attempt"] == 1, done
    ui.until(lambda: ui.find("problem-jobs-button").get_attribute("data-count") == "0", 20, "the count drops to none")
    assert ui.find("problem-jobs-button").text == "Parked and failed jobs"
    status = check_matches_api(ui, api)
    assert all(q["queued"] == q["running"] == 0 for q in status["queues"]), status["queues"]
    # with nothing left to do, no pool says it is still working on a job
    ui.until(lambda: not ui.present("worker-job") and not any(w["jobs"] for w in ml_status(api)["workers"]), 20,
             f"a pool still reports finished jobs: {ml_status(api)['workers']}")
    shot("05-all-analysed")

    # -- on a phone the section stacks -------------------------------------------------------------------------
    ui.viewport(390, 844, mobile=True)
    ui.d.execute_script("arguments[0].scrollIntoView()", ui.find("detection-panel"))
    shot("06-phone")
    ui.viewport(1400, 900)

    # -- a viewer sees the section, without the admin's controls --------------------------------------------------
    r = api.post("/api/users", json={"username": "gardener", "password": "gardener-pass-1", "role": "viewer"})
    assert r.status_code == 201, r.text
    ui.sign_out()
    open_status(ui, "gardener", "gardener-pass-1")
    check_matches_api(ui, srv.login("gardener", "gardener-pass-1"))
    assert not ui.present("problem-jobs-button"), "viewers get no job controls"
    shot("07-viewer")


def test_detection_says_why_it_cannot_run(make_server, ui: UI, shot, tmp_path):
    # -- no model file: not available, and the reason in the server's words -------------------------------
    missing = make_server(env={"ML_ENABLED": "true", "ML_MODEL_PATH": str(tmp_path / "no-such-model.onnx")})
    api = missing.login()
    ui.base_url = missing.base_url
    open_status(ui, missing.admin_username, missing.admin_password)
    status = check_matches_api(ui, api)
    assert not status["detection"]["available"] and status["detection"]["reason"], status["detection"]
    assert ui.find("detection-state").text == "Not available"
    assert ui.find("detection-detail").text == status["detection"]["reason"]
    assert "no-such-model.onnx" in ui.find("detection-detail").text
    shot("01-no-model")

    # -- switched off: said so, not shown as a fault -----------------------------------------------------------
    off = make_server(env={"ML_ENABLED": "false"})
    api = off.login()
    ui.base_url = off.base_url  # another server (another origin): sign in there
    open_status(ui, off.admin_username, off.admin_password)
    status = check_matches_api(ui, api)
    assert status["detection"]["enabled"] is False, status["detection"]
    assert ui.find("detection-state").text == "Switched off"
    assert ui.find("detection-availability").get_attribute("class").split()[-1] == "detection-off"
    shot("02-switched-off")
