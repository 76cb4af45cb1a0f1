"""Footage nobody watched live (recorded while the server was down, live detection off) still
tells what happened: historical analysis writes events with source "historical", each inside its
recording, with the same artifacts as live ones, and pages nobody. Analysing it again replaces
those events instead of adding to them (docs/design/events.md, Events)."""
import time
from collections import Counter

import pytest

from detection.analysis_helpers import wait_for_jobs
from events.helpers import (LIVE_ENV, VEHICLES, assert_event_shape, check_artifacts, events,
                            seconds, wait_for_artifacts)
from recording.helpers import iso, recordings, utc
from support.footage import adopt_footage
from support.webhooks import WebhookReceiver

pytestmark = pytest.mark.sqlite_only  # footage, ffmpeg and the model, not the database: see tests/conftest.py

SEGMENTS, SEGMENT_SECONDS = 2, 20


def identity(event: dict) -> tuple:
    return event["kind"], event["class"], event["track_id"], event["start"], event["end"]


@pytest.mark.timeout(300)
def test_unwatched_footage_gets_historical_events_once(make_server):
    with WebhookReceiver() as hooks:
        server = make_server(env={**LIVE_ENV, "LIVE_DETECTION_ENABLED": "false", "NOTIFY_WEBHOOK_URLS": hooks.url,
                                  "NOTIFY_WEBHOOK_SECRET": "unused-secret"})
        camera, _ = adopt_footage(server, server.login(), "Side Gate", count=SEGMENTS, seconds=SEGMENT_SECONDS)
        api = server.login()
        rows = recordings(api, camera["id"])
        assert len(rows) == SEGMENTS, rows
        # The start-up backfill analyses what it adopted.
        wait_for_jobs(api, lambda js: len(js) == SEGMENTS and all(j["state"] == "succeeded" for j in js), timeout=120,
                      camera_id=camera["id"], kind="detect")
        found = events(api, camera_id=camera["id"])
        assert found, "historical analysis of people walking past writes events"
        spans = {r["id"]: (seconds(r["start"]), seconds(r["end"])) for r in rows}
        for event in found:
            assert_event_shape(event)
            assert event["source"] == "historical" and not event["ongoing"], event
            assert any(start - 0.01 <= seconds(event["start"]) and seconds(event["end"]) <= end + 0.6
                       for start, end in spans.values()), f"an event outside every recording: {event}"
        assert not [e for e in found if e["class"] in VEHICLES], "the parked van and car never arrive"
        kinds = Counter((e["kind"], e["class"]) for e in found)
        assert kinds[("arrival", "person")] >= 1 and kinds[("departure", "person")] >= 1, kinds
        assert events(api, camera_id=camera["id"], source="live") == []
        assert {e["id"] for e in events(api, camera_id=camera["id"], source="historical")} == {e["id"] for e in found}

        # The same artifacts as live events.
        recorded_from = min(start for start, _ in spans.values())
        ready = wait_for_artifacts(api, [e["id"] for e in found[:4]], timeout=90)
        check_artifacts(api, list(ready.values()), recorded_from)

        # Asked for again, the analysis replaces its events: the same ones, none added.
        asked = time.time()
        r = api.post("/api/analysis", json={"camera_ids": [camera["id"]], "start": iso(utc(rows[0]["start"])),
                                            "end": iso(utc(rows[-1]["end"])), "force": True})
        assert r.status_code == 202 and r.json()["queued"] == SEGMENTS, r.text
        wait_for_jobs(api, lambda js: len(js) == SEGMENTS and all(j["state"] == "succeeded" and seconds(j["finished_at"]) >= asked
                                                                  for j in js), timeout=120, camera_id=camera["id"], kind="detect")
        again = events(api, camera_id=camera["id"])
        assert Counter(map(identity, again)) == Counter(map(identity, found)), \
            f"re-analysis changed the events: {sorted(Counter(map(identity, again)) - Counter(map(identity, found)))}"
        # Footage analysed after the fact is in the log; it pages nobody.
        assert hooks.snapshot() == [], "historical events are not notified"
