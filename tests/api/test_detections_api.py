"""`GET /api/detections` (docs/api.md): a camera's detections in a range, oldest first, page by
page without gaps or repeats, with the total, a class filter, and 4xx for bad parameters."""
import datetime as dt

import pytest

from detection.analysis_helpers import all_pages
from recording.helpers import iso, utc
from support.db import DirectDatabase

from .helpers import assert_error


@pytest.fixture
def seeded(server, admin_api, cameras):
    cam = cameras.create()
    base = dt.datetime(2026, 11, 3, 8, 0, tzinfo=dt.timezone.utc)
    rows = [(base + dt.timedelta(seconds=n * 0.5), "person" if n % 3 else "car") for n in range(2500)]
    # Two at exactly the same instant: paging must not lose or repeat either.
    rows += [(base + dt.timedelta(seconds=400), "dog"), (base + dt.timedelta(seconds=400), "dog")]
    DirectDatabase(server).add_detections(cam["id"], rows)
    return cam, base, rows


def fetch_all(api, cam, start, end, limit, **extra):
    query = {"camera_id": cam["id"], "start": iso(start), "end": iso(end), "limit": limit, **extra}
    return all_pages(api, "/api/detections", "detections", query)


def test_pages_cover_the_range_exactly_once_in_time_order(viewer_api, seeded):
    cam, base, rows = seeded
    found, total, pages = fetch_all(viewer_api, cam, base, base + dt.timedelta(hours=1), 1000)
    assert total == len(rows) == len(found) and pages == 3
    assert len({d["id"] for d in found}) == len(found)
    times = [utc(d["time"]) for d in found]
    assert times == sorted(times)
    first = found[0]
    assert first["class"] == "car" and first["camera_id"] == cam["id"] and first["source"] == "historical"
    assert first["box"] == {"x": 0.1, "y": 0.1, "width": 0.2, "height": 0.3} and first["confidence"] == 0.9
    assert set(first) == {"id", "camera_id", "recording_id", "time", "class", "confidence", "box", "track_id", "source"}


def test_the_range_is_half_open_and_classes_filter(viewer_api, seeded):
    cam, base, _ = seeded
    window, total, _ = fetch_all(viewer_api, cam, base + dt.timedelta(seconds=10), base + dt.timedelta(seconds=20), 10000)
    assert total == 20 and utc(window[0]["time"]) == base + dt.timedelta(seconds=10)
    cars, total, _ = fetch_all(viewer_api, cam, base, base + dt.timedelta(hours=1), 10000, **{"class": "car,dog"})
    assert {d["class"] for d in cars} == {"car", "dog"} and total == len(cars) == 834 + 2


@pytest.mark.parametrize("params", [
    {}, {"camera_id": "x"}, {"start": "soon"}, {"end": "2026-11-03T07:00:00Z"}, {"end": "2026-12-31T00:00:00Z"},
    {"limit": "0"}, {"limit": "10001"}, {"cursor": "v1.AAAA"}, {"cursor": "not-ours"},
])
def test_bad_parameters_are_400(viewer_api, seeded, params):
    cam, base, _ = seeded
    query = {"camera_id": cam["id"], "start": iso(base), "end": iso(base + dt.timedelta(hours=1))}
    query.update(params)
    if params == {}:
        del query["camera_id"]
    assert_error(viewer_api.get("/api/detections", params=query), 400, "bad_request")


def test_an_unknown_camera_is_404(viewer_api):
    assert_error(viewer_api.get("/api/detections", params={"camera_id": "00000000-0000-4000-8000-000000000000",
                                                           "start": "2026-11-03T00:00:00Z", "end": "2026-11-04T00:00:00Z"}),
                 404, "not_found")
