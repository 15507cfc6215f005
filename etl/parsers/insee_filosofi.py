"""INSEE Filosofi: disposable income per consumption unit, 2014-2020, communes and supra-communal rows.

One source, many files; the file key says what each one is: ``com<year>`` commune files
(``FILO<year>_DISP_COM`` for 2014-2019, the 2020 "base communale" ``cc_filosofi_2020_COM``),
``dep<year>`` department rows (emitted as D75, D91…D95; other departments of a national file are
skipped), ``mgp<year>`` the Métropole du Grand Paris EPCI row (200054781 → ``MGP``), ``frm<year>``
France métropolitaine (→ ``FRM``). The 2017 commune file could not be obtained (PROVENANCE
section 13): 2017 exists only for the supra-communal rows.

Formats: ``;``, decimal comma everywhere, UTF-8 with BOM and CRLF for the DISP files (a
producer's CSV that is not UTF-8 is read as Windows-1252, Insee's other encoding; only LIBGEO,
never emitted, has non-ASCII text). A file is recognised by its content, not its name (the
download cache keeps the declared path): the CSV itself (mirror extract or the producer's national
file, as extracted from its zip), an xlsx workbook (sheet ENSEMBLE when there is one, header row
CODGEO below INSEE's title lines), an Excel 97-2003 ``.xls`` workbook (Insee's 2014-2016
editions, same layout), or a producer's zip, in which the file of the level and vintage
(``FILO<year>_DISP_<COM|DEP|EPCI|METROPOLE>``, ``cc_filosofi_<year>_COM``; .csv, .xlsx or .xls,
inside nested zips too) is looked up. Only the rows of the
scope are kept: communes of departments 75, 91-95 (``_common.SCOPE_DEPS``), those departments,
the MGP and France métropolitaine; a national file gives the same observations as the extract. Empty cells
in the DISP commune files and ``s`` in the 2020 file are INSEE's dissemination thresholds
(small communes) → ``secret``. Communes below the threshold for every indicator have no row at
all (not a defect: INSEE does not list them). 2014 has PTSAC (wages, salaries and unemployment
benefits together) instead of PACT/PTSA/PCHO.

Geography (``cog``) of each vintage, from the codes present in the commune files:
- 2014, 2015, 2016: 91182 Courcouronnes and 91222 Estouches are still separate (merged on
  1 January 2019 into 91228 and 91390) → map of 2018 or earlier;
- 2018, 2019: both absent, 95282 Gouzangrez present (merged 1 January 2024) → 2019-2023;
  Q219 equals MED19 of the RP2018 comparateur (COG 2021) for the 131 MGP communes;
- 2020: 95282 present, 91182/91222 absent; the INSEE file is the "geo2023" edition → 2023.
Within each interval, INSEE's practice (vintage N on the map of 1 January N+2) is used; nothing
changed on the IDF map inside those intervals, so the choice does not move any MGP value.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

from etl.contract import STATUS_MISSING, STATUS_SECRET, SUPRA_CODES, ParseResult, RawDataError
from etl.parsers._common import in_scope
from etl.parsers._insee import (
    concat_obs,
    flags_frame,
    label_of,
    melt,
    read_table,
    read_workbook,
    validate,
)
from etl.parsers._workbook import is_workbook, sheet_names
from etl.readers import LINE
from etl.registry import SourceSpec

CODE = "CODGEO"
KEY = re.compile(r"^(com|dep|mgp|frm)(\d{4})$")
MGP_SIREN = "200054781"
FRM_CODE = "1"  # CODGEO of the single row of the DISP_METROPOLE files
#: Map (COG year) of each Filosofi vintage: see the module docstring.
COG = {2014: 2016, 2015: 2017, 2016: 2018, 2017: 2019, 2018: 2020, 2019: 2021, 2020: 2023}
#: Income-composition shares common to every vintage (% of disposable income).
SHARES = ("PBEN", "PPEN", "PPAT", "PPSOC", "PPFAM", "PPMINI", "PPLOGT", "PIMPOT")
#: Code formats before renaming, per kind of file.
CODE_PATTERN = {
    "com": r"^(\d{5}|2[AB]\d{3})$",
    "dep": r"^(\d{2}|2[AB]|97\d)$",
    "mgp": r"^\d{9}$",
    "frm": r"^\d{1,2}$",
}
#: Level of each kind of file in INSEE's file names (``FILO2019_DISP_EPCI.csv``).
LEVEL = {"com": "COM", "dep": "DEP", "mgp": "EPCI", "frm": "METROPOLE"}


def disp_columns(year: int) -> dict[str, str]:
    """Columns of a ``FILO<year>_DISP_*`` file (2014-2019 layout): raw column -> variable."""
    s = f"{year % 100:02d}"
    cols = {
        f"NBMEN{s}": "nbmenfisc",
        f"NBPERS{s}": "nbpersmenfisc",
        f"NBUC{s}": "nbuc",
        f"Q1{s}": "q1_uc",
        f"Q2{s}": "med_uc",
        f"Q3{s}": "q3_uc",
        f"D1{s}": "d1_uc",
        f"D9{s}": "d9_uc",
        "RD": "rd",  # the only column without a vintage suffix in these files
        f"S80S20{s}": "s80s20",
        f"GI{s}": "gini",
    }
    activity = ("PTSAC",) if year == 2014 else ("PACT", "PTSA", "PCHO")
    cols.update({f"{stem}{s}": stem.lower() for stem in (*activity, *SHARES)})
    return cols


def cc_columns(year: int) -> dict[str, str]:
    """Columns of the ``cc_filosofi_<year>_COM`` base communale (2020 layout)."""
    s = f"{year % 100:02d}"
    cols = {
        f"NBMENFISC{s}": "nbmenfisc",
        f"NBPERSMENFISC{s}": "nbpersmenfisc",
        f"MED{s}": "med_uc",
        f"PIMP{s}": "pimp",
        f"TP60{s}": "tp60",
    }
    cols.update({f"TP60AGE{i}{s}": f"tp60age{i}" for i in range(1, 7)})
    cols.update({f"TP60TOL{i}{s}": f"tp60tol{i}" for i in (1, 2)})
    cols.update({f"{stem}{s}": stem.lower() for stem in ("PACT", "PTSA", "PCHO", *SHARES)})
    cols.update({f"D1{s}": "d1_uc", f"D9{s}": "d9_uc", f"RD{s}": "rd"})
    return cols


def parse(files: dict[str, Path], source: SourceSpec) -> ParseResult:
    """Parse every Filosofi file of the source (keys ``com2014`` … ``frm2019``)."""
    parts, flags, rows = [], [], {}
    for key in sorted(files):
        match = KEY.match(key)
        if not match:
            raise ValueError(f"insee_filosofi: unknown file key {key!r} (expected com|dep|mgp|frm + year)")
        kind, year = match.group(1), int(match.group(2))
        if year not in COG:
            raise ValueError(f"insee_filosofi: no geography declared for vintage {year} (file key {key!r})")
        obs, file_flags, n = _parse_file(files[key], kind, year)
        parts.append(obs)
        flags += file_flags
        rows[key] = n
    return ParseResult(observations=concat_obs(parts), flags=flags_frame(flags), rows_read=rows)


def _parse_file(path: Path, kind: str, year: int) -> tuple[pd.DataFrame, list[dict], int]:
    cols = cc_columns(year) if kind == "com" and year >= 2020 else disp_columns(year)
    df, flags, label = _read(path, kind, year, [CODE, *cols])
    for f in flags:
        f["year"] = year
    n = len(df)
    # the scope first: a national file's other rows are not this project's to validate
    df = _select_rows(df.assign(**{CODE: df[CODE].fillna("").astype(str).str.strip()}), kind, label)
    df = validate(df, CODE, dict.fromkeys(cols, ","), label, code_pattern=CODE_PATTERN[kind])
    df = _rename(df, kind)
    mapping = {c: (var, year, COG[year]) for c, var in cols.items()}
    # supra-communal rows are always published: an empty cell there is not a secret
    empty = STATUS_SECRET if kind == "com" else STATUS_MISSING
    obs = melt(df, CODE, mapping, label, decimal=",", empty=empty)
    return obs, flags, n


def _read(path: Path, kind: str, year: int, columns: list[str]) -> tuple[pd.DataFrame, list[dict], str]:
    """The table of one file as text, whatever the producer served (see the module docstring)."""
    label = label_of(path)
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head.startswith(b"PK") and not is_workbook(head):
        return (*_read_csv(path, columns), label)
    data = path.read_bytes()
    if is_workbook(data):
        return (*_read_sheet(data, columns, label), label)
    name, inner = _find(data, kind, year, label)
    if is_workbook(inner):
        return (*_read_sheet(inner, columns, f"{label}!{name}"), f"{label}!{name}")
    if "!" not in name:  # a CSV member of the archive itself: read in place, named in errors
        return (*_read_csv(path, columns, member=name), label_of(path, name))
    with tempfile.TemporaryDirectory() as tmp:  # a CSV inside a nested zip
        csv_path = Path(tmp) / Path(name).name
        csv_path.write_bytes(inner)
        df, flags = _read_csv(csv_path, columns)
    return df, flags, f"{label}!{name}"


def _read_csv(path: Path, columns: list[str], member: str | None = None) -> tuple[pd.DataFrame, list[dict]]:
    try:
        return read_table(path, columns=columns, member=member)
    except RawDataError as exc:
        if "not valid utf-8" not in str(exc):
            raise
        return read_table(path, columns=columns, member=member, encoding="cp1252")


def _read_sheet(data: bytes, columns: list[str], label: str) -> tuple[pd.DataFrame, list[dict]]:
    """INSEE's sheet ENSEMBLE (all households) when the workbook has one, else its first sheet."""
    sheet = "ENSEMBLE" if "ENSEMBLE" in sheet_names(data, label) else None
    return read_workbook(data, columns=columns, label=label, sheet=sheet, decimal=",")


def _member(names: list[str], kind: str, year: int) -> str | None:
    """The member of a producer's zip holding the file of this level and vintage, if any."""
    if kind == "com" and year >= 2020:
        pattern = rf"cc_filosofi_{year}_COM\.(csv|xlsx|xls)"
    else:
        pattern = rf"FILO(?:{year})?_DISP_{LEVEL[kind]}\.(csv|xlsx|xls)"
    hits = [n for n in names if re.fullmatch(pattern, n.rsplit("/", 1)[-1], flags=re.IGNORECASE)]
    # the CSV edition first when a zip holds both
    return sorted(hits, key=lambda n: (not n.lower().endswith(".csv"), n))[0] if hits else None


def _find(data: bytes, kind: str, year: int, label: str, depth: int = 0) -> tuple[str, bytes]:
    """(member path, bytes) of the file of this level and vintage, looked up in nested zips too
    (Insee's 2015 SUPRA zip holds one zip per level)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        name = _member(names, kind, year)
        if name is not None:
            return name, zf.read(name)
        for inner in (n for n in names if n.lower().endswith(".zip") and depth < 2):
            try:
                found, got = _find(zf.read(inner), kind, year, label, depth + 1)
            except RawDataError:
                continue
            return f"{inner}!{found}", got
    raise RawDataError(label, f"the archive holds no {LEVEL[kind]} file of Filosofi {year}")


def _select_rows(df: pd.DataFrame, kind: str, label: str) -> pd.DataFrame:
    """Keep the rows this project publishes (codes stripped, as read)."""
    if kind == "com":
        # communes of the scope; a national file's others (and Lyon/Marseille districts) are not
        return df.loc[in_scope(df[CODE])].reset_index(drop=True)
    if kind == "dep":
        keep = df.loc[("D" + df[CODE]).isin(SUPRA_CODES)]
        wanted = "75, 91-95"
    else:
        wanted = MGP_SIREN if kind == "mgp" else FRM_CODE
        keep = df.loc[df[CODE] == wanted]
    if keep.empty:
        raise RawDataError(label, f"no row with {CODE} {wanted}", line=int(df[LINE].iloc[0]), field=CODE)
    return keep.reset_index(drop=True)


def _rename(df: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Give the supra-communal rows their ``SUPRA_CODES`` code."""
    if kind == "com":
        return df
    if kind == "dep":
        return df.assign(**{CODE: "D" + df[CODE]})
    return df.assign(**{CODE: "MGP" if kind == "mgp" else "FRM"})
