"""Property-based tests (hypothesis): the territory parser and invariants of the aggregation."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import aggregate as agg
from indicators.geo import COMMUNE_RE, GROUP_PREFIX, TerritoryError, parse_territories, parse_territory
from tests.indicators.helpers import make_indicator

commune_codes = st.one_of(
    st.from_regex(r"\A\d{5}\Z", fullmatch=True),
    st.from_regex(r"\A2[AB]\d{3}\Z", fullmatch=True),
)
separators = st.sampled_from(["+", " ", "++", " + ", "+ "])


@given(
    st.lists(commune_codes, min_size=1, max_size=40),
    separators,
    st.sampled_from(["group:", "GROUP:", "Group:"]),
)
def test_group_parser_gives_sorted_unique_members(codes: list[str], sep: str, prefix: str) -> None:
    ref = parse_territory(prefix + sep.join(codes))
    assert ref.is_group
    assert ref.members == tuple(sorted(set(codes)))
    assert ref.code == GROUP_PREFIX + "+".join(ref.members)
    assert parse_territory(ref.code) == ref  # the canonical code round-trips


@given(st.lists(commune_codes, min_size=1, max_size=10))
def test_group_member_order_does_not_matter(codes: list[str]) -> None:
    assert parse_territory("group:" + "+".join(codes)) == parse_territory(
        "group:" + "+".join(reversed(codes))
    )


@given(
    st.lists(commune_codes, min_size=1, max_size=5),
    st.text(alphabet="abcdefXYZ0123456789-_/.;", min_size=1, max_size=8),
)
def test_group_parser_rejects_bad_codes(codes: list[str], junk: str) -> None:
    if COMMUNE_RE.match(junk.upper()):
        return  # a valid code after all
    with pytest.raises(TerritoryError) as err:
        parse_territory("group:" + "+".join([*codes, junk]))
    assert not err.value.unknown  # malformed -> HTTP 400, not 404


@given(
    st.lists(
        st.one_of(commune_codes, st.sampled_from(["T1", "t12", "MGP", "D94", "gosb"])),
        min_size=1,
        max_size=10,
    )
)
def test_comma_lists(codes: list[str]) -> None:
    refs = parse_territories(",".join(codes))
    assert len(refs) == len({parse_territory(c).code for c in codes})


def test_parser_examples() -> None:
    assert parse_territory("gosb").code == "T12"
    assert parse_territory(" t3 ").code == "T3"
    assert parse_territory("d75").code == "D75"
    for bad in ("", "T13", "T0", "9408", "940811", "group:", "group:+", "X", "D9"):
        with pytest.raises(TerritoryError):
            parse_territory(bad)


# --- aggregation invariants ------------------------------------------------------------------

KINDS = {
    "count": make_indicator({"kind": "count", "numerator": "a"}),
    "ratio": make_indicator({"kind": "ratio", "numerator": "a", "denominator": "b", "scale": 100}),
    "combo": make_indicator({"kind": "ratio", "numerator": "a", "denominator": "a + b", "scale": 100}),
    "change": make_indicator(
        {"kind": "change", "numerator": "a", "base_years": {2022: 2016}, "annualised": True, "scale": 100}
    ),
    "value": make_indicator({"kind": "value", "numerator": "a"}, aggregable=False),
}

commune = st.tuples(
    st.integers(0, 10**6),  # a (2022)
    st.integers(1, 10**6),  # b (2022)
    st.integers(1, 10**6),  # a (2016, base of the change)
    st.sampled_from(["ok", "ok", "ok", "secret", "missing", "suspect"]),
)


def frame(values: list[tuple[int, int, int, str]]) -> pd.DataFrame:
    rows = []
    for i, (a, b, a0, status) in enumerate(values):
        code = f"{10000 + i:05d}"
        blank = status in ("secret", "missing")
        rows += [
            (code, "a", 2022, 0, math.nan if blank else a, status),
            (code, "b", 2022, 0, b, "ok"),
            (code, "a", 2016, 0, a0, "ok"),
        ]
    return pd.DataFrame(rows, columns=["code", "variable", "year", "month", "value", "status"])


@settings(max_examples=60, deadline=None)
@given(st.lists(commune, min_size=1, max_size=12), st.sampled_from(sorted(KINDS)), st.data())
def test_group_of_one_commune_equals_the_commune(values, kind, data) -> None:
    ind = KINDS[kind]
    table = agg.commune_table(ind, frame(values), 2022)
    code = data.draw(st.sampled_from(list(table.index)))
    res = agg.aggregate(ind, table, {f"group:{code}": [code]}, 2022).iloc[0]
    expected = table.loc[code]
    assert res["status"] == expected["status"]
    assert (math.isnan(res["value"]) and math.isnan(expected["value"])) or res["value"] == expected["value"]


@settings(max_examples=60, deadline=None)
@given(st.lists(commune, min_size=2, max_size=24), st.integers(2, 12), st.randoms(use_true_random=False))
def test_sum_over_a_partition_equals_the_whole_for_counts(values, parts, rnd) -> None:
    values = [(a, b, a0, "ok") for a, b, a0, _ in values]  # counts: complete coverage
    table = agg.commune_table(KINDS["count"], frame(values), 2022)
    codes = list(table.index)
    rnd.shuffle(codes)
    groups = {f"T{i + 1}": codes[i::parts] for i in range(min(parts, len(codes)))}
    res = agg.aggregate(KINDS["count"], table, {**groups, "MGP": codes}, 2022).set_index("code")
    assert res.loc[list(groups), "value"].sum() == res.loc["MGP", "value"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(commune, min_size=1, max_size=15),
    st.sampled_from(["ratio", "combo", "change", "count"]),
    st.randoms(use_true_random=False),
)
def test_aggregate_is_order_free_and_counts_coverage(values, kind, rnd) -> None:
    ind = KINDS[kind]
    table = agg.commune_table(ind, frame(values), 2022)
    codes = list(table.index)
    shuffled = codes[:]
    rnd.shuffle(shuffled)
    res = agg.aggregate(ind, table, {"X": codes, "Y": shuffled}, 2022, min_coverage=0.0).set_index("code")
    x, y = res.loc["X"], res.loc["Y"]
    assert (math.isnan(x["value"]) and math.isnan(y["value"])) or x["value"] == pytest.approx(y["value"])
    covered = int(table["covered"].sum())
    assert x["n_covered"] == covered and x["n_members"] == len(codes)
    if len(codes) > 1:
        assert x["status"] == ("partial" if 0 < covered < len(codes) else x["status"])


@settings(max_examples=60, deadline=None)
@given(st.lists(commune, min_size=2, max_size=15))
def test_a_ratio_of_sums_lies_between_the_member_ratios(values) -> None:
    ind = KINDS["ratio"]
    table = agg.commune_table(ind, frame(values), 2022)
    ok = table[table["covered"]]
    if ok.empty:
        return
    value = agg.aggregate(ind, table, {"G": list(table.index)}, 2022, min_coverage=0.0)["value"].iloc[0]
    assert ok["value"].min() - 1e-9 <= value <= ok["value"].max() + 1e-9
