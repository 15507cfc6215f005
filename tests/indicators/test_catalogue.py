"""The indicator catalogue: loads, is complete enough, is checked at load, and only uses
variables the ETL produces (``etl/variables/*.yaml``) from declared sources (``etl/sources``)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from etl import registry
from indicators.catalogue import CatalogueError, catalogue, get_indicator, load, themes
from indicators.formula import format_expression, parse_expression

GOOD = """
theme: emploi
label_fr: Emploi
label_en: Employment
indicators:
  - id: rate
    label_fr: Taux
    label_en: Rate
    definition_fr: Déf
    definition_en: Def
    unit: percent
    formula: {kind: ratio, numerator: chom1564, denominator: act1564, scale: 100}
    decimals: 1
    polarity: higher_worse
    sources: [x]
    years: [2018, 2022]
    aggregable: true
"""


def write(tmp_path: Path, text: str, name: str = "emploi") -> Path:
    (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_catalogue_size_and_themes() -> None:
    inds = catalogue()
    assert len(inds) >= 30
    per_theme = Counter(i.theme for i in inds.values())
    assert {"demographie", "emploi", "logement", "economie", "revenus"} <= set(per_theme)
    assert all(n >= 5 for n in per_theme.values()), per_theme
    assert set(themes()) == set(per_theme)
    assert all(t.limits_fr and t.limits_en for t in themes().values())  # thin data is said, not hidden
    assert any(not i.aggregable for i in inds.values()) and any(i.census for i in inds.values())


def test_every_variable_is_produced_by_the_etl() -> None:
    declared = registry.variables()
    missing = {i.id: [v for v in i.formula.variables if v not in declared] for i in catalogue().values()}
    missing = {k: v for k, v in missing.items() if v}
    assert not missing, f"variables not declared in etl/variables/*.yaml: {missing}"


def test_aggregable_indicators_only_sum_additive_variables() -> None:
    declared = registry.variables()
    wrong = {
        i.id: [v for v in i.formula.variables if not declared[v].additive]
        for i in catalogue().values()
        if i.aggregable
    }
    assert not {k: v for k, v in wrong.items() if v}


def test_every_source_is_declared() -> None:
    known = set(registry.sources())
    unknown = {i.id: sorted(set(i.sources) - known) for i in catalogue().values() if set(i.sources) - known}
    assert not unknown, f"sources not declared in etl/sources/*.yaml: {unknown}"


def test_json_and_lookup() -> None:
    data = json.loads(json.dumps([i.to_dict() for i in catalogue().values()]))
    assert {d["id"] for d in data} == set(catalogue())
    assert get_indicator("unemployment_rate").formula.denominator[0].variable == "act1564"
    with pytest.raises(KeyError, match="unknown indicator"):
        get_indicator("nope")


def test_expressions() -> None:
    terms = parse_expression("pop6074 + pop7589 - 2*pop90p")
    assert [(t.coef, t.variable) for t in terms] == [(1, "pop6074"), (1, "pop7589"), (-2, "pop90p")]
    assert format_expression(terms) == "pop6074 + pop7589 - 2*pop90p"
    assert parse_expression("-a + b")[0].coef == -1
    for bad in ("", "a +", "a * b", "A", "a + 3"):
        with pytest.raises(ValueError):
            parse_expression(bad)


def test_a_good_file_loads(tmp_path: Path) -> None:
    _, inds = load(write(tmp_path, GOOD))
    assert inds["rate"].years == (2018, 2022)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    unit: percent\n", "", "missing fields ['unit']"),
        ("kind: ratio", "kind: median", "formula.kind must be one of"),
        ("unit: percent", "unit: furlongs", "unit must be one of"),
        ("polarity: higher_worse", "polarity: good", "polarity must be one of"),
        (", denominator: act1564", "", "denominator is required"),
        ("numerator: chom1564", "numerator: chom1564 * 2", "bad term"),
        ("years: [2018, 2022]", "years: [2022, 2018]", "years must be sorted"),
        ("aggregable: true", "aggregable: yes please", "aggregable and census must be true or false"),
        ("    decimals: 1\n", "    decimals: 1\n    colour: red\n", "unknown fields ['colour']"),
        (
            "kind: ratio, numerator: chom1564, denominator: act1564",
            "kind: value, numerator: med_uc",
            "cannot be aggregable",
        ),
        (
            "denominator: act1564,",
            "denominator: act1564, denominator_period: fixed,",
            "denominator_fixed is required",
        ),
        (
            "kind: ratio, numerator: chom1564, denominator: act1564",
            "kind: change, numerator: pop",
            "base_years",
        ),
        ("sources: [x]", "sources: []", "sources must be a non-empty list"),
    ],
)
def test_invalid_declarations_are_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in GOOD
    with pytest.raises(CatalogueError) as err:
        load(write(tmp_path, GOOD.replace(old, new, 1)))
    assert "emploi.yaml" in str(err.value) and "'rate'" in str(err.value) and message in str(err.value)


def test_file_level_errors(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="must equal the file name"):
        load(write(tmp_path, GOOD, name="logement"))
    other = tmp_path / "b"
    other.mkdir()
    write(other, GOOD)
    write(other, GOOD.replace("theme: emploi", "theme: revenus"), name="revenus")
    with pytest.raises(CatalogueError, match="already declared"):
        load(other)
    with pytest.raises(CatalogueError, match="invalid YAML"):
        load(write(tmp_path / "b", GOOD.replace("definition_fr: Déf", "definition_fr: Déf : x"), "revenus"))
    change = GOOD.replace(
        "kind: ratio, numerator: chom1564, denominator: act1564",
        "kind: change, numerator: pop, base_years: {2022: 2016}",
    )
    with pytest.raises(CatalogueError, match="one entry per declared year"):
        load(write(tmp_path, change))
