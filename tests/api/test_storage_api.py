"""The storage API's answers to bad input and to viewers (docs/api.md, Storage): policies refuse
values they cannot use, naming the field, and store nothing; moving by hand needs a tier the
server has; viewers read storage without its folders and buckets.
"""


def test_storage_policies_refuse_bad_values_naming_the_field(admin_api, viewer_api, cameras):
    cases = [({"retention_max_age": "forever"}, "retention_max_age"), ({"hot_max_gb": -2}, "hot_max_gb"),
             ({"hot_max_age": "12"}, "hot_max_age"), ({"warm_max_gb": True}, "warm_max_gb"), ({"shelf_life": "1d"}, "shelf_life"),
             ({"min_free_gb": [1]}, "min_free_gb")]
    before = admin_api.get("/api/storage/policy").json()
    for body, field in cases:
        r = admin_api.put("/api/storage/policy", json=body)
        assert r.status_code == 422 and r.json()["error"] == "validation_failed" and field in r.json()["message"], (body, r.text)
    assert admin_api.put("/api/storage/policy", data=b"{nope", headers={"Content-Type": "application/json"}).status_code == 400
    assert admin_api.get("/api/storage/policy").json() == before, "nothing was stored"
    assert viewer_api.put("/api/storage/policy", json={"retention_max_age": "7d"}).status_code == 403
    cam = cameras.create()
    r = admin_api.put(f"/api/storage/cameras/{cam['id']}", json={"retention_max_gb": 0.5, "priority": 10})
    assert r.status_code == 200 and r.json()["priority"] == 10, r.text
    status = admin_api.get("/api/storage").json()
    mine = next(c for c in status["cameras"] if c["camera_id"].lower() == cam["id"].lower())
    assert mine["priority"] == 10 and mine["retention"]["max_bytes"] == 500_000_000
    for body in ({"priority": 101}, {"priority": "high"}, {"hot_max_age": "1d"}):
        assert admin_api.put(f"/api/storage/cameras/{cam['id']}", json=body).status_code == 422, body
    assert admin_api.put("/api/storage/cameras/00000000-0000-0000-0000-000000000000", json={}).status_code == 404
    # Moving by hand needs a tier this server has, below hot, and cameras that exist.
    now = "2026-12-01T00:00:00Z"
    for body, status_code in [({"camera_ids": [cam["id"]], "before": now, "to_tier": "warm"}, 422),
                              ({"camera_ids": [cam["id"]], "before": now, "to_tier": "hot"}, 422),
                              ({"camera_ids": [cam["id"]], "before": now, "to_tier": "lukewarm"}, 422),
                              ({"camera_ids": [], "before": now, "to_tier": "cold"}, 422),
                              ({"camera_ids": [cam["id"]], "before": "soon", "to_tier": "cold"}, 400)]:
        r = admin_api.post("/api/storage/migrate", json=body)
        assert r.status_code == status_code, (body, r.status_code, r.text)
    assert viewer_api.get("/api/storage").json()["tiers"][0]["location"] is None
    assert admin_api.get("/api/storage").json()["tiers"][0]["location"]
    assert admin_api.get("/api/storage/history", params={"hours": 0}).status_code == 400
    assert admin_api.get("/api/storage/deletions", params={"cursor": "nope"}).status_code == 400


def test_footage_moved_by_hand_lands_in_warm_storage_on_either_database(make_server, tmp_path):
    """The move's statements (claim, the tier switch inside the transaction that checks the job is
    still held, the source's removal) on the database under test."""
    import datetime as dt
    from support.db import DirectDatabase
    from support.waiting import wait_for
    warm = tmp_path / "warm"
    warm.mkdir()
    srv = make_server({"WARM_STORAGE_PATH": str(warm), "STORAGE_CHECK_SECONDS": "1", "STORAGE_MIN_FREE_GB": "0.01"})
    api = srv.login()
    r = api.post("/api/cameras", params={"validate": "false"}, json={"name": "Dock", "host": "127.0.0.1", "port": 9, "enabled": False})
    camera = r.json()
    start = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.timezone.utc)
    DirectDatabase(srv).add_recordings(camera["id"], [(start + dt.timedelta(minutes=15 * n), start + dt.timedelta(minutes=15 * (n + 1)))
                                                      for n in range(3)], folder="Dock")
    query = {"camera_id": camera["id"], "start": "2026-01-05T00:00:00Z", "end": "2026-01-06T00:00:00Z"}
    rows = api.get("/api/recordings", params=query).json()
    for n, row in enumerate(rows):
        path = srv.data_dir / "storage" / row["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes([n]) * 1000)
    r = api.post("/api/storage/migrate", json={"camera_ids": [camera["id"]], "before": "2026-01-05T08:31:00Z", "to_tier": "warm"})
    assert r.status_code == 202 and r.json()["recordings"] == 2 and r.json()["queued"] == 2, r.text
    wait_for(lambda: [x["tier"] for x in api.get("/api/recordings", params=query).json()] == ["warm", "warm", "hot"], timeout=60)
    for n, row in enumerate(rows[:2]):
        assert (warm / row["path"]).read_bytes() == bytes([n]) * 1000
        assert not (srv.data_dir / "storage" / row["path"]).exists()
    jobs = api.get("/api/jobs", params={"kind": "migrate"}).json()["jobs"]
    assert len(jobs) == 2 and all(j["state"] == "succeeded" and j["attempt"] == 1 for j in jobs), jobs
    assert api.get(rows[0]["file_url"]).content == bytes([0]) * 1000
