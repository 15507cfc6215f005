"""Key messages (pure): names, numbers, comparison direction, counts, changes over time."""

from __future__ import annotations

import re

import pytest

from exports.messages import change_message, genitive, key_message, locative, subject
from exports.model import Place, Reading
from indicators.catalogue import catalogue
from tests.exports.helpers import GOSB, GOSB_COMMUNES, MGP, commune, facts

NBSP = "\u00a0"


@pytest.mark.parametrize("code", sorted(GOSB_COMMUNES))
@pytest.mark.parametrize(
    ("indicator", "value", "gosb", "mgp", "expected"),
    [
        ("unemployment_rate", 14.64, 12.8, 11.8, f"14,6{NBSP}%"),
        ("activity_rate", 72.04, 74.3, 76.8, f"72,0{NBSP}%"),
        ("jobs_per_100_active", 60.31, 79.8, 112.6, "60,3 emplois pour 100 actifs"),
        ("social_housing_share", 35.94, 34.3, 27.9, "35,9 logements sociaux pour 100 résidences principales"),
        ("average_net_salary", 2821.4, None, 3300.0, f"2{NBSP}821{NBSP}€"),
        ("population", 95282, 725207, 7115576, f"95{NBSP}282"),
    ],
)
def test_sentence_for_every_gosb_commune(code, indicator, value, gosb, mgp, expected):
    name, start = GOSB_COMMUNES[code]
    text = key_message(facts(indicator, commune(code), value, gosb, mgp))
    assert text.startswith(start + " ")
    assert expected in text
    assert text.endswith(".") and "  " not in text and "nan" not in text
    assert " 2022" in text
    if indicator == "population":  # a count: a share of the territory, never « contre 7 115 576 »
        assert f"soit 13,1{NBSP}% du total du territoire Grand-Orly Seine Bièvre" in text
        assert "contre" not in text
    else:
        assert "dans la Métropole du Grand Paris" in text and ", contre " in text


def test_the_spec_example_and_comparison_direction():
    vitry = commune("94081")
    up = key_message(facts("unemployment_rate", vitry, 14.6, 12.8, 11.8))
    assert up == (
        "À Vitry-sur-Seine, le taux de chômage des 15-64 ans (recensement) atteint 14,6\u00a0% en 2022, "
        "contre 12,8\u00a0% dans le territoire Grand-Orly Seine Bièvre et 11,8\u00a0% dans la Métropole "
        "du Grand Paris."
    )
    down = key_message(facts("unemployment_rate", commune("94065"), 8.5, 12.8, 11.8))
    assert " s'établit à 8,5" in down and " atteint " not in down
    between = key_message(facts("unemployment_rate", commune("94003"), 12.0, 12.8, 11.8))
    assert " s'établit à 12,0" in between  # above the MGP but below GOSB: not « atteint »


def test_equal_values_once_rounded_are_not_contrasted():
    text = key_message(facts("unemployment_rate", commune("94016"), 11.84, 12.8, 11.8))
    assert ", comme dans la Métropole du Grand Paris, contre 12,8\u00a0% dans le territoire" in text
    assert "11,8\u00a0% dans la Métropole" not in text


def test_missing_secret_and_non_aggregable_focus():
    secret = key_message(
        facts("average_net_salary", commune("94001"), None, None, 3300.0, year=2023, status="secret")
    )
    assert secret == "Pas de valeur pour Ablon-sur-Seine en 2023 : secret statistique."
    group = facts("average_net_salary", GOSB, None, None, 3300.0, year=2023, status="not_aggregable")
    # a mean salary is neither a median nor a rate (review R1.1): the reason fits every published value
    assert key_message(group) == (
        "Pas de valeur pour le territoire Grand-Orly Seine Bièvre en 2023 : publiée commune par commune, "
        "cette donnée ne se recalcule pas pour un ensemble de communes."
    )
    assert "médiane" not in key_message(group) and "taux" not in key_message(group)


def test_partial_reference_is_said():
    f = facts("jobseekers_change", commune("94081"), 0.1, year=2024, base_year=2023)
    f = f.__class__(**{**f.__dict__, "references": (Reading(MGP, 2.3, "partial", 130, 124),)})
    text = key_message(f)
    assert "entre 2023 et 2024" in text and "+0,1\u00a0%" in text
    assert "+2,3\u00a0% dans la Métropole du Grand Paris (124 communes sur 130)" in text


def test_monthly_period_and_average():
    monthly = key_message(facts("jobseekers_monthly", commune("94081"), 9400, 69000, year=2024, month=12))
    assert "on compte 9\u00a0400 demandeurs d'emploi inscrits à France Travail en décembre 2024" in monthly
    yearly = key_message(facts("jobseekers", commune("94081"), 9258, 66963, year=2024))
    assert "on compte en moyenne 9\u00a0258 demandeurs d'emploi" in yearly


def test_change_only_between_census_vintages_five_years_apart():
    vitry = commune("94081")
    close = facts("unemployment_rate", vitry, 14.6, earlier=Reading(vitry, 13.0), earlier_year=2018)
    assert change_message(close) is None  # 2018 → 2022: INSEE advises against it
    far = facts("unemployment_rate", vitry, 14.6, earlier=Reading(vitry, 13.0), earlier_year=2016)
    assert change_message(far) == "En 2016, il s'établissait à 13,0\u00a0% (+1,6\u00a0point en 6 ans)."
    pop = facts("population", vitry, 95282, earlier=Reading(vitry, 92755), earlier_year=2016)
    assert change_message(pop) == "En 2016, elle s'établissait à 92\u00a0755 (+2,7\u00a0% en 6 ans)."
    jobs = facts("jobs", vitry, 27441, earlier=Reading(vitry, 27169), earlier_year=2016)
    assert change_message(jobs) == "En 2016, on en comptait 27\u00a0169 (+1,0\u00a0% en 6 ans)."
    # Not census: a shorter gap may be stated.
    seekers = facts("jobseekers", vitry, 9258, year=2024, earlier=Reading(vitry, 10294), earlier_year=2020)
    assert change_message(seekers) == "En 2020, on en comptait 10\u00a0294 (-10,1\u00a0% en 4 ans)."
    points = facts("unemployment_rate", vitry, 16.6, earlier=Reading(vitry, 13.0), earlier_year=2016)
    assert "+3,6\u00a0points" in change_message(points)


@pytest.mark.parametrize(
    ("place", "loc", "gen"),
    [
        (Place("94043", "Le Kremlin-Bicêtre", "commune"), "au Kremlin-Bicêtre", "du Kremlin-Bicêtre"),
        (Place("94038", "L'Haÿ-les-Roses", "commune"), "à L'Haÿ-les-Roses", "de L'Haÿ-les-Roses"),
        (Place("93045", "Les Lilas", "commune"), "aux Lilas", "des Lilas"),
        (Place("93027", "La Courneuve", "commune"), "à La Courneuve", "de La Courneuve"),
        (Place("94041", "Ivry-sur-Seine", "commune"), "à Ivry-sur-Seine", "d'Ivry-sur-Seine"),
        (Place("75056", "Paris", "commune"), "à Paris", "de Paris"),
        (GOSB, "dans le territoire Grand-Orly Seine Bièvre", "du territoire Grand-Orly Seine Bièvre"),
        (Place("T1", "Paris", "ept"), "à Paris", "de Paris"),
        (MGP, "dans la Métropole du Grand Paris", "de la Métropole du Grand Paris"),
        (Place("D91", "Essonne", "departement"), "en Essonne", "de l'Essonne"),
        (Place("D94", "Val-de-Marne", "departement"), "dans le Val-de-Marne", "du Val-de-Marne"),
        (
            Place("group:94054+94065", "Orly + Rungis", "group", ("94054", "94065"), ("Orly", "Rungis")),
            "dans les 2 communes sélectionnées (Orly et Rungis)",
            "des 2 communes sélectionnées",
        ),
    ],
)
def test_prepositions_and_articles(place, loc, gen):
    assert locative(place) == loc
    assert genitive(place) == gen


def test_every_catalogue_indicator_gives_a_sentence():
    vitry = commune("94081")
    for ind in catalogue().values():
        text = key_message(
            facts(
                ind.id,
                vitry,
                12.345,
                10.0,
                11.0,
                year=ind.latest_year,
                base_year=ind.formula.base_year(ind.latest_year),
                month=ind.months[-1] if ind.months else 0,
            )
        )
        assert text.startswith("À Vitry-sur-Seine, ") and text.endswith(".")
        assert not re.search(r"\b(nan|None)\b", text)


@pytest.mark.parametrize(
    ("indicator", "text"),
    [
        ("unemployment_rate", "le taux de chômage des 15-64 ans (recensement)"),
        ("salaried_jobs_share", "la part des emplois salariés"),
        ("density", "la densité de population"),
        ("jobseekers_change", "l'évolution annuelle des demandeurs d'emploi inscrits"),
        ("social_housing", "les logements sociaux"),
        ("average_net_salary", "le salaire net mensuel moyen (en équivalent temps plein)"),
    ],
)
def test_subjects_take_their_article(indicator, text):
    assert subject(catalogue()[indicator]).text == text
