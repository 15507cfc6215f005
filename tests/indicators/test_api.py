"""The read-only data API contract (on the synthetic store)."""

from __future__ import annotations

import json

import pytest

from indicators import service
from indicators.catalogue import catalogue


def error_of(resp, status: int, parameter: str | None = None) -> str:
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == "application/json"
    body = resp.get_json()["error"]
    assert body["status"] == status and body["message"]
    assert "Traceback" not in resp.get_data(as_text=True)
    if parameter:
        assert body["parameter"] == parameter
    return body["message"]


def test_indicators(client) -> None:
    body = client.get("/api/v1/indicators").get_json()
    assert body["count"] == len(catalogue()) == len(body["indicators"])
    first = body["indicators"][0]
    for key in (
        "id",
        "label_fr",
        "label_en",
        "definition_fr",
        "definition_en",
        "theme",
        "unit",
        "formula",
        "decimals",
        "polarity",
        "sources",
        "years",
        "aggregable",
        "census",
    ):
        assert key in first
    assert {t["id"] for t in body["themes"]} >= {"demographie", "emploi", "logement", "economie", "revenus"}
    only = client.get("/api/v1/indicators?theme=revenus").get_json()
    assert only["count"] and all(i["theme"] == "revenus" for i in only["indicators"])
    error_of(client.get("/api/v1/indicators?theme=sport"), 404, "theme")
    one = client.get("/api/v1/indicators/jobs").get_json()
    assert one["id"] == "jobs" and isinstance(one["source_details"], list)
    error_of(client.get("/api/v1/indicators/nope"), 404, "indicator")


def test_territories(client) -> None:
    body = client.get("/api/v1/territories").get_json()
    by_code = {t["code"]: t for t in body["territories"]}
    assert by_code["T12"]["level"] == "ept" and len(by_code["T12"]["members"]) == 5
    assert by_code["94081"]["members"] is None and by_code["94081"]["name"] == "Vitry-sur-Seine"
    epts = client.get("/api/v1/territories?level=ept").get_json()
    assert epts["count"] == 12
    error_of(client.get("/api/v1/territories?level=planet"), 404, "level")


def test_values_json(client) -> None:
    resp = client.get("/api/v1/values?indicator=unemployment_rate&territory=94081,T12,MGP&year=2022")
    assert resp.status_code == 200
    body = json.loads(resp.get_data(as_text=True))  # strict JSON: no NaN
    assert body["indicator"]["id"] == "unemployment_rate" and body["count"] == 3
    row = body["values"][0]
    for key in (
        "code",
        "name",
        "level",
        "year",
        "value",
        "numerator",
        "denominator",
        "unit",
        "status",
        "sources",
        "n_covered",
        "n_members",
        "formatted",
    ):
        assert key in row
    assert row["value"] == pytest.approx(100 * row["numerator"] / row["denominator"])
    assert body["sources"][0]["credit_fr"].startswith("Source")


def test_groups_in_urls(client) -> None:
    expected = service.values(
        client.application.extensions["observatoire_api"]["engine"]
        or client.application.extensions["observatoire_api"]["factory"](),
        "jobs",
        "group:94054+94065+91479",
        2022,
    )["value"].iloc[0]
    # '+' decodes to a space in a query string; '%2B' is a literal '+': both work
    for territory in ("group:94054+94065+91479", "group:94054%2B94065%2B91479", "group:94054 94065 91479"):
        body = client.get(f"/api/v1/values?indicator=jobs&territory={territory}&year=2022").get_json()
        assert body["values"][0]["code"] == "group:91479+94054+94065"
        assert body["values"][0]["value"] == expected


def test_default_year_series_and_month(client) -> None:
    latest = client.get("/api/v1/values?indicator=jobs&territory=T12").get_json()
    assert latest["values"][0]["year"] == 2022
    series = client.get("/api/v1/values?indicator=population&territory=T12&year=all").get_json()
    assert [v["year"] for v in series["values"]] == [2016, 2022]
    monthly = client.get("/api/v1/values?indicator=jobseekers_monthly&territory=94081&year=2024").get_json()
    assert monthly["values"][0]["month"] == 3  # latest month with data
    feb = client.get("/api/v1/values?indicator=jobseekers_monthly&territory=T12&year=2024&month=2").get_json()
    assert feb["values"][0]["status"] == "partial" and feb["values"][0]["n_covered"] == 4


def test_non_aggregable_and_official(client) -> None:
    body = client.get("/api/v1/values?indicator=median_income&territory=T12,MGP,94065&year=2021").get_json()
    rows = {r["code"]: r for r in body["values"]}
    assert (
        rows["T12"]["value"] is None and rows["T12"]["status"] == "not_aggregable" and rows["T12"]["reason"]
    )
    assert rows["MGP"]["value"] == 23790 and rows["MGP"]["method"] == "official"
    assert rows["94065"]["status"] == "secret" and rows["94065"]["formatted"] == "secret stat."


def test_csv(client) -> None:
    resp = client.get("/api/v1/values?indicator=jobs&territory=T12,MGP&year=2022&format=csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    text = resp.get_data(as_text=True)
    header = [line for line in text.splitlines() if line.startswith("#")]
    # issue #9.10: the one source line of the charts, then each file read with its details
    assert "# Source : Insee, recensement de la population 2022 · Licence Ouverte / Etalab 2.0" in header
    assert any(
        line.startswith("# insee |")
        and "licence: Licence Ouverte" in line
        and "vintage: 2022" in line
        and "https://example.org/insee" in line
        for line in header
    )
    assert any(line.startswith("# API: http") for line in header)
    table = [line for line in text.splitlines() if not line.startswith("#")]
    assert table[0].startswith("code,name,level,year,month,value")
    assert table[1].startswith("T12,") and len(table) == 3


@pytest.mark.parametrize(
    ("query", "status", "parameter"),
    [
        ("indicator=jobs", 400, "territory"),
        ("territory=T12", 400, "indicator"),
        ("indicator=nope&territory=T12", 404, "indicator"),
        ("indicator=jobs&territory=T99", 400, "territory"),
        ("indicator=jobs&territory=99999", 404, "territory"),
        ("indicator=jobs&territory=group:94081+12", 400, "territory"),
        ("indicator=jobs&territory=group:94081+99999", 404, "territory"),
        ("indicator=jobs&territory=T12&year=1850", 400, "year"),
        ("indicator=jobs&territory=T12&year=abc", 400, "year"),
        ("indicator=jobs&territory=T12&year=2019", 404, "year"),
        ("indicator=jobs&territory=T12&month=3", 404, "year"),
        ("indicator=jobs&territory=T12&format=xml", 400, "format"),
        ("indicator=jobs&territory=T12&lang=de", 400, "lang"),
    ],
)
def test_bad_requests(client, query: str, status: int, parameter: str) -> None:
    error_of(client.get(f"/api/v1/values?{query}"), status, parameter)


def test_unknown_route_and_internal_errors(client, monkeypatch) -> None:
    assert "unknown endpoint" in error_of(client.get("/api/v1/nothing/here"), 404)
    error_of(client.post("/api/v1/values"), 405)

    def boom(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(service, "value_rows", boom)
    resp = client.get("/api/v1/values?indicator=jobs&territory=T12")
    assert error_of(resp, 500) == "internal error" and "secret detail" not in resp.get_data(as_text=True)


def test_ranking(client) -> None:
    body = client.get("/api/v1/ranking?indicator=jobs&level=ept&year=2022").get_json()
    assert body["n_ranked"] == 12 and body["ties"] == "min" and body["polarity"] == "higher_better"
    assert [r["rank"] for r in body["ranking"]][:3] == [1, 2, 2]  # T11 and T4 tie in the synthetic store
    asc = client.get("/api/v1/ranking?indicator=jobs&level=gosb&order=asc").get_json()
    values = [r["value"] for r in asc["ranking"]]
    assert values == sorted(values) and asc["ranking"][0]["rank"] == 1
    error_of(client.get("/api/v1/ranking?indicator=jobs&level=world"), 400, "level")
    error_of(client.get("/api/v1/ranking?indicator=jobs&order=up"), 400, "order")
    error_of(client.get("/api/v1/ranking?indicator=jobs&year=2019"), 404, "year")
    error_of(client.get("/api/v1/ranking?indicator=zzz"), 404, "indicator")


def test_credits_in_the_catalogue(client) -> None:
    body = client.get("/api/v1/indicators/unemployment_rate").get_json()
    assert body["credits_fr"] and all(c.startswith("Source") for c in body["credits_fr"])
