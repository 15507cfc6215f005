"""« D'où vient ce chiffre ? »: the inputs and the arithmetic behind one value (issue #15).

``explain(engine, indicator, territory, year)`` returns, as a JSON-ready dict, everything needed to
check a published value by hand: the member communes with their numerator and denominator (or
value) and the variables they are made of, the communes left out (secret, missing), the formula
with its numbers filled in (French and English), the status (complete, partial n/N, not
aggregable and why, published value used), the source files (producer, vintage, licence, URL,
sha256, load date), the harmonisation applied (merged communes, Paris rule) and the quality flags
that touch it. It reads through ``indicators.query`` (cached per data version) and computes the
value with the very functions of ``indicators.service``: the figures shown are the published ones.
Wording and the inputs CSV are in ``indicators.explain_text``; the recompute script in
``indicators.recipe``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from etl.registry import variables as declared_variables
from indicators import explain_text, recipe, service
from indicators.catalogue import Indicator, get_indicator
from indicators.geo import GEO_VINTAGE, Territory, TerritoryError
from indicators.periods import VALID, Period, resolve_periods
from indicators.query import store
from indicators.serialise import clean, public_row
from indicators.vintages import resolve as resolve_vintages

#: Flag kinds that describe how a file was put on the current map (shown as « harmonisation »).
HARMONISATION = (
    "merged_commune",
    "not_comparable_after_merger",
    "filosofi_only_row",
    "city_from_arrondissements",
    "paris_residual_added",
    "supra_missing_merged_commune",
)
PARIS = "75056"


def explain(
    engine: sa.Engine,
    indicator_id: str,
    territory: str,
    year: int | None = None,
    month: int | None = None,
    min_coverage: float = 0.5,
) -> dict[str, Any]:
    """The explanation of one value (see the module docstring).

    Raises like ``service.values``: ``KeyError`` (indicator), ``TerritoryError`` (code; a single
    territory is expected) and ``PeriodError`` (no data for that period).
    """
    ind = resolve_vintages(engine, get_indicator(indicator_id))  # change base years of new vintages
    places = service.resolve(engine, territory)
    if len(places) != 1:
        raise TerritoryError("explain takes a single territory (one code or one group)")
    place = places[0]
    year, month = service._period(engine, ind, year, month)
    row = service.value_rows(engine, ind.id, place.code, year, month, min_coverage)[0]
    st = store(engine)
    view, _ = st.commune_table(ind, year, month)
    periods = _periods(st, ind, year, month)
    obs = _inputs(st, ind, periods, [*place.members, place.code])
    names = st.territories().names
    members = _members(ind, view, place, obs, names)
    result = public_row(row, ind, "fr")
    result.pop("formatted", None)
    official = result["method"] == "official"
    used = [m for m in members if m["covered"]] if result["method"] in ("sum", "commune") else []
    terms = _term_sums(ind, obs, used, periods)
    source_ids = sorted(
        set(obs.loc[obs["code"].isin([place.code] if official else place.members), "source_id"]) - {None}
    )
    # a published value of the territory itself: only what touches that value
    touched = [place.code] if official else [*place.members, place.code]
    flags = _flags(st, ind, periods, touched, source_ids)
    body = {
        "indicator": _indicator_meta(ind),
        "territory": {
            "code": place.code,
            "name": place.name,
            "level": place.level,
            "members": list(place.members),
        },
        "year": year,
        "month": month,
        "periods": {"numerator": list(periods[0]), "denominator": list(periods[1]) if periods[1] else None},
        "result": result,
        "members": members,
        "left_out": [m for m in members if not m["covered"]],
        "official": _official(view, place.code) if official else None,
        "terms": terms,
        "sums": {**{role: _sum(used, role) for role in ("numerator", "denominator")}, "n_used": len(used)},
        "sources": _sources(st, source_ids, periods),
        "harmonisation": [f for f in flags if f["kind"] in HARMONISATION],
        "flags": [f for f in flags if f["kind"] not in HARMONISATION],
    }
    body["merged"] = _merged(st, body["harmonisation"])
    body["paris_rule"] = PARIS in place.members and not official
    body["text"] = {lang: explain_text.texts(body, lang) for lang in ("fr", "en")}
    body["script"] = recipe.availability(body)
    return body


def _periods(st: Any, ind: Indicator, year: int, month: int) -> tuple[Period, Period | None]:
    """Numerator and denominator periods, resolved as the commune table resolves them."""
    return resolve_periods(ind, year, month, {v: st.periods(v) for v in ind.formula.variables})


def _inputs(st: Any, ind: Indicator, periods: tuple, codes: Sequence[str]) -> pd.DataFrame:
    """Observations of the formula's variables at its periods, for some codes (one row each)."""
    num_vars = [t.variable for t in ind.formula.numerator]
    den_terms = ind.formula.numerator if ind.formula.kind == "change" else ind.formula.denominator
    parts = [st.observations(num_vars, [periods[0]]).assign(role="numerator")]
    if periods[1] is not None:
        den_vars = [t.variable for t in den_terms]
        parts.append(st.observations(den_vars, [periods[1]]).assign(role="denominator"))
    obs = pd.concat(parts, ignore_index=True)
    return obs.loc[obs["code"].isin(list(codes))].reset_index(drop=True)


def _members(
    ind: Indicator, view: Any, place: Territory, obs: pd.DataFrame, names: dict[str, str]
) -> list[dict[str, Any]]:
    """One row per member commune: numerator, denominator, value, status and the variables read."""
    pos = view.index.get_indexer(list(place.members))
    out = []
    for code, i in zip(place.members, pos, strict=True):
        rows = obs.loc[obs["code"] == code]
        inputs = [
            {
                "role": r["role"],
                "variable": r["variable"],
                "year": int(r["year"]),
                "month": int(r["month"]),
                "value": clean(r["value"]),
                "status": r["status"],
                "source": r["source_id"],
            }
            for r in rows.to_dict("records")
        ]
        out.append(
            {
                "code": code,
                "name": names.get(code, code),
                "numerator": clean(view.numerator[i]) if i >= 0 else None,
                "denominator": clean(view.denominator[i]) if i >= 0 else None,
                "value": clean(view.value[i]) if i >= 0 else None,
                "status": str(view.status[i]) if i >= 0 else "missing",
                "covered": bool(view.covered[i]) if i >= 0 else False,
                "inputs": inputs,
            }
        )
    return out


def _sum(used: list[dict[str, Any]], role: str) -> float | None:
    """The members' sum, in member order, as ``aggregate`` sums them (numpy): the same float."""
    values = [m[role] for m in used]
    if not values or any(v is None for v in values):
        return None
    return clean(float(np.asarray(values, dtype=float).sum()))


def _term_sums(
    ind: Indicator, obs: pd.DataFrame, used: list[dict[str, Any]], periods: tuple
) -> dict[str, list[dict[str, Any]]]:
    """Each variable of the numerator and denominator, summed over the communes used."""
    codes = [m["code"] for m in used]
    f = ind.formula
    out: dict[str, list[dict[str, Any]]] = {}
    den_terms = f.numerator if f.kind == "change" else f.denominator
    for role, terms, period in (
        ("numerator", f.numerator, periods[0]),
        ("denominator", den_terms, periods[1]),
    ):
        if period is None or not terms:
            continue
        part = obs.loc[(obs["role"] == role) & obs["code"].isin(codes) & obs["status"].isin(VALID)]
        out[role] = [
            {
                "variable": t.variable,
                "coef": t.coef,
                "year": period[0],
                "month": period[1],
                "sum": clean(float(part.loc[part["variable"] == t.variable, "value"].sum()))
                if codes
                else None,
            }
            for t in terms
        ]
    return out


def _official(view: Any, code: str) -> dict[str, Any]:
    i = view.index.get_indexer([code])[0]
    return {"code": code, "value": clean(view.value[i]), "status": str(view.status[i])}


def _indicator_meta(ind: Indicator) -> dict[str, Any]:
    meta = ind.to_dict()
    labels = declared_variables()
    meta["variable_labels"] = {
        v: {"fr": labels[v].label_fr, "en": labels[v].label_en} if v in labels else {"fr": v, "en": v}
        for v in ind.formula.variables
    }
    return meta


def _sources(st: Any, source_ids: list[str], periods: tuple) -> list[dict[str, Any]]:
    """Each source read, with the raw files of the years read (files named by year: that year only)."""
    known = st.sources()
    files = st.raw_files()
    years = {p[0] for p in periods if p}
    out = []
    for sid in source_ids:
        src = known.get(sid, {"id": sid})
        rows = files.get(sid, [])
        dated = [r for r in rows if _file_year(r["file_key"]) is not None]
        if dated:  # e.g. Filosofi com2020, DVF y2022: only the files of the years read
            rows = [
                r for r in rows if _file_year(r["file_key"]) in years or _file_year(r["file_key"]) is None
            ]
        out.append(
            {
                **{k: src.get(k) for k in ("id", "title_fr", "title_en", "producer", "dataset", "vintage")},
                **{k: src.get(k) for k in ("licence", "licence_url", "page_url", "credit_fr", "credit_en")},
                "files": [
                    {
                        "file_key": r["file_key"],
                        "path": r["path"],
                        "url": r["url"],
                        "sha256": r["sha256"],
                        "size": r["size"],
                        "rows": r["rows"],
                        "origin": r["origin"],
                        "loaded_at": str(r["loaded_at"]),
                    }
                    for r in rows
                ],
            }
        )
    return out


def _file_year(key: str) -> int | None:
    digits = "".join(ch for ch in key if ch.isdigit())
    return int(digits) if len(digits) == 4 else None


def _flags(
    st: Any, ind: Indicator, periods: tuple, codes: Sequence[str], source_ids: list[str]
) -> list[dict[str, Any]]:
    """Quality flags on these codes, variables and years (or file-wide ones of the sources read)."""
    flags = st.quality_flags(ind.formula.variables)
    if flags.empty:
        return []
    years = {p[0] for p in periods if p}
    year_ok = flags["year"].isna() | flags["year"].isin(list(years))
    on_code = flags["code"].isin(list(codes)) & flags["variable"].notna()
    file_wide = flags["code"].isna() & flags["source_id"].isin(source_ids)
    keep = flags.loc[year_ok & (on_code | file_wide)].drop_duplicates()
    return [{k: clean(v) for k, v in r.items()} for r in keep.to_dict("records")]


def _merged(st: Any, harmonisation: list[dict[str, Any]]) -> dict[str, str]:
    """Old code → current commune for the merged communes the flags mention (93059 → 93066).

    The store keeps the 2024 and 2025 memberships: a commune listed in 2024 but not in 2025, in
    the same territory as the commune flagged as its merger, is the one that was folded into it.
    """
    heirs = {f["code"] for f in harmonisation if f["kind"] in HARMONISATION[:2] and f["code"]}
    if not heirs:
        return {}
    by_year = st.memberships()
    old, new = by_year.get(GEO_VINTAGE - 1, {}), by_year.get(GEO_VINTAGE, {})
    gone = {c: groups for c, groups in old.items() if c not in new}
    out = {}
    for heir in sorted(heirs):
        home = {g for g in new.get(heir, ()) if g.startswith("T") or g.startswith("D")}
        for code, groups in sorted(gone.items()):
            if home and home <= set(groups):
                out[code] = heir
    return out
