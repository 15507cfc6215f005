"""The public facade on the synthetic store: values, series, rankings, comparisons, caching."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

import indicators as ind
from etl.store import schema
from tests.indicators.synthetic import GOSB5


def test_values_for_every_kind_of_territory(mini_engine) -> None:
    frame = ind.values(mini_engine, "jobs", ["94081", "T12", "MGP", "group:94054+94065+91479", "D94"], 2022)
    assert list(frame.columns) == ind.service.VALUE_COLUMNS
    rows = frame.set_index("code")
    communes = ind.values(mini_engine, "jobs", GOSB5, 2022)
    assert rows.loc["T12", "value"] == communes["value"].sum()
    assert rows.loc["T12", "level"] == "ept" and rows.loc["94081", "level"] == "commune"
    assert rows.loc["group:91479+94054+94065", "name"] == "Paray-Vieille-Poste + Orly + Rungis"
    assert set(frame["sources"]) == {"insee"}


def test_sum_of_the_twelve_territories_is_the_metropolis(mini_engine) -> None:
    codes = [f"T{i}" for i in range(1, 13)]
    frame = ind.values(mini_engine, "jobs", [*codes, "MGP"], 2022).set_index("code")
    assert frame.loc[codes, "value"].sum() == frame.loc["MGP", "value"]


def test_errors(mini_engine) -> None:
    with pytest.raises(KeyError):
        ind.values(mini_engine, "nope", "T12")
    with pytest.raises(ind.TerritoryError) as err:
        ind.values(mini_engine, "jobs", "77001")
    assert err.value.unknown
    with pytest.raises(ind.PeriodError):
        ind.values(mini_engine, "jobs", "T12", 2019)


def test_series_and_monthly(mini_engine) -> None:
    series = ind.series(mini_engine, "population", "T12,94081")
    assert sorted(set(series["year"])) == [2016, 2022]
    monthly = ind.series(mini_engine, "jobseekers_monthly", "94081")
    assert list(zip(monthly["year"], monthly["month"], strict=True)) == [(2024, 1), (2024, 2), (2024, 3)]


def test_rankings(mini_engine) -> None:
    epts = ind.ranking(mini_engine, "jobs", 2022, "ept")
    assert len(epts) == 12 and epts["rank"].iloc[0] == 1 and epts["code"].iloc[0] == "T12"
    mgp = ind.ranking(mini_engine, "jobs", 2022, "mgp")
    paris, ivry = (mgp.set_index("code").loc[c, "rank"] for c in ("75056", "94041"))
    assert paris == ivry  # equal jobs share a rank
    assert ind.rank_of(mini_engine, "jobs", "94041", 2022)["mgp"] == (paris, 26)
    gosb = ind.ranking(mini_engine, "jobs", 2022, "gosb")
    assert sorted(gosb["code"]) == sorted(GOSB5)
    with pytest.raises(ind.TerritoryError):
        ind.ranking(mini_engine, "jobs", 2022, "planet")
    medians = ind.ranking(mini_engine, "median_income", 2021, "gosb")
    assert medians["rank"].isna().sum() == 1 and medians["code"].iloc[-1] == "94065"  # secret: not ranked


def test_compare_warns_on_close_census_vintages(mini_engine) -> None:
    merged, warnings = ind.compare(mini_engine, "population", "T12", 2016, 2022)
    assert not warnings and merged.loc[0, "change"] > 0
    assert merged.loc[0, "annual_growth_pct"] == pytest.approx(
        ind.values(mini_engine, "population_growth", "T12", 2022)["value"].iloc[0]
    )


def test_denominator_year_rule(mini_engine) -> None:
    row = ind.values(mini_engine, "housing_authorised_per_1000", "94081", 2024).iloc[0]
    assert row["denominator_year"] == 2022  # latest population at or before 2024


def test_cache_follows_the_load_run(mini_engine) -> None:
    before = ind.values(mini_engine, "jobs", "94081", 2022)["value"].iloc[0]
    o = schema.observation.c
    with mini_engine.begin() as conn:
        conn.execute(
            sa.update(schema.observation).where(o.code == "94081", o.variable == "emplt").values(value=1.0)
        )
    assert ind.values(mini_engine, "jobs", "94081", 2022)["value"].iloc[0] == before  # cached
    now = datetime.now(UTC)
    with mini_engine.begin() as conn:
        conn.execute(schema.load_run.insert(), [{"started_at": now, "finished_at": now, "status": "ok"}])
    assert ind.values(mini_engine, "jobs", "94081", 2022)["value"].iloc[0] == 1.0  # a new run is seen


def test_territories_and_sources(mini_engine) -> None:
    terr = ind.territories(mini_engine)
    assert terr.communes_of("T12") == tuple(sorted(GOSB5)) and terr.codes("ept")[:2] == ["T1", "T2"]
    assert [s["id"] for s in ind.sources(mini_engine, ["insee", "nope"])] == ["insee"]
