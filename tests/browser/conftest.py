"""Fixtures for the browser tests: a headless Chromium per test, screenshots, and clean-up.

`browser` is a fresh Chromium (Debian's, through chromedriver) per test, so every test starts
signed out with empty localStorage. Its downloads land in a per-test folder
(`browser.download_dir`). A test that needs a second browser (two people at once) opens it with
`make_browser()`, never with selenium directly, so that it is checked and closed like the first.

When the test ends, every browser it opened has its console read (browser/console.py): errors
thrown by page scripts fail a test that otherwise passed, and a console that cannot be read fails
the test whatever its outcome. A failing test leaves a `...-FAILED-<database>.png` screenshot
behind (`-2`, `-3`... for further browsers).

`shot("03-camera-added")` saves test-output/screenshots/<test>-<step>-<database>.png.
`ui` wraps the driver with the app-specific helpers from browser/ui.py.
"""
from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from support.paths import SCREENSHOT_DIR

from .chromium import end_process_tree, open_chromium, own_chromedrivers
from .console import ConsoleUnreadable, console_of
from .ui import UI


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the item, so fixtures can tell whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(autouse=True)
def _no_browser_left_unchecked():
    """Fails a test that leaves a Chromium running which `make_browser` did not open (and so
    nobody checked), and ends it."""
    before = own_chromedrivers()
    yield
    stray = own_chromedrivers() - before
    for pid in stray:
        end_process_tree(pid)
    assert not stray, ("a browser opened outside make_browser() was left running, unchecked; "
                       "open every browser with make_browser()")


def _test_slug(request) -> str:
    name = getattr(request.node, "originalname", None) or request.node.name
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")


@pytest.fixture
def shot(request, server):
    """Returns `save(step)`, which writes <test>-<step>-<database>.png and returns its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    slug = _test_slug(request)

    def save(step: str, driver=None) -> Path:
        drv = driver or request.getfixturevalue("browser")
        UI(drv, server.base_url).settle()
        path = SCREENSHOT_DIR / f"{slug}-{step}-{server.database}.png"
        drv.save_screenshot(str(path))
        return path

    return save


def _finish_browsers(request, database: str, drivers: list) -> None:
    """Screenshots (after a failure), reads every console, quits every browser, then judges."""
    call = getattr(request.node, "rep_call", None)
    errors: list[str] = []
    unreadable: list[str] = []
    for number, driver in enumerate(drivers, 1):
        try:
            if call is not None and call.failed:
                SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
                which = "" if number == 1 else f"-{number}"
                try:
                    driver.save_screenshot(str(SCREENSHOT_DIR / f"{_test_slug(request)}-FAILED{which}-{database}.png"))
                except Exception as error:  # noqa: BLE001 - the test has failed already; say why there is no picture
                    print(f"no failure screenshot of browser {number}: {error}")
            try:
                errors += console_of(driver).unexpected_errors()
            except ConsoleUnreadable as error:
                unreadable.append(f"browser {number}: {error}")
        finally:
            driver.quit()
    if unreadable:
        pytest.fail("the browser console could not be checked for JavaScript errors:\n" + "\n".join(unreadable))
    if call is not None and call.passed:
        assert not errors, "JavaScript errors in the browser console:\n" + "\n".join(errors)
    elif errors:
        print("JavaScript errors in the browser console:\n" + "\n".join(errors))


@pytest.fixture
def make_browser(request, server, tmp_path):
    """Opens a fresh Chromium each call; all of them are checked and closed when the test ends."""
    drivers: list = []

    def make():
        download_dir = tmp_path / ("downloads" if not drivers else f"downloads-{len(drivers) + 1}")
        download_dir.mkdir()
        driver = open_chromium(download_dir)
        driver.download_dir = download_dir  # type: ignore[attr-defined]
        drivers.append(driver)
        return driver

    yield make
    _finish_browsers(request, server.database, drivers)


@pytest.fixture
def browser(make_browser):
    return make_browser()


@pytest.fixture
def ui(browser, server) -> UI:
    return UI(browser, server.base_url)


@pytest.fixture
def suffix() -> str:
    """A short unique tag for names this test creates (the session server is shared)."""
    return uuid.uuid4().hex[:6]


@pytest.fixture
def camera_cleanup(admin_api, suffix):
    """Deletes, after the test, every camera whose name carries this test's `suffix`."""
    yield
    r = admin_api.get("/api/cameras")
    if r.status_code == 200:
        for cam in r.json():
            if suffix in cam["name"]:
                admin_api.delete(f"/api/cameras/{cam['id']}")


@pytest.fixture
def make_user(admin_api):
    """Creates users through the API (username, password, role) and deletes them afterwards."""
    created: list[str] = []

    def make(role: str = "viewer", password: str = "browser-pass-1", prefix: str = "user") -> dict:
        username = f"{prefix}-{uuid.uuid4().hex[:8]}"
        r = admin_api.post("/api/users", json={"username": username, "password": password,
                                               "role": role})
        assert r.status_code == 201, r.text
        user = r.json()
        created.append(user["id"])
        return {**user, "password": password}

    yield make
    for user_id in created:
        admin_api.delete(f"/api/users/{user_id}")
