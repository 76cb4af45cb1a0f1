"""The browser console as the browser tests check it: errors thrown by page scripts fail a test.

Chromium hands out its console log through chromedriver, and each read drains it: whatever one
reader takes, the next does not see. So every driver has exactly one `BrowserConsole`
(`console_of(driver)`), which keeps every entry it has read; the check at the end of a test and
any read in between go through it, and nothing read is lost.

A console that cannot be read (the driver gone, chromedriver dead) raises `ConsoleUnreadable`:
a check that cannot look must not pass.
"""
from __future__ import annotations


class ConsoleUnreadable(Exception):
    """The browser's console log could not be read, so nothing can be said about its errors."""


class BrowserConsole:
    """Every console entry of one driver, read so far; `script_errors()` reads what is new.

    Only errors from page scripts count: uncaught exceptions and rejections (source
    "javascript") and `console.error` calls, which is how React reports a failed render (source
    "console-api"). An HTTP error status the page handles is logged by Chromium too, with the
    source "network", and is not one. A test that provokes a script error on purpose names it
    with `allow(fragment)`.
    """

    SCRIPT_SOURCES = ("javascript", "console-api")

    def __init__(self, driver) -> None:
        self.driver = driver
        self.entries: list[dict] = []
        self.allowed: list[str] = []

    def read(self) -> list[dict]:
        """Takes the entries the browser logged since the last read; raises ConsoleUnreadable."""
        try:
            fresh = self.driver.get_log("browser")
        except Exception as error:  # noqa: BLE001 - any failure means the console is unknown
            raise ConsoleUnreadable(f"cannot read the browser console: {type(error).__name__}: {error}") from error
        self.entries.extend(fresh)
        return fresh

    def script_errors(self) -> list[str]:
        """Messages of every script error logged so far (reads the console first)."""
        self.read()
        return [e["message"] for e in self.entries
                if e.get("level") == "SEVERE" and e.get("source") in self.SCRIPT_SOURCES]

    def allow(self, fragment: str) -> None:
        """Script errors containing `fragment` are expected by the test and do not fail it."""
        self.allowed.append(fragment)

    def unexpected_errors(self) -> list[str]:
        return [m for m in self.script_errors() if not any(f in m for f in self.allowed)]


def console_of(driver) -> BrowserConsole:
    """The one console record of `driver`, made on first use."""
    console = getattr(driver, "ronin_console", None)
    if console is None:
        console = BrowserConsole(driver)
        driver.ronin_console = console
    return console
