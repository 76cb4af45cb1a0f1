"""Detection configuration through the API (docs/api.md, Detection configuration), on both
databases: settings per camera inherit from the global ones, which inherit from the environment;
a bad value is refused with 422 naming the field, and changes nothing; the pipeline JSON is
exported and imported back, per scope, and `ronin detect` reads the exported file."""
import json
import subprocess
import uuid

import pytest

from support.clients import admin_api, viewer_api  # noqa: F401 (fixtures: one sign-in per module)
from support.footage import VTEST
from support.paths import RONIN_BIN

from .helpers import assert_error

GHOST = str(uuid.uuid4())
MiB = 1024 * 1024
EMPTY = {"live_enabled": None, "cooldown_seconds": None, "pipeline": {}}
# What the shared test server's environment gives (SettingsCatalog defaults; see tests/support/server.py).
ENVIRONMENT = {"cooldown_seconds": 60, "fps": 2, "confidence": 0.25, "classes": {}, "class_filter": None,
               "motion_min_changed_fraction": 0.002}


@pytest.fixture
def clean_global(admin_api):
    """Global settings emptied for the test and put back as they were after it."""
    before = admin_api.get("/api/ml/config").json()["global"]
    assert admin_api.put("/api/ml/config", json=EMPTY).status_code == 200
    yield
    admin_api.put("/api/ml/config", json=before)


def entry(document: dict, camera_id: str) -> dict:
    found = [c for c in document["cameras"] if c["camera_id"] == camera_id]
    assert len(found) == 1, f"camera {camera_id} appears {len(found)} times in {document['cameras']}"
    return found[0]


def effective(api, camera_id: str) -> dict:
    r = api.get("/api/ml/config")
    assert r.status_code == 200, r.text
    return entry(r.json(), camera_id)["effective"]


def contains(whole, part) -> bool:
    """Every key of `part` is in `whole` with the same value (recursively for objects; numbers
    within a millionth, lists of class names in any order)."""
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(k in whole and contains(whole[k], v) for k, v in part.items())
    if isinstance(part, float) and isinstance(whole, (int, float)) and not isinstance(whole, bool):
        return abs(whole - part) < 1e-6
    if isinstance(part, list) and isinstance(whole, list) and all(isinstance(v, str) for v in part):
        return sorted(whole) == sorted(part)
    return whole == part


def test_a_configuration_shows_every_key_null_where_it_inherits(viewer_api, cameras, clean_global):
    cam = cameras.create()
    document = viewer_api.get("/api/ml/config").json()
    assert set(document) >= {"global", "cameras"}, document
    assert document["global"] == {"live_enabled": None, "cooldown_seconds": None, "pipeline": {}}, document["global"]
    config = entry(document, cam["id"])["config"]
    assert set(config) == {"live_enabled", "cooldown_seconds", "pipeline"} and config["live_enabled"] is None \
        and config["cooldown_seconds"] is None and not config["pipeline"], f"a camera that sets nothing: {config}"


def test_a_camera_inherits_from_global_which_inherits_from_the_environment(admin_api, viewer_api, cameras, clean_global):
    cam, other = cameras.create(), cameras.create()
    mine = entry(viewer_api.get("/api/ml/config").json(), cam["id"])
    assert mine["name"] == cam["name"], mine
    assert set(mine["effective"]) >= set(ENVIRONMENT) | {"live_enabled"}, mine["effective"]
    assert contains(mine["effective"], ENVIRONMENT), mine["effective"]

    r = admin_api.put("/api/ml/config", json={"cooldown_seconds": 42, "pipeline": {"confidence": 0.4, "classes": {"person": 0.5},
                                                                                    "fps": 1}})
    assert r.status_code == 200, r.text
    assert contains(r.json()["global"], {"cooldown_seconds": 42, "pipeline": {"confidence": 0.4, "fps": 1}}), r.json()["global"]
    assert contains(effective(viewer_api, cam["id"]), {"cooldown_seconds": 42, "confidence": 0.4, "classes": {"person": 0.5},
                                                       "fps": 1, "motion_min_changed_fraction": 0.002})

    r = admin_api.put(f"/api/cameras/{cam['id']}/detection", json={
        "live_enabled": False, "cooldown_seconds": 7,
        "pipeline": {"class_filter": ["person", "car"], "motion": {"min_changed_fraction": 0.01}}})
    assert r.status_code == 200, r.text
    assert contains(entry(r.json(), cam["id"])["config"], {"live_enabled": False, "cooldown_seconds": 7}), entry(r.json(), cam["id"])
    assert contains(effective(viewer_api, cam["id"]), {
        "live_enabled": False, "cooldown_seconds": 7, "class_filter": ["person", "car"], "motion_min_changed_fraction": 0.01,
        "confidence": 0.4, "fps": 1})
    assert contains(effective(viewer_api, other["id"]), {"cooldown_seconds": 42, "class_filter": None,
                                                         "motion_min_changed_fraction": 0.002}), "another camera is untouched"
    # Null inherits again.
    r = admin_api.put(f"/api/cameras/{cam['id']}/detection", json=EMPTY)
    assert r.status_code == 200, r.text
    assert contains(effective(viewer_api, cam["id"]), {"cooldown_seconds": 42, "class_filter": None, "confidence": 0.4})
    assert admin_api.put("/api/ml/config", json=EMPTY).status_code == 200
    assert contains(effective(viewer_api, cam["id"]), ENVIRONMENT)


# (body, the field the message must name)
BAD_VALUES = [
    ({"pipeline": {"classes": {"person": 1.5}}}, "pipeline.classes.person"),
    ({"pipeline": {"classes": {"person": 0}}}, "pipeline.classes.person"),
    ({"pipeline": {"confidence": 2}}, "pipeline.confidence"),
    ({"pipeline": {"confidence": -0.1}}, "pipeline.confidence"),
    ({"pipeline": {"fps": 10}}, "fps"),
    ({"pipeline": {"fps": 0.1}}, "fps"),
    ({"pipeline": {"fps": 0}}, "fps"),
    ({"cooldown_seconds": -1}, "cooldown_seconds"),
    ({"pipeline": {"motion": {"force_every": -3}}}, "pipeline.motion.force_every"),
    ({"pipeline": {"motion": {"min_changed_fraction": 2}}}, "pipeline.motion.min_changed_fraction"),
    ({"pipeline": {"tracker": {"iou_threshold": 1.5}}}, "pipeline.tracker.iou_threshold"),
    ({"pipeline": {"activity": {"confirm_hits": 0}}}, "pipeline.activity.confirm_hits"),
    ({"pipeline": {"bogus": 1}}, "bogus"),
    ({"pipeline": {"motion": {"sensitivity": 3}}}, "sensitivity"),
]
# Values of the wrong type inside the pipeline JSON: refused (400 or 422) with the key named, as
# the pipeline format names every key it refuses (docs/detection-pipeline.md).
BAD_TYPES = [
    ({"pipeline": {"class_filter": "person"}}, "pipeline.class_filter"),
    ({"pipeline": {"classes": {"person": "high"}}}, "pipeline.classes.person"),
    ({"pipeline": {"motion": {"enabled": "yes"}}}, "pipeline.motion.enabled"),
]


@pytest.mark.parametrize("scope", ["global", "camera"])
@pytest.mark.parametrize("body,field,statuses", [(b, f, 422) for b, f in BAD_VALUES] + [(b, f, (400, 422)) for b, f in BAD_TYPES],
                         ids=[f"{f}-{json.dumps(b)}" for b, f in BAD_VALUES + BAD_TYPES])
def test_a_bad_value_is_refused_naming_the_field_and_changes_nothing(admin_api, cameras, clean_global, scope, body, field, statuses):
    cam = cameras.create()
    path = "/api/ml/config" if scope == "global" else f"/api/cameras/{cam['id']}/detection"
    good = {"cooldown_seconds": 33, "pipeline": {"confidence": 0.3}}
    assert admin_api.put(path, json=good).status_code == 200
    before = admin_api.get("/api/ml/config").json()
    error = assert_error(admin_api.put(path, json={**good, **body, "pipeline": {**good["pipeline"], **body.get("pipeline", {})}}),
                         statuses)
    assert error["error"] in ("validation_failed", "bad_request"), error
    assert field in error["message"], f"the message does not name {field}: {error['message']!r}"
    after = admin_api.get("/api/ml/config").json()
    assert after["global"] == before["global"] and entry(after, cam["id"]) == entry(before, cam["id"]), "nothing changed"


WRONG_TYPES = [{"live_enabled": "yes"}, {"cooldown_seconds": "ten"}, {"pipeline": [1]}, {"pipeline": "x"}]


@pytest.mark.parametrize("body", WRONG_TYPES, ids=[json.dumps(b) for b in WRONG_TYPES])
def test_wrong_types_are_refused(admin_api, clean_global, body):
    assert_error(admin_api.put("/api/ml/config", json=body), (400, 422))


def _raw(text: str, ctype: str = "application/json") -> dict:
    return {"data": text.encode(), "headers": {"Content-Type": ctype}}


BAD_REQUESTS = [
    ("invalid-json", "PUT", "/api/ml/config", _raw('{"pipeline": '), 400),
    ("array", "PUT", "/api/ml/config", {"json": []}, 400),
    ("null", "PUT", "/api/ml/config", _raw("null"), 400),
    ("text-plain", "PUT", "/api/ml/config", _raw("{}", "text/plain"), 415),
    ("huge", "PUT", "/api/ml/config", {"json": {"pipeline": {"class_filter": ["x" * 64] * (MiB // 32)}}}, 413),
    ("ghost-camera", "PUT", f"/api/cameras/{GHOST}/detection", {"json": EMPTY}, 404),
    ("bad-camera-id", "PUT", "/api/cameras/not-a-uuid/detection", {"json": EMPTY}, 400),
    ("ghost-export", "GET", f"/api/ml/config/export?camera_id={GHOST}", {}, 404),
    ("bad-export-id", "GET", "/api/ml/config/export?camera_id=nope", {}, 400),
    ("ghost-import", "POST", f"/api/ml/config/import?camera_id={GHOST}", {"json": {}}, 404),
    ("import-invalid-json", "POST", "/api/ml/config/import", _raw("{confidence: 0.3}"), 400),
    ("import-array", "POST", "/api/ml/config/import", {"json": [0.3]}, 400),
    ("import-huge", "POST", "/api/ml/config/import", {"json": {"class_filter": ["x" * 64] * (MiB // 32)}}, 413),
    ("delete-config", "DELETE", "/api/ml/config", {}, 405),
]


@pytest.mark.parametrize("method,path,kwargs,expected", [c[1:] for c in BAD_REQUESTS], ids=[c[0] for c in BAD_REQUESTS])
def test_bad_requests_get_a_4xx(admin_api, clean_global, method, path, kwargs, expected):
    before = admin_api.get("/api/ml/config").json()["global"]
    assert_error(admin_api.request(method, path, **kwargs), expected)
    assert admin_api.get("/api/ml/config").json()["global"] == before


def test_viewers_read_and_change_nothing(viewer_api, anon_api, cameras, clean_global):
    cam = cameras.create()
    assert viewer_api.get("/api/ml/config").status_code == 200
    assert_error(viewer_api.put("/api/ml/config", json={"cooldown_seconds": 5}), 403, "forbidden")
    assert_error(viewer_api.put(f"/api/cameras/{cam['id']}/detection", json={"cooldown_seconds": 5}), 403, "forbidden")
    assert_error(viewer_api.post("/api/ml/config/import", json={"confidence": 0.5}), 403, "forbidden")
    assert_error(anon_api.get("/api/ml/config"), 401, "unauthorized")
    assert viewer_api.get("/api/ml/config").json()["global"].get("cooldown_seconds") is None


PIPELINE = {"confidence": 0.35, "classes": {"person": 0.45}, "class_filter": ["person", "car"], "motion": {"force_every": 5}}


def export(api, camera_id: str | None = None) -> dict:
    r = api.get("/api/ml/config/export", params={"camera_id": camera_id} if camera_id else None)
    assert r.status_code == 200, r.text
    assert r.headers.get("Content-Disposition", "").startswith("attachment"), r.headers
    return r.json()


def test_the_pipeline_json_is_exported_and_imported_back_per_scope(admin_api, cameras, clean_global):
    assert admin_api.put("/api/ml/config", json={"pipeline": PIPELINE}).status_code == 200
    exported = export(admin_api)
    assert contains(exported, PIPELINE), exported
    assert admin_api.put("/api/ml/config", json={"pipeline": {"confidence": 0.6}}).status_code == 200
    r = admin_api.post("/api/ml/config/import", json=exported)
    assert r.status_code == 200, r.text
    assert r.json() == admin_api.get("/api/ml/config").json(), "the import answers the whole document, as GET does"
    assert contains(r.json()["global"]["pipeline"], PIPELINE), r.json()["global"]

    cam = cameras.create()
    own = {"fps": 1, "classes": {"dog": 0.3}}
    assert admin_api.put(f"/api/cameras/{cam['id']}/detection", json={"pipeline": own}).status_code == 200
    mine = export(admin_api, cam["id"])
    assert contains(mine, own) and "class_filter" not in mine, f"a camera's export holds its own settings: {mine}"
    assert admin_api.put(f"/api/cameras/{cam['id']}/detection", json=EMPTY).status_code == 200
    r = admin_api.post("/api/ml/config/import", params={"camera_id": cam["id"]}, json=mine)
    assert r.status_code == 200, r.text
    assert contains(entry(r.json(), cam["id"])["config"]["pipeline"], own)
    assert contains(entry(r.json(), cam["id"])["effective"], {"fps": 1, "confidence": 0.35})
    # An import is validated like a PUT.
    error = assert_error(admin_api.post("/api/ml/config/import", json={"classes": {"person": 7}}), 422, "validation_failed")
    assert "classes.person" in error["message"], error


@pytest.mark.sqlite_only  # the file and `ronin detect`, not the database
def test_ronin_detect_reads_the_exported_file(admin_api, clean_global, tmp_path):
    assert admin_api.put("/api/ml/config", json={"pipeline": PIPELINE}).status_code == 200
    config = tmp_path / "pipeline.json"
    config.write_text(json.dumps(export(admin_api)))
    clip = tmp_path / "clip.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-ss", "10", "-t", "2", "-i", VTEST, "-an", "-c:v", "libx264", "-preset", "ultrafast",
                    str(clip)], check=True, timeout=60)
    r = subprocess.run([str(RONIN_BIN), "detect", str(clip), "--json", "--config", str(config)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    lines = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    assert lines[-1]["type"] == "summary" and lines[-1]["frames"] >= 3, lines[-1]
    assert {d["class"] for d in lines if d["type"] == "detection"} <= {"person", "car"}, "the exported class filter applies"
