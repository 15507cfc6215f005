"""Vintages from the data (issue #11): a new vintage in the store shows in the API, the pages'
controls and the exports with no code or YAML edit; the change base years and the census guard
keep working."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

import indicators as ind
from etl.store import schema
from indicators import vintages
from indicators.api import register_api
from indicators.query import store


@pytest.fixture(scope="module")
def new_vintage(store_url: str, tmp_path_factory: pytest.TempPathFactory) -> sa.Engine:
    """A copy of the real store where a later ETL run added January-December 2025 job seekers
    (the 2024 observations of France Travail, with the year changed) and recorded its run."""
    src = Path(store_url[len("sqlite:///") :])
    engine = sa.create_engine(store_url)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
    engine.dispose()
    dst = tmp_path_factory.mktemp("vintage") / "observatoire.sqlite"
    shutil.copy(src, dst)
    engine = sa.create_engine(f"sqlite:///{dst}")
    o = schema.observation.c
    with engine.begin() as conn:
        cols = [c.name for c in schema.observation.columns if c.name != "id"]
        picked = [sa.literal(2025).label("year") if c == "year" else o[c] for c in cols]
        conn.execute(
            schema.observation.insert().from_select(
                cols, sa.select(*picked).where(o.source_id == "france_travail_defm", o.year == 2024)
            )
        )
        now = datetime.now()
        conn.execute(
            schema.load_run.insert().values(started_at=now, finished_at=now, status="ok", summary="{}")
        )
    yield engine
    engine.dispose()


def test_catalogue_does_not_enumerate_vintages(store_engine) -> None:
    """No vintage list to keep up to date; a declared ``years:`` only restricts (e.g. gini_index,
    whose 2014-2015 files publish one decimal only)."""
    for declared in ind.catalogue().values():
        resolved = ind.with_vintages(store_engine, declared)
        assert not declared.years or set(resolved.years) <= set(declared.years), declared.id
    assert not ind.get_indicator("jobseekers").years and not ind.get_indicator("jobseekers_change").years


def test_new_vintage_in_the_service_and_api(store_engine, new_vintage) -> None:
    assert 2025 not in ind.with_vintages(store_engine, "jobseekers").years
    jobseekers = ind.with_vintages(new_vintage, "jobseekers")
    assert jobseekers.latest_year == 2025 and jobseekers.years[-1] == 2025
    monthly = ind.with_vintages(new_vintage, "jobseekers_monthly")
    assert (2025, 1) in monthly.periods and (2025, 12) in monthly.periods
    # a change indicator gets its base year for the new vintage (the previous year, as declared for 2024)
    change = ind.with_vintages(new_vintage, "jobseekers_change")
    assert change.formula.base_year(2025) == 2024 and 2025 in change.years
    row = ind.values(new_vintage, "jobseekers_change", "T12", 2025).iloc[0]
    assert row["value"] == pytest.approx(0.0) and row["denominator_year"] == 2024  # same counts as 2024

    app = Flask(__name__)
    register_api(app, lambda: new_vintage)
    client = app.test_client()
    got = client.get("/api/v1/values?indicator=jobseekers&territory=T12&year=2025")
    assert got.status_code == 200, got.get_json()
    expected = ind.values(new_vintage, "jobseekers", "T12", 2024)["value"].iloc[0]
    assert got.get_json()["values"][0]["value"] == pytest.approx(expected)
    assert (
        client.get(
            "/api/v1/values?indicator=jobseekers_monthly&territory=94081&year=2025&month=1"
        ).status_code
        == 200
    )
    assert 2025 in client.get("/api/v1/indicators/jobseekers").get_json()["years"]
    assert client.get("/api/v1/values?indicator=jobseekers&territory=T12&year=2026").status_code == 404


def test_new_vintage_on_the_public_page_and_in_exports(new_vintage, monkeypatch) -> None:
    from callbacks import data
    from callbacks import engine as app_engine
    from callbacks.state import normalise_year, year_options
    from exports import data as export_data
    from exports.model import Place

    monkeypatch.setattr(app_engine, "get_engine", lambda: new_vintage)
    monkeypatch.setattr(data, "get_engine", lambda: new_vintage)
    data.reset()
    try:
        assert year_options("jobseekers")[0] == {"label": "2025", "value": "2025"}
        state, _ = normalise_year({"indicateur": "jobseekers", "annee": "2030"}, "fr")
        assert state["annee"] == "2025"
        frame = data.values("jobseekers", ["T12"], 2025)
        assert frame["year"].iloc[0] == 2025 and frame["value"].notna().all()
        focus = Place("T12", "Grand-Orly Seine Bièvre", "ept", tuple(data.members("T12")))
        facts = export_data.gather(new_vintage, focus, "jobseekers", refs=[], with_peers=False)
        assert facts.year == 2025  # the deck and the fiche take the latest vintage with data
    finally:
        data.reset()


def test_census_guard_and_declared_bases_keep_working(store_engine) -> None:
    growth = ind.with_vintages(store_engine, "population_growth")
    assert dict(growth.formula.base_years) == {2016: 2011, 2018: 2013, 2022: 2016}
    _, warnings = ind.compare(store_engine, "population", "T12", 2018, 2022)
    assert warnings and "less than 5 years apart" in warnings[0]
    # a period with published supra values only (Filosofi 2017: MGP, departments) is not a vintage
    assert 2017 not in ind.with_vintages(store_engine, "median_income").years
    st = store(store_engine)
    assert (2017, 0) in st.periods("med_uc") and (2017, 0) not in st.local_periods("med_uc")


def test_data_periods_rules() -> None:
    density = ind.get_indicator("density")  # ratio, denominator_period latest
    have = {"pop": [(2018, 0), (2019, 0), (2022, 0)], "superf": [(2019, 0)]}
    assert vintages.data_periods(density, have) == ((2019, 0), (2022, 0))
    restricted = vintages.with_periods(density, ())
    assert restricted.years == () and restricted.latest_year == 0
