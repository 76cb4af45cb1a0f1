"""Waiting for something to happen, with a deadline (polling, never a fixed sleep)."""
import time


def wait_for(check, timeout: float, interval: float = 0.5):
    """Polls `check` until it returns something truthy and returns that; fails at the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
