"""Harmonisation to the current map, the Paris rule and de-duplication, on hand-made frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from etl import harmonise
from etl.contract import OBS_COLUMNS

ADD = {"pop": True, "med_uc": False, "jobs": True}
MERGES = {"93059": "93066"}


def obs(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=OBS_COLUMNS)


def test_merged_commune_is_summed_for_additive_and_hidden_otherwise() -> None:
    df = obs(
        [
            ("93059", "pop", 2018, 0, 30000.0, "ok", 2021),
            ("93066", "pop", 2018, 0, 110000.0, "ok", 2021),
            ("93059", "med_uc", 2018, 0, 17000.0, "ok", 2021),
            ("93066", "med_uc", 2018, 0, 16000.0, "ok", 2021),
            ("94081", "pop", 2018, 0, 94649.0, "ok", 2021),
        ]
    )
    out, flags = harmonise.fold_merged_communes(df, MERGES, ADD)
    got = out.set_index(["code", "variable"])
    assert got.loc[("93066", "pop"), "value"] == 140000.0
    assert got.loc[("93066", "pop"), "status"] == "derived"
    assert np.isnan(got.loc[("93066", "med_uc"), "value"])
    assert got.loc[("93066", "med_uc"), "status"] == "missing"
    assert "93059" not in set(out["code"])
    assert got.loc[("94081", "pop"), "value"] == 94649.0
    assert set(flags["kind"]) == {"merged_commune", "not_comparable_after_merger"}


def test_file_already_on_current_map_is_untouched() -> None:
    df = obs(
        [("93066", "pop", 2022, 0, 148907.0, "ok", 2025), ("93059", "med_uc", 2021, 0, 17000.0, "ok", 2025)]
    )
    out, flags = harmonise.fold_merged_communes(df, MERGES, ADD)
    assert out.equals(df) and flags.empty


def test_secret_part_makes_the_merged_sum_secret() -> None:
    df = obs(
        [("93059", "jobs", 2018, 0, np.nan, "secret", 2021), ("93066", "jobs", 2018, 0, 5.0, "ok", 2021)]
    )
    out, _ = harmonise.fold_merged_communes(df, MERGES, ADD)
    row = out.iloc[0]
    assert row["status"] == "secret" and np.isnan(row["value"])


def test_paris_derived_from_arrondissements_only_when_absent() -> None:
    arr = [(f"751{i:02d}", "pop", 2021, 0, 100.0, "ok", 2024) for i in range(1, 21)]
    out, flags = harmonise.derive_paris(obs(arr), ADD)
    paris = out.loc[out["code"] == "75056"].iloc[0]
    assert paris["value"] == 2000.0 and paris["status"] == "derived"
    assert len(flags) == 1
    # with a published 75056 row, arrondissements are never added to it
    with_paris = obs([*arr, ("75056", "pop", 2021, 0, 2133111.0, "ok", 2024)])
    out2, flags2 = harmonise.derive_paris(with_paris, ADD)
    assert out2.loc[out2["code"] == "75056", "value"].tolist() == [2133111.0]
    assert flags2.empty


def test_paris_not_derived_for_rates_or_incomplete_arrondissements() -> None:
    rates = obs([(f"751{i:02d}", "med_uc", 2021, 0, 30000.0, "ok", 2024) for i in range(1, 21)])
    out, _ = harmonise.derive_paris(rates, ADD)
    assert "75056" not in set(out["code"])
    partial = obs([(f"751{i:02d}", "pop", 2021, 0, 1.0, "ok", 2024) for i in range(1, 20)])
    out, _ = harmonise.derive_paris(partial, ADD)
    assert "75056" not in set(out["code"])


def test_dedupe_keeps_priority_and_flags_disagreement() -> None:
    a = obs([("94081", "pop", 2018, 0, 94649.0, "ok", 2021), ("94041", "pop", 2018, 0, 63309.0, "ok", 2021)])
    b = obs([("94081", "pop", 2018, 0, 94649.0, "ok", 2024), ("94041", "pop", 2018, 0, 60000.0, "ok", 2024)])
    out, flags = harmonise.dedupe_by_priority([("low", 10, b), ("high", 90, a)])
    assert len(out) == 2 and set(out["source_id"]) == {"high"}
    assert out.set_index("code").loc["94041", "value"] == 63309.0
    assert flags["code"].tolist() == ["94041"] and flags["kind"].iloc[0] == "source_disagreement"


def test_unknown_codes_are_detected() -> None:
    df = obs(
        [
            ("94081", "pop", 2018, 0, 1.0, "ok", 2021),
            ("99999", "pop", 2018, 0, 1.0, "ok", 2021),
            ("93059", "pop", 2018, 0, 1.0, "ok", 2021),
            ("MGP", "pop", 2018, 0, 1.0, "ok", 2021),
        ]
    )
    mask = harmonise.check_codes(df, {"94081"}, MERGES)
    assert df.loc[mask, "code"].tolist() == ["99999"]


def test_dedupe_prefers_a_value_over_a_missing_one() -> None:
    high = obs([("94081", "pop", 2018, 0, np.nan, "missing", 2021)])
    low = obs([("94081", "pop", 2018, 0, 94649.0, "ok", 2024)])
    out, _ = harmonise.dedupe_by_priority([("high", 90, high), ("low", 10, low)])
    assert out["value"].tolist() == [94649.0] and out["source_id"].tolist() == ["low"]


def test_merged_sum_adds_the_parts_as_series_sum_does() -> None:
    """The sum of a merged commune or of the 20 arrondissements is ``Series.sum`` of the parts in
    row order, to the last bit (not a compensated group sum)."""
    rng = np.random.default_rng(3)
    values = rng.random(20) * 10.0 ** rng.integers(-2, 7, 20)
    arr = obs([(f"751{i:02d}", "pop", 2021, 0, v, "ok", 2024) for i, v in enumerate(values, start=1)])
    out, _ = harmonise.derive_paris(arr, ADD)
    paris = out.loc[out["code"] == "75056", "value"].item()
    assert paris == pd.Series(values).sum()
    parts = obs(
        [
            ("93066", "jobs", 2018, 0, 0.1, "ok", 2021),
            ("93059", "jobs", 2018, 0, 0.2, "suspect", 2021),
            ("93001", "jobs", 2018, 0, 0.3, "ok", 2021),
        ]
    )
    folded, _ = harmonise.fold_merged_communes(parts, {"93059": "93066", "93001": "93066"}, ADD)
    row = folded.iloc[0]
    assert row["value"] == pd.Series([0.1, 0.2, 0.3]).sum() and row["status"] == "suspect"


def test_dedupe_ties_keep_the_order_of_the_sources() -> None:
    a = obs([("94081", "pop", 2018, 0, 1.0, "ok", 2021), ("94041", "pop", 2018, 0, np.nan, "missing", 2021)])
    b = obs([("94081", "pop", 2018, 0, 2.0, "ok", 2024), ("94041", "pop", 2018, 0, 5.0, "ok", 2024)])
    out, flags = harmonise.dedupe_by_priority([("first", 50, a), ("second", 50, b)])
    got = out.set_index("code")
    assert got.loc["94081", "source_id"] == "first" and got.loc["94081", "value"] == 1.0
    assert got.loc["94041", "source_id"] == "second"  # a value beats a missing one
    assert flags["message"].tolist() == []  # |1 - 2| is within the tolerance of 1


def _random_obs(rng: np.random.Generator, n: int, text_dtype: object) -> pd.DataFrame:
    codes = ["94081", "94041", "75056", "93066", "MGP", "D93"]
    rows = {
        (str(rng.choice(codes)), str(rng.choice(["pop", "med_uc", "jobs"])), int(rng.choice([2018, 2019])), 0)
        for _ in range(n)
    }
    out = pd.DataFrame(sorted(rows), columns=["code", "variable", "year", "month"])
    out["value"] = np.where(rng.random(len(out)) < 0.2, np.nan, rng.integers(0, 50, len(out)) * 10.0)
    out["status"] = np.where(out["value"].isna(), "missing", "ok")
    out["cog"] = 2021
    return out.astype({"code": text_dtype, "variable": text_dtype, "status": text_dtype})[OBS_COLUMNS]


@pytest.mark.parametrize("seed", range(6))
def test_dedupe_equals_the_sort_based_dedupe(seed: int) -> None:
    """De-duplication on integer keys gives the frame and the flags (same rows, order, dtypes)
    that sorting, ``duplicated`` and ``merge`` on the whole frame give."""
    rng = np.random.default_rng(seed)
    frames = [
        (f"s{i}", int(rng.choice([5, 10, 10, 90])), _random_obs(rng, 40, rng.choice([object, "str"])))
        for i in range(4)
    ]
    out, flags = harmonise.dedupe_by_priority(frames)
    ref_out, ref_flags = harmonise._dedupe_sorted(frames)
    pd.testing.assert_frame_equal(out, ref_out)
    pd.testing.assert_frame_equal(flags, ref_flags)
    assert not out.duplicated(["code", "variable", "year", "month"]).any()
