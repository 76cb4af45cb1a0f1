"""Unit checks of the Playback picture zoom under node: limits on letterboxed and pillarboxed
pictures, zooming about the pointer and the centre, panning within the picture's edges, the same
view after a resize or a segment of another frame size, the wheel's steps, and detection boxes
moved with the zoom and clipped to what shows of the picture.

Frontend/test/zoom.test.ts is bundled with Debian's esbuild and run with node (node_checks.py).
"""
from __future__ import annotations

from .node_checks import bundle_checks, run_checks


def test_picture_zoom_modules(tmp_path):
    count, _ = run_checks(bundle_checks("zoom.test.ts", tmp_path))
    assert count >= 60, count
