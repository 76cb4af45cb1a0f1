"""The Status page's storage tiers in a real browser, used as a person would, against servers with a
warm tier (a folder of the test's own) and footage of vtest.avi adopted as recordings.

An admin reads the tiers (where each is, its disk and footage, as GET /api/storage says), edits the
global policy and a camera's own, sees a refused value named on its field and fixed, checks now,
moves one camera's footage to warm storage and watches it arrive there (on disk too), sees the
Playback ruler tint that camera's footage as warm beside the other camera's hot footage, sets a
retention that ends that camera's footage (the other keeps its own 14 days) and finds it in the
deletions log with its files, and reads the
chart of storage over time (samples written into the database, as the server takes them every
five minutes). A viewer, on a server whose RETENTION_MAX_AGE deletes footage by itself, sees the
same section read-only: no buttons that change anything, no folders, no file paths. Both on a
phone-sized screen too, without horizontal overflow.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By

from recording.helpers import iso
from support.db import DirectDatabase
from support.footage import adopt_footage
from support.waiting import wait_for

from .ui import UI, css_string, tid

pytestmark = pytest.mark.sqlite_only  # the page, not the database: tests/api and tests/storage check storage on both

TZ = "Europe/Berlin"
MOVE_WAIT = 90  # six small files copied, verified and switched one at a time
GB = 1_000_000_000


def storage(api) -> dict:
    r = api.get("/api/storage")
    assert r.status_code == 200, r.text
    return r.json()


def tier_of(status: dict, name: str) -> dict:
    return next(t for t in status["tiers"] if t["tier"] == name)


def card(ui: UI, tier: str):
    return ui.d.find_element(By.CSS_SELECTOR, f'{tid("tier-card")}[data-tier="{tier}"]')


def in_card(ui: UI, tier: str, testid: str) -> str:
    return card(ui, tier).find_element(By.CSS_SELECTOR, tid(testid)).text


def camera_row(ui: UI, name: str):
    return ui.d.find_element(By.CSS_SELECTOR, f'{tid("storage-camera-row")}[data-camera-name={css_string(name)}]')


def show(ui: UI, testid: str) -> None:
    """Scrolls an element to the top of the window, below the page's header, as a person scrolls
    to what they read."""
    ui.d.execute_script("arguments[0].scrollIntoView({block: 'start'});"
                        " window.scrollBy(0, -document.querySelector('[data-testid=app-header]').offsetHeight - 8)",
                        ui.find(testid))


def press(ui: UI, element_or_testid) -> None:
    """Clicks a button after bringing it to the middle of the window (never under the page's
    sticky header)."""
    element = ui.find(element_or_testid) if isinstance(element_or_testid, str) else element_or_testid
    ui.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def no_horizontal_overflow(ui: UI) -> bool:
    return ui.d.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def field_error(ui: UI, input_testid: str) -> str:
    """The error shown under the field whose input is `input_testid` ('' when none)."""
    field = ui.find(input_testid).find_element(By.XPATH, "./ancestor::div[contains(@class, 'field')][1]")
    errors = field.find_elements(By.CSS_SELECTOR, ".field-error")
    return errors[0].text if errors else ""


def open_status(ui: UI, srv, username: str, password: str) -> None:
    ui.base_url = srv.base_url
    ui.d.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": TZ})
    ui.open("/status")
    ui.login(username, password)
    ui.find("status-page")
    ui.find("tier-grid")


def add_samples(srv) -> None:
    """A week of storage over time, every five minutes: hot growing and cut back each day as
    footage moves on, warm growing from the third day; an hour missing when the server was off."""
    now = dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
    rows = []
    for step in range(7 * 288):
        at = now - dt.timedelta(minutes=5 * (7 * 288 - step))
        if dt.timedelta(hours=50) < now - at < dt.timedelta(hours=51):
            continue
        hours = step / 12
        rows.append((at, "hot", int((20 + (hours % 24) * 1.5) * GB), 200 * GB, 400 * GB))
        if hours > 48:
            rows.append((at, "warm", int((hours - 48) * 0.9 * GB), 2000 * GB, 4000 * GB))
    DirectDatabase(srv).add_storage_samples(rows)


@pytest.mark.timeout(420)
def test_admin_manages_storage_tiers(make_server, tmp_path, ui: UI, shot):
    warm = tmp_path / "warm"
    warm.mkdir()
    srv = make_server(env={"RONIN_RUN_PIPELINES": "true", "WARM_STORAGE_PATH": str(warm)})
    api = srv.login()
    driveway, driveway_files = adopt_footage(srv, api, "Driveway", count=4, seconds=15, still=True)
    porch, porch_files = adopt_footage(srv, api, "Porch", count=2, seconds=15, still=True)
    api = srv.login()
    sizes = {f: f.stat().st_size for f in driveway_files + porch_files}
    hot_root = Path(srv.env["STORAGE_ROOT"])
    footage_bytes = sum(f.stat().st_size for f in driveway_files + porch_files)
    wait_for(lambda: tier_of(storage(api), "hot")["recordings"] == 6, 30)
    add_samples(srv)

    # -- the tiers as they are -------------------------------------------------------------------------
    open_status(ui, srv, srv.admin_username, srv.admin_password)
    show(ui, "storage-section")
    ui.until(lambda: card(ui, "hot").get_attribute("data-recordings") == "6", message="the hot tier shows the footage")
    status = storage(api)
    hot, warm_tier = tier_of(status, "hot"), tier_of(status, "warm")
    assert int(card(ui, "hot").get_attribute("data-used-bytes")) == hot["used_bytes"] == footage_bytes
    assert [card(ui, t).get_attribute("data-configured") for t in ("hot", "warm", "cold")] == ["true", "true", "false"]
    assert in_card(ui, "hot", "tier-state") == "Reachable" and in_card(ui, "warm", "tier-state") == "Reachable"
    assert in_card(ui, "cold", "tier-state") == "Not configured"
    assert "COLD_STORAGE_S3_BUCKET" in in_card(ui, "cold", "tier-unconfigured")
    assert in_card(ui, "hot", "tier-location") == hot["location"] == str(hot_root)
    assert in_card(ui, "warm", "tier-location") == warm_tier["location"] == str(warm)
    assert re.fullmatch(r"[\d.]+ (KB|MB)\n6 recordings", in_card(ui, "hot", "tier-footage")), in_card(ui, "hot", "tier-footage")
    bar = card(ui, "hot").find_element(By.CSS_SELECTOR, tid("tier-bar"))
    parts = {p: int(bar.find_element(By.CSS_SELECTOR, tid(f"tier-bar-{p}")).get_attribute("data-bytes")) for p in ("footage", "other", "free")}
    assert parts["footage"] == footage_bytes and sum(parts.values()) == hot["capacity_bytes"], (parts, hot)
    assert parts["free"] == hot["free_bytes"], (parts, hot)
    guard = float(bar.get_attribute("data-guard"))
    assert guard == pytest.approx(1 - hot["required_free_bytes"] / hot["capacity_bytes"], abs=1e-6)
    assert "Keeps free" in in_card(ui, "hot", "tier-guard-text")
    assert in_card(ui, "hot", "tier-policy") == "No age or size limit of its own"
    assert in_card(ui, "warm", "tier-backlog").startswith("Nothing")
    assert ui.find("storage-retention").text.startswith("Footage is kept until space runs short")
    assert not ui.present("storage-critical")
    assert [r.get_attribute("data-camera-name") for r in ui.all("storage-camera-row")] == ["Driveway", "Porch"]
    shot("01-tiers")

    # -- the global policy: a refused value is named on its field, then fixed ------------------------------
    press(ui, "storage-edit-policy")
    dialog = ui.find("storage-policy-dialog")
    assert "Empty: 1 GB" in dialog.text, "an empty field says what is in force"
    ui.fill("Hot for at most", "7x", within=dialog)
    ui.fill("Every disk keeps free (GB)", "0.5", within=dialog)
    ui.click("storage-policy-save")
    ui.until(lambda: "not a duration" in field_error(ui, "policy-hot_max_age"), message="the refusal is shown on its field")
    assert field_error(ui, "policy-min_free_gb") == "", "only the refused field carries the error"
    assert ui.find("policy-hot_max_age").get_attribute("aria-invalid") == "true"
    assert api.get("/api/storage/policy").json()["document"] == {}, "nothing was stored"
    shot("02-policy-refused")
    ui.fill("Hot for at most", "30d", within=dialog)
    assert field_error(ui, "policy-hot_max_age") == "", "editing the field clears its error"
    ui.fill("Warm for at most", "90d", within=dialog)
    ui.click("storage-policy-save")
    ui.gone("storage-policy-dialog")
    ui.wait_toast("Saved the storage policy")
    policy = api.get("/api/storage/policy").json()
    assert policy["document"] == {"hot_max_age": "30d", "warm_max_age": "90d", "min_free_gb": "0.5"}, policy
    assert policy["min_free_bytes"] == GB // 2
    ui.until(lambda: in_card(ui, "hot", "tier-policy") == "Moves to warm after 30d", message="the hot tier's policy in words")
    ui.until(lambda: in_card(ui, "warm", "tier-policy") == "Deleted after 90d")
    ui.until(lambda: ui.find("storage-min-free").text.startswith("0.5 GB at least"))

    # -- a camera's own retention and priority ---------------------------------------------------------------
    press(ui, camera_row(ui, "Porch").find_element(By.CSS_SELECTOR, tid("storage-camera-edit")))
    dialog = ui.find("camera-storage-dialog")
    ui.fill("Storage priority (0–100)", "150", within=dialog)
    ui.fill("Keep this camera’s footage for", "14d", within=dialog)
    ui.click("camera-storage-save")
    ui.until(lambda: "0 to 100" in field_error(ui, "camera-storage-priority"), message="the refused priority is named")
    assert field_error(ui, "camera-storage-retention_max_age") == ""
    ui.fill("Storage priority (0–100)", "80", within=dialog)
    ui.click("camera-storage-save")
    ui.gone("camera-storage-dialog")
    ui.wait_toast("Saved the storage settings of Porch")
    ui.until(lambda: camera_row(ui, "Porch").get_attribute("data-priority") == "80")
    ui.until(lambda: camera_row(ui, "Porch").find_element(By.CSS_SELECTOR, tid("storage-camera-retention")).text == "14d")
    assert camera_row(ui, "Driveway").get_attribute("data-priority") == "50"
    own = {c["camera_id"].lower(): c["document"] for c in api.get("/api/storage/policy").json()["cameras"]}
    assert own == {porch["id"].lower(): {"retention_max_age": "14d", "priority": 80}}, own
    # Opened again, the dialog shows what was stored.
    press(ui, camera_row(ui, "Porch").find_element(By.CSS_SELECTOR, tid("storage-camera-edit")))
    assert ui.find("camera-storage-priority").get_attribute("value") == "80"
    assert ui.find("camera-storage-retention_max_age").get_attribute("value") == "14d"
    ui.button("Cancel", within=ui.find("camera-storage-dialog")).click()
    ui.gone("camera-storage-dialog")

    # -- check now -------------------------------------------------------------------------------------------------
    before = ui.find("storage-last-check").get_attribute("data-at")
    press(ui, "storage-check")
    ui.wait_toast("Checked:")
    ui.until(lambda: ui.find("storage-last-check").get_attribute("data-at") not in ("", before), message="the last check is the new one")

    # -- move Driveway's footage to warm storage -----------------------------------------------------------------
    press(ui, "storage-migrate")
    dialog = ui.find("migrate-dialog")
    ui.set_checkbox("Porch", False, within=dialog)
    ui.button("Now", within=dialog).click()
    assert ui.find("migrate-tier").get_attribute("value") == "warm"
    shot("03-move-footage")
    ui.click("migrate-submit")
    result = ui.find("migrate-result")
    assert result.get_attribute("data-recordings") == "4" and result.get_attribute("data-queued") == "4", result.text
    assert int(result.get_attribute("data-bytes")) == sum(sizes[f] for f in driveway_files)
    assert "4 recordings" in result.text and "queued" in result.text and "warm storage" in result.text
    shot("04-move-queued")
    ui.click("migrate-close")
    ui.gone("migrate-dialog")
    ui.until(lambda: card(ui, "warm").get_attribute("data-recordings") == "4", MOVE_WAIT, "the footage never showed up in warm storage")
    ui.until(lambda: card(ui, "hot").get_attribute("data-recordings") == "2", message="Porch's footage stays hot")
    ui.until(lambda: in_card(ui, "warm", "tier-backlog").startswith("Nothing"), message="nothing left to move")
    for f in driveway_files:
        key = f.relative_to(hot_root)
        assert (warm / key).is_file() and (warm / key).stat().st_size == sizes[f], f"{key} is not in warm storage whole"
        assert not f.exists(), f"{key} is still in hot storage"
    assert all(f.exists() for f in porch_files)
    assert int(card(ui, "warm").get_attribute("data-used-bytes")) == tier_of(storage(api), "warm")["used_bytes"]
    show(ui, "storage-section")
    shot("05-footage-moved")

    # -- the Playback ruler tints the warm footage --------------------------------------------------------------
    now = dt.datetime.now(dt.timezone.utc)
    r = api.get("/api/recordings", params={"camera_id": driveway["id"], "start": iso(now - dt.timedelta(hours=1)), "end": iso(now)})
    assert r.status_code == 200, r.text
    recordings = r.json()
    assert {r["tier"] for r in recordings} == {"warm"}
    first = min(dt.datetime.fromisoformat(r["start"].replace("Z", "+00:00")) for r in recordings)
    local_first = first.astimezone(ZoneInfo(TZ))
    day_start = local_first.replace(hour=0, minute=0, second=0, microsecond=0)
    offset = int((local_first - day_start).total_seconds()) - 60
    ui.open(f"/playback?cameras={driveway['id']},{porch['id']}&date={local_first.date().isoformat()}&span=300&from={max(0, offset)}")
    ui.find("playback-page")
    lane = ui.ruler_lane(driveway["id"])
    ui.until(lambda: len(lane.find_elements(By.CSS_SELECTOR, tid("ruler-tier-run"))) >= 1, message="Driveway's warm footage is tinted")
    runs = lane.find_elements(By.CSS_SELECTOR, tid("ruler-tier-run"))
    assert {r.get_attribute("data-tier") for r in runs} == {"warm"}
    assert [r.get_attribute("data-tiers") for r in lane.find_elements(By.CSS_SELECTOR, tid("ruler-range"))] == ["warm"]
    porch_lane = ui.ruler_lane(porch["id"])
    assert porch_lane.find_elements(By.CSS_SELECTOR, tid("ruler-tier-run")) == [], "hot footage keeps the usual colour"
    assert [r.get_attribute("data-tiers") for r in porch_lane.find_elements(By.CSS_SELECTOR, tid("ruler-range"))] == ["hot"]
    tint = ui.d.execute_script("return getComputedStyle(arguments[0]).backgroundImage", runs[0])
    plain = ui.d.execute_script("return getComputedStyle(arguments[0]).backgroundImage",
                                porch_lane.find_element(By.CSS_SELECTOR, tid("ruler-range")))
    assert tint != plain, (tint, plain)
    legend = {i.get_attribute("data-tier"): i.text for i in ui.all("tier-legend-item")}
    assert legend == {"hot": "Hot", "warm": "Warm"}, legend
    # Warm footage plays like any other: a click on the tinted range plays it from there.
    warm_ids = {r["id"].lower() for r in recordings}
    ui.click_ruler(driveway["id"], (first + dt.timedelta(seconds=20)).timestamp() * 1000)

    def playing_warm():
        video = ui.playback_video()
        return video if video and (video["segment"] or "").lower() in warm_ids and not video["paused"] and video["t"] > 0.5 else None

    ui.until(playing_warm, 30, f"the warm footage never played ({ui.playback_video()})")
    shot("06-playback-warm")

    # -- a retention that ends the footage, and the deletions log -------------------------------------------------
    ui.open("/status")
    ui.find("tier-grid")
    assert ui.present("deletions-empty")
    press(ui, "storage-edit-policy")
    dialog = ui.find("storage-policy-dialog")
    ui.fill("Keep footage for", "20s", within=dialog)
    ui.click("storage-policy-save")
    ui.gone("storage-policy-dialog")
    ui.until(lambda: len(ui.all("deletion-row")) == 4, 60, "the deletions log never listed Driveway's four recordings")
    rows = ui.all("deletion-row")
    assert {r.get_attribute("data-reason") for r in rows} == {"age"}
    assert {r.get_attribute("data-tier") for r in rows} == {"warm"}
    assert {r.get_attribute("data-camera-id") for r in rows} == {driveway["id"].lower()}
    assert {r.find_element(By.CSS_SELECTOR, tid("deletion-reason")).text for r in rows} == {"Older than the retention"}
    logged = api.get("/api/storage/deletions").json()
    paths = {r.find_element(By.CSS_SELECTOR, tid("deletion-path")).text for r in rows}
    assert paths == {d["path"] for d in logged["deletions"]} == {str(f.relative_to(hot_root)) for f in driveway_files}
    assert ui.find("deletions-total").get_attribute("data-total") == "4"
    assert not any((warm / f.relative_to(hot_root)).exists() for f in driveway_files)
    # Porch keeps its own 14 days: its footage stays.
    ui.until(lambda: card(ui, "hot").get_attribute("data-recordings") == "2")
    assert all(f.exists() for f in porch_files)
    ui.until(lambda: ui.find("storage-retention").text.startswith("Footage ends after 20s"))
    show(ui, "deletions-log")
    shot("07-deletions")

    # -- storage over time -----------------------------------------------------------------------------------------
    show(ui, "storage-chart")
    chart = ui.find("storage-chart")
    ui.until(lambda: {l.get_attribute("data-tier") for l in ui.all("chart-line")} == {"hot", "warm"}, message="a line per tier")
    points = {l.get_attribute("data-tier"): int(l.get_attribute("data-points")) for l in ui.all("chart-line")}
    assert points["hot"] > 100 and points["warm"] > 50, points
    hot_path = ui.d.find_element(By.CSS_SELECTOR, f'{tid("chart-line")}[data-tier="hot"] path').get_attribute("d")
    assert hot_path.count("M") >= 2, "the hour without samples breaks the line"
    svg = ui.find("chart-svg")
    assert abs(svg.size["width"] - chart.find_element(By.CSS_SELECTOR, ".chart-frame").size["width"]) <= 2, "drawn at the width shown"
    assert len(svg.find_elements(By.CSS_SELECTOR, ".chart-axis text")) >= 4
    shot("08-chart-week")
    press(ui, ui.d.find_element(By.CSS_SELECTOR, f'{tid("chart-range")}[data-hours="24"]'))
    ui.until(lambda: chart.get_attribute("data-hours") == "24" and chart.get_attribute("data-samples") not in ("", None)
             and int(chart.get_attribute("data-samples")) < 700, message="the chart shows the last day")
    assert ui.find("chart-svg")

    # -- a phone -----------------------------------------------------------------------------------------------------
    ui.viewport(390, 844, mobile=True)
    show(ui, "storage-section")
    ui.until(lambda: no_horizontal_overflow(ui), message="the Storage section fits a phone")
    shot("09-phone-tiers")
    press(ui, "storage-edit-policy")
    ui.find("storage-policy-dialog")
    assert no_horizontal_overflow(ui)
    shot("10-phone-policy")
    ui.button("Cancel", within=ui.find("storage-policy-dialog")).click()
    ui.gone("storage-policy-dialog")
    show(ui, "storage-chart")
    ui.until(lambda: abs(ui.find("chart-svg").size["width"] - ui.find("storage-chart").size["width"]) <= 4,
             message="the chart is drawn again at the phone's width")
    assert no_horizontal_overflow(ui)
    shot("11-phone-chart")
    show(ui, "deletions-log")
    assert no_horizontal_overflow(ui)
    shot("12-phone-deletions")


def test_viewer_reads_storage_without_controls_or_paths(make_server, tmp_path, ui: UI, shot):
    warm = tmp_path / "warm"
    warm.mkdir()
    srv = make_server(env={"RONIN_RUN_PIPELINES": "true", "WARM_STORAGE_PATH": str(warm), "RETENTION_MAX_AGE": "30s"})
    admin = srv.login()
    adopt_footage(srv, admin, "Gate", count=3, seconds=15, still=True)
    admin = srv.login()
    r = admin.post("/api/users", json={"username": "watcher", "password": "watcher-pass-1", "role": "viewer"})
    assert r.status_code == 201, r.text
    # RETENTION_MAX_AGE ends each segment half a minute after it ended, by itself.
    wait_for(lambda: admin.get("/api/storage/deletions").json()["total"] >= 1, 90)

    open_status(ui, srv, "watcher", "watcher-pass-1")
    show(ui, "storage-section")
    assert ui.find("storage-read-only").text == "Read only"
    assert [card(ui, t).get_attribute("data-reachable") for t in ("hot", "warm")] == ["true", "true"]
    assert in_card(ui, "warm", "tier-state") == "Reachable"
    shot("01-viewer-tiers")
    for control in ("storage-check", "storage-migrate", "storage-edit-policy", "storage-camera-edit"):
        assert not ui.present(control), f"a viewer sees {control}"
    assert not ui.present("tier-location"), "a viewer sees where storage is"
    assert ui.find("storage-retention").text.startswith("Footage ends after 30s")
    ui.until(lambda: len(ui.all("deletion-row")) >= 1, 20, "the deletions log is empty for a viewer")
    assert not ui.present("deletion-path"), "a viewer sees file paths"
    log = ui.find("deletions-table")
    assert "File" not in [th.text for th in log.find_elements(By.CSS_SELECTOR, "th")]
    assert {r.get_attribute("data-reason") for r in ui.all("deletion-row")} == {"age"}
    assert srv.data_dir.name not in ui.find("storage-section").text and str(warm) not in ui.find("storage-section").text
    show(ui, "deletions-log")
    shot("02-viewer-deletions")
    ui.viewport(390, 844, mobile=True)
    show(ui, "storage-section")
    ui.until(lambda: no_horizontal_overflow(ui), message="the Storage section fits a phone")
    shot("03-viewer-phone")
