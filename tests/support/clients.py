"""Signed-in API clients made once and shared (signing in costs a password hash, and a test
module of many small requests would otherwise spend most of its time on it)."""
import uuid

from .server import ApiClient


def new_viewer(server, admin: ApiClient) -> ApiClient:
    """A viewer account made through the API, signed in."""
    username, password = "viewer-" + uuid.uuid4().hex[:8], "viewer-password-1"
    r = admin.post("/api/users", json={"username": username, "password": password, "role": "viewer"})
    assert r.status_code == 201, r.text
    return server.login(username, password)
