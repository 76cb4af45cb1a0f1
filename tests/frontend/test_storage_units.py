"""Unit checks of the Status page's storage modules under node: ages, sizes and days as the
settings spell them, policy sentences, the usage bar's parts and guard, the chart's scaling,
breaks, thinning and local-time ticks, the policy forms and refused fields, and the move's
local instant.

Frontend/test/storage.test.ts is bundled with Debian's esbuild and run with node (node_checks.py).
"""
from __future__ import annotations

from .node_checks import bundle_checks, run_checks


def test_storage_modules(tmp_path):
    bundle = bundle_checks("storage.test.ts", tmp_path)
    # Local date-times and spans are the viewer's: a zone far from UTC, with half hours, must not
    # change any answer.
    count, _ = run_checks(bundle, env={"TZ": "Asia/Kolkata"})
    assert count >= 100, count
    again, _ = run_checks(bundle, env={"TZ": "America/New_York"})
    assert again == count
