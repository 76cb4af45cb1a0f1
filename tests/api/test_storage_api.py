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
