"""Registry of pages: the router and the navigation are built from it.

A page is a path template (``/commune/<code>``), a ``build`` function (``Request`` → ``PageResult``,
in ``callbacks/``: it checks the URL, reads what the layout needs and calls a ``layouts`` builder),
an optional navigation label, and an optional ``normalise`` hook that keeps the URL-synchronised
controls consistent (e.g. the vintages offered for the chosen indicator). Adding a page (the
presentation mode, the officers' workspace…) is one ``register(Page(...))`` call.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dash.development.base_component import Component

#: (state, lang) -> (normalised state, {param name: options}); state values are strings or lists.
Normaliser = Callable[[dict[str, Any], str], tuple[dict[str, Any], dict[str, list[dict[str, str]]]]]


@dataclass(frozen=True)
class Request:
    """What a page is asked for: path parameters, query parameters and language."""

    path: str
    args: dict[str, str]
    query: dict[str, str]
    lang: str


@dataclass
class PageResult:
    """A built page: its layout, the document title, and whether to show the navigation."""

    layout: Component
    title: str
    chrome: bool = True


class PageError(Exception):
    """A URL that names something unknown (commune, indicator, year…): shown as a friendly page."""

    def __init__(self, message: str, links: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.links = links or []


@dataclass(frozen=True)
class Page:
    """One page of the app (see the module docstring)."""

    key: str
    path: str
    build: Callable[[Request], PageResult]
    nav: str | None = None  # i18n key of the navigation label
    order: int = 100
    normalise: Normaliser | None = None
    #: A quick check of the URL (``PageError`` if it names something unknown), used for the HTTP
    #: status of the first load (``callbacks.status``); without it, ``build`` is the check.
    check: Callable[[Request], Any] | None = None
    pattern: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", self.path.rstrip("/") or "")
        object.__setattr__(self, "pattern", re.compile(f"^{regex}/?$"))


PAGES: dict[str, Page] = {}


def register(page: Page) -> Page:
    """Add (or replace) a page."""
    PAGES[page.key] = page
    return page


def match(pathname: str | None) -> tuple[Page, dict[str, str]] | None:
    """The page serving ``pathname`` and its path parameters, or None."""
    path = pathname or "/"
    for page in sorted(PAGES.values(), key=lambda p: p.order):
        found = page.pattern.match(path)
        if found:
            return page, found.groupdict()
    return None


def nav_pages() -> list[Page]:
    """Pages shown in the navigation, in order."""
    return sorted((p for p in PAGES.values() if p.nav), key=lambda p: p.order)


def exists(pathname: str | None, query: dict[str, str], lang: str) -> bool:
    """Whether ``pathname`` is a page and its URL names only known things (``check`` or ``build``
    raises no ``PageError``). Other errors count as existing: the router shows them politely."""
    found = match(pathname)
    if found is None:
        return False
    page, args = found
    probe = page.check or page.build
    try:
        probe(Request(pathname or "/", args, query, lang))
    except PageError:
        return False
    except Exception:  # noqa: BLE001 - e.g. no store yet: the page says so itself
        return True
    return True
