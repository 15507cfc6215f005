"""HTTP hardening of both deployments: headers, cookies, CSRF, and the guards on Dash callbacks.

- Headers on every response: a Content-Security-Policy (``default-src 'self'``; scripts only from
  this site plus the hashes of Dash's inline renderer/clientside scripts (``Dash.csp_hashes``), no
  ``unsafe-inline`` nor ``unsafe-eval`` for scripts; styles need ``'unsafe-inline'`` because
  Dash, dcc and plotly.js inject ``<style>`` elements and style attributes at run time),
  ``frame-ancestors 'none'`` (and ``X-Frame-Options: DENY``) except under the embed prefixes
  (``frame-ancestors *``, the public charts are meant to be embedded), ``X-Content-Type-Options:
  nosniff``, ``Referrer-Policy: strict-origin-when-cross-origin``, a restrictive
  ``Permissions-Policy``, ``Cross-Origin-Opener-Policy`` and HSTS over HTTPS.
- Public mode: every request other than GET/HEAD/OPTIONS is refused, except Dash's callback
  endpoint, and a callback aimed at a workspace component (ids ``ws-…``) is refused with 403.
- Workspace mode: session cookie HttpOnly + SameSite=Lax + Secure (``__Host-`` prefix over
  HTTPS), CSRF on every POST/PUT/PATCH/DELETE (flask-wtf), Dash callbacks included: the token is
  handed to Dash's renderer in the ``_csrf_token`` cookie it reads and sends back as
  ``X-CSRFToken``; a callback aimed at a ``ws-…`` component needs an officer session.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import wraps
from typing import Any

from dash import Dash
from flask import Flask, Response, abort, request
from flask_wtf.csrf import CSRFProtect, generate_csrf
from werkzeug.exceptions import HTTPException

from workspace.config import WorkspaceConfig

log = logging.getLogger(__name__)
WS_PREFIX = "ws-"
#: Largest request body outside the upload routes (Dash callbacks carry a few KB of state).
CALLBACK_MAX_BYTES = 2 << 20
UPLOAD_API = "/api/v1/workspace/uploads"
CSRF_COOKIE = "_csrf_token"
_STATIC = ("/_dash-component-suites/", "/assets/", "/_favicon.ico")
BASE_CSP: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}


def _dash_path(dash_app: Dash, endpoint: str) -> str:
    return (dash_app.config.requests_pathname_prefix or "/") + endpoint


def csp(dash_app: Dash, frameable: bool, extra: dict[str, list[str]] | None = None) -> str:
    """The policy for one response (hashes recomputed: clientside callbacks may be added late)."""
    policy = {k: list(v) for k, v in BASE_CSP.items()}
    policy["script-src"] += list(dash_app.csp_hashes())
    if getattr(getattr(dash_app, "_dev_tools", None), "serve_dev_bundles", False):
        policy["script-src"].append("'unsafe-eval'")  # Dash's development bundles only (debug=True)
    for key, values in (extra or {}).items():
        policy.setdefault(key, []).extend(values)
    policy["frame-ancestors"] = ["*"] if frameable else ["'none'"]
    return "; ".join(f"{k} {' '.join(dict.fromkeys(v))}" for k, v in policy.items())


def install_headers(
    server: Flask,
    dash_app: Dash,
    cfg: WorkspaceConfig,
    embed_prefixes: Iterable[str],
    csp_extra: dict[str, list[str]] | None = None,
) -> None:
    """Security headers on every response of both deployments."""
    prefixes = tuple(embed_prefixes)

    @server.after_request
    def _headers(resp: Response) -> Response:
        frameable = bool(prefixes) and request.path.startswith(prefixes)
        h = resp.headers
        if resp.mimetype == "text/html":
            h["Content-Security-Policy"] = csp(dash_app, frameable, csp_extra)
        else:
            h.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        if not frameable:
            h["X-Frame-Options"] = "DENY"
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "strict-origin-when-cross-origin"
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        if request.is_secure:
            h["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if cfg.workspace and not request.path.startswith(_STATIC) and _is_private(request.path):
            h["Cache-Control"] = "no-store"
        return resp


def _is_private(path: str) -> bool:
    from flask_login import current_user

    return path.startswith(("/auth/", "/api/v1/workspace", "/espace")) or bool(
        getattr(current_user, "is_authenticated", False)
    )


def callback_targets(body: Any) -> list[str]:
    """The component ids a ``_dash-update-component`` request writes to (strings or dict types)."""
    if not isinstance(body, dict):
        return []
    outputs = body.get("outputs")
    items = outputs if isinstance(outputs, list) else [outputs]
    ids: list[str] = []
    for item in items:
        for one in item if isinstance(item, list) else [item]:
            if isinstance(one, dict):
                cid = one.get("id")
                ids.append(str(cid.get("type", "")) if isinstance(cid, dict) else str(cid))
    ids.append(str(body.get("output", "")))
    return ids


def targets_workspace(body: Any) -> bool:
    """Whether a callback request writes to a workspace component."""
    for cid in callback_targets(body):
        text = cid.lstrip(".")
        if text.startswith(WS_PREFIX) or f'"{WS_PREFIX}' in text or f"..{WS_PREFIX}" in text:
            return True
    return False


def install_public_guard(server: Flask, dash_app: Dash) -> None:
    """Public mode: read-only at the HTTP level, whatever else gets registered."""
    update = _dash_path(dash_app, "_dash-update-component")

    @server.before_request
    def _read_only() -> None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        if request.method == "POST" and request.path == update:
            if targets_workspace(request.get_json(silent=True, cache=True)):
                abort(403)
            return
        abort(405)


def install_body_limit(server: Flask, dash_app: Dash, cfg: WorkspaceConfig) -> None:
    """Both modes: request bodies of at most ``CALLBACK_MAX_BYTES`` (Dash callbacks, forms, API),
    except the upload routes of a logged-in officer (the upload limit, base64 included); a larger
    declared ``Content-Length`` is refused with 413 before the body is read."""
    update = _dash_path(dash_app, "_dash-update-component")
    upload_max = cfg.upload_max_bytes * 4 // 3 + (2 << 20)  # base64 in a Dash callback
    server.config["MAX_CONTENT_LENGTH"] = CALLBACK_MAX_BYTES

    @server.before_request
    def _limit_body() -> None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        limit = CALLBACK_MAX_BYTES
        if cfg.workspace and request.path in (update, UPLOAD_API):
            from workspace.auth import current_officer  # only officers may send a file

            if current_officer() is not None:
                limit = upload_max
        request.max_content_length = limit  # also bounds a chunked body while it is read
        if (request.content_length or 0) > limit:
            abort(413, f"request body larger than {limit // (1 << 20)} MB")


def install_error_pages(server: Flask) -> None:
    """400 and 413 answered with their message (JSON for the API, callbacks and exports)."""

    def as_json(exc: HTTPException) -> Any:
        if request.path.startswith(("/api/", "/_dash", "/export/")):
            return {"error": exc.description, "status": exc.code}, exc.code
        return exc

    for code in (400, 413):
        server.register_error_handler(code, as_json)


def _callback_error(body: Any, callback_map: dict[str, Any]) -> str | None:
    """What is wrong with a ``_dash-update-component`` body (None: well formed for its callback)."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return "unknown callback output"
    cb = callback_map[output]
    for part in ("inputs", "state"):
        items = body.get(part, [])
        if not isinstance(items, list) or len(items) != len(cb.get(part) or []):
            return f"'{part}' does not match the callback"
        for item in items:
            for one in item if isinstance(item, list) else [item]:
                if not isinstance(one, dict) or "id" not in one or not isinstance(one.get("property"), str):
                    return f"malformed item in '{part}'"
    if not isinstance(body.get("outputs"), dict | list):
        return "'outputs' is missing"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "'changedPropIds' is not a list of strings"
    return None


def install_callback_guard(server: Flask, dash_app: Dash) -> None:
    """Both modes: a malformed ``_dash-update-component`` request is answered 400 with a message
    (never a 500). Errors inside a callback are Dash's ``on_error``; what still escapes Dash's
    dispatch comes from the request's shape."""
    update = _dash_path(dash_app, "_dash-update-component")

    @server.before_request
    def _check_callback_body() -> None:
        if request.method == "POST" and request.path == update:
            body = request.get_json(silent=True, cache=True)
            problem = _callback_error(body, dash_app.callback_map)
            if problem:
                abort(400, f"malformed callback request: {problem}")

    view = server.view_functions.get(update)
    if view is None:
        return

    @wraps(view)
    def dispatch(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except HTTPException:
            raise
        except Exception as exc:  # noqa: BLE001 - logged; the client sent something Dash chokes on
            log.warning("malformed callback request refused: %s: %s", type(exc).__name__, exc)
            abort(400, f"malformed callback request ({type(exc).__name__})")

    server.view_functions[update] = dispatch


def configure_session(server: Flask, cfg: WorkspaceConfig) -> None:
    """Cookie and CSRF settings of the workspace (a secret key is required, see config)."""
    server.config.update(
        SECRET_KEY=cfg.secret_key,
        SESSION_COOKIE_NAME="__Host-observatoire" if cfg.cookie_secure else "observatoire",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=cfg.cookie_secure,
        SESSION_COOKIE_PATH="/",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=cfg.cookie_secure,
        WTF_CSRF_TIME_LIMIT=None,  # valid for the session (8 h): a long-open page keeps working
        WTF_CSRF_SSL_STRICT=True,
    )


def install_csrf(server: Flask, dash_app: Dash, cfg: WorkspaceConfig) -> CSRFProtect:
    """CSRF on every write (forms, JSON API, Dash callbacks) and the cookie Dash's renderer reads."""
    protect = CSRFProtect(server)
    update = _dash_path(dash_app, "_dash-update-component")

    @server.before_request
    def _guard_callbacks() -> None:
        if request.method == "POST" and request.path == update:
            from workspace.auth import current_officer

            if targets_workspace(request.get_json(silent=True, cache=True)) and current_officer() is None:
                abort(403)

    @server.after_request
    def _csrf_cookie(resp: Response) -> Response:
        if request.path.startswith(_STATIC):
            return resp
        if resp.mimetype == "text/html" or CSRF_COOKIE not in request.cookies:
            resp.set_cookie(
                CSRF_COOKIE,
                generate_csrf(),
                secure=cfg.cookie_secure,
                httponly=False,
                samesite="Strict",
                path="/",
            )
        return resp

    return protect


def dumps(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)
