"""The console check that closes every browser test bites: an error thrown by a page script, or
written with console.error, is reported; one the test allows is not; and a console that cannot be
read raises instead of passing as clean."""
from __future__ import annotations

import time

import pytest

from .chromium import open_chromium
from .console import ConsoleUnreadable, console_of
from .ui import UI

pytestmark = pytest.mark.sqlite_only  # the browser, not the database


def errors_containing(console, fragment: str, timeout: float = 10.0) -> list[str]:
    """The console's script errors once one contains `fragment` (they arrive asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in console.unexpected_errors() if fragment in m]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_script_errors_on_a_real_page_are_reported(ui: UI, browser):
    ui.open("/login")
    ui.find("login-page")
    console = console_of(browser)
    assert console.unexpected_errors() == [], "the sign-in page itself is clean"

    browser.execute_script("setTimeout(() => { throw new Error('boom-uncaught') })")
    assert errors_containing(console, "boom-uncaught"), console.entries
    browser.execute_script("console.error('boom-logged')")
    assert errors_containing(console, "boom-logged"), console.entries

    # Reading the console in between loses nothing: the same record keeps both.
    both = console_of(browser).unexpected_errors()
    assert any("boom-uncaught" in m for m in both) and any("boom-logged" in m for m in both), both
    console.allow("boom-")
    assert console.unexpected_errors() == [], "allowed errors no longer count"
    assert len(console.script_errors()) == 2


def test_an_unreadable_console_is_an_error(tmp_path):
    driver = open_chromium(tmp_path)
    driver.quit()
    with pytest.raises(ConsoleUnreadable):
        console_of(driver).unexpected_errors()
