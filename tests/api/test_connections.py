"""HTTP connections cannot be hoarded: idle and slow-talking connections are closed after
HTTP_IDLE_TIMEOUT_SECONDS, at most HTTP_MAX_CONNECTIONS are served at once (the rest wait, and
are served as others close), and the open-files limit is raised at start-up."""
import http.client
import resource
import socket
import time

import pytest
import requests


def connect(srv) -> socket.socket:
    return socket.create_connection(("127.0.0.1", srv.port), timeout=10)


def closed_by_server(sock: socket.socket, within: float) -> float | None:
    """Seconds until the server closed `sock` (reading gives b""), or None if it stayed open."""
    started = time.monotonic()
    sock.settimeout(0.2)
    while time.monotonic() - started < within:
        try:
            if sock.recv(4096) == b"":
                return time.monotonic() - started
        except socket.timeout:
            continue
        except ConnectionResetError:
            return time.monotonic() - started
    return None


def answered(sock: socket.socket) -> bool:
    """Sends one keep-alive request on `sock`; whether a whole 200 response came back on it."""
    sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
    response = http.client.HTTPResponse(sock)
    response.begin()
    response.read()
    return response.status == 200 and not response.will_close


@pytest.fixture
def impatient(make_server):
    return make_server(env={"HTTP_IDLE_TIMEOUT_SECONDS": "2", "HTTP_MAX_CONNECTIONS": "16"})


def test_idle_and_slow_connections_are_closed(impatient):
    idle = connect(impatient)
    # A slow client trickles a request's header a byte at a time and never finishes it.
    slow = connect(impatient)
    slow.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
    trickled = time.monotonic()
    closed_after = None
    while time.monotonic() - trickled < 10:
        try:
            slow.sendall(b"X")
        except OSError:
            closed_after = time.monotonic() - trickled
            break
        if closed_by_server(slow, within=0.5) is not None:
            closed_after = time.monotonic() - trickled
            break
    assert closed_after is not None and closed_after < 8, "a request trickled in forever kept its connection"
    assert closed_by_server(idle, within=8) is not None, "an idle connection was kept open"
    # A client that keeps talking keeps its connection: four requests a second apart, twice the
    # idle limit in all, on one connection (http.client opens a new one only if that was closed).
    talker = http.client.HTTPConnection("127.0.0.1", impatient.port, timeout=10)
    try:
        first = None
        for n in range(4):
            try:
                talker.request("GET", "/api/health")
                response = talker.getresponse()
                response.read()
            except (http.client.HTTPException, OSError) as error:
                raise AssertionError(f"the connection was closed after request {n}: {error!r}") from error
            assert response.status == 200
            first = first or talker.sock
            assert talker.sock is not None and talker.sock is first, f"the connection was closed after request {n + 1}"
            time.sleep(1)  # time passes on purpose: the talker pauses, but never for the idle limit
    finally:
        talker.close()


def test_connections_beyond_the_cap_wait_and_are_served_when_others_close(make_server):
    srv = make_server(env={"HTTP_IDLE_TIMEOUT_SECONDS": "120", "HTTP_MAX_CONNECTIONS": "16"})
    hoard = [connect(srv) for _ in range(16)]
    # Each is answered once and kept open: the server has accepted all sixteen.
    for sock in hoard:
        assert answered(sock), "a connection within the cap was not served"
    with pytest.raises(requests.exceptions.Timeout):
        requests.get(srv.base_url + "/api/health", timeout=2)
    for sock in hoard[:4]:
        sock.close()
    r = requests.get(srv.base_url + "/api/health", timeout=10)
    assert r.status_code == 200
    for sock in hoard[4:]:
        sock.close()


def test_the_open_files_limit_is_raised_to_the_hard_limit(make_server):
    srv = make_server(start=False)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    # Started as a service manager might start it, with a low soft limit (it is inherited).
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(256, hard), hard))
    try:
        srv.start()
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    limits = open(f"/proc/{srv.proc.pid}/limits").read()
    line = next(l for l in limits.splitlines() if l.startswith("Max open files"))
    assert line.split()[3:5] == [str(hard), str(hard)], line
