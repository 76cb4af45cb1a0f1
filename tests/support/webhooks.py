"""A webhook receiver for tests and benchmarks: a small HTTP server on 127.0.0.1 that keeps every
call it gets (when it came, its headers and body, what it answered), and checks of the NVR's
signature (docs/design/events.md, Notifications).

`fail_first` makes it a receiver that is down at first: it answers 500 to the first N attempts of
every delivery (told apart by `X-Ronin-Delivery`) and 200 after, so each delivery is retried.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class WebhookCall:
    """One request the receiver got."""
    received_at: float  # wall clock (epoch seconds) when its body had been read
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes
    answered: int

    @property
    def delivery(self) -> str | None:
        return self.headers.get("x-ronin-delivery")

    def json(self) -> dict:
        return json.loads(self.body)


def expected_signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>`: HMAC-SHA256 under `secret` of `<timestamp>.<body>`."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signature_problem(call: WebhookCall, secret: str, max_age: float = 300.0) -> str | None:
    """Why the call's signature does not hold (None when it does): the timestamp must be Unix
    seconds within `max_age` of when it came, and the signature the HMAC of `<timestamp>.<body>`."""
    timestamp = call.headers.get("x-ronin-timestamp", "")
    signature = call.headers.get("x-ronin-signature", "")
    if not timestamp.isdigit():
        return f"X-Ronin-Timestamp is not Unix seconds: {timestamp!r}"
    if abs(int(timestamp) - call.received_at) > max_age:
        return f"X-Ronin-Timestamp {timestamp} is {call.received_at - int(timestamp):.0f} s away from the call"
    if not hmac.compare_digest(signature, expected_signature(secret, timestamp, call.body)):
        return f"X-Ronin-Signature {signature!r} is not the HMAC-SHA256 of <timestamp>.<body>"
    return None


@dataclass
class WebhookReceiver:
    """The HTTP server; `url` is where to point NOTIFY_WEBHOOK_URLS. A context manager."""
    fail_first: int = 0
    calls: list[WebhookCall] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._attempts: dict[str, int] = {}
        self._arrived = threading.Condition(self._lock)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (the http.server name)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = receiver._answer(headers.get("x-ronin-delivery") or "")
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                receiver._keep(WebhookCall(time.time(), self.path, headers, body, status))

            def log_message(self, *_args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="webhook-receiver", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hook"

    def start(self) -> "WebhookReceiver":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "WebhookReceiver":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _answer(self, delivery: str) -> int:
        with self._lock:
            attempt = self._attempts.get(delivery, 0) + 1
            self._attempts[delivery] = attempt
        return 500 if attempt <= self.fail_first else 200

    def _keep(self, call: WebhookCall) -> None:
        with self._arrived:
            self.calls.append(call)
            self._arrived.notify_all()

    def snapshot(self) -> list[WebhookCall]:
        """The calls so far, in the order they came."""
        with self._lock:
            return list(self.calls)

    def wait_for_call(self, check, timeout: float) -> WebhookCall | None:
        """The first call (already there or still to come) for which `check(call)` holds, or None
        at the deadline."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                found = next((c for c in self.calls if check(c)), None)
                left = deadline - time.monotonic()
                if found or left <= 0:
                    return found
                self._arrived.wait(left)
