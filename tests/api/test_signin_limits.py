"""Sign-in under pressure (docs/api.md, Authentication): a burst of guesses is evaluated at most
as often as the limit allows, a stranger cannot lock the owner out, absurd input never reaches
the throttle, and password checks never hold up footage or the API.

Different client machines are simulated with source addresses on the loopback network
(127.0.0.2, 127.0.0.3, ...), which all reach the server on 127.0.0.1.
"""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from support.waiting import wait_for

from .helpers import assert_error, session_from, unique


def _server(make_server, **env):
    limits = {"LOGIN_MAX_FAILURES": "3", "LOGIN_MAX_FAILURES_PER_CLIENT": "20",
              "LOGIN_MAX_FAILURES_PER_USERNAME": "7", "LOGIN_WINDOW_SECONDS": "120"}
    limits.update(env)
    return make_server(env=limits)


def _login(session, srv, username, password) -> requests.Response:
    return session.post(srv.base_url + "/api/auth/login", json={"username": username, "password": password}, timeout=60)


def test_a_burst_of_guesses_is_evaluated_no_more_often_than_the_limit(make_server):
    srv = _server(make_server, LOGIN_MAX_FAILURES="5", LOGIN_MAX_CONCURRENT="64")
    barrier = threading.Barrier(40)

    def guess(_):
        barrier.wait()
        return requests.post(srv.base_url + "/api/auth/login", json={"username": "admin", "password": "wrong-guess"}, timeout=120)

    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(guess, range(40)))
    statuses = sorted(r.status_code for r in answers)
    assert statuses.count(401) <= 5, statuses
    assert set(statuses) <= {401, 429, 503}, statuses
    for r in answers:
        if r.status_code != 401:
            assert r.headers.get("Retry-After", "").isdigit(), r.headers
    # The five failures lock this client out of `admin`, even with the right password.
    assert_error(_login(requests, srv, "admin", srv.admin_password), 429, "too_many_attempts")


def test_more_sign_ins_at_once_than_the_cap_get_503_with_retry_after(make_server):
    srv = _server(make_server, LOGIN_MAX_CONCURRENT="2", LOGIN_MAX_FAILURES="100", LOGIN_MAX_FAILURES_PER_USERNAME="1000",
                  LOGIN_MAX_FAILURES_PER_CLIENT="1000")
    barrier = threading.Barrier(16)

    def sign_in(_):
        barrier.wait()
        return requests.post(srv.base_url + "/api/auth/login", json={"username": "admin", "password": srv.admin_password}, timeout=120)

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(sign_in, range(16)))
    busy = [r for r in answers if r.status_code == 503]
    assert busy, [r.status_code for r in answers]
    assert {r.status_code for r in answers} <= {200, 503}
    for r in busy:
        assert_error(r, 503, "busy")
        assert r.headers["Retry-After"] == "1"
    assert _login(requests, srv, "admin", srv.admin_password).status_code == 200


def test_a_stranger_cannot_lock_the_owner_out(make_server):
    srv = _server(make_server)
    owner = session_from("127.0.0.1")
    assert _login(owner, srv, "admin", srv.admin_password).status_code == 200
    assert "ronin_device" in owner.cookies.get_dict(path="/api/auth"), owner.cookies

    # A stranger guesses from another machine until that machine is locked out of `admin`.
    stranger = session_from("127.0.0.2")
    for _ in range(3):
        assert_error(_login(stranger, srv, "admin", "guess"), 401, "unauthorized")
    assert_error(_login(stranger, srv, "admin", srv.admin_password), 429, "too_many_attempts")
    # The owner's machine is not: per username and client, not per username alone.
    assert _login(requests, srv, "admin", srv.admin_password).status_code == 200

    # Strangers on many machines reach the username's slower ceiling (7): new machines are
    # refused whatever they send, while the owner's browser, which signed in before, is not.
    for n in (3, 4):  # 3 failures so far, 2 more from each: 7
        for _ in range(2):
            assert_error(_login(session_from(f"127.0.0.{n}"), srv, "admin", "guess"), 401, "unauthorized")
    assert_error(_login(session_from("127.0.0.6"), srv, "admin", srv.admin_password), 429, "too_many_attempts")
    assert _login(owner, srv, "admin", srv.admin_password).status_code == 200
    # The device cookie is bound to its username: it does not help with another account.
    assert_error(owner.post(srv.base_url + "/api/auth/login", json={"username": unique("other"), "password": "x" * 8}, timeout=60),
                 401, "unauthorized")
    # A forged device cookie counts for nothing.
    forged = session_from("127.0.0.7")
    forged.cookies.set("ronin_device", "d1.AAAAAAAAAAAAAAAAAAAAAA.1800000000.AAAA", path="/api/auth")
    assert_error(_login(forged, srv, "admin", srv.admin_password), 429, "too_many_attempts")


def test_absurd_usernames_and_passwords_are_refused_before_they_count(make_server):
    srv = _server(make_server, LOGIN_MAX_FAILURES_PER_CLIENT="5")
    for n in range(30):
        assert_error(_login(requests, srv, "u" * (65 + n), "whatever"), 422, "validation_failed")
    assert_error(_login(requests, srv, "", "whatever"), 422, "validation_failed")
    assert_error(_login(requests, srv, "admin", "p" * 5000), 422, "validation_failed")
    # None of that counted against this client: a real mistake is still a plain 401.
    assert_error(_login(requests, srv, unique("nobody"), "wrong-password"), 401, "unauthorized")
    assert _login(requests, srv, "admin", srv.admin_password).status_code == 200


def test_password_checks_do_not_hold_up_files_or_the_api(make_server):
    """While the sign-in pool works through a burst of password checks (a quarter of a second
    each by design), the web UI's files and the API answer at once: password hashing has threads
    of its own, not the ones that read files from disk."""
    # Limits high enough that two dozen sign-ins in flight at once are all admitted.
    srv = _server(make_server, LOGIN_MAX_CONCURRENT="64", LOGIN_MAX_FAILURES="100", LOGIN_MAX_FAILURES_PER_CLIENT="100",
                  LOGIN_MAX_FAILURES_PER_USERNAME="100")
    index = requests.get(srv.base_url + "/", timeout=30)
    asset = next(part.split('"')[0] for part in index.text.split('src="')[1:])
    done: list[tuple[float, str]] = []
    lock = threading.Lock()

    def record(what):
        with lock:
            done.append((time.monotonic(), what))

    def sign_in(_):
        r = requests.post(srv.base_url + "/api/auth/login", json={"username": "admin", "password": srv.admin_password}, timeout=120)
        assert r.status_code == 200, r.text
        record("sign-in")

    def read_while_busy():
        # The sign-in pool is at work: its first password check is done, the others are waiting.
        wait_for(lambda: done, timeout=60, interval=0.01)
        for _ in range(3):
            r = requests.get(srv.base_url + asset, timeout=60)
            assert r.status_code == 200 and len(r.content) > 1000
            record("file")
            assert requests.get(srv.base_url + "/api/health", timeout=60).status_code == 200
            record("api")

    with ThreadPoolExecutor(max_workers=25) as pool:
        futures = [pool.submit(sign_in, n) for n in range(24)] + [pool.submit(read_while_busy)]
        for future in futures:
            future.result()
    order = [what for _, what in sorted(done)]
    # Every file and API answer came before a quarter of the sign-ins had finished.
    last_read = max(i for i, what in enumerate(order) if what != "sign-in")
    sign_ins_before = order[:last_read].count("sign-in")
    assert sign_ins_before <= 6, order
