"""Unit checks of the Playback page's detection overlay under node: the letterboxed picture
inside a video element, boxes mapped into it, the nearest analysed frame per class, and the
chunked detection cache (one request per chunk, pages, prefetch, seeks, failures, older servers).

Frontend/test/overlay.test.ts is bundled with Debian's esbuild and run with node (node_checks.py).
"""
from __future__ import annotations

from .node_checks import bundle_checks, run_checks


def test_overlay_modules(tmp_path):
    count, _ = run_checks(bundle_checks("overlay.test.ts", tmp_path))
    assert count >= 60, count
