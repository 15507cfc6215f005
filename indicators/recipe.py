"""« Recompute it yourself »: a short pandas script, generated for one explained value (pure).

The script reads the official file(s) from a ``RAW_DIR`` folder (or downloads them from their
declared URL), takes the columns the ETL reads for each variable, folds the communes merged since
the file's map when the ETL did (``93059 → 93066``), keeps the member communes and recomputes
the value with the catalogue's formula (sums of numerators over sums of denominators, communes
with a secret or missing input left out).

Where a column comes from is read from the parsers themselves (``etl.parsers.<source>``: their
``{raw column: (variable, year…)}`` tables, ``CODE``, ``MEMBER``, ``COMMA``; Filosofi's
``cc_columns``/``disp_columns``), so a parser change is followed. Covered: the INSEE wide files
(comparateur RP2018 and RP2022, dossier complet, logement, population estimates, Filosofi
communes) and the SDES tables (Sitadel, RPLS: ``indicators.recipe_tables``). Other sources and
published supra values say why no script is offered.
"""

from __future__ import annotations

import importlib
import inspect
import pprint
from dataclasses import asdict, dataclass
from typing import Any

from config.texts import by_name
from etl.registry import sources as declared_sources
from etl.registry import variables as declared_variables
from indicators import recipe_tables

#: Separator of the files of the sources the script can read (other ``insee_*`` sources: ``;``).
SEPARATORS = {"insee_population": ","}
#: key → (FR, EN) message: ``recipe.reason.*`` in ``config/texts/explain.yaml``
REASONS = {k: (v["fr"], v["en"]) for k, v in by_name("recipe.reason.").items()}


@dataclass(frozen=True)
class Input:
    """Where one variable at one year is read: file(s), column, reading options, harmonisation."""

    variable: str
    year: int
    source: str
    files: tuple[tuple[str, str | None], ...]  # (path under RAW_DIR, download URL)
    column: str
    code: str
    sep: str
    comma: bool
    member: str | None
    additive: bool
    merged: tuple[tuple[str, str], ...]  # (old code, current code) folded by the ETL
    paris: bool  # 75056 derived from the arrondissements when the file has no 75056 row
    fmt: str = "csv"  # or parquet (Sitadel)
    filters: tuple[tuple[str, str], ...] = ()  # long tables: (column, value) of the rows to read


def _supported(source: str) -> bool:
    return source.startswith("insee_") or source in recipe_tables.SOURCES


def _modules(source: str) -> list[Any]:
    """The parser module of a source and the parser modules it delegates to (same file format)."""
    module = importlib.import_module(f"etl.parsers.{source}")
    delegates = [
        m for m in vars(module).values() if inspect.ismodule(m) and m.__name__.startswith("etl.parsers.")
    ]
    return [module, *delegates]


def _attr(source: str, name: str, default: Any) -> Any:
    for module in _modules(source):
        if hasattr(module, name):
            return getattr(module, name)
    return default


def _column(source: str, variable: str, year: int) -> tuple[str, str | None] | None:
    """(raw column, file key or None for every file) of ``variable`` at ``year`` in ``source``."""
    if source in recipe_tables.SOURCES:
        table = recipe_tables.locate(source, variable, year)
        return (table.column, table.file_key) if table else None
    if source == "insee_filosofi":
        module = _modules(source)[0]
        cols = module.cc_columns(year) if year >= 2020 else module.disp_columns(year)
        found = [c for c, v in cols.items() if v == variable]
        return (found[0], f"com{year}") if found else None
    for module in _modules(source):
        for value in vars(module).values():
            if not isinstance(value, dict):
                continue
            for col, spec in value.items():
                if isinstance(col, str) and isinstance(spec, tuple) and spec[:2] == (variable, year):
                    return col, None
    return None


Reason = tuple[str, dict[str, Any]]  # (key of REASONS, values of its message)


def _locate(body: dict[str, Any], role: str, variable: str, year: int) -> Input | Reason:
    """The ``Input`` of one variable, or the reason why there is none.

    When the members' values come from several sources of the same format (the RP2022 MGP
    extract and its Essonne/Val-d'Oise companion), their files are read in priority order and
    the first file giving a commune wins, as the ETL's de-duplication does.
    """
    codes = [m["code"] for m in body["members"] if m["covered"]]
    used = {
        i["source"]
        for m in body["members"]
        if m["code"] in codes
        for i in m["inputs"]
        if i["variable"] == variable and i["role"] == role
    }
    where = {"variable": variable, "year": year, "source": ",".join(sorted(used))}
    if not used:
        return "column", where
    if not all(_supported(s) for s in used):
        why = [recipe_tables.NOT_COVERED[s] for s in sorted(used) if s in recipe_tables.NOT_COVERED]
        return "source", {
            **where,
            "why_fr": f" ({why[0][0]})" if why else "",
            "why_en": f" ({why[0][1]})" if why else "",
        }
    declared = declared_sources()
    ordered = sorted(used, key=lambda s: -declared[s].priority)
    found = [_column(s, variable, year) for s in ordered]
    if any(f is None for f in found):
        return "column", where
    tables = [recipe_tables.locate(s, variable, year) for s in ordered]
    readers = {
        (f[0], t.code, None) if t else (f[0], _attr(s, "CODE", "CODGEO"), _attr(s, "MEMBER", None))
        for s, f, t in zip(ordered, found, tables, strict=True)
    }
    if len(readers) != 1:
        return "mixed", where
    column, code, member = readers.pop()
    files = tuple(
        (f.path, f.url)
        for s, (_, key) in zip(ordered, found, strict=True)
        for f in declared[s].files
        if key in (None, f.key)
    )
    touched = {f["code"] for f in body["harmonisation"] if f["variable"] == variable and f["year"] == year}
    merged = tuple((old, new) for old, new in sorted(body["merged"].items()) if new in touched)
    paris = any(
        f["kind"] == "city_from_arrondissements" and f["variable"] == variable and f["year"] == year
        for f in body["harmonisation"]
    )
    var = declared_variables().get(variable)
    return Input(
        variable=variable,
        year=year,
        source=",".join(ordered),
        files=files,
        column=column,
        code=code,
        sep=tables[0].sep if tables[0] else SEPARATORS.get(ordered[0], ";"),
        comma=ordered[0] == "insee_filosofi" or column in _attr(ordered[0], "COMMA", ()),
        member=member,
        additive=bool(var and var.additive),
        merged=merged,
        paris=paris,
        fmt=tables[0].fmt if tables[0] else "csv",
        filters=tables[0].filters if tables[0] else (),
    )


def inputs(body: dict[str, Any]) -> tuple[dict[str, list[tuple[float, Input]]], Reason | None]:
    """The inputs of the numerator and denominator, or the reason why no script fits."""
    if body["result"]["method"] not in ("sum", "commune"):
        return {}, ("method", {"method": body["result"]["method"]})
    out: dict[str, list[tuple[float, Input]]] = {}
    for role, terms in body["terms"].items():
        out[role] = []
        for term in terms:
            found = _locate(body, role, term["variable"], term["year"])
            if not isinstance(found, Input):
                return {}, found
            out[role].append((term["coef"], found))
    return out, None


def availability(body: dict[str, Any]) -> dict[str, Any]:
    """Whether a script is offered for this explanation, and why not (FR and EN)."""
    _, reason = inputs(body)
    if reason is None:
        return {"available": True, "reason_fr": None, "reason_en": None}
    key, values = reason
    fr, en = REASONS[key]
    # ``{why}``: the language's own reason (``why_fr`` / ``why_en``)
    fr_text = fr.format(**{**values, "why": values.get("why_fr", "")})
    return {
        "available": False,
        "reason_fr": fr_text,
        "reason_en": en.format(**{**values, "why": values.get("why_en", "")}),
    }


def script(body: dict[str, Any]) -> str | None:
    """The Python script (text) recomputing the value, or None (see ``availability``)."""
    terms, reason = inputs(body)
    if reason is not None:
        return None
    ind, terr, res = body["indicator"], body["territory"], body["result"]
    f = ind["formula"]
    specs = {f"{i.variable}_{i.year}": asdict(i) for role in terms.values() for _, i in role}
    roles = {role: [(coef, f"{i.variable}_{i.year}") for coef, i in items] for role, items in terms.items()}
    years_apart = (
        body["periods"]["numerator"][0] - body["periods"]["denominator"][0] if f["kind"] == "change" else 0
    )
    files = sorted({p for spec in specs.values() for p, _ in spec["files"]})
    header = "\n".join(
        [
            f'"""Recompute « {ind["label_fr"]} » / "{ind["label_en"]}" for {terr["name"]} ({terr["code"]}), '
            f"{body['year']}.",
            "",
            f"Formula: {body['text']['en']['formula']}",
            "Official file(s): " + ", ".join(files),
            "Usage: RAW_DIR=/path/to/raw python recompute.py   (without RAW_DIR: download from the URLs)",
            "Generated by the Observatoire du Grand-Orly Seine Bièvre (/explication); needs pandas.",
            '"""',
        ]
    )
    constants = "\n".join(
        [
            f"MEMBERS = {pprint.pformat(terr['members'], compact=True, width=100)}",
            f"INPUTS = {pprint.pformat(specs, width=100, sort_dicts=False)}",
            f"NUMERATOR = {roles.get('numerator', [])!r}",
            f"DENOMINATOR = {roles.get('denominator', [])!r}",
            f"KIND, SCALE, ANNUALISED, YEARS_APART = {f['kind']!r}, {f['scale']!r}, "
            f"{bool(f.get('annualised'))!r}, {years_apart!r}",
            f"MIN_COVERAGE = {0.5!r}",
            f"PUBLISHED = {res['value']!r}  # /api/v1/values, for comparison",
        ]
    )
    return f"{header}\n\n{_PROLOGUE}\n{constants}\n\n{_BODY}"


_PROLOGUE = """import io
import os
import urllib.request
import zipfile

import pandas as pd

RAW_DIR = os.environ.get("RAW_DIR")
"""

_BODY = '''
def read(spec):
    """The file's code and value columns as text (several files: the first one giving a code wins)."""
    parts = []
    for path, url in spec["files"]:
        local = os.path.join(RAW_DIR, path) if RAW_DIR else None
        handle = local if local and os.path.exists(local) else io.BytesIO(urllib.request.urlopen(url).read())
        if spec["member"]:  # a zip archive: read the member named by the producer
            handle = zipfile.ZipFile(handle).open(spec["member"])
        filters = dict(spec["filters"])  # long tables: the rows of one year, one type…
        wanted = {spec["code"], spec["column"], *filters}
        if spec["fmt"] == "parquet":
            part = pd.read_parquet(handle, columns=sorted(wanted)).astype(str)
        else:
            part = pd.read_csv(handle, sep=spec["sep"], dtype=str, encoding="utf-8-sig",
                               encoding_errors="replace", usecols=lambda c: c in wanted)
        for column, value in filters.items():
            part = part[part[column] == value]
        parts.append(part)
    frame = pd.concat(parts).drop_duplicates(spec["code"])
    return frame.set_index(frame[spec["code"]].str.strip())[spec["column"]]


def number(text, comma):
    """Published cells to numbers: "s" (statistical secret) and empty cells give NaN."""
    text = text.fillna("").str.strip()
    if comma:
        text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text.where(~text.isin(["", "s"])), errors="coerce")


def load(spec):
    values = number(read(spec), spec["comma"])
    if spec["paris"] and "75056" not in values.index:  # Paris = sum of its 20 arrondissements
        values["75056"] = values[[c for c in values.index if c.startswith("751")]].sum(min_count=20)
    if spec["merged"]:  # communes merged since the file's map, as the ETL folds them
        merged = dict(spec["merged"])
        if spec["additive"]:  # counts: added to the current commune (NaN if a part has none)
            groups = values.groupby(values.index.map(lambda c: merged.get(c, c)))
            values = groups.sum().where(groups.count() == groups.size())
        else:  # rates, medians: the old value describes only part of today's commune
            for new in set(merged.values()):
                values[new] = float("nan")
            values = values.drop([c for c in merged if c in values.index])
    return values.reindex(MEMBERS)


table = pd.DataFrame({key: load(spec) for key, spec in INPUTS.items()}, index=MEMBERS)
num = sum(coef * table[key] for coef, key in NUMERATOR)
den = sum(coef * table[key] for coef, key in DENOMINATOR) if DENOMINATOR else num * 0 + 1
covered = num.notna() & den.notna()
table["covered"] = covered
print(table.to_string())
if covered.sum() == 0 or covered.sum() < MIN_COVERAGE * len(MEMBERS):
    raise SystemExit("coverage too low: no value")
n, d = num[covered].sum(), den[covered].sum()
if KIND in ("count", "value"):
    value = SCALE * n
elif KIND == "ratio":
    value = SCALE * n / d
elif ANNUALISED:
    value = ((n / d) ** (1 / YEARS_APART) - 1) * SCALE
else:
    value = (n / d - 1) * SCALE
print(f"communes covered: {int(covered.sum())} of {len(MEMBERS)}")
print(f"numerator = {float(n)!r}" + (f"; denominator = {float(d)!r}" if DENOMINATOR else ""))
print(f"value = {float(value)!r} (published: {PUBLISHED!r})")
'''
