"""Reference geography: territories, memberships and merged-commune codes (pure functions).

Built from the ``@etalab/decoupage-administratif`` JSON files (see
``raw/reference/PROVENANCE.md``): package 6.0.0 is the current map (COG 2025, EPT 2025) and
4.1.0 the previous one (COG 2024, 131 MGP communes). The ETL core fetches the files, calls
``build_reference`` and writes the frames into ``territory`` / ``territory_member``; the
``merges`` and ``former_codes`` frames tell it how to fold codes of older maps into COG 2025.

File keys expected in ``files``: ``communes_2025``, ``ept_2025``, ``epci_2025``,
``departements_2025`` (source ``etalab_cog2025``; ``regions_2025`` optional: region names) and
``communes_2024``, ``ept_2024``, ``epci_2024`` (source ``etalab_cog2024``).

Beyond the metropolis (issue #11): every EPCI of France (``epci_2025``, its SIREN as code, level
``epci``), every department (``D01`` …) and every region (``R84`` …) gets its members on the 2025
map, so that any EPCI may be the observatory's home (``observatoire.yaml``) with its department(s)
and region as references. Nothing here depends on the configured home.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from etl.contract import RawDataError

TERRITORY_COLUMNS = [
    "code",
    "name",
    "level",
    "dep_code",
    "ept_code",
    "in_mgp",
    "siren",
    "population",
]
MEMBER_COLUMNS = ["geo_vintage", "group_code", "member_code"]
MERGE_COLUMNS = ["old_code", "new_code"]

PARIS = "75056"
MGP = "MGP"
MGP_SIREN = "200054781"
#: Departments whose communes (all of them, not only MGP members) get a D-group and a geometry.
IDF_DEPS = ("75", "91", "92", "93", "94", "95")
#: The 11 EPTs by SIREN in the conventional MGP numbering, T2, T3 … in this order (no official
#: file carries it: reference/PROVENANCE.md, section 3), with their number of communes on the 2025
#: and 2024 maps (PROVENANCE.md), checked on every build.
EPTS = (
    ("200057966", 11, 11),  # Vallée Sud-Grand Paris
    ("200057974", 8, 8),  # Grand Paris Seine Ouest
    ("200057982", 11, 11),  # Paris Ouest La Défense
    ("200057990", 7, 7),  # Boucle Nord de Seine
    ("200057867", 8, 9),  # Plaine Commune (93059 merged into 93066 on 2025-01-01)
    ("200058097", 8, 8),  # Paris Terres d'Envol
    ("200057875", 9, 9),  # Est Ensemble
    ("200058790", 14, 14),  # Grand Paris Grand Est
    ("200057941", 13, 13),  # Paris Est Marne et Bois
    ("200058006", 16, 16),  # Grand Paris Sud Est Avenir
    ("200058014", 24, 24),  # Grand-Orly Seine Bièvre
)
EPT_BY_SIREN = {siren: f"T{i}" for i, (siren, _, _) in enumerate(EPTS, start=2)}
EPT_CODES = ("T1", *EPT_BY_SIREN.values())
#: Invariants checked on every build: MGP size per geo vintage, communes per territory.
EXPECTED_MGP = {2025: 130, 2024: 131}
EXPECTED_EPT = {
    year: {"T1": 1} | {EPT_BY_SIREN[s]: n[k] for s, *n in EPTS} for k, year in enumerate((2025, 2024))
}

_CURRENT, _PREVIOUS = 2025, 2024
_DELEGATED = ("commune-deleguee", "commune-associee")


@dataclass(frozen=True)
class Reference:
    """The reference tables (see the module docstring).

    - ``territories``: ``TERRITORY_COLUMNS``, one row per territory of the current map (COG 2025);
    - ``members``: ``MEMBER_COLUMNS``, for geo vintages 2024 and 2025 (T1, T2 …, MGP, D75, D91..D95),
      and on the 2025 map every EPCI (SIREN), department (``D01`` …) and region (``R84`` …);
    - ``merges``: ``MERGE_COLUMNS``, COG 2025 delegated/associated communes → their chef-lieu;
    - ``former_codes``: ``MERGE_COLUMNS``, other ``anciensCodes`` of current communes (communes
      absorbed without a delegated commune, e.g. 91182 Courcouronnes → 91228, and pre-1968
      renumberings); a fallback after ``merges``, which wins when both know a code.
    """

    territories: pd.DataFrame
    members: pd.DataFrame
    merges: pd.DataFrame
    former_codes: pd.DataFrame

    def group(self, group_code: str, geo_vintage: int = _CURRENT) -> list[str]:
        """Sorted member codes of a group (e.g. ``"T6"``, ``"MGP"``, ``"D94"``) on a geo vintage."""
        m = self.members
        sel = (m["geo_vintage"] == geo_vintage) & (m["group_code"] == group_code)
        return sorted(m.loc[sel, "member_code"])

    def to_current(self) -> dict[str, str]:
        """Old code → COG 2025 code (merges first, then former codes)."""
        out = dict(zip(self.former_codes["old_code"], self.former_codes["new_code"], strict=True))
        out.update(zip(self.merges["old_code"], self.merges["new_code"], strict=True))
        return out


def _file(files: dict[str, Path], key: str) -> Path:
    if key not in files:
        raise ValueError(f"build_reference: missing file key {key!r} (have {sorted(files)})")
    return Path(files[key])


def _records(path: Path, required: Iterable[str]) -> list[dict[str, Any]]:
    """Load a JSON array of objects and check that every object has the ``required`` fields."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise RawDataError(path, f"not valid UTF-8 ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise RawDataError(path, f"not valid JSON: {exc.msg}", line=exc.lineno) from exc
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise RawDataError(path, "expected a JSON array of objects")
    if not data:
        raise RawDataError(path, "no records")
    for i, rec in enumerate(data):
        _require(path, rec, required, i)
    return data


def _require(path: Path, rec: dict[str, Any], fields: Iterable[str], index: int) -> None:
    for name in fields:
        if rec.get(name) in (None, ""):
            raise RawDataError(path, f"record {index} (code {rec.get('code')!r}) has no value", field=name)


def _communes(path: Path) -> list[dict[str, Any]]:
    recs = _records(path, ("code", "nom", "type", "departement", "zone"))
    # Fields that only some record types carry; COM communes (zone "com") have no population.
    needs = {"arrondissement-municipal": ("commune", "population"), **{t: ("chefLieu",) for t in _DELEGATED}}
    for i, rec in enumerate(recs):
        extra = needs.get(rec["type"], ())
        if rec["type"] == "commune-actuelle" and rec["zone"] != "com":
            extra = ("population",)
        _require(path, rec, extra, i)
        if not isinstance(rec["code"], str) or len(rec["code"]) != 5:
            raise RawDataError(
                path, f"record {i}: code {rec['code']!r} is not a 5-character string", field="code"
            )
    return recs


@dataclass
class _Vintage:
    rows: list[tuple[int, str, str]]  # (geo_vintage, group_code, member_code)
    ept_of: dict[str, str]  # MGP commune → T code
    ept_names: dict[str, tuple[str, str]]  # T code → (name, SIREN)
    actual: set[str]  # communes-actuelles codes in the file


def _membership(files: dict[str, Path], year: int, communes: list[dict[str, Any]]) -> _Vintage:
    """Memberships of one geo vintage (``communes``: its parsed communes file), invariants checked."""
    p_com, p_ept, p_epci = (_file(files, f"{k}_{year}") for k in ("communes", "ept", "epci"))
    actual = {r["code"]: r for r in communes if r["type"] == "commune-actuelle"}
    ept_of = {PARIS: "T1"}
    names: dict[str, tuple[str, str]] = {}
    for i, rec in enumerate(_records(p_ept, ("code", "nom", "membres"))):
        t = EPT_BY_SIREN.get(rec["code"])
        if t is None:
            raise RawDataError(p_ept, f"record {i}: unknown EPT SIREN {rec['code']}", field="code")
        names[t] = (rec["nom"], rec["code"])
        for m in rec["membres"]:
            _require(p_ept, m, ("code",), i)
            if m["code"] in ept_of:
                raise RawDataError(p_ept, f"commune {m['code']} is in two territories", field="membres")
            ept_of[m["code"]] = t
    if set(ept_of.values()) != set(EPT_CODES):
        raise RawDataError(p_ept, f"territories missing: {sorted(set(EPT_CODES) - set(ept_of.values()))}")
    metro = [r for r in _records(p_epci, ("code", "membres")) if r["code"] == MGP_SIREN]
    if len(metro) != 1:
        raise RawDataError(p_epci, f"expected one record with code {MGP_SIREN} (MGP)", field="code")
    mgp = {m.get("code") for m in metro[0]["membres"]}
    if mgp != set(ept_of):
        diff = sorted(mgp ^ set(ept_of), key=str)
        raise RawDataError(
            p_epci, f"MGP members differ from the union of the territories: {diff}", field="membres"
        )
    if len(mgp) != EXPECTED_MGP[year]:
        raise RawDataError(p_epci, f"MGP has {len(mgp)} communes, expected {EXPECTED_MGP[year]}")
    counts = {t: sum(g == t for g in ept_of.values()) for t in EXPECTED_EPT[year]}
    if wrong := [
        f"{t} has {counts[t]} communes, expected {n}" for t, n in EXPECTED_EPT[year].items() if counts[t] != n
    ]:
        raise RawDataError(p_ept, "; ".join(wrong))
    if missing := sorted(mgp - set(actual)):
        raise RawDataError(p_com, f"MGP members not among communes-actuelles: {missing}")
    rows = [(year, t, c) for c, t in ept_of.items()] + [(year, MGP, c) for c in mgp]
    rows += [(year, "D" + r["departement"], c) for c, r in actual.items() if r["departement"] in IDF_DEPS]
    return _Vintage(rows, ept_of, names, set(actual))


def _france(files: dict[str, Path], actual: dict[str, dict[str, Any]]) -> tuple[list, list]:
    """Groups of the whole country on the 2025 map (issue #11: a home outside the metropolis):
    every EPCI but the MGP (code = SIREN), the departments outside ``IDF_DEPS`` and every region
    (``R`` + code). Returns (member rows, territory rows of the EPCIs and regions)."""
    p_epci = _file(files, f"epci_{_CURRENT}")
    rows: list[tuple[int, str, str]] = []
    out: list[dict[str, Any]] = []
    for i, rec in enumerate(_records(p_epci, ("code", "nom", "membres"))):
        if rec["code"] == MGP_SIREN:
            continue
        codes = sorted({m.get("code") for m in rec["membres"]} - {None})
        if unknown := [c for c in codes if c not in actual]:
            raise RawDataError(p_epci, f"record {i} ({rec['code']}): members not communes: {unknown[:5]}")
        rows += [(_CURRENT, rec["code"], c) for c in codes]
        deps = sorted({actual[c]["departement"] for c in codes})
        dep = deps[0] if len(deps) == 1 else None
        pop = sum(actual[c].get("population") or 0 for c in codes)
        out.append(_row(rec["code"], rec["nom"], "epci", dep, None, rec["code"], pop))
    regions: dict[str, list[str]] = {}
    for c, r in actual.items():
        if r["departement"] not in IDF_DEPS:
            rows.append((_CURRENT, "D" + r["departement"], c))
        if r.get("region"):
            regions.setdefault(r["region"], []).append(c)
    names = {}
    if f"regions_{_CURRENT}" in files:  # optional: region names (else « Région 84 »)
        names = {r["code"]: r["nom"] for r in _records(_file(files, f"regions_{_CURRENT}"), ("code", "nom"))}
    for reg, codes in sorted(regions.items()):
        rows += [(_CURRENT, "R" + reg, c) for c in codes]
        pop = sum(actual[c].get("population") or 0 for c in codes)
        out.append(_row("R" + reg, names.get(reg, f"Région {reg}"), "region", None, None, None, pop))
    return rows, out


def _merges(path: Path, communes: list[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    actual = {r["code"] for r in communes if r["type"] == "commune-actuelle"}
    # A commune nouvelle keeps its own code as a delegated commune too (584 such records, e.g.
    # 93066 Saint-Denis): skip those so that nothing maps to itself.
    merges = {
        r["code"]: r["chefLieu"] for r in communes if r["type"] in _DELEGATED and r["chefLieu"] != r["code"]
    }
    for old, new in merges.items():
        # No chains in 6.0.0: every chef-lieu is a commune-actuelle, no delegated code is current.
        if new not in actual or old in actual:
            raise RawDataError(path, f"merge {old} → {new} is not old → current", field="chefLieu")
    # anciensCodes disagree with chefLieu for two associated communes (55273, 60455 were moved to
    # another commune later); chefLieu is the current state, so merges win over former codes.
    former = {
        old: r["code"]
        for r in communes
        if r["type"] == "commune-actuelle"
        for old in r.get("anciensCodes") or []
        if old not in merges and old not in actual
    }
    return (
        pd.DataFrame(sorted(merges.items()), columns=MERGE_COLUMNS),
        pd.DataFrame(sorted(former.items()), columns=MERGE_COLUMNS),
    )


def build_reference(files: dict[str, Path]) -> Reference:
    """Territories (COG 2025), memberships (2024 and 2025) and merged codes; see ``Reference``."""
    p_com = _file(files, f"communes_{_CURRENT}")
    communes = _communes(p_com)
    p_dep = _file(files, f"departements_{_CURRENT}")
    deps = _records(p_dep, ("code", "nom", "zone"))
    cur = _membership(files, _CURRENT, communes)
    prev = _membership(files, _PREVIOUS, _communes(_file(files, f"communes_{_PREVIOUS}")))
    ept_of = cur.ept_of
    in_france = {r["code"]: r for r in communes if r["type"] == "commune-actuelle" and r["zone"] != "com"}
    france_rows, france_out = _france(files, in_france)
    members = pd.DataFrame(cur.rows + prev.rows + france_rows, columns=MEMBER_COLUMNS)
    members = members.sort_values(MEMBER_COLUMNS, ignore_index=True)
    merges, former = _merges(p_com, communes)
    # Every commune of the previous map must fold into the current one (else its data is lost).
    known = cur.actual | set(merges["old_code"]) | set(former["old_code"])
    if lost := sorted(prev.actual - known):
        raise RawDataError(
            _file(files, f"communes_{_PREVIOUS}"), f"codes unknown on the COG 2025 map: {lost}"
        )

    # COM (zone "com": Polynésie, Nouvelle-Calédonie…) are left out: they are not in INSEE's
    # commune list nor in its statistics. France = metropolitan France + DROM.
    actual = [r for r in communes if r["type"] == "commune-actuelle" and r["zone"] != "com"]
    out: list[dict[str, Any]] = []
    for r in actual:
        t = ept_of.get(r["code"])
        out.append(_row(r["code"], r["nom"], "commune", r["departement"], t, r.get("siren"), r["population"]))
    # Arrondissements municipaux of Paris, Lyon and Marseille: national files carry them beside
    # their commune; they are their own level and never added to it.
    for r in communes:
        if r["type"] == "arrondissement-municipal":
            ept = "T1" if r["commune"] == PARIS else None
            out.append(
                _row(r["code"], r["nom"], "arrondissement", r["departement"], ept, None, r["population"])
            )
    pop_dep: dict[str, int] = {}
    for r in actual:
        pop_dep[r["departement"]] = pop_dep.get(r["departement"], 0) + r["population"]
    for d in deps:
        if d["zone"] != "com":
            out.append(
                _row("D" + d["code"], d["nom"], "departement", d["code"], None, None, pop_dep.get(d["code"]))
            )
    pop = {r["code"]: r["population"] for r in actual}
    for t in EPT_CODES:
        name, siren = ("Paris", None) if t == "T1" else cur.ept_names[t]
        total = sum(pop[c] for c, g in ept_of.items() if g == t)
        out.append(_row(t, name, "ept", None, t, siren, total))
    out.append(
        _row(MGP, "Métropole du Grand Paris", "mgp", None, None, MGP_SIREN, sum(pop[c] for c in ept_of))
    )
    out += france_out
    metro = sum(r["population"] for r in actual if r["zone"] == "metro")
    out.append(_row("FRM", "France métropolitaine", "france", None, None, None, metro))
    out.append(_row("FR", "France", "france", None, None, None, sum(pop.values())))

    territories = pd.DataFrame(out, columns=TERRITORY_COLUMNS)
    territories["population"] = territories["population"].astype("Int64")
    if territories["code"].duplicated().any():
        dup = territories.loc[territories["code"].duplicated(), "code"].tolist()
        raise RawDataError(p_com, f"duplicate territory codes: {dup[:10]}", field="code")
    for d in IDF_DEPS:
        if f"D{d}" not in set(territories["code"]):
            raise RawDataError(p_dep, f"department {d} missing", field="code")
    if (
        n := int(((territories["level"] == "arrondissement") & (territories["dep_code"] == "75")).sum())
    ) != 20:
        raise RawDataError(p_com, f"{n} Paris arrondissements, expected 20")
    return Reference(territories, members, merges, former)


def _row(
    code: str, name: str, level: str, dep: str | None, ept: str | None, siren: str | None, population: Any
) -> dict[str, Any]:
    # member communes, Paris arrondissements, the territories, MGP. Membership of the home territory
    # is read from ``territory_member`` (issue #11; migration 0004 dropped the former ``in_gosb`` column).
    in_mgp = ept is not None or level == "mgp"
    return {
        "code": code,
        "name": name,
        "level": level,
        "dep_code": dep,
        "ept_code": ept,
        "in_mgp": in_mgp,
        "siren": siren,
        "population": population,
    }


def locative(name: str) -> str:
    """French "in <place>" form of a commune name, with the article contracted where French does.

    ``Le X`` → ``au X``, ``Les X`` → ``aux X``; ``La X`` and ``L'X`` keep their capitalised
    article after ``à`` (official usage: « à La Courneuve », « à L'Haÿ-les-Roses »); other
    names take ``à``. Meant for communes (and Paris arrondissements); departments and EPTs
    use other prepositions (« dans le Val-de-Marne », « en Essonne ») not derivable from the name.
    """
    name = name.strip()
    if not name:
        raise ValueError("locative: empty name")
    if name.startswith("Les "):
        return "aux " + name[4:]
    if name.startswith("Le "):
        return "au " + name[3:]
    return "à " + name
