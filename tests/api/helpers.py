"""Shared helpers for the API tests: error-shape assertions, camera inputs, JWT forging, log windows.

Everything here follows docs/api.md; a helper that checks a response checks the contract, so a
server that drifts from the document fails the test that uses it.
"""
import base64
import hashlib
import hmac
import json
import re
import uuid

import requests
import requests.adapters

from support.net import refused_port

# The `error` code that docs/api.md pairs with each status (422 has two).
ERROR_CODES = {
    400: {"bad_request"},
    401: {"unauthorized"},
    403: {"forbidden"},
    404: {"not_found"},
    405: {"method_not_allowed"},
    409: {"conflict"},
    413: {"payload_too_large"},
    415: {"unsupported_media_type"},
    422: {"validation_failed", "probe_failed"},
    429: {"too_many_attempts", "too_many_exports"},
    503: {"busy"},
}

# Credentials of the `authed_camera` fixture (tests/conftest.py).
RTSP_USER = "viewer"
RTSP_PASSWORD = "s3cret-rtsp"

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
ISO_Z_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")

CAMERA_FIELDS = {
    "id", "name", "folder_name", "host", "port", "username", "has_password", "stream_path",
    "substream_path", "has_substream", "transport", "enabled", "recording_enabled", "audio_enabled", "group",
    "sort_order", "created_at", "updated_at",
}
USER_FIELDS = {"id", "username", "role", "created_at", "updated_at"}


def unique(prefix: str = "t") -> str:
    """A name no other test uses (the session server is shared)."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def alnum_unique(prefix: str = "t") -> str:
    """Like `unique` but letters and digits only, so collations cannot reorder it."""
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def assert_error(r: requests.Response, status, code: str | None = None) -> dict:
    """Asserts `r` is an error with one of `status`, the contract's JSON body and matching code."""
    statuses = (status,) if isinstance(status, int) else tuple(status)
    assert r.status_code in statuses, (
        f"{r.request.method} {r.request.url}: expected {statuses}, got {r.status_code}: {r.text[:500]!r}")
    ctype = r.headers.get("Content-Type", "")
    assert ctype.startswith("application/json"), f"error body is not JSON ({ctype!r}): {r.text[:300]!r}"
    body = r.json()
    assert isinstance(body, dict), body
    assert isinstance(body.get("error"), str) and body["error"], body
    assert isinstance(body.get("message"), str) and body["message"].strip(), body
    assert body["error"] in ERROR_CODES.get(r.status_code, {body["error"]}), (
        f"status {r.status_code} with error code {body['error']!r}; docs/api.md pairs it with "
        f"{sorted(ERROR_CODES[r.status_code])}")
    if code is not None:
        assert body["error"] == code, body
    return body


def assert_iso_z(value) -> None:
    assert isinstance(value, str) and ISO_Z_RE.match(value), f"not an ISO 8601 UTC time with Z: {value!r}"


def assert_camera_shape(cam: dict) -> None:
    assert set(cam) == CAMERA_FIELDS, f"camera fields differ from docs/api.md: {sorted(set(cam) ^ CAMERA_FIELDS)}"
    assert UUID_RE.match(cam["id"]), cam["id"]
    assert isinstance(cam["has_password"], bool)
    assert "password" not in cam and "password_encrypted" not in cam
    assert_iso_z(cam["created_at"])
    assert_iso_z(cam["updated_at"])


def assert_user_shape(user: dict) -> None:
    assert set(user) == USER_FIELDS, f"user fields differ from docs/api.md: {sorted(set(user) ^ USER_FIELDS)}"
    assert UUID_RE.match(user["id"]), user["id"]
    assert user["role"] in ("admin", "viewer")
    assert_iso_z(user["created_at"])
    assert_iso_z(user["updated_at"])


def closed_port() -> int:
    """A loopback port nothing listens on, held so that nothing can for the rest of the session."""
    return refused_port()


def camera_input(cam=None, path: str = "/vtest", **fields) -> dict:
    """Camera input for the test camera `cam` at `path`, or for a closed port when `cam` is None.

    Recording is off unless asked for, so that cameras made by tests do not start ffmpeg.
    """
    body = {"name": unique("cam"), "recording_enabled": False}
    if cam is None:
        body.update(host="127.0.0.1", port=closed_port(), stream_path=path)
    else:
        body.update(host=cam.host, port=cam.port, stream_path=path)
    body.update(fields)
    return body


def probe_input(cam, path: str = "/vtest", **fields) -> dict:
    body = {"host": cam.host, "port": cam.port, "stream_path": path}
    body.update(fields)
    return body


class LogWindow:
    """The part of a server's log written after this object was made."""

    def __init__(self, server) -> None:
        self.server = server
        self.start = len(server.log_text())

    def text(self) -> str:
        return self.server.log_text()[self.start:]


# --- JWT forging (no PyJWT here; HS256 by hand is short) -------------------------------------

def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jwt_decode(token: str) -> tuple[dict, dict, str]:
    header, payload, signature = token.split(".")
    return json.loads(b64url_decode(header)), json.loads(b64url_decode(payload)), signature


_HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


def jwt_sign(header: dict, payload: dict, key: bytes) -> str:
    signing_input = b64url(json.dumps(header, separators=(",", ":")).encode()) + "." + \
        b64url(json.dumps(payload, separators=(",", ":")).encode())
    if header.get("alg") == "none":
        return signing_input + "."
    mac = hmac.new(key, signing_input.encode(), _HASHES[header["alg"]]).digest()
    return signing_input + "." + b64url(mac)


def hmac_key_candidates(raw: bytes) -> list[bytes]:
    """Ways a key file might hold an HMAC key: as is, trimmed, base64, base64url, hex."""
    out = [raw, raw.strip()]
    text = raw.strip().decode(errors="ignore")
    for decode in (lambda t: base64.b64decode(t + "=" * (-len(t) % 4), validate=True),
                   lambda t: base64.urlsafe_b64decode(t + "=" * (-len(t) % 4)),
                   bytes.fromhex):
        try:
            out.append(decode(text))
        except Exception:
            pass
    return out


def find_jwt_key(token: str, raw_key_file: bytes) -> bytes | None:
    """The key in `raw_key_file` that reproduces `token`'s HMAC signature, if any."""
    header, _, signature = jwt_decode(token)
    digest = _HASHES.get(header.get("alg"))
    if digest is None:
        return None
    signing_input = token.rsplit(".", 1)[0].encode()
    for key in hmac_key_candidates(raw_key_file):
        if hmac.compare_digest(b64url(hmac.new(key, signing_input, digest).digest()), signature):
            return key
    return None


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


class _SourceAddressAdapter(requests.adapters.HTTPAdapter):
    """Connects from a chosen local address (any 127.x.y.z reaches a server on 127.0.0.1)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        return super().init_poolmanager(*args, **kwargs)


def session_from(address: str) -> requests.Session:
    """A requests session whose connections come from `address`, as another machine's would."""
    session = requests.Session()
    adapter = _SourceAddressAdapter(address)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
