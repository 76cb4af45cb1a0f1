"""Session fixtures: a throwaway PostgreSQL, the real test camera, and `ronin serve` on each database.

Which database a test runs on:

- A test that takes `server` (or a client or `make_server` built on it) runs once per database in
  RONIN_TEST_DATABASES (default `sqlite,postgres`): the API and whatever else really depends on
  the database (queries, migrations, row formats) is checked on both.
- A module that sets `pytestmark = pytest.mark.sqlite_only` (or a test marked so) runs on SQLite
  only: media and browser tests whose subject (ffmpeg, the player, a page) does not change with
  the database, and whose data path is already covered on both databases by tests/api. Their
  PostgreSQL variants are deselected at collection, so the summary counts them as "deselected",
  never as skipped. With RONIN_TEST_DATABASES=postgres they do not run at all.

`make_server` starts an extra server of the same database kind with its own settings, for tests
that need a clean slate (lockout, first start) or camera pipelines (`RONIN_RUN_PIPELINES=true`;
off by default so API tests do not start an ffmpeg per camera).

Nothing skips: a skipped test is reported as failed (a missing dependency is a failure, not a
pass in disguise). Every test has a time limit (pytest-timeout, `timeout` in pytest.ini); a test
that legitimately needs longer says so with `@pytest.mark.timeout(seconds)`.

Cameras in tests point at 127.0.0.x only (the test camera, or a closed loopback port for an
unreachable one): an enabled camera is connected to for real.
"""
import os
import sys
import uuid

import pytest

from support.paths import ensure_output_dirs
from support.postgres import ThrowawayPostgres
from support.server import ApiClient, RoninServer

DATABASES = [d for d in os.environ.get("RONIN_TEST_DATABASES", "sqlite,postgres").split(",") if d]


def pytest_configure(config):
    ensure_output_dirs()
    # Run from a virtual environment (./.venv), the programs the tests start find ONNX Runtime
    # there as they would in an activated one, whatever their working directory.
    if sys.prefix != sys.base_prefix:
        os.environ.setdefault("VIRTUAL_ENV", sys.prefix)


def pytest_collection_modifyitems(config, items):
    """Deselects the non-SQLite variants of tests marked `sqlite_only`."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        database = callspec.params.get("server") if callspec else None
        if database not in (None, "sqlite") and item.get_closest_marker("sqlite_only"):
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Reports a skipped test as failed: on CI nothing may skip (an expected failure still may)."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped, and tests may not skip: {reason}"


@pytest.fixture(scope="session")
def postgres():
    pg = ThrowawayPostgres().start()
    yield pg
    pg.stop()


@pytest.fixture(scope="session")
def test_camera():
    from support.camera import TestCamera
    cam = TestCamera()
    cam.start()
    yield cam
    cam.stop()


@pytest.fixture(autouse=True)
def responsive_cameras(request):
    """A shared test camera that stopped answering is restarted before the next test that uses
    it (its threads' stacks go to its log first), so one hang does not fail every test after
    it; each restart is reported as a warning, for the hang to be looked into."""
    import warnings
    for name in ("test_camera", "authed_camera"):
        if name in request.fixturenames:
            cam = request.getfixturevalue(name)
            if cam.running and cam.heal():
                warnings.warn(f"the test camera {cam.name} stopped answering and was restarted; see {cam.log_path}")
    yield


@pytest.fixture(scope="session")
def authed_camera():
    """A test camera that requires RTSP credentials (user `viewer`, password `s3cret-rtsp`)."""
    from support.camera import TestCamera
    cam = TestCamera(username="viewer", password="s3cret-rtsp")
    cam.start()
    yield cam
    cam.stop()


def _database_url(kind: str, request) -> str | None:
    if kind == "postgres":
        return request.getfixturevalue("postgres").create_database()
    return None


@pytest.fixture(scope="session", params=DATABASES)
def server(request):
    srv = RoninServer(request.param, _database_url(request.param, request), "main").start()
    yield srv
    srv.stop()


@pytest.fixture
def make_server(request, server):
    """Factory for extra servers on the same database kind as `server`, stopped after the test."""
    started: list[RoninServer] = []

    def make(env: dict[str, str] | None = None, start: bool = True) -> RoninServer:
        name = uuid.uuid4().hex[:6]
        srv = RoninServer(server.database, _database_url(server.database, request), name, env)
        started.append(srv)
        return srv.start() if start else srv

    yield make
    for srv in started:
        srv.stop()


@pytest.fixture
def admin_api(server) -> ApiClient:
    return server.login()


@pytest.fixture
def anon_api(server) -> ApiClient:
    return ApiClient(server.base_url)


@pytest.fixture
def viewer_api(server, admin_api) -> ApiClient:
    username = "viewer-" + uuid.uuid4().hex[:8]
    password = "viewer-password-1"
    r = admin_api.post("/api/users", json={"username": username, "password": password,
                                           "role": "viewer"})
    assert r.status_code == 201, r.text
    return server.login(username, password)
