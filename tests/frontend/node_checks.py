"""Runs the web UI's unit checks (Frontend/test/*.test.ts) under node: Debian's esbuild bundles a
check file with the modules it imports, node runs the bundle, and the file prints "ok <n> checks"
last or names the first check that failed.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from support.paths import REPO_ROOT

FRONTEND = REPO_ROOT / "Frontend"
NODE = shutil.which("node") or "/usr/bin/node"
ESBUILD = shutil.which("esbuild") or "/usr/bin/esbuild"


def bundle_checks(name: str, folder: Path) -> Path:
    """Bundles Frontend/test/<name> into `folder` for node; returns the bundle."""
    out = folder / name.replace(".ts", ".js")
    env = {**os.environ, "NODE_PATH": "/usr/share/nodejs"}
    subprocess.run([ESBUILD, str(FRONTEND / "test" / name), "--bundle", "--platform=node",
                    "--log-level=warning", f"--outfile={out}"], check=True, env=env, timeout=120)
    return out


def run_checks(bundle: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Runs a bundle; asserts it passed and returns (how many checks ran, everything it printed)."""
    r = subprocess.run([NODE, str(bundle), *args], capture_output=True, text=True, timeout=120,
                       env={**os.environ, **(env or {})})
    assert r.returncode == 0, r.stdout + r.stderr
    last = r.stdout.strip().splitlines()[-1]
    assert last.startswith("ok "), r.stdout
    return int(last.split()[1]), r.stdout
