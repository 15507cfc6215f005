"""The SQL store engine of the app: one per process, created lazily from ``DATABASE_URL`` (or the
default SQLite file, ``etl.config.default_database_url``). Tests swap it with ``set_engine``.
"""

from __future__ import annotations

import threading

import sqlalchemy as sa

from etl.config import default_database_url
from etl.store.db import make_engine

_lock = threading.Lock()
_engine: sa.Engine | None = None


def get_engine() -> sa.Engine:
    """The process's engine (created on first use)."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                _engine = make_engine(default_database_url())
    return _engine


def set_engine(engine: sa.Engine | None) -> None:
    """Use ``engine`` from now on (``None``: back to the default, created on next use)."""
    global _engine
    with _lock:
        _engine = engine
