"""Fixtures for the API tests: a camera factory that cleans up after itself, and rows written
straight into the server's database."""
import pytest

from support.db import DirectDatabase

from .helpers import camera_input


class CameraFactory:
    """Creates cameras through the API and deletes them when the test ends."""

    def __init__(self, api) -> None:
        self.api = api
        self.ids: list[str] = []

    def create(self, cam=None, path: str = "/vtest", validate: bool = False, **fields) -> dict:
        body = camera_input(cam, path, **fields)
        r = self.api.post("/api/cameras", params=None if validate else {"validate": "false"}, json=body)
        assert r.status_code == 201, f"creating camera {body['name']!r}: {r.status_code} {r.text}"
        created = r.json()
        # The full shape is checked by test_cameras.py; here only what every test relies on.
        assert "password" not in created and isinstance(created.get("has_password"), bool)
        self.ids.append(created["id"])
        return created

    def track(self, camera_id: str) -> None:
        """Deletes `camera_id` at the end too (for cameras created by the test itself)."""
        self.ids.append(camera_id)

    def cleanup(self) -> None:
        for camera_id in self.ids:
            self.api.delete(f"/api/cameras/{camera_id}")


@pytest.fixture
def cameras(admin_api):
    factory = CameraFactory(admin_api)
    yield factory
    factory.cleanup()


@pytest.fixture
def db(server) -> DirectDatabase:
    """Writes recordings and detections into the shared server's database (support/db.py)."""
    return DirectDatabase(server)


@pytest.fixture(autouse=True)
def _server_survives(server):
    """Names the test during which the shared server died, with its exit status."""
    yield
    code = server.proc.poll() if server.proc else None
    if code is not None:
        pytest.fail(f"ronin serve ({server.database}) exited with status {code} during this test; "
                    f"see {server.log_path}")
