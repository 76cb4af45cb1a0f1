"""Clip export from real recordings of the test camera: one MP4 across segment boundaries, cut
at keyframes without re-encoding (the exported packets are the recorded ones, hash for hash),
streamed as a named download; several cameras as one ZIP; clear 4xx answers for ranges without
footage, too long or malformed.

Cutting and packaging footage does not depend on the database, so most of this runs on SQLite
only; the export across segment boundaries also runs on PostgreSQL, as the one test there that
plays the whole path: the recorder indexing real segments, and the export finding them.
"""
import datetime as dt
import io
import re
import subprocess
import zipfile

import pytest

from support.media import contiguous_run_at, stream_packets
from support.server import ApiClient, RoninServer
from recording.helpers import (PIPELINE_ENV, add_camera, decodes_cleanly, iso, media_duration, utc, wait_for_recordings,
                               wait_for_state)

GOP_SECONDS = 2.0  # the test camera's H.264 has a keyframe every 20 frames at 10 fps
FPS = 10


@pytest.fixture(scope="module")
def recorded(request, server, test_camera):
    """A server that has recorded two cameras of the test camera for a few 5-second segments."""
    url = request.getfixturevalue("postgres").create_database() if server.database == "postgres" else None
    srv = RoninServer(server.database, url, "export", {**PIPELINE_ENV, "EXPORT_MAX_HOURS": "2"}).start()
    api = srv.login()
    front = add_camera(api, test_camera, "/vtest", name="Front Door")
    yard = add_camera(api, test_camera, "/vtest-noaudio", name="Yard")
    for cam in (front, yard):
        wait_for_state(api, cam["id"], {"recording"}, timeout=40)
    rows = wait_for_recordings(api, front["id"], 5, timeout=90)
    wait_for_recordings(api, yard["id"], 3, timeout=60)
    yield srv, api, front, yard, rows
    srv.stop()


def export_clip(api, camera: dict, start: dt.datetime, end: dt.datetime, path) -> None:
    """Downloads the camera's clip of [start, end) into `path`."""
    r = api.get(f"/api/playback/{camera['id']}/export", params={"start": iso(start), "end": iso(end)})
    assert r.status_code == 200, r.text
    path.write_bytes(r.content)


def probe(path) -> dict:
    r = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name:format=format_name",
                        "-of", "default=nw=1", str(path)], capture_output=True, text=True, timeout=60)
    return {"text": r.stdout, "ok": r.returncode == 0}


def assert_packets_copied(clip, segments, min_video_packets: int) -> None:
    """`clip`'s packets are an unbroken run of the `segments`' packets (in order), per stream,
    with the same codec configuration, and there are at least `min_video_packets` video ones."""
    exported = stream_packets(clip)
    recorded = [stream_packets(path) for path in segments]
    assert set(exported) == set(recorded[0]), (sorted(exported), sorted(recorded[0]))
    assert len(exported["video"].hashes) >= min_video_packets, (len(exported["video"].hashes), min_video_packets)
    for kind, packets in exported.items():
        source = [digest for segment in recorded for digest in segment[kind].hashes]
        known = set(source)
        assert packets.hashes, f"no {kind} packets in the clip"
        assert contiguous_run_at(packets.hashes, source) is not None, (
            f"the clip's {len(packets.hashes)} {kind} packets are not an unbroken run of the "
            f"{len(source)} recorded ones: re-encoded or reordered "
            f"({sum(d in known for d in packets.hashes)} of them were recorded)")
        assert packets.extradata == recorded[0][kind].extradata, f"{kind} codec configuration changed"


def test_export_across_segment_boundaries_matches_the_range(recorded, tmp_path):
    srv, api, front, _, rows = recorded
    start = utc(rows[0]["start"]) + dt.timedelta(seconds=2)
    end = utc(rows[3]["end"]) - dt.timedelta(seconds=1)
    wanted = (end - start).total_seconds()
    r = api.get(f"/api/playback/{front['id']}/export", params={"start": iso(start), "end": iso(end), "tz": "Europe/Berlin"},
                stream=True)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "video/mp4"
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    name = re.search(r'filename="([^"]+)"', disposition).group(1)
    assert re.fullmatch(r"Front_Door_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}_to_(\d{4}-\d{2}-\d{2}_)?\d{2}-\d{2}-\d{2}\.mp4", name), name
    assert "Transfer-Encoding" in r.headers or "Content-Length" not in r.headers, "streamed as it is cut"
    clip = tmp_path / name
    with open(clip, "wb") as out:
        for chunk in r.iter_content(64 * 1024):
            out.write(chunk)
    info = probe(clip)
    assert info["ok"] and "codec_name=h264" in info["text"] and "codec_name=aac" in info["text"], info
    duration = media_duration(clip)
    assert wanted - 0.5 <= duration <= wanted + GOP_SECONDS + 0.5, (duration, wanted)
    assert decodes_cleanly(clip)
    # Not re-encoded: the clip's packets are the recorded ones across the three boundaries.
    segments = [srv.data_dir / "storage" / row["path"] for row in rows[:4]]
    assert_packets_copied(clip, segments, min_video_packets=int((wanted - 0.5) * FPS))


@pytest.mark.sqlite_only
def test_export_inside_one_segment(recorded, tmp_path):
    srv, api, front, _, rows = recorded
    start = utc(rows[1]["start"]) + dt.timedelta(seconds=1)
    end = start + dt.timedelta(seconds=2)
    clip = tmp_path / "short.mp4"
    export_clip(api, front, start, end, clip)
    assert 1.5 <= media_duration(clip) <= 2 + GOP_SECONDS + 0.5
    segment = srv.data_dir / "storage" / rows[1]["path"]
    assert_packets_copied(clip, [segment], min_video_packets=2 * FPS)


@pytest.mark.sqlite_only
def test_several_cameras_come_as_one_zip(recorded, tmp_path):
    srv, api, front, yard, rows = recorded
    start = utc(rows[1]["start"])
    end = utc(rows[2]["end"])
    r = api.get("/api/playback/export", params={"camera_ids": f"{front['id']},{yard['id']}", "start": iso(start),
                                                "end": iso(end), "tz": "UTC"})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "application/zip"
    assert re.search(r'filename="ronin_\d{4}-\d{2}-\d{2}_[\d-]+_to_[\d_-]+\.zip"', r.headers["Content-Disposition"])
    with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert len(names) == 2 and names[0].startswith("Front_Door_") and names[1].startswith("Yard_"), names
        for member in names:
            path = tmp_path / member
            path.write_bytes(archive.read(member))
            assert probe(path)["ok"] and decodes_cleanly(path)
            assert media_duration(path) >= (end - start).total_seconds() - 3


@pytest.mark.sqlite_only
def test_ranges_without_footage_or_too_long_are_refused(recorded):
    srv, api, front, yard, rows = recorded
    first = utc(rows[0]["start"])
    base = f"/api/playback/{front['id']}/export"
    r = api.get(base, params={"start": iso(first - dt.timedelta(days=3)), "end": iso(first - dt.timedelta(days=2, hours=23))})
    assert r.status_code == 404 and "No footage" in r.json()["message"]
    r = api.get(base, params={"start": iso(first), "end": iso(first + dt.timedelta(hours=3))})
    assert r.status_code == 400 and "EXPORT_MAX_HOURS" in r.json()["message"]
    assert api.get(base, params={"start": iso(first), "end": iso(first)}).status_code == 400
    assert api.get(base, params={"start": "yesterday", "end": iso(first)}).status_code == 400
    assert api.get(base, params={"end": iso(first)}).status_code == 400
    unknown = "00000000-0000-4000-8000-000000000000"
    assert api.get(f"/api/playback/{unknown}/export", params={"start": iso(first), "end": iso(first + dt.timedelta(seconds=5))}).status_code == 404
    r = api.get("/api/playback/export", params={"camera_ids": yard["id"], "start": iso(first - dt.timedelta(days=3)),
                                                "end": iso(first - dt.timedelta(days=2, hours=23))})
    assert r.status_code == 404


@pytest.mark.sqlite_only
def test_viewers_may_export_and_strangers_may_not(recorded):
    srv, api, front, _, rows = recorded
    r = api.post("/api/users", json={"username": "clip-viewer", "password": "viewer-password-1", "role": "viewer"})
    assert r.status_code == 201, r.text
    viewer = srv.login("clip-viewer", "viewer-password-1")
    params = {"start": rows[1]["start"], "end": rows[1]["end"]}
    assert viewer.get(f"/api/playback/{front['id']}/export", params=params).status_code == 200
    assert ApiClient(srv.base_url).get(f"/api/playback/{front['id']}/export", params=params).status_code == 401
