"""Playback calendar and day timeline: consolidated ranges, explicit gaps, DST days of 23 and 25
hours, detection markers by class, the multi-camera forms, and bad input. Rows are written
straight into the database at chosen instants (support/db.py), on SQLite and PostgreSQL."""
import datetime as dt
import uuid

import pytest

UTC = dt.timezone.utc
NY = "America/New_York"


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def z(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def segments(start: str, end: str, minutes: int = 15, hole: float = 0.4) -> list[tuple[dt.datetime, dt.datetime]]:
    """Back-to-back segments from `start` to `end`, each ending `hole` seconds before the next begins."""
    spans, cursor, stop = [], at(start), at(end)
    while cursor < stop:
        nxt = min(cursor + dt.timedelta(minutes=minutes), stop)
        spans.append((cursor, nxt - dt.timedelta(seconds=hole) if nxt < stop else nxt))
        cursor = nxt
    return spans


def timeline(api, camera_id, date, tz=NY, **params):
    r = api.get(f"/api/playback/{camera_id}/timeline", params={"date": date, "tz": tz, **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_spring_forward_day_has_23_hours_with_ranges_and_gaps(admin_api, cameras, db):
    cam = cameras.create(name=f"dst-{uuid.uuid4().hex[:6]}")
    # Local midnight on 2026-03-08 in New York is 05:00Z; the clocks jump from 02:00 to 03:00 (07:00Z).
    db.add_recordings(cam["id"], segments("2026-03-08T05:00:00Z", "2026-03-08T06:00:00Z")
                      + segments("2026-03-08T06:10:00Z", "2026-03-08T08:00:00Z"))
    db.add_recordings(cam["id"], [(at("2026-03-08T09:00:00Z"), at("2026-03-08T09:15:00Z"))], status="missing")
    day = timeline(admin_api, cam["id"], "2026-03-08")
    assert day["day_start"] == "2026-03-08T05:00:00Z" and day["day_end"] == "2026-03-09T04:00:00Z"
    assert day["hours"] == 23 and day["length_seconds"] == 23 * 3600
    assert day["tz"] == NY and day["date"] == "2026-03-08" and day["camera_id"] == cam["id"]
    assert [(r["start"], r["end"], r["recordings"]) for r in day["ranges"]] == [
        ("2026-03-08T05:00:00Z", "2026-03-08T06:00:00Z", 4),
        ("2026-03-08T06:10:00Z", "2026-03-08T08:00:00Z", 8),
    ], "segments merge across sub-second holes; the 10-minute outage splits them; missing files are not footage"
    assert [(g["start"], g["end"]) for g in day["gaps"]] == [
        ("2026-03-08T06:00:00Z", "2026-03-08T06:10:00Z"), ("2026-03-08T08:00:00Z", "2026-03-09T04:00:00Z")]
    assert day["recorded_seconds"] == pytest.approx(170 * 60, abs=1)
    assert day["markers"] == [] and day["counts"] == {}


def test_fall_back_day_has_25_hours_and_neighbours_are_clipped(admin_api, cameras, db):
    cam = cameras.create(name=f"dst-{uuid.uuid4().hex[:6]}")
    # 2026-11-01 in New York: 04:00Z to 05:00Z the next day. One segment straddles each midnight.
    db.add_recordings(cam["id"], [(at("2026-11-01T03:50:00Z"), at("2026-11-01T04:05:00Z")),
                                  (at("2026-11-02T04:55:00Z"), at("2026-11-02T05:10:00Z"))])
    day = timeline(admin_api, cam["id"], "2026-11-01")
    assert day["hours"] == 25 and day["day_start"] == "2026-11-01T04:00:00Z" and day["day_end"] == "2026-11-02T05:00:00Z"
    assert [(r["start"], r["end"]) for r in day["ranges"]] == [
        ("2026-11-01T04:00:00Z", "2026-11-01T04:05:00Z"), ("2026-11-02T04:55:00Z", "2026-11-02T05:00:00Z")]
    before = timeline(admin_api, cam["id"], "2026-10-31")
    assert before["hours"] == 24
    assert [(r["start"], r["end"]) for r in before["ranges"]] == [("2026-11-01T03:50:00Z", "2026-11-01T04:00:00Z")]
    # The same instants are another day in another zone.
    utc_day = timeline(admin_api, cam["id"], "2026-11-01", tz="UTC")
    assert utc_day["hours"] == 24 and utc_day["day_start"] == "2026-11-01T00:00:00Z"
    assert [r["start"] for r in utc_day["ranges"]] == ["2026-11-01T03:50:00Z"]


def test_days_with_footage_in_a_month(admin_api, cameras, db):
    cam = cameras.create(name=f"days-{uuid.uuid4().hex[:6]}")
    db.add_recordings(cam["id"], [
        (at("2026-03-08T04:50:00Z"), at("2026-03-08T05:05:00Z")),  # 23:50 EST on the 7th into the 8th
        (at("2026-03-20T03:00:00Z"), at("2026-03-20T04:00:00Z")),  # ends at midnight EDT: the 19th only
        (at("2026-03-31T23:00:00Z"), at("2026-04-01T05:00:00Z")),  # 19:00 on the 31st into April 1st
    ])
    r = admin_api.get(f"/api/playback/{cam['id']}/days", params={"month": "2026-03", "tz": NY})
    assert r.status_code == 200, r.text
    assert r.json() == {"camera_id": cam["id"], "month": "2026-03", "tz": NY,
                        "days": ["2026-03-07", "2026-03-08", "2026-03-19", "2026-03-31"]}
    april = admin_api.get(f"/api/playback/{cam['id']}/days", params={"month": "2026-04", "tz": NY}).json()
    assert april["days"] == ["2026-04-01"]
    assert admin_api.get(f"/api/playback/{cam['id']}/days", params={"month": "2026-05"}).json()["days"] == []


def test_detection_markers_by_class_and_bucket(admin_api, cameras, db):
    cam = cameras.create(name=f"markers-{uuid.uuid4().hex[:6]}")
    db.add_recordings(cam["id"], segments("2026-06-10T12:00:00Z", "2026-06-10T13:00:00Z"))
    db.add_detections(cam["id"], [
        (at("2026-06-10T12:00:10Z"), "person"), (at("2026-06-10T12:00:20Z"), "person"), (at("2026-06-10T12:00:59Z"), "person"),
        (at("2026-06-10T12:00:50Z"), "car"), (at("2026-06-10T12:02:00Z"), "person"),
        (at("2026-06-11T00:00:00Z"), "dog"),  # the next UTC day
    ])
    day = timeline(admin_api, cam["id"], "2026-06-10", tz="UTC")
    assert day["bucket_seconds"] == 60
    assert [(m["class"], m["start"], m["end"], m["count"]) for m in day["markers"]] == [
        ("car", "2026-06-10T12:00:00Z", "2026-06-10T12:01:00Z", 1),
        ("person", "2026-06-10T12:00:00Z", "2026-06-10T12:01:00Z", 3),
        ("person", "2026-06-10T12:02:00Z", "2026-06-10T12:03:00Z", 1),
    ]
    assert day["counts"] == {"person": 4, "car": 1}
    coarse = timeline(admin_api, cam["id"], "2026-06-10", tz="UTC", bucket_seconds=300)
    assert [(m["class"], m["count"]) for m in coarse["markers"]] == [("car", 1), ("person", 4)]
    # Buckets align to the local day's start: in New York the day starts at 04:00Z.
    local = timeline(admin_api, cam["id"], "2026-06-10", bucket_seconds=3600)
    assert {(m["class"], m["start"], m["count"]) for m in local["markers"]} == {
        ("person", "2026-06-10T12:00:00Z", 4), ("car", "2026-06-10T12:00:00Z", 1), ("dog", "2026-06-11T00:00:00Z", 1)}


def test_several_cameras_in_one_request(admin_api, viewer_api, cameras, db):
    a = cameras.create(name=f"multi-a-{uuid.uuid4().hex[:6]}")
    b = cameras.create(name=f"multi-b-{uuid.uuid4().hex[:6]}")
    db.add_recordings(a["id"], [(at("2026-07-01T10:00:00Z"), at("2026-07-01T10:15:00Z"))])
    db.add_recordings(b["id"], [(at("2026-07-02T10:00:00Z"), at("2026-07-02T10:15:00Z"))])
    ids = f"{b['id']},{a['id']}"
    r = viewer_api.get("/api/playback/timeline", params={"camera_ids": ids, "date": "2026-07-01", "tz": "UTC"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["hours"] == 24 and body["day_start"] == "2026-07-01T00:00:00Z"
    assert [c["camera_id"] for c in body["cameras"]] == [b["id"], a["id"]], "cameras come back in the order asked"
    assert body["cameras"][0]["ranges"] == [] and len(body["cameras"][1]["ranges"]) == 1
    days = viewer_api.get("/api/playback/days", params={"camera_ids": ids, "month": "2026-07", "tz": "UTC"}).json()
    assert days["days"] == ["2026-07-01", "2026-07-02"]
    assert [(c["camera_id"], c["days"]) for c in days["cameras"]] == [(b["id"], ["2026-07-02"]), (a["id"], ["2026-07-01"])]


def test_ranges_say_which_tier_holds_their_footage(admin_api, viewer_api, cameras, db):
    cam = cameras.create(name=f"tiers-{uuid.uuid4().hex[:6]}")
    other = cameras.create(name=f"tiers-b-{uuid.uuid4().hex[:6]}")
    # One continuous morning whose older half moved to warm storage and whose first quarter hour is
    # already cold, then an outage, then an afternoon still hot.
    db.add_recordings(cam["id"], segments("2026-09-14T08:00:00Z", "2026-09-14T08:15:00Z"), tier="cold")
    db.add_recordings(cam["id"], segments("2026-09-14T08:15:00Z", "2026-09-14T09:00:00Z"), tier="warm")
    db.add_recordings(cam["id"], segments("2026-09-14T09:00:00Z", "2026-09-14T10:00:00Z"), tier="hot")
    db.add_recordings(cam["id"], segments("2026-09-14T14:00:00Z", "2026-09-14T14:30:00Z"), tier="warm")
    db.add_recordings(cam["id"], [(at("2026-09-14T12:00:00Z"), at("2026-09-14T12:15:00Z"))], tier="warm", status="missing")
    db.add_recordings(other["id"], segments("2026-09-14T08:00:00Z", "2026-09-14T08:30:00Z"))
    day = timeline(admin_api, cam["id"], "2026-09-14", tz="UTC")
    assert [(r["start"], r["end"], r["recordings"]) for r in day["ranges"]] == [
        ("2026-09-14T08:00:00Z", "2026-09-14T10:00:00Z", 8), ("2026-09-14T14:00:00Z", "2026-09-14T14:30:00Z", 2),
    ], "a tier change does not split a range: the fields clients already read keep their meaning"
    assert [[(t["start"], t["end"], t["tier"]) for t in r["tiers"]] for r in day["ranges"]] == [
        [("2026-09-14T08:00:00Z", "2026-09-14T08:15:00Z", "cold"), ("2026-09-14T08:15:00Z", "2026-09-14T09:00:00Z", "warm"),
         ("2026-09-14T09:00:00Z", "2026-09-14T10:00:00Z", "hot")],
        [("2026-09-14T14:00:00Z", "2026-09-14T14:30:00Z", "warm")],
    ]
    assert day["tier_seconds"] == {"cold": 900, "warm": 2700 + 1800, "hot": 3600}
    assert sum(day["tier_seconds"].values()) == pytest.approx(day["recorded_seconds"], abs=0.01)
    # The several-camera form says the same, and viewers see it too.
    r = viewer_api.get("/api/playback/timeline", params={"camera_ids": f"{cam['id']},{other['id']}", "date": "2026-09-14", "tz": "UTC"})
    assert r.status_code == 200, r.text
    mine, theirs = r.json()["cameras"]
    assert mine["ranges"] == day["ranges"] and mine["tier_seconds"] == day["tier_seconds"]
    assert [[t["tier"] for t in rng["tiers"]] for rng in theirs["ranges"]] == [["hot"]]
    assert theirs["tier_seconds"] == {"hot": pytest.approx(1800, abs=0.01)}
    empty = timeline(admin_api, cam["id"], "2026-09-15", tz="UTC")
    assert empty["ranges"] == [] and empty["tier_seconds"] == {}


@pytest.mark.parametrize("path, params, status", [
    ("/api/playback/{id}/timeline", {"date": "2026-02-30"}, 400),
    ("/api/playback/{id}/timeline", {"date": "yesterday"}, 400),
    ("/api/playback/{id}/timeline", {}, 400),
    ("/api/playback/{id}/timeline", {"date": "2026-02-03", "tz": "Mars/Olympus_Mons"}, 400),
    ("/api/playback/{id}/timeline", {"date": "2026-02-03", "tz": "../../etc/passwd"}, 400),
    ("/api/playback/{id}/timeline", {"date": "2026-02-03", "bucket_seconds": "5"}, 400),
    ("/api/playback/{id}/timeline", {"date": "2026-02-03", "bucket_seconds": "1e3"}, 400),
    ("/api/playback/{id}/days", {"month": "2026-13"}, 400),
    ("/api/playback/{id}/days", {}, 400),
    ("/api/playback/{unknown}/timeline", {"date": "2026-02-03"}, 404),
    ("/api/playback/{unknown}/days", {"month": "2026-02"}, 404),
    ("/api/playback/not-a-uuid/timeline", {"date": "2026-02-03"}, 400),
    ("/api/playback/timeline", {"date": "2026-02-03"}, 400),
    ("/api/playback/timeline", {"camera_ids": "{unknown}", "date": "2026-02-03"}, 404),
    ("/api/playback/timeline", {"camera_ids": "{id},nope", "date": "2026-02-03"}, 400),
    ("/api/playback/timeline", {"camera_ids": ",".join(str(uuid.uuid4()) for _ in range(65)), "date": "2026-02-03"}, 400),
    ("/api/playback/days", {"camera_ids": "{id}", "month": "x"}, 400),
])
def test_bad_requests_get_clear_4xx(admin_api, cameras, path, params, status):
    cam = cameras.create(name=f"bad-{uuid.uuid4().hex[:6]}")
    unknown = str(uuid.uuid4())
    fill = lambda s: s.replace("{id}", cam["id"]).replace("{unknown}", unknown)
    r = admin_api.get(fill(path), params={k: fill(v) for k, v in params.items()})
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"] and body["message"]


def test_signed_out_clients_get_401(anon_api):
    r = anon_api.get(f"/api/playback/{uuid.uuid4()}/timeline", params={"date": "2026-02-03"})
    assert r.status_code == 401
