"""A throwaway PostgreSQL cluster for the test suite.

Debian's server binaries (postgresql-15) are used directly: `initdb` into a temporary
directory and `postgres` listening on a free loopback port. PostgreSQL refuses to run as
root, so when the tests run as root the cluster belongs to the `postgres` system user.
"""
import getpass
import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from .net import free_port, wait_for_port
from .paths import LOG_DIR


def _pg_bin(name: str) -> str:
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if candidates:
        return candidates[0]
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"PostgreSQL server binary {name} not found; run `make deps`")
    return found


class ThrowawayPostgres:
    """A PostgreSQL server on 127.0.0.1 that lives as long as the test session."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ronin-pg-"))
        self.proc: subprocess.Popen | None = None
        self.user = "ronin"
        self.password = "ronin-test-" + uuid.uuid4().hex[:8]
        self._as_root = os.geteuid() == 0

    def _run_as_owner(self, args: list[str], **kw) -> subprocess.CompletedProcess:
        if self._as_root:
            args = ["runuser", "-u", "postgres", "--"] + args
        return subprocess.run(args, check=True, capture_output=True, text=True, **kw)

    def start(self) -> "ThrowawayPostgres":
        data = self.dir / "data"
        data.mkdir()
        pwfile = self.dir / "pw"
        pwfile.write_text(self.password)
        if self._as_root:
            shutil.chown(self.dir, "postgres")
            shutil.chown(data, "postgres")
            shutil.chown(pwfile, "postgres")
        self._run_as_owner([_pg_bin("initdb"), "-D", str(data), "-U", self.user,
                            "--pwfile", str(pwfile), "-A", "scram-sha-256", "-E", "UTF8"])
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        log = open(LOG_DIR / "postgres.log", "ab")
        args = [_pg_bin("postgres"), "-D", str(data), "-p", str(self.port), "-h", "127.0.0.1",
                "-k", str(self.dir), "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=200"]
        if self._as_root:
            args = ["runuser", "-u", "postgres", "--"] + args
        self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        if not wait_for_port(self.port, timeout=30):
            raise RuntimeError("PostgreSQL did not start; see test-output/logs/postgres.log")
        # The port opens before the server accepts logins; wait until it does.
        deadline = time.monotonic() + 30
        while True:
            r = subprocess.run(["psql", self.url("postgres"), "-c", "select 1"],
                               capture_output=True, text=True)
            if r.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        return self

    def url(self, database: str) -> str:
        return f"postgres://{self.user}:{self.password}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "ronin") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        subprocess.run(["psql", self.url("postgres"), "-v", "ON_ERROR_STOP=1", "-c",
                        f'CREATE DATABASE "{name}"'], check=True, capture_output=True)
        return self.url(name)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)
