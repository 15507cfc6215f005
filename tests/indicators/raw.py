"""Independent readings of the raw files (plain ``csv``/``json``, no ETL code) for the real-store tests.

Every function returns figures on the 2025 map for the communes it is asked about; the
Pierrefitte-sur-Seine (93059) → Saint-Denis (93066) merger only matters for files on older maps,
and there the sums over the MGP include both codes.
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from pathlib import Path

from tests.conftest import raw_dir_path

STATS = raw_dir_path() / "stats"
REFERENCE = raw_dir_path() / "reference" / "etalab-decoupage-administratif-6.0.0"
EPT_BY_SIREN = {  # reference/PROVENANCE.md, section 3 (the conventional MGP numbering)
    "200057966": "T2", "200057974": "T3", "200057982": "T4", "200057990": "T5", "200057867": "T6",
    "200058097": "T7", "200057875": "T8", "200058790": "T9", "200057941": "T10", "200058006": "T11",
    "200058014": "T12",
}  # fmt: skip


def _rows(path: Path, delimiter: str, skip: int = 0) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()[skip:]
    return list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=delimiter))


@cache
def territories() -> dict[str, list[str]]:
    """T1..T12 and MGP members (COG 2025) from the Etalab reference files."""
    out = {"T1": ["75056"]}
    for ept in json.loads((REFERENCE / "ept.json").read_text(encoding="utf-8")):
        out[EPT_BY_SIREN[ept["code"]]] = sorted(m["code"] for m in ept["membres"])
    mgp = next(
        e
        for e in json.loads((REFERENCE / "epci.json").read_text(encoding="utf-8"))
        if e["code"] == "200054781"
    )
    out["MGP"] = sorted(m["code"] for m in mgp["membres"])
    return out


@cache
def rp2022() -> dict[str, dict[str, str]]:
    """The RP2022 comparateur rows by code (130 MGP communes + 93059)."""
    path = STATS / "insee_comparateur" / "base_cc_comparateur_RP2022_MGP131.csv"
    return {r["CODGEO"]: r for r in _rows(path, ";")}


@cache
def dossier() -> dict[str, dict[str, str]]:
    path = STATS / "insee_dossier_complet" / "dossier_complet_light_RP2022_MGP130.csv"
    return {r["CODGEO"]: r for r in _rows(path, ";")}


def rp_sum(codes: list[str], column: str, table: str = "rp2022") -> float:
    rows = rp2022() if table == "rp2022" else dossier()
    return sum(float(rows[c][column]) for c in codes)


def rpls(codes: list[str]) -> dict[str, float]:
    """Sums of the RPLS detail counts (file 7) over communes (Paris = its arrondissements)."""
    path = STATS / "rpls_sdes" / "export_parc_logements_sociaux_jan_2024.csv"
    wanted = set(codes) | ({f"751{i:02d}" for i in range(1, 21)} if "75056" in codes else set())
    wanted |= {"93059"} if "93066" in codes else set()  # merged into Saint-Denis in 2025
    out = {"nb_ls": 0.0, "nb_loues": 0.0, "nb_vacants": 0.0}
    for r in _rows(path, ","):
        if r["DEPCOM_ARM"] in wanted:
            for k in out:
                out[k] += float(r[k] or "nan")
    return out


def defm(codes: list[str], year: int, month_name: str) -> tuple[float, int]:
    """Job seekers of a month over communes and the number of communes found.

    Exact duplicate rows count once. 93066 has two different values every month: the department
    93 total shows they are the merged commune's two parts (old Saint-Denis and Pierrefitte), so
    both are counted, as on the 2025 map.
    """
    rows = {
        (r["codgeo"], r["Demandeurs_Emploi"])
        for r in _rows(STATS / "france_travail_defm" / "emploi_demandeur.csv", ",")
        if r["codgeo"] in codes and r["YEAR"] == f"{month_name}_{year}"
    }
    return sum(float(v) for _, v in rows), len({c for c, _ in rows})


def dvf(codes: list[str], year: int) -> tuple[float, float]:
    """(sales, sales-weighted mean price per m²) over communes for one year (2014-2023 layout)."""
    path = STATS / "dvf_indicateurs_communes" / f"dvf{year}_dep75-91-92-93-94-95.csv"
    sales = weighted = 0.0
    wanted = set(codes) | ({"93059"} if "93066" in codes else set())
    for r in _rows(path, ","):
        if r["INSEE_COM"] in wanted:
            n = float(r["Nb_mutations"])
            sales += n
            weighted += n * float(r["Prixm2Moyen"])
    return sales, weighted / sales


def arcep(codes: list[str]) -> tuple[float, float]:
    """(FttH-connectable premises at T1 2018, dwellings + establishments) over communes."""
    folder = STATS / "arcep_ftth"
    wanted = set(codes) | ({"93059"} if "93066" in codes else set())
    locaux = sum(
        float(r["T1 2018"])
        for r in _rows(folder / "ftthCommunes_2018T1_dep75-91-92-93-94-95.csv", ",", skip=4)
        if r["Code commune"] in wanted and r["Champ"] == "Locaux Raccordables"
    )

    def number(text: str) -> float:
        text = text.replace("\u00a0", "").replace("\u202f", "").strip()
        return 0.0 if text == "-" else float(text.replace(" ", ""))

    base = sum(
        number(r["Logements"]) + number(r["Établissements"])
        for r in _rows(folder / "communes_2018T1_dep75-91-92-93-94-95.csv", ",", skip=4)
        if r["Code commune"] in wanted
    )
    return locaux, base
