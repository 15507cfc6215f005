"""« En bref » of a commune profile: the catalogue's headline indicators (``headline: N`` in
``indicators/catalogue/*.yaml``), in their declared order, each beside the metropolis.

What an official asks first (jobs, unemployment, housing, incomes) comes first, whatever the
size of the gap; a sentence says whether the commune is above, below or close to the MGP (a home
outside the metropolis: the home, issue #11).
Counts are left out (a commune's count says nothing beside the metropolis's total).
"""

from __future__ import annotations

import math

import pandas as pd

from callbacks import data
from indicators.catalogue import headlines
from layouts.i18n import ordinal, t

N_BRIEF = 5  # sentences of « En bref »
CLOSE = 0.25  # below this many standard deviations of the MGP communes, a value is « close »


def brief_rows(frame: pd.DataFrame, limit: int = N_BRIEF) -> list[dict]:
    """Rows of ``frame`` (a ``profile.commune_profile``) for the headline indicators, in order:
    rates, shares and medians with a value for the commune and the MGP, ``limit`` at most."""
    by_id = {r["id"]: r for r in frame.to_dict("records")}
    out = []
    for ind_id in headlines():
        r = by_id.get(ind_id)
        if r is None or data.indicator(ind_id).unit == "count":
            continue
        if pd.isna(r.get("value")) or pd.isna(r.get(reference())):
            continue
        out.append(r)
    return out[:limit]


def sentence(row: dict, lang: str) -> str:
    """« Taux de chômage … : 14,6 %, au-dessus de la Métropole (11,8 %) ; 12e / 130 »."""
    ind = data.indicator(row["id"])
    m = data.measure(ind, lang, ())
    value, ref = float(row["value"]), float(row[reference()])
    spread = row.get("spread")
    score = (value - ref) / spread if spread and math.isfinite(spread) and spread > 0 else 0.0
    # Close: within a quarter of a standard deviation and 10 % of the MGP's value (both, so that
    # 2.6 beside 4.7 is not called close because the communes are widely spread).
    if round(value - ref, ind.decimals) == 0 or (abs(score) < CLOSE and abs(value - ref) <= 0.1 * abs(ref)):
        how = "brief.close"
    else:
        how = ("brief.well_" if abs(score) >= 1.5 else "brief.") + ("above" if value > ref else "below")
    how += "" if data.home().in_metropolis else "_home"
    rank = row.get("rank")
    rank_text = "" if rank is None or pd.isna(rank) else " ; " + ordinal(int(rank), int(row["n"]), lang)
    if lang == "en":
        rank_text = rank_text.replace(" ; ", "; ranked ")
    return t(how, lang, label=m.label, value=m.fmt(value), ref=m.fmt(ref)) + rank_text + "."


def brief(frame: pd.DataFrame, place: str, lang: str) -> tuple[str, list[str]]:
    """(introduction, one sentence per headline indicator) of a commune's « En bref »."""
    rows = brief_rows(frame)
    if not rows:
        return t("brief.none", lang, place=place), []
    intro = "brief.intro" if data.home().in_metropolis else "brief.intro_home"
    return t(intro, lang, place=place), [sentence(r, lang) for r in rows]


def reference() -> str:
    """The profile column each commune is compared with: the MGP (``scope``) in the metropolis;
    elsewhere the home itself, whose communes give the spread (issue #11)."""
    return "scope" if data.home().in_metropolis else "home"
