"""Signed-in API clients made once per test module and shared (signing in costs a password hash,
and a module of many small requests would otherwise spend most of its time on it).

A module that imports `admin_api` and `viewer_api` from here uses these in place of the
per-test ones of tests/conftest.py (same names, module scope)."""
import uuid

import pytest


@pytest.fixture(scope="module")
def admin_api(server):
    return server.login()


@pytest.fixture(scope="module")
def viewer_api(server, admin_api):
    username, password = "viewer-" + uuid.uuid4().hex[:8], "viewer-password-1"
    r = admin_api.post("/api/users", json={"username": username, "password": password, "role": "viewer"})
    assert r.status_code == 201, r.text
    return server.login(username, password)
