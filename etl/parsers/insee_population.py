"""INSEE municipal populations 2013-2021 (populations légales millésimées), national table.

``,``-separated, UTF-8 with BOM, CRLF; columns objectid, reg, dep, cv, codgeo, libgeo,
p13_pop … p21_pop (an OpenDataSoft-style export republished on data.gouv.fr). Paris, Lyon and
Marseille are given by arrondissement only (the core derives 75056); Mayotte is absent.

Geography: this is a join, on the commune code, of nine yearly legal-population tables, each
published on the map of 1 January of year + 2. The data prove it: Cherbourg-en-Cotentin (50129,
created 1 January 2016) jumps from 37 055 (p13) to 80 959 (p14); Évry-Courcouronnes (91228,
1 January 2019) from 54 663 (p16) to 67 967 (p17), and the absorbed 91182 has no row at all;
Gouzangrez (95282, merged into Commeny on 1 January 2024) still has p21. So each p{yy} column is
emitted with ``cog`` = 2000 + yy + 2 (2015 … 2023), which lets the core fold later mergers. For
the MGP nothing changed between those maps (93059/93066 are separate in every column).

Defects handled here (not in PROVENANCE, found while writing the parser):
- overseas codes are written department + 3 digits (6 characters, ``971102`` for 97102): they are
  rewritten to the INSEE code and flagged ``nonstandard_code``;
- year-to-year jumps caused by the yearly maps (the chef-lieu's code carries only its own
  population before the merger; absorbed communes' rows are gone) are flagged ``series_break``
  (a one-off change over 15 % and at least 50 inhabitants, at least twice any other yearly change
  of the commune: a heuristic, the message says "probably"); values are kept as published, since each is right on its own ``cog``.
Empty cells (commune absent from that year's map) are emitted as ``missing``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from etl.contract import STATUS_OK, ParseResult, RawDataError
from etl.parsers._insee import concat_obs, flag, flags_frame, label_of, melt, read_table, validate
from etl.readers import LINE
from etl.registry import SourceSpec

CODE = "codgeo"
YEARS = range(2013, 2022)
COLUMNS = {f"p{y % 100}_pop": ("pop", y, y + 2) for y in YEARS}
#: A change larger than this ratio between consecutive years is a map change, not demography.
BREAK_RATIO = 1.15
BREAK_MIN = 50


def parse(files: dict[str, Path], source: SourceSpec) -> ParseResult:
    """Parse the national population series (file key ``main``)."""
    path = files["main"]
    label = label_of(path)
    df, flags = read_table(path, sep=",", columns=[CODE, "dep", *COLUMNS])
    df[CODE] = df[CODE].fillna("").astype(str).str.strip()
    df["dep"] = df["dep"].fillna("").astype(str).str.strip()
    flags += _fix_overseas_codes(df, label)
    df = validate(df, CODE, dict.fromkeys(COLUMNS, "."), label)
    obs = melt(df, CODE, COLUMNS, label)
    flags += _series_breaks(obs)
    return ParseResult(observations=concat_obs([obs]), flags=flags_frame(flags), rows_read={"main": len(df)})


def _fix_overseas_codes(df: pd.DataFrame, label: str) -> list[dict]:
    """``971102`` (dep 971 + commune 102) -> ``97102``; anything else of 6 characters is an error."""
    six = df[CODE].str.len() == 6
    ok = six & df[CODE].str.fullmatch(r"97\d{4}") & (df[CODE].str[:3] == df["dep"])
    bad = six & ~ok
    if bad.any():
        i = bad.idxmax()
        raise RawDataError(
            label,
            f"6-character code {df.loc[i, CODE]!r} is not an overseas code",
            line=int(df.loc[i, LINE]),
            field=CODE,
        )
    old = df.loc[ok, CODE]
    new = old.str[:2] + old.str[3:]
    df.loc[ok, CODE] = new
    return [
        flag(n, None, None, "nonstandard_code", f"code {o!r} (department + 3 digits) read as {n!r}")
        for o, n in zip(old, new, strict=True)
    ]


def _series_breaks(obs: pd.DataFrame) -> list[dict]:
    """Flag consecutive years whose ratio suggests a change of map (merger or split)."""
    ok = obs.loc[obs["status"] == STATUS_OK]
    wide, codes, years = _wide(ok)
    out = []
    steps = np.abs(np.diff(wide, axis=1, prepend=np.nan))  # wide.diff(axis=1).abs()
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: max is NaN, as in pandas
        for i in range(1, len(years)):
            prev, year = years[i - 1], years[i]
            a, b = wide[:, i - 1], wide[:, i]
            ratio = b / a
            # steady growth (a new neighbourhood) changes every year; a map change is a one-off step
            others = np.nanmax(np.delete(steps, i, axis=1), axis=1)
            jump = (
                ((ratio > BREAK_RATIO) | (ratio < 1 / BREAK_RATIO))
                & (np.abs(b - a) >= BREAK_MIN)
                & (np.abs(b - a) >= 2 * others)
            )
            for j in np.flatnonzero(jump):
                code = codes[j]
                out.append(
                    flag(
                        code,
                        "pop",
                        year,
                        "series_break",
                        f"{code}: population {prev} = {a[j]:.0f}, {year} = {b[j]:.0f}: probably a change of map "
                        f"between COG {prev + 2} and {year + 2} (merger or split); absorbed communes have no row",
                    )
                )
    return out


def _wide(ok: pd.DataFrame) -> tuple[np.ndarray, list, list]:
    """``ok.pivot(index="code", columns="year", values="value")`` as (values, codes, years), codes
    and years sorted, NaN where a commune has no published value for a year."""
    code_ids, codes = pd.factorize(ok["code"], sort=True)
    year_ids, years = pd.factorize(ok["year"], sort=True)
    cells = code_ids.astype(np.int64) * max(len(years), 1) + year_ids
    if (code_ids < 0).any() or (year_ids < 0).any() or pd.Series(cells).duplicated().any():
        wide = ok.pivot(index="code", columns="year", values="value").sort_index(axis=1)
        return wide.to_numpy(dtype=float), list(wide.index), list(wide.columns)
    wide = np.full((len(codes), len(years)), np.nan)
    wide[code_ids, year_ids] = ok["value"].to_numpy(dtype=float)
    return wide, list(codes), list(years)
