"""One lock for every writer of the statistical tables (issue #13, gap 1).

The command-line ETL (``python -m etl run``), a publication from the officers' workspace and a
backup all take the same lock, held by the database itself rather than by one process:

* PostgreSQL: a session-level advisory lock (``pg_advisory_lock``) on a connection of its own;
* SQLite: an exclusive ``flock`` on ``<database file>.writer-lock`` (the ``filelock`` package),
  which every process of the host sees.

A second writer waits up to ``timeout`` seconds, then stops with ``LockBusy`` naming the holder
(what, process, since when): it never loads over a newer publication. The lock is re-entrant
within a thread (a publication holds it and calls the ETL run, which takes it again).

``recover_interrupted`` runs under the lock: a ``load_run`` still "running" then has no live
holder (its process was killed), so it is marked failed, as is a publication left half-way.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

#: Arbitrary 64-bit key of the advisory lock ("observatoire writer").
PG_LOCK_KEY = 0x0B5E_7A70_1BE5_0001 & 0x7FFF_FFFF_FFFF_FFFF
POLL_SECONDS = 0.2
INTERRUPTED = "interrupted: the process running it stopped before the end (killed or crashed)"

# (lock key, thread) pairs held by the current context; the thread id too, because a thread may
# inherit its parent's context (free-threaded Python) without holding its locks.
_held: ContextVar[frozenset[tuple[str, int]]] = ContextVar("writer_locks_held", default=frozenset())


class LockBusy(RuntimeError):
    """Another writer holds the store's lock (the message names it)."""


def _key(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def lock_path(url: str) -> Path:
    """The lock file of a SQLite store (beside the database file)."""
    db = Path(make_url(url).database or "")
    return db.with_name(db.name + ".writer-lock")


def _holder_text(info: dict[str, Any]) -> str:
    if not info:
        return "another writer"
    return (
        f"{info.get('what', 'a writer')} (process {info.get('pid')} on {info.get('host')}, "
        f"since {info.get('since', '?')})"
    )


def holder(url: str) -> dict[str, Any]:
    """What holds (or last held) the lock of a SQLite store, from its side file; {} if unknown."""
    if make_url(url).get_backend_name() != "sqlite":
        return {}
    try:
        return json.loads(lock_path(url).with_suffix(".holder").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _busy(url: str, what: str, timeout: float, info: dict[str, Any]) -> LockBusy:
    return LockBusy(
        f"the store is being written by {_holder_text(info)}; {what} waited {timeout:g} s and stopped "
        "without changing anything: try again when it has finished"
    )


@contextlib.contextmanager
def _sqlite_lock(url: str, what: str, timeout: float) -> Iterator[None]:
    from filelock import FileLock, Timeout

    path = lock_path(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    # a new FileLock (own file descriptor) per acquisition: flock then also excludes the other
    # threads of this process, not only other processes
    lock = FileLock(
        str(path), timeout=max(timeout, 0), is_singleton=False, thread_local=False, preserve_lock_file=True
    )
    try:
        lock.acquire(poll_interval=POLL_SECONDS)
    except Timeout:
        raise _busy(url, what, timeout, holder(url)) from None
    info = {
        "what": what,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    side = path.with_suffix(".holder")
    with contextlib.suppress(OSError):
        side.write_text(json.dumps(info), encoding="utf-8")
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            side.unlink()
        lock.release()


@contextlib.contextmanager
def _postgres_lock(url: str, what: str, timeout: float) -> Iterator[None]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    conn = engine.connect()
    try:
        # the application name is what other sessions see of the holder (pg_stat_activity)
        conn.execute(
            sa.text("SELECT set_config('application_name', :n, false)"), {"n": f"observatoire: {what}"[:63]}
        )
        deadline = time.monotonic() + max(timeout, 0)
        while not conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": PG_LOCK_KEY}).scalar():
            conn.rollback()
            if time.monotonic() >= deadline:
                row = conn.execute(
                    sa.text(
                        "SELECT a.application_name, a.pid, a.backend_start FROM pg_locks l "
                        "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                        "AND l.granted AND l.objid = (:k & 4294967295) LIMIT 1"
                    ),
                    {"k": PG_LOCK_KEY},
                ).first()
                info = {"what": row[0], "pid": row[1], "host": "database", "since": row[2]} if row else {}
                raise _busy(url, what, timeout, info)
            time.sleep(POLL_SECONDS)
        conn.commit()  # session-level lock: it outlives this transaction, until unlock or disconnect
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": PG_LOCK_KEY})
                conn.commit()
    finally:
        conn.close()
        engine.dispose()


@contextlib.contextmanager
def writer_lock(url: str, what: str = "an ETL run", timeout: float = 0) -> Iterator[None]:
    """Hold the store's writer lock (waiting up to ``timeout`` s, else ``LockBusy``)."""
    key = (_key(url), threading.get_ident())
    if key in _held.get():  # re-entrant: this thread already holds it
        yield
        return
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        ctx = _sqlite_lock(url, what, timeout)
    elif backend == "postgresql":
        ctx = _postgres_lock(url, what, timeout)
    else:  # pragma: no cover - other dialects are not supported as stores
        raise RuntimeError(f"no writer lock for {backend}")
    with ctx:
        token = _held.set(_held.get() | {key})
        try:
            yield
        finally:
            _held.reset(token)


def held(url: str) -> bool:
    """Whether this thread holds the store's writer lock."""
    return (_key(url), threading.get_ident()) in _held.get()


def recover_interrupted(engine: sa.Engine, keep_uploads: frozenset[int] = frozenset()) -> dict[str, int]:
    """Under the lock: mark runs and publications left "running"/"publishing" by a dead process as
    failed (the lock being ours, nobody else is running them). Returns how many rows were fixed."""
    from etl.store import schema

    url = engine.url.render_as_string(hide_password=False)
    if not held(url):
        raise RuntimeError("recover_interrupted must run under writer_lock")
    now = datetime.now(UTC)
    fixed = {"load_run": 0, "data_upload": 0}
    with engine.begin() as conn:
        insp = sa.inspect(conn)
        if insp.has_table("load_run"):
            runs = schema.load_run
            for row in conn.execute(sa.select(runs.c.id, runs.c.summary).where(runs.c.status == "running")):
                try:
                    summary = json.loads(row.summary or "{}")
                except ValueError:
                    summary = {}
                conn.execute(
                    runs.update()
                    .where(runs.c.id == row.id)
                    .values(
                        status="failed",
                        finished_at=now,
                        summary=json.dumps({**summary, "error": INTERRUPTED}),
                    )
                )
                fixed["load_run"] += 1
        if insp.has_table("data_upload"):
            up = schema.data_upload
            stale = sa.and_(up.c.status == "publishing", up.c.id.not_in(sorted(keep_uploads) or [-1]))
            fixed["data_upload"] = conn.execute(
                up.update().where(stale).values(status="failed", error=f"publication {INTERRUPTED}")
            ).rowcount
    return fixed
