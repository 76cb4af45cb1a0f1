"""The `ronin` command line: `user create|passwd` against the server's own database, and
`serve --help` listing every setting."""
import os
import subprocess

import requests

from support.paths import RONIN_BIN

from .helpers import unique


def ronin(server, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RONIN_")}
    env.update(server.env)
    return subprocess.run([str(RONIN_BIN), *args], input=stdin, env=env, cwd=server.data_dir,
                          capture_output=True, text=True, timeout=60)


def can_login(server, username: str, password: str) -> bool:
    r = requests.post(server.base_url + "/api/auth/login", json={"username": username, "password": password}, timeout=30)
    return r.status_code == 200


def test_user_create_and_passwd(server):
    name = unique("cli")
    created = ronin(server, "user", "create", name, "--role", "viewer", "--password-stdin", stdin="first-password\n")
    assert created.returncode == 0, created.stderr
    assert can_login(server, name, "first-password")
    me = server.login(name, "first-password").get("/api/auth/me").json()
    assert me["role"] == "viewer"

    changed = ronin(server, "user", "passwd", name, "--password-stdin", stdin="second-password\n")
    assert changed.returncode == 0, changed.stderr
    assert not can_login(server, name, "first-password")
    assert can_login(server, name, "second-password")
    assert "second-password" not in changed.stdout + changed.stderr


def test_user_commands_refuse_bad_input(server):
    taken = ronin(server, "user", "create", server.admin_username, "--password-stdin", stdin="whatever-password\n")
    assert taken.returncode != 0 and "taken" in taken.stderr
    short = ronin(server, "user", "create", unique("cli"), "--password-stdin", stdin="short\n")
    assert short.returncode != 0 and "at least 8" in short.stderr
    unknown = ronin(server, "user", "passwd", unique("nobody"), "--password-stdin", stdin="long-enough-1\n")
    assert unknown.returncode != 0 and "No user" in unknown.stderr
    role = ronin(server, "user", "create", unique("cli"), "--role", "root", "--password-stdin", stdin="long-enough-1\n")
    assert role.returncode != 0


def test_serve_help_lists_every_setting(server):
    result = ronin(server, "serve", "--help")
    assert result.returncode == 0
    for name in ["DATABASE_URL", "STORAGE_ROOT", "JWT_SECRET_KEY", "ENCRYPTION_KEY", "RONIN_ADMIN_PASSWORD",
                 "RONIN_PORT", "RECORDING_SEGMENT_MINUTES", "LOG_LEVEL"]:
        assert name in result.stdout
    assert "(default: 8080)" in result.stdout


def test_bad_configuration_is_reported_by_name(server):
    env_server = type("S", (), {"env": dict(server.env, RONIN_PORT="not-a-port"), "data_dir": server.data_dir})
    result = ronin(env_server, "serve")
    assert result.returncode != 0
    assert "RONIN_PORT" in result.stderr
