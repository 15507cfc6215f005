"""User-facing strings of the pages: the entry point of ``layouts`` to the one catalogue
(``config.texts``: ``config/texts/*.yaml``, French and English; indicator labels come from the
indicators' catalogue).

``t("nav.map", "en")`` returns the English text; ``t("kpi.since", "fr", year=2016)`` fills
``{year}``. An unknown key raises ``KeyError`` (tests check that every key has both languages).
**A new string goes into ``config/texts/<domain>.yaml``** (``app.yaml`` for the pages), never
into a dict here. ``{home_…}`` placeholders: see ``config.texts``.
"""

from __future__ import annotations

from config.texts import DEFAULT_LANG, LANGS, TEXT, home_words, set_home_words, t, text

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "TEXT",
    "dropdown_labels",
    "home_words",
    "norm_lang",
    "ordinal",
    "set_home_words",
    "t",
]


def dropdown_labels(lang: str) -> dict[str, str]:
    """The texts of a Dash ``dcc.Dropdown`` (``labels=``) in ``lang``: Dash writes them in English."""
    keys = ("select_all", "deselect_all", "selected_count", "search", "clear_search", "clear_selection")
    labels = {k: text(f"dd.{k}", lang) for k in keys}
    labels["no_options_found"] = t("dd.none", lang)
    return labels


def norm_lang(value: str | None) -> str:
    """``"en"`` or ``"fr"`` (anything else falls back to French)."""
    return value if value in LANGS else DEFAULT_LANG


def ordinal(rank: int, n: int, lang: str) -> str:
    """« 1er / 130 », « 12e / 130 »; English « 1st of 130 », « 12th of 130 »."""
    if lang == "en":
        suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
        return f"{rank}{suffix} of {n}"
    return f"{rank}{'er' if rank == 1 else 'e'} / {n}"
