"""GET /api/storage/policy reports each camera's own storage document (retention and priority)
beside the global one, as PUT /api/storage/cameras/{id} stored it, so a form can show what a
camera has of its own and what it inherits; viewers read it, only admins change it."""
import uuid


def test_policy_lists_cameras_own_documents(admin_api, viewer_api, cameras):
    a = cameras.create(name=f"own-a-{uuid.uuid4().hex[:6]}")
    b = cameras.create(name=f"own-b-{uuid.uuid4().hex[:6]}")
    r = admin_api.put(f"/api/storage/cameras/{a['id']}", json={"retention_max_age": "14d", "priority": 80})
    assert r.status_code == 200, r.text
    assert r.json() == {"retention_max_age": "14d", "priority": 80}
    r = admin_api.put(f"/api/storage/cameras/{b['id']}", json={"retention_max_gb": 0.5})
    assert r.status_code == 200, r.text
    answer = viewer_api.get("/api/storage/policy")
    assert answer.status_code == 200, answer.text
    own = {c["camera_id"].lower(): c["document"] for c in answer.json()["cameras"]}
    assert own[a["id"].lower()] == {"retention_max_age": "14d", "priority": 80}
    assert own[b["id"].lower()] == {"retention_max_gb": "0.5"}
    # A refused value names its field and changes nothing.
    r = admin_api.put(f"/api/storage/cameras/{a['id']}", json={"priority": 150})
    assert r.status_code == 422 and r.json()["message"].startswith("priority:"), r.text
    assert viewer_api.put(f"/api/storage/cameras/{a['id']}", json={"priority": 10}).status_code == 403
    again = {c["camera_id"].lower(): c["document"] for c in viewer_api.get("/api/storage/policy").json()["cameras"]}
    assert again[a["id"].lower()] == {"retention_max_age": "14d", "priority": 80}
    # Emptied, a camera's document says nothing of its own.
    assert admin_api.put(f"/api/storage/cameras/{b['id']}", json={}).status_code == 200
    emptied = {c["camera_id"].lower(): c["document"] for c in admin_api.get("/api/storage/policy").json()["cameras"]}
    assert emptied.get(b["id"].lower(), {}) == {}
