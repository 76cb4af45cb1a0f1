"""Unit checks of the live view's pure modules under node: staying at the live edge (jump, catch-up
rate with hysteresis, stepping over a hole left by skipped fragments, trimming old media, native
HLS's start), the live WebSocket's messages, which player runs and which it falls back to, and the
socket's address.

Frontend/test/live.test.ts is bundled with Debian's esbuild and run with node (node_checks.py).
"""
from __future__ import annotations

from .node_checks import bundle_checks, run_checks


def test_live_view_modules(tmp_path):
    count, _ = run_checks(bundle_checks("live.test.ts", tmp_path))
    assert count >= 50, count
