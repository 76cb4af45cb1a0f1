"""Playback of the footage being recorded, in a real browser, against a server that records the
RTSP test camera in its default 15-minute segments (so the segment being written stays open for
the whole test; docs/design/live.md, The segment being written).

A person opens Playback for today: the segment being written shows on the ruler within seconds
of the camera starting, marked as recording now, with "now" beside it, and grows while the page
stays open. A click a few seconds before now plays (the picture is then within about ten seconds
of now) and keeps playing past the end of the file as it was when loaded. Live (after stepping
back half a minute) jumps back to a few seconds before now and follows the edge: a quarter of a
minute later the picture is still within about ten seconds of now; a pause ends following. When
the camera's recording is stopped the same recording becomes a finished segment (its row and
the sidebar say so, the ruler's "recording now" mark goes) and it still plays.
"""
from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By

from recording.helpers import PIPELINE_ENV, add_camera, recordings, utc
from support.waiting import wait_for

from .ui import UI

pytestmark = pytest.mark.sqlite_only  # the page and the recorder, not the database

TZ = "Europe/Berlin"
# The recorder as the tests' pipelines run it, but in the default 15-minute segments.
LIVE_ENV = {k: v for k, v in PIPELINE_ENV.items() if k != "RECORDING_SEGMENT_SECONDS"}
FIRST_FOOTAGE_WAIT = 90  # pipeline start + 15 s of footage in the segment being written, on a busy 2-core machine
NEAR_NOW_MS = 10_000  # "within about ten seconds of now"
PLAY_WAIT = 30


@pytest.fixture
def recent_server(make_server):
    return make_server(env=LIVE_ENV)


def now_ms() -> float:
    return time.time() * 1000


def being_written(api, camera_id: str, min_seconds: float) -> dict | None:
    rows = [r for r in recordings(api, camera_id, in_progress=True) if r["in_progress"]]
    return rows[-1] if rows and rows[-1]["duration_seconds"] >= min_seconds else None


def live_span(ui: UI) -> tuple[str, float, float] | None:
    marks = ui.all("ruler-live")
    if not marks:
        return None
    mark = marks[-1]
    return mark.get_attribute("data-recording-id"), float(mark.get_attribute("data-start")), float(mark.get_attribute("data-end"))


def following(ui: UI) -> bool:
    return ui.find("go-live").get_attribute("data-following") == "true"


def lag_ms(ui: UI) -> float:
    """How far the instant on screen is behind now (the page's clock is this machine's)."""
    state = ui.playback_video()
    assert state and state["instant"], state
    return now_ms() - state["instant"]


def show_instant(ui: UI, instant: float) -> None:
    """Zooms the ruler out until `instant` is in view."""
    for _ in range(12):
        start, span = ui.ruler_view()
        if start + span * 0.02 <= instant <= start + span * 0.98:
            return
        ui.click("ruler-zoom-out")
        ui.until(lambda s=span: ui.ruler_view()[1] != s, message="the ruler zooms out")
    raise AssertionError(f"{instant} never came into view ({ui.ruler_view()})")


@pytest.mark.timeout(300)
def test_playback_of_the_footage_being_recorded(recent_server, test_camera, ui: UI, browser, shot):
    api = recent_server.login()
    camera = add_camera(api, test_camera, "/vtest", name="Porch")
    row = wait_for(lambda: being_written(api, camera["id"], 15), FIRST_FOOTAGE_WAIT, interval=1)
    assert row["status"] == "recording" and row["path"].startswith(".recording/"), row
    browser.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": TZ})

    # -- today's ruler shows the segment being written, growing -------------------------------------
    ui.base_url = recent_server.base_url
    ui.open("/")
    ui.login(recent_server.admin_username, recent_server.admin_password)
    ui.open(f"/playback?cameras={camera['id']}")
    ui.find("playback-page")
    ui.until(lambda: (span := live_span(ui)) is not None and span[0].lower() == row["id"].lower(), 20,
             "the segment being written is marked on the ruler")
    assert ui.all("ruler-live-edge"), "its growing end is marked"
    assert ui.all("ruler-now"), "today's ruler shows now"
    _, _, first_end = live_span(ui)
    assert now_ms() - first_end < 15_000, "the ruler's footage reaches within seconds of now"
    ui.until(lambda: live_span(ui)[2] >= first_end + 3000, 20, "the range grows while the page stays open")
    assert any(utc(r.get_attribute("data-end")).timestamp() * 1000 >= first_end for r in ui.all("ruler-range")), \
        "the footage is a range on the ruler up to the growing end"
    assert ui.find("playback-idle"), "nothing plays before a click"
    shot("01-recording-on-the-ruler")

    # zoom in around now (two minutes across the ruler) so that clicks land within a fraction of a second
    for _ in range(12):
        span = ui.ruler_view()[1]
        if span <= 120_000:
            break
        ui.wheel_ruler(now_ms(), -120)
        ui.until(lambda s=span: ui.ruler_view()[1] < s, message="the wheel zooms in")
    assert ui.ruler_view()[1] == 120_000

    # -- a click a few seconds before now plays from there -------------------------------------------
    clicked_at = now_ms()
    ui.click_ruler(camera["id"], clicked_at - 8000)
    ui.until(lambda: (s := ui.playback_video()) and s["segment"] and s["segment"].lower() == row["id"].lower()
             and not s["paused"] and s["t"] > 0, PLAY_WAIT, "the segment being written never started playing")
    assert lag_ms(ui) <= NEAR_NOW_MS, ui.playback_video()
    assert "?v=" in ui.playback_video()["src"], "a growing file is asked for afresh"
    t0 = ui.playback_video()["t"]
    ui.until(lambda: ui.playback_video()["t"] > t0 + 1.0, 20, "the video does not advance")
    meta = ui.find("clip-meta")
    assert meta.get_attribute("data-status") == "recording"
    assert ui.find("clip-recording-now").text == "Recording now"
    assert not following(ui), "a click plays; it does not follow"
    shot("02-playing-seconds-ago")

    # it plays on past the end of the file as it was when the click loaded it
    ui.until(lambda: ui.playback_video()["instant"] > clicked_at + 3000, 40,
             f"playback stopped at the end of the first copy (last {ui.playback_video()})")
    assert not ui.playback_video()["paused"]
    assert all(m.text != "End of the footage for this day." for m in ui.all("playback-message"))
    shot("03-past-the-first-copy")

    # -- Live: back to a few seconds before now, following the edge ----------------------------------
    body = ui.d.find_element(By.TAG_NAME, "body")
    for _ in range(3):
        body.send_keys("\ue012")  # ArrowLeft: 10 s back each
    ui.until(lambda: lag_ms(ui) > 25_000, message="stepped half a minute back")
    ui.click("go-live")
    ui.until(lambda: following(ui) and lag_ms(ui) <= NEAR_NOW_MS and not ui.playback_video()["paused"], 20,
             f"Live did not jump to the edge (last {ui.playback_video()}, now {now_ms()})")
    assert ui.find("go-live").get_attribute("aria-pressed") == "true"
    assert ui.find("stage-live").text.upper() == "LIVE"
    shot("04-live")
    live_at, instant_at = now_ms(), ui.playback_video()["instant"]
    lags: list[float] = []

    def quarter_minute_on():
        lags.append(lag_ms(ui))
        return now_ms() - live_at >= 15_000

    wait_for(quarter_minute_on, 30, interval=0.5)
    assert following(ui), "still following"
    assert lags[-1] <= NEAR_NOW_MS, lags
    assert ui.playback_video()["instant"] - instant_at >= 10_000, "the picture played on with the edge"
    shot("05-live-a-quarter-minute-on")

    # a pause ends following
    body.send_keys(" ")
    ui.until(lambda: ui.playback_video()["paused"] and not following(ui), message="pausing stops following")

    # -- recording stops: the same recording is finished, and still plays ---------------------------------
    r = api.post(f"/api/cameras/{camera['id']}/recording/stop")
    assert r.status_code in (200, 204), r.text

    def finished():
        answer = api.get(f"/api/recordings/{row['id']}")
        assert answer.status_code == 200, answer.text
        return answer.json() if answer.json()["status"] == "complete" else None

    done = wait_for(finished, 60)
    assert not done["in_progress"] and not done["path"].startswith(".recording/"), done
    ui.until(lambda: ui.find("clip-meta").get_attribute("data-status") == "complete", 20, "the sidebar shows the finished segment")
    assert not ui.all("clip-recording-now")
    ui.until(lambda: not ui.all("ruler-live"), 20, "the ruler's recording-now mark goes")
    # well before where the pause left the picture, so the click visibly moves it
    target = utc(done["start"]).timestamp() * 1000 + 10_000
    assert target < utc(done["end"]).timestamp() * 1000 - 30_000, done
    show_instant(ui, target)
    clicked = time.monotonic()
    ui.click_ruler(camera["id"], target)

    def playing_from_click():
        s = ui.playback_video()
        near = s and s["instant"] and target - 1500 <= s["instant"] <= target + 1500 + (time.monotonic() - clicked) * 1000
        return s if near and not s["paused"] else None

    state = ui.until(playing_from_click, PLAY_WAIT, f"the finished segment does not play (last {ui.playback_video()})")
    ui.until(lambda: ui.playback_video()["t"] > state["t"] + 1.0, 20, "the finished segment does not advance")
    assert ui.playback_video()["segment"].lower() == row["id"].lower()
    shot("06-finished-still-plays")
