"""Aggregation on hand-made frames: ratios of sums, partial coverage, non-aggregable indicators,
period rules, changes, the 5-year census guard and rankings with ties."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from indicators import aggregate as agg
from tests.indicators.helpers import make_indicator, obs

RATE = make_indicator({"kind": "ratio", "numerator": "chom", "denominator": "act", "scale": 100})
COUNT = make_indicator({"kind": "count", "numerator": "pop"})
MEDIAN = make_indicator({"kind": "value", "numerator": "med"}, years=[2021], aggregable=False)

# three communes; B has a secret numerator
RATE_OBS = obs(
    [
        ("A", "chom", 2022, 10),
        ("A", "act", 2022, 100),
        ("B", "chom", 2022, None, "secret"),
        ("B", "act", 2022, 1000),
        ("C", "chom", 2022, 300),
        ("C", "act", 2022, 1000),
    ]
)


def one(frame: pd.DataFrame, code: str) -> pd.Series:
    return frame.set_index("code").loc[code]


def test_ratio_of_sums_not_mean_of_ratios() -> None:
    res = agg.compute(RATE, RATE_OBS, {"AC": ["A", "C"]}, 2022)
    row = one(res, "AC")
    # (10 + 300) / (100 + 1000) = 28.18 %, whereas the mean of 10 % and 30 % would be 20 %
    assert row["value"] == pytest.approx(100 * 310 / 1100)
    assert (row["numerator"], row["denominator"]) == (310, 1100)
    assert (row["status"], row["method"], row["n_members"], row["n_covered"]) == ("ok", "sum", 2, 2)


def test_secret_member_makes_the_aggregate_partial() -> None:
    res = agg.compute(RATE, RATE_OBS, {"ABC": ["A", "B", "C"]}, 2022)
    row = one(res, "ABC")
    assert row["status"] == "partial"
    assert (row["n_members"], row["n_covered"]) == (3, 2)
    # the partial value is computed on the covered communes only (numerator AND denominator)
    assert row["value"] == pytest.approx(100 * 310 / 1100)
    assert "2 of 3" in row["reason"] and "B" in row["reason"] and "secret" in row["reason"]


def test_commune_statuses() -> None:
    table = agg.commune_table(RATE, RATE_OBS, 2022)
    assert table.loc["B", "status"] == "secret" and math.isnan(table.loc["B", "value"])
    assert table.loc["A", "value"] == pytest.approx(10.0)
    res = agg.aggregate(RATE, table, {"Z": ["Z"]}, 2022)  # a commune without any row
    assert one(res, "Z")["status"] == "missing"


def test_low_coverage_gives_no_value() -> None:
    data = obs([("A", "pop", 2022, 5)] + [(c, "pop", 2022, None) for c in "BCD"])
    res = agg.compute(COUNT, data, {"G": list("ABCD")}, 2022, min_coverage=0.5)
    row = one(res, "G")
    assert row["status"] == "missing" and math.isnan(row["value"]) and row["n_covered"] == 1
    assert "coverage too low" in row["reason"]
    res = agg.compute(COUNT, data, {"G": list("ABCD")}, 2022, min_coverage=0.25)
    assert one(res, "G")["status"] == "partial" and one(res, "G")["value"] == 5


def test_non_aggregable_group_has_no_value_but_a_reason() -> None:
    data = obs([("A", "med", 2021, 20000), ("C", "med", 2021, 25000), ("MGP", "med", 2021, 23790)])
    res = agg.compute(MEDIAN, data, {"G": ["A", "C"], "MGP": ["A", "C"], "A1": ["A"]}, 2021)
    g = one(res, "G")
    assert g["status"] == "not_aggregable" and math.isnan(g["value"]) and "not aggregable" in g["reason"]
    # an official value published for the group's own code is used
    assert (one(res, "MGP")["value"], one(res, "MGP")["method"]) == (23790, "official")
    # a group of one commune is that commune
    assert (one(res, "A1")["value"], one(res, "A1")["method"]) == (20000, "commune")


def test_official_value_replaces_an_incomplete_sum_only() -> None:
    data = obs(
        [("A", "pop", 2022, 10), ("B", "pop", 2022, 20), ("C", "pop", 2022, None), ("D91", "pop", 2022, 999)]
    )
    res = agg.compute(COUNT, data, {"D91": ["A", "B", "C"]}, 2022)
    assert (one(res, "D91")["value"], one(res, "D91")["method"]) == (999, "official")
    complete = agg.compute(COUNT, data, {"D91": ["A", "B"]}, 2022)
    assert (one(complete, "D91")["value"], one(complete, "D91")["method"]) == (30, "sum")


def test_linear_expressions_and_suspect_inputs() -> None:
    ind = make_indicator(
        {"kind": "ratio", "numerator": "emplt", "denominator": "act - chom", "scale": 100}, unit="per_100"
    )
    data = obs(
        [
            ("A", "emplt", 2022, 80),
            ("A", "act", 2022, 110),
            ("A", "chom", 2022, 10),
            ("B", "emplt", 2022, 20),
            ("B", "act", 2022, 55, "suspect"),
            ("B", "chom", 2022, 5),
        ]
    )
    res = agg.compute(ind, data, {"A": ["A"], "AB": ["A", "B"]}, 2022)
    assert one(res, "A")["value"] == pytest.approx(80.0)
    assert one(res, "AB")["value"] == pytest.approx(100 * 100 / 150)
    assert one(res, "AB")["status"] == "suspect"


def test_zero_denominator_is_missing_for_the_commune_but_summable() -> None:
    data = obs(
        [("A", "chom", 2022, 0), ("A", "act", 2022, 0), ("C", "chom", 2022, 5), ("C", "act", 2022, 50)]
    )
    res = agg.compute(RATE, data, {"A": ["A"], "AC": ["A", "C"]}, 2022)
    assert one(res, "A")["status"] == "missing"
    assert one(res, "AC")["value"] == pytest.approx(10.0) and one(res, "AC")["status"] == "ok"


def test_latest_and_fixed_denominator_periods() -> None:
    per_1000 = make_indicator(
        {
            "kind": "ratio",
            "numerator": "log_aut",
            "denominator": "pop",
            "denominator_period": "latest",
            "scale": 1000,
        },
        years=[2023],
        unit="per_1000",
    )
    data = obs(
        [
            ("A", "log_aut", 2023, 30),
            ("A", "pop", 2018, 10_000),
            ("A", "pop", 2022, 12_000),
            ("A", "pop", 2024, 99_999),
        ]
    )
    table = agg.commune_table(per_1000, data, 2023)
    assert table.loc["A", "value"] == pytest.approx(2.5) and table.loc["A", "denominator_year"] == 2022
    with pytest.raises(agg.PeriodError):
        agg.commune_table(per_1000, data[data["year"] > 2022], 2023)
    fixed = make_indicator(
        {
            "kind": "ratio",
            "numerator": "ftth",
            "denominator": "loc",
            "scale": 100,
            "denominator_period": "fixed",
            "denominator_fixed": [2018, 3],
        },
        years=[2017, 2018],
        months=[3, 9, 12],
    )
    data = obs([("A", "ftth", 2017, 25, "ok", 9), ("A", "loc", 2018, 100, "ok", 3)])
    assert agg.commune_table(fixed, data, 2017, 9).loc["A", "value"] == pytest.approx(25.0)


def test_change_indicators() -> None:
    growth = make_indicator(
        {"kind": "change", "numerator": "pop", "base_years": {2022: 2016}, "annualised": True, "scale": 100},
        years=[2022],
    )
    yearly = make_indicator({"kind": "change", "numerator": "pop", "base_years": {2022: 2021}, "scale": 100})
    data = obs(
        [
            ("A", "pop", 2016, 1000),
            ("A", "pop", 2021, 1100),
            ("A", "pop", 2022, 1210),
            ("B", "pop", 2016, 3000),
            ("B", "pop", 2021, 2900),
            ("B", "pop", 2022, 3000),
        ]
    )
    res = agg.compute(growth, data, {"A": ["A"], "AB": ["A", "B"]}, 2022)
    assert one(res, "A")["value"] == pytest.approx((1.21 ** (1 / 6) - 1) * 100)
    assert one(res, "AB")["value"] == pytest.approx(((4210 / 4000) ** (1 / 6) - 1) * 100)
    assert one(res, "AB")["denominator_year"] == 2016
    res = agg.compute(yearly, data, {"AB": ["A", "B"]}, 2022)
    assert one(res, "AB")["value"] == pytest.approx((4210 / 4000 - 1) * 100)
    with pytest.raises(agg.PeriodError):
        agg.commune_table(yearly, data, 2021)


def test_census_guard() -> None:
    census = make_indicator({"kind": "count", "numerator": "pop"}, years=[2016, 2018, 2022], census=True)
    assert agg.census_guard(census, 2018, 2022) is not None
    assert "5 years" in agg.census_guard(census, 2022, 2018)
    assert agg.census_guard(census, 2016, 2022) is None
    assert agg.census_guard(census, 2017, 2022) is None  # exactly 5 years apart is fine
    assert agg.census_guard(COUNT, 2021, 2022) is None  # not a census indicator


def test_change_and_compare() -> None:
    c = agg.change(100, 121, 2020, 2022)
    assert c["change"] == 21 and c["change_pct"] == pytest.approx(21)
    assert c["annual_growth_pct"] == pytest.approx(10)
    assert math.isnan(agg.change(0, 5, 2020, 2022)["change_pct"])
    census = make_indicator({"kind": "count", "numerator": "pop"}, years=[2018, 2022], census=True)
    data = obs([("A", "pop", 2018, 100), ("A", "pop", 2022, 110)])
    first = agg.compute(census, data, {"A": ["A"]}, 2018)
    second = agg.compute(census, data, {"A": ["A"]}, 2022)
    merged, warnings = agg.compare(census, first, second)
    assert merged.loc[0, "change"] == 10 and len(warnings) == 1


def test_rank_with_ties() -> None:
    values = pd.Series([10.0, 30.0, 30.0, float("nan"), 5.0], index=list("abcde"))
    assert agg.rank(values).tolist() == [3, 1, 1, pd.NA, 4]
    assert agg.rank(values, descending=False).tolist() == [2, 3, 3, pd.NA, 1]
    frame = pd.DataFrame({"code": list("abcde"), "value": values.to_numpy()})
    ranked = agg.ranking_table(frame)
    assert ranked["code"].tolist() == ["b", "c", "a", "e", "d"]  # ties keep input order, unranked last
    assert ranked["n_ranked"].iloc[0] == 4


def test_duplicate_observations_are_rejected() -> None:
    data = obs([("A", "pop", 2022, 1), ("A", "pop", 2022, 2)])
    with pytest.raises(ValueError, match="one row per"):
        agg.commune_table(COUNT, data, 2022)
