"""Accounts, login, sessions, cookies, rate limit and security headers of both deployments."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from etl.store import schema
from tests.workspace.conftest import count, csrf_from_form, login

REPO = Path(__file__).resolve().parents[2]


def test_no_default_account(make_app, empty_url) -> None:
    assert count(empty_url, schema.app_user) == 0
    client = make_app("workspace", empty_url).server.test_client()
    for name, password in [("admin", "admin"), ("admin", "password"), ("officer", "officer"), ("root", "")]:
        assert login(client, name, password).status_code in (400, 401)
    assert client.get("/api/v1/workspace/me").status_code == 401


def test_password_hashed_with_argon2(empty_url, officer) -> None:
    name, password = officer()
    engine = sa.create_engine(empty_url)
    with engine.connect() as conn:
        stored = conn.execute(sa.select(schema.app_user.c.password_hash)).scalar()
    assert stored.startswith("$argon2id$") and password not in stored


def test_login_logout_and_session_cookie(make_app, empty_url, officer) -> None:
    name, password = officer()
    client = make_app("workspace", empty_url).server.test_client()
    assert client.get("/espace").status_code == 302  # login first
    resp = login(client, name, password)
    assert resp.status_code == 302 and resp.location == "/espace"
    cookies = resp.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("__Host-observatoire="))
    assert "HttpOnly" in session and "SameSite=Lax" in session and "Secure" in session and "Path=/" in session
    csrf = next(c for c in cookies if c.startswith("_csrf_token="))
    assert (
        "SameSite=Strict" in csrf and "Secure" in csrf and "HttpOnly" not in csrf
    )  # Dash's renderer reads it
    assert client.get("/api/v1/workspace/me").get_json()["username"] == name
    assert client.get("/espace").status_code == 200
    page = client.get("/auth/logout").get_data(as_text=True)
    assert client.post("/auth/logout", data={"csrf_token": csrf_from_form(page)}).status_code == 302
    assert client.get("/api/v1/workspace/me").status_code == 401


def test_wrong_password_same_answer_and_no_open_redirect(make_app, empty_url, officer) -> None:
    name, password = officer()
    app = make_app("workspace", empty_url)
    client = app.server.test_client()
    unknown = login(client, "nobody", "whatever-password")
    wrong = login(client, name, "whatever-password")
    assert unknown.status_code == wrong.status_code == 401
    assert re.sub(r'value="[^"]*"', "", unknown.get_data(as_text=True)) == re.sub(
        r'value="[^"]*"', "", wrong.get_data(as_text=True)
    )
    for i, evil in enumerate(
        ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x")
    ):
        fresh = app.server.test_client()
        fresh.environ_base["REMOTE_ADDR"] = f"10.1.0.{i}"
        token = csrf_from_form(fresh.get("/auth/login").get_data(as_text=True))
        resp = fresh.post(
            "/auth/login", data={"username": name, "password": password, "csrf_token": token, "next": evil}
        )
        assert resp.status_code == 302 and resp.location == "/espace", evil


def test_login_form_needs_csrf(make_app, empty_url, officer) -> None:
    name, password = officer()
    client = make_app("workspace", empty_url).server.test_client()
    resp = client.post("/auth/login", data={"username": name, "password": password})
    assert resp.status_code == 400 and client.get("/api/v1/workspace/me").status_code == 401


def test_disabled_user_and_new_password_end_sessions(make_app, empty_url, officer) -> None:
    from etl.store.db import make_engine
    from workspace import users

    name, password = officer()
    app = make_app("workspace", empty_url)
    client = app.server.test_client()
    login(client, name, password)
    assert client.get("/api/v1/workspace/me").status_code == 200
    engine = make_engine(empty_url)
    users.set_password(engine, name, "a-brand-new-long-passphrase")
    assert client.get("/api/v1/workspace/me").status_code == 401
    login(client, name, "a-brand-new-long-passphrase")
    assert client.get("/api/v1/workspace/me").status_code == 200
    users.set_active(engine, name, False)
    assert client.get("/api/v1/workspace/me").status_code == 401
    assert login(client, name, "a-brand-new-long-passphrase").status_code == 401
    engine.dispose()


def test_secret_key_required_in_workspace_mode(monkeypatch, empty_url) -> None:
    from dash import Dash

    import workspace

    monkeypatch.delenv("OBSERVATOIRE_SECRET_KEY", raising=False)
    with pytest.raises(workspace.ConfigError, match="OBSERVATOIRE_SECRET_KEY"):
        workspace.init_app(Dash(__name__), "workspace", engine=sa.create_engine(empty_url))
    monkeypatch.setenv("OBSERVATOIRE_SECRET_KEY", "short")
    with pytest.raises(workspace.ConfigError, match="at least"):
        workspace.init_app(Dash(__name__), "workspace", engine=sa.create_engine(empty_url))
    public = Dash(__name__)
    workspace.init_app(public, "public", engine=sa.create_engine(empty_url))  # no secret needed
    assert not public.server.secret_key


def _inline_scripts(html: str) -> list[str]:
    out = []
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)  # e.g. Dash's <!--[if IE]> notice: never run
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        if "src=" in attrs or "application/json" in attrs:
            continue
        out.append(body)
    return out


@pytest.mark.parametrize("mode", ["public", "workspace"])
def test_security_headers(make_app, empty_url, mode) -> None:
    client = make_app(mode, empty_url).server.test_client()
    resp = client.get("/")
    csp = resp.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert (
        "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    )
    assert directives["object-src"] == "'none'"
    for script in _inline_scripts(resp.get_data(as_text=True)):  # every inline script is allowed by hash
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in directives["script-src"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert resp.headers["X-Frame-Options"] == "DENY"
    embed = client.get("/embed/ov-kpis")
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    api = client.get("/api/v1/notes")
    assert api.headers["X-Content-Type-Options"] == "nosniff"
    if mode == "workspace":
        assert client.get("/auth/login").headers["Cache-Control"] == "no-store"
        assert "frame-ancestors 'none'" in client.get("/auth/login").headers["Content-Security-Policy"]


def test_cli_users(empty_url, tmp_path) -> None:
    env = {**os.environ, "DATABASE_URL": empty_url, "PYTHONPATH": str(REPO)}

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "workspace", *args],
            input=stdin,
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )

    secret = base64.b64encode(os.urandom(18)).decode()
    out = cli("users", "add", "alice", "--role", "officer", "--password-stdin", stdin=secret + "\n")
    assert out.returncode == 0, out.stderr
    assert secret not in out.stdout + out.stderr
    assert cli("users", "add", "bob", "--password-stdin", stdin="short\n").returncode == 2
    assert cli("users", "add", "carol", "--password", secret).returncode == 2  # no password on argv
    assert cli("users", "add", "alice", "--password-stdin", stdin=secret + "\n").returncode == 2  # exists
    listing = cli("users", "list")
    assert "alice" in listing.stdout and "officer" in listing.stdout and "$argon2" not in listing.stdout
    assert cli("users", "disable", "alice").returncode == 0
    assert "disabled" in cli("users", "list").stdout
    assert count(empty_url, schema.audit_log) >= 2  # user.add, user.disable
