"""Issue #15: the recompute script for the SDES tables (Sitadel Parquet, RPLS CSV files), run in a
subprocess against the raw-data mirror, gives the published value; the other table sources say
why there is no script."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from indicators.explain import explain
from indicators.recipe import availability, script
from tests.indicators.test_explain import published

CASES = [
    ("housing_authorised", "T12", 2022),  # Sitadel count (the 4 types' total row)
    ("housing_authorised_collective_share", "T6", 2019),  # two Sitadel types, 93059 and 93066 apart
    ("housing_started_per_1000", "94081", 2023),  # Sitadel over the census population
    ("social_vacancy_rate", "T12", 2024),  # RPLS detail file, ratio of two counts
    ("social_housing", "T1", 2024),  # Paris from its arrondissements
    ("social_housing_share", "MGP", 2024),  # RPLS stock over census main residences
]


@pytest.mark.parametrize(("indicator", "territory", "year"), CASES)
def test_script_recomputes_sdes_tables(
    store_engine, raw_dir: Path, tmp_path: Path, indicator: str, territory: str, year: int
) -> None:
    body = explain(store_engine, indicator, territory, year)
    code = script(body)
    assert code is not None, availability(body)
    path = tmp_path / "recompute.py"
    path.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(path)],
        env={**os.environ, "RAW_DIR": str(raw_dir)},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = re.search(r"^value = (\S+) \(published", done.stdout, re.M)
    assert found, done.stdout
    expected = published(store_engine, indicator, territory, year)["value"]
    assert float(found.group(1)) == pytest.approx(expected, rel=1e-12)
    n = re.search(r"communes covered: (\d+) of (\d+)", done.stdout)
    assert (int(n.group(1)), int(n.group(2))) == (body["result"]["n_covered"], body["result"]["n_members"])


@pytest.mark.parametrize(
    ("indicator", "year", "words"),
    [
        ("property_sales", 2022, "noms de colonnes changent"),
        ("private_jobs", 2022, "ligne résiduelle"),
        ("jobseekers", 2022, "colonnes mensuelles"),
    ],
)
def test_other_tables_say_why(store_engine, indicator: str, year: int, words: str) -> None:
    offered = availability(explain(store_engine, indicator, "T12", year))
    assert not offered["available"] and words in offered["reason_fr"]
    assert offered["reason_en"]
