"""Issue #14: each corrected definition checked against the producer's dictionary or the raw file,
and Essonne / Val-d'Oise 2022 values checked against sums computed here from the raw file.

Figures are recomputed with pandas straight from ``raw_dir`` (never from the store), then compared
with what the service (the API's facade) gives on the real store.
"""

from __future__ import annotations

import csv
import re
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import indicators as ind_api
from etl.parsers import insee_comparateur_rp2018, insee_comparateur_rp2022
from indicators.catalogue import get_indicator

COMPARATEUR = "stats/insee_comparateur"
RP2022_MGP = f"{COMPARATEUR}/base_cc_comparateur_RP2022_MGP131.csv"
RP2022_9195 = f"{COMPARATEUR}/base_cc_comparateur_RP2022_dep91-95_full.csv"
RP2018_ZIP = f"{COMPARATEUR}/base_cc_comparateur_RP2018_csv.zip"
DICTIONARY = "stats/insee_dictionnaires/meta_dossier_complet_RP2021_vars.csv"
DOSSIER = "stats/insee_dossier_complet/dossier_complet_light_RP2022_MGP130.csv"
DEFM = "stats/france_travail_defm/emploi_demandeur.csv"
GOSB = [
    "94001",
    "94003",
    "94016",
    "94021",
    "94022",
    "94034",
    "94037",
    "94038",
    "94041",
    "94043",
    "94054",
    "94065",
    "94073",
    "94074",
    "94076",
    "94077",
    "94078",
    "94081",
    "91027",
    "91326",
    "91432",
    "91479",
    "91589",
    "91687",
]
DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def _dictionary(raw_dir: Path) -> dict[str, dict[str, str]]:
    with open(raw_dir / DICTIONARY, encoding="utf-8", newline="") as fh:
        return {row["COD_VAR"]: row for row in csv.DictReader(fh, delimiter=";") if not row["COD_MOD"]}


def _years_covered(long_label: str) -> int:
    """Whole calendar years between the two dates of « entre le 01/01/2013 et le 01/01/2018 »
    (end exclusive) or « entre 01/01/2015 et 31/12/2020 » (end inclusive)."""
    (d1, m1, y1), (d2, m2, y2) = DATE.findall(long_label)
    start, end = date(int(y1), int(m1), int(d1)), date(int(y2), int(m2), int(d2))
    if (end.month, end.day) == (12, 31):
        return end.year - start.year + 1
    return end.year - start.year


def _rp2022(raw_dir: Path, rel: str = RP2022_9195) -> pd.DataFrame:
    return pd.read_csv(raw_dir / rel, sep=";", dtype=str, keep_default_na=False)


def _value(engine, indicator: str, code: str, year: int) -> pd.Series:
    return ind_api.values(engine, indicator, [code], year).iloc[0]


# --- natural balance: period length from the dictionaries ------------------------------------------


def test_birth_death_periods_match_the_dictionaries(raw_dir: Path) -> None:
    with zipfile.ZipFile(raw_dir / RP2018_ZIP) as zf:
        meta = zf.read("meta_base_cc_comparateur.CSV").decode("utf-8").splitlines()
    rp2018 = {r["COD_VAR"]: r for r in csv.DictReader(meta, delimiter=";") if not r["COD_MOD"]}
    assert (
        _years_covered(rp2018["NAIS1318"]["LIB_VAR_LONG"]) == insee_comparateur_rp2018.BIRTH_DEATH_YEARS == 5
    )
    assert _years_covered(rp2018["DECE1318"]["LIB_VAR_LONG"]) == 5
    # the RP2021 edition's NAIS1520 runs 01/01/2015-31/12/2020: six years; NAIS1621 is the same
    # convention one year later (01/01/2016-31/12/2021)
    rp2021 = _dictionary(raw_dir)
    assert _years_covered(rp2021["NAIS1520"]["LIB_VAR_LONG"]) == 6
    assert _years_covered(rp2021["DECE1520"]["LIB_VAR_LONG"]) == 6
    assert insee_comparateur_rp2022.BIRTH_DEATH_YEARS == 6


def test_natural_balance_is_a_yearly_average_and_labelled_so(raw_dir: Path, store_engine) -> None:
    ind = get_indicator("natural_balance_5y")  # the former id still resolves
    assert ind.id == "natural_balance_annual"
    assert "cinq ans" in ind.definition_fr and "six ans" in ind.definition_fr
    assert "2016 au 31 décembre 2021" in ind.definition_fr and "five years" in ind.definition_en
    assert "5 ans" not in ind.label_fr and "5 years" not in ind.label_en
    df = _rp2022(raw_dir, RP2022_MGP)
    gosb = df[df["CODGEO"].isin(GOSB)]
    total = (gosb["NAIS1621"].astype(float) - gosb["DECE1621"].astype(float)).sum()
    got = _value(store_engine, "natural_balance_annual", "T12", 2021)
    assert got["value"] == pytest.approx(total / 6)
    # the former 2018 vs 2021 "rise" was the sixth year: the yearly averages fall
    with zipfile.ZipFile(raw_dir / RP2018_ZIP) as zf, zf.open("base_cc_comparateur.CSV") as fh:
        old = pd.read_csv(fh, sep=";", dtype=str, keep_default_na=False)
    old = old[old["CODGEO"].isin(GOSB)]
    total_2018 = (old["NAIS1318"].astype(float) - old["DECE1318"].astype(float)).sum()
    assert total > total_2018  # the period totals, not comparable (6 years against 5)
    assert _value(store_engine, "natural_balance_annual", "T12", 2018)["value"] == pytest.approx(
        total_2018 / 5
    )
    assert total / 6 < total_2018 / 5


# --- average net salary: place not documented for SNEMM --------------------------------------------


def test_salary_place_is_not_claimed_beyond_the_documentation(raw_dir: Path) -> None:
    dictionary = _dictionary(raw_dir)
    assert not [k for k in dictionary if k.startswith("SNEMM")]  # the dictionary at hand lacks SNEMM
    assert "au lieu de résidence" in dictionary["SNHM22"]["SOURCE"]  # only the hourly SNHM is documented
    ind = get_indicator("average_net_salary")
    assert "SNEMM_23" in ind.definition_fr and "n'est pas documenté" in ind.definition_fr
    assert "not documented" in ind.definition_en
    # the former, unsupported claim
    assert "au lieu de résidence (Base" not in ind.definition_fr
    assert "by place of residence (Base" not in ind.definition_en
    # what the definition quotes: Puteaux and Courbevoie above Neuilly-sur-Seine
    snemm = pd.to_numeric(_rp2022(raw_dir, DOSSIER).set_index("CODGEO")["SNEMM_23"], errors="coerce")
    assert round(snemm["92062"]) == 5210 and round(snemm["92026"]) == 5049 and round(snemm["92051"]) == 4508
    for figure in ("5 210", "5 049", "4 508"):
        assert figure in ind.definition_fr


# --- establishments: Flores, and what the remainder is ---------------------------------------------


def test_establishments_source_is_flores(raw_dir: Path) -> None:
    dictionary = _dictionary(raw_dir)
    for var in ("ETTOT22", "ETTEF022", "ETTEF122", "ETBE22"):
        assert "Flores" in dictionary[var]["SOURCE"]
    for ind_id in ("establishments", "est_small_share", "est_10plus_share"):
        ind = get_indicator(ind_id)
        assert "Flores" in ind.definition_fr and "Flores" in ind.definition_en
        assert "Sirene" not in ind.definition_fr.replace("et non le répertoire Sirene", "")
    assert "surtout sans salarié" not in get_indicator("est_small_share").definition_fr


def test_establishment_size_shares_recomputed_from_the_file(raw_dir: Path, store_engine) -> None:
    df = _rp2022(raw_dir, RP2022_MGP)
    gosb = df[df["CODGEO"].isin(GOSB)]
    total, small, big = (gosb[c].astype(float).sum() for c in ("ETTOT24", "ETTEF124", "ETTEFP1024"))
    shares = {
        "small": 100 * small / total,
        "big": 100 * big / total,
        "none": 100 * (total - small - big) / total,
    }
    assert round(shares["big"], 1) == 20.6 and round(shares["none"], 1) == 12.1
    assert _value(store_engine, "est_small_share", "T12", 2024)["value"] == pytest.approx(shares["small"])
    assert _value(store_engine, "est_10plus_share", "T12", 2024)["value"] == pytest.approx(shares["big"])
    # the definitions are shared by every home: they quote no territory's figures (issue #11)
    for ind_id in ("est_small_share", "establishments"):
        text_fr = get_indicator(ind_id).definition_fr
        assert "GOSB" not in text_fr and f"{shares['small']:.1f}".replace(".", ",") not in text_fr


# --- fibre: a share, not a count -------------------------------------------------------------------


def test_fibre_coverage_is_labelled_a_share(store_engine) -> None:
    ind = get_indicator("fibre_coverage")
    assert ind.unit == "percent" and ind.formula.kind == "ratio"
    assert ind.label_fr.startswith("Part ") and ind.label_en.startswith("Share ")
    got = ind_api.values(store_engine, "fibre_coverage", ["T12", "MGP"], 2018, 3)
    assert ((got["value"] > 0) & (got["value"] <= 100)).all()


# --- job seekers: the file names no category --------------------------------------------------------


def test_jobseekers_definitions_say_what_the_file_says(raw_dir: Path) -> None:
    with open(raw_dir / DEFM, encoding="utf-8") as fh:
        header = fh.readline().strip().split(",")
    assert header == ["codgeo", "YEAR", "Demandeurs_Emploi"]  # no category column or label
    for ind_id in ("jobseekers", "jobseekers_change", "jobseekers_monthly"):
        ind = get_indicator(ind_id)
        assert "A, B, C" not in ind.label_fr and "A, B, C" not in ind.label_en
    main = get_indicator("jobseekers")
    assert "ne dit pas de quelles catégories" in main.definition_fr
    assert "does not say which categories" in main.definition_en
    # read aloud from speaker notes (review R1.5): the file's columns in words, not their names
    assert not any(col in main.definition_fr + main.definition_en for col in header)


# --- Essonne and Val-d'Oise, 2022 -------------------------------------------------------------------


@pytest.mark.parametrize("dep", ["91", "95"])
def test_departments_2022_equal_sums_of_the_raw_file(raw_dir: Path, store_engine, dep: str) -> None:
    df = _rp2022(raw_dir)
    rows = df[df["CODGEO"].str.startswith(dep)]
    assert len(rows) == {"91": 194, "95": 183}[dep]
    num = {c: rows[c].astype(float).sum() for c in ("P22_POP", "P22_EMPLT", "P22_CHOM1564", "P22_ACT1564")}
    num.update({c: rows[c].astype(float).sum() for c in ("P22_LOGVAC", "P22_LOG")})
    expected = {
        "population": num["P22_POP"],
        "jobs": num["P22_EMPLT"],
        "unemployment_rate": 100 * num["P22_CHOM1564"] / num["P22_ACT1564"],
        "vacancy_rate": 100 * num["P22_LOGVAC"] / num["P22_LOG"],
    }
    for indicator, value in expected.items():
        got = _value(store_engine, indicator, f"D{dep}", 2022)
        assert got["status"] == "ok" and got["n_covered"] == got["n_members"] == len(rows), indicator
        assert got["value"] == pytest.approx(value, rel=1e-9), indicator
    assert num["P22_POP"] == {"91": 1_324_546, "95": 1_270_845}[dep]  # PROVENANCE §15


def test_communes_in_both_rp2022_files_agree_and_no_disagreement_is_flagged(
    raw_dir: Path, store_engine
) -> None:
    mgp, full = _rp2022(raw_dir, RP2022_MGP), _rp2022(raw_dir)
    both = sorted(set(mgp["CODGEO"]) & set(full["CODGEO"]))
    assert both == ["91027", "91326", "91432", "91479", "91589", "91687", "95018"]
    left = mgp.set_index("CODGEO").loc[both]
    right = full.set_index("CODGEO").loc[both, left.columns]
    assert left.equals(right)  # same strings, column by column
    with store_engine.connect() as conn:
        flags = pd.read_sql(
            "SELECT message FROM quality_flag WHERE kind = 'source_disagreement' "
            "AND message LIKE '%insee_comparateur_rp2022_dep91_95%' AND message LIKE '%insee_comparateur_rp2022 %'",
            conn,
        )
        kept = pd.read_sql(
            "SELECT DISTINCT source_id FROM observation WHERE code = '91027' AND variable = 'pop' AND year = 2022",
            conn,
        )
    assert flags.empty
    assert kept["source_id"].tolist() == ["insee_comparateur_rp2022"]  # higher priority wins


def test_dep91_95_parser_reads_every_commune_and_averages_births(raw_dir: Path) -> None:
    from etl.parsers import insee_comparateur_rp2022_dep91_95
    from etl.registry import sources

    spec = sources()["insee_comparateur_rp2022_dep91_95"]
    result = insee_comparateur_rp2022_dep91_95.parse({"main": raw_dir / RP2022_9195}, spec)
    obs = result.observations
    assert result.rows_read == {"main": 377} and obs["code"].nunique() == 377
    births = obs[obs["variable"].isin(["nais_5y", "nais_an"])].pivot(
        index="code", columns="variable", values="value"
    )
    assert (births["nais_an"] * 6).round(6).equals(births["nais_5y"].round(6))
