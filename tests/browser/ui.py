"""Page helpers for the Ronin web UI, addressed by `data-testid`, labels and button text.

Every wait is explicit (WebDriverWait, or `settle()`, which waits for running CSS animations to
end before a screenshot); nothing sleeps for a fixed time.
"""
from __future__ import annotations

import time

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

DEFAULT_WAIT = 15
PROBE_WAIT = 45  # a real ffprobe against the test camera, with the server's own timeout inside
# True while a CSS transition or a finite animation plays; endless ones never settle.
_FINITE_ANIMATION_RUNNING = ("return document.getAnimations().some(a => a.playState === 'running'"
                             " && a.effect && a.effect.getComputedTiming().iterations !== Infinity)")


def tid(testid: str) -> str:
    return f'[data-testid="{testid}"]'


def css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class UI:
    def __init__(self, driver: WebDriver, base_url: str) -> None:
        self.d = driver
        self.base_url = base_url

    # -- generic ---------------------------------------------------------------------------

    def wait(self, timeout: float = DEFAULT_WAIT) -> WebDriverWait:
        return WebDriverWait(self.d, timeout, ignored_exceptions=(StaleElementReferenceException,))

    def open(self, path: str) -> None:
        self.d.get(self.base_url + path)

    def path(self) -> str:
        return self.d.execute_script("return window.location.pathname + window.location.search")

    def find(self, testid: str, timeout: float = DEFAULT_WAIT) -> WebElement:
        return self.wait(timeout).until(EC.visibility_of_element_located((By.CSS_SELECTOR, tid(testid))))

    def all(self, testid: str, within: WebElement | None = None) -> list[WebElement]:
        return (within or self.d).find_elements(By.CSS_SELECTOR, tid(testid))

    def present(self, testid: str) -> bool:
        return len(self.all(testid)) > 0

    def click(self, testid: str, within: WebElement | None = None, timeout: float = DEFAULT_WAIT) -> None:
        if within is None:
            self.wait(timeout).until(EC.element_to_be_clickable((By.CSS_SELECTOR, tid(testid)))).click()
        else:
            within.find_element(By.CSS_SELECTOR, tid(testid)).click()

    def gone(self, testid: str, timeout: float = DEFAULT_WAIT) -> None:
        self.wait(timeout).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, tid(testid))))

    def until(self, predicate, timeout: float = DEFAULT_WAIT, message: str = ""):
        return self.wait(timeout).until(lambda _d: predicate(), message)

    def settle(self, timeout: float = 3.0) -> None:
        """Waits until no finite CSS transition or animation runs (a modal's 140 ms fade-in), so a
        screenshot shows the page at rest; endless ones (the recording pulse, spinners) do not
        count. After `timeout` it takes the page as it is."""
        deadline = time.monotonic() + timeout
        while self.d.execute_script(_FINITE_ANIMATION_RUNNING):
            if time.monotonic() > deadline:
                return
            time.sleep(0.05)

    def viewport(self, width: int, height: int, mobile: bool = False) -> None:
        """Resizes the page's viewport (phone-sized checks of the responsive layout)."""
        self.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def button(self, text: str, within: WebElement | None = None) -> WebElement:
        scope = within or self.d
        for b in scope.find_elements(By.TAG_NAME, "button"):
            if b.is_displayed() and b.text.strip() == text:
                return b
        raise AssertionError(f"no visible button {text!r}")

    def field(self, label: str, within: WebElement | None = None) -> WebElement:
        """The input/select whose <label> reads exactly `label` (real labels, as a person reads)."""
        scope = within or self.d
        for lab in scope.find_elements(By.TAG_NAME, "label"):
            if lab.text.strip().split("\n")[0] == label:
                target = lab.get_attribute("for")
                if target:
                    return self.d.find_element(By.ID, target)
                return lab.find_element(By.CSS_SELECTOR, "input, select, textarea")
        raise AssertionError(f"no field labelled {label!r}")

    def fill(self, label: str, value: str, within: WebElement | None = None) -> None:
        el = self.field(label, within)
        el.clear()
        # clear() does not always reach React's onChange for number inputs; select-all + type does.
        el.send_keys("\ue009a")  # Ctrl+A
        el.send_keys("\ue003")  # Backspace
        if value:
            el.send_keys(value)

    def set_checkbox(self, label: str, checked: bool, within: WebElement | None = None) -> None:
        box = self.field(label, within)
        if box.is_selected() != checked:
            box.click()
        assert box.is_selected() == checked

    def select(self, label: str, value: str, within: WebElement | None = None) -> None:
        from selenium.webdriver.support.ui import Select
        Select(self.field(label, within)).select_by_value(value)

    def toast_texts(self) -> list[str]:
        return [t.text for t in self.all("toast")]

    def wait_toast(self, fragment: str, timeout: float = DEFAULT_WAIT) -> None:
        self.until(lambda: any(fragment in t for t in self.toast_texts()), timeout,
                   f"no toast containing {fragment!r}")

    def token(self) -> str | None:
        return self.d.execute_script("return window.localStorage.getItem('ronin.token')")

    # -- app ---------------------------------------------------------------------------------

    def login(self, username: str, password: str, expect_success: bool = True) -> None:
        self.find("login-page")
        self.fill("Username", username)
        self.fill("Password", password)
        self.click("login-submit")
        if expect_success:
            self.gone("login-page")
            self.find("app-header")

    def sign_out(self) -> None:
        self.click("user-menu-button")
        self.click("sign-out-button")
        self.find("login-page")

    def nav_labels(self) -> list[str]:
        return [a.text for a in self.d.find_elements(By.CSS_SELECTOR, ".main-nav a")]

    def modal(self, testid: str = "camera-modal") -> WebElement:
        return self.find(testid)

    def camera_row(self, name: str, timeout: float = DEFAULT_WAIT) -> WebElement:
        selector = f'{tid("camera-row")}[data-camera-name={css_string(name)}]'
        return self.wait(timeout).until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))

    def camera_row_gone(self, name: str, timeout: float = DEFAULT_WAIT) -> None:
        selector = f'{tid("camera-row")}[data-camera-name={css_string(name)}]'
        self.wait(timeout).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, selector)))

    def camera_names(self) -> list[str]:
        return [r.get_attribute("data-camera-name") for r in self.all("camera-row")]

    def recording_of(self, name: str) -> str:
        return self.camera_row(name).get_attribute("data-recording")

    def wait_recording(self, name: str, state: str, timeout: float = DEFAULT_WAIT) -> None:
        self.until(lambda: self.recording_of(name) == state, timeout,
                   f"camera {name!r} recording never became {state!r}")

    def user_row(self, username: str, timeout: float = DEFAULT_WAIT) -> WebElement:
        selector = f'{tid("user-row")}[data-username={css_string(username)}]'
        return self.wait(timeout).until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))

    # -- live view ---------------------------------------------------------------------------

    def live_cells(self) -> list[WebElement]:
        return self.all("live-cell")

    def live_cell_names(self) -> list[str]:
        return [c.get_attribute("data-camera-name") for c in self.live_cells()]

    def live_cell(self, name: str, timeout: float = DEFAULT_WAIT) -> WebElement:
        selector = f'{tid("live-cell")}[data-camera-name={css_string(name)}]'
        return self.wait(timeout).until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))

    def live_video(self, name: str) -> WebElement:
        return self.live_cell(name).find_element(By.CSS_SELECTOR, tid("live-video"))

    def video_state(self, name: str) -> dict:
        """currentTime, muted, paused, src, the player (`ws`, `hls-native`, `hls-mse`) with the
        address it plays (`address`) and why the WebSocket gave way (`fallback`), the MSE mime,
        the playback rate and `latency`: seconds from the playhead to the end of the buffer."""
        return self.d.execute_script(
            "const v = arguments[0]; const b = v.buffered;"
            "return {t: v.currentTime, muted: v.muted, paused: v.paused, "
            "src: v.currentSrc || v.src, player: v.dataset.player || null, mime: v.dataset.mime || null, "
            "address: v.dataset.src || null, fallback: v.dataset.fallback || null, rate: v.playbackRate, "
            "latency: b.length ? b.end(b.length - 1) - v.currentTime : null, "
            "transform: v.style.transform, readyState: v.readyState};",
            self.live_video(name))

    def wait_video_advances(self, name: str, seconds: float = 2.0, timeout: float = 30.0) -> dict:
        """Waits until the camera's video plays: currentTime moves forward by `seconds`."""
        first: dict[str, float] = {}

        def advanced():
            state = self.video_state(name)
            if state["t"] <= 0 or state["paused"]:
                return False
            start = first.setdefault("t", state["t"])
            return state if state["t"] - start >= seconds else False

        return self.until(advanced, timeout, f"the video of {name!r} never advanced by {seconds} s "
                                             f"(last {self.video_state(name)})")

    def sidebar_camera(self, name: str) -> WebElement:
        selector = f'{tid("sidebar-camera")}[data-camera-name={css_string(name)}]'
        return self.wait().until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))

    def page_indicator(self) -> tuple[int, int]:
        el = self.find("page-indicator")
        return int(el.get_attribute("data-page")), int(el.get_attribute("data-pages"))

    # -- playback ----------------------------------------------------------------------------

    def playback_video(self) -> dict:
        """The on-screen <video> of the Playback page: media time, paused, its segment id, and the
        instant (epoch ms) the page shows."""
        return self.d.execute_script(
            "const v = document.querySelector('[data-testid=playback-video][data-active=true]');"
            "const c = document.querySelector('[data-testid=playback-instant]');"
            "if (!v) return null;"
            "return {t: v.currentTime, paused: v.paused, ended: v.ended, segment: v.dataset.segmentId || null,"
            " readyState: v.readyState, src: v.currentSrc || v.src,"
            " instant: c && c.dataset.instant ? Number(c.dataset.instant) : null};")

    def ruler_view(self) -> tuple[float, float]:
        """(start, span) of the ruler's window in epoch milliseconds."""
        el = self.find("timeline-ruler")
        return float(el.get_attribute("data-view-start")), float(el.get_attribute("data-view-span"))

    def ruler_lane(self, camera_id: str) -> WebElement:
        return self.find("timeline-ruler").find_element(By.CSS_SELECTOR, f'{tid("ruler-lane")}[data-camera-id="{camera_id}"]')

    def ruler_offset(self, lane: WebElement, instant_ms: float) -> int:
        """Horizontal offset from the lane's centre (as ActionChains measures) of `instant_ms`."""
        start, span = self.ruler_view()
        width = lane.size["width"]
        return round((instant_ms - start) / span * width - width / 2)

    def click_ruler(self, camera_id: str, instant_ms: float) -> None:
        from selenium.webdriver.common.action_chains import ActionChains
        lane = self.ruler_lane(camera_id)
        ActionChains(self.d).move_to_element_with_offset(lane, self.ruler_offset(lane, instant_ms), 0).click().perform()

    def drag_ruler(self, camera_id: str, start_ms: float, end_ms: float, shift: bool = True) -> None:
        """Drags across the ruler from one instant to another (with Shift: selects the range)."""
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys
        lane = self.ruler_lane(camera_id)
        x0, x1 = self.ruler_offset(lane, start_ms), self.ruler_offset(lane, end_ms)
        chain = ActionChains(self.d)
        if shift:
            chain.key_down(Keys.SHIFT)
        chain.move_to_element_with_offset(lane, x0, 0).click_and_hold()
        for step in range(1, 5):
            chain.move_to_element_with_offset(lane, x0 + (x1 - x0) * step // 4, 0)
        chain.release()
        if shift:
            chain.key_up(Keys.SHIFT)
        chain.perform()

    def wheel_ruler(self, instant_ms: float, delta_y: float) -> None:
        """One mouse-wheel notch over the ruler at `instant_ms` (negative delta zooms in)."""
        area = self.find("ruler-area")
        start, span = self.ruler_view()
        self.d.execute_script(
            "const el = arguments[0]; const r = el.getBoundingClientRect();"
            "const x = r.left + r.width * arguments[1];"
            "el.dispatchEvent(new WheelEvent('wheel', {deltaY: arguments[2], clientX: x, clientY: r.top + 30,"
            " bubbles: true, cancelable: true}));", area, (instant_ms - start) / span, delta_y)

    def wheel_picture(self, x: float, y: float, delta_y: float) -> None:
        """One mouse-wheel notch over the Playback picture at page point (x, y) (negative delta
        zooms in)."""
        self.d.execute_script(
            "const el = document.elementFromPoint(arguments[0], arguments[1]);"
            "el.dispatchEvent(new WheelEvent('wheel', {deltaY: arguments[2], clientX: arguments[0],"
            " clientY: arguments[1], bubbles: true, cancelable: true}));", x, y, delta_y)

    def picture_zoom(self) -> float:
        """The Playback picture's magnification (1 when whole)."""
        return float(self.find("playback-stage").get_attribute("data-zoom"))
