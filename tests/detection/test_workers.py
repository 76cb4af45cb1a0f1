"""Workers on other machines (docs/design/jobs.md): on PostgreSQL, `ronin worker` processes share
one queue with an API-and-recording node; no job runs twice, the backlog finishes, and when a
worker is killed in the middle of a job, another finishes it once the lease has run out; an idle
worker is woken by new jobs and told of cancels through NOTIFY. With
SQLite, `ronin worker` refuses and says why. `ronin analyze` queues a range and follows it.
"""
import datetime as dt
import os
import subprocess
import time

import pytest

from detection.analysis_helpers import ML_ENV, detections, jobs, wait_for_jobs
from recording.helpers import iso, utc
from support.footage import adopt_footage
from support.paths import RONIN_BIN
from support.server import RoninServer
from support.waiting import wait_for
from support.workers import WorkerProcess

LEASE = 6


class Worker(WorkerProcess):
    """One `ronin worker --kinds detect` process with a server's settings."""

    def __init__(self, server: RoninServer, name: str, **env: str) -> None:
        super().__init__(server, name, "detect", {**ML_ENV, "ML_JOB_LEASE_SECONDS": str(LEASE), **env})
        self.id = None

    def identity(self, api, timeout: float = 30) -> str:
        """Its worker id, once its pool reports in."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ids = [w["id"] for w in api.get("/api/ml/status").json()["workers"] if f":{self.proc.pid}:" in w["id"] and w["alive"]]
            if ids:
                self.id = ids[0]
                return self.id
            time.sleep(0.3)
        raise AssertionError(f"worker {self.proc.pid} never reported; see {self.log_path}")


@pytest.fixture
def shared(postgres):
    """An API-and-recording node on PostgreSQL (no workers of its own) with six recordings."""
    env = {"RONIN_RUN_PIPELINES": "true", "RONIN_RUN_WORKERS": "false", "ML_ENABLED": "true"}
    node = RoninServer("postgres", postgres.create_database(), "shared", env).start()
    workers: list[Worker] = []
    try:
        camera, _ = adopt_footage(node, node.login(), "Loading Bay", count=6, seconds=20)
        yield node, node.login(), camera, workers
    finally:
        for worker in workers:
            worker.stop()
        node.stop()


@pytest.mark.timeout(480)
def test_two_workers_share_the_backlog_and_finish_a_killed_workers_job(shared):
    node, api, camera, workers = shared
    workers += [Worker(node, "a"), Worker(node, "b")]
    ids = {worker.identity(api) for worker in workers}
    # The node's start-up backfill queued the six recordings; both workers take part.
    done = wait_for_jobs(api, lambda js: len(js) == 6 and all(j["state"] == "succeeded" for j in js), timeout=240,
                         camera_id=camera["id"])
    assert all(j["attempt"] == 1 for j in done), [(j["attempt"], j["lease_owner"]) for j in done]
    assert {j["lease_owner"] for j in done} == ids, "both workers took jobs"
    rows = {r["recording_id"]: r["result"]["detections"] for r in done}

    # Again, by hand, and one worker dies in the middle of a job.
    first = min(utc(j["run_at"]) for j in done) - dt.timedelta(hours=1)
    r = api.post("/api/analysis", json={"camera_ids": [camera["id"]], "start": iso(first),
                                        "end": iso(dt.datetime.now(dt.timezone.utc)), "force": True})
    assert r.status_code == 202 and r.json()["queued"] == 6, r.text
    running = wait_for_jobs(api, lambda js: any(j["state"] == "running" and j["progress"] > 0.05 for j in js), timeout=60,
                            camera_id=camera["id"])
    victim_job = next(j for j in running if j["state"] == "running" and j["progress"] > 0.05)
    victim = next(w for w in workers if w.id == victim_job["lease_owner"])
    survivor = next(w for w in workers if w is not victim)
    victim.proc.kill()
    killed_at = time.monotonic()
    done = wait_for_jobs(api, lambda js: all(j["state"] == "succeeded" for j in js), timeout=240, camera_id=camera["id"])
    finished = next(j for j in done if j["id"] == victim_job["id"])
    assert finished["attempt"] == 2 and finished["lease_owner"] == survivor.id, finished
    assert utc(finished["started_at"]) >= utc(victim_job["lease_expires_at"]) - dt.timedelta(seconds=1), "taken once the lease ran out"
    assert time.monotonic() - killed_at >= LEASE / 2
    assert all(j["attempt"] == 1 for j in done if j["id"] != victim_job["id"])
    # Nothing twice: each recording holds exactly what its last analysis found.
    for job in done:
        recording = api.get(f"/api/recordings/{job['recording_id']}").json()
        seen = detections(api, camera["id"], utc(recording["start"]), utc(recording["end"]) + dt.timedelta(seconds=1))
        mine = [d for d in seen if d["recording_id"] == job["recording_id"]]
        assert len(mine) == job["result"]["detections"] == rows[job["recording_id"]], job


@pytest.mark.timeout(300)
def test_an_idle_worker_elsewhere_is_woken_by_new_jobs_and_told_of_cancels(shared):
    """Through PostgreSQL's NOTIFY: a worker that would otherwise look for work only every ten
    minutes starts jobs queued on the server at once, and stops a job cancelled there at its
    next frame (not at its next heartbeat)."""
    node, api, camera, workers = shared
    # The node queued its six recordings at start-up; they are cancelled, so the worker starts idle.
    queued = wait_for_jobs(api, lambda js: len(js) == 6, timeout=30, camera_id=camera["id"])
    for job in queued:
        assert api.post(f"/api/jobs/{job['id']}/cancel").status_code == 200
    worker = Worker(node, "idle", JOB_POLL_SECONDS="600", ML_HISTORICAL_FPS="10")
    workers.append(worker)
    worker.identity(api)
    time.sleep(2)  # deliberately: the worker is asleep now, for ten minutes unless woken
    # The last two recordings, by hand.
    recent = sorted(api.get(f"/api/recordings/{j['recording_id']}").json()["start"] for j in queued)[-2]
    r = api.post("/api/analysis", json={"camera_ids": [camera["id"]], "start": recent,
                                        "end": iso(dt.datetime.now(dt.timezone.utc)), "force": True})
    assert r.status_code == 202 and r.json()["queued"] == 2, r.text
    running = wait_for_jobs(api, lambda js: any(j["state"] == "running" for j in js), timeout=60, camera_id=camera["id"])
    victim = next(j for j in running if j["state"] == "running")
    assert api.post(f"/api/jobs/{victim['id']}/cancel").status_code == 200
    wait_for(lambda: f"Job detect {victim['id']} cancelled while running: stopping it" in worker.log(), timeout=30)
    done = wait_for_jobs(api, lambda js: sum(j["state"] == "succeeded" for j in js) == 1, timeout=120, camera_id=camera["id"])
    assert len([j for j in done if j["state"] == "cancelled"]) == 5 and victim["id"] in {j["id"] for j in done if j["state"] == "cancelled"}


@pytest.mark.sqlite_only
def test_ronin_worker_refuses_sqlite_and_says_why(make_server):
    srv = make_server(start=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RONIN_")}
    env.update(srv.env)
    result = subprocess.run([str(RONIN_BIN), "worker"], env=env, cwd=srv.data_dir, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "needs PostgreSQL" in result.stderr and "ronin serve" in result.stderr, result.stderr


@pytest.mark.sqlite_only
@pytest.mark.timeout(300)
def test_ronin_analyze_queues_a_range_and_follows_it(make_server):
    srv = make_server(env={"RONIN_RUN_PIPELINES": "true", **ML_ENV})
    camera, _ = adopt_footage(srv, srv.login(), "Side Door", count=2, seconds=6)
    api = srv.login()
    wait_for_jobs(api, lambda js: len(js) == 2 and all(j["state"] == "succeeded" for j in js), timeout=120, camera_id=camera["id"])
    env = {k: v for k, v in os.environ.items() if not k.startswith("RONIN_")}
    env.update({**srv.env, **ML_ENV})
    now = dt.datetime.now(dt.timezone.utc)
    args = [str(RONIN_BIN), "analyze", "--camera", "side door", "--from", iso(now - dt.timedelta(hours=1)), "--to", iso(now)]
    result = subprocess.run(args, env=env, cwd=srv.data_dir, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Side Door: 2 recordings in the range; 0 queued, 0 already queued, 2 already analysed" in result.stdout
    forced = subprocess.run(args + ["--force"], env=env, cwd=srv.data_dir, capture_output=True, text=True, timeout=180)
    assert forced.returncode == 0, forced.stderr + forced.stdout
    lines = forced.stdout.splitlines()
    assert lines[0] == "Side Door: 2 recordings in the range; 2 queued, 0 already queued, 0 already analysed", lines
    assert lines[-1].startswith("2 of 2 done (100%)"), lines
    assert all(j["state"] == "succeeded" and j["priority"] == 30 for j in jobs(api, camera["id"]))
    unknown = subprocess.run([str(RONIN_BIN), "analyze", "--camera", "Nowhere", "--from", iso(now), "--to", iso(now + dt.timedelta(hours=1))],
                             env=env, cwd=srv.data_dir, capture_output=True, text=True, timeout=60)
    assert unknown.returncode != 0 and "no camera named 'Nowhere'" in unknown.stderr


@pytest.mark.sqlite_only
def test_a_server_on_sqlite_without_workers_says_nothing_will_run_its_jobs(make_server):
    srv = make_server(env={"ML_ENABLED": "true", "RONIN_RUN_WORKERS": "false"})
    assert "RONIN_RUN_WORKERS=false on SQLite: no process can run this server's detection jobs" in srv.log_text()
