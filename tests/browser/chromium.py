"""Headless Chromium for the browser tests: Debian's chromium through Debian's chromedriver.

`open_chromium` starts one with a 1400x900 viewport, downloads allowed into a given folder, and
the console log kept for browser/console.py. `own_chromedrivers` lists the chromedriver
processes this test process started that still run, to catch a browser nobody closed.
"""
from __future__ import annotations

import os
import signal
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WINDOW = (1400, 900)


def open_chromium(download_dir: Path) -> webdriver.Chrome:
    """A fresh headless Chromium that downloads into `download_dir`."""
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


def _processes() -> dict[int, tuple[str, int, str]]:
    """Every process as pid -> (command name, parent pid, state letter), read from /proc."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, tail = stat.read_text().rsplit(")", 1)
        except (OSError, ValueError):
            continue
        state, parent = tail.split()[:2]
        found[int(stat.parent.name)] = (head.split("(", 1)[1], int(parent), state)
    return found


def own_chromedrivers() -> set[int]:
    """Pids of the live (not zombie) chromedriver processes whose parent is this process."""
    me = os.getpid()
    return {pid for pid, (name, parent, state) in _processes().items()
            if name == "chromedriver" and parent == me and state != "Z"}


def end_process_tree(root: int) -> None:
    """SIGKILLs `root` and everything below it (a chromedriver and the Chromium it started)."""
    processes = _processes()
    tree, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        tree.append(pid)
        frontier += [child for child, (_, parent, _) in processes.items() if parent == pid]
    for pid in tree:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
