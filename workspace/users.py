"""Officer accounts: argon2id password hashes, roles, activation, session revocation.

Accounts are only created from the command line (``python -m workspace users add``): there is no
default account and no default password anywhere. A password is hashed with argon2id (argon2-cffi
defaults, RFC 9106 low-memory profile) and re-hashed on login when the parameters change.
Disabling a user or changing their password bumps ``session_epoch``: their open sessions end.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from etl.store.schema import app_user
from workspace import audit

ROLE_OFFICER = "officer"
ROLE_ADMIN = "admin"
ROLES = (ROLE_OFFICER, ROLE_ADMIN)
MIN_PASSWORD_LENGTH = 12
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that the answer takes as long either way
# (a random, never-disclosed value: not a usable password).
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(32))


class UserError(ValueError):
    """A user operation was refused (the message says why, without revealing a secret)."""


@dataclass(frozen=True)
class User:
    """A logged-in or looked-up officer (flask-login's user object)."""

    id: int
    username: str
    role: str
    active: bool
    session_epoch: int
    display_name: str | None = None

    # flask-login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """Session identity: the id and the session epoch (a bumped epoch ends old sessions)."""
        return f"{self.id}:{self.session_epoch}"

    def has_role(self, role: str) -> bool:
        """Admins can do everything officers can."""
        return self.active and (self.role == role or self.role == ROLE_ADMIN)


def _user(row: Any) -> User:
    return User(row.id, row.username, row.role, bool(row.active), int(row.session_epoch), row.display_name)


def check_password_policy(username: str, password: str) -> None:
    """At least 12 characters, not the username, not a single repeated character."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if username.lower() in password.lower() or len(set(password)) < 4:
        raise UserError("the password is too easy to guess")


def hash_password(password: str) -> str:
    """An argon2id hash (salted; parameters in the hash string)."""
    return _hasher.hash(password)


def add_user(
    engine: sa.Engine, username: str, password: str, role: str, display_name: str | None = None
) -> User:
    """Create an account (from the command line only)."""
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise UserError("a username is 2-64 characters: lower-case letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise UserError(f"role must be one of {ROLES}")
    check_password_policy(username, password)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        if conn.execute(sa.select(app_user.c.id).where(app_user.c.username == username)).first():
            raise UserError(f"user {username!r} already exists")
        new_id = conn.execute(
            app_user.insert().values(
                username=username,
                display_name=display_name,
                password_hash=hash_password(password),
                role=role,
                active=True,
                session_epoch=0,
                created_at=now,
            )
        ).inserted_primary_key[0]
        audit.record(conn, None, "user.add", "app_user", new_id, {"username": username, "role": role})
    return get_user(engine, int(new_id))  # type: ignore[return-value]


def get_user(engine: sa.Engine, user_id: int) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(sa.select(app_user).where(app_user.c.id == user_id)).first()
    return _user(row) if row else None


def load_session_user(engine: sa.Engine, session_id: str) -> User | None:
    """flask-login's user loader: the user if active and the session epoch still current."""
    try:
        uid, epoch = (int(x) for x in session_id.split(":", 1))
    except ValueError:
        return None
    user = get_user(engine, uid)
    if user is None or not user.active or user.session_epoch != epoch:
        return None
    return user


def authenticate(engine: sa.Engine, username: str, password: str) -> User | None:
    """The user if the password is right and the account active; None otherwise (same timing)."""
    username = (username or "").strip().lower()
    with engine.connect() as conn:
        row = conn.execute(sa.select(app_user).where(app_user.c.username == username)).first()
    stored = row.password_hash if row is not None else _DUMMY_HASH
    try:
        _hasher.verify(stored, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if row is None or not row.active:
        return None
    values: dict[str, Any] = {"last_login_at": datetime.now(UTC)}
    if _hasher.check_needs_rehash(stored):
        values["password_hash"] = hash_password(password)
    with engine.begin() as conn:
        conn.execute(app_user.update().where(app_user.c.id == row.id).values(**values))
    return _user(row)


def set_password(engine: sa.Engine, username: str, password: str) -> None:
    """Change a password and end the user's open sessions."""
    username = username.strip().lower()
    check_password_policy(username, password)
    _update(engine, username, "user.set_password", password_hash=hash_password(password))


def set_active(engine: sa.Engine, username: str, active: bool) -> None:
    """Disable (or re-enable) an account; disabling ends its open sessions."""
    _update(engine, username.strip().lower(), "user.enable" if active else "user.disable", active=active)


def _update(engine: sa.Engine, username: str, action: str, **values: Any) -> None:
    with engine.begin() as conn:
        row = conn.execute(sa.select(app_user).where(app_user.c.username == username)).first()
        if row is None:
            raise UserError(f"no user {username!r}")
        conn.execute(
            app_user.update()
            .where(app_user.c.id == row.id)
            .values(session_epoch=app_user.c.session_epoch + 1, **values)
        )
        audit.record(conn, None, action, "app_user", row.id, {"username": username})


def end_sessions(engine: sa.Engine, user: User, action: str = "user.logout") -> None:
    """End every open session of ``user`` (logout): its session epoch moves on, audited."""
    with engine.begin() as conn:
        conn.execute(
            app_user.update()
            .where(app_user.c.id == user.id)
            .values(session_epoch=app_user.c.session_epoch + 1)
        )
        audit.record(conn, user, action, "app_user", user.id, {})


def list_users(engine: sa.Engine) -> list[dict[str, Any]]:
    """Accounts without their hashes."""
    cols = [
        app_user.c[c]
        for c in ("id", "username", "display_name", "role", "active", "created_at", "last_login_at")
    ]
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(*cols).order_by(app_user.c.username)).mappings()]
