"""GET /api/health: no authentication, and it names the database actually in use."""
EXPECTED_DATABASE = {"sqlite": "sqlite", "postgres": "postgresql"}


def test_health_needs_no_auth_and_names_the_database(server, anon_api):
    r = anon_api.get("/api/health")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["status"] == "ok"
    assert body["database"] == EXPECTED_DATABASE[server.database]
    assert isinstance(body["version"], str) and body["version"]

