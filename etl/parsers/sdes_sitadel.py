"""SDES, Sitadel: dwellings authorised and started per commune, by type, yearly 2011 → 2024.

Two forms of the SDES communal series "en date réelle" are read, told apart by their content:
- the producer's file, the DiDo export of the datafile "Données annuelles communales -
  Logements" (national, ``;``-separated, quoted text, columns ``ANNEE``, ``COMM``, ``TYPE_LGT``,
  ``LOG_AUT``, ``LOG_COM``, ``SDP_AUT``, ``SDP_COM``; types "Tous Logements", "Individuel pur",
  "Individuel groupe", "Collectif", "Residence"; an empty cell = not available yet). It is read
  in chunks and cut to the app's departments while reading;
- the mirror's Parquet file (PROVENANCE §11, unmodified), the sitadel-idf repository's long
  version of it for the 8 Île-de-France departments: the same rows with the SDES names in lower
  case (``annee``, ``code_com``, ``type_lgt`` Tous/Indiv_pur/Indiv_groupe/Collectif/Residence,
  ``log_aut``, ``log_com``, ``sdp_aut``, ``sdp_com``) and empty cells written as 0.

Emitted: for type ``Tous`` ``log_aut``, ``log_com``, ``sdp_aut``, ``sdp_com``; for each of the
four types ``log_aut_<type>`` and ``log_com_<type>``. Checked on every run: ``Tous`` = sum of
the four types, and the 20 arrondissements add up to 75056 (both are published and emitted as
such: the core keeps 75056 and never adds arrondissements to it).

Defects handled: a year in which ``log_com``/``sdp_com`` are 0 for every commune of the file
(2024 in the mirror's copy, where the producer leaves them empty) is "not available", not
"nothing started": status ``missing`` and a flag; an empty cell of the producer's file is
``missing`` too. Geography per year (``cog``): rows up to 2018 carry 95259 (merged 1 January
2018) and 91182/91222 (merged 1 January 2019) → COG 2017; 2019 rows drop 95259 but keep
91182/91222 → COG 2018; from 2020 on, 95282 (merged 2024) and 93059 are present and nothing
older → COG 2023.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from etl.contract import STATUS_MISSING, STATUS_OK, ParseResult, RawDataError
from etl.parsers._common import Flags, finish, in_scope, read_parquet, tidy
from etl.readers import LINE, check, code_check, to_number
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

#: The producer's (DiDo) column names and type labels → the names used here (the mirror's).
PRODUCER_COLUMNS = {"ANNEE": "annee", "COMM": "code_com", "TYPE_LGT": "type_lgt"}
PRODUCER_COLUMNS |= {m.upper(): m for m in MEASURES}
PRODUCER_TYPES = {"Tous Logements": "Tous", "Individuel pur": "Indiv_pur"}
PRODUCER_TYPES |= {"Individuel groupe": "Indiv_groupe", "Collectif": "Collectif", "Residence": "Residence"}
CHUNK_ROWS = 400_000  # the national file has ~2.5 million rows: read in chunks, keep the scope

#: Dwelling counts are whole numbers (read as floats: NaN = an empty cell of the producer's file).
_COUNT = pa.Check(lambda s: s.dropna() % 1 == 0, error="not a whole number")
SCHEMA = pa.DataFrameSchema(
    {
        "annee": pa.Column(int, pa.Check.in_range(1990, 2100)),
        "code_com": pa.Column(str, code_check()),
        "type_lgt": pa.Column(str, pa.Check.isin(list(TYPES), error="unknown type_lgt")),
        **{
            m: pa.Column(float, [pa.Check.ge(0), *([_COUNT] if m.startswith("log") else [])], nullable=True)
            for m in MEASURES
        },
    }
)
YearTotals = dict[str, pd.DataFrame]  # measure → per-year sum and count of non-empty cells


def cog_of(year: int) -> int:
    """Geography of a year's rows (see module doc)."""
    return 2017 if year <= 2018 else 2018 if year == 2019 else 2023


def parse(files: dict[str, Path], source: SourceSpec) -> ParseResult:
    """Parse the Sitadel series into ``log_*``/``sdp_*`` observations (departments 75, 91-95)."""
    path = files["main"]
    with path.open("rb") as fh:
        parquet = fh.read(4) == b"PAR1"
    df, totals, rows = _read_mirror(path) if parquet else _read_producer(path)
    df = check(df, SCHEMA, path)
    rows_read = {"main": rows}
    flags = Flags()
    key = ["annee", "code_com", "type_lgt"]
    dup = df.duplicated(key)
    if dup.any():
        raise RawDataError(
            path, "duplicate (annee, code_com, type_lgt)", int(df.loc[dup, LINE].iloc[0]), "code_com"
        )
    # judged on the whole file (all its communes): a year with no start anywhere is a gap in the data
    unavailable = {
        m: {int(y) for y, r in t.iterrows() if r["count"] > 0 and r["sum"] == 0} for m, t in totals.items()
    }

    df = df.loc[in_scope(df["code_com"])].reset_index(drop=True)
    _check_types(df, flags)
    _check_paris(df, flags)

    parts = []
    for typ, suffix in TYPES.items():
        rows = df.loc[df["type_lgt"] == typ]
        for m in MEASURES if typ == "Tous" else MEASURES[:2]:
            var = m + suffix
            gap = rows["annee"].isin(unavailable.get(m, set()))
            status = np.where(gap | rows[m].isna(), STATUS_MISSING, STATUS_OK)
            cog = rows["annee"].map(cog_of)
            parts.append(tidy(rows["code_com"], var, rows["annee"], 0, rows[m].astype(float), status, cog))
            for year in sorted(unavailable.get(m, set())):
                flags.add(
                    "zero_as_missing",
                    f"{m} is 0 for every commune in {year}: not available in this copy, emitted as missing",
                    variable=var,
                    year=year,
                )
            for year, n in rows.loc[rows[m].isna() & ~gap, "annee"].value_counts().sort_index().items():
                flags.add(
                    "not_published",
                    f"{m} empty in the SDES file for {n} commune(s): not available yet, emitted as missing",
                    variable=var,
                    year=int(year),
                )
    return ParseResult(finish(parts), flags.frame(), rows_read)


def _read_mirror(path: Path) -> tuple[pd.DataFrame, YearTotals, int]:
    """The mirror's Parquet file (Île-de-France), its per-year totals and its row count."""
    df = read_parquet(path, COLUMNS)
    df[MEASURES] = df[MEASURES].astype(float)
    totals = {m: df.groupby("annee")[m].agg(["sum", "count"]) for m in STARTED}
    return df, totals, len(df)


def _read_producer(path: Path) -> tuple[pd.DataFrame, YearTotals, int]:
    """The producer's national CSV: the rows of the app's departments, the per-year totals of
    the whole file and its row count. Not the SDES header: a ``RawDataError`` naming the file."""
    width = _check_fields(path)
    kept, sums, rows = [], [], 0
    try:
        reader = pd.read_csv(
            path,
            sep=";",
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            usecols=list(PRODUCER_COLUMNS),
            chunksize=CHUNK_ROWS,
            skip_blank_lines=False,
        )
        for chunk in reader:
            chunk = chunk.apply(lambda col: col.str.strip())
            chunk[LINE] = np.arange(rows + 2, rows + 2 + len(chunk))  # the header is line 1
            rows += len(chunk)
            chunk = chunk.loc[(chunk != "").drop(columns=LINE).any(axis=1)]  # blank lines
            # per-year sum and count of the non-empty cells, over every commune of the file
            started = pd.DataFrame({m: pd.to_numeric(chunk[m.upper()], errors="coerce") for m in STARTED})
            year = pd.to_numeric(chunk["ANNEE"], errors="coerce")
            sums.append(started.groupby(year).agg(["sum", "count"]))
            kept.append(chunk.loc[in_scope(chunk["COMM"])])
    except (pd.errors.ParserError, ValueError) as exc:
        raise RawDataError(path, f"cannot parse as the SDES CSV ({width} columns): {exc}") from exc
    if not rows:
        raise RawDataError(path, "no data rows after the header")
    df = pd.concat(kept, ignore_index=True).rename(columns=PRODUCER_COLUMNS)
    bad = ~df["annee"].str.fullmatch(r"\d{4}")
    if bad.any():
        raise RawDataError(
            path, f"not a year: {df.loc[bad, 'annee'].iloc[0]!r}", int(df.loc[bad, LINE].iloc[0]), "ANNEE"
        )
    df["annee"] = df["annee"].astype(int)
    # an unknown label is kept as is: the schema check names it
    df["type_lgt"] = df["type_lgt"].map(PRODUCER_TYPES).fillna(df["type_lgt"]).astype(str)
    for m in MEASURES:
        df[m], _ = to_number(df, m, path, secret=())
    whole = pd.concat(sums).groupby(level=0).sum()
    totals = {m: whole[m].set_axis(whole[m].index.astype(int)) for m in STARTED}
    return df, totals, rows


def _check_fields(path: Path) -> int:
    """The header must name the SDES columns and no line may be shorter than it (a truncated
    download pads short lines silently in pandas); returns the header's width."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            lines = csv.reader(fh, delimiter=";")
            header = [c.strip() for c in next(lines, [])]
            missing = [c for c in PRODUCER_COLUMNS if c not in header]
            if missing:
                raise RawDataError(
                    path,
                    f"neither a Parquet file nor the SDES CSV: missing column(s) {missing}; found {header[:8]}",
                    line=1,
                    field=missing[0],
                )
            for number, row in enumerate(lines, start=2):
                if len(row) < len(header) and any(cell.strip() for cell in row):
                    raise RawDataError(
                        path,
                        f"{len(row)} fields where the header has {len(header)} (truncated file or damaged line)",
                        line=number,
                    )
    except UnicodeDecodeError as exc:
        raise RawDataError(path, f"not valid UTF-8 ({exc.reason})") from exc
    return len(header)


def _check_types(df: pd.DataFrame, flags: Flags) -> None:
    """Flag any (commune, year) where ``Tous`` differs from the sum of the four types."""
    for m in MEASURES[:2]:
        rows = df.loc[df[m].notna()]  # empty cells (not available) are not compared
        wide = rows.pivot_table(index=["annee", "code_com"], columns="type_lgt", values=m, aggfunc="sum")
        wide = wide.reindex(columns=list(TYPES))
        parts = wide[[t for t in TYPES if t != "Tous"]].sum(axis=1)
        for annee, code in wide.index[wide["Tous"] != parts]:
            flags.add(
                "type_sum_mismatch", f"{m}: Tous differs from the sum of the four types", code, m, int(annee)
            )


def _check_paris(df: pd.DataFrame, flags: Flags) -> None:
    """Flag any year/type where the 20 arrondissements do not add up to the published 75056."""
    arr = (
        df.loc[df["code_com"].str.match(r"^751(0[1-9]|1\d|20)$")]
        .groupby(["annee", "type_lgt"])[MEASURES]
        .sum(min_count=1)
    )
    paris = df.loc[df["code_com"] == "75056"].set_index(["annee", "type_lgt"])[MEASURES]
    both = arr.index.intersection(paris.index)
    diff = (arr.loc[both] - paris.loc[both]).abs().sum(axis=1)
    for annee, typ in diff.index[diff > 0]:
        flags.add("paris_mismatch", f"arrondissements ≠ 75056 for type {typ}", "75056", None, int(annee))
