"""SDES, Sitadel: dwellings authorised and started per commune, by type, yearly 2011 → 2024.

The Parquet file (PROVENANCE §11, unmodified) is the sitadel-idf repository's long version of
the SDES communal series "en date réelle" for the 8 Île-de-France departments: one row per
(``annee``, ``code_com``, ``type_lgt``) with ``log_aut``/``log_com`` (dwellings authorised /
started) and ``sdp_aut``/``sdp_com`` (floor area, m²). Only the app's six departments are kept.

Emitted: for type ``Tous`` ``log_aut``, ``log_com``, ``sdp_aut``, ``sdp_com``; for each of the
four types ``log_aut_<type>`` and ``log_com_<type>``. Checked on every run: ``Tous`` = sum of
the four types, and the 20 arrondissements add up to 75056 (both are published and emitted as
such: the core keeps 75056 and never adds arrondissements to it).

Defect handled: a year in which ``log_com``/``sdp_com`` are 0 for every commune of the file
(2024 in this copy) is "not available", not "nothing started": status ``missing`` and a flag.
Geography per year (``cog``): rows up to 2018 carry 95259 (merged 1 January 2018) and 91182/91222
(merged 1 January 2019) → COG 2017; 2019 rows drop 95259 but keep 91182/91222 → COG 2018; from 2020
on, 95282 (merged 2024) and 93059 are present and nothing older → COG 2023.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from etl.contract import STATUS_MISSING, STATUS_OK, ParseResult, RawDataError
from etl.parsers._common import Flags, finish, in_scope, read_parquet, tidy
from etl.readers import LINE, check, code_check
from etl.registry import SourceSpec

COLUMNS = {
    "annee": "int",
    "code_com": "str",
    "type_lgt": "str",
    "log_aut": "int",
    "log_com": "int",
    "sdp_aut": "float",
    "sdp_com": "float",
}
TYPES = {"Tous": "", "Indiv_pur": "_indiv_pur", "Indiv_groupe": "_indiv_groupe"}
TYPES |= {"Collectif": "_collectif", "Residence": "_residence"}
MEASURES = ["log_aut", "log_com", "sdp_aut", "sdp_com"]
STARTED = ("log_com", "sdp_com")  # the measures that can be unavailable for a whole year

SCHEMA = pa.DataFrameSchema(
    {
        "annee": pa.Column(int, pa.Check.in_range(1990, 2100)),
        "code_com": pa.Column(str, code_check()),
        "type_lgt": pa.Column(str, pa.Check.isin(list(TYPES), error="unknown type_lgt")),
        **{m: pa.Column(float if m.startswith("sdp") else int, pa.Check.ge(0)) for m in MEASURES},
    }
)


def cog_of(year: int) -> int:
    """Geography of a year's rows (see module doc)."""
    return 2017 if year <= 2018 else 2018 if year == 2019 else 2023


def parse(files: dict[str, Path], source: SourceSpec) -> ParseResult:
    """Parse the Sitadel series into ``log_*``/``sdp_*`` observations (departments 75, 91-95)."""
    path = files["main"]
    df = check(read_parquet(path, COLUMNS), SCHEMA, path)
    rows_read = {"main": len(df)}
    flags = Flags()
    key = ["annee", "code_com", "type_lgt"]
    dup = df.duplicated(key)
    if dup.any():
        raise RawDataError(
            path, "duplicate (annee, code_com, type_lgt)", int(df.loc[dup, LINE].iloc[0]), "code_com"
        )
    # judged on the whole file (all IDF communes): a year with no start anywhere is a gap in the data
    unavailable = {m: {int(y) for y, s in df.groupby("annee")[m].sum().items() if s == 0} for m in STARTED}

    df = df.loc[in_scope(df["code_com"])].reset_index(drop=True)
    _check_types(df, flags)
    _check_paris(df, flags)

    parts = []
    for typ, suffix in TYPES.items():
        rows = df.loc[df["type_lgt"] == typ]
        for m in MEASURES if typ == "Tous" else MEASURES[:2]:
            var = m + suffix
            gap = rows["annee"].isin(unavailable.get(m, set()))
            status = np.where(gap, STATUS_MISSING, STATUS_OK)
            cog = rows["annee"].map(cog_of)
            parts.append(tidy(rows["code_com"], var, rows["annee"], 0, rows[m].astype(float), status, cog))
            for year in sorted(unavailable.get(m, set())):
                flags.add(
                    "zero_as_missing",
                    f"{m} is 0 for every commune in {year}: not available in this copy, emitted as missing",
                    variable=var,
                    year=year,
                )
    return ParseResult(finish(parts), flags.frame(), rows_read)


def _check_types(df: pd.DataFrame, flags: Flags) -> None:
    """Flag any (commune, year) where ``Tous`` differs from the sum of the four types."""
    wide = df.pivot_table(index=["annee", "code_com"], columns="type_lgt", values=MEASURES[:2], aggfunc="sum")
    for m in MEASURES[:2]:
        parts = wide[m][[t for t in TYPES if t != "Tous"]].sum(axis=1)
        for annee, code in wide.index[wide[m]["Tous"] != parts]:
            flags.add(
                "type_sum_mismatch", f"{m}: Tous differs from the sum of the four types", code, m, int(annee)
            )


def _check_paris(df: pd.DataFrame, flags: Flags) -> None:
    """Flag any year/type where the 20 arrondissements do not add up to the published 75056."""
    arr = (
        df.loc[df["code_com"].str.match(r"^751(0[1-9]|1\d|20)$")]
        .groupby(["annee", "type_lgt"])[MEASURES]
        .sum()
    )
    paris = df.loc[df["code_com"] == "75056"].set_index(["annee", "type_lgt"])[MEASURES]
    both = arr.index.intersection(paris.index)
    diff = (arr.loc[both] - paris.loc[both]).abs().sum(axis=1)
    for annee, typ in diff.index[diff > 0]:
        flags.add("paris_mismatch", f"arrondissements ≠ 75056 for type {typ}", "75056", None, int(annee))
