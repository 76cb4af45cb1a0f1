"""A small WebSocket client (RFC 6455) for the live view tests: the upgrade with the NVR's
credentials, then messages (text or binary) read as they come, pings answered. No library:
what the tests check is the protocol the browser sees.
"""
from __future__ import annotations

import base64
import os
import socket
import struct
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Message:
    text: str | None
    data: bytes | None
    received_at: float


class WebSocketRefused(Exception):
    def __init__(self, status: int, head: str) -> None:
        super().__init__(f"upgrade refused: {status}\n{head}")
        self.status = status


class WebSocket:
    def __init__(self, url: str, headers: dict[str, str] | None = None, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        lines = [f"GET {path} HTTP/1.1", f"Host: {parts.hostname}:{parts.port}", "Upgrade: websocket", "Connection: Upgrade",
                 f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            self.buffer += chunk
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        text = head.decode(errors="replace")
        status = int(text.split(" ", 2)[1]) if " " in text else 0
        if status != 101:
            self.sock.close()
            raise WebSocketRefused(status, text)
        self.closed = False

    def _read(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.sock.recv(max(65536, count - len(self.buffer)))
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def _send(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        header = bytes([0x80 | opcode])
        length = len(payload)
        if length < 126:
            header += bytes([0x80 | length])
        elif length < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", length)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", length)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def receive(self, timeout: float = 10.0) -> Message:
        """The next text or binary message (control frames handled on the way)."""
        self.sock.settimeout(timeout)
        parts, opcode = [], None
        while True:
            first, second = self._read(2)
            fin, frame_opcode = first & 0x80, first & 0x0F
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if second & 0x80 else None
            payload = self._read(length)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if frame_opcode == 0x9:
                self._send(0xA, payload)
                continue
            if frame_opcode == 0xA:
                continue
            if frame_opcode == 0x8:
                self.closed = True
                raise ConnectionError("the server closed the WebSocket")
            if frame_opcode in (0x1, 0x2):
                opcode = frame_opcode
            parts.append(payload)
            if fin:
                data = b"".join(parts)
                return Message(data.decode() if opcode == 0x1 else None, data if opcode == 0x2 else None, time.time())

    def close(self) -> None:
        try:
            if not self.closed:
                self._send(0x8, struct.pack(">H", 1000))
        except OSError:
            pass
        self.sock.close()
