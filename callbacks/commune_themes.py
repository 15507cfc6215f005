"""The themes of a commune profile: one at a time, in the URL (``?theme=logement``).

The theme and the indicator in detail stay consistent: the indicator list offers the theme's
indicators only; a theme link opens the theme on its lead indicator; a URL naming only an
indicator (older links, the catalogue's links) opens that indicator's theme. Themes come in the
catalogue's headline order (employment first).
"""

from __future__ import annotations

from typing import Any

import indicators as ind_api
from callbacks import data
from callbacks.state import href, normalise_year
from indicators.catalogue import headline_themes, headlines


def order() -> tuple[str, ...]:
    """Themes with at least one indicator, employment first (``headline_themes``)."""
    known = ind_api.themes()
    return tuple(th for th in headline_themes() if th in known and known[th].indicators)


def indicators_of(theme: str) -> list[str]:
    """The theme's indicators: its headline ones in their order, then the others (catalogue order)."""
    return list(dict.fromkeys([*headlines(theme), *ind_api.themes()[theme].indicators]))


def lead(theme: str) -> str:
    """The indicator a theme opens on: the app's default one if it belongs to the theme, else the
    first headline rate or share (a count is not compared with the metropolis), else the first."""
    ids = indicators_of(theme)
    if data.DEFAULT_INDICATOR in ids:
        return data.DEFAULT_INDICATOR
    rates = [i for i in ids if data.indicator(i).unit != "count" and not data.indicator(i).months]
    return (rates or ids)[0]


def theme_of(ind_id: str | None) -> str:
    """The theme of an indicator (the first theme if unknown)."""
    try:
        return data.indicator(ind_id).theme
    except KeyError:
        return order()[0]


def normalise(state: dict[str, Any], lang: str) -> tuple[dict[str, Any], dict[str, list[dict[str, str]]]]:
    """The profile's ``normalise`` hook: a known theme (else the indicator's), an indicator of that
    theme (else its lead one), a vintage of that indicator; the options that go with them."""
    out = dict(state)
    theme = out.get("theme")
    if theme not in order():
        theme = theme_of(out.get("indicateur"))
    if out.get("indicateur") not in indicators_of(theme):
        out["indicateur"] = lead(theme)
    out["theme"] = theme
    out, options = normalise_year(out, lang)
    return out, {**options, "indicateur": indicator_options(theme, lang)}


def indicator_options(theme: str, lang: str) -> list[dict[str, str]]:
    return [{"label": data.label(data.indicator(i), lang), "value": i} for i in indicators_of(theme)]


def theme_options(lang: str) -> list[dict[str, str]]:
    return [{"label": data.theme_label(th, lang), "value": th} for th in order()]


def tabs(code: str, lang: str) -> list[tuple[str, str, str]]:
    """(theme, label, link) of each theme of commune ``code``'s profile."""
    return [
        (
            th,
            data.theme_label(th, lang),
            href(f"/commune/{code}", {"theme": th, "indicateur": lead(th)}, lang),
        )
        for th in order()
    ]
