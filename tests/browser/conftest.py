"""Fixtures for the browser tests: a headless Chromium per test, screenshots, and clean-up.

`browser` is a fresh Chromium (Debian's, through chromedriver) per test, so every test starts
signed out with empty localStorage. Its downloads land in a per-test folder
(`browser.download_dir`). JavaScript errors in the console fail the test; a failing test leaves a
`...-FAILED-<database>.png` screenshot behind.

`shot("03-camera-added")` saves test-output/screenshots/<test>-<step>-<database>.png.
`ui` wraps the driver with the app-specific helpers from browser/ui.py.
"""
from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from support.paths import SCREENSHOT_DIR

from .ui import UI

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WINDOW = (1400, 900)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the item, so fixtures can tell whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def _test_slug(request) -> str:
    name = getattr(request.node, "originalname", None) or request.node.name
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")


def _make_driver(download_dir: Path) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={WINDOW[0]},{WINDOW[1]}", "--lang=en-US",
                "--disable-search-engine-choice-screen", "--no-first-run"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(download_dir),
        "download.prompt_for_download": False,
        "download.directory_upgrade": True,
        "safebrowsing.enabled": True,
        # A second export in one test is a second download without a fresh click gesture.
        "profile.default_content_setting_values.automatic_downloads": 1,
    })
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(download_dir)})
    # Make the viewport itself 1400x900 (the window size includes the browser frame).
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WINDOW[0], "height": WINDOW[1], "deviceScaleFactor": 1,
                            "mobile": False})
    driver.set_page_load_timeout(30)
    return driver


def _javascript_errors(driver) -> list[str]:
    """Console entries from page scripts (uncaught exceptions, React errors), not HTTP statuses."""
    try:
        entries = driver.get_log("browser")
    except Exception:  # noqa: BLE001 - logging is best effort
        return []
    return [e["message"] for e in entries
            if e.get("level") == "SEVERE" and e.get("source") == "javascript"]


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


@pytest.fixture
def browser(request, server, tmp_path):
    download_dir = tmp_path / "downloads"
    download_dir.mkdir()
    driver = _make_driver(download_dir)
    driver.download_dir = download_dir  # type: ignore[attr-defined]
    yield driver
    try:
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(SCREENSHOT_DIR / f"{_test_slug(request)}-FAILED-{server.database}.png"))
        errors = _javascript_errors(driver)
    finally:
        driver.quit()
    if failed is not None and failed.passed:
        assert not errors, "JavaScript errors in the browser console:\n" + "\n".join(errors)


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
