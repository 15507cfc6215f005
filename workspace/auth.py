"""Officer login: flask-login sessions, argon2 passwords, a CSRF-protected form, rate-limited.

``/auth/login`` and ``/auth/logout`` are plain Flask views (server-rendered, no script), only
registered in workspace mode. Failed logins slow down further attempts per client address and per
account with growing, capped delays (``workspace.throttle``: a colleague's account cannot be locked
out); a failed login says the same thing whether the user exists or not. The session is cleared on
login (no fixation); logging out ends it on the server too (``session_epoch`` is bumped, so a copy
of the cookie no longer reads or writes), as do disabling the user or changing the password.
Failed logins, refusals during a delay and logouts are recorded in the audit log.
"""

from __future__ import annotations

import math
import re
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, abort, current_app, g, jsonify, redirect, request, session, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from layouts.i18n import t
from workspace import audit, throttle
from workspace.users import ROLE_OFFICER, User, authenticate, end_sessions, load_session_user

WORKSPACE_HOME = "/espace"
_NEXT_RE = re.compile(r"^/(?![/\\])[^\s\\]*$")


class LoginForm(FlaskForm):
    username = StringField("Identifiant", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Mot de passe", validators=[DataRequired(), Length(max=1024)])
    next = HiddenField()


def safe_next(target: str | None) -> str:
    """Only a path of this site (never ``//host`` or ``https://…``: no open redirect)."""
    return target if target and len(target) < 2000 and _NEXT_RE.match(target) else WORKSPACE_HOME


def state() -> Any:
    return current_app.extensions["observatoire_workspace"]


def current_officer() -> User | None:
    """The logged-in user if they hold the officer role (admins included)."""
    # the object itself, not flask-login's proxy (a background job outlives the request)
    user = current_user._get_current_object() if current_user else None  # type: ignore[attr-defined]
    if user is not None and user.is_authenticated and isinstance(user, User) and user.has_role(ROLE_OFFICER):
        return user
    return None


def ensure_officer() -> User:
    """For write paths: the officer, or the request ends with 403 (checked on the server)."""
    user = current_officer()
    if user is None:
        abort(403)
    return user


def officer_required(view: Any) -> Any:
    """401 for anonymous callers, 403 for users without the officer role."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return jsonify(error="login required"), 401
        ensure_officer()
        return view(*args, **kwargs)

    return wrapper


def _page(title: str, body: Markup, status: int = 200) -> tuple[str, int, dict[str, str]]:
    css = escape(state().asset_url("00-bootstrap.min.css"))
    html = Markup(
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{escape(title)} — {escape(t("app.short"))}</title><link rel="stylesheet" href="{css}"></head>'
        f'<body><main class="container py-5"><h1 class="h3 mb-4">{escape(title)}</h1>{body}</main></body></html>'
    )
    return str(html), status, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}


def _login_form(form: LoginForm, error: str | None = None) -> Markup:
    alert = (
        Markup('<div class="alert alert-danger" role="alert">{}</div>').format(error) if error else Markup("")
    )
    return alert + Markup(
        '<form method="post" action="{action}" class="col-md-5">{csrf}'
        '<input type="hidden" name="next" value="{next}">'
        '<div class="mb-3"><label class="form-label" for="username">Identifiant</label>'
        '<input class="form-control" id="username" name="username" autocomplete="username" required '
        'maxlength="64" value="{username}"></div>'
        '<div class="mb-3"><label class="form-label" for="password">Mot de passe</label>'
        '<input class="form-control" id="password" name="password" type="password" '
        'autocomplete="current-password" required></div>'
        '<button class="btn btn-primary" type="submit">Se connecter</button></form>'
    ).format(
        action=url_for("ws_auth.login"),
        csrf=form.csrf_token,
        next=safe_next(form.next.data),
        username=form.username.data or "",
    )


def _fresh_session() -> None:
    """Empty the session, and forget this request's CSRF token so that a new one is issued."""
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def init(server: Flask, ws_state: Any) -> None:
    """Register flask-login and the login/logout views (workspace mode only)."""
    manager = LoginManager()
    # "basic": a session whose client fingerprint changes is marked non-fresh. ("strong" rewrites
    # every anonymous session cookie on each request, and a slow anonymous response landing after
    # the login then replaces the new session in the browser.) Sessions are short (8 h), HttpOnly,
    # Secure, SameSite and revoked by ``session_epoch`` (logout, disabling, new password).
    manager.session_protection = "basic"
    manager.init_app(server)

    @manager.user_loader
    def _load(session_id: str) -> User | None:
        return load_session_user(ws_state.engine, session_id)

    @manager.unauthorized_handler
    def _unauthorized() -> Any:
        if request.path.startswith(("/api/", "/_dash")):
            return jsonify(error="login required"), 401
        return redirect(url_for("ws_auth.login", next=safe_next(request.full_path.rstrip("?"))))

    bp = Blueprint("ws_auth", __name__, url_prefix="/auth")
    title = "Connexion à l'espace de travail"

    @bp.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        form = LoginForm()
        if request.method == "GET":
            form.next.data = safe_next(request.args.get("next"))
            if current_officer() is not None:
                return redirect(form.next.data)
            return _page(title, _login_form(form))
        if not form.validate_on_submit():
            return _page(title, _login_form(form, "Formulaire invalide ou expiré."), 400)
        engine, name = ws_state.engine, throttle.norm_username(form.username.data)
        wait = math.ceil(throttle.wait_seconds(engine, name, request.remote_addr))
        if wait > 0:  # refused without checking the password, and not counted as a failure
            if not throttle.recently_throttled(engine, request.remote_addr):
                with engine.begin() as conn:
                    audit.record(
                        conn, None, throttle.THROTTLED, "login", name, {"retry_after": wait}, who="anonymous"
                    )
            message = f"Trop de tentatives : réessayez dans {wait} s. / Too many attempts: retry in {wait} s."
            page, _, headers = _page(title, _login_form(form, message), 429)
            return page, 429, {**headers, "Retry-After": str(wait)}
        user = authenticate(engine, name, form.password.data)
        if user is None:
            with engine.begin() as conn:
                audit.record(conn, None, throttle.FAILED, "login", name, {}, who="anonymous")
            return _page(title, _login_form(form, "Identifiant ou mot de passe incorrect."), 401)
        target = safe_next(form.next.data)
        _fresh_session()  # nothing from before the login survives (no session fixation)
        login_user(user, remember=False)
        session.permanent = True
        with engine.begin() as conn:
            audit.record(conn, user, throttle.SUCCESS, "app_user", user.id, {})
        return redirect(target)

    @bp.route("/logout", methods=["GET", "POST"])
    def logout() -> Any:
        if request.method == "GET":  # a form, so that a cross-site link cannot log anyone out
            from flask_wtf.csrf import generate_csrf

            body = Markup(
                '<form method="post"><input type="hidden" name="csrf_token" value="{}">'
                '<button class="btn btn-secondary" type="submit">Se déconnecter</button></form>'
            ).format(generate_csrf())
            return _page("Déconnexion", body)
        user = current_user if isinstance(current_user, User) else None
        if user is not None:
            # server-side revocation: every copy of this session's cookie stops working
            end_sessions(ws_state.engine, user, "user.logout")
        logout_user()
        _fresh_session()
        return redirect("/")

    server.register_blueprint(bp)
