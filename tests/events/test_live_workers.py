"""Live workers on other machines (docs/design/events.md, Live workers): on PostgreSQL, a server
that records a camera but does not detect sends its stream to `ronin worker --kinds live`, which
watches it, writes the events and passes them to the server's event stream; when that worker is
killed, another takes the camera over once the lease has run out, and the watch the dead worker
left open is closed. The server never opens a second connection to the camera, and detection
settings changed through it reach the workers without a restart.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from events.helpers import LIVE_ENV, events, wait_for_events
from recording.helpers import add_camera, wait_for_state
from support.event_stream import EventStreamReader
from support.server import RoninServer
from support.workers import WorkerProcess
from support.waiting import wait_for


class LiveWorker(WorkerProcess):
    """One `ronin worker --kinds live` process with a server's settings."""

    def __init__(self, server: RoninServer, name: str) -> None:
        super().__init__(server, f"live-{name}", "live", {**LIVE_ENV, "LIVE_WORKER_ADDRESS": "127.0.0.1"},
                         drop=("RONIN_", "DATABASE_URL", "LIVE_"))


def children(pid: int) -> list[str]:
    """The command lines of a process's ffmpeg children."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                line = f.read().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid and "ffmpeg" in line:
            found.append(line)
    return found


def live_status(api, camera_id: str) -> dict:
    found = [c for c in api.get("/api/ml/status").json()["live"] if c["camera_id"] == camera_id]
    return found[0] if found else {}


@pytest.mark.timeout(300)
def test_a_worker_elsewhere_watches_the_servers_camera_and_another_takes_over_when_it_dies(postgres, test_camera):
    # The server records and serves, and does not detect live itself.
    server = RoninServer("postgres", postgres.create_database(), "live-workers",
                         {**LIVE_ENV, "LIVE_DETECTION_ENABLED": "false", "RONIN_RUN_WORKERS": "false"}).start()
    workers: list[LiveWorker] = []
    stream = None
    try:
        api = server.login()
        stream = EventStreamReader(server.base_url, {"Authorization": f"Bearer {api.token}"})
        camera = add_camera(api, test_camera, "/vtest-noaudio", audio_enabled=False, name="Side Gate")
        wait_for_state(api, camera["id"], {"recording"}, timeout=60)
        first = LiveWorker(server, "a")
        workers.append(first)
        status = wait_for(lambda: (s := live_status(api, camera["id"])).get("state") == "elsewhere" and s, 45)
        assert f":{first.proc.pid}:" in status["worker"], status

        # The worker's events are in the database, and reach the server's event stream.
        found = wait_for_events(api, lambda es: any(e["kind"] == "arrival" for e in es), timeout=120, camera_id=camera["id"])
        arrival = next(e for e in found if e["kind"] == "arrival")
        assert arrival["source"] == "live" and arrival["class"] == "person", arrival
        assert stream.wait_for(lambda m: m.event == "activity" and m.json()["id"] == arrival["id"], 30), \
            "the worker's event never reached the server's event stream"
        assert stream.wait_for(lambda m: m.event == "presence" and m.json()["camera_id"] == camera["id"], 5), \
            "what the worker sees is on the server's stream"

        # It dies; a second worker takes the camera over once the lease has run out, and the
        # first one's ongoing events are closed, not left ongoing for ever.
        second = LiveWorker(server, "b")
        workers.append(second)
        time.sleep(4)  # the second worker is alive, and the first keeps its camera: a held camera is never taken
        assert f":{first.proc.pid}:" in live_status(api, camera["id"])["worker"]
        first.proc.kill()
        first.proc.wait()
        wait_for(lambda: f":{second.proc.pid}:" in (live_status(api, camera["id"]).get("worker") or ""), 45)
        before = {e["id"] for e in events(api, camera_id=camera["id"])}
        wait_for(lambda: not [e for e in events(api, camera_id=camera["id"]) if e["ongoing"] and e["id"] in before], 30)
        wait_for_events(api, lambda es: any(e["id"] not in before and e["kind"] in ("arrival", "departure") for e in es), timeout=120,
                        camera_id=camera["id"])
        # The worker reads the server's own copy of the stream, relayed to it, and never the camera.
        assert server.log_text().count("Relaying the live tap") >= 2, "the server relayed its stream to each worker"
        readers = wait_for(lambda: children(second.proc.pid), 30)
        for line in readers:
            # A stream's URL reaches ffmpeg in a private ffconcat file, never on its command line.
            source = next(Path(part) for part in line.split() if part.endswith(".ffconcat"))
            text = source.read_text()
            assert "udp://0.0.0.0:" in text and "rtsp" not in text, (line, text)

        # Settings changed through the server reach the worker without a restart: with live
        # detection turned off for the camera, the worker lets it go and its readers end.
        r = api.put(f"/api/cameras/{camera['id']}/detection", json={"live_enabled": False, "cooldown_seconds": None, "pipeline": {}})
        assert r.status_code == 200, r.text
        wait_for(lambda: live_status(api, camera["id"]).get("state") == "off", 45)
        wait_for(lambda: not children(second.proc.pid), 30)
        assert second.proc.poll() is None, "the worker keeps running"
    finally:
        if stream:
            stream.close()
        for worker in workers:
            worker.stop()
        server.stop()
