"""SIGTERM stops the server gracefully: a request in flight still gets its answer."""
import signal
import socket
import threading

import requests

from .helpers import unique


def test_sigterm_finishes_in_flight_requests(make_server):
    server = make_server(env={"CAMERA_PROBE_TIMEOUT_SECONDS": "4"})
    api = server.login()
    # A TCP port that accepts connections but never answers RTSP: the probe waits its timeout.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    answer = {}

    def probe():
        answer["response"] = api.post("/api/cameras/test", json={"name": unique("slow"), "host": "127.0.0.1",
                                                                 "port": port, "stream_path": "/x"})

    worker = threading.Thread(target=probe)
    worker.start()
    # The request is in flight once the server's probe has connected to the silent port.
    silent.settimeout(30)
    prober, _ = silent.accept()
    server.proc.send_signal(signal.SIGTERM)
    worker.join(timeout=30)
    prober.close()
    silent.close()
    assert server.proc.wait(timeout=30) == 0
    response = answer["response"]
    assert response.status_code == 422
    assert response.json()["error"] == "probe_failed"
    assert "Timed out" in response.json()["message"]
    # Once stopped, it no longer listens.
    try:
        requests.get(server.base_url + "/api/health", timeout=2)
        assert False, "the server still answers after SIGTERM"
    except requests.ConnectionError:
        pass
