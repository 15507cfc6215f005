"""Downloads and data tables carry what the chart draws (issue #9.3): counts compared per 1,000
inhabitants, as an index (base 100) or as the change over one year, with their unit in words and
the count beside them; values drawn as published are left as they are. On the real store."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from tests.app.test_callbacks import texts


def _csv(client, url: str) -> list[dict[str, str]]:
    resp = client.get(url)
    assert resp.status_code == 200 and resp.mimetype == "text/csv", url
    return list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig")), delimiter=";"))


def _number(text: str) -> float:
    return float(text.replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", "."))


def _drawn(fig) -> dict[str, float]:
    """code → value drawn, from the figure's bar (or lines: code of each trace → last value)."""
    d = fig.to_dict() if hasattr(fig, "to_dict") else fig
    bar = d["data"][0]
    return dict(zip(bar["customdata"], bar["x"], strict=True))


def test_comparison_bars_of_a_count_download_the_values_per_1000_inhabitants(dash_app, client):
    from callbacks import commune

    out = commune.draw_bars({"code": "94081", "indicateur": "jobs", "annee": ""}, "fr")
    fig, alt, csv_href, xlsx_href = out[0], out[2], out[3], out[4]
    drawn = _drawn(fig)
    assert "Pour 1 000 habitants" in json.dumps(fig.to_dict()["layout"]["xaxis"], ensure_ascii=False)
    rows = {r["code"]: r for r in _csv(client, csv_href)}
    assert set(rows) == set(drawn) and len(rows) == 4  # Vitry, GOSB, Val-de-Marne, MGP
    for code, value in drawn.items():
        row = rows[code]
        assert row["unite"] == "pour 1 000 habitants"
        assert _number(row["valeur"]) == pytest.approx(value, abs=0.05)  # one decimal
        assert _number(row["nombre"]) > 10 * _number(row["valeur"])  # the count beside it
    # the count of the MGP is thousands of times Vitry's; per inhabitant they are of one order
    assert _number(rows["MGP"]["nombre"]) > 50 * _number(rows["94081"]["nombre"])
    assert _number(rows["MGP"]["valeur"]) < 5 * _number(rows["94081"]["valeur"])
    # the <details> table: the value drawn with its unit, and the count
    table = texts(alt)
    assert "Valeur (pour 1 000 habitants)" in table and "Nombre" in table
    vitry = rows["94081"]
    digits = table.replace("\u202f", "").replace("\u00a0", "")
    assert vitry["valeur"] in table and str(int(_number(vitry["nombre"]))) in digits
    # XLSX: one decimal on the values drawn, none on the counts
    resp = client.get(xlsx_href)
    sheet = openpyxl.load_workbook(io.BytesIO(resp.data))["donnees"]
    header = [c.value for c in sheet[1]]
    value_cell = sheet.cell(row=2, column=header.index("valeur") + 1)
    count_cell = sheet.cell(row=2, column=header.index("nombre") + 1)
    assert value_cell.number_format == "#,##0.0" and count_cell.number_format == "#,##0"
    assert header.index("nombre") == header.index("unite") + 1


def test_a_rate_is_downloaded_as_it_is_drawn(dash_app, client):
    from callbacks import commune

    out = commune.draw_bars({"code": "94081", "indicateur": "unemployment_rate", "annee": ""}, "fr")
    rows = {r["code"]: r for r in _csv(client, out[3])}
    assert "nombre" not in rows["94081"] and rows["94081"]["unite"] == "%"
    assert _number(rows["94081"]["valeur"]) == pytest.approx(_drawn(out[0])["94081"], abs=0.05)
    assert "Nombre" not in texts(out[2])


def test_trends_of_counts_download_the_index_and_the_change_over_one_year(dash_app, client):
    from callbacks import comparer

    out = comparer.draw_series({"territoires": ["94081", "T12"], "indicateur": "jobs"}, "fr")
    rows = _csv(client, out[3])
    assert {r["unite"] for r in rows} == {"indice, base 100 l'année de référence"}
    base = {r["annee_reference"] for r in rows}
    assert len(base) == 1
    base_year = base.pop()
    first = [r for r in rows if r["annee"] == base_year]
    assert first and all(_number(r["valeur"]) == 100 for r in first)
    assert all(r["nombre"] for r in rows)
    lines = {tr["name"]: tr["y"] for tr in out[0].to_dict()["data"] if tr.get("y") is not None}
    assert any(100.0 in [round(v, 6) for v in ys if v is not None] for ys in lines.values())
    assert "indice" in texts(out[2]).lower() and "Nombre" in texts(out[2])

    monthly = comparer.draw_series(
        {"territoires": ["94081", "MGP"], "indicateur": "jobseekers_monthly"}, "fr"
    )
    rows = _csv(client, monthly[3])
    assert {r["unite"] for r in rows} == {"évolution sur un an, en %"} and "mois" in rows[0]
    changes = [_number(r["valeur"]) for r in rows if r["valeur"]]
    assert changes and all(-60 < v < 60 for v in changes)  # a change in %, not a count
    assert any(not r["valeur"] for r in rows)  # the first twelve months have none
    assert all(_number(r["nombre"]) > 100 for r in rows if r["nombre"])
