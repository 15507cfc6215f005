"""Helpers shared by the page callbacks: checking URL values (friendly errors), the indicator and
vintage state of a page, and the tidy export of indicator values.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from callbacks import data
from callbacks.exports import Export
from callbacks.registry import PageError, Request
from callbacks.spreadsheet import STATUS_DETAIL
from callbacks.state import year_options
from config.texts import words
from indicators.catalogue import Indicator
from layouts.i18n import t

#: language → column → name of the downloads' columns (``config/texts/downloads.yaml``)
COLS = words("dlcol.")


def q(lang: str) -> str:
    """The language part of an internal link."""
    return "?lang=en" if lang == "en" else ""


def catalogue_links(lang: str) -> list[tuple[str, str]]:
    return [("/indicateurs" + q(lang), t("nav.indicators", lang)), ("/" + q(lang), t("nav.overview", lang))]


def check_indicator(value: str | None, lang: str, default: str = data.DEFAULT_INDICATOR) -> Indicator:
    """The indicator named in the URL (default if absent); ``PageError`` if unknown."""
    try:
        return data.indicator(value or default)
    except KeyError:
        raise PageError(t("err.indicator", lang, value=value), catalogue_links(lang)) from None


def check_year(ind: Indicator, value: str | None, lang: str) -> str:
    """The vintage named in the URL (if absent: the latest with data for the home, issue #11);
    ``PageError`` if the indicator lacks it, or (a home outside the metropolis) if neither the home
    nor its communes have data that year: words, not a page of empty charts."""
    if not value:
        return str(data.home_year(ind))
    links = [(f"/indicateurs/{ind.id}" + q(lang), data.label(ind, lang)), *catalogue_links(lang)]
    if value not in {str(y) for y in ind.years}:
        years = ", ".join(str(y) for y in ind.years)
        raise PageError(t("err.year", lang, value=value, label=data.label(ind, lang), years=years), links)
    offered = data.home_years(ind)
    if value not in {str(y) for y in offered}:
        years = ", ".join(str(y) for y in sorted(offered, reverse=True))
        raise PageError(
            t("err.year_home", lang, value=value, label=data.label(ind, lang), years=years), links
        )
    return value


def check_choice(name: str, value: str | None, choices: tuple[str, ...], lang: str) -> str:
    """A URL value among fixed choices (first one if absent); ``PageError`` otherwise."""
    if not value:
        return choices[0]
    if value not in choices:
        raise PageError(t("err.param", lang, name=name, value=value))
    return value


def indicator_year_state(
    req: Request, default: str = data.DEFAULT_INDICATOR
) -> tuple[Indicator, dict[str, Any], dict[str, Any]]:
    """(indicator, state, defaults) of a page with ``indicateur`` and ``annee`` parameters."""
    ind = check_indicator(req.query.get("indicateur"), req.lang, default)
    year = check_year(ind, req.query.get("annee"), req.lang)
    default_ind = data.indicator(default)
    state = {"indicateur": ind.id, "annee": year}
    defaults = {"indicateur": default_ind.id, "annee": str(data.home_year(default_ind))}
    return ind, state, defaults


def options(ind: Indicator, lang: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Indicator options and the vintage options of ``ind``."""
    return data.indicator_options(lang), year_options(ind.id)


def safe_indicator(value: str | None) -> Indicator:
    """The indicator of a control value, the default one if unknown (callbacks never raise on input)."""
    try:
        return data.indicator(value)
    except KeyError:
        return data.indicator(data.DEFAULT_INDICATOR)


def safe_year(ind: Indicator, value: str | None) -> int:
    """The vintage of a control value if the page offers it (``data.home_years``), else the
    latest with data for the home."""
    try:
        year = int(value or 0)
    except ValueError:
        year = 0
    return year if year in data.home_years(ind) else data.home_year(ind)


def values_export(
    frame: pd.DataFrame, ind: Indicator, lang: str, title: str, extra: tuple[str, ...] = ()
) -> Export:
    """Tidy export of an ``indicators.values``-like frame (one row per territory and vintage)."""
    cols = COLS[lang]
    keep = ["code", "name", "year", "value", "status", *extra]
    if ind.months and "month" in frame.columns:
        keep.insert(3, "month")
    out = data.local_names(frame[[c for c in keep if c in frame.columns]].copy(), lang)  # MGP in English
    out.insert(0, "indicator", ind.id)
    out.insert(len(out.columns) - 1 - len(extra), "unit", ind.unit)
    # how each value was obtained (sum of communes, n of N covered…): the files' status words
    # (``callbacks.spreadsheet.status_word``) say what the API says, then these columns are dropped
    for col in STATUS_DETAIL:
        if col in frame.columns:
            out[col] = frame[col].to_numpy()
    out = out.rename(columns=cols)
    srcs = sorted(
        {s for v in frame.get("sources", pd.Series(dtype=str)).dropna() for s in str(v).split(",") if s}
    )
    # the vintages drawn: those with a value (issue #11: not the 2022 files of Île-de-France,
    # all "n.d." for a home elsewhere); every row when none has one
    valued = frame[frame["value"].notna()] if "value" in frame else frame
    shown = valued if len(valued) else frame
    years = sorted({int(y) for y in shown["year"].dropna()}) if "year" in shown else []
    vintage = ", ".join(map(str, years)) if len(years) <= 3 else f"{years[0]}-{years[-1]}"
    srcs = srcs or list(ind.sources)
    # issue #9.10: one line naming the datasets this indicator reads, at the years shown
    line = data.credit(shown.assign(indicator=ind.id), lang, ind) if len(shown) else data.credit_of(ind, lang)
    return Export(out, title, line, vintage, data.licences(srcs), srcs)


def full_title(ind: Indicator, lang: str, context: str) -> str:
    """« Taux de chômage … — Les 24 communes du Grand-Orly Seine Bièvre, 2022 »: the title of a card's data."""
    return f"{data.label(ind, lang)} — {context}"


def split_title(title: str) -> tuple[str, str]:
    """(title, subtitle) of a figure from a ``full_title``."""
    head, _, tail = title.partition(" — ")
    return head, tail


def frame_back(export: Export, lang: str) -> pd.DataFrame:
    """Back from an export's display columns to ``code, name, year, value…`` for the figure builders."""
    return export.frame.rename(columns={v: k for k, v in COLS[lang].items()})


def source_ids(frame: pd.DataFrame) -> list[str]:
    """Source ids actually read for the values of ``frame`` (its ``sources`` column)."""
    col = frame.get("sources")
    if col is None:
        return []
    return sorted({s for v in col.dropna() for s in str(v).split(",") if s})
