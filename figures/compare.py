"""Meaningful comparisons (pure): a count is never set beside a place thousands of times larger.

Charts that compare places of different sizes show, for counts, either values per 1,000
inhabitants (bars of one vintage), an index (base 100 at the first common vintage: trends over
years) or the change over one year in % (monthly series, which also removes the seasons).
Rates, shares, medians and other values are already comparable and are left as they are.

Frames: ``code``, ``name``, ``value``, ``year`` (and ``month`` for monthly series).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import numpy as np
import pandas as pd

from indicators.catalogue import Indicator
from indicators.evolution import comparable_year

#: Above this ratio between the largest and the smallest place, counts are not comparable.
MAX_RATIO = 10.0


def is_count(unit: str) -> bool:
    return unit == "count"


def index_base100(frame: pd.DataFrame) -> tuple[pd.DataFrame, int | None]:
    """Values as an index, base 100 at the first vintage every place has (per ``code``).

    Returns the frame with ``value`` replaced by the index (and the count kept in ``raw``) and the
    base year; a place without a positive value at the base year gets no index (NaN).
    """
    data = frame.dropna(subset=["value"])
    if data.empty:
        return frame.assign(raw=frame["value"], value=np.nan), None
    years = [set(part["year"].astype(int)) for _, part in data.groupby("code")]
    common = set.intersection(*years) if years else set()
    base_year = int(min(common)) if common else int(data["year"].min())
    base = data[data["year"].astype(int) == base_year].set_index("code")["value"]
    base = base[base > 0]
    out = frame.assign(raw=frame["value"])
    out["value"] = [
        100.0 * v / base[c] if c in base.index and pd.notna(v) else np.nan
        for c, v in zip(out["code"], out["raw"], strict=True)
    ]
    return out, base_year


def year_on_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Monthly values as their change over one year in % (same month of the previous year); the
    first twelve months have none. The count is kept in ``raw``."""
    out = frame.assign(raw=frame["value"]).copy()
    key = out.set_index(["code", out["year"].astype(int), out["month"].astype(int)])["raw"]
    before = [
        key.get((c, int(y) - 1, int(m)), np.nan)
        for c, y, m in zip(out["code"], out["year"], out["month"], strict=True)
    ]
    prev = np.asarray(before, dtype=float)
    raw = out["raw"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["value"] = np.where(prev > 0, 100.0 * (raw - prev) / prev, np.nan)
    return out


def per_inhabitant(frame: pd.DataFrame, population: pd.DataFrame, per: int = 1000) -> pd.DataFrame:
    """Counts per ``per`` inhabitants; ``population``: ``code``, ``year``, ``value``. Each count is
    divided by the population of the latest vintage at or before its own (census populations
    lag the yearly counts); none before the first census vintage. The count is kept in ``raw``."""
    pop = population.dropna(subset=["value"])
    out = frame.assign(raw=frame["value"]).copy()
    values = []
    for code, year, raw in zip(out["code"], out["year"], out["raw"], strict=True):
        cand = pop[(pop["code"] == code) & (pop["year"].astype(int) <= int(year))]
        if cand.empty or pd.isna(raw):
            values.append(np.nan)
            continue
        p = float(cand.sort_values("year")["value"].iloc[-1])
        values.append(per * float(raw) / p if p > 0 else np.nan)
    out["value"] = values
    return out


def comparable(frame: pd.DataFrame, max_ratio: float = MAX_RATIO) -> bool:
    """Whether the positive values of ``frame`` are within ``max_ratio`` of one another."""
    vals = frame["value"].dropna()
    vals = vals[vals > 0]
    return vals.empty or float(vals.max()) <= max_ratio * float(vals.min())


def same_scale(frame: pd.DataFrame, keep: str | None = None, max_ratio: float = MAX_RATIO) -> pd.DataFrame:
    """The rows of ``frame`` within ``max_ratio`` of the value of ``keep`` (the place looked at; the
    first row by default): what is left of a count comparison when no rate can be computed."""
    if frame.empty:
        return frame
    ref_rows = frame[frame["code"] == keep] if keep is not None else frame.iloc[:1]
    ref = float(ref_rows["value"].iloc[0]) if len(ref_rows) else float("nan")
    if not np.isfinite(ref) or ref <= 0:
        return frame
    vals = frame["value"].astype(float)
    ok = (vals <= ref * max_ratio) & (vals >= ref / max_ratio)
    return frame[ok | (frame["code"] == keep)]


def bar_values(
    frame: pd.DataFrame,
    unit: str,
    population: pd.DataFrame | None = None,
    keep: str | None = None,
    max_ratio: float = MAX_RATIO,
) -> tuple[pd.DataFrame, str]:
    """(frame, kind) of what a comparison of places draws, for the chart and its data table alike:
    counts of places of very different sizes per 1,000 inhabitants (kind ``per_1000``, the count
    kept in ``raw``) when ``population`` is given, else only the places of the same order of size
    as ``keep`` (kind ``same_scale``); any other values as they are (kind ``""``)."""
    if not is_count(unit) or comparable(frame, max_ratio):
        return frame, ""
    if population is not None and "year" in frame.columns:
        return per_inhabitant(frame, population), "per_1000"
    return same_scale(frame, keep, max_ratio).reset_index(drop=True), "same_scale"


def axis_text(kind: str, lang: str, base_year: int | None = None, per: int = 1000) -> str:
    """Axis title of a transformed view, French or English."""
    if kind == "index":
        return f"Indice, base 100 en {base_year}" if lang == "fr" else f"Index, {base_year} = 100"
    if kind == "yoy":
        return "Évolution sur un an (%)" if lang == "fr" else "Change over one year (%)"
    if kind == "per_1000":
        return "Pour 1 000 habitants" if lang == "fr" else "Per 1,000 inhabitants"
    return ""


def census_rule(ind: Indicator | None) -> bool:
    """Whether a trend of ``ind`` joins only comparable vintages (``comparable_chain``): census
    levels (a change indicator is a change already; monthly and other annual series join every
    vintage)."""
    return ind is not None and ind.census and ind.formula.kind != "change" and not ind.months


def comparable_chain(ind: Indicator, years: Iterable[int]) -> list[int]:
    """The vintages among ``years`` a trend line may join: the latest, then its comparable vintage
    (``indicators.evolution.comparable_year``, the one rule of the profile, the fiche and the deck:
    census vintages at least 5 years apart), and so on back; every vintage when the rule does not
    apply (``census_rule``). Census 2018 and 2022 alone give ``[2022]``: nothing to join."""
    have = sorted({int(y) for y in years})
    if not have or not census_rule(ind):
        return have
    own = dataclasses.replace(ind, years=tuple(have))  # the place's own vintages
    chain = [have[-1]]
    while (before := comparable_year(own, chain[-1])) is not None:
        chain.append(before)
    return sorted(chain)
