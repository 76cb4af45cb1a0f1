"""Unit checks of the Playback page's pure modules under node: time-zone day math for the ruler
(23/25-hour DST days, half-hour zones), calendar grids, the zoom window, segment lookup for seeks
and seamless continuation, URL/localStorage settings, export checks and the keyboard map.

Frontend/test/playback.test.ts is bundled with Debian's esbuild and run with node (with its
full ICU time-zone data); it prints "ok <n> checks" or names the first failed check.
"""
from __future__ import annotations

import os
import shutil
import subprocess

from support.paths import REPO_ROOT

FRONTEND = REPO_ROOT / "Frontend"
NODE = shutil.which("node") or "/usr/bin/node"
ESBUILD = shutil.which("esbuild") or "/usr/bin/esbuild"


def test_playback_modules(tmp_path):
    bundle = tmp_path / "playback.test.js"
    env = {**os.environ, "NODE_PATH": "/usr/share/nodejs"}
    subprocess.run([ESBUILD, str(FRONTEND / "test" / "playback.test.ts"), "--bundle", "--platform=node",
                    "--log-level=warning", f"--outfile={bundle}"], check=True, env=env, timeout=120)
    # A viewer far from UTC must not change any answer: every time-zone result names its zone.
    r = subprocess.run([NODE, str(bundle)], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "TZ": "Pacific/Kiritimati"})
    assert r.returncode == 0, r.stdout + r.stderr
    last = r.stdout.strip().splitlines()[-1]
    assert last.startswith("ok "), r.stdout
    assert int(last.split()[1]) >= 70, last
