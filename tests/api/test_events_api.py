"""The events API (docs/api.md, Events) on both databases, over events written straight into the
database: newest first, page by page without gaps or repeats, every filter, reviewing and locking,
deleting (admin only, never a locked event), who may do what, and 4xx for bad input."""
import datetime as dt
import json
import uuid
from collections import Counter

import pytest

from detection.analysis_helpers import all_pages
from events.helpers import assert_event_shape, seconds
from recording.helpers import iso
from support.clients import admin_api, viewer_api  # noqa: F401 (fixtures: one sign-in per module)
from support.event_rows import EventRow, EventRows
from support.event_stream import EventStreamReader

from .helpers import assert_error, camera_input

BASE = dt.datetime(2026, 11, 3, 8, 0, tzinfo=dt.timezone.utc)
GHOST = str(uuid.uuid4())
MiB = 1024 * 1024


def seed_rows() -> tuple[list[EventRow], list[EventRow]]:
    """30 events a minute apart on the first camera (two more sharing one instant, the last two
    ongoing) and 5 on the second."""
    first = []
    for n in range(30):
        start = BASE + dt.timedelta(minutes=n)
        first.append(EventRow(start=start, end=None if n >= 28 else start + dt.timedelta(seconds=5),
                              kind="departure" if n % 2 else "arrival", class_name=("person", "car", "dog")[n % 3],
                              source="historical" if n % 4 == 3 else "live", track_id=n, reviewed=n % 5 == 0,
                              peak_confidence=0.5 + n / 100))
    tie = BASE + dt.timedelta(minutes=15, seconds=30)
    first += [EventRow(start=tie, end=tie + dt.timedelta(seconds=2), track_id=100 + n) for n in range(2)]
    second = [EventRow(start=BASE + dt.timedelta(minutes=n, seconds=10), end=BASE + dt.timedelta(minutes=n, seconds=12),
                       class_name="person", track_id=200 + n) for n in range(5)]
    return first, second


@pytest.fixture(scope="module")
def seeded(server, admin_api):
    api = admin_api
    made = []
    for _ in range(2):
        r = api.post("/api/cameras", params={"validate": "false"}, json=camera_input(None))
        assert r.status_code == 201, r.text
        made.append(r.json())
    first, second = seed_rows()
    rows = EventRows(server)
    rows.add_events(made[0]["id"], first)
    rows.add_events(made[1]["id"], second)
    yield made, first, second
    for camera in made:
        api.delete(f"/api/cameras/{camera['id']}")


def listed(api, **params) -> tuple[list[dict], int, int]:
    return all_pages(api, "/api/events", "events", params)


def ids(events) -> set[str]:
    """Ids of events (API answers or rows written here), compared without regard to case."""
    return {(e["id"] if isinstance(e, dict) else e.id).lower() for e in events}


def own_events(server, cameras, count: int = 1) -> list[EventRow]:
    """Events of a camera of the test's own, for tests that change or delete them."""
    camera = cameras.create()
    rows = [EventRow(start=BASE + dt.timedelta(hours=3, minutes=n), end=BASE + dt.timedelta(hours=3, minutes=n, seconds=4),
                     track_id=n) for n in range(count)]
    EventRows(server).add_events(camera["id"], rows)
    return rows


def test_pages_cover_every_event_newest_first_exactly_once(viewer_api, seeded):
    cameras, first, _ = seeded
    found, total, pages = listed(viewer_api, camera_id=cameras[0]["id"], limit=7)
    assert total == len(first) == len(found) and pages == 5, (total, len(found), pages)
    assert ids(found) == ids(first) and len(ids(found)) == len(found), "every event, none twice"
    starts = [seconds(e["start"]) for e in found]
    assert starts == sorted(starts, reverse=True), "newest first"
    for event in found:
        assert_event_shape(event)
        assert event["camera_id"] == cameras[0]["id"] and event["camera_name"] == cameras[0]["name"]
    by_id = {r.id: r for r in first}
    sample = next(e for e in found if e["id"].lower() == first[4].id)
    assert sample["kind"] == "arrival" and sample["class"] == "car" and sample["source"] == "live" and sample["track_id"] == 4
    assert seconds(sample["start"]) == by_id[sample["id"].lower()].start.timestamp() and sample["duration"] == 5
    assert sample["ongoing"] is False and sample["reviewed"] is False and sample["locked"] is False
    ongoing = next(e for e in found if e["id"].lower() == first[29].id)
    assert ongoing["ongoing"] is True and ongoing["end"] is None
    # Without a camera, every camera's events; the default page is 50.
    everything, total, _ = listed(viewer_api, limit=500)
    assert ids(first + seeded[2]) <= ids(everything) and total == len(everything)
    page = viewer_api.get("/api/events").json()
    assert len(page["events"]) == min(50, page["total"]) and page["total"] == total


def expected_ids(rows: list[EventRow], **want) -> set[str]:
    def keep(r: EventRow) -> bool:
        return all([
            "classes" not in want or r.class_name in want["classes"],
            "kinds" not in want or r.kind in want["kinds"],
            "source" not in want or r.source == want["source"],
            "reviewed" not in want or r.reviewed == want["reviewed"],
            "ongoing" not in want or (r.end is None) == want["ongoing"],
            "window" not in want or want["window"][0] <= r.start < want["window"][1],
        ])
    return ids(r for r in rows if keep(r))


@pytest.mark.parametrize("params,want", [
    ({"class": "person,dog"}, {"classes": {"person", "dog"}}),
    ({"kind": "departure"}, {"kinds": {"departure"}}),
    ({"kind": "arrival,departure", "class": "car"}, {"kinds": {"arrival", "departure"}, "classes": {"car"}}),
    ({"source": "historical"}, {"source": "historical"}),
    ({"source": "live", "reviewed": "true"}, {"source": "live", "reviewed": True}),
    ({"reviewed": "false"}, {"reviewed": False}),
    ({"ongoing": "true"}, {"ongoing": True}),
    ({"ongoing": "false", "class": "dog"}, {"ongoing": False, "classes": {"dog"}}),
    ({"start": iso(BASE + dt.timedelta(minutes=9, seconds=30)), "end": iso(BASE + dt.timedelta(minutes=19, seconds=30))},
     {"window": (BASE + dt.timedelta(minutes=9, seconds=30), BASE + dt.timedelta(minutes=19, seconds=30))}),
], ids=["classes", "kind", "kinds-and-class", "source", "live-reviewed", "unreviewed", "ongoing", "closed-dogs", "window"])
def test_filters_select_exactly_the_matching_events(viewer_api, seeded, params, want):
    cameras, first, _ = seeded
    found, total, _ = listed(viewer_api, camera_id=cameras[0]["id"], limit=10, **params)
    assert ids(found) == expected_ids(first, **want) and total == len(found), params
    assert found, "each filter here matches something"


def test_a_camera_filter_keeps_other_cameras_out(viewer_api, seeded):
    cameras, _, second = seeded
    found, total, _ = listed(viewer_api, camera_id=cameras[1]["id"])
    assert ids(found) == ids(second) and total == 5


def test_one_event_is_read_reviewed_locked_and_deleted_by_whom_may(server, admin_api, viewer_api, cameras):
    target = own_events(server, cameras)[0].id
    r = viewer_api.get(f"/api/events/{target}")
    assert r.status_code == 200 and r.json()["id"].lower() == target, r.text
    before = r.json()
    # Anyone signed in marks reviewed; only admins lock.
    r = viewer_api.patch(f"/api/events/{target}", json={"reviewed": True})
    assert r.status_code == 200 and r.json()["reviewed"] is True and r.json()["locked"] is False, r.text
    assert seconds(r.json()["updated_at"]) >= seconds(before["updated_at"])
    assert_error(viewer_api.patch(f"/api/events/{target}", json={"locked": True}), 403, "forbidden")
    assert_error(viewer_api.patch(f"/api/events/{target}", json={"reviewed": False, "locked": True}), 403, "forbidden")
    assert viewer_api.get(f"/api/events/{target}").json()["reviewed"] is True, "a refused change changes nothing"
    r = admin_api.patch(f"/api/events/{target}", json={"locked": True, "reviewed": False})
    assert r.status_code == 200 and r.json()["locked"] is True and r.json()["reviewed"] is False, r.text
    # A locked event stays; viewers delete nothing.
    r = admin_api.delete(f"/api/events/{target}")
    assert r.status_code == 409 and r.json().get("error") == "event_locked" and r.json().get("message"), r.text
    assert_error(viewer_api.delete(f"/api/events/{target}"), 403, "forbidden")
    assert viewer_api.get(f"/api/events/{target}").status_code == 200
    assert admin_api.patch(f"/api/events/{target}", json={"locked": False}).json()["locked"] is False
    r = admin_api.delete(f"/api/events/{target}")
    assert r.status_code == 204, r.text
    assert_error(viewer_api.get(f"/api/events/{target}"), 404, "not_found")
    assert_error(admin_api.delete(f"/api/events/{target}"), 404, "not_found")


def test_the_event_stream_is_for_signed_in_clients_and_sends_updates(server, admin_api, cameras):
    for headers in ({}, {"Authorization": "Bearer nope"}):
        refused = EventStreamReader(server.base_url, headers)
        assert refused.response.status_code == 401, refused.response.status_code
        assert_error(refused.response, 401, "unauthorized")
        refused.close()
    stream = EventStreamReader(server.base_url, {"Authorization": f"Bearer {admin_api.token}"})
    try:
        assert stream.response.status_code == 200
        assert stream.response.headers["Content-Type"].startswith("text/event-stream"), stream.response.headers
        target = own_events(server, cameras)[0].id
        assert admin_api.patch(f"/api/events/{target}", json={"reviewed": True}).status_code == 200
        message = stream.wait_for(lambda m: m.event == "activity" and m.json()["id"].lower() == target, timeout=10)
        assert message, "an updated event is streamed"
        assert message.json()["reviewed"] is True
        assert_event_shape(message.json())
    finally:
        stream.close()


def test_pictures_of_an_event_without_footage_are_not_found(viewer_api, seeded):
    target = seeded[1][10].id
    # A snapshot not made yet is `404 not_ready` (docs/api.md, Events); a mosaic or clip, made from
    # the footage when asked for, is not found when there is no footage.
    for path, code in (("snapshot.jpg", "not_ready"), ("snapshot.jpg?boxes=0", "not_ready"), ("mosaic.jpg", "not_found"),
                       ("clip.mp4", "not_found")):
        r = viewer_api.get(f"/api/events/{target}/{path}")
        assert r.status_code == 404 and r.headers.get("Content-Type", "").startswith("application/json"), (path, r.status_code)
        assert r.json().get("error") == code and r.json().get("message"), (path, r.text)


BAD_LISTS = [
    {"limit": "0"}, {"limit": "501"}, {"limit": "ten"}, {"kind": "party"}, {"kind": "arrival,party"}, {"source": "cloud"},
    {"reviewed": "maybe"}, {"ongoing": "2"}, {"start": "soon"}, {"end": "2026-13-01T00:00:00Z"},
    {"start": "2026-11-03T09:00:00Z", "end": "2026-11-03T08:00:00Z"}, {"cursor": "not-ours"}, {"cursor": "v1.AAAA"},
    {"camera_id": "not-a-uuid"}, {"class": ",".join(f"c{n}" for n in range(101))},
]


@pytest.mark.parametrize("params", BAD_LISTS, ids=[json.dumps(p) for p in BAD_LISTS])
def test_bad_filters_are_400(viewer_api, seeded, params):
    assert_error(viewer_api.get("/api/events", params=params), 400, "bad_request")


def _raw(text: str, ctype: str = "application/json") -> dict:
    return {"data": text.encode(), "headers": {"Content-Type": ctype}}


BAD_REQUESTS = [
    ("bad-id", "GET", "/api/events/not-a-uuid", {}, 400),
    ("bad-id-patch", "PATCH", "/api/events/12345", {"json": {"reviewed": True}}, 400),
    ("bad-id-delete", "DELETE", "/api/events/zzz", {}, 400),
    ("bad-id-snapshot", "GET", "/api/events/zzz/snapshot.jpg", {}, 400),
    ("ghost", "GET", f"/api/events/{GHOST}", {}, 404),
    ("ghost-patch", "PATCH", f"/api/events/{GHOST}", {"json": {"reviewed": True}}, 404),
    ("ghost-delete", "DELETE", f"/api/events/{GHOST}", {}, 404),
    ("ghost-snapshot", "GET", f"/api/events/{GHOST}/snapshot.jpg", {}, 404),
    ("ghost-mosaic", "GET", f"/api/events/{GHOST}/mosaic.jpg", {}, 404),
    ("ghost-clip", "GET", f"/api/events/{GHOST}/clip.mp4", {}, 404),
    ("invalid-json", "PATCH", "/api/events/{event}", _raw('{"reviewed": '), 400),
    ("array-body", "PATCH", "/api/events/{event}", {"json": [True]}, 400),
    ("null-body", "PATCH", "/api/events/{event}", _raw("null"), 400),
    ("reviewed-string", "PATCH", "/api/events/{event}", {"json": {"reviewed": "yes"}}, 400),
    ("locked-number", "PATCH", "/api/events/{event}", {"json": {"locked": 1}}, 400),
    ("nothing-to-change", "PATCH", "/api/events/{event}", {"json": {}}, (400, 422)),
    ("unknown-field", "PATCH", "/api/events/{event}", {"json": {"class": "dog"}}, (400, 422)),
    ("huge", "PATCH", "/api/events/{event}", {"json": {"reviewed": True, "note": "n" * (2 * MiB)}}, 413),
    ("text-plain", "PATCH", "/api/events/{event}", _raw('{"reviewed": true}', "text/plain"), 415),
    ("post-collection", "POST", "/api/events", {"json": {}}, 405),
    ("put-event", "PUT", "/api/events/{event}", {"json": {"reviewed": True}}, 405),
    ("unknown-artifact", "GET", "/api/events/{event}/poster.gif", {}, 404),
]


@pytest.mark.parametrize("method,path,kwargs,expected", [c[1:] for c in BAD_REQUESTS], ids=[c[0] for c in BAD_REQUESTS])
def test_bad_requests_get_a_4xx_and_change_nothing(admin_api, seeded, method, path, kwargs, expected):
    target = seeded[1][20].id  # nothing here may change it
    before = admin_api.get(f"/api/events/{target}").json()
    assert_error(admin_api.request(method, path.format(event=target), **kwargs), expected)
    after = admin_api.get(f"/api/events/{target}").json()
    assert (after["reviewed"], after["locked"], after["class"]) == (before["reviewed"], before["locked"], before["class"])


def test_signed_out_clients_see_no_events(anon_api, seeded):
    target = seeded[1][0].id
    for path in ("/api/events", f"/api/events/{target}", f"/api/events/{target}/snapshot.jpg"):
        assert_error(anon_api.get(path), 401, "unauthorized")
    assert_error(anon_api.patch(f"/api/events/{target}", json={"reviewed": True}), 401, "unauthorized")
    assert_error(anon_api.delete(f"/api/events/{target}"), 401, "unauthorized")


def test_deleting_the_camera_deletes_its_events(admin_api, server, cameras):
    rows = own_events(server, cameras, count=3)
    camera_id = admin_api.get(f"/api/events/{rows[0].id}").json()["camera_id"]
    assert Counter(e["camera_id"] for e in listed(admin_api, camera_id=camera_id)[0]) == {camera_id: 3}
    assert admin_api.delete(f"/api/cameras/{camera_id}").status_code == 204
    for row in rows:
        assert_error(admin_api.get(f"/api/events/{row.id}"), 404)
