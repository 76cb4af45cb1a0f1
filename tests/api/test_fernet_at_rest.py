"""Camera passwords at rest are Fernet tokens that Python's `cryptography` reads and writes.

The server keeps its generated keys in the data folder (mode 0600): `encryption.key` (a Fernet
key) and `jwt_secret.key`. We read `cameras.password_encrypted` straight from the database.
"""
import re
import sqlite3
import stat
import subprocess
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from .helpers import RTSP_PASSWORD, RTSP_USER, LogWindow, alnum_unique, camera_input


def _sqlite_path(server) -> Path:
    assert server.database_url.startswith("sqlite://"), server.database_url
    return Path(server.database_url[len("sqlite://"):])


def _read_stored(server, name: str):
    """`cameras.password_encrypted` of the camera called `name` (names here are alphanumeric)."""
    if server.database == "sqlite":
        with sqlite3.connect(_sqlite_path(server), timeout=10) as db:
            rows = db.execute("SELECT password_encrypted FROM cameras WHERE name = ?", (name,)).fetchall()
        assert len(rows) == 1, rows
        return rows[0][0]
    out = subprocess.run(["psql", server.database_url, "-At", "-v", "ON_ERROR_STOP=1", "-c",
                          f"SELECT password_encrypted FROM cameras WHERE name = '{name}'"],
                         check=True, capture_output=True, text=True).stdout
    lines = out.splitlines()
    assert len(lines) == 1, out
    return lines[0]


def _write_stored(server, name: str, token: str) -> None:
    if server.database == "sqlite":
        with sqlite3.connect(_sqlite_path(server), timeout=10) as db:
            current = db.execute("SELECT password_encrypted FROM cameras WHERE name = ?", (name,)).fetchone()[0]
            value = token.encode() if isinstance(current, bytes) else token
            db.execute("UPDATE cameras SET password_encrypted = ? WHERE name = ?", (value, name))
        return
    subprocess.run(["psql", server.database_url, "-v", "ON_ERROR_STOP=1", "-c",
                    f"UPDATE cameras SET password_encrypted = '{token}' WHERE name = '{name}'"],
                   check=True, capture_output=True, text=True)


def _as_text(value) -> str:
    return value.decode() if isinstance(value, (bytes, memoryview)) else str(value)


def _database_text(server) -> bytes:
    """Everything the database holds, as bytes, to search for plaintext."""
    if server.database == "sqlite":
        path = _sqlite_path(server)
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal"))
                        if p.exists())
    return subprocess.run(["pg_dump", server.database_url, "--data-only"], check=True,
                          capture_output=True).stdout


@pytest.mark.parametrize("filename", ["encryption.key", "jwt_secret.key"])
def test_generated_keys_are_private(server, filename):
    path = server.data_dir / filename
    assert path.exists(), f"{filename} not written to the data folder ({sorted(p.name for p in server.data_dir.iterdir())})"
    mode = stat.S_IMODE(path.stat().st_mode)
    assert mode == 0o600, f"{filename} has mode {oct(mode)}"
    assert path.read_bytes().strip(), f"{filename} is empty"


def test_stored_password_is_a_fernet_token_under_the_generated_key(server, cameras):
    secret = "at-rest-" + uuid.uuid4().hex
    cam = cameras.create(name=alnum_unique("fernet"), username="u", password=secret)
    stored = _as_text(_read_stored(server, cam["name"]))
    assert secret not in stored
    key = (server.data_dir / "encryption.key").read_bytes().strip()
    assert Fernet(key).decrypt(stored.encode()).decode() == secret
    assert secret.encode() not in _database_text(server), "the plaintext password is in the database"


def test_server_reads_a_token_written_by_python(server, admin_api, authed_camera, cameras):
    """A token made by `cryptography` opens the authed camera through the server."""
    cam = cameras.create(authed_camera, name=alnum_unique("pyfernet"), username=RTSP_USER,
                         password="placeholder-password")
    key = (server.data_dir / "encryption.key").read_bytes().strip()
    _write_stored(server, cam["name"], Fernet(key).encrypt(RTSP_PASSWORD.encode()).decode())
    r = admin_api.post("/api/cameras/test", json={"camera_id": cam["id"], "host": authed_camera.host,
                                                  "port": authed_camera.port, "username": RTSP_USER,
                                                  "stream_path": "/vtest"})
    assert r.status_code == 200, r.text
    assert r.json()["ok"] is True


def test_encryption_key_from_the_environment(make_server):
    key = Fernet.generate_key().decode()
    srv = make_server(env={"ENCRYPTION_KEY": key})
    admin = srv.login()
    name = alnum_unique("envkey")
    secret = "env-key-" + uuid.uuid4().hex
    r = admin.post("/api/cameras", params={"validate": "false"},
                   json=camera_input(None, name=name, username="u", password=secret))
    assert r.status_code == 201, r.text
    stored = _as_text(_read_stored(srv, name))
    assert Fernet(key.encode()).decrypt(stored.encode()).decode() == secret


def test_stored_secrets_never_reach_the_log(server, admin_api, cameras):
    """Neither the Fernet token of a camera password nor a user's password hash is logged."""
    log = LogWindow(server)
    r = admin_api.post("/api/users", json={"username": alnum_unique("hash"), "password": "hash-me-please",
                                           "role": "viewer"})
    assert r.status_code == 201, r.text
    cam = cameras.create(name=alnum_unique("logged"), username="u", password="log-" + uuid.uuid4().hex)
    token = _as_text(_read_stored(server, cam["name"]))
    text = log.text()
    assert token not in text, "the camera's password_encrypted token is in the server log"
    hashes = re.findall(r"\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53}", text)
    assert not hashes, f"bcrypt password hashes in the server log: {hashes[:2]}"
