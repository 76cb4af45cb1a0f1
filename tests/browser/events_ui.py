"""Helpers of the browser tests of detection events (test_ml_page.py, test_live_indicator.py):
servers that detect, events read through the API, and what the ML page shows, read in one
script so that a row and its attributes describe the same moment.
"""
from __future__ import annotations

import datetime as dt

from detection.analysis_helpers import ML_ENV
from events.helpers import LIVE_ENV
from support.paths import REPO_ROOT

from .ui import UI, tid

MODEL = REPO_ROOT / "models" / "yolov3-tiny.onnx"
# Detection with the provisioned model; the test decides about pipelines.
DETECT_ENV = {**ML_ENV, "ML_MODEL_PATH": str(MODEL)}
# A server watching its cameras live with the provisioned model (tests/events/helpers.py's settings).
LIVE_DETECT_ENV = {**LIVE_ENV, "ML_MODEL_PATH": str(MODEL)}

# Every row of a list on the ML page, as the page's data attributes say it, with its text.
READ_ROWS = """
return [...document.querySelectorAll(`[data-testid="${arguments[0]}"]`)].map((row) => {
  const img = row.querySelector('[data-testid=event-thumb]');
  return {id: row.dataset.eventId, kind: row.dataset.kind, cls: row.dataset.class, source: row.dataset.source,
          ongoing: row.dataset.ongoing === 'true', reviewed: row.dataset.reviewed === 'true',
          locked: row.dataset.locked === 'true', artifacts: row.dataset.artifacts,
          sentence: row.querySelector('[data-testid=event-sentence]').textContent,
          ongoingMark: !!row.querySelector('[data-testid=event-ongoing]'),
          thumb: img ? {state: img.dataset.state, src: img.getAttribute('src'), loading: img.getAttribute('loading'),
                        loaded: img.tagName === 'IMG' && img.complete && img.naturalWidth > 0} : null};
});
"""

# What an image or video element of the lightbox holds.
READ_MEDIA = """
const el = document.querySelector(`[data-testid="${arguments[0]}"]`);
if (!el) return null;
return {tag: el.tagName, state: el.dataset.state || null, src: el.getAttribute('src'),
        loaded: el.tagName === 'IMG' ? el.complete && el.naturalWidth > 0 : el.readyState >= 1,
        width: el.naturalWidth || el.videoWidth || 0, height: el.naturalHeight || el.videoHeight || 0,
        duration: el.tagName === 'VIDEO' ? el.duration : null, readyState: el.readyState ?? null,
        currentTime: el.currentTime ?? null, paused: el.paused ?? null};
"""


def rows(ui: UI, testid: str = "event-row") -> list[dict]:
    return ui.d.execute_script(READ_ROWS, testid)


def row(ui: UI, event_id: str, testid: str = "event-row"):
    return ui.d.find_element("css selector", f'{tid(testid)}[data-event-id="{event_id}"]')


def media(ui: UI, testid: str) -> dict | None:
    return ui.d.execute_script(READ_MEDIA, testid)


def clock(iso: str) -> str:
    """An API instant as the page's clock writes it in UTC: HH:MM:SS."""
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(dt.timezone.utc).strftime("%H:%M:%S")


def sentence_start(event: dict) -> str:
    """How the page's sentence for `event` begins (the browser's clock set to UTC)."""
    who = event["class"][:1].upper() + event["class"][1:]
    if event["kind"] == "arrival":
        return f"{who} arrived {clock(event['start'])}"
    if event["kind"] == "departure":
        return f"{who} left {clock(event['end'] or event['start'])} after "
    return f"{who} st"  # "started moving" / "stopped moving"


def open_ml(ui: UI, username: str, password: str, path: str = "/ml") -> None:
    """Signs in on the way to the ML page (the app sends a signed-out visitor to the login page first)."""
    ui.d.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "UTC"})
    ui.open(path)
    ui.login(username, password)
    ui.find("ml-page")
