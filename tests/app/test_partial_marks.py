"""Values summed over part of a place's communes are marked wherever they show, and files word
each status as the API states it (R1 point 6); trends join census vintages only 5 years apart
(R1 point 9). Real store: every expected figure is read from the API."""

from __future__ import annotations

import csv
import io
import json

from indicators.formatting import fmt_value

CTX = {"lang": "fr", "args": {}, "defaults": {}}


def _api(client, indicator: str, territory: str, year: int) -> dict:
    body = client.get(f"/api/v1/values?indicator={indicator}&territory={territory}&year={year}").get_json()
    return body["values"][0]


def _text(component) -> str:
    return json.dumps(
        component.to_plotly_json(),
        default=lambda o: o.to_plotly_json() if hasattr(o, "to_plotly_json") else str(o),
        ensure_ascii=False,
    )


def test_home_key_figures_mark_a_partial_reference(dash_app, client):
    from callbacks import overview_kpis

    mgp = _api(client, "jobseekers", "MGP", 2024)
    assert mgp["status"] == "partial" and mgp["n_covered"] < mgp["n_members"]
    body = _text(overview_kpis.update_kpis(CTX)[0])
    shown = fmt_value(mgp["value"], "count", 0, "fr")
    assert f"MGP : {shown}*" in body
    assert f"* MGP : estimation partielle, {mgp['n_covered']} communes sur {mgp['n_members']}." in body
    assert "/explication?indicateur=jobseekers&territoire=MGP&annee=2024" in body
    whole = _api(client, "population", "MGP", 2022)  # a complete sum is not marked
    assert whole["status"] == "ok" and f"MGP : {fmt_value(whole['value'], 'count', 0, 'fr')}*" not in body
    en = _text(overview_kpis.update_kpis({**CTX, "lang": "en"})[0])
    assert f"* MGP: partial estimate, {mgp['n_covered']} of {mgp['n_members']} communes." in en


def _rows(client, url: str) -> list[dict]:
    text = client.get(url).data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";" if "lang=en" not in url else ","))


def test_file_status_says_what_the_api_says(dash_app, client):
    rows = _rows(client, "/telecharger/chiffres-cles.csv")
    status = {(r["indicateur"], r["code"]): r["statut"] for r in rows}
    for ind, code, year in (("jobseekers", "MGP", 2024), ("jobs", "T12", 2022), ("jobseekers", "D94", 2024)):
        api = _api(client, ind, code, year)
        word = status[(ind, code)]
        if api["status"] == "partial":
            assert word == f"partielle : {api['n_covered']} communes sur {api['n_members']}"
        elif api["method"] == "sum":
            assert word == f"calculée : somme des {api['n_covered']} communes"
        else:
            assert api["method"] == "official" and word == "publiée"
    assert status[("jobs", "T12")].startswith("calculée")  # never « publiée » for a ratio of sums
    ranked = _rows(
        client, "/telecharger/classement-territoires.csv?indicateur=unemployment_rate&annee=2022&lang=en"
    )
    t4 = next(r for r in ranked if r["code"] == "T4")
    api = _api(client, "unemployment_rate", "T4", 2022)
    assert api["method"] == "sum" and t4["status"] == f"computed: sum of {api['n_covered']} communes"
    assert "method" not in t4 and "n_covered" not in t4  # folded into the word, as the API states it


def test_trend_of_census_rates_draws_no_line_between_close_vintages(dash_app, client):
    from callbacks import comparer

    body = client.get("/api/v1/values?indicator=unemployment_rate&territory=T12&year=all").get_json()
    years = sorted({int(r["year"]) for r in body["values"] if r["value"] is not None})
    assert years[-1] - years[0] < 5  # 2018 and 2022: too close to compare (comparable_year: none)
    fig = comparer.draw_series({"territoires": ["94081", "T12"], "indicateur": "unemployment_rate"}, "fr")[0]
    assert fig.data and all("lines" not in tr.mode for tr in fig.data)
    assert sorted({int(x) for tr in fig.data for x in tr.x}) == years
