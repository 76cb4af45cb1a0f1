"""First start without RONIN_ADMIN_PASSWORD: a generated admin password is printed once."""
import re

import requests

SECRET_TOKEN = re.compile(r"[^\s\"'`,;()\[\]{}<>]{8,}")


def _candidates(log: str) -> list[str]:
    """Strings that follow the word "password" on a log line, most likely first: `password: X`
    lines before any other mention."""
    out: list[str] = []
    for match in re.finditer(r"password\s*[:=]\s*([^\s\"',;]{8,})", log, re.IGNORECASE):
        if match.group(1) not in out:
            out.append(match.group(1))
    for line in log.splitlines():
        lower = line.lower()
        if "password" not in lower:
            continue
        tail = line[lower.rindex("password") + len("password"):]
        for token in SECRET_TOKEN.findall(tail):
            token = token.strip(".:=")
            if len(token) >= 8 and token not in out:
                out.append(token)
    return out


def _login(srv, password):
    return requests.post(srv.base_url + "/api/auth/login",
                         json={"username": "admin", "password": password}, timeout=30)


def test_generated_admin_password_is_printed_once_and_works(make_server):
    srv = make_server(start=False)
    srv.env.pop("RONIN_ADMIN_PASSWORD")
    srv.start()
    log = srv.log_text()
    candidates = _candidates(log)
    assert candidates, f"no generated password in the log:\n{log[-3000:]}"
    password = None
    for candidate in candidates[:4]:  # stays under the default lockout of 5 failures
        if _login(srv, candidate).status_code == 200:
            password = candidate
            break
    assert password, f"none of {candidates[:4]} logs in as admin"
    assert log.count(password) == 1, "the generated password is printed more than once"

    srv.stop()
    srv.start()
    assert srv.log_text().count(password) == 1, "a restart printed the admin password again"
    assert _login(srv, password).status_code == 200, "the admin password changed on restart"


def test_configured_secrets_never_reach_the_log_even_at_debug_level(make_server):
    hook_secret, jwt_secret = "hook-secret-in-env-77", "jwt-secret-in-env-0123456789abcdefgh"
    srv = make_server(env={"LOG_LEVEL": "debug", "NOTIFY_WEBHOOK_SECRET": hook_secret, "JWT_SECRET_KEY": jwt_secret})
    assert srv.login().get("/api/health").status_code == 200
    srv.stop()  # stopping logs every service again
    log = srv.log_text()
    assert "debug" in log and "Starting service" in log, "the server logged at debug level"
    for secret in (srv.admin_password, hook_secret, jwt_secret):
        assert secret not in log, "a configured secret is in the log"
