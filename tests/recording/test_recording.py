"""Recording against the real test camera: segments appear, play, and cover the time without
gaps; the live playlist advances; credentials stay out of process listings."""
import time

import pytest
import requests

from recording.helpers import (PIPELINE_ENV, add_camera, decodes_cleanly, gaps, media_duration,
                               recordings, wait_for_recordings, wait_for_state)
from support.waiting import wait_for

pytestmark = pytest.mark.sqlite_only  # footage and ffmpeg, not the database: see tests/conftest.py


@pytest.fixture
def recorder(make_server):
    return make_server(env=PIPELINE_ENV)


def test_segments_cover_the_elapsed_time_and_play(recorder, test_camera):
    api = recorder.login()
    camera = add_camera(api, test_camera, "/vtest")
    wait_for_state(api, camera["id"], {"recording"}, timeout=30)
    started = time.monotonic()
    rows = wait_for_recordings(api, camera["id"], 4, timeout=60)
    elapsed = time.monotonic() - started

    for row in rows:
        assert row["status"] == "complete"
        assert row["video_codec"] == "h264" and row["width"] == 768 and row["height"] == 576
        assert row["audio_codec"] == "aac"
        path = recorder.data_dir / "storage" / camera["folder_name"]
        files = list(path.glob("*/*.mp4"))
        assert files, "segments are filed under the camera's folder by date"
        # Footage is for the NVR and its owner's group, never for every user of the machine.
        for file in files + [file.parent for file in files]:
            assert file.stat().st_mode & 0o007 == 0, f"{file} is {oct(file.stat().st_mode)}"
    # Consecutive segments neither overlap nor leave gaps beyond a second.
    assert all(-1.0 <= g <= 1.0 for g in gaps(rows)), gaps(rows)
    covered = sum(r["duration_seconds"] for r in rows)
    assert covered >= min(elapsed, 15) - 2
    # The file supports ranges, validators and HEAD, as a <video> element needs.
    first = rows[0]
    url = f"/api/recordings/{first['id']}/file"
    whole = api.get(url)
    size = len(whole.content)
    assert size == first["size_bytes"]
    assert whole.headers["Accept-Ranges"] == "bytes" and whole.headers["ETag"]
    part = api.get(url, headers={"Range": "bytes=100-1099"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 100-1099/{size}"
    assert part.content == whole.content[100:1100]
    tail = api.get(url, headers={"Range": "bytes=-500"})
    assert tail.status_code == 206 and tail.content == whole.content[-500:]
    assert api.get(url, headers={"Range": f"bytes={size}-"}).status_code == 416
    assert api.get(url, headers={"If-None-Match": whole.headers["ETag"]}).status_code == 304
    head = api.request("HEAD", url)
    assert head.status_code == 200 and head.headers["Content-Length"] == str(size) and head.content == b""
    # Every segment decodes, and its row's duration is the file's.
    for row in rows[:3]:
        r = api.get(f"/api/recordings/{row['id']}/file")
        assert r.status_code == 200 and r.headers["Content-Type"] == "video/mp4"
        local = recorder.data_dir / "tmp-check.mp4"
        local.write_bytes(r.content)
        assert decodes_cleanly(local)
        assert abs(media_duration(local) - row["duration_seconds"]) < 0.5


def test_g711_audio_is_transcoded_to_aac_and_silent_cameras_work(recorder, test_camera):
    api = recorder.login()
    g711 = add_camera(api, test_camera, "/vtest-g711")
    silent = add_camera(api, test_camera, "/vtest-noaudio")
    g711_rows = wait_for_recordings(api, g711["id"], 2, timeout=60)
    silent_rows = wait_for_recordings(api, silent["id"], 2, timeout=60)
    assert {r["audio_codec"] for r in g711_rows} == {"aac"}
    assert {r["audio_codec"] for r in silent_rows} == {None}


def test_live_playlist_advances_and_needs_sign_in(recorder, test_camera):
    api = recorder.login()
    camera = add_camera(api, test_camera, "/vtest", substream_path="/pattern", recording_enabled=False)
    wait_for_state(api, camera["id"], {"live"}, timeout=30)
    base = f"/api/cameras/{camera['id']}/live"

    def newest_segment(path):
        r = api.get(f"{base}/{path}")
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"] == "application/vnd.apple.mpegurl"
        assert "#EXT-X-MAP:URI=" in r.text
        return [l for l in r.text.splitlines() if l and not l.startswith("#")][-1]

    first = newest_segment("stream.m3u8")
    # The live playlist advances: a newer segment is listed (live segments last about two seconds, cut at keyframes).
    second = wait_for(lambda: (newest := newest_segment("stream.m3u8")) != first and newest, timeout=20)
    r = api.get(f"{base}/{second}")
    assert r.status_code == 200 and len(r.content) > 1000
    assert api.get(f"{base}/init.mp4").status_code == 200
    assert newest_segment("sub/stream.m3u8").endswith(".m4s")

    # The cookie set at sign-in works for GET (what a <video> element sends); nothing else does.
    cookie_only = requests.Session()
    cookie_only.cookies.update(api.session.cookies)
    assert cookie_only.get(recorder.base_url + f"{base}/stream.m3u8").status_code == 200
    assert requests.get(recorder.base_url + f"{base}/stream.m3u8").status_code == 401
    for hostile in ["..%2F..%2Fetc%2Fpasswd", ".hidden.m3u8", "stream.sh", "a%00.m3u8"]:
        assert api.get(f"{base}/{hostile}").status_code in (400, 404)
    # No recording while it is switched off.
    assert recordings(api, camera["id"]) == []


def test_credentials_stay_out_of_process_listings(recorder, authed_camera):
    api = recorder.login()
    camera = add_camera(api, authed_camera, "/vtest", username="viewer", password="s3cret-rtsp")
    wait_for_state(api, camera["id"], {"recording"}, timeout=30)
    import subprocess
    # Whole command lines (-ww: not cut at 80 columns), of the NVR and everything it started;
    # the test camera's own command line carries the password it serves with, so it is left out.
    listing = subprocess.run(["ps", "-eww", "-o", "args"], capture_output=True, text=True).stdout
    ours = [line for line in listing.splitlines() if "ffmpeg" in line or "ronin serve" in line]
    assert any("ffmpeg" in line and str(recorder.data_dir) in line for line in ours), ours
    assert not [line for line in ours if "s3cret-rtsp" in line]
    assert "s3cret-rtsp" not in recorder.log_text()


def test_recording_switches_start_and_stop_the_pipeline(recorder, test_camera):
    api = recorder.login()
    camera = add_camera(api, test_camera, "/vtest-noaudio")
    wait_for_state(api, camera["id"], {"recording"}, timeout=30)
    assert api.post(f"/api/cameras/{camera['id']}/recording/stop").status_code == 200
    wait_for_state(api, camera["id"], {"live"}, timeout=30)
    assert api.post("/api/cameras/recording/start-all").json()["updated"] >= 1
    wait_for_state(api, camera["id"], {"recording"}, timeout=30)
    wait_for_recordings(api, camera["id"], 1, timeout=30)
    assert api.patch(f"/api/cameras/{camera['id']}", json={"enabled": False}).status_code == 200
    wait_for_state(api, camera["id"], {"stopped"}, timeout=15)
    status = api.get("/api/status").json()
    assert status["api"]["status"] == "ok"
    assert status["storage"]["free_bytes"] > 0
    assert status["recording"]["last_hour"]["segments"] >= 1
