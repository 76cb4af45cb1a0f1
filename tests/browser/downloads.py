"""Files a browser test downloads: Chromium writes NAME.crdownload first and renames it when done."""
from __future__ import annotations

import time
from pathlib import Path


def finished_download(folder: Path, prefix: str = "", suffix: str = "", timeout: float = 60.0) -> Path:
    """The newest file in `folder` named `prefix`...`suffix`, once no download is still being written."""
    deadline = time.monotonic() + timeout
    while True:
        entries = list(folder.iterdir())
        done = [p for p in entries if p.name.startswith(prefix) and p.name.endswith(suffix)
                and not p.name.endswith(".crdownload")]
        if done and not [p for p in entries if p.name.endswith(".crdownload")]:
            return max(done, key=lambda p: p.stat().st_mtime)
        if time.monotonic() > deadline:
            raise AssertionError(f"no finished download {prefix}*{suffix} in {folder} after {timeout:.0f} s: "
                                 f"{sorted(p.name for p in entries)}")
        time.sleep(0.2)
