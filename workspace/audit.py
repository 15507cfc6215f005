"""The audit log: who changed what, when — written in the same transaction as the change.

Every write function of the workspace calls ``record`` on the connection of its own transaction,
so a change and its audit entry are committed (or rolled back) together. ``detail`` keeps the
values before and after the change, so that any officer's work can be restored from the log.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import wraps
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from etl.store.schema import audit_log, saved_view
from workspace.validation import WorkspaceError


class Actor(Protocol):
    id: int
    username: str


def _remote_addr() -> str | None:
    try:
        from flask import has_request_context, request
    except ImportError:  # pragma: no cover - flask is a dependency
        return None
    return request.remote_addr if has_request_context() else None


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def record(
    conn: Connection,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: Any = None,
    detail: dict[str, Any] | None = None,
    *,
    who: str | None = None,
) -> None:
    """Append one entry; ``actor`` None means the command line (recorded as ``cli:<os user>``)
    unless ``who`` names the caller (``anonymous`` for a failed login)."""
    if actor is None and who is not None:
        user_id = None
    elif actor is None:
        try:
            who = f"cli:{getpass.getuser()}"
        except (KeyError, OSError):  # pragma: no cover - no passwd entry in some containers
            who = "cli"
        user_id = None
    else:
        who, user_id = actor.username, actor.id
    conn.execute(
        audit_log.insert().values(
            at=datetime.now(UTC),
            user_id=user_id,
            username=who[:64],
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            detail=json.dumps(detail or {}, default=_default, ensure_ascii=False),
            remote_addr=_remote_addr(),
        )
    )


def recent(engine: sa.Engine, limit: int = 100) -> list[dict[str, Any]]:
    """The latest entries, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)).mappings()
        return [dict(r) for r in rows]


def visible(engine: sa.Engine, actor: Any, limit: int = 100) -> list[dict[str, Any]]:
    """The latest entries ``actor`` may see, newest first: an entry is as visible as what it
    describes. Administrators see everything; an officer does not see entries about a colleague's
    private saved view (its name and address) nor about other accounts (logins, failed logins)."""
    a, v = audit_log.c, saved_view.c
    query = sa.select(audit_log).order_by(a.id.desc()).limit(limit)
    if getattr(actor, "role", None) != "admin":
        view = sa.select(v.id).where(
            sa.cast(v.id, sa.String) == a.entity_id, sa.or_(v.owner_id == actor.id, v.shared.is_(True))
        )
        mine = a.user_id == actor.id  # one always sees one's own actions
        query = query.where(
            sa.or_(a.entity != "saved_view", view.exists(), mine),
            sa.or_(a.entity != "app_user", a.entity_id == str(actor.id), mine),
            sa.or_(a.entity != "login", a.entity_id == actor.username),
        )
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


F = TypeVar("F", bound=Callable[..., Any])


def refusals(action: str, entity: str) -> Callable[[F], F]:
    """Record a refused write (not found, not the owner, conflict, invalid value) in the audit log,
    in a transaction of its own: the refused change itself was rolled back."""

    def decorate(fn: F) -> F:
        @wraps(fn)
        def wrapper(engine: sa.Engine, actor: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return fn(engine, actor, *args, **kwargs)
            except WorkspaceError as exc:
                target_id = args[0] if args and not isinstance(args[0], str | dict) else None
                with engine.begin() as conn:
                    detail = {"reason": str(exc), "refused": type(exc).__name__}
                    record(conn, actor, f"{action}.refused", entity, target_id, detail)
                raise

        return wrapper  # type: ignore[return-value]

    return decorate
