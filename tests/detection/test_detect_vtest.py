"""`ronin detect` on real footage: vtest.avi (768x576, ~80 s of people walking past a parked van
and car), with the provisioned YOLOv3-tiny model and the real ONNX Runtime.

The reference boxes (detection/vtest_reference.py) were checked by hand.
"""
import json
import os
import subprocess

import pytest

from detection.vtest_reference import CAR, PEOPLE, VAN, VEHICLES, VTEST, iou
from support.paths import REPO_ROOT, RONIN_BIN


def detect(*args: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    if not RONIN_BIN.exists():
        pytest.fail(f"{RONIN_BIN} is missing; run `swift build` first")
    return subprocess.run([str(RONIN_BIN), "detect", *args], capture_output=True, text=True, cwd=REPO_ROOT,
                          env={**os.environ, **(env or {})}, timeout=timeout)


@pytest.fixture(scope="module")
def vtest():
    result = detect(VTEST, "--fps", "2", "--json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    return {
        "detections": [d for d in lines if d["type"] == "detection"],
        "events": [e for e in lines if e["type"] == "event"],
        "summary": lines[-1],
    }


def at(vtest, time: float) -> list[dict]:
    return [d for d in vtest["detections"] if abs(d["time"] - time) < 1e-6]


def test_every_line_is_json_with_the_documented_fields(vtest):
    summary = vtest["summary"]
    assert summary["type"] == "summary"
    assert summary["frames"] == 159  # 79.5 s at 2 fps
    assert summary["analysed"] + summary["skipped_by_motion"] == summary["frames"]
    assert summary["events"] == len(vtest["events"])
    for detection in vtest["detections"]:
        assert set(detection) == {"type", "time", "frame", "class", "confidence", "box", "track_id"}
        assert detection["time"] == pytest.approx(detection["frame"] / 2)
        x, y, w, h = detection["box"]
        assert 0 <= x and 0 <= y and w > 0 and h > 0 and x + w <= 768.5 and y + h <= 576.5
        assert 0.25 <= detection["confidence"] <= 1


@pytest.mark.parametrize("time,box", PEOPLE)
def test_people_are_found_where_they_are(vtest, time, box):
    people = [d for d in at(vtest, time) if d["class"] == "person"]
    best = max((iou(d["box"], box) for d in people), default=0)
    assert best > 0.5, f"no person box on {box} at {time}s: {people}"


def test_parked_vehicles_are_detected_and_never_arrive(vtest):
    analysed_times = sorted({d["time"] for d in vtest["detections"]})
    for reference in (VAN, CAR):
        hits = {d["time"] for d in vtest["detections"] if d["class"] in VEHICLES and iou(d["box"], reference) > 0.5}
        assert len(hits) >= 0.8 * len(analysed_times), f"vehicle at {reference} found in {len(hits)} of {len(analysed_times)} frames"
    vehicle_events = [e for e in vtest["events"] if e["class"] in VEHICLES and e["kind"] in ("arrival", "departure")]
    assert vehicle_events == []


def test_people_walking_through_arrive_and_depart(vtest):
    arrivals = [e for e in vtest["events"] if e["kind"] == "arrival"]
    departures = [e for e in vtest["events"] if e["kind"] == "departure"]
    assert all(e["class"] == "person" for e in arrivals)
    assert len(arrivals) >= 8 and len(departures) >= 8
    for event in arrivals + departures:
        assert event["start"] <= event["end"] and {"track_id", "class", "box"} <= set(event)
    # Two people enter across the lawn at the bottom between 50 s and 55 s.
    assert sum(1 for e in arrivals if 49 <= e["start"] <= 55 and e["box"][1] > 288) >= 2
    # Nobody arrives in the first seconds: people already there when watching began were not "arriving".
    assert not [e for e in arrivals if e["start"] < 3]
    # A departure follows the arrival of the same track.
    arrived = {e["track_id"]: e["start"] for e in arrivals}
    assert any(e["track_id"] in arrived and e["end"] > arrived[e["track_id"]] for e in departures)


def test_human_readable_output_and_options_win_over_the_config_file(tmp_path):
    clip = tmp_path / "vtest-4s.avi"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-t", "4", "-i", VTEST, "-c", "copy", str(clip)], check=True)
    config = tmp_path / "pipeline.json"
    config.write_text(json.dumps({"fps": 0.5, "motion": {"enabled": True}}))
    result = detect(str(clip), "--fps", "1", "--no-motion", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "analysed at 640x480" in result.stdout
    assert " person #" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("4 frames: 4 analysed, 0 skipped by the motion filter")


def test_missing_file_is_a_clear_error():
    result = detect("/nonexistent/footage.avi", "--json")
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.strip() == "ronin detect: Cannot read /nonexistent/footage.avi: no such file"


def test_missing_onnx_runtime_says_why_detection_is_off():
    result = detect(VTEST, "--json", env={"ORT_LIBRARY_PATH": "/nonexistent/libonnxruntime.so"})
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "ONNX Runtime library not found; object detection is off" in lines[0]
    assert "/nonexistent/libonnxruntime.so" in lines[0]


def test_bad_pipeline_config_names_the_key(tmp_path):
    config = tmp_path / "pipeline.json"
    config.write_text(json.dumps({"classes": {"person": 0.4}, "motion": {"force_evry": 5}}))
    result = detect(VTEST, "--config", str(config))
    assert result.returncode != 0
    assert "motion.force_evry is not a known setting" in result.stderr
    config.write_text(json.dumps({"activity": {"confirm_hits": 0}}))
    result = detect(VTEST, env={"ML_PIPELINE_CONFIG": str(config)})
    assert result.returncode != 0
    assert "activity.confirm_hits must be a whole number from 1 to 100" in result.stderr
