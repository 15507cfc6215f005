"""One way to attach callbacks to an app: declare them here, register them with Dash's public API.

Callback modules decorate their functions with ``callback`` / call ``clientside_callback`` from
this module (same arguments as Dash's). Nothing reaches Dash's process-wide callback list: the
declarations are kept here, and ``attach(app, group)`` registers them on *that* app with
``app.callback`` and ``app.clientside_callback``. So several Dash apps in one process (tests build
small ones) never take each other's callbacks, and the observatory needs no private Dash module.

``group`` separates what every app has ("public") from what only the officers' workspace adds
("workspace"); ``app.create_app`` attaches the groups its mode allows. The decorated function is
returned unchanged, so tests import and call it directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dash import Dash


@dataclass(frozen=True)
class Declared:
    """One declared callback: server-side (``func`` set) or client-side (``func`` None)."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    func: Callable[..., Any] | None
    group: str


DECLARED: list[Declared] = []


def callback(*args: Any, group: str = "public", **kwargs: Any) -> Callable[[Callable], Callable]:
    """Like ``dash.callback``: declare a server-side callback of ``group``."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        DECLARED.append(Declared(args, kwargs, func, group))
        return func

    return decorate


def clientside_callback(*args: Any, group: str = "public", **kwargs: Any) -> None:
    """Like ``dash.clientside_callback``: declare a client-side callback of ``group``."""
    DECLARED.append(Declared(args, kwargs, None, group))


def attach(app: Dash, groups: tuple[str, ...] = ("public",)) -> int:
    """Register on ``app`` every callback declared for ``groups``; returns how many."""
    count = 0
    for item in DECLARED:
        if item.group not in groups:
            continue
        if item.func is None:
            app.clientside_callback(*item.args, **item.kwargs)
        else:
            app.callback(*item.args, **item.kwargs)(item.func)
        count += 1
    return count
