"""Unit checks of the Status page's detection summary under node: availability in plain words,
footage waiting in hours, troubled jobs, and throughput of the live worker pools.

Frontend/test/status.test.ts is bundled with Debian's esbuild and run with node (node_checks.py).
"""
from __future__ import annotations

from .node_checks import bundle_checks, run_checks


def test_status_modules(tmp_path):
    count, _ = run_checks(bundle_checks("status.test.ts", tmp_path))
    assert count >= 25, count
