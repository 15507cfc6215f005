"""Officers' notes, targets and saved views (SQLAlchemy Core over the officer tables).

Every write takes the acting user, checks what it may do, and records an audit entry in the
same transaction. Nothing is ever deleted: notes, targets and views are *archived*, and the
audit log keeps the values before and after each change. Updates carry the version the officer
saw: an edit based on an outdated version is refused (``Conflict``) instead of silently
overwriting a colleague's work.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from etl.store.schema import app_user, note, saved_view, target
from workspace import audit
from workspace.users import ROLE_ADMIN, User
from workspace.validation import (
    MAX_BODY,
    Conflict,
    Forbidden,
    Malformed,  # noqa: F401 - re-exported: the API maps it to 400
    NotFound,
    WorkspaceError,
    check_code,
    check_date,
    check_indicator,
    check_text,
    check_url,
    check_version,
)


def _now() -> datetime:
    return datetime.now(UTC)


def _row(conn: Connection, table: sa.Table, row_id: Any) -> dict[str, Any]:
    try:
        row_id = int(row_id)
    except (TypeError, ValueError) as exc:
        raise NotFound(f"no {table.name} {row_id!r}") from exc
    row = conn.execute(sa.select(table).where(table.c.id == row_id)).mappings().first()
    if row is None or row.get("archived_at") is not None:
        raise NotFound(f"no {table.name} {row_id}")
    return dict(row)


def _own(actor: User, owner_id: int) -> None:
    if actor.id != owner_id and actor.role != ROLE_ADMIN:
        raise Forbidden("only its author or an administrator can change this")


# -- notes -----------------------------------------------------------------------------------------
@audit.refusals("note.create", "note")
def add_note(
    engine: sa.Engine,
    actor: User,
    *,
    indicator: str | None,
    code: str | None,
    note_date: Any,
    body: str,
    public: bool = False,
) -> dict[str, Any]:
    """Attach a dated note to an indicator, a territory (commune, EPT…) or both."""
    values = {
        "indicator": check_indicator(indicator),
        "note_date": check_date(note_date, "the note's date"),
        "body": check_text(body, "the note", MAX_BODY),
        "public": bool(public),
    }
    with engine.begin() as conn:
        values["code"] = check_code(conn, code)
        if values["indicator"] is None and values["code"] is None:
            raise WorkspaceError("a note is attached to an indicator, a territory or both")
        now = _now()
        new_id = conn.execute(
            note.insert().values(**values, author_id=actor.id, created_at=now, updated_at=now, version=1)
        ).inserted_primary_key[0]
        audit.record(conn, actor, "note.create", "note", new_id, {"after": values})
        return _row(conn, note, new_id)


@audit.refusals("note.update", "note")
def update_note(engine: sa.Engine, actor: User, note_id: Any, version: Any, **changes: Any) -> dict[str, Any]:
    """Change a note's text, date or public flag (author or admin; ``version`` as last read)."""
    version = check_version(version)
    allowed = {"body", "note_date", "public"}
    if not changes or set(changes) - allowed:
        raise WorkspaceError(f"a note's editable fields are {sorted(allowed)}")
    clean: dict[str, Any] = {}
    if "body" in changes:
        clean["body"] = check_text(changes["body"], "the note", MAX_BODY)
    if "note_date" in changes:
        clean["note_date"] = check_date(changes["note_date"], "the note's date")
    if "public" in changes:
        clean["public"] = bool(changes["public"])
    with engine.begin() as conn:
        before = _row(conn, note, note_id)
        _own(actor, before["author_id"])
        done = conn.execute(
            note.update()
            .where(note.c.id == before["id"], note.c.version == version)
            .values(**clean, updated_at=_now(), version=note.c.version + 1)
        ).rowcount
        if not done:
            raise Conflict("this note was changed by someone else meanwhile: reload it before editing")
        audit.record(
            conn,
            actor,
            "note.update",
            "note",
            before["id"],
            {"before": {k: before[k] for k in clean}, "after": clean},
        )
        return _row(conn, note, before["id"])


@audit.refusals("note.archive", "note")
def archive_note(engine: sa.Engine, actor: User, note_id: Any) -> None:
    """Archive a note (it stays in the store and in the audit log)."""
    with engine.begin() as conn:
        before = _row(conn, note, note_id)
        _own(actor, before["author_id"])
        conn.execute(note.update().where(note.c.id == before["id"]).values(archived_at=_now()))
        audit.record(conn, actor, "note.archive", "note", before["id"], {"before": before})


def notes_for(
    engine: sa.Engine, indicator: str | None = None, code: str | None = None, public_only: bool = True
) -> list[dict[str, Any]]:
    """Live notes about an indicator and/or a territory (a note on the territory alone, or on the
    indicator alone, applies too), newest first, with their author's name."""
    cond = [note.c.archived_at.is_(None)]
    if public_only:
        cond.append(note.c.public.is_(True))
    if indicator:
        cond.append(sa.or_(note.c.indicator == indicator, note.c.indicator.is_(None)))
    if code:
        cond.append(sa.or_(note.c.code == code, note.c.code.is_(None)))
    query = (
        sa.select(note, sa.func.coalesce(app_user.c.display_name, app_user.c.username).label("author"))
        .join(app_user, app_user.c.id == note.c.author_id)
        .where(*cond)
        .order_by(note.c.note_date.desc(), note.c.id.desc())
    )
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]
    except sa.exc.OperationalError:  # a public replica without the officer tables: no notes
        return []


# -- targets ---------------------------------------------------------------------------------------
@audit.refusals("target.set", "target")
def set_target(
    engine: sa.Engine,
    actor: User,
    *,
    indicator: str,
    code: str,
    value: Any,
    target_date: Any,
    label: str | None = None,
    public: bool = False,
) -> dict[str, Any]:
    """Set the target of an indicator for a territory (replaces the current one, audited)."""
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise WorkspaceError("the target value is not a number") from exc
    if number != number or abs(number) > 1e12:
        raise WorkspaceError("the target value is not a number")
    values = {
        "value": number,
        "target_date": check_date(target_date, "the target's date"),
        "label": check_text(label, "the label", 200) if label else None,
        "public": bool(public),
    }
    ind = check_indicator(indicator)
    if ind is None:
        raise WorkspaceError("a target needs an indicator")
    with engine.begin() as conn:
        place = check_code(conn, code)
        if place is None:
            raise WorkspaceError("a target needs a territory")
        current = (
            conn.execute(
                sa.select(target).where(
                    target.c.indicator == ind, target.c.code == place, target.c.archived_at.is_(None)
                )
            )
            .mappings()
            .first()
        )
        if current is not None:
            _own(actor, current["created_by"])  # a colleague's target is theirs to change
        if current is None:
            now = _now()
            new_id = conn.execute(
                target.insert().values(
                    indicator=ind,
                    code=place,
                    **values,
                    created_by=actor.id,
                    created_at=now,
                    updated_at=now,
                    version=1,
                )
            ).inserted_primary_key[0]
            audit.record(
                conn,
                actor,
                "target.create",
                "target",
                new_id,
                {"after": {"indicator": ind, "code": place, **values}},
            )
            return _row(conn, target, new_id)
        conn.execute(
            target.update()
            .where(target.c.id == current["id"])
            .values(**values, updated_at=_now(), version=target.c.version + 1)
        )
        audit.record(
            conn,
            actor,
            "target.update",
            "target",
            current["id"],
            {"before": {k: current[k] for k in values}, "after": values},
        )
        return _row(conn, target, current["id"])


@audit.refusals("target.archive", "target")
def archive_target(engine: sa.Engine, actor: User, target_id: Any) -> None:
    """Withdraw a target (kept, archived)."""
    with engine.begin() as conn:
        before = _row(conn, target, target_id)
        _own(actor, before["created_by"])
        conn.execute(target.update().where(target.c.id == before["id"]).values(archived_at=_now()))
        audit.record(conn, actor, "target.archive", "target", before["id"], {"before": before})


def targets_for(
    engine: sa.Engine, indicator: str, code: str | None = None, public_only: bool = True
) -> list[dict[str, Any]]:
    """Live targets of an indicator (optionally of one territory)."""
    cond = [target.c.indicator == indicator, target.c.archived_at.is_(None)]
    if code:
        cond.append(target.c.code == code)
    if public_only:
        cond.append(target.c.public.is_(True))
    try:
        with engine.connect() as conn:
            return [
                dict(r)
                for r in conn.execute(sa.select(target).where(*cond).order_by(target.c.code)).mappings()
            ]
    except sa.exc.OperationalError:
        return []


# -- saved views -----------------------------------------------------------------------------------
@audit.refusals("view.create", "saved_view")
def save_view(engine: sa.Engine, actor: User, name: str, url: str, shared: bool = False) -> dict[str, Any]:
    """Keep a URL state (map, comparison, deck…) under a name."""
    values = {"name": check_text(name, "the name", 120), "url": check_url(url), "shared": bool(shared)}
    with engine.begin() as conn:
        new_id = conn.execute(
            saved_view.insert().values(**values, owner_id=actor.id, created_at=_now())
        ).inserted_primary_key[0]
        audit.record(conn, actor, "view.create", "saved_view", new_id, {"after": values})
        return _row(conn, saved_view, new_id)


@audit.refusals("view.archive", "saved_view")
def archive_view(engine: sa.Engine, actor: User, view_id: Any) -> None:
    with engine.begin() as conn:
        before = _row(conn, saved_view, view_id)
        _own(actor, before["owner_id"])
        conn.execute(saved_view.update().where(saved_view.c.id == before["id"]).values(archived_at=_now()))
        audit.record(conn, actor, "view.archive", "saved_view", before["id"], {"before": before})


def views_for(engine: sa.Engine, actor: User) -> list[dict[str, Any]]:
    """The officer's views and the views shared by colleagues, newest first."""
    query = (
        sa.select(saved_view, app_user.c.username.label("owner"))
        .join(app_user, app_user.c.id == saved_view.c.owner_id)
        .where(
            saved_view.c.archived_at.is_(None),
            sa.or_(saved_view.c.owner_id == actor.id, saved_view.c.shared.is_(True)),
        )
        .order_by(saved_view.c.id.desc())
    )
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]
