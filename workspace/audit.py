"""The audit log: who changed what, when — written in the same transaction as the change.

Every write function of the workspace calls ``record`` on the connection of its own transaction,
so a change and its audit entry are committed (or rolled back) together. ``detail`` keeps the
values before and after the change, so that any officer's work can be restored from the log.
"""

from __future__ import annotations

import getpass
import json
from datetime import UTC, date, datetime
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from etl.store.schema import audit_log


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
) -> None:
    """Append one entry; ``actor`` None means the command line (recorded as ``cli:<os user>``)."""
    if actor is None:
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
