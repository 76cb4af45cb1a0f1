"""`ronin worker` processes started by the tests, with a server's settings (docs/design/jobs.md,
docs/design/events.md Live workers)."""
from __future__ import annotations

import os
import signal
import subprocess

from support.paths import LOG_DIR, RONIN_BIN


class WorkerProcess:
    """One `ronin worker --kinds KINDS` beside `server`, its output in the test logs. `env` is
    laid over the server's settings; variables starting with one of `drop` are not inherited
    from the test's own environment."""

    def __init__(self, server, name: str, kinds: str, env: dict[str, str], drop: tuple[str, ...] = ("RONIN_", "DATABASE_URL")) -> None:
        self.log_path = LOG_DIR / f"worker-{name}-{os.getpid()}.log"
        merged = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
        merged.update(server.env)
        merged.update(env)
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([str(RONIN_BIN), "worker", "--kinds", kinds], env=merged, cwd=server.data_dir,
                                         stdout=log, stderr=subprocess.STDOUT)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM (its jobs and cameras are handed back), then SIGKILL after 30 s."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
