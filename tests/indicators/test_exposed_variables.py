"""Issue #14: variables stored but not in the catalogue, now exposed (Sitadel by dwelling type, BPE
facilities, tourist accommodation, Gini, S80/S20). Each new indicator has values for its vintages
for the MGP communes; figures are checked against sums computed here from the raw files (pandas
or ``csv``, never the ETL), and the non-additive indices use the published value or say why."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

import indicators as ind_api
from indicators.vintages import resolve
from tests.indicators import raw

NEW = {
    "housing_authorised_collective_share": "suivi",
    "housing_authorised_individual_share": "suivi",
    "housing_authorised_residence_share": "suivi",
    "housing_started_collective_share": "suivi",
    "food_stores_per_1000": "equipements",
    "pharmacies": "equipements",
    "pharmacies_per_1000": "equipements",
    "lower_secondary_schools": "equipements",
    "upper_secondary_schools": "equipements",
    "hotels": "equipements",
    "tourist_accommodation": "equipements",
    "gini_index": "revenus",
    "s80_s20_ratio": "revenus",
}
SITADEL = raw.STATS / "sitadel_sdes" / "sitadel_idf_communes.parquet"


def test_declared_with_definitions_in_both_languages() -> None:
    cat = ind_api.catalogue()
    for ind_id, theme in NEW.items():
        ind = cat[ind_id]
        assert ind.theme == theme
        assert ind.definition_fr and ind.definition_en and ind.label_fr and ind.label_en
    # not additive: never summed over communes
    assert not cat["gini_index"].aggregable and not cat["s80_s20_ratio"].aggregable
    assert cat["gini_index"].formula.kind == cat["s80_s20_ratio"].formula.kind == "value"
    # a raw count of shops or pharmacies mostly repeats the commune's size: per 1,000 inhabitants
    assert cat["food_stores_per_1000"].unit == cat["pharmacies_per_1000"].unit == "per_1000"


def test_every_vintage_has_values_for_the_mgp_communes(store_engine) -> None:
    mgp = raw.territories()["MGP"]
    for ind_id in NEW:
        ind = resolve(store_engine, ind_api.get_indicator(ind_id))
        assert ind.years, ind_id
        for year in ind.years:
            frame = ind_api.values(store_engine, ind_id, mgp, year)
            assert np.isfinite(frame["value"]).sum() >= 100, (ind_id, year)


def test_gini_vintages_exclude_the_one_decimal_files(store_engine) -> None:
    """FILO2014/2015 publish GI to one decimal (0,3 / 0,4): not offered; 2016 has three."""
    years = resolve(store_engine, ind_api.get_indicator("gini_index")).years
    assert 2014 not in years and 2015 not in years and 2016 in years
    text = (raw.STATS / "filosofi_insee" / "FILO2014_DISP_COM_dep75-91-92-93-94-95.csv").read_text(
        "utf-8-sig"
    )
    values = {r["GI14"] for r in csv.DictReader(io.StringIO(text), delimiter=";") if r["GI14"]}
    assert values <= {"0,1", "0,2", "0,3", "0,4", "0,5", "0,6"}


def test_sitadel_shares_against_the_parquet_file(store_engine) -> None:
    """GOSB 2022: flats, houses and residences among dwellings authorised, from the SDES file."""
    gosb = raw.territories()["T12"]
    frame = pd.read_parquet(SITADEL)
    rows = frame[(frame["annee"] == 2022) & frame["code_com"].isin(gosb)]
    by_type = rows.groupby("type_lgt")["log_aut"].sum()
    total = by_type["Tous"]
    assert total == by_type[["Indiv_pur", "Indiv_groupe", "Collectif", "Residence"]].sum()
    expected = {
        "housing_authorised_collective_share": 100 * by_type["Collectif"] / total,
        "housing_authorised_individual_share": 100 * (by_type["Indiv_pur"] + by_type["Indiv_groupe"]) / total,
        "housing_authorised_residence_share": 100 * by_type["Residence"] / total,
    }
    got = {k: float(ind_api.values(store_engine, k, ["T12"], 2022)["value"].iloc[0]) for k in expected}
    assert got == pytest.approx(expected, abs=1e-9)
    assert sum(got.values()) == pytest.approx(100.0)
    started = (
        frame[(frame["annee"] == 2023) & frame["code_com"].isin(gosb)].groupby("type_lgt")["log_com"].sum()
    )
    value = ind_api.values(store_engine, "housing_started_collective_share", ["T12"], 2023)["value"].iloc[0]
    assert value == pytest.approx(100 * started["Collectif"] / started["Tous"])


def test_facilities_and_tourism_against_the_dossier_complet(store_engine) -> None:
    """GOSB pharmacies, collèges and tourist accommodation, and pharmacies per 1,000 inhabitants
    (census 2022 population of the RP2022 comparateur), summed here from the raw files."""
    gosb = raw.territories()["T12"]
    rows = raw.dossier()

    def total(*columns: str) -> float:
        return sum(float(rows[c][col] or 0) for c in gosb for col in columns)

    def value(ind_id: str, year: int) -> float:
        return float(ind_api.values(store_engine, ind_id, ["T12"], year)["value"].iloc[0])

    assert value("pharmacies", 2024) == total("BPE_2024_D307")
    assert value("lower_secondary_schools", 2024) == total("BPE_2024_C201")
    assert value("tourist_accommodation", 2026) == total("HT26", "RT26", "VV26", "AJCS26", "CPG26")
    assert value("hotels", 2026) == total("HT26")
    population = raw.rp_sum(gosb, "P22_POP")
    assert value("pharmacies_per_1000", 2024) == pytest.approx(1000 * total("BPE_2024_D307") / population)
    food = total("BPE_2024_B105", "BPE_2024_B201")
    assert value("food_stores_per_1000", 2024) == pytest.approx(1000 * food / population)


def test_inequality_indices_use_published_values_or_say_why(store_engine) -> None:
    """Vitry's and the Val-de-Marne's S80/S20 2019 are the file's; GOSB has none (not additive)."""
    path = raw.STATS / "filosofi_insee"
    communes = {
        r["CODGEO"]: r
        for r in csv.DictReader(
            io.StringIO((path / "FILO2019_DISP_COM_dep75-91-92-93-94-95.csv").read_text("utf-8-sig")),
            delimiter=";",
        )
    }
    deps = {
        r["CODGEO"]: r
        for r in csv.DictReader(
            io.StringIO(
                (path / "supra_communal" / "FILO2019_DISP_DEP_dep75-91-92-93-94-95.csv").read_text(
                    "utf-8-sig"
                )
            ),
            delimiter=";",
        )
    }
    frame = ind_api.values(store_engine, "s80_s20_ratio", ["94081", "D94", "T12"], 2019).set_index("code")
    assert frame.loc["94081", "value"] == float(communes["94081"]["S80S2019"].replace(",", "."))
    assert frame.loc["D94", "value"] == float(deps["94"]["S80S2019"].replace(",", "."))
    assert frame.loc["D94", "method"] == "official"
    assert frame.loc["T12", "status"] == "not_aggregable" and np.isnan(frame.loc["T12", "value"])
    gini = ind_api.values(store_engine, "gini_index", ["94081"], 2019)["value"].iloc[0]
    assert gini == float(communes["94081"]["GI19"].replace(",", "."))
