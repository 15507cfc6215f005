"""Links to « D'où vient ce chiffre ? » (``/explication``, issue #15), for every page and export.

``explain_href("unemployment_rate", "T6", 2022, "fr")`` →
``/explication?indicateur=unemployment_rate&territoire=T6&annee=2022``; ``explain_link`` is the
same as a small link component (pure builders, no data access).
"""

from __future__ import annotations

from urllib.parse import urlencode

from dash import html

from layouts.i18n import t

EXPLAIN_PATH = "/explication"


def explain_href(indicator: str, territory: str, year: int | str | None, lang: str = "fr") -> str:
    """The address of the explanation of one value (a group code's ``+`` is percent-encoded)."""
    params = {"indicateur": indicator, "territoire": territory}
    if year not in (None, ""):
        params["annee"] = str(year)
    if lang == "en":
        params["lang"] = "en"
    return f"{EXPLAIN_PATH}?{urlencode(params)}"


def explain_api_href(
    indicator: str, territory: str, year: int | str | None, fmt: str = "json", lang: str = "fr"
) -> str:
    """The same explanation from the API (``fmt``: json, csv or py)."""
    params = {"indicator": indicator, "territory": territory}
    if year not in (None, ""):
        params["year"] = str(year)
    if fmt != "json":
        params["format"] = fmt
    if lang == "en":
        params["lang"] = "en"
    return f"/api/v1/explain?{urlencode(params)}"


def explain_link(
    indicator: str,
    territory: str,
    year: int | str | None,
    lang: str = "fr",
    label: str = "",
    place: str = "",
    text: str = "",
) -> html.A:
    """« D'où vient ce chiffre ? » (or ``text``) as a small link; ``label``/``place`` make its
    accessible name unique."""
    name = t("xp.link_label", lang, label=label, territory=place or territory, year=year or "")
    return html.A(
        text or t("xp.link", lang),
        href=explain_href(indicator, territory, year, lang),
        className="explain-link small",
        title=name,
        **{"aria-label": name},
    )
