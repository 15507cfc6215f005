"""Public read-only view and officers' workspace: two modes of one code base (issue #6).

``init_app(dash_app)`` is the only call the app makes (after its own routes and callbacks):

* ``OBSERVATOIRE_MODE=public`` (default): security headers, the public notes endpoint
  (``GET /api/v1/notes``), and an HTTP guard that refuses every non-GET request except Dash's
  callback endpoint. No login page, no write endpoint, no write callback is registered.
* ``OBSERVATOIRE_MODE=workspace``: the same, plus officers' sessions (flask-login, argon2), the
  login/logout views, CSRF on every write (Dash callbacks included), the write API
  (``/api/v1/workspace``), the ``/espace`` page (notes, targets, saved views, new data, audit log)
  and its callbacks, every one of which checks the officer role on the server. Requires
  ``OBSERVATOIRE_SECRET_KEY``; the officer tables are migrated at start-up.

Accounts are created with ``python -m workspace users add NAME --role officer``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from dash import Dash
from flask import Flask, current_app, has_app_context

from config.texts import t
from workspace.config import MODE_PUBLIC, MODE_WORKSPACE, ConfigError, WorkspaceConfig

__all__ = [
    "MODE_PUBLIC",
    "MODE_WORKSPACE",
    "ConfigError",
    "WorkspaceState",
    "init_app",
    "get_state",
    "PAGE_PATH",
    "public_notes",
    "public_target",
]

EXTENSION = "observatoire_workspace"
PAGE_KEY = "espace"
PAGE_PATH = "/espace"
EMBED_PREFIXES = ("/embed/",)


@dataclass
class WorkspaceState:
    """What the workspace's views and callbacks need, kept in ``server.extensions``."""

    config: WorkspaceConfig
    dash_app: Dash
    engine_factory: Callable[[], sa.Engine]

    @property
    def engine(self) -> sa.Engine:
        return self.engine_factory()

    @property
    def workspace(self) -> bool:
        return self.config.workspace

    def asset_url(self, name: str) -> str:
        return self.dash_app.get_asset_url(name)


def get_state(server: Flask | None = None) -> WorkspaceState | None:
    """The state of ``server`` (or of the current app), None if ``init_app`` was not called."""
    if server is None:
        if not has_app_context():
            return None
        server = current_app
    return server.extensions.get(EXTENSION)


def is_workspace() -> bool:
    """Whether the current request is served by a workspace deployment."""
    st = get_state()
    return bool(st and st.workspace)


def _default_engine() -> sa.Engine:
    from callbacks.engine import get_engine

    return get_engine()


def init_app(
    dash_app: Dash,
    mode: str | None = None,
    *,
    engine: sa.Engine | Callable[[], sa.Engine] | None = None,
    embed_prefixes: Iterable[str] = EMBED_PREFIXES,
    csp_extra: dict[str, list[str]] | None = None,
) -> WorkspaceState:
    """Set up the deployment mode on a Dash app (see the module docstring).

    ``mode`` defaults to ``OBSERVATOIRE_MODE``; ``engine`` (an engine or a factory) defaults to
    the app's engine (``callbacks.engine.get_engine``). Raises ``ConfigError`` when the workspace
    is asked for without a proper ``OBSERVATOIRE_SECRET_KEY``.
    """
    from workspace import api, security

    server = dash_app.server
    if EXTENSION in server.extensions:
        raise RuntimeError("workspace.init_app was already called for this app")
    cfg = WorkspaceConfig.from_env(mode)
    if cfg.workspace and getattr(dash_app, "_enable_mcp", False):
        raise ConfigError(
            "Dash's MCP server (DASH_MCP_ENABLED) would expose the callbacks outside the guarded "
            "/_dash-update-component route: disable it in workspace mode"
        )
    factory = engine if callable(engine) else ((lambda: engine) if engine is not None else _default_engine)
    st = WorkspaceState(cfg, dash_app, factory)
    server.extensions[EXTENSION] = st
    if cfg.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = cfg.trusted_proxies
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    security.install_headers(server, dash_app, cfg, embed_prefixes, csp_extra)
    security.install_body_limit(server, dash_app, cfg)  # first: before anything reads a body
    security.install_error_pages(server)
    api.register_public(server)
    if not cfg.workspace:
        security.install_public_guard(server, dash_app)
        security.install_callback_guard(server, dash_app)  # after the guards: 403 comes first
        return st

    from workspace import auth

    _migrate(st.engine)
    _recover(st.engine)
    security.configure_session(server, cfg)
    auth.init(server, st)
    security.install_csrf(server, dash_app, cfg)
    security.install_callback_guard(server, dash_app)
    api.register_workspace(server)
    _register_page(server)
    import callbacks.workspace  # noqa: F401 - declares the workspace callbacks
    from callbacks.registration import attach

    attach(dash_app, ("workspace",))
    return st


def _migrate(engine: sa.Engine) -> None:
    """Bring the store to the latest schema (officer tables); tolerate a concurrent worker doing it."""
    from alembic.script import ScriptDirectory

    from etl.store import db

    try:
        db.migrate(engine)
    except Exception:
        head = ScriptDirectory.from_config(db.alembic_config()).get_current_head()
        if db.current_revision(engine) != head:
            raise


def _recover(engine: sa.Engine) -> None:
    """At start-up: runs and publications left half-way by a killed process are marked failed
    (only if no writer holds the store's lock right now: a live one is not interrupted)."""
    import logging

    from etl.store.lock import LockBusy, recover_interrupted, writer_lock
    from workspace.publication import recover_queued

    try:
        recover_queued(engine)
        with writer_lock(engine.url.render_as_string(hide_password=False), "a start-up check", 0):
            recover_interrupted(engine)
    except LockBusy:
        pass
    except Exception:  # noqa: BLE001 - never a reason not to start; logged
        logging.getLogger(__name__).exception("start-up recovery of interrupted runs failed")


def _register_page(server: Flask) -> None:
    """The ``/espace`` page in the app's page registry, and its navigation label."""
    from flask import redirect, request, url_for
    from flask_login import current_user

    from callbacks.registry import Page, register

    register(Page(key=PAGE_KEY, path=PAGE_PATH, build=build_page, nav="nav.workspace", order=90))

    @server.before_request
    def _login_first() -> Any:  # a direct visit to /espace without a session: the login form
        if (
            request.method == "GET"
            and request.path.rstrip("/") == PAGE_PATH
            and not current_user.is_authenticated
        ):
            return redirect(url_for("ws_auth.login", next=request.full_path.rstrip("?")))
        return None


def build_page(req: Any) -> Any:
    """Page builder for the app's router (``callbacks.registry.Request`` → ``PageResult``)."""
    from callbacks.registry import PageError, PageResult
    from layouts import workspace as layout
    from workspace.auth import current_officer

    if not is_workspace():  # the page registry is per process: never serve it in public mode
        raise PageError("page not found")
    title = t("ws.title", req.lang)  # texts: config/texts/workspace.yaml
    user = current_officer()
    if user is None:
        return PageResult(layout.login_required(req.lang), title)
    from workspace.components import page_options

    return PageResult(layout.page(req.lang, user, dict(req.query), *page_options(req.lang)), title)


def public_notes(indicator: str | None, code: str | None, lang: str = "fr") -> Any:
    """The block of public notes for a figure of the public view, or None (both modes).

    For the card builders: ``[*source_line(export, lang), workspace.public_notes(ind, code, lang)]``.
    """
    from layouts.workspace import public_notes_block
    from workspace.store import notes_for

    st = get_state()
    engine = st.engine if st is not None else _default_engine()
    return public_notes_block(notes_for(engine, indicator or None, code or None, public_only=True), lang)


def public_target(indicator: str, code: str) -> dict[str, Any] | None:
    """The target marked public for an indicator and a territory (for ``workspace.overlay.add_target``)."""
    from workspace.store import targets_for

    st = get_state()
    rows = targets_for(st.engine if st is not None else _default_engine(), indicator, code, public_only=True)
    return rows[0] if rows else None
