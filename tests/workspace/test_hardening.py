"""Issue #13, gaps 2 (body size), 3 (lock-out), 4 (logout) and 5 (smaller ones): each test first
states what the attack or the odd input used to do, then checks what happens now."""

from __future__ import annotations

import json
from datetime import timedelta

import plotly.graph_objects as go
import pytest

from etl.store.db import make_engine
from tests.workspace.conftest import csrf_cookie, csrf_from_form, login
from workspace import audit, store, users

SESSION = "__Host-observatoire"


def _client(app, addr: str):
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = addr
    return client


def _actions(engine, **match) -> list[dict]:
    return [e for e in audit.recent(engine, 500) if all(e[k] == v for k, v in match.items())]


# -- gap 3: throttling counts failures only and cannot lock an officer out -----------------------
def test_login_throttle_cannot_lock_an_officer_out(make_app, empty_url, officer, monkeypatch) -> None:
    from workspace import throttle

    name, password = officer()
    app = make_app("workspace", empty_url)
    engine = make_engine(empty_url)
    for _ in range(8):  # successes never count (they used to: 10 POSTs an hour per account)
        assert login(_client(app, "192.0.2.10"), name, password).status_code == 302
    # the attack of the issue: wrong guesses spread over 20 addresses used to lock the account an hour
    codes = [login(_client(app, f"10.0.0.{i}"), name, "wrong-guess-123").status_code for i in range(20)]
    assert codes[:5] == [401] * 5 and 429 in codes and set(codes) <= {401, 429}
    assert len(_actions(engine, action="user.login_failed", entity_id=name)) < 20  # refusals don't count
    # from a new address: a short delay (capped at 30 s, not an hour), then the right password works
    away = _client(app, "198.51.100.7")
    refused = login(away, name, password)
    assert refused.status_code == 429
    wait = int(refused.headers["Retry-After"])
    assert 0 < wait <= throttle.ACCOUNT.cap and "réessayez dans" in refused.get_data(as_text=True)
    real_now = throttle._now
    monkeypatch.setattr(throttle, "_now", lambda: real_now() + timedelta(seconds=wait))
    assert login(away, name, password).status_code == 302
    # the attacker starts again: the officer's usual address is not held up at all
    codes = [login(_client(app, f"10.0.1.{i}"), name, "wrong-guess-456").status_code for i in range(10)]
    assert 429 in codes
    assert login(_client(app, "192.0.2.10"), name, password).status_code == 302
    # audited: failed logins and refusals, with the address
    failed = _actions(engine, action="user.login_failed")
    assert failed and failed[0]["remote_addr"].startswith("10.0.") and failed[0]["username"] == "anonymous"
    assert _actions(engine, action="user.login_throttled")
    engine.dispose()


def test_login_throttle_per_address(make_app, empty_url, officer) -> None:
    name, password = officer()
    app = make_app("workspace", empty_url)
    bot = _client(app, "203.0.113.5")  # one address guessing many accounts
    codes = [login(bot, f"guess{i}", "whatever-pass").status_code for i in range(7)]
    assert codes[:5] == [401] * 5 and codes[5] == 429
    assert login(bot, name, password).status_code == 429  # the address waits, whatever the account
    assert login(_client(app, "192.0.2.20"), name, password).status_code == 302  # others do not


# -- gap 4: logout ends the session on the server ------------------------------------------------
def test_logout_revokes_a_copied_session_cookie(make_app, empty_url, officer) -> None:
    name, password = officer()
    app = make_app("workspace", empty_url)
    client = app.server.test_client()
    assert login(client, name, password).status_code == 302
    token = csrf_cookie(client)
    thief = app.server.test_client()
    thief.set_cookie(SESSION, client.get_cookie(SESSION).value)
    thief.set_cookie("_csrf_token", token)
    h = {"X-CSRFToken": token}
    note = {"indicator": None, "code": None, "body": "copie"}
    assert thief.get("/api/v1/workspace/me").status_code == 200  # a copied cookie works while logged in
    page = client.get("/auth/logout").get_data(as_text=True)
    assert client.post("/auth/logout", data={"csrf_token": csrf_from_form(page)}).status_code == 302
    # it used to keep reading and writing for up to 8 hours
    assert thief.get("/api/v1/workspace/me").status_code == 401
    assert thief.get("/api/v1/workspace/notes").status_code == 401
    assert thief.post("/api/v1/workspace/notes", json=note, headers=h).status_code == 401
    engine = make_engine(empty_url)
    assert _actions(engine, action="user.logout", username=name)
    engine.dispose()


# -- gap 2: request bodies are bounded in both modes, 413 before reading ---------------------------
class Untouchable:
    """A request body of 200 MB that must not be read (only its size is known)."""

    read_calls = 0
    size = 200 << 20

    def __init__(self) -> None:
        self.pos = 0

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        self.pos = self.size + offset if whence == 2 else offset
        return self.pos

    def read(self, *_args) -> bytes:
        Untouchable.read_calls += 1
        raise AssertionError("the body was read")

    readline = readlines = __iter__ = read


@pytest.mark.parametrize("mode", ["public", "workspace"])
def test_large_body_refused_with_413_without_reading_it(make_app, empty_url, mode) -> None:
    client = make_app(mode, empty_url).server.test_client()
    Untouchable.read_calls = 0
    for path in ("/_dash-update-component", "/api/v1/workspace/uploads", "/auth/login"):
        resp = client.post(
            path,
            input_stream=Untouchable(),
            content_type="application/json",
        )
        assert resp.status_code == 413, (path, resp.status_code)
    assert Untouchable.read_calls == 0
    small = client.post("/_dash-update-component", data=b"x" * (3 << 20), content_type="application/json")
    assert small.status_code == 413  # callbacks carry a few KB: 2 MB at most


def test_upload_limit_only_for_an_officer_on_the_upload_routes(make_app, empty_url, officer) -> None:
    name, password = officer()
    app = make_app("workspace", empty_url, OBSERVATOIRE_UPLOAD_MAX_MB="8")
    client = app.server.test_client()
    body = b"x" * (4 << 20)
    assert client.post("/api/v1/workspace/uploads", data=body).status_code == 413  # anonymous
    login(client, name, password)
    h = {"X-CSRFToken": csrf_cookie(client)}
    resp = client.post(
        "/api/v1/workspace/uploads", data=body, headers=h, content_type="application/octet-stream"
    )
    assert resp.status_code != 413  # read, then refused for what it is (no file part)
    assert client.post("/api/v1/workspace/notes", data=body, headers=h).status_code == 413


# -- gap 5: odd input is answered 400 with a message ---------------------------------------------
MALFORMED_CALLBACKS = [
    b"[]",
    b"{}",
    b'"text"',
    json.dumps({"output": 5, "outputs": {}, "inputs": []}).encode(),
    json.dumps(
        {"output": "nope.children", "outputs": {"id": "nope", "property": "children"}, "inputs": []}
    ).encode(),
]


@pytest.mark.parametrize("mode", ["public", "workspace"])
def test_malformed_callback_payloads_are_400(make_app, empty_url, mode) -> None:
    app = make_app(mode, empty_url)
    client = app.server.test_client()
    headers = {"X-CSRFToken": csrf_cookie(client)} if mode == "workspace" else {}
    key = next(k for k in app.callback_map if not k.startswith("..") and "ws-" not in k)
    cid, prop = key.rsplit(".", 1)
    cb = app.callback_map[key]
    real = {"output": key, "outputs": {"id": cid, "property": prop}, "changedPropIds": []}
    bodies = [
        *MALFORMED_CALLBACKS,
        json.dumps({**real, "inputs": []}).encode() if cb["inputs"] else b"[1]",
        json.dumps({**real, "inputs": "x"}).encode(),
        json.dumps(
            {**real, "inputs": [7] * len(cb["inputs"]), "state": [None] * len(cb.get("state") or [])}
        ).encode(),
        json.dumps({**real, "inputs": [{"id": cid}] * len(cb["inputs"])}).encode(),
    ]
    for body in bodies:
        resp = client.post(
            "/_dash-update-component", data=body, content_type="application/json", headers=headers
        )
        assert resp.status_code == 400, (body, resp.status_code)
        assert "malformed callback request" in resp.get_json()["error"]


def test_odd_query_values_are_400(make_app, store_url) -> None:
    client = make_app("public", store_url).server.test_client()
    for url in (
        "/export/chart/unemployment_rate.png?territoires=94081&annee=%C2%B2",
        "/api/v1/values?indicator=unemployment_rate&territory=94081&year=%C2%B2",
    ):
        resp = client.get(url, headers={"Accept": "application/json"})
        assert resp.status_code == 400, url  # "²".isdigit() used to let it through to int(): 500
        assert "²" in json.dumps(resp.get_json(), ensure_ascii=False)


def test_note_version_must_be_a_whole_number(make_app, empty_url, officer) -> None:
    name, password = officer()
    client = make_app("workspace", empty_url).server.test_client()
    login(client, name, password)
    h = {"X-CSRFToken": csrf_cookie(client)}
    note = client.post("/api/v1/workspace/notes", json={"code": "", "indicator": "", "body": "x"}, headers=h)
    assert note.status_code == 422  # attached to nothing: refused with its reason
    created = client.post(
        "/api/v1/workspace/notes", json={"code": "T12", "body": "Texte"}, headers=h
    ).get_json()
    for raw in (
        '{"version": "abc", "body": "y"}',
        '{"version": 1e400, "body": "y"}',
        '{"version": true, "body": "y"}',
    ):
        resp = client.patch(
            f"/api/v1/workspace/notes/{created['id']}", data=raw, content_type="application/json", headers=h
        )
        assert resp.status_code == 400 and "whole number" in resp.get_json()["error"], raw
    ok = client.patch(f"/api/v1/workspace/notes/{created['id']}", json={"version": 1, "body": "y"}, headers=h)
    assert ok.status_code == 200 and ok.get_json()["version"] == 2


# -- gap 5: targets (plain-text labels, owners), audit visibility and events -------------------------
@pytest.fixture()
def officers(empty_url, officer):
    engine = make_engine(empty_url)
    (a, pa), (b, pb), (c, pc) = officer(), officer(), officer(role="admin")
    yield engine, *(users.authenticate(engine, n, p) for n, p in ((a, pa), (b, pb), (c, pc)))
    engine.dispose()


def test_target_label_is_plain_text_on_charts(officers) -> None:
    from workspace.overlay import add_target

    engine, alice, _, _ = officers
    label = '<a href="https://evil.example/">cliquez</a> & <b>SRU</b>'
    t = store.set_target(
        engine,
        alice,
        indicator="social_housing_share",
        code="T12",
        value=25,
        target_date="2030-12-31",
        label=label,
    )
    assert t["label"] == label  # stored as typed
    text = add_target(go.Figure(), t, 21.8, "percent", 1, "fr").layout.annotations[0].text
    assert "<a" not in text and "<b>" not in text  # plotly would draw a live link in colleagues' charts
    assert "&lt;a href=" in text and "&amp; &lt;b&gt;SRU" in text  # shown literally, as typed


def test_targets_have_owners(make_app, empty_url, officer) -> None:
    app = make_app("workspace", empty_url)
    (a, pa), (b, pb) = officer(), officer()
    alice, bob = app.server.test_client(), app.server.test_client()
    login(alice, a, pa)
    login(bob, b, pb)
    ha, hb = {"X-CSRFToken": csrf_cookie(alice)}, {"X-CSRFToken": csrf_cookie(bob)}
    target = {"indicator": "social_housing_share", "code": "T12", "value": 25, "target_date": "2030-12-31"}
    created = alice.post("/api/v1/workspace/targets", json=target, headers=ha)
    assert created.status_code == 201
    # any officer used to be able to replace or withdraw a colleague's target
    assert bob.post("/api/v1/workspace/targets", json={**target, "value": 1}, headers=hb).status_code == 403
    assert bob.delete(f"/api/v1/workspace/targets/{created.get_json()['id']}", headers=hb).status_code == 403
    assert (
        alice.delete(f"/api/v1/workspace/targets/{created.get_json()['id']}", headers=ha).status_code == 204
    )
    refused = [e["action"] for e in bob.get("/api/v1/workspace/audit").get_json()["entries"]]
    assert "target.set.refused" in refused and "target.archive.refused" in refused  # refused edits audited


def test_audit_entries_as_visible_as_what_they_describe(officers) -> None:
    engine, alice, bob, admin = officers
    private = store.save_view(engine, alice, "Mes communes à suivre", "/comparer?codes=94081,94041")
    shared = store.save_view(engine, alice, "Carte commune", "/carte", shared=True)

    def seen(actor) -> set[tuple[str, str | None]]:
        return {(e["entity"], e["entity_id"]) for e in audit.visible(engine, actor, 500)}

    assert ("saved_view", str(private["id"])) not in seen(bob)  # its name and URL used to show
    assert ("saved_view", str(shared["id"])) in seen(bob)
    assert ("saved_view", str(private["id"])) in seen(alice) and ("saved_view", str(private["id"])) in seen(
        admin
    )
    assert ("app_user", str(alice.id)) not in seen(bob) and ("app_user", str(alice.id)) in seen(admin)
