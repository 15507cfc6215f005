"""Exact territorial aggregation: pure functions over pandas frames (no SQL here).

Input observations are a long frame with columns ``code, variable, year, month, value, status``
(the ``observation`` table). For one indicator and one period, ``commune_table`` gives every
code's numerator, denominator and value; ``aggregate`` turns it into values for territories:

* a group's value is computed from the *sums* of its members' numerators and denominators
  (ratios of sums, never means of ratios);
* members whose inputs are secret or missing are left out and the result is flagged ``partial``
  with the number of communes covered; below ``min_coverage`` no value is given at all;
* a non-aggregable indicator (medians, published rates) gives no value for a group, with the
  reason, unless the store holds an official value under the group's code (e.g. MGP, D94);
  an official value also replaces an *incomplete* sum (e.g. D91, whose 194 communes are not all
  in the store), never a complete one;
* a territory with a single member is exactly that member.

Rankings (``rank``, ``ranking_table``) are here too; change over time and the 5-year census
guard are in ``indicators.evolution`` (re-exported here).

Result statuses: ``ok``, ``suspect`` (an input is known defective), ``secret``, ``missing``,
``partial``, ``not_aggregable``. ``method`` says how the value was obtained: ``commune``,
``sum`` (aggregate), ``official`` (published supra value) or ``none``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.catalogue import Indicator
from indicators.evolution import CENSUS_MIN_GAP, census_guard, change, compare  # noqa: F401 (re-exported)
from indicators.formula import Term
from indicators.periods import VALID, Period, PeriodError, available_periods, resolve_periods  # noqa: F401

RESULT_COLUMNS = [
    "code",
    "year",
    "month",
    "value",
    "numerator",
    "denominator",
    "status",
    "method",
    "n_members",
    "n_covered",
    "denominator_year",
    "reason",
]


class _Columns:
    """The observation frame as numpy arrays, with the sorted code index (one pass, no groupby)."""

    def __init__(self, obs: pd.DataFrame) -> None:
        if obs.duplicated(["code", "variable", "year", "month"]).any():
            raise ValueError("observations must have one row per (code, variable, year, month)")
        self.code = obs["code"].to_numpy(dtype=object)
        self.variable = obs["variable"].to_numpy(dtype=object)
        self.period = obs["year"].to_numpy(dtype=np.int64) * 100 + obs["month"].to_numpy(dtype=np.int64)
        self.value = obs["value"].to_numpy(dtype=float, na_value=np.nan)
        self.status = obs["status"].to_numpy(dtype=object)
        self.codes = pd.Index(sorted(set(self.code)), name="code", dtype=object)

    def slot(self, variable: str, period: Period) -> tuple[np.ndarray, np.ndarray] | None:
        """Values and statuses of one variable at one period, aligned on ``codes``."""
        mask = (self.variable == variable) & (self.period == period[0] * 100 + period[1])
        if not mask.any():
            return None
        where = self.codes.get_indexer(self.code[mask])
        values = np.full(len(self.codes), np.nan)
        status = np.full(len(self.codes), "missing", dtype=object)
        values[where], status[where] = self.value[mask], self.status[mask]
        return values, status


def _expression(
    cols: _Columns, terms: Sequence[Term], period: Period
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Value of a linear expression by code, plus flags (any secret input, any suspect input)."""
    n = len(cols.codes)
    total, secret, suspect = np.zeros(n), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    for term in terms:
        part = cols.slot(term.variable, period)
        if part is None:
            total[:] = np.nan
            continue
        values, status = part
        total += term.coef * np.where(np.isin(status, VALID), values, np.nan)
        secret |= status == "secret"
        suspect |= status == "suspect"
    return total, secret, suspect


def _transform(ind: Indicator, num, den, years_apart: int | None):
    """Indicator value from numerator and denominator (scalars or arrays); NaN when undefined."""
    f = ind.formula
    with np.errstate(divide="ignore", invalid="ignore"):
        if f.kind in ("count", "value"):
            return num * f.scale
        ratio = np.where(np.asarray(den) != 0, np.asarray(num, dtype=float) / den, np.nan)
        if f.kind == "ratio":
            out = ratio * f.scale
        elif f.annualised and years_apart:
            out = (np.where(ratio > 0, ratio, np.nan) ** (1.0 / years_apart) - 1.0) * f.scale
        else:
            out = (ratio - 1.0) * f.scale
    return out if np.ndim(out) else float(out)


def commune_table(
    ind: Indicator,
    obs: pd.DataFrame,
    year: int,
    month: int = 0,
    available: Mapping[str, Sequence[Period]] | None = None,
) -> pd.DataFrame:
    """Numerator, denominator, value and status of every code present in ``obs`` for one period.

    Index: code. Columns: numerator, denominator, value, status, covered (usable for sums),
    denominator_year. Supra codes (MGP, D94 …) appear like communes: their row is the official value.
    """
    if available is None:
        available = available_periods(obs)
    num_p, den_p = resolve_periods(ind, year, month, available)
    f = ind.formula
    cols = _Columns(obs)
    codes = cols.codes
    num, secret, suspect = _expression(cols, f.numerator, num_p)
    den = np.full(len(codes), np.nan)
    if den_p is not None:
        terms = f.numerator if f.kind == "change" else f.denominator
        den, d_secret, d_suspect = _expression(cols, terms, den_p)
        secret |= d_secret
        suspect |= d_suspect
    covered = np.isfinite(num) & (np.isfinite(den) if den_p is not None else True)
    apart = (num_p[0] - den_p[0]) if den_p is not None else None
    value = np.asarray(_transform(ind, num, den, apart), dtype=float)
    status = np.where(
        np.isfinite(value), np.where(suspect, "suspect", "ok"), np.where(secret, "secret", "missing")
    )
    return pd.DataFrame(
        {
            "numerator": num,
            "denominator": den,
            "value": value,
            "status": status,
            "covered": covered,
            "denominator_year": den_p[0] if den_p else np.nan,
        },
        index=codes,
    )


@dataclass(frozen=True)
class TableView:
    """The arrays of a ``commune_table``, for repeated aggregation without pandas overhead."""

    index: pd.Index
    numerator: np.ndarray
    denominator: np.ndarray
    value: np.ndarray
    status: np.ndarray  # object array of str
    covered: np.ndarray  # bool
    denominator_year: float

    @classmethod
    def of(cls, table: pd.DataFrame) -> TableView:
        den_year = float(table["denominator_year"].iloc[0]) if len(table) else np.nan
        return cls(
            table.index,
            *(table[c].to_numpy(dtype=float) for c in ("numerator", "denominator", "value")),
            table["status"].to_numpy(dtype=object),
            table["covered"].to_numpy(dtype=bool),
            den_year,
        )

    def positions(self, codes: Sequence[str]) -> np.ndarray:
        """Positions of ``codes`` in ``index`` (-1: absent), as ``index.get_indexer`` but by a dict
        lookup: a table answers hundreds of territories, and pandas costs ~0.1 ms per call."""
        where = self.__dict__.get("_where")
        if where is None:
            where = {c: i for i, c in enumerate(self.index)}
            object.__setattr__(self, "_where", where)  # a lookup table, not a field
        return np.fromiter((where.get(c, -1) for c in codes), dtype=np.intp, count=len(codes))

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_where"}  # cached without it

    def row(self, i: int, method: str, n_covered: int) -> dict:
        return _result(
            self.status[i], method, n_covered, self.value[i], self.numerator[i], self.denominator[i]
        )


def _result(
    status: str,
    method: str,
    n_covered: int,
    value=np.nan,
    numerator=np.nan,
    denominator=np.nan,
    reason: str | None = None,
) -> dict:
    return {
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "status": status,
        "method": method,
        "n_covered": n_covered,
        "reason": reason,
    }


def _one_territory(
    ind: Indicator, view: TableView, code: str, members: list[str], apart: int | None, min_coverage: float
) -> dict:
    """The value of one territory; the order of the rules is the documented one (module docstring)."""
    pos = view.positions(members)
    if len(members) == 1:  # a territory of one commune is exactly that commune
        if pos[0] < 0:
            return _result("missing", "commune", 0, reason="no observation for this commune and period")
        return view.row(pos[0], "commune", int(view.covered[pos[0]]))
    ok = np.zeros(len(members), dtype=bool)
    ok[pos >= 0] = view.covered[pos[pos >= 0]]
    n_ok = int(ok.sum())
    complete = n_ok == len(members) > 0
    own = view.positions([code])[0]  # an official value published under the territory's code
    if own >= 0 and np.isfinite(view.value[own]) and not (ind.aggregable and complete):
        return view.row(own, "official", n_ok)
    if not ind.aggregable:
        return _result(
            "not_aggregable",
            "none",
            n_ok,
            reason=(
                f"{ind.id} is not aggregable (a median or a published rate cannot be computed from commune "
                "values) and no official value exists for this territory and period"
            ),
        )
    if not members:
        return _result("missing", "none", 0, reason="no member commune and no official value in the store")
    used = pos[ok]
    num = float(view.numerator[used].sum())
    den = float(view.denominator[used].sum()) if ind.formula.kind != "count" else np.nan
    value = _transform(ind, num, den, apart)
    if complete:
        suspect = bool((view.status[used] == "suspect").any())
        return _result("suspect" if suspect else "ok", "sum", n_ok, value, num, den)
    absent = [m for m, c in zip(members, ok, strict=True) if not c]
    n_secret = int(sum(view.status[i] == "secret" for i in pos[~ok] if i >= 0))
    why = (
        f"{n_ok} of {len(members)} communes covered; not covered: {', '.join(absent[:10])}"
        f"{' …' if len(absent) > 10 else ''}" + (f" ({n_secret} secret)" if n_secret else "")
    )
    if n_ok == 0 or n_ok / len(members) < min_coverage:
        return _result("missing", "none", n_ok, reason="coverage too low: " + why)
    return _result("partial", "sum", n_ok, value, num, den, reason=why)


def aggregate_rows(
    ind: Indicator,
    table: pd.DataFrame | TableView,
    territories: Mapping[str, Sequence[str]],
    year: int,
    month: int = 0,
    min_coverage: float = 0.5,
) -> list[dict]:
    """``aggregate`` as a list of dicts (keys ``RESULT_COLUMNS``), the fast path of the data provider."""
    view = table if isinstance(table, TableView) else TableView.of(table)
    den_year = view.denominator_year
    apart = year - int(den_year) if ind.formula.kind == "change" and np.isfinite(den_year) else None
    rows = []
    for code, members in territories.items():
        members = list(dict.fromkeys(members))
        rows.append(
            {
                "code": code,
                "year": year,
                "month": month,
                "n_members": len(members),
                "denominator_year": den_year,
                **_one_territory(ind, view, code, members, apart, min_coverage),
            }
        )
    return rows


def aggregate(
    ind: Indicator,
    table: pd.DataFrame | TableView,
    territories: Mapping[str, Sequence[str]],
    year: int,
    month: int = 0,
    min_coverage: float = 0.5,
) -> pd.DataFrame:
    """Values for territories given as ``{code: member communes}`` from a ``commune_table``.

    ``min_coverage`` is the share of members that must be covered for a partial value to be shown.
    """
    return rows_to_frame(aggregate_rows(ind, table, territories, year, month, min_coverage), RESULT_COLUMNS)


def rows_to_frame(rows: list[dict], columns: Sequence[str]) -> pd.DataFrame:
    """Result rows as a frame, column by column (much cheaper than records plus ``astype``)."""
    floats = ("value", "numerator", "denominator", "denominator_year")
    return pd.DataFrame(
        {
            c: np.array([r[c] for r in rows], dtype=float) if c in floats else [r[c] for r in rows]
            for c in columns
        }
    )


def compute(
    ind: Indicator,
    obs: pd.DataFrame,
    territories: Mapping[str, Sequence[str]],
    year: int,
    month: int = 0,
    min_coverage: float = 0.5,
) -> pd.DataFrame:
    """``commune_table`` then ``aggregate``: the one call hand-made tests need."""
    table = commune_table(ind, obs, year, month)
    return aggregate(ind, table, territories, year, month, min_coverage)


# --- rankings -----------------------------------------------------------------------------------


def rank(values: pd.Series, descending: bool = True) -> pd.Series:
    """Ranks with ties sharing the best rank (1, 2, 2, 4); missing values are not ranked (NA)."""
    return values.rank(method="min", ascending=not descending, na_option="keep").astype("Int64")


def ranking_table(frame: pd.DataFrame, descending: bool = True) -> pd.DataFrame:
    """Add ``rank`` and ``n_ranked`` to an ``aggregate`` result and sort by rank (unranked last)."""
    out = frame.copy()
    out["rank"] = rank(out["value"], descending)
    out["n_ranked"] = int(out["rank"].notna().sum())
    return out.sort_values("rank", na_position="last", kind="stable").reset_index(drop=True)
