"""GET /api/openapi.json: an OpenAPI 3.1 document that covers every operation in docs/api.md."""
import re

import pytest

# Every operation docs/api.md documents, with the success status it names.
DOCUMENTED = [
    ("get", "/api/health", "200"),
    ("get", "/api/openapi.json", "200"),
    ("post", "/api/auth/login", "200"),
    ("post", "/api/auth/logout", "204"),
    ("get", "/api/auth/me", "200"),
    ("post", "/api/auth/password", "204"),
    ("get", "/api/users", "200"),
    ("post", "/api/users", "201"),
    ("get", "/api/users/{id}", "200"),
    ("patch", "/api/users/{id}", "200"),
    ("delete", "/api/users/{id}", "204"),
    ("get", "/api/cameras", "200"),
    ("post", "/api/cameras", "201"),
    ("get", "/api/cameras/{id}", "200"),
    ("patch", "/api/cameras/{id}", "200"),
    ("put", "/api/cameras/{id}", "200"),
    ("delete", "/api/cameras/{id}", "204"),
    ("post", "/api/cameras/{id}/recording/start", "200"),
    ("post", "/api/cameras/{id}/recording/stop", "200"),
    ("post", "/api/cameras/recording/start-all", "200"),
    ("post", "/api/cameras/recording/stop-all", "200"),
    ("post", "/api/cameras/test", "200"),
    ("get", "/api/cameras/export", "200"),
    ("post", "/api/cameras/import", "200"),
    ("get", "/api/storage", "200"),
    ("post", "/api/storage/check", "200"),
    ("get", "/api/storage/policy", "200"),
    ("put", "/api/storage/policy", "200"),
    ("put", "/api/storage/cameras/{id}", "200"),
    ("post", "/api/storage/migrate", "202"),
    ("get", "/api/storage/deletions", "200"),
    ("get", "/api/storage/history", "200"),
]
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _normalise(path: str) -> str:
    """`/api/users/{userId}` and `/api/users/{id}` are the same path."""
    return re.sub(r"\{[^}]+\}", "{}", path)


@pytest.fixture
def document(anon_api):
    r = anon_api.get("/api/openapi.json")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    return r.json()


def _paths(document) -> dict[str, tuple[str, dict]]:
    """Normalised full URL path -> (path as written, path item); a `servers` base such as `/api`
    is prepended to paths written relative to it."""
    base = ""
    servers = document.get("servers") or []
    if servers and isinstance(servers[0].get("url"), str):
        base = re.sub(r"^[a-z]+://[^/]+", "", servers[0]["url"]).rstrip("/")
    out = {}
    for path, item in document["paths"].items():
        full = path if path.startswith("/api/") else base + path
        out[_normalise(full)] = (path, item)
    return out


def test_is_openapi_3_1_with_info(document):
    assert isinstance(document.get("openapi"), str) and document["openapi"].startswith("3.1"), \
        document.get("openapi")
    assert document["info"]["title"]
    assert document["info"]["version"]
    assert isinstance(document["paths"], dict) and document["paths"]


@pytest.mark.parametrize("method,path,success", DOCUMENTED,
                         ids=[f"{m.upper()} {p}" for m, p, _ in DOCUMENTED])
def test_documents_operation(document, method, path, success):
    paths = _paths(document)
    assert _normalise(path) in paths, f"{path} missing from openapi.json (has {sorted(paths)})"
    written, item = paths[_normalise(path)]
    operation = item.get(method)
    assert operation is not None, f"{method.upper()} {path} missing (has {sorted(set(item) & HTTP_METHODS)})"
    responses = operation.get("responses")
    assert isinstance(responses, dict) and responses, f"{method.upper()} {path} has no responses"
    assert success in responses, f"{method.upper()} {path} lacks its {success} response: {sorted(responses)}"
    params = [p for p in (item.get("parameters") or []) + (operation.get("parameters") or [])
              if isinstance(p, dict)]
    declared = {p.get("name") for p in params}
    for name in re.findall(r"\{([^}]+)\}", written):
        assert name in declared or any("$ref" in p for p in params), \
            f"path parameter {name} of {written} is not declared"


def test_every_operation_has_responses(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                assert operation.get("responses"), f"{method.upper()} {path} has no responses"


def test_every_local_ref_resolves(document):
    refs: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.append(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    for ref in refs:
        assert ref.startswith("#/"), f"non-local $ref {ref}"
        node = document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            assert isinstance(node, dict) and part in node, f"$ref {ref} does not resolve"
            node = node[part]


def test_paths_are_written_in_full_and_unescaped(anon_api):
    """Paths read as clients call them (`/api/...`, no `servers` base to prepend), and the raw
    JSON spells slashes plainly: `\\/` is valid JSON but makes the document hard to read and grep."""
    r = anon_api.get("/api/openapi.json")
    assert r.status_code == 200, r.text
    assert "\\/" not in r.text, f"{r.text.count(chr(92) + '/')} escaped slashes in the raw document"
    outside = [path for path in r.json()["paths"] if not path.startswith("/api/")]
    assert outside == [], f"paths not written as /api/...: {outside}"
