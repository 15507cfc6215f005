"""One source line per value or chart (issue #9.10, ``indicators.credits`` over
``indicators.datasets``): the producer and the datasets the indicator's variables come from
(``etl/datasets.yaml``), the years shown grouped, the files read by their plain name, the licence
once; never a dataset the indicator does not use."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

import indicators as ind_api
from etl import registry
from indicators import credits, datasets
from indicators.catalogue import catalogue, get_indicator
from indicators.query import store

COMPARATEUR = ["insee_comparateur_rp2018", "insee_comparateur_rp2022"]
LABELS = {d.id: d.label_fr for d in datasets.declaration()[0].values()}


@pytest.fixture(scope="module")
def real(request: pytest.FixtureRequest) -> sa.Engine:
    try:
        return request.getfixturevalue("store_engine")
    except Exception as exc:  # noqa: BLE001 - any ETL failure means "no real store"
        pytest.skip(f"real store could not be built by the ETL: {type(exc).__name__}: {exc}")


def named(line: str) -> set[str]:
    """The datasets a source line names."""
    return {d for d, label in LABELS.items() if label in line}


# --- the declaration ---------------------------------------------------------------------------


def test_every_variable_comes_from_exactly_one_dataset() -> None:
    wrong = {v: datasets.datasets_of(v) for v in registry.variables() if len(datasets.datasets_of(v)) != 1}
    assert not wrong, f"declare each variable's dataset once in etl/datasets.yaml: {wrong}"
    declared, files = datasets.declaration()
    assert all(d.label_fr and d.label_en and d.producer for d in declared.values())
    assert {d for f in files.values() for d in f.datasets} <= set(declared)
    assert set(files) <= set(registry.sources())


def test_every_file_of_the_store_declares_the_datasets_it_holds(real) -> None:
    with real.connect() as conn:
        pairs = conn.execute(sa.text("SELECT DISTINCT variable, source_id FROM observation")).all()
    wrong = set()
    for variable, source_id in pairs:
        spec = datasets.file_of(source_id)
        if spec is None or datasets.dataset_of(variable) not in spec.datasets:
            wrong.add((source_id, variable, datasets.dataset_of(variable)))
    assert not wrong, sorted(wrong)[:10]


# --- the line ------------------------------------------------------------------------------------


def test_unemployment_rate_names_the_census_only_and_groups_the_years() -> None:
    line = credits.credit_line("unemployment_rate", [2022, 2018], COMPARATEUR)
    assert line == (
        "Source : Insee, recensement de la population 2018 et 2022 (comparateur de territoires)"
        " · Licence Ouverte / Etalab 2.0"
    )
    assert credits.credit_line("unemployment_rate", [2022], COMPARATEUR[1:], "en") == (
        "Source: Insee, population census 2022 (territorial comparison base) · Licence Ouverte / Etalab 2.0"
    )


@pytest.mark.parametrize(
    ("indicator", "year", "dataset", "words"),
    [
        ("population", 2022, "rp", "Insee, recensement de la population 2022"),
        ("natural_balance_annual", 2021, "etat_civil", "Insee, état civil 2021"),
        (
            "median_income",
            2021,
            "filosofi",
            "Insee-DGFiP-Cnaf-Cnav-CCMSA, fichier localisé social et fiscal (Filosofi) 2021",
        ),
        ("establishments", 2024, "flores", "Insee, Flores (établissements) 2024"),
    ],
)
def test_each_indicator_names_its_own_dataset(indicator, year, dataset, words) -> None:
    line = credits.credit_line(indicator, [year], ["insee_comparateur_rp2022"])
    assert named(line) == {dataset} and words in line
    assert "(comparateur de territoires)" in line and line.endswith("· Licence Ouverte / Etalab 2.0")


def test_several_datasets_producers_and_files() -> None:
    birth = credits.credit_line("birth_rate", [2024], ["insee_comparateur_rp2022"], denominator_years=[2022])
    assert birth.startswith(
        "Sources : Insee, état civil 2024, recensement de la population 2022 (comparateur"
    )
    social = credits.credit_line(
        "social_housing_share",
        [2024],
        ["sdes_rpls_2024", "insee_comparateur_rp2022"],
        denominator_years=[2022],
    )
    assert social.startswith(
        "Sources : SDES, répertoire des logements locatifs des bailleurs sociaux (RPLS) 2024 ;"
    )
    assert social.count("Licence") == 1  # the licence once, at the end
    income = credits.credit_line(
        "median_income", range(2014, 2022), ["insee_filosofi", "insee_comparateur_rp2022"]
    )
    assert "(Filosofi) 2014 à 2021 (comparateur de territoires, bases communales)" in income
    # a change reads its base year too; a file whose licence is not established states none
    assert "2016 et 2022" in credits.credit_line("population_growth", [2022], ["insee_comparateur_rp2022"])
    assert "Licence" not in credits.credit_line("property_sales", [2023], ["dvf_communes"])
    # an officer's upload is credited as the file it renews
    upload = credits.credit_line("unemployment_rate", [2022], ["insee_comparateur_rp2022__uabcdef012345"])
    assert "(comparateur de territoires)" in upload


def test_years_text() -> None:
    assert credits.years_text([2022]) == "2022"
    assert credits.years_text([2022, 2018]) == "2018 et 2022"
    assert credits.years_text(range(2014, 2021)) == "2014 à 2020"
    assert credits.years_text([2011, 2013, 2014, 2015, 2020], "en") == "2011, 2013 to 2015 and 2020"


def test_no_chart_line_names_a_dataset_its_indicator_does_not_read(real) -> None:
    """The scan: every catalogue indicator, its values over every vintage for the home and the
    metropolis, the line built as the charts build it."""
    bad = {}
    for ind_id in catalogue():
        ind = get_indicator(ind_id)
        frame = ind_api.series(real, ind_id, ["HOME", "MGP"])
        line = credits.frame_credit(frame, "fr", ind)
        own = set(datasets.indicator_datasets(ind))
        assert own, f"{ind_id}: no dataset declared for {ind.formula.variables}"
        extra = named(line) - own
        if extra or not line or line.count("Source") != 1:
            bad[ind_id] = line
    assert not bad, bad


def test_the_api_gives_the_line(real) -> None:
    from flask import Flask

    from indicators.api import register_api

    app = Flask("t")
    register_api(app, lambda: real)
    client = app.test_client()
    body = client.get("/api/v1/values?indicator=unemployment_rate&territory=HOME&year=all").get_json()
    assert body["source_line"].startswith("Source : Insee, recensement de la population ")
    assert " et 2022 (comparateur de territoires)" in body["source_line"]
    text = client.get("/api/v1/values?indicator=unemployment_rate&territory=HOME&year=2022&format=csv")
    header = [x for x in text.get_data(as_text=True).splitlines() if x.startswith("# Source")]
    assert header == [
        "# Source : Insee, recensement de la population 2022 (comparateur de territoires)"
        " · Licence Ouverte / Etalab 2.0"
    ]
    assert store(real).sources()  # the files are still described, one line each, under it


def test_english_lines_use_english_punctuation_and_vintages() -> None:
    """« a; b » in English, « a ; b » in French; a source's vintage in English from ``vintage_en``."""
    args = ("social_housing_share", [2024], ["sdes_rpls_2024", "insee_comparateur_rp2022"])
    en = credits.credit_line(*args, lang="en", denominator_years=[2022])
    fr = credits.credit_line(*args, denominator_years=[2022])
    assert "2024; Insee" in en and " ; " not in en and "2024 ; Insee" in fr
    assert datasets.source_vintage("insee_logement_2021", "en") == "RP2021; geography as of 1 January 2024"
    assert datasets.source_vintage("insee_logement_2021", "fr") == "RP2021; géographie au 01/01/2024"
    assert datasets.source_vintage("sdes_rpls_2024", "en") == "2024"  # no words: the same
    assert datasets.source_vintage("an_upload_of_nothing", "en", "2025") == "2025"
    for spec in registry.sources().values():  # every vintage with French words has its English
        if any(w in spec.vintage for w in ("état", "géographie", "départements", "antérieur")):
            assert spec.extra.get("vintage_en"), spec.id
