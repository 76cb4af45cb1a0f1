"""Unit checks of the Playback page's pure modules under node: time-zone day math for the ruler
(23/25-hour DST days, half-hour zones), calendar grids, the zoom window, segment lookup for seeks
and seamless continuation, URL/localStorage settings, export checks and the keyboard map.

Frontend/test/playback.test.ts is bundled with Debian's esbuild and run with node (with its
full ICU time-zone data), through node_checks.py.
"""
from __future__ import annotations

from .node_checks import bundle_checks, run_checks


def test_playback_modules(tmp_path):
    bundle = bundle_checks("playback.test.ts", tmp_path)
    # A viewer far from UTC must not change any answer: every time-zone result names its zone.
    count, _ = run_checks(bundle, env={"TZ": "Pacific/Kiritimati"})
    assert count >= 70, count
