"""Officers' public notes and targets on the public cards they belong to (issue #11).

A note marked public about an indicator and/or a territory is printed under the trend card of
that indicator on that territory's profile (dated, without its author, as plain text: React
escapes it); a public target is drawn on the chart as a dashed line labelled in plain text
(``workspace.overlay.add_target``), or stated under the card when the chart does not draw the
indicator's own unit (a count drawn as an index or a change over one year).

The notes and targets are read through the workspace store module (``workspace.store``: no SQL
here) and kept in the data cache for ``TTL`` seconds per data version and store: the card itself stays cached by
data version (``callbacks.data.cached``) while an officer's new note shows within ``TTL``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
from dash import html

from callbacks import data
from callbacks.engine import get_engine
from figures import compare
from indicators.cache import data_cache

TTL = 30.0  # seconds: officers' notes change without a new data version
_generation = [0]  # ``clear`` (tests): a new namespace in the cache for this process


def _engine() -> Any:
    import workspace  # noqa: PLC0415 - the workspace package is optional for the public pages

    state = workspace.get_state()
    return state.engine if state is not None else get_engine()


def _cached(key: tuple, compute: Callable[[], Any]) -> Any:
    # the data cache (shared by the workers with Redis), for ``TTL`` seconds: the officers' store
    # is in the key, with the data version the cards are cached by
    engine = _engine()
    parts = ("officer", _generation[0], engine.url.render_as_string(hide_password=True), *key)
    return data_cache().get_or_set(data.data_version(), parts, compute, timeout=TTL)


def public_notes(indicator: str, code: str) -> list[dict[str, Any]]:
    """Live public notes about ``indicator`` on ``code`` (or on either alone), newest first, without
    their authors (the public view names no officer)."""
    from workspace.store import notes_for  # noqa: PLC0415

    def read() -> list[dict[str, Any]]:
        rows = notes_for(_engine(), indicator, code, public_only=True)
        return [{"note_date": r["note_date"], "body": r["body"]} for r in rows]

    return _cached(("notes", indicator, code), read)


def public_target(indicator: str, code: str) -> dict[str, Any] | None:
    """The live public target of ``indicator`` for ``code``, or None."""
    from workspace.store import targets_for  # noqa: PLC0415

    def read() -> dict[str, Any] | None:
        rows = targets_for(_engine(), indicator, code, public_only=True)
        keep = ("value", "target_date", "label")
        return {k: rows[0][k] for k in keep} if rows else None

    return _cached(("target", indicator, code), read)


def _latest(indicator: str, code: str) -> float | None:
    """The latest value of ``code`` (distance to the target)."""
    frame = data.series(indicator, [code]).dropna(subset=["value"])
    if frame.empty:
        return None
    order = [c for c in ("year", "month") if c in frame.columns]
    return float(frame.sort_values(order)["value"].iloc[-1])


def on_card(out: tuple, indicator: str, code: str, lang: str, *, draw: bool = True) -> tuple:
    """A ``callbacks.cards.graph_outputs`` tuple with the public notes under the card (after the
    source line) and the public target on its chart (a copy: the cached figure is not changed).
    ``draw=False``: the target in words under the card (a chart whose value axis is not the
    territory's own over time, e.g. the ranking of the territories)."""
    from layouts.workspace import public_notes_block  # noqa: PLC0415
    from workspace.overlay import add_target, distance_text  # noqa: PLC0415

    notes, target = public_notes(indicator, code), public_target(indicator, code)
    if not notes and target is None:
        return out
    fig, source, *rest = out
    extra: list[Any] = []
    if target is not None:
        ind = data.indicator(indicator)
        latest = _latest(indicator, code)
        if not draw or compare.is_count(ind.unit):  # drawn as an index or a change: in words
            text = distance_text(target, latest, ind.unit, ind.decimals, lang)
            extra.append(html.P(text, className="public-target small mb-1"))
        else:
            fig = add_target(go.Figure(fig), target, latest, ind.unit, ind.decimals, lang)
    block = public_notes_block(notes, lang)
    if block is not None:
        extra.append(block)
    source = [*(source if isinstance(source, list) else [source] if source else []), *extra]
    return (fig, source, *rest)


def clear() -> None:
    """Forget the notes and targets read (tests)."""
    _generation[0] += 1
