"""moto's S3 server (PyPI `moto[server]`, installed into .venv by `make test`), started by the
tests on a free loopback port: the cold storage tier's real S3 API. `bucket()` makes a fresh
bucket and returns the settings a server needs to use it."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import requests

from support.net import free_port
from support.paths import LOG_DIR

ACCESS_KEY = "ronin-test-access"
SECRET_KEY = "ronin-test-secret-key-never-logged"


class MotoS3:
    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log_path = LOG_DIR / f"moto-{os.getpid()}-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> "MotoS3":
        server = Path(sys.prefix) / "bin" / "moto_server"
        assert server.exists(), f"moto_server is not installed at {server}: run scripts/install-deps.sh test"
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([str(server), "-H", "127.0.0.1", "-p", str(self.port)], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"moto_server exited; see {self.log_path}"
            try:
                requests.get(self.endpoint + "/", timeout=2)
                return self
            except (requests.ConnectionError, requests.Timeout):
                # Not listening yet, or listening but still loading (slow on a busy machine).
                time.sleep(0.2)
        raise AssertionError(f"moto_server did not answer within {timeout} s; see {self.log_path}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)

    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                            region_name="us-east-1")

    def bucket(self, prefix: str = "footage") -> dict[str, str]:
        """A new bucket, and the environment a server needs to use it as cold storage."""
        name = "ronin-" + uuid.uuid4().hex[:12]
        self.client().create_bucket(Bucket=name)
        return {"COLD_STORAGE_S3_ENDPOINT": self.endpoint, "COLD_STORAGE_S3_BUCKET": name, "COLD_STORAGE_S3_REGION": "us-east-1",
                "COLD_STORAGE_S3_ACCESS_KEY_ID": ACCESS_KEY, "COLD_STORAGE_S3_SECRET_ACCESS_KEY": SECRET_KEY,
                "COLD_STORAGE_S3_PREFIX": prefix, "COLD_STORAGE_S3_PATH_STYLE": "true"}

    def keys(self, env: dict[str, str]) -> dict[str, int]:
        """Every object of the bucket under the prefix: key (without the prefix) → size."""
        found, token = {}, None
        prefix = env["COLD_STORAGE_S3_PREFIX"].strip("/") + "/"
        while True:
            kwargs = {"Bucket": env["COLD_STORAGE_S3_BUCKET"], "Prefix": prefix}
            if token:
                kwargs["ContinuationToken"] = token
            page = self.client().list_objects_v2(**kwargs)
            for item in page.get("Contents", []):
                found[item["Key"][len(prefix):]] = item["Size"]
            if not page.get("IsTruncated"):
                return found
            token = page["NextContinuationToken"]
