"""Callbacks called directly on the session's real store; downloads and map shapes through Flask."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

CTX = {"lang": "fr", "args": {}, "defaults": {}}
VITRY = {"lang": "fr", "args": {"code": "94081"}, "defaults": {}}


def texts(component) -> str:
    """All the text of a Dash component tree."""
    return json.dumps(
        component.to_plotly_json() if hasattr(component, "to_plotly_json") else component,
        default=lambda o: o.to_plotly_json() if hasattr(o, "to_plotly_json") else str(o),
        ensure_ascii=False,
    )


@pytest.mark.parametrize(
    ("path", "search", "title"),
    [
        ("/", "", "Grand-Orly Seine Bièvre en chiffres"),
        ("/", "?lang=en", "Grand-Orly Seine Bièvre in figures"),
        ("/commune/94081", "", "Vitry-sur-Seine — profil communal"),
        ("/commune/75056", "?indicateur=median_income", "Paris — profil communal"),
        ("/carte", "?perimetre=mgp&classes=jenks", "Carte des indicateurs"),
        ("/comparer", "?territoires=94081,T12,group:94041+94028", "Comparer des territoires"),
        ("/indicateurs", "", "Catalogue des indicateurs"),
        ("/indicateurs/unemployment_rate", "?annee=2018", "Taux de chômage des 15-64 ans (recensement)"),
        ("/sources", "", "Sources et provenance"),
        ("/embed/carte", "?indicateur=population", "Observatoire GOSB"),
        ("/embed/commune-comparaison", "?code=94081", "Observatoire GOSB"),
    ],
)
def test_every_page_renders(dash_app, path, search, title):
    from callbacks.router import render

    result = render(path, search)
    assert result.title == title
    assert result.chrome is not path.startswith("/embed")


@pytest.mark.parametrize(
    ("path", "search", "message"),
    [
        ("/commune/99999", "", "99999"),
        ("/commune/abc", "?lang=en", "No Île-de-France commune"),
        ("/carte", "?indicateur=nope", "nope"),
        ("/carte", "?annee=1999", "1999"),
        ("/carte", "?perimetre=lune", "lune"),
        ("/indicateurs/nope", "", "nope"),
        ("/comparer", "?indicateur=nope", "nope"),  # unknown territories: tests/app/test_shell.py
        ("/pas/une/page", "", "Cette adresse"),
        ("/embed/inconnu", "", "Cette adresse"),
    ],
)
def test_unknown_values_give_a_friendly_page(dash_app, path, search, message):
    from callbacks.router import render

    result = render(path, search)
    assert result.title in ("Page introuvable", "Page not found")
    body = texts(result.layout)
    assert message in body and "Traceback" not in body
    assert '"href"' in body  # links to go somewhere useful


def test_router_callback_sets_title_and_language(dash_app):
    from callbacks.router import route

    nav, page, foot, meta = route("/carte", "?lang=en", None)
    assert meta == {
        "lang": "en",
        "chrome": True,
        "title": "Indicator map — Grand-Orly Seine Bièvre Observatory",
    }
    assert "Vitry-sur-Seine" in texts(nav)  # the search box lists the communes
    again = route("/", "?lang=en", meta)
    assert again[0] is not None and again[3]["title"].startswith("Grand-Orly")


def test_overview_callbacks(dash_app):
    from callbacks import overview, overview_kpis

    body, source, csv_href, xlsx_href = overview_kpis.update_kpis(CTX)
    assert "725\u00a0207" in texts(body)  # GOSB population 2022
    assert "Insee" in texts(source) and csv_href.startswith("/telecharger/chiffres-cles.csv")
    fig, source, alt, csv_href, _, embed, *_ = overview.update_map("unemployment_rate", "2022", CTX)
    assert sum(len(tr.locations) for tr in fig.data if tr.legendgroup == "classes") == 24
    assert fig.data[0].geojson.endswith("/geo/communes-T12.geojson")
    assert "Vitry-sur-Seine" in texts(alt) and "<iframe" in embed and "/embed/carte-territoire" in embed
    fig, *_ = overview.update_ranking("unemployment_rate", "2022", CTX)
    assert len(fig.data[0].y) == 12 and any("Grand-Orly" in y and "▶" in y for y in fig.data[0].y)


def test_map_callback_mgp_and_click(dash_app):
    from callbacks import carte

    fig, *_ = carte.update_map("median_income", "2021", "mgp", "jenks", CTX)
    located = sum(len(tr.locations) for tr in fig.data if tr.legendgroup == "classes")
    assert located == 130
    outlines = [tr for tr in fig.data if tr.name == "outline"]
    assert len(outlines[0].locations) == 12
    click = {"points": [{"customdata": "94081", "location": "94081"}]}
    assert carte.profile_target(click, "/carte", "?indicateur=population&lang=en") == (
        "/commune/94081",
        "?indicateur=population&lang=en",
    )
    assert carte.profile_target(click, "/commune/94081", "") is None  # already there
    assert carte.profile_target({"points": [{"customdata": "T12"}]}, "/", "") is None  # not a commune
    assert carte.profile_target(click, "/embed/carte", "") is None


def test_commune_callbacks(dash_app):
    from callbacks import commune, commune_profile

    summary = commune_profile.update_profile(VITRY)[0]
    assert "Vitry-sur-Seine" in texts(summary)
    tabs, profile_body, source, *_ = commune_profile.update_theme("emploi", VITRY)  # the theme in view
    assert "Taux de chômage" in texts(profile_body) and "130" in texts(profile_body)
    assert "Logements sociaux" not in texts(profile_body) and "Logement" in texts(tabs)
    fig, *_ = commune.update_bars("unemployment_rate", "2022", VITRY)
    assert list(fig.data[0].customdata) == ["MGP", "D94", "T12", "94081"]
    fig, *_ = commune.update_series("population", "2022", VITRY)
    assert {tr.name for tr in fig.data} >= {"Vitry-sur-Seine", "Grand-Orly Seine Bièvre"}
    fig, _, alt, *_ = commune.update_strip("unemployment_rate", "2022", VITRY)
    assert sum(len(tr.x) for tr in fig.data) == 130 and "Vitry-sur-Seine" in texts(alt)


def test_comparison_and_catalogue_callbacks(dash_app):
    from callbacks import catalogue, comparer, sources

    fig, *_ = comparer.update_series(["94081", "T12", "group:94041+94028"], "population", CTX)
    # one legend entry per place (census vintages less than 5 years apart: lone points, no legend)
    assert sum(tr.showlegend is not False for tr in fig.data) == 3
    assert "Ivry-sur-Seine + Créteil" in {tr.name for tr in fig.data} | {
        tr.name.replace("Créteil + Ivry-sur-Seine", "Ivry-sur-Seine + Créteil") for tr in fig.data
    }
    assert comparer.add_group(1, ["94041", "94028"], ["T12"]) == (["T12", "group:94028+94041"], [])
    body, *_ = catalogue.update_table("2022", {"lang": "fr", "args": {"id": "unemployment_rate"}})
    assert len(body.data) > 130 + 12  # communes, territories, departments, MGP
    body, *_ = sources.update_sources(CTX)
    assert "SHA-256" in texts(body)


def _csv(client, url: str) -> list[dict[str, str]]:
    resp = client.get(url)
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    text = resp.data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";" if "lang=en" not in url else ","))


def test_csv_download_holds_values_source_and_licence(client):
    rows = _csv(client, "/telecharger/carte.csv?indicateur=unemployment_rate&annee=2022&perimetre=gosb")
    vitry = next(r for r in rows if r["code"] == "94081")
    # rounded as published (catalogue decimals, half up), like the pages: 14.55… → « 14,6 »
    assert vitry["valeur"] == "14,6" and vitry["annee"] == "2022"
    assert (
        "Insee" in vitry["source"] and "Licence Ouverte" in vitry["licence"] and vitry["millesime"] == "2022"
    )
    assert len([r for r in rows if r["code"].startswith(("9", "7"))]) == 24
    en = _csv(client, "/telecharger/carte.csv?indicateur=unemployment_rate&perimetre=mgp&lang=en")
    assert {"code", "area", "value", "source", "vintage", "licence"} <= set(en[0])


def test_xlsx_download_has_data_and_metadata(client):
    resp = client.get("/telecharger/commune-profil.xlsx?code=94081")
    assert resp.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(resp.data))
    assert book.sheetnames == ["donnees", "metadonnees"]
    meta = {r[0]: r[1] for r in book["metadonnees"].iter_rows(min_row=2, values_only=True)}
    assert "Vitry-sur-Seine" in meta["titre"] and "Licence" in meta["licence"]


def test_downloads_refuse_unknown_things(client):
    assert client.get("/telecharger/nope.csv").status_code == 404
    assert client.get("/telecharger/carte.pdf").status_code == 404
    assert client.get("/telecharger/commune-profil.csv?code=99999").status_code == 404


def test_geojson_layers_are_small_and_cached(client):
    resp = client.get("/geo/communes-MGP.geojson")
    assert resp.status_code == 200 and resp.mimetype == "application/geo+json"
    data = json.loads(resp.data)
    assert len(data["features"]) == 130 and {f["id"] for f in data["features"]} >= {"94081", "75056"}
    assert len(resp.data) < 500_000
    again = client.get("/geo/communes-MGP.geojson", headers={"If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304
    assert len(json.loads(client.get("/geo/communes-T12.geojson").data)["features"]) == 24
    assert len(json.loads(client.get("/geo/outlines-ept.geojson").data)["features"]) == 12
    assert client.get("/geo/nope.geojson").status_code == 404


def test_index_is_served_with_lang_and_local_assets(client):
    html = client.get("/?lang=en").data.decode()
    assert '<html lang="en">' in html
    assert "cdn" not in html.lower() and "https://" not in html.split("_dash-config")[0]
    assert client.get("/assets/topojson/blank/world_110m.json").status_code == 200


def test_search_options_are_accent_free(dash_app):
    from callbacks import data

    options = {o["value"]: o for o in data.search_options()}
    assert len(options) == 130
    assert "creteil" in options["94028"]["search"] and options["94028"]["label"] == "Créteil (94028)"
    assert "l'hay les roses" in options["94038"]["search"]


def test_an_empty_store_gives_a_friendly_page(dash_app, store_engine, tmp_path):
    from callbacks import data
    from callbacks.engine import set_engine
    from callbacks.router import render
    from etl.store.db import make_engine

    empty = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    set_engine(empty)
    data.reset()
    try:
        result = render("/commune/94081", "")
        assert "python -m etl run" in texts(result.layout)
        assert dash_app.server.test_client().get("/geo/communes-T12.geojson").status_code == 503
    finally:
        set_engine(store_engine)
        data.reset()
        empty.dispose()


def test_download_headers_file_names_and_former_addresses(client):
    """One charset in the CSV type; file names after the home's short name, in the page's
    language; the former « carte-gosb » name still answers; an unknown download is the app's
    friendly « page not found » (status 404), like any unknown address."""
    resp = client.get("/telecharger/carte-territoire.csv?indicateur=unemployment_rate&annee=2022")
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        resp.headers["Content-Disposition"] == 'attachment; filename="observatoire-gosb-carte-territoire.csv"'
    )
    en = client.get("/telecharger/chiffres-cles.csv?lang=en")
    assert en.headers["Content-Disposition"] == 'attachment; filename="observatory-gosb-key-figures.csv"'
    old = client.get("/telecharger/carte-gosb.xlsx?indicateur=jobs&lang=en")
    assert old.status_code == 301
    assert old.headers["Location"].endswith("/telecharger/carte-territoire.xlsx?indicateur=jobs&lang=en")
    assert client.get("/embed/carte-gosb?indicateur=jobs").status_code == 200
    for url in ("/telecharger/x.csv", "/telecharger/commune-profil.csv?code=99999"):
        missing = client.get(url)
        assert missing.status_code == 404 and missing.mimetype == "text/html"
        assert b"react-entry-point" in missing.data  # the app shell, whose router says « not found »


def test_english_downloads_and_pages_name_the_metropolis_in_english(client):
    from layouts.i18n import t

    en = _csv(client, "/telecharger/carte.csv?indicateur=unemployment_rate&perimetre=mgp&lang=en")
    assert next(r for r in en if r["code"] == "MGP")["area"] == "Greater Paris Metropolis"
    fr = _csv(client, "/telecharger/carte.csv?indicateur=unemployment_rate&perimetre=mgp")
    assert next(r for r in fr if r["code"] == "MGP")["territoire"] == "Métropole du Grand Paris"
    assert "compared with: Greater Paris Metropolis" in t("app.tagline", "en")
    assert "Métropole du Grand Paris" in t("app.tagline", "fr")


def test_sources_in_english_and_a_short_footer(dash_app):
    from callbacks import sources

    en = sources.sources_export({}, "en")
    vintages = set(en.frame["vintage"])
    assert not any(w in v for v in vintages for w in ("état civil", "géographie", "départements", "état de"))
    assert "RP2021; geography as of 1 January 2024" in vintages
    assert en.source.startswith("Producers: ") and len(en.source) < 200 and " ; " not in en.licence
    fr = sources.sources_export({}, "fr")
    assert "RP2021; géographie au 01/01/2024" in set(fr.frame["millesime"]) and fr.source.startswith(
        "Producteurs : "
    )
    body, source, *_ = sources.update_sources({"lang": "en", "args": {}, "defaults": {}})
    assert "géographie au" not in texts(body) and "geography as of" in texts(body)


def test_indicator_formula_names_the_variables(dash_app):
    from callbacks import catalogue, data

    ind = data.indicator("median_income")
    assert catalogue.formula_text(ind, "en") == "Median standard of living"
    assert catalogue.variables_text(ind, "en") == "med_uc: Median standard of living"
    assert catalogue.formula_text(data.indicator("unemployment_rate"), "fr") == (
        "100 × (Chômeurs de 15 à 64 ans) / (Actifs de 15 à 64 ans)"
    )
