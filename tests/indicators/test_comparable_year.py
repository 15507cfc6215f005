"""One rule for "the vintage a change is measured from", shared by the profile, fiche and deck."""

from __future__ import annotations

from dataclasses import replace

from callbacks.profile import previous_year
from exports.data import earlier_year
from indicators.catalogue import get_indicator
from indicators.evolution import comparable_year


def test_census_needs_five_years() -> None:
    jobs = replace(get_indicator("jobs"), years=(2013, 2016, 2018, 2022))
    assert comparable_year(jobs, 2022) == 2016  # 2018 is only 4 years before 2022
    assert comparable_year(jobs, 2018) == 2013
    assert comparable_year(jobs, 2016) is None  # 2013 is 3 years before: no census change


def test_annual_prefers_five_years_else_the_earliest() -> None:
    seekers = replace(get_indicator("jobseekers"), years=(2020, 2021, 2022, 2023, 2024))
    assert not seekers.census
    assert comparable_year(seekers, 2024) == 2020  # no vintage 5+ years back: the earliest


def test_changes_and_monthly_series() -> None:
    change = next(i for i in map(get_indicator, ["population_growth", "jobseekers_change"]) if i)
    assert comparable_year(change, 2022) is None
    monthly = replace(get_indicator("jobseekers_monthly"), years=(2023, 2024))
    assert comparable_year(monthly, 2024) == 2023  # the same month a year earlier


def test_profile_and_exports_use_the_same_rule() -> None:
    for ind_id in ("jobs", "unemployment_rate", "jobseekers", "population"):
        ind = replace(get_indicator(ind_id), years=(2013, 2016, 2018, 2020, 2021, 2022, 2024))
        for year in ind.years:
            assert previous_year(ind, year) == earlier_year(ind, year) == comparable_year(ind, year)
