"""Fixtures of the workspace tests: the real app in either mode on a temporary store, officers,
logged-in clients, and crafted Dash callback requests.

The app is built by ``app.create_app()``; ``workspace.init_app`` is called here unless the app
already does it (once the lead wires it). Dash's global callback list is consumed by the first
app that serves a request, so it is saved and restored around each test (other test packages
build their own app).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from etl.store import db, schema

PASSWORD_CHARS = 24


@pytest.fixture(autouse=True)
def _isolate_pages() -> Iterator[None]:
    """Workspace apps add their page to the registry: put the public registry back afterwards."""
    import callbacks  # noqa: F401 - registers the app's pages first
    from callbacks import registry

    saved = dict(registry.PAGES)
    yield
    registry.PAGES.clear()
    registry.PAGES.update(saved)


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture()
def empty_url(data_dir: Path) -> str:
    """A migrated store without statistics (enough for the HTTP-level checks)."""
    url = f"sqlite:///{data_dir / 'observatoire.sqlite'}"
    engine = db.make_engine(url)
    db.migrate(engine)
    engine.dispose()
    return url


def copy_store(store_url: str, data_dir: Path) -> str:
    """A private copy of the session's real store (WAL checkpointed first)."""
    src = Path(store_url[len("sqlite:///") :])
    engine = sa.create_engine(store_url)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
    engine.dispose()
    dst = data_dir / "observatoire.sqlite"
    shutil.copy(src, dst)
    return f"sqlite:///{dst}"


@pytest.fixture()
def make_app(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> Iterator[Callable[..., Any]]:
    """``make_app(mode, url, **env)``: the real Dash app in ``mode`` on the store ``url``."""
    from callbacks import engine as app_engine

    engines: list[sa.Engine] = []

    def build(mode: str, url: str, **env: str) -> Any:
        monkeypatch.setenv("OBSERVATOIRE_MODE", mode)
        monkeypatch.setenv("OBSERVATOIRE_WARM", "0")  # no background cache warm-up in tests
        monkeypatch.setenv("OBSERVATOIRE_SECRET_KEY", secrets.token_urlsafe(48))
        monkeypatch.setenv("OBSERVATOIRE_DATA_DIR", str(data_dir))
        monkeypatch.setenv("DATABASE_URL", url)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        engine = db.make_engine(url)
        engines.append(engine)
        app_engine.set_engine(engine)
        import app as app_module  # after the environment: its import builds an app too
        import workspace

        dash_app = app_module.create_app()
        if workspace.get_state(dash_app.server) is None:
            workspace.init_app(dash_app, mode, engine=engine)
        dash_app.server.config["TESTING"] = False
        return dash_app

    yield build
    app_engine.set_engine(None)
    for engine in engines:
        engine.dispose()


@pytest.fixture()
def officer(empty_url: str) -> Callable[..., tuple[str, str]]:
    """``officer(url=None, role="officer")``: create an account, return (username, password)."""
    from workspace import users

    def create(url: str | None = None, role: str = "officer", name: str | None = None) -> tuple[str, str]:
        engine = db.make_engine(url or empty_url)
        username = name or f"agent{secrets.randbelow(10**6)}"
        password = secrets.token_urlsafe(PASSWORD_CHARS)
        users.add_user(engine, username, password, role)
        engine.dispose()
        return username, password

    return create


def csrf_from_form(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert found, "no CSRF field in the form"
    return found.group(1)


def login(client: Any, username: str, password: str, **kw: Any) -> Any:
    page = client.get("/auth/login")
    token = csrf_from_form(page.get_data(as_text=True))
    return client.post(
        "/auth/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/espace"},
        **kw,
    )


def csrf_cookie(client: Any) -> str:
    """The token Dash's renderer would send (``_csrf_token`` cookie), fetched with a page load."""
    cookie = client.get_cookie("_csrf_token")
    if cookie is None:
        client.get("/")
        cookie = client.get_cookie("_csrf_token")
    assert cookie is not None
    return cookie.value


def workspace_callbacks(dash_app: Any) -> list[str]:
    """Keys of the workspace callbacks (outputs on ``ws-…`` components)."""
    return [k for k in dash_app.callback_map if "ws-" in k]


def _outputs(key: str) -> Any:
    parts = key[2:-2].split("...") if key.startswith("..") else [key]
    outs = [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]
    return outs if key.startswith("..") else outs[0]


def _concrete(spec: dict[str, Any], value: Any) -> Any:
    cid = spec["id"]
    if cid.startswith("{"):
        pattern = json.loads(cid)
        concrete = {k: (1 if v == ["ALL"] else v) for k, v in pattern.items()}
        return [{"id": concrete, "property": spec["property"], "value": value}]
    return {"id": cid, "property": spec["property"], "value": value}


def crafted_body(cb_map: dict[str, Any], key: str, values: dict[str, Any] | None = None) -> dict[str, Any]:
    """A ``_dash-update-component`` body as an attacker would write it for callback ``key``.

    ``values`` maps ``"id.property"`` to values (default: 1 for inputs, None for states).
    """
    values = values or {}
    cb = cb_map[key]

    def value(spec: dict[str, Any], default: Any) -> Any:
        return values.get(f"{spec['id']}.{spec['property']}", default)

    inputs = [_concrete(s, value(s, 1)) for s in cb["inputs"]]
    state = [_concrete(s, value(s, None)) for s in cb["state"]]
    changed = []
    for item in inputs:
        first = item[0] if isinstance(item, list) else item
        cid = first["id"]
        cid = json.dumps(cid, sort_keys=True, separators=(",", ":")) if isinstance(cid, dict) else cid
        changed.append(f"{cid}.{first['property']}")
    return {
        "output": key,
        "outputs": _outputs(key),
        "inputs": inputs,
        "state": state,
        "changedPropIds": changed,
    }


def fingerprint(url: str, tables: tuple[sa.Table, ...] | None = None) -> str:
    """A digest of the content of tables (default: all of them), to prove nothing changed."""
    engine = sa.create_engine(url)
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in tables or tuple(schema.metadata.sorted_tables):
            if not sa.inspect(conn).has_table(table.name):
                continue
            cols = list(table.columns)
            for row in conn.execute(sa.select(*cols).order_by(*cols)):
                digest.update(repr(tuple(row)).encode())
    engine.dispose()
    return digest.hexdigest()


def count(url: str, table: sa.Table) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
    engine.dispose()
    return int(n or 0)


def wait_for_upload(client: Any, upload_id: int, timeout: float = 900) -> dict[str, Any]:
    """Poll a publication job (``GET /api/v1/workspace/uploads/<id>``) until it ends, as the page does."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        row = client.get(f"/api/v1/workspace/uploads/{upload_id}").get_json()
        if row["status"] not in ("queued", "publishing") or time.monotonic() > deadline:
            return row
        time.sleep(0.5)
