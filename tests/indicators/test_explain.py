"""« D'où vient ce chiffre ? » (issue #15): the explanation of a value sums exactly to the published
value, the API and the page serve it, and the generated pandas script recomputes the value from the
official raw files (run in a subprocess against the raw-data mirror).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from flask import Flask

from indicators import service
from indicators.api import register_api
from indicators.explain import explain
from indicators.formatting import fmt_value
from indicators.recipe import script
from layouts.links import explain_href

GROUP = "group:94054+94065+91479"
PARTIAL = "group:91075+91479+94054"  # Bois-Herpin (91075): Filosofi secret in 2020


def published(engine, indicator: str, territory: str, year: int) -> dict:
    return service.value_rows(engine, indicator, territory, year)[0]


def check_sums(body: dict, row: dict) -> None:
    """The members used add up to the published numerator and denominator, in the same order."""
    used = [m for m in body["members"] if m["covered"]]
    assert len(used) == row["n_covered"] == body["result"]["n_covered"]
    num = np.asarray([m["numerator"] for m in used], dtype=float).sum()
    assert num == row["numerator"]
    if not np.isnan(row["denominator"]):
        assert np.asarray([m["denominator"] for m in used], dtype=float).sum() == row["denominator"]
    assert body["result"]["value"] == row["value"]


def test_count_population_t12(store_engine) -> None:
    body = explain(store_engine, "population", "T12", 2022)
    row = published(store_engine, "population", "T12", 2022)
    check_sums(body, row)
    assert len(body["members"]) == 24 and not body["left_out"]
    assert body["text"]["fr"]["formula"].startswith(fmt_value(row["value"], "count", 0, "fr", plain=True))
    assert "24 communes" in body["text"]["fr"]["formula"]
    assert body["text"]["fr"]["status"] == "complet : 24 communes sur 24"


def test_ratio_unemployment_t12(store_engine) -> None:
    body = explain(store_engine, "unemployment_rate", "T12", 2022)
    row = published(store_engine, "unemployment_rate", "T12", 2022)
    check_sums(body, row)
    fr = body["text"]["fr"]["formula"]
    assert fr.startswith("12,8 % = ") and "÷" in fr and fr.endswith("somme des 24 communes")
    assert "chômeurs de 15 à 64 ans" in fr and "actifs de 15 à 64 ans" in fr
    assert body["text"]["en"]["formula"].startswith("12.8% = ")
    terms = body["terms"]
    assert terms["numerator"][0]["sum"] == pytest.approx(row["numerator"], rel=1e-12)
    assert terms["denominator"][0]["sum"] == pytest.approx(row["denominator"], rel=1e-12)
    (src,) = body["sources"]
    assert src["id"] == "insee_comparateur_rp2022" and src["licence"].startswith("Licence Ouverte")
    (f,) = src["files"]
    assert re.fullmatch(r"[0-9a-f]{64}", f["sha256"]) and f["url"].startswith("https://") and f["loaded_at"]


def test_partial_group(store_engine) -> None:
    body = explain(store_engine, "tax_households", PARTIAL, 2020)
    row = published(store_engine, "tax_households", PARTIAL, 2020)
    assert row["status"] == "partial"
    check_sums(body, row)
    assert [m["code"] for m in body["left_out"]] == ["91075"]
    assert body["left_out"][0]["status"] == "secret"
    assert body["text"]["fr"]["status"].startswith("partiel : 2 communes sur 3")
    assert "secret" in body["text"]["fr"]["status"]


def test_not_aggregable_says_why(store_engine) -> None:
    body = explain(store_engine, "median_income", "T12", 2021)
    assert body["result"]["status"] == "not_aggregable" and body["result"]["value"] is None
    assert "médiane" in body["text"]["fr"]["status"] and "median" in body["text"]["en"]["status"]
    assert len(body["members"]) == 24 and all(m["value"] for m in body["members"] if m["covered"])
    assert body["script"]["available"] is False and script(body) is None


def test_published_value_used(store_engine) -> None:
    body = explain(store_engine, "median_income", "MGP", 2019)
    row = published(store_engine, "median_income", "MGP", 2019)
    assert body["result"]["method"] == "official" and body["official"]["value"] == row["value"]
    assert "valeur publiée" in body["text"]["fr"]["status"]


def test_group_and_merged_commune(store_engine) -> None:
    body = explain(store_engine, "share_60p", GROUP, 2022)
    check_sums(body, published(store_engine, "share_60p", GROUP, 2022))
    assert len(body["terms"]["numerator"]) == 3 and body["territory"]["level"] == "group"
    merged = explain(store_engine, "tax_households", "T6", 2021)
    assert merged["merged"] == {"93059": "93066"}
    assert any("93059" in s and "93066" in s for s in merged["text"]["fr"]["harmonisation"])
    assert {f["kind"] for f in merged["harmonisation"]} == {"merged_commune"}


@pytest.fixture()
def client(store_engine):
    app = Flask(__name__)
    register_api(app, lambda: store_engine)
    return app.test_client()


def test_api_json_csv_py_and_errors(client) -> None:
    url = "/api/v1/explain?indicator=unemployment_rate&territory=T12&year=2022"
    body = client.get(url).get_json()
    values = client.get(url.replace("/explain", "/values")).get_json()["values"][0]
    assert body["result"]["value"] == values["value"] and body["result"]["numerator"] == values["numerator"]
    csv = client.get(url + "&format=csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).splitlines()
    meta = [line for line in lines if line.startswith("#")]
    assert any("sha256=" in line for line in meta) and any("Licence Ouverte" in line for line in meta)
    assert lines[len(meta)].startswith("code,name,numerator,denominator")
    assert len(lines) == len(meta) + 1 + 24
    py = client.get(url + "&format=py")
    assert py.status_code == 200 and "import pandas as pd" in py.get_data(as_text=True)
    for bad, status, param in [
        ("indicator=nope&territory=T12", 404, "indicator"),
        ("indicator=unemployment_rate", 400, "territory"),
        ("indicator=unemployment_rate&territory=XX", 400, "territory"),
        ("indicator=unemployment_rate&territory=99999", 404, "territory"),
        ("indicator=unemployment_rate&territory=T12&year=1990", 404, "year"),
        ("indicator=unemployment_rate&territory=T12,MGP", 400, "territory"),
        ("indicator=unemployment_rate&territory=T12&format=xml", 400, "format"),
        ("indicator=median_income&territory=T12&format=py", 404, "format"),
    ]:
        resp = client.get(f"/api/v1/explain?{bad}")
        assert resp.status_code == status, bad
        assert resp.get_json()["error"]["parameter"] == param, bad


def test_page_renders(store_engine) -> None:
    import callbacks  # noqa: F401 - registers the pages
    from callbacks import explain as page
    from callbacks.engine import set_engine
    from callbacks.registry import PageError, Request, match

    set_engine(store_engine)
    try:
        assert match("/explication")[0].key == "explication"
        for lang, words in (("fr", ("12,8 %", "Recalculez-le")), ("en", ("12.8%", "Recompute it"))):
            query = {"indicateur": "unemployment_rate", "territoire": "T12", "annee": "2022"}
            text = str(page.build(Request("/explication", {}, query, lang)).layout)
            assert all(w in text for w in words)
            assert "format=csv" in text and "format=py" in text and "1ac04aa0b1dfc561" in text
        query = {"indicateur": "median_income", "territoire": "T12", "annee": "2021"}
        assert "médiane" in str(page.build(Request("/explication", {}, query, "fr")).layout)
        with pytest.raises(PageError):
            page.build(Request("/explication", {}, {"indicateur": "population", "territoire": "XX"}, "fr"))
    finally:
        set_engine(None)


def test_explain_href() -> None:
    assert explain_href("unemployment_rate", "T12", 2022, "fr") == (
        "/explication?indicateur=unemployment_rate&territoire=T12&annee=2022"
    )
    assert explain_href("population", GROUP, 2022, "en").endswith(
        "group%3A94054%2B94065%2B91479&annee=2022&lang=en"
    )


CASES = [
    ("population", "T12", 2022),  # count
    ("unemployment_rate", "T12", 2022),  # ratio
    ("unemployment_rate", "T12", 2018),  # the national RP2018 zip
    ("share_60p", GROUP, 2022),  # a group, three variables from the dossier complet
    ("tax_households", PARTIAL, 2020),  # partial: a Filosofi secret
    ("tax_households", "T6", 2021),  # 93059 folded into 93066
    ("population_growth", "T12", 2022),  # annualised change 2016-2022
    ("density", "94081", 2022),  # one commune, area of the latest census
]


@pytest.mark.parametrize(("indicator", "territory", "year"), CASES)
def test_generated_script_recomputes_the_value(
    store_engine, raw_dir: Path, tmp_path: Path, indicator: str, territory: str, year: int
) -> None:
    body = explain(store_engine, indicator, territory, year)
    code = script(body)
    assert code is not None, body["script"]
    path = tmp_path / "recompute.py"
    path.write_text(code, encoding="utf-8")
    env = {**os.environ, "RAW_DIR": str(raw_dir)}
    done = subprocess.run(
        [sys.executable, str(path)], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    found = re.search(r"^value = (\S+) \(published", done.stdout, re.M)
    assert found, done.stdout
    value = float(found.group(1))
    expected = published(store_engine, indicator, territory, year)["value"]
    assert value == pytest.approx(expected, rel=1e-12)
    n = re.search(r"communes covered: (\d+) of (\d+)", done.stdout)
    assert (int(n.group(1)), int(n.group(2))) == (body["result"]["n_covered"], body["result"]["n_members"])
    json.dumps(body)  # the explanation is JSON-ready as it is
