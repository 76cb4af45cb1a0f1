"""Live detection end to end (docs/design/events.md): the test camera serves vtest.avi, the NVR
records it and watches its own copy of the stream, and tells what happened.

One server watches one camera for the whole module (the tests read what it saw, in order):

- people arrive and depart; the parked van and car never arrive; an arrival is closed when its
  object departs, not duplicated;
- every closed event gets a snapshot with its boxes drawn, a 2x2 mosaic and a clip that plays and
  lasts the event plus EVENT_PRE_SECONDS and EVENT_POST_SECONDS, within a GOP;
- two webhook receivers get one signed call per debounced event (none during the cooldown of the
  same camera, class and kind); the one that answers 500 at first gets each delivery again;
- the event stream sends every event as it is written, to signed-in clients only;
- analysing footage that live detection watched adds no second event;
- a restart (SIGTERM, then kill -9) during an ongoing event loses no event and duplicates none.
"""
from __future__ import annotations

import signal
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import requests

from detection.analysis_helpers import detections, wait_for_jobs
from events.helpers import (LIVE_ENV, VEHICLES, assert_event_shape, check_artifacts, closed_before,
                            events, seconds, wait_for_artifacts, wait_for_events)
from recording.helpers import add_camera, iso, recordings, utc, wait_for_state
from support.event_stream import EventStreamReader
from support.images import JPEG_MAGIC, image_size
from support.server import ApiClient, RoninServer
from support.waiting import wait_for
from support.webhooks import WebhookReceiver, signature_problem

pytestmark = pytest.mark.sqlite_only  # footage, ffmpeg and the model, not the database: see tests/conftest.py

COOLDOWN = 10
SECRET = "webhook-secret-for-tests"
# How long the camera is watched before the tests read what happened: long enough for people to
# arrive and depart, and for the cooldown to pass twice.
MIN_DEPARTURES = 3


@dataclass
class Site:
    """The watching server and what it talks to; `api` is replaced when the server restarts."""
    server: RoninServer
    api: ApiClient
    camera: dict
    hooks: WebhookReceiver
    flaky: WebhookReceiver
    stream: EventStreamReader
    observed_at: float = 0.0
    seen: list[dict] = field(default_factory=list)

    def live(self) -> list[dict]:
        return events(self.api, camera_id=self.camera["id"], source="live")


@pytest.fixture(scope="module")
def site(test_camera):
    hooks, flaky = WebhookReceiver().start(), WebhookReceiver(fail_first=1).start()
    server = RoninServer("sqlite", None, "live-events", env={
        **LIVE_ENV, "LIVE_DETECTION_COOLDOWN": str(COOLDOWN), "NOTIFY_WEBHOOK_SECRET": SECRET,
        "NOTIFY_WEBHOOK_URLS": f"{hooks.url},{flaky.url}"})
    server.env["RONIN_PUBLIC_URL"] = server.base_url
    stream = None
    try:
        server.start()
        api = server.login()
        stream = EventStreamReader(server.base_url, {"Authorization": f"Bearer {api.token}"})
        assert stream.response.status_code == 200, stream.response.text
        camera = add_camera(api, test_camera, "/vtest-noaudio", audio_enabled=False, name="Front Hall")
        wait_for_state(api, camera["id"], {"recording"}, timeout=60)
        yield Site(server, api, camera, hooks, flaky, stream)
    finally:
        if stream:
            stream.close()
        server.stop()
        hooks.stop()
        flaky.stop()


def enough_seen(found: list[dict]) -> bool:
    departures = [e for e in found if e["kind"] == "departure" and e["class"] == "person"]
    if len(departures) < MIN_DEPARTURES or not found:
        return False
    first = min(seconds(e["created_at"]) for e in found)
    return time.time() - first >= 2 * COOLDOWN + 5


@pytest.fixture(scope="module")
def observed(site) -> Site:
    site.seen = wait_for_events(site.api, enough_seen, timeout=150, camera_id=site.camera["id"], source="live")
    site.observed_at = time.time()
    return site


@pytest.mark.timeout(300)
def test_people_arrive_and_depart_and_the_parked_vehicles_never_arrive(observed):
    found = observed.seen
    for event in found:
        assert_event_shape(event)
        assert event["camera_id"] == observed.camera["id"] and event["camera_name"] == "Front Hall", event
    assert not [e for e in found if e["class"] in VEHICLES], \
        f"the parked van and car are in view from the start: {[(e['kind'], e['class']) for e in found if e['class'] in VEHICLES]}"
    arrivals = [e for e in found if e["kind"] == "arrival" and e["class"] == "person"]
    departures = [e for e in found if e["kind"] == "departure" and e["class"] == "person"]
    assert len(arrivals) >= 2 and len(departures) >= MIN_DEPARTURES, Counter((e["kind"], e["class"]) for e in found)
    # One arrival and one departure per object at most.
    for kind in ("arrival", "departure"):
        tracks = Counter(e["track_id"] for e in found if e["kind"] == kind)
        assert all(n == 1 for n in tracks.values()), f"{kind}s repeat an object: {tracks}"
    # A departure closes its object's arrival (the same row, ended), and is written as its own event.
    closed = 0
    for departure in departures:
        arrival = next((a for a in arrivals if a["track_id"] == departure["track_id"]), None)
        if arrival is None:
            continue  # in view when watching began: it never arrived
        closed += 1
        assert not arrival["ongoing"] and arrival["end"], f"the departure did not close the arrival: {arrival}"
        assert abs(seconds(arrival["start"]) - seconds(departure["start"])) < 0.6, (arrival, departure)
        assert seconds(departure["end"]) - 0.6 <= seconds(arrival["end"]) <= seconds(departure["created_at"]) + 1, (arrival, departure)
    assert closed >= 1, "at least one person arrived and departed while watched"
    # The event list is newest first.
    starts = [seconds(e["start"]) for e in found]
    assert starts == sorted(starts, reverse=True)


@pytest.mark.timeout(240)
def test_every_closed_event_has_a_snapshot_with_boxes_a_mosaic_and_a_clip(observed):
    api = observed.api
    rows = recordings(api, observed.camera["id"])
    recorded_from = min(seconds(r["start"]) for r in rows)
    # Every event that was over when the observation ended (the footage after it is there for
    # the clip's tail). Artifacts are jobs: on a busy scene they may run well behind the events.
    done = closed_before(observed.live(), observed.observed_at - 3)
    assert len(done) >= MIN_DEPARTURES, done
    ready = wait_for_artifacts(api, [e["id"] for e in done], timeout=150)
    sample = next(iter(ready.values()))
    path = f"/api/events/{sample['id']}/snapshot.jpg"
    small = api.get(path, params={"height": "120"})
    assert small.status_code == 200 and small.content.startswith(JPEG_MAGIC), small.status_code
    width, height = image_size(small.content)
    full_width, full_height = image_size(api.get(path).content)
    assert height == 120 and abs(width - 120 * full_width / full_height) <= 2, (width, height)
    # A closed event's pictures never change: cacheable for good, and revalidated with its ETag.
    first = api.get(path)
    assert first.headers.get("Cache-Control") == "private, max-age=31536000, immutable", first.headers
    etag = first.headers.get("ETag")
    assert etag, first.headers
    assert api.get(path, headers={"If-None-Match": etag}).status_code == 304
    for height in ("0", "15", "2161", "100000", "-1", "abc", "1e3", ""):
        r = api.get(path, params={"height": height})
        assert r.status_code == 400 and r.json().get("error") == "bad_request", (height, r.status_code, r.text[:200])
    r = api.get(path, params={"boxes": "maybe"})
    assert r.status_code == 400, r.text
    # Viewers may look at events and their pictures.
    username = f"watcher-{int(time.time() * 1000) % 100000}"
    assert api.post("/api/users", json={"username": username, "password": "watcher-pass-1", "role": "viewer"}).status_code == 201
    viewer = observed.server.login(username, "watcher-pass-1")
    assert viewer.get(path).status_code == 200 and viewer.get(f"/api/events/{sample['id']}/clip.mp4").status_code == 200
    # The cookie alone is enough for <img> and <video>.
    cookie = {"Cookie": f"ronin_session={api.token}"}
    assert requests.get(observed.server.base_url + path, headers=cookie, timeout=30).status_code == 200
    assert requests.get(observed.server.base_url + path, timeout=30).status_code == 401
    # The mosaic and the clip are made when first asked for, and kept; a locked event has them
    # made at once, so they outlive its footage.
    folder = lambda e: observed.server.data_dir / "storage" / ".events" / e["camera_id"].lower() / e["id"].lower()  # noqa: E731
    unasked = [e for e in ready.values() if e["id"] != sample["id"]]
    if unasked:
        untouched = unasked[-1]
        assert not (folder(untouched) / "mosaic.jpg").exists() and not (folder(untouched) / "clip.mp4").exists(), \
            "nobody asked for this event's mosaic and clip yet"
        assert api.patch(f"/api/events/{untouched['id']}", json={"locked": True}).status_code == 200
        wait_for(lambda: (folder(untouched) / "mosaic.jpg").exists() and (folder(untouched) / "clip.mp4").exists(), 60)
        kept = (folder(untouched) / "clip.mp4").stat().st_mtime
        assert api.get(f"/api/events/{untouched['id']}/clip.mp4").status_code == 200
        assert (folder(untouched) / "clip.mp4").stat().st_mtime == kept, "a kept clip is served, not made again"
        assert api.patch(f"/api/events/{untouched['id']}", json={"locked": False}).status_code == 200
    # And every event's pictures and clip (last: it reports every event's problems at once).
    check_artifacts(api, list(ready.values()), recorded_from)


def debounce_problems(found: list[dict], sent: set[str], until: float) -> list[str]:
    """What breaks NotificationPolicy's rule among the live events written before `until`: per
    camera, class and kind, a sent event never follows another sent one within the cooldown, and
    an event not sent always does (within a second of slack either way for clocks and writes)."""
    problems = []
    by_key: dict[tuple, list[dict]] = {}
    for e in sorted(found, key=lambda e: seconds(e["created_at"])):
        if seconds(e["created_at"]) < until:
            by_key.setdefault((e["camera_id"], e["class"], e["kind"]), []).append(e)
    for key, group in by_key.items():
        sent_times = [seconds(e["created_at"]) for e in group if e["id"] in sent]
        for a, b in zip(sent_times, sent_times[1:]):
            if b - a < COOLDOWN - 1:
                problems.append(f"{key}: two notifications {b - a:.1f} s apart, within the {COOLDOWN} s cooldown")
        for e in group:
            t = seconds(e["created_at"])
            if e["id"] not in sent and not any(t - COOLDOWN - 1 <= s <= t for s in sent_times):
                problems.append(f"{key}: event {e['id']} at {e['created_at']} was not sent, and nothing of its kind was sent "
                                f"in the {COOLDOWN} s before it")
    return problems


@pytest.mark.timeout(120)
def test_one_signed_webhook_call_per_debounced_event(observed):
    calls = observed.hooks.snapshot()
    found = observed.live()
    assert calls, "the receiver got no call"
    by_event: dict[str, set[str]] = {}
    for call in calls:
        assert call.path == "/hook" and call.headers.get("content-type", "").startswith("application/json"), call.headers
        problem = signature_problem(call, SECRET)
        assert problem is None, problem
        body = call.json()
        assert body["type"] == "event" and set(body) >= {"type", "event", "camera", "urls"}, body
        event = body["event"]
        assert_event_shape(event)
        assert event["source"] == "live", "historical events page nobody"
        assert body["camera"] == {"id": observed.camera["id"], "name": "Front Hall"}, body["camera"]
        assert call.headers.get("x-ronin-event", "").lower() == event["id"].lower(), call.headers
        assert call.delivery, "every call names its delivery"
        for name in ("snapshot", "mosaic", "clip", "event"):
            url = body["urls"][name]
            assert url.startswith(observed.server.base_url + "/") and event["id"].lower() in url.lower(), (name, url)
        by_event.setdefault(event["id"], set()).add(call.delivery)
    repeated = {e: d for e, d in by_event.items() if len(d) > 1}
    assert not repeated, f"events notified more than once: {repeated}"
    # Every call is for one of the camera's live events; the links in it work.
    assert set(by_event) <= {e["id"] for e in found}
    sample = calls[-1].json()
    r = observed.api.get(sample["urls"]["event"].removeprefix(observed.server.base_url))
    assert r.status_code == 200 and r.json()["id"] == sample["event"]["id"], r.text[:300]
    # Debounced: what was sent and what was not follows the cooldown, per class and kind, and the
    # cooldown of arrivals never swallows a departure.
    until = min(observed.observed_at, time.time() - 5)
    problems = debounce_problems(found, set(by_event), until)
    assert not problems, "\n".join(problems)
    kinds = Counter(e["kind"] for e in found if e["id"] in by_event)
    assert kinds["arrival"] >= 1 and kinds["departure"] >= 1, kinds
    suppressed = [e for e in found if e["id"] not in by_event and seconds(e["created_at"]) < until]
    assert suppressed, "the footage has people arriving more often than the cooldown: some arrivals stay quiet"


@pytest.mark.timeout(120)
def test_a_failing_receiver_gets_each_delivery_again(observed):
    api, flaky = observed.api, observed.flaky
    began = time.time()
    # A delivery it has just refused: the job waits for its retry, and the status shows why.
    refused = flaky.wait_for_call(lambda c: c.answered == 500 and c.received_at >= began, timeout=40)
    assert refused, "no new delivery reached the failing receiver"

    def failed():
        job = api.get(f"/api/jobs/{refused.delivery}").json()
        return job if job.get("state") == "failed" else None
    job = wait_for(failed, timeout=10, interval=0.2)
    assert job["kind"] == "webhook" and job["attempt"] == 1 and job["last_error"] and "500" in job["last_error"], job
    assert seconds(job["run_at"]) >= refused.received_at + 5, f"retried with backoff, not at once: {job}"
    queue = next((q for q in api.get("/api/ml/status").json()["queues"] if q["kind"] == "webhook"), None)
    assert queue and queue["failed"] >= 1, f"the status shows the failing deliveries: {queue}"
    retried = flaky.wait_for_call(lambda c: c.delivery == refused.delivery and c.answered == 200, timeout=30)
    assert retried, f"delivery {refused.delivery} was not tried again"
    assert retried.json()["event"]["id"] == refused.json()["event"]["id"]
    assert signature_problem(retried, SECRET) is None
    done = wait_for(lambda: (j := api.get(f"/api/jobs/{refused.delivery}").json())["state"] == "succeeded" and j, timeout=10)
    assert done["attempt"] == 2, done
    # Every delivery it refused came again, and the healthy receiver got each of those events once.
    calls = flaky.snapshot()
    first_tries = {c.delivery: c for c in calls if c.answered == 500}
    for delivery, call in first_tries.items():
        if call.received_at < time.time() - 20:
            assert any(c.delivery == delivery and c.answered == 200 for c in calls), f"delivery {delivery} was never retried"
    healthy = {c.json()["event"]["id"] for c in observed.hooks.snapshot()}
    assert {c.json()["event"]["id"] for c in calls if c.received_at < time.time() - 20} <= healthy


@pytest.mark.timeout(60)
def test_the_event_stream_sends_events_as_they_are_written_to_signed_in_clients(observed):
    stream = observed.stream
    found = {e["id"]: e for e in observed.live()}
    activity = [m.json() for m in stream.of_kind("activity")]
    streamed = {a["id"] for a in activity}
    written_before = [e for e in found.values() if seconds(e["created_at"]) < time.time() - 3]
    missing = [e["id"] for e in written_before if e["id"] not in streamed]
    assert not missing, f"{len(missing)} events written were never streamed"
    # An arrival is sent again when its object departs and it closes.
    closed = [e for e in written_before if e["kind"] == "arrival" and not e["ongoing"] and seconds(e["end"]) < time.time() - 3]
    for event in closed:
        assert any(a["id"] == event["id"] and not a["ongoing"] for a in activity), f"the close of {event['id']} was not streamed"
    presence = [m.json() for m in stream.of_kind("presence")]
    assert any(p["camera_id"] == observed.camera["id"] and p["objects"].get("person", 0) >= 1 for p in presence), presence[:5]
    assert stream.error is None, stream.error
    # Without a valid token there is no stream.
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        refused = EventStreamReader(observed.server.base_url, headers)
        assert refused.response.status_code == 401, refused.response.status_code
        refused.close()
    cookie = EventStreamReader(observed.server.base_url, {"Cookie": f"ronin_session={observed.api.token}"})
    assert cookie.response.status_code == 200 and cookie.response.headers["Content-Type"].startswith("text/event-stream")
    cookie.close()


@pytest.mark.timeout(240)
def test_analysing_watched_footage_adds_no_second_event(observed):
    api, camera_id = observed.api, observed.camera["id"]
    live = observed.live()
    # Live detection has watched since before its first event, and watches still (this module's
    # restarts come after this test): every segment finished since then was watched.
    span_start = min(seconds(e["start"]) for e in live)
    span_end = time.time()
    watched = sorted((r for r in recordings(api, camera_id) if r["status"] == "complete"
                      and seconds(r["start"]) >= span_start and seconds(r["end"]) <= span_end), key=lambda r: r["start"])[:2]
    assert len(watched) == 2, "segments of the watched time are complete"
    # Two of them asked for again (ahead of the background analysis of every new segment).
    ids = {r["id"] for r in watched}
    asked = time.time()
    first, last = seconds(watched[0]["start"]), seconds(watched[-1]["end"])
    r = api.post("/api/analysis", json={"camera_ids": [camera_id], "start": iso(utc(watched[0]["start"])),
                                        "end": iso(utc(watched[-1]["end"])), "force": True})
    assert r.status_code == 202 and r.json()["recordings"] >= 2, r.text
    wait_for_jobs(api, lambda js: ids <= {j["recording_id"] for j in js if j["state"] == "succeeded"
                                          and seconds(j["finished_at"]) >= asked}, timeout=180, camera_id=camera_id, kind="detect")
    # The analysis saw the people (detections from the footage) ...
    people = [d for d in detections(api, camera_id, utc(watched[0]["start"]), utc(watched[-1]["end"]))
              if d["source"] == "historical" and d["class"] == "person" and d["recording_id"] in ids]
    assert people, "historical analysis found the people in the watched footage"
    # ... and reported none of them again: no historical event inside the time live detection watched.
    historical = events(api, camera_id=camera_id, source="historical")
    inside = [e for e in historical if seconds(e["start"]) <= last and seconds(e["end"] or e["start"]) >= first]
    assert not inside, f"{len(inside)} historical events repeat what live detection reported: {inside[:3]}"


def ongoing_person(site: Site):
    """An ongoing person arrival written in the last five seconds (its object most likely still in view)."""
    for event in site.live():
        if event["ongoing"] and event["kind"] == "arrival" and seconds(event["created_at"]) > time.time() - 5:
            return event
    return None


@pytest.mark.timeout(200)
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_a_restart_during_an_ongoing_event_loses_and_duplicates_nothing(observed, how):
    site = observed
    wait_for_state(site.api, site.camera["id"], {"recording"}, timeout=60)
    event = wait_for(lambda: ongoing_person(site), timeout=90, interval=0.3)
    before = {e["id"]: e for e in site.live()}
    last_box = seconds(before[event["id"]]["boxes"][-1]["time"])
    stopped = time.time()
    site.server.stop(how)
    started = time.time()
    site.server.start()
    site.api = site.server.login()
    # The event is closed (at shutdown, or at start-up after a crash) at its last sighting.
    closed = wait_for(lambda: (e := site.api.get(f"/api/events/{event['id']}").json()) and not e["ongoing"] and e,
                      timeout=30, interval=0.3)
    assert last_box - 0.01 <= seconds(closed["end"]) <= stopped + 0.5, (last_box, stopped, closed)
    # The new watch runs past its warm-up (a newcomer arrives) while people are still in view.
    newcomer = wait_for_events(site.api, lambda found: any(e["kind"] == "arrival" and seconds(e["start"]) >= started + 3
                                                           for e in found), timeout=90, camera_id=site.camera["id"], source="live")
    after = {e["id"]: e for e in newcomer}
    lost = set(before) - set(after)
    assert not lost, f"events lost in the restart: {lost}"
    repeated = [k for k, n in Counter((e["kind"], e["class"], e["track_id"], e["start"]) for e in after.values()).items() if n > 1]
    assert not repeated, f"events written twice: {repeated}"
    # Whoever was in view when watching began again was there all along: no arrival in the warm-up.
    early = [e for e in after.values() if e["kind"] == "arrival" and started <= seconds(e["start"]) < started + 3]
    assert not early, f"objects arrived again after the restart: {early}"
    deliveries: dict[str, set[str]] = {}
    for call in site.hooks.snapshot():
        deliveries.setdefault(call.json()["event"]["id"], set()).add(call.delivery)
    assert all(len(d) == 1 for d in deliveries.values()), "an event was notified twice"
