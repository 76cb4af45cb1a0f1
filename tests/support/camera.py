"""The real RTSP test camera (tools/test-camera) as a pytest helper.

`TestCamera` runs `tools/test-camera/ronin_test_camera.py` under Debian's /usr/bin/python3 (the
one with `gi`) and returns from `start()` only once /vtest is actually readable by ffprobe.
`stop()` + `start()` (or `restart()`) bring the camera back on the SAME port, which is how tests
simulate a camera outage and its return. Output goes to test-output/logs/test-camera-NAME.log.
"""
from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from .paths import LOG_DIR, REPO_ROOT

CAMERA_SCRIPT = REPO_ROOT / "tools" / "test-camera" / "ronin_test_camera.py"
SYSTEM_PYTHON = os.environ.get("RONIN_CAMERA_PYTHON", "/usr/bin/python3")
_instance_numbers = itertools.count(1)


class TestCamera:
    """One test-camera process; a context manager (`with TestCamera() as cam: ...`).

    Mounts: /vtest (H.264 + AAC), /vtest-g711 (H.264 + PCMU), /vtest-noaudio, /pattern
    (live-encoded H.264 + AAC with a clock overlay), plus one per entry of `files`
    (a path, served at /file0, /file1..., or a (path, mount) pair).
    With `username`/`password` every mount requires RTSP auth (`auth`: "basic", "digest" or
    "both" offered).
    `port=None` lets the camera pick a free port on first start; later starts reuse it.
    """

    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, username: str | None = None, password: str | None = None,
                 port: int | None = None, files: list | None = None, host: str = "127.0.0.1",
                 auth: str = "both", name: str | None = None, cache_dir: str | None = None,
                 startup_timeout: float = 60.0) -> None:
        if bool(username) != bool(password):
            raise ValueError("username and password go together")
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.files = list(files or [])
        self.auth = auth  # offered schemes when username is set: "basic", "digest" or "both"
        # pid in the default name: several pytest sessions may run side by side.
        self.name = name or (f"{'auth' if username else 'plain'}-{os.getpid()}"
                             f"-{next(_instance_numbers)}")
        self.cache_dir = cache_dir or os.environ.get("RONIN_TEST_CAMERA_CACHE")
        self.startup_timeout = startup_timeout
        self.log_path = LOG_DIR / f"test-camera-{self.name}.log"
        self.proc: subprocess.Popen | None = None
        self._log_opened = False

    # -- URLs --------------------------------------------------------------------------------

    def url(self, path: str = "/vtest", with_credentials: bool = False) -> str:
        if self.port is None:
            raise RuntimeError("the camera has no port yet; call start() first")
        if not path.startswith("/"):
            path = "/" + path
        auth = ""
        if with_credentials and self.username:
            auth = f"{quote(self.username, safe='')}:{quote(self.password or '', safe='')}@"
        return f"rtsp://{auth}{self.host}:{self.port}{path}"

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> "TestCamera":
        """Start the camera and wait until /vtest is readable; raises with the log if not."""
        if self.running:
            return self
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab" if self._log_opened else "wb")
        self._log_opened = True
        log.write(f"---- starting test camera at {time.strftime('%H:%M:%S')}\n".encode())
        log.flush()
        ready_dir = tempfile.mkdtemp(prefix="ronin-camera-")
        ready_file = Path(ready_dir) / "port"
        cmd = [SYSTEM_PYTHON, "-u", str(CAMERA_SCRIPT), "--host", self.host,
               "--port", str(self.port or 0), "--ready-file", str(ready_file)]
        if self.username:
            cmd += ["--username", self.username, "--password", self.password,
                    "--auth", self.auth]
        if self.cache_dir:
            cmd += ["--cache-dir", self.cache_dir]
        for entry in self.files:
            if isinstance(entry, (tuple, list)):
                cmd += ["--file", f"{entry[0]}:{entry[1]}"]
            else:
                cmd += ["--file", str(entry)]
        try:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, cwd=REPO_ROOT)
        finally:
            log.close()
        deadline = time.monotonic() + self.startup_timeout
        try:
            while not ready_file.exists():
                self._check_alive()
                if time.monotonic() > deadline:
                    self._fail("did not bind its port")
                time.sleep(0.1)
            self.port = int(ready_file.read_text().strip())
        finally:
            ready_file.unlink(missing_ok=True)
            os.rmdir(ready_dir)
        last_error = ""
        while time.monotonic() < deadline:
            self._check_alive()
            ok, last_error = self.probe("/vtest", timeout=min(10.0, max(1.0, deadline - time.monotonic())))
            if ok:
                return self
            time.sleep(0.3)
        self._fail(f"/vtest never became readable; last ffprobe error: {last_error}")
        return self  # unreachable

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM the camera (SIGKILL after `timeout`); the port is free again on return."""
        if self.proc is None:
            return None
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return proc.returncode

    def kill(self) -> None:
        """Stop abruptly (SIGKILL), like a camera losing power."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def restart(self) -> "TestCamera":
        self.stop()
        return self.start()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def __enter__(self) -> "TestCamera":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- helpers -----------------------------------------------------------------------------

    def probe(self, path: str = "/vtest", timeout: float = 10.0,
              transport: str = "tcp") -> tuple[bool, str]:
        """ffprobe one mount with credentials; returns (ok, stderr)."""
        cmd = ["ffprobe", "-v", "error", "-rtsp_transport", transport,
               "-timeout", str(int(min(timeout, 5.0) * 1_000_000)),
               "-show_entries", "stream=codec_name", "-of", "csv=p=0",
               self.url(path, with_credentials=True)]
        try:
            r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return False, f"ffprobe timed out after {timeout:.0f}s"
        return r.returncode == 0 and "h264" in r.stdout, (r.stderr or r.stdout).strip()

    def answers(self, path: str = "/vtest", timeout: float = 5.0) -> bool:
        """Whether the camera answers an RTSP DESCRIBE of `path` within `timeout` (any answer,
        a 401 included: the question is whether it is responsive at all)."""
        if not self.running or self.port is None:
            return False
        request = (f"DESCRIBE {self.url(path)} RTSP/1.0\r\nCSeq: 1\r\n"
                   "Accept: application/sdp\r\n\r\n").encode()
        try:
            with socket.create_connection((self.host, self.port), timeout=timeout) as sock:
                sock.settimeout(timeout)
                sock.sendall(request)
                return sock.recv(64).startswith(b"RTSP/1.0 ")
        except OSError:
            return False

    def heal(self) -> bool:
        """Restarts a camera that stopped answering, on the same port, after writing every
        thread's stack to its log; whether it had to."""
        if self.answers():
            return False
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGUSR1)
            time.sleep(1)
        with open(self.log_path, "ab") as log:
            log.write(f"---- did not answer at {time.strftime('%H:%M:%S')}: restarting\n".encode())
        self.kill()
        self.start()
        return True

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def _check_alive(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            code = self.proc.returncode
            self.proc = None
            raise RuntimeError(f"test camera exited with {code} during startup; "
                               f"log {self.log_path}:\n{self._log_tail()}")

    def _fail(self, why: str) -> None:
        self.stop(timeout=5)
        raise RuntimeError(f"test camera {why} within {self.startup_timeout:.0f}s; "
                           f"log {self.log_path}:\n{self._log_tail()}")

    def _log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])
