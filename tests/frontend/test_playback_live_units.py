"""Unit checks of Playback's modules for the segment being written under node: which segment
plays an instant near now, where a seek lands in a copy of a growing file, when to fetch a fresh
copy and what to do at its end, Live's follow decisions, the ruler's marks of the present and
the L key.

Frontend/test/playbackLive.test.ts is bundled with Debian's esbuild and run with node, through
node_checks.py.
"""
from __future__ import annotations

from .node_checks import bundle_checks, run_checks


def test_playback_live_modules(tmp_path):
    bundle = bundle_checks("playbackLive.test.ts", tmp_path)
    count, _ = run_checks(bundle, env={"TZ": "Pacific/Kiritimati"})
    assert count >= 60, count
