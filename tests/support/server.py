"""Starts the real `ronin serve` binary for tests and talks to it."""
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import requests

from .net import free_port, wait_for_port
from .paths import LOG_DIR, RONIN_BIN, WEB_ROOT


class RoninServer:
    """One `ronin serve` process with its own data folder and database."""

    def __init__(self, database: str, database_url: str | None, name: str,
                 env: dict[str, str] | None = None) -> None:
        self.database = database  # "sqlite" or "postgres"
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.data_dir = Path(tempfile.mkdtemp(prefix=f"ronin-{name}-"))
        self.admin_username = "admin"
        self.admin_password = "admin-pass-" + name
        self.database_url = database_url or f"sqlite://{self.data_dir / 'ronin.sqlite'}"
        # The pid keeps logs of test sessions running side by side apart.
        self.log_path = LOG_DIR / f"server-{name}-{database}-{os.getpid()}.log"
        self.env = {
            "RONIN_HOST": "127.0.0.1",
            "RONIN_PORT": str(self.port),
            "RONIN_DATA_DIR": str(self.data_dir),
            "STORAGE_ROOT": str(self.data_dir / "storage"),
            "DATABASE_URL": self.database_url,
            "RONIN_ADMIN_PASSWORD": self.admin_password,
            "RONIN_WEB_ROOT": str(WEB_ROOT),
            "CAMERA_PROBE_TIMEOUT_SECONDS": "8",
            # Most tests create many cameras; only recording tests want an ffmpeg for each.
            "RONIN_RUN_PIPELINES": "false",
            # Background detection of every recorded segment is tested by tests/detection (which
            # turn it on); elsewhere it would only compete with what a test measures.
            "ML_ENABLED": "false",
            "LOG_LEVEL": "debug",
        }
        self.env.update(env or {})
        self.proc: subprocess.Popen | None = None
        # The executable to start: the build's, or a copy a test installed elsewhere.
        self.binary = RONIN_BIN

    def start(self, timeout: float = 60.0, verify: bool | str = True) -> "RoninServer":
        """Starts the server and waits for /api/health; `verify` is the CA file for an https:// base URL."""
        if not self.binary.exists():
            raise RuntimeError(f"{self.binary} is missing; run `swift build` first")
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RONIN_", "DATABASE_URL"))}
        env.update(self.env)
        self.proc = subprocess.Popen([str(self.binary), "serve"], env=env, cwd=self.data_dir,
                                     stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"ronin serve exited with {self.proc.returncode}; "
                                   f"see {self.log_path}")
            try:
                if requests.get(self.base_url + "/api/health", timeout=1, verify=verify).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"ronin serve did not answer in {timeout}s; see {self.log_path}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def login(self, username: str | None = None, password: str | None = None) -> "ApiClient":
        client = ApiClient(self.base_url)
        client.login(username or self.admin_username, password or self.admin_password)
        return client


class ApiClient:
    """A requests session against one server; `login` stores the bearer token."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.token: str | None = None

    def login(self, username: str, password: str) -> requests.Response:
        r = self.session.post(self.base_url + "/api/auth/login",
                              json={"username": username, "password": password}, timeout=30)
        if r.status_code != 200:
            raise AssertionError(f"login as {username} failed: {r.status_code} {r.text}")
        self.token = r.json()["access_token"]
        self.session.headers["Authorization"] = f"Bearer {self.token}"
        return r

    def request(self, method: str, path: str, **kw) -> requests.Response:
        kw.setdefault("timeout", 60)
        return self.session.request(method, self.base_url + path, **kw)

    def get(self, path: str, **kw) -> requests.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw) -> requests.Response:
        return self.request("POST", path, **kw)

    def put(self, path: str, **kw) -> requests.Response:
        return self.request("PUT", path, **kw)

    def patch(self, path: str, **kw) -> requests.Response:
        return self.request("PATCH", path, **kw)

    def delete(self, path: str, **kw) -> requests.Response:
        return self.request("DELETE", path, **kw)
