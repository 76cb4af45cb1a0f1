"""Built-in HTTPS (RONIN_TLS_CERT_PATH, RONIN_TLS_KEY_PATH): the API and the web UI over TLS with
a certificate of the user's, Secure cookies, and clear start-up errors for unusable files."""
import datetime as dt
import ipaddress
import os
import subprocess

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from support.paths import RONIN_BIN


def make_certificate(folder):
    """A self-signed certificate for 127.0.0.1 and its key, as PEM files in `folder`."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ronin-test")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_https_serves_the_api_and_marks_cookies_secure(make_server, tmp_path):
    cert, key = make_certificate(tmp_path)
    srv = make_server(env={"RONIN_TLS_CERT_PATH": str(cert), "RONIN_TLS_KEY_PATH": str(key)}, start=False)
    srv.base_url = srv.base_url.replace("http://", "https://")
    srv.start(verify=str(cert))
    r = requests.get(srv.base_url + "/api/health", verify=str(cert), timeout=30)
    assert r.status_code == 200 and r.json()["status"] == "ok"
    assert r.headers["X-Frame-Options"] == "DENY"
    login = requests.post(srv.base_url + "/api/auth/login", json={"username": "admin", "password": srv.admin_password},
                          verify=str(cert), timeout=30)
    assert login.status_code == 200, login.text
    cookies = login.headers.get("Set-Cookie", "")
    assert "ronin_session=" in cookies and "ronin_device=" in cookies
    for cookie in login.raw.headers.getlist("Set-Cookie"):
        assert "Secure" in cookie and "HttpOnly" in cookie, cookie
    token = login.json()["access_token"]
    assert requests.get(srv.base_url + "/api/auth/me", headers={"Authorization": f"Bearer {token}"},
                        verify=str(cert), timeout=30).json()["username"] == "admin"
    assert requests.get(srv.base_url + "/", verify=str(cert), timeout=30).text.startswith("<!doctype html>")
    # Plain HTTP on the TLS port gets no answer from the application.
    with pytest.raises(requests.RequestException):
        requests.get(srv.base_url.replace("https://", "http://") + "/api/health", timeout=5).raise_for_status()


@pytest.mark.parametrize("broken, setting", [("cert", "RONIN_TLS_CERT_PATH"), ("key", "RONIN_TLS_KEY_PATH"), ("half", "RONIN_TLS_KEY_PATH")])
def test_unusable_tls_files_stop_the_server_with_the_setting_named(make_server, tmp_path, broken, setting):
    cert, key = make_certificate(tmp_path)
    (tmp_path / "garbage.pem").write_text("-----BEGIN NOTHING-----\nnope\n")
    env = {"RONIN_TLS_CERT_PATH": str(cert), "RONIN_TLS_KEY_PATH": str(key)}
    if broken == "cert":
        env["RONIN_TLS_CERT_PATH"] = str(tmp_path / "garbage.pem")
    elif broken == "key":
        env["RONIN_TLS_KEY_PATH"] = str(tmp_path / "missing.pem")
    else:
        del env["RONIN_TLS_KEY_PATH"]
    srv = make_server(env=env, start=False)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RONIN_")}
    environment.update(srv.env)
    result = subprocess.run([str(RONIN_BIN), "serve"], env=environment, cwd=srv.data_dir, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert setting in result.stderr + result.stdout, result.stderr[-2000:]
    assert "BEGIN" not in result.stderr
