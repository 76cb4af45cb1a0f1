"""The ML page in a real browser, used as a person would: the activity log of events that the
analysis of real footage (vtest.avi, adopted as recordings) produced, its filters, an event's
lightbox with snapshot, mosaic and clip, marking reviewed, locking and deleting; many events in
pages with "Load more" and snapshots still being made; and the live feed taking in new events from
a camera that live detection watches, without a reload. Everything shown is compared with what
the API says.
"""
from __future__ import annotations

import datetime as dt

import pytest
from selenium.webdriver.common.keys import Keys

from detection.analysis_helpers import jobs
from events.helpers import events, wait_for_events
from recording.helpers import add_camera, utc
from support.event_rows import EventRow, EventRows
from support.footage import adopt_footage

from .events_ui import DETECT_ENV, LIVE_DETECT_ENV, media, open_ml, row, rows, sentence_start
from .ui import UI

pytestmark = pytest.mark.sqlite_only  # the page, not the database: tests/api checks events on both

ANALYSIS_WAIT = 240  # two 20 s segments of vtest.avi analysed at 2 fps, and their artifacts made


@pytest.fixture
def analysed(make_server):
    """A server whose camera has two segments of vtest.avi, analysed, with every event's pictures made."""
    srv = make_server(env={"RONIN_RUN_PIPELINES": "true", **DETECT_ENV})
    camera, _ = adopt_footage(srv, srv.login(), "Front Door", count=2, seconds=20)
    api = srv.login()

    def settled(found):
        detect = [j for j in jobs(api, camera["id"]) if j["kind"] == "detect"]
        return (len(detect) >= 2 and all(j["state"] == "succeeded" for j in detect)
                and {"arrival", "departure"} <= {e["kind"] for e in found} and all(e["artifacts"] == "ready" for e in found))

    found = wait_for_events(api, settled, ANALYSIS_WAIT, camera_id=camera["id"])
    return srv, api, camera, found


def lightbox_open(ui: UI, event: dict, testid: str = "event-row") -> None:
    button = row(ui, event["id"], testid).find_element("css selector", "button")
    ui.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    ui.find("event-lightbox")
    ui.until(lambda: ui.find("event-details").get_attribute("data-event-id") == event["id"], message="the clicked event opens")


def close_lightbox(ui: UI) -> None:
    ui.find("event-lightbox").send_keys(Keys.ESCAPE)
    ui.gone("event-lightbox")


def api_event(api, event_id: str) -> dict:
    r = api.get(f"/api/events/{event_id}")
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.timeout(480)
def test_log_and_lightbox_of_analysed_footage(analysed, ui: UI, shot):
    srv, api, camera, found = analysed
    ui.base_url = srv.base_url
    open_ml(ui, srv.admin_username, srv.admin_password)
    assert ui.find("nav-ml").get_attribute("aria-current") == "page"

    # -- the log: every event of the analysed footage, newest first, each sentence as it happened ---------
    ui.until(lambda: [r["id"] for r in rows(ui)] == [e["id"] for e in found[:50]], 20,
             f"the log never listed the API's events: {[r['id'] for r in rows(ui)]}")
    for shown, event in zip(rows(ui), found):
        assert shown["sentence"].startswith(sentence_start(event)), (shown["sentence"], event)
        assert (shown["kind"], shown["cls"], shown["source"], shown["ongoing"]) == (event["kind"], event["class"], "historical", False)
        assert shown["thumb"]["state"] == "ready" and shown["thumb"]["loading"] == "lazy", shown
        assert shown["thumb"]["src"] == event["snapshot_url"] + "?height=120", shown
    assert ui.find("event-count").get_attribute("data-total") == str(len(found))
    ui.until(lambda: rows(ui)[0]["thumb"]["loaded"], message="the first thumbnail loads")
    first_thumb = ui.d.find_element("css selector", '[data-testid=event-row] img[data-testid=event-thumb]')
    assert ui.d.execute_script("return arguments[0].naturalHeight", first_thumb) == 120, "the server scaled it to 120 px"
    shot("01-log")

    # -- filters narrow the log as the API does, and live in the address -----------------------------------
    ui.select("Kind", "departure")
    departures = events(api, camera_id=camera["id"], kind="departure")
    ui.until(lambda: [r["id"] for r in rows(ui)] == [e["id"] for e in departures], message="only departures")
    assert "kind=departure" in ui.path(), ui.path()
    assert all("left" in r["sentence"] and " after " in r["sentence"] for r in rows(ui))
    shot("02-departures")
    ui.d.refresh()
    ui.until(lambda: [r["id"] for r in rows(ui)] == [e["id"] for e in departures], message="a reload keeps the filter")
    assert ui.field("Kind").get_attribute("value") == "departure"
    ui.click("filter-clear")
    ui.until(lambda: len(rows(ui)) == min(50, len(found)), message="every event again")

    # -- an arrival's lightbox: snapshot (with and without boxes), mosaic, clip -------------------------------
    arrival = next(e for e in found if e["kind"] == "arrival")
    lightbox_open(ui, arrival)
    assert ui.find("event-lightbox").find_element("css selector", "h2").text.startswith(sentence_start(arrival))
    ui.until(lambda: (m := media(ui, "lightbox-snapshot")) and m["loaded"], message="the snapshot loads")
    ui.until(lambda: media(ui, "lightbox-mosaic")["loaded"], message="the mosaic loads")
    ui.until(lambda: media(ui, "lightbox-clip")["loaded"] and media(ui, "lightbox-clip")["duration"] > 1, 20, "the clip's footage is there")
    snapshot, mosaic, clip = media(ui, "lightbox-snapshot"), media(ui, "lightbox-mosaic"), media(ui, "lightbox-clip")
    assert snapshot["src"] == arrival["snapshot_url"] and mosaic["src"] == arrival["mosaic_url"] and clip["src"] == arrival["clip_url"]
    assert snapshot["width"] > 100 and mosaic["width"] > 100 and clip["width"] > 100, (snapshot, mosaic, clip)
    # the clip reaches from a little before the event to a little after it
    assert clip["duration"] >= arrival["duration"], (clip, arrival)
    ui.d.execute_script("const v = document.querySelector('[data-testid=lightbox-clip]'); v.muted = true; v.play();")
    ui.until(lambda: media(ui, "lightbox-clip")["currentTime"] > 0.5, 20, "the clip plays")
    shot("03-lightbox")
    ui.d.find_element("css selector", "[data-testid=boxes-toggle]").find_element("xpath", "..").click()  # the switch's label
    ui.until(lambda: media(ui, "lightbox-snapshot")["src"] == arrival["snapshot_url"] + "?boxes=0" and media(ui, "lightbox-snapshot")["loaded"],
             message="the clean snapshot loads")
    shot("04-snapshot-without-boxes")

    # -- mark it reviewed: the server keeps it, the log shows it, the filter for unreviewed leaves it out ------
    ui.click("review-toggle")
    ui.until(lambda: api_event(api, arrival["id"])["reviewed"], message="the server marks it reviewed")
    ui.until(lambda: ui.find("review-toggle").text == "Mark not reviewed", message="the button says it is done")
    close_lightbox(ui)
    ui.until(lambda: next(r for r in rows(ui) if r["id"] == arrival["id"])["reviewed"], message="the log shows it reviewed")
    shot("05-reviewed")
    ui.select("Reviewed", "unreviewed")
    ui.until(lambda: rows(ui) and arrival["id"] not in [r["id"] for r in rows(ui)], message="reviewed events leave the unreviewed log")
    assert all(not r["reviewed"] for r in rows(ui))
    ui.click("filter-clear")

    # -- lock it: it cannot be deleted; unlocked, it can, and it is gone ---------------------------------------
    ui.until(lambda: arrival["id"] in [r["id"] for r in rows(ui)], message="the event is listed again")
    lightbox_open(ui, arrival)
    ui.click("lock-toggle")
    ui.until(lambda: api_event(api, arrival["id"])["locked"], message="the server locks it")
    ui.until(lambda: not ui.find("delete-event").is_enabled(), message="a locked event cannot be deleted")
    assert ui.find("lock-toggle").text == "Unlock"
    shot("06-locked")
    ui.click("lock-toggle")
    ui.until(lambda: not api_event(api, arrival["id"])["locked"] and ui.find("delete-event").is_enabled(), message="unlocked")
    ui.click("delete-event")
    ui.find("confirm-dialog")
    shot("07-confirm-delete")
    ui.click("confirm-button")
    ui.gone("event-lightbox")
    ui.wait_toast("Event deleted")
    ui.until(lambda: arrival["id"] not in [r["id"] for r in rows(ui)], message="the deleted event leaves the log")
    assert api.get(f"/api/events/{arrival['id']}").status_code == 404

    # -- on a phone the log stacks ---------------------------------------------------------------------------------
    ui.viewport(390, 844, mobile=True)
    shot("08-phone")
    ui.viewport(1400, 900)

    # -- Playback pins the day's events on the camera's lane; a click plays from the event ---------------------------
    remaining = events(api, camera_id=camera["id"])
    day = remaining[0]["start"][:10]
    at_ms = {e["id"]: utc(e["end"] if e["kind"] == "departure" and e["end"] else e["start"]).timestamp() * 1000 for e in remaining}
    # the arrival furthest from any other event, so that its pin stands alone on a two-minute ruler
    target = max((e for e in remaining if e["kind"] == "arrival"),
                 key=lambda e: min((abs(at_ms[e["id"]] - at_ms[o["id"]]) for o in remaining if o is not e), default=1e9))
    midnight = utc(f"{day}T00:00:00Z").timestamp() * 1000
    ui.open(f"/playback?cameras={camera['id']}&date={day}&span=120&from={round((at_ms[target['id']] - midnight) / 1000) - 60}")
    ui.until(lambda: ui.present("ruler-event"), 20, "pins on the ruler")
    shown = {p.get_attribute("data-event-id") for p in ui.all("ruler-event")}
    assert target["id"] in shown and shown <= {e["id"] for e in remaining}, (shown, target)
    pin = ui.d.find_element("css selector", f'[data-testid=ruler-event][data-event-id="{target["id"]}"]')
    assert pin.get_attribute("title").startswith(sentence_start(target)), pin.get_attribute("title")
    pin.click()
    at = at_ms[target["id"]]
    ui.until(lambda: (v := ui.playback_video()) and v["instant"] is not None and abs(v["instant"] - at) < 1500, 30,
             f"the player never went to the event at {target['start']} (last {ui.playback_video()})")
    shot("09-playback-event")


@pytest.mark.timeout(180)
def test_many_events_in_pages_and_snapshots_still_being_made(server, admin_api, make_user, suffix, camera_cleanup, ui: UI, shot):
    r = admin_api.post("/api/cameras", params={"validate": "false"},
                       json={"name": f"Gate {suffix}", "host": "127.0.0.1", "port": 9, "enabled": False})
    assert r.status_code == 201, r.text
    camera = r.json()
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    made = [EventRow(start=now - dt.timedelta(minutes=5 + n), end=now - dt.timedelta(minutes=5 + n) + dt.timedelta(seconds=70),
                     class_name="car" if n % 3 else "person", track_id=n) for n in range(59)]
    made.append(EventRow(start=now - dt.timedelta(minutes=2), end=None, track_id=100))  # still in view
    EventRows(server).add_events(camera["id"], made)
    listed = events(admin_api, camera_id=camera["id"])
    assert len(listed) == 60

    viewer = make_user("viewer")
    open_ml(ui, viewer["username"], viewer["password"], f"/ml?camera={camera['id']}")
    ui.until(lambda: len(rows(ui)) == 50, message="the first page")
    assert [r["id"] for r in rows(ui)] == [e["id"] for e in listed[:50]]
    count = ui.find("event-count")
    assert (count.get_attribute("data-shown"), count.get_attribute("data-total"), count.text) == ("50", "60", "50 of 60 events")
    newest = rows(ui)[0]
    assert newest["ongoing"] and newest["ongoingMark"], newest
    assert "so far" in row(ui, newest["id"]).find_element("css selector", "[data-testid=event-status]").text
    # nothing made the pictures of these events yet: a placeholder, no image request
    assert all(r["thumb"]["state"] == "pending" and r["thumb"]["src"] is None for r in rows(ui)), rows(ui)[:2]
    assert "Making snapshot" in row(ui, newest["id"]).text
    shot("01-first-page")

    ui.click("load-more")
    ui.until(lambda: len(rows(ui)) == 60, message="the second page joins the first")
    assert [r["id"] for r in rows(ui)] == [e["id"] for e in listed]
    assert not ui.present("load-more"), "no more pages"
    assert ui.find("event-count").text == "60 events"
    shot("02-all-pages")

    # a viewer marks an event reviewed, and has no lock or delete
    lightbox_open(ui, listed[1])
    assert ui.find("lightbox-snapshot").get_attribute("data-state") == "pending"
    assert not ui.present("lock-toggle") and not ui.present("delete-event"), "viewers neither lock nor delete"
    ui.click("review-toggle")
    ui.until(lambda: api_event(admin_api, listed[1]["id"])["reviewed"], message="a viewer marks it reviewed")
    shot("03-viewer-lightbox")


@pytest.mark.timeout(300)
def test_live_feed_takes_in_new_events_as_they_happen(make_server, test_camera, ui: UI, shot):
    srv = make_server(env=LIVE_DETECT_ENV)
    api = srv.login()
    r = api.post("/api/users", json={"username": "watcher", "password": "watcher-pass-1", "role": "viewer"})
    assert r.status_code == 201, r.text
    ui.base_url = srv.base_url
    open_ml(ui, "watcher", "watcher-pass-1")
    ui.until(lambda: ui.find("stream-state").text == "Live", message="the event stream opens")
    assert ui.present("empty-state") and not rows(ui, "feed-row"), "nothing has happened yet"
    ui.d.execute_script("window.roninNotReloaded = true")
    shot("01-waiting")

    # a camera that live detection watches: people walk through vtest.avi
    camera = add_camera(api, test_camera, "/vtest-noaudio", name="Hallway")
    ui.until(lambda: rows(ui, "feed-row"), 150, "no event reached the live feed")
    assert ui.d.execute_script("return window.roninNotReloaded === true"), "the page took the event in without a reload"
    first = rows(ui, "feed-row")[0]
    assert first["source"] == "live", first
    assert first["id"] in [e["id"] for e in events(api, camera_id=camera["id"])]
    ui.until(lambda: first["id"] in [r["id"] for r in rows(ui)], message="the log has it too")
    ui.until(lambda: ui.present("presence-camera"), 30, "the feed says what the camera sees")
    ui.until(lambda: "Hallway" in ui.find("presence-list").text, message="the feed names the camera added after the page opened")
    assert "person" in ui.find("presence-list").text, ui.find("presence-list").text
    assert "Hallway" in [o.text for o in ui.field("Camera").find_elements("tag name", "option")], "and the filter offers it"
    # the pictures are made after the event: its row's placeholder turns into the snapshot where it stands
    ui.until(lambda: any(r["thumb"]["state"] == "ready" and r["thumb"]["loaded"] for r in rows(ui, "feed-row")), 90,
             "no snapshot replaced its placeholder in the feed")
    assert ui.d.execute_script("return window.roninNotReloaded === true")
    ongoing = ui.until(lambda: next((r for r in rows(ui, "feed-row") if r["ongoing"]), None), 60, "an arrival in progress shows as ongoing")
    assert ongoing["ongoingMark"] and ongoing["kind"] == "arrival", ongoing
    shot("02-new-events")

    # the feed's newest event opens in the lightbox
    newest = rows(ui, "feed-row")[0]
    lightbox_open(ui, newest, "feed-row")
    shot("03-live-event")
