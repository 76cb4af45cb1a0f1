"""Locations shared by the test harness: repository root, build outputs, test output."""
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TEST_OUTPUT = Path(os.environ.get("RONIN_TEST_OUTPUT", REPO_ROOT / "test-output"))
LOG_DIR = TEST_OUTPUT / "logs"
SCREENSHOT_DIR = TEST_OUTPUT / "screenshots"
RONIN_BIN = Path(os.environ.get("RONIN_BIN", REPO_ROOT / ".build" / "debug" / "ronin"))
WEB_ROOT = Path(os.environ.get("RONIN_WEB_ROOT", REPO_ROOT / "Frontend" / "dist"))


def ensure_output_dirs() -> None:
    for d in (TEST_OUTPUT, LOG_DIR, SCREENSHOT_DIR):
        d.mkdir(parents=True, exist_ok=True)
