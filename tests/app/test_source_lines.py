"""The source line of charts, downloads and the API in the app (issue #9.10): one line per chart,
naming only the datasets of its indicator, the years shown grouped; the CSV download and the API
CSV carry the same line."""

from __future__ import annotations

import csv
import io

VITRY = {"lang": "fr", "args": {"code": "94081"}}


def test_unemployment_chart_names_the_census_only(dash_app):
    from callbacks import commune

    fig, source = commune.update_bars("unemployment_rate", "2022", VITRY)[:2]
    line = source[0]
    assert line == (
        "Source : Insee, recensement de la population 2022 (comparateur de territoires)"
        " · Licence Ouverte / Etalab 2.0"
    )
    assert fig.layout.meta["source"] == line  # the same line in the image downloads
    for other in ("état civil", "Filosofi", "Flores", "millésime", "RP 20"):
        assert other not in line


def test_trend_groups_its_years(dash_app):
    from callbacks import commune

    source = commune.update_series("unemployment_rate", "2022", VITRY)[1]
    assert source[0].startswith("Source : Insee, recensement de la population ")
    assert " et 2022 (comparateur de territoires) · Licence Ouverte / Etalab 2.0" in source[0]
    assert source[0].count("Source") == 1


def test_csv_download_and_api_csv_carry_the_same_line(client):
    for ind, year in (("unemployment_rate", 2022), ("birth_rate", 2024)):
        resp = client.get(f"/telecharger/carte.csv?indicateur={ind}&annee={year}&perimetre=gosb")
        assert resp.status_code == 200
        rows = list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig")), delimiter=";"))
        lines = {r["source"] for r in rows}
        api = client.get(f"/api/v1/values?indicator={ind}&territory=HOME,MGP&year={year}&format=csv")
        header = [x[2:] for x in api.get_data(as_text=True).splitlines() if x.startswith("# Source")]
        assert len(lines) == 1 and header == list(lines), (lines, header)
    assert "état civil 2024, recensement de la population" in header[0]


def test_xlsx_metadata_carries_the_line(client):
    import openpyxl

    resp = client.get("/telecharger/carte.xlsx?indicateur=median_income&annee=2021&perimetre=gosb")
    book = openpyxl.load_workbook(io.BytesIO(resp.data))
    meta = {r[0]: r[1] for r in book["metadonnees"].iter_rows(min_row=2, values_only=True)}
    assert meta["source"].startswith(
        "Source : Insee-DGFiP-Cnaf-Cnav-CCMSA, fichier localisé social et fiscal"
    )
    assert "recensement" not in meta["source"]
