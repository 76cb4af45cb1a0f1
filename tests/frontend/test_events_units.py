"""Unit checks of the detection events' pure modules under node: sentences and durations
("Person arrived 08:12:03", "2 min 10 s"), live presence per camera, the header's unseen count,
merging streamed events into the shown list, the activity log's filters (URL, API query, which
streamed events belong), the settings form with the field a 422 names, and the ML page's address.

Frontend/test/events.test.ts is bundled with Debian's esbuild and run with node (node_checks.py).
"""
from __future__ import annotations

from .node_checks import bundle_checks, run_checks


def test_event_modules(tmp_path):
    count, _ = run_checks(bundle_checks("events.test.ts", tmp_path))
    assert count >= 90, count
