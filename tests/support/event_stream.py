"""A reader of the NVR's event stream (`GET /api/events/stream`, Server-Sent Events) in a thread of
its own: every message it gets, with the wall-clock time it came, and the comment lines (the
keep-alives) counted.
"""
from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass

import requests


@dataclass
class StreamMessage:
    received_at: float
    event: str  # the `event:` field ("message" when there is none)
    data: str

    def json(self):
        return json.loads(self.data)


class EventStreamReader:
    """Opens the stream at `base_url` with the given headers (a bearer token, a cookie) and reads
    it until `close()`. `response` is the HTTP answer, kept to check its status and headers."""

    def __init__(self, base_url: str, headers: dict[str, str] | None = None, timeout: float = 10.0) -> None:
        self.messages: list[StreamMessage] = []
        self.comments = 0
        self._lock = threading.Condition()
        self._closed = False
        self.error: Exception | None = None
        self.response = requests.get(base_url + "/api/events/stream", headers=headers or {}, stream=True,
                                     timeout=(timeout, None))
        # Held to shut the connection down in close(): closing the response alone would wait for the
        # reading thread, blocked in recv on it, forever.
        connection = getattr(self.response.raw, "connection", None)
        self._socket = getattr(connection, "sock", None)
        if self.response.status_code == 200:
            self._thread = threading.Thread(target=self._read, name="event-stream", daemon=True)
            self._thread.start()

    def _read(self) -> None:
        event, data = "message", []
        try:
            for raw in self.response.iter_lines(decode_unicode=False, chunk_size=1):
                line = raw.decode("utf-8")
                if line == "":
                    if data:
                        self._keep(StreamMessage(time.time(), event, "\n".join(data)))
                    event, data = "message", []
                elif line.startswith(":"):
                    with self._lock:
                        self.comments += 1
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].removeprefix(" "))
        except Exception as e:  # the connection closed under it: kept, unless it was asked to
            if not self._closed:
                self.error = e

    def _keep(self, message: StreamMessage) -> None:
        with self._lock:
            self.messages.append(message)
            self._lock.notify_all()

    def of_kind(self, event: str) -> list[StreamMessage]:
        with self._lock:
            return [m for m in self.messages if m.event == event]

    def wait_for(self, check, timeout: float) -> StreamMessage | None:
        """The first message for which `check(message)` holds, waiting up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = next((m for m in self.messages if check(m)), None)
                left = deadline - time.monotonic()
                if found or left <= 0:
                    return found
                self._lock.wait(left)

    def close(self) -> None:
        self._closed = True
        if self._socket is not None:
            try:
                self._socket.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.response.close()
