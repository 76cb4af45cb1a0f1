"""Who may call what, swept over every operation the server itself documents in
GET /api/openapi.json (its `x-access` field: `open`, `signed-in` or `admin`).

- The operations open to anyone are exactly PUBLIC below: a new public route fails here until it
  is added to the list on purpose.
- Every other operation answers 401 (with the contract's JSON error) to a request without a
  token, and to one with a token that is not valid.
- Every admin operation answers 403 to a signed-in viewer; every signed-in one accepts the
  viewer's token.

Requests are made to harm nothing: path parameters are random UUIDs (nothing real is touched),
bodies are `{}`, and no query is sent, so the answer cannot come from validation before the
access check. The sweep goes through every operation and reports all that misbehave at once.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest

from .helpers import assert_error, bearer

# Every operation anyone may call without signing in, and why.
PUBLIC = {
    ("GET", "/api/health"),        # liveness checks by monitors and load balancers
    ("GET", "/api/openapi.json"),  # the API's own description
    ("POST", "/api/auth/login"),   # signing in
    ("POST", "/api/auth/logout"),  # signing out clears the cookie even when the token is gone
}
ACCESS_LEVELS = {"open", "signed-in", "admin"}
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@dataclass(frozen=True)
class Operation:
    """One documented operation and the request the sweep sends to it."""
    method: str
    path: str
    access: str
    has_body: bool

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def send(self, client, headers: dict | None = None):
        """The operation with random UUIDs for its path parameters and `{}` as its body."""
        target = re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), self.path)
        extra = {"json": {}} if self.has_body else {}
        r = client.request(self.method, target, headers=headers, allow_redirects=False, stream=True, **extra)
        # An event stream never ends: its status and headers say all the sweep needs.
        if r.headers.get("content-type", "").startswith("text/event-stream"):
            r.close()
        else:
            _ = r.content
        return r


@pytest.fixture
def operations(anon_api) -> list[Operation]:
    """Every operation of the served OpenAPI document; fails at once if one has no `x-access`."""
    r = anon_api.get("/api/openapi.json")
    assert r.status_code == 200, r.text
    found, unmarked = [], []
    for path, item in r.json()["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            access = operation.get("x-access")
            if access not in ACCESS_LEVELS:
                unmarked.append(f"{method.upper()} {path}: x-access is {access!r}")
                continue
            found.append(Operation(method.upper(), path, access, "requestBody" in operation))
    if unmarked:
        pytest.fail("every operation of /api/openapi.json must say who may call it in `x-access` "
                    f"(one of {sorted(ACCESS_LEVELS)}):\n" + "\n".join(unmarked))
    assert len(found) >= 20, f"the document lists only {len(found)} operations"
    return found


def _refusal_problem(r, status: int, code: str) -> str | None:
    """Why `r` is not the documented refusal (HEAD answers carry no body to check)."""
    if r.request.method == "HEAD":
        return None if r.status_code == status else f"answered {r.status_code}"
    try:
        assert_error(r, status, code)
    except AssertionError as error:
        return str(error).splitlines()[0]
    return None


def _sweep(operations, check) -> None:
    """Runs `check(operation)` (None when it behaves, else why not) on all; fails listing every one."""
    problems = [f"{op}: {why}" for op in operations if (why := check(op)) is not None]
    assert not problems, f"{len(problems)} of {len(operations)} operations misbehave:\n" + "\n".join(problems)


def test_the_public_operations_are_exactly_the_listed_ones(operations):
    public = {(op.method, op.path) for op in operations if op.access == "open"}
    assert public - PUBLIC == set(), "new public operations: add them to PUBLIC if they really are"
    assert PUBLIC - public == set(), "listed as public but not documented as open"


def _accepted(r) -> str | None:
    """None when the server let the request through its access check (any answer but 401/403)."""
    return None if r.status_code not in (401, 403) else f"refused with {r.status_code}: {r.text[:200]}"


def test_the_public_operations_answer_without_a_token(anon_api, operations):
    public = [op for op in operations if op.access == "open"]
    _sweep(public, lambda op: _accepted(op.send(anon_api)))


def test_every_other_operation_answers_401_without_a_token(anon_api, operations):
    closed = [op for op in operations if op.access != "open"]
    _sweep(closed, lambda op: _refusal_problem(op.send(anon_api), 401, "unauthorized"))


def test_every_other_operation_answers_401_to_an_invalid_token(anon_api, operations):
    closed = [op for op in operations if op.access != "open"]
    _sweep(closed, lambda op: _refusal_problem(op.send(anon_api, bearer("not-a-token")), 401, "unauthorized"))


def test_every_admin_operation_answers_403_to_a_viewer(viewer_api, operations):
    admin = [op for op in operations if op.access == "admin"]
    assert admin, "no admin operations documented"
    _sweep(admin, lambda op: _refusal_problem(op.send(viewer_api), 403, "forbidden"))


def test_every_signed_in_operation_accepts_a_viewer(viewer_api, operations):
    signed_in = [op for op in operations if op.access == "signed-in"]
    assert signed_in, "no signed-in operations documented"
    _sweep(signed_in, lambda op: _accepted(op.send(viewer_api)))


def test_documented_responses_agree_with_the_access(anon_api, operations):
    """A closed operation documents its 401, an admin one its 403, for clients reading the document."""
    document = anon_api.get("/api/openapi.json").json()

    def check(op):
        responses = document["paths"][op.path][op.method.lower()]["responses"]
        if op.access != "open" and "401" not in responses:
            return "needs sign-in but documents no 401"
        if op.access == "admin" and "403" not in responses:
            return "is for admins but documents no 403"
        return None

    _sweep(operations, check)
