"""Every write path, at the HTTP level: refused in public mode and to anyone but an officer in
workspace mode — Dash callbacks included, since any callback can be POSTed directly."""

from __future__ import annotations

import re

import pytest

from etl.store import schema
from tests.workspace.conftest import (
    count,
    crafted_body,
    csrf_cookie,
    fingerprint,
    login,
    workspace_callbacks,
)

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
UPDATE = "/_dash-update-component"
API_WRITES = [
    ("POST", "/api/v1/workspace/notes"),
    ("PATCH", "/api/v1/workspace/notes/1"),
    ("DELETE", "/api/v1/workspace/notes/1"),
    ("POST", "/api/v1/workspace/targets"),
    ("DELETE", "/api/v1/workspace/targets/1"),
    ("POST", "/api/v1/workspace/views"),
    ("DELETE", "/api/v1/workspace/views/1"),
    ("POST", "/api/v1/workspace/uploads"),
    ("POST", f"/api/v1/workspace/uploads/{'0' * 64}/publish"),
    ("POST", "/auth/login"),
    ("POST", "/auth/logout"),
]
NOTE = {
    "indicator": None,
    "code": "T12",
    "note_date": "2026-01-15",
    "body": "Ouverture du T7",
    "public": True,
}


def _concrete_path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", "x", rule)


def _seed_note(url: str, officer) -> None:
    """One existing note (id 1), so that edit/archive paths have a target."""
    from etl.store.db import make_engine
    from workspace import store, users

    name, password = officer(url)
    engine = make_engine(url)
    user = users.authenticate(engine, name, password)
    store.add_note(engine, user, **NOTE)
    engine.dispose()


def test_public_mode_registers_no_write_surface(make_app, empty_url) -> None:
    app = make_app("public", empty_url)
    client = app.server.test_client()
    assert client.get("/").status_code == 200  # Dash sets itself up on the first request
    rules = {r.rule: r.methods for r in app.server.url_map.iter_rules()}
    assert not [r for r in rules if r.startswith(("/auth", "/api/v1/workspace", "/espace"))]
    writable = [r for r, m in rules.items() if set(m) & set(WRITE_METHODS) and r != UPDATE]
    assert writable == [], f"write routes in public mode: {writable}"
    assert workspace_callbacks(app) == []
    assert client.get("/auth/login").status_code in (200, 404)  # Dash's catch-all page, no form
    assert b"<form" not in client.get("/auth/login").data


def test_public_mode_refuses_every_write(make_app, empty_url, officer) -> None:
    _seed_note(empty_url, officer)
    ws_app = make_app("workspace", empty_url)
    ws_app.server.test_client().get("/")
    crafted = [crafted_body(ws_app.callback_map, k) for k in workspace_callbacks(ws_app)]
    assert len(crafted) >= 10
    app = make_app("public", empty_url)
    client = app.server.test_client()
    client.get("/")
    before = fingerprint(empty_url)
    for method, path in API_WRITES:
        assert client.open(path, method=method, json=NOTE).status_code in (403, 404, 405), path
    for rule in app.server.url_map.iter_rules():  # whatever else is routed: no write method passes
        if rule.rule == UPDATE:
            continue
        for method in WRITE_METHODS:
            resp = client.open(_concrete_path(rule.rule), method=method, json={})
            assert resp.status_code in (403, 404, 405), (method, rule.rule, resp.status_code)
    for body in crafted:
        resp = client.post(UPDATE, json=body, headers={"X-CSRFToken": "x"})
        assert resp.status_code == 403, body["output"]
    assert fingerprint(empty_url) == before


def test_workspace_refuses_anonymous_writes(make_app, empty_url, officer) -> None:
    _seed_note(empty_url, officer)
    app = make_app("workspace", empty_url)
    client = app.server.test_client()
    client.get("/")
    keys = workspace_callbacks(app)
    before = fingerprint(empty_url)
    for method, path in API_WRITES[:-2]:
        assert client.open(path, method=method, json=NOTE).status_code == 400, path  # no CSRF token
        resp = client.open(path, method=method, json=NOTE, headers={"X-CSRFToken": csrf_cookie(client)})
        assert resp.status_code in (401, 403), (path, resp.status_code)
    for key in keys:
        body = crafted_body(app.callback_map, key)
        assert client.post(UPDATE, json=body).status_code == 400, key  # CSRF first
        resp = client.post(UPDATE, json=body, headers={"X-CSRFToken": csrf_cookie(client)})
        assert resp.status_code == 403, key
    assert fingerprint(empty_url) == before


def test_every_workspace_callback_checks_the_role_itself(make_app, empty_url, officer) -> None:
    """With the central guard switched off, each callback still refuses a caller who is not an
    officer: nothing is written and nothing is returned (the app's ``on_error`` logs the 403 and
    answers "no update"; without it the answer is a 403)."""
    from workspace import security

    _seed_note(empty_url, officer)
    app = make_app("workspace", empty_url)
    app.server.test_client().get("/")
    before = fingerprint(empty_url)
    guard = security.targets_workspace
    security.targets_workspace = lambda body: False
    try:
        client = app.server.test_client()
        client.get("/")
        for key in workspace_callbacks(app):
            values = {
                "ws-note-body.value": "x",
                "ws-territory.value": "T12",
                "ws-view-name.value": "v",
                "ws-view-url.value": "/carte",
                "ws-indicator.value": "population",
            }
            resp = client.post(
                UPDATE,
                json=crafted_body(app.callback_map, key, values),
                headers={"X-CSRFToken": csrf_cookie(client)},
            )
            assert resp.status_code == 403 or resp.get_json() == {"multi": True, "response": {}}, key
    finally:
        security.targets_workspace = guard
    assert fingerprint(empty_url) == before


def test_crafted_callback_works_for_an_officer(make_app, empty_url, officer) -> None:
    """Control: the crafted requests above are well-formed (an officer's one writes)."""
    name, password = officer()
    app = make_app("workspace", empty_url)
    client = app.server.test_client()
    assert login(client, name, password).status_code == 302
    key = next(k for k in workspace_callbacks(app) if "ws-note-body.value" in k)
    values = {
        "ws-note-body.value": "Fermeture de l'usine",
        "ws-territory.value": "T12",
        "ws-note-scope.value": "code",
        "ws-note-date.value": "2026-03-01",
        "ws-refresh.data": 0,
    }
    resp = client.post(
        UPDATE, json=crafted_body(app.callback_map, key, values), headers={"X-CSRFToken": csrf_cookie(client)}
    )
    assert resp.status_code == 200
    assert count(empty_url, schema.note) == 1
    anonymous = app.server.test_client()
    resp = anonymous.post(
        UPDATE,
        json=crafted_body(app.callback_map, key, values),
        headers={"X-CSRFToken": csrf_cookie(anonymous)},
    )
    assert resp.status_code == 403 and count(empty_url, schema.note) == 1


def test_officer_writes_need_csrf(make_app, empty_url, officer) -> None:
    name, password = officer()
    app = make_app("workspace", empty_url)
    client = app.server.test_client()
    assert login(client, name, password).status_code == 302
    assert client.post("/api/v1/workspace/notes", json=NOTE).status_code == 400
    key = next(k for k in workspace_callbacks(app) if "ws-note-body.value" in k)
    values = {"ws-note-body.value": "texte", "ws-territory.value": "T12", "ws-note-scope.value": "code"}
    assert client.post(UPDATE, json=crafted_body(app.callback_map, key, values)).status_code == 400
    assert count(empty_url, schema.note) == 0


@pytest.mark.parametrize("mode", ["public", "workspace"])
def test_public_notes_endpoint_is_read_only_and_public_only(make_app, empty_url, officer, mode) -> None:
    from etl.store.db import make_engine
    from workspace import store, users

    name, password = officer()
    engine = make_engine(empty_url)
    user = users.authenticate(engine, name, password)
    store.add_note(engine, user, **NOTE)
    store.add_note(engine, user, **{**NOTE, "body": "note interne", "public": False})
    engine.dispose()
    client = make_app(mode, empty_url).server.test_client()
    notes = client.get("/api/v1/notes?code=T12").get_json()["notes"]
    assert [n["body"] for n in notes] == ["Ouverture du T7"]
    assert "author" not in notes[0] and "author_id" not in notes[0]
