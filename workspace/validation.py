"""Validation of what officers write (ids, codes, texts, dates, addresses) and the refusals.

Every message is safe to show to the officer (no internal detail).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy.engine import Connection

from indicators.query import store

MAX_BODY = 5000
MAX_URL = 2000
_INDICATOR_RE = re.compile(r"^[a-z0-9_]{1,80}$")
_CODE_RE = re.compile(r"^[0-9A-Z]{1,12}$")
_CTRL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A path of this app: starts with one "/", no scheme, no "//" or "\" (protocol-relative tricks).
_URL_RE = re.compile(r"^/(?![/\\])[^\s\\]*$")


class WorkspaceError(ValueError):
    """A refused write; the message is safe to show to the officer."""


class NotFound(WorkspaceError):
    pass


class Forbidden(WorkspaceError):
    pass


class Conflict(WorkspaceError):
    pass


class Malformed(WorkspaceError):
    """The request itself is malformed (answered 400)."""


def check_indicator(indicator: str | None) -> str | None:
    """A catalogue indicator id (or None)."""
    if indicator in (None, ""):
        return None
    if not isinstance(indicator, str) or not _INDICATOR_RE.match(indicator):
        raise WorkspaceError("unknown indicator")
    try:
        from indicators.catalogue import catalogue

        known = catalogue()
    except Exception:  # noqa: BLE001 - catalogue unavailable: the pattern check above stands
        return indicator
    if indicator not in known:
        raise WorkspaceError(f"unknown indicator {indicator!r}")
    return indicator


def check_code(conn: Connection, code: str | None) -> str | None:
    """A territory code of the store (commune, arrondissement, T1, T2 …, MGP, D94…) or None."""
    if code in (None, ""):
        return None
    if not isinstance(code, str) or not _CODE_RE.match(code):
        raise WorkspaceError("unknown territory code")
    if store(conn.engine).knows_territory(code) is False:  # the data provider (issue #12)
        raise WorkspaceError(f"unknown territory code {code!r}")
    return code


def check_text(text: Any, what: str, max_len: int) -> str:
    if not isinstance(text, str) or not text.strip():
        raise WorkspaceError(f"{what} is empty")
    text = text.strip().replace("\r\n", "\n")
    if len(text) > max_len or _CTRL_RE.search(text):
        raise WorkspaceError(f"{what} is too long or holds control characters")
    return text


def check_date(value: Any, what: str = "date") -> date:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError as exc:
            raise WorkspaceError(f"{what} is not a date (YYYY-MM-DD)") from exc
    if not isinstance(value, date) or not 1900 <= value.year <= 2100:
        raise WorkspaceError(f"{what} is not a date (YYYY-MM-DD)")
    return value


def check_url(url: Any) -> str:
    """A path (and query) of this app, never another site."""
    if not isinstance(url, str) or len(url) > MAX_URL or not _URL_RE.match(url.strip()):
        raise WorkspaceError("a saved view is an address of this site starting with '/'")
    return url.strip()


def check_version(version: Any) -> int:
    """The version an edit is based on: a whole number (not "abc", 1.5, 1e400 nor true)."""
    if isinstance(version, str) and version.isascii() and version.isdigit() and len(version) <= 9:
        return int(version)
    if isinstance(version, int) and not isinstance(version, bool) and 0 <= version < 10**9:
        return version
    raise Malformed("the version read is missing or not a whole number: reload the note")
