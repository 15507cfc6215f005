"""URL state (pure): parse and build query strings, and keep controls consistent.

Every view is a link: ``/carte?indicateur=unemployment_rate&annee=2022&perimetre=mgp&lang=en``.
Parameters: ``lang`` (fr | en), ``indicateur`` (catalogue id), ``annee`` (vintage), ``perimetre``
(territoire | mgp; ``gosb`` still read), ``classes`` (quantiles | jenks), ``territoires``
(comma-separated codes, groups as ``group:94041+94081``). Values stay strings (lists for ``territoires``) from URL to controls.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, quote

from callbacks.data import home_year, home_years
from callbacks.data import indicator as get_indicator  # vintages read from the store
from layouts.i18n import DEFAULT_LANG, norm_lang

#: Order of the parameters in generated URLs (others follow, alphabetically).
ORDER = ("indicateur", "annee", "perimetre", "classes", "territoires", "lang")
LIST_PARAMS = ("territoires",)


def parse_query(search: str | None) -> dict[str, str]:
    """``"?a=1&b=x"`` → ``{"a": "1", "b": "x"}`` (last value wins; ``+`` is kept as a space)."""
    return dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=False))


def lang_of(search: str | None) -> str:
    """The language asked for by a query string (French by default)."""
    return norm_lang(parse_query(search).get("lang"))


def split_list(value: str | None) -> list[str]:
    """``"94081,T6, MGP"`` → ``["94081", "T6", "MGP"]`` (duplicates and blanks dropped)."""
    return list(dict.fromkeys(p.strip() for p in (value or "").split(",") if p.strip()))


def build_query(state: dict[str, Any], lang: str = DEFAULT_LANG) -> str:
    """``{"indicateur": "x", "territoires": ["a", "b"]}`` → ``"?indicateur=x&territoires=a,b"``.

    Empty values are left out; ``lang`` is added only when it is not French.
    """
    items = {k: v for k, v in state.items() if v not in (None, "", []) and k != "lang"}
    if lang != DEFAULT_LANG:
        items["lang"] = lang
    keys = sorted(items, key=lambda k: (ORDER.index(k) if k in ORDER else len(ORDER), k))
    parts = []
    for key in keys:
        value = items[key]
        text = ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        parts.append(f"{key}={quote(text, safe=',:+')}")
    return "?" + "&".join(parts) if parts else ""


def href(path: str, state: dict[str, Any] | None = None, lang: str = DEFAULT_LANG) -> str:
    """A link to ``path`` with ``state`` in its query string (and the language)."""
    return path + build_query(state or {}, lang)


def year_options(indicator_id: str) -> list[dict[str, str]]:
    """The vintages of an indicator, latest first, as select options: those with data for the
    home and its communes when it lies outside the metropolis (``home_years``, issue #11)."""
    ind = get_indicator(indicator_id)
    return [{"label": str(y), "value": str(y)} for y in sorted(home_years(ind), reverse=True)]


def normalise_year(
    state: dict[str, Any], lang: str
) -> tuple[dict[str, Any], dict[str, list[dict[str, str]]]]:
    """Keep ``annee`` among the vintages offered for ``indicateur`` (else its latest with data for
    the home); offer those vintages."""
    out = dict(state)
    ind_id = out.get("indicateur")
    try:
        ind = get_indicator(ind_id)
    except KeyError:
        return out, {}
    if "annee" in out:
        years = [str(y) for y in home_years(ind)]
        if out.get("annee") not in years:  # the latest with data for the home (issue #11)
            out["annee"] = str(home_year(ind)) if years else ""
        return out, {"annee": year_options(ind.id)}
    return out, {}
