"""A home outside the metropolis gets pages that make sense (issue #11): CA du Pays Basque
(200067106, 158 communes, department 64, region R75) against the default home (T12).

Its peers are the EPCIs of its region (API ``level=peers``); its years default to the latest
with data for it (2018: the national RP2018 comparateur; the 2022 files cover Île-de-France only);
an indicator whose sources do not cover it says so in words; its map, without shapes in the store
(IGN files of Paris and departments 91-95 only), says so and keeps the list of values.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

import config

PAYS_BASQUE = "200067106"
LA_ROCHELLE = "241700434"  # another EPCI of Nouvelle-Aquitaine, for the sums of members
COMPARATEUR_2018 = Path("stats/insee_comparateur/base_cc_comparateur_RP2018_csv.zip")
V6 = Path("reference/etalab-decoupage-administratif-6.0.0")
#: Words of the default home that must not show on the pages of another home.
DEFAULT_WORDS = ("T12", "GOSB", "Grand-Orly")


def _switch(monkeypatch, code: str | None) -> None:
    from callbacks import data

    if code is None:
        monkeypatch.delenv("OBSERVATOIRE_HOME", raising=False)
    else:
        monkeypatch.setenv("OBSERVATOIRE_HOME", code)
    config.settings.cache_clear()
    data.reset()  # the app's memo is per process, not per home


@pytest.fixture()
def pays_basque(monkeypatch, dash_app, store_engine):
    import indicators as ind

    _switch(monkeypatch, PAYS_BASQUE)
    if not ind.territories(store_engine).communes_of(PAYS_BASQUE):
        pytest.skip("store built before issue #11 (no EPCI membership): rebuild it with the ETL")
    yield
    _switch(monkeypatch, None)


@pytest.fixture()
def default_home(monkeypatch, dash_app):
    _switch(monkeypatch, None)
    yield


@pytest.fixture(scope="module")
def reference(raw_dir: Path) -> tuple[dict, dict[str, str]]:
    """EPCIs of the reference file (etalab 6.0.0) and each current commune's region."""
    epci = {r["code"]: r for r in json.loads((raw_dir / V6 / "epci.json").read_text(encoding="utf-8"))}
    communes = json.loads((raw_dir / V6 / "communes.json").read_text(encoding="utf-8"))
    regions = {c["code"]: c.get("region") for c in communes if c["type"] == "commune-actuelle"}
    return epci, regions


@pytest.fixture(scope="module")
def rp2018(raw_dir: Path) -> dict[str, dict[str, str]]:
    """The national RP2018 comparateur, row by commune, read directly from Insee's zip."""
    with zipfile.ZipFile(raw_dir / COMPARATEUR_2018) as z:
        text = io.TextIOWrapper(z.open("base_cc_comparateur.CSV"), encoding="utf-8")
        return {r["CODGEO"]: r for r in csv.DictReader(text, delimiter=";")}


def test_peers_of_the_default_home_are_the_12_territories(default_home, client) -> None:
    body = client.get("/api/v1/ranking?indicator=jobs&level=peers").get_json()
    assert body["level"] == "peers" and body["n_ranked"] == 12
    assert {r["code"] for r in body["ranking"]} == {f"T{i}" for i in range(1, 13)}
    ept = client.get("/api/v1/ranking?indicator=jobs&level=ept").get_json()
    assert [(r["code"], r["value"]) for r in ept["ranking"]] == [
        (r["code"], r["value"]) for r in body["ranking"]
    ]


def test_peers_outside_are_the_epcis_of_its_region(pays_basque, client, reference, rp2018) -> None:
    epci, regions = reference
    # counted independently: the EPCIs with most of their communes in Nouvelle-Aquitaine (R75)
    expected = {
        code
        for code, e in epci.items()
        if 2 * sum(regions.get(m["code"]) == "75" for m in e["membres"]) > len(e["membres"])
    }
    body = client.get("/api/v1/ranking?indicator=unemployment_rate&level=peers").get_json()
    rows = {r["code"]: r for r in body["ranking"]}
    assert set(rows) == expected and PAYS_BASQUE in rows and len(rows) > 100
    assert {r["level"] for r in rows.values()} == {"epci"}
    # no year asked: the latest with data for them (2022 covers Île-de-France only)
    assert {r["year"] for r in rows.values()} == {2018}
    for code in (PAYS_BASQUE, LA_ROCHELLE):  # the sums of members, from Insee's file
        members = [m["code"] for m in epci[code]["membres"]]
        chom = sum(float(rp2018[m]["P18_CHOM1564"] or 0) for m in members)
        act = sum(float(rp2018[m]["P18_ACT1564"] or 0) for m in members)
        assert rows[code]["value"] == pytest.approx(100 * chom / act, rel=1e-9)
        assert rows[code]["n_members"] == len(members)
    jobs = client.get("/api/v1/ranking?indicator=jobs&level=peers&year=2018").get_json()
    row = next(r for r in jobs["ranking"] if r["code"] == LA_ROCHELLE)
    members = [m["code"] for m in epci[LA_ROCHELLE]["membres"]]
    assert row["value"] == pytest.approx(sum(float(rp2018[m]["P18_EMPLT"] or 0) for m in members))
    # the metropolis' territories stay available as before
    ept = client.get("/api/v1/ranking?indicator=unemployment_rate&level=ept").get_json()
    assert ept["n_ranked"] == 12


def test_map_defaults_to_2018_and_says_there_is_no_base_map(pays_basque) -> None:
    from callbacks import carte, data
    from callbacks.registry import Request

    state, defaults, _ = carte.page_state(Request(path="/carte", query={}, lang="fr", args={}))
    assert state["annee"] == "2018" and defaults["annee"] == "2018"
    assert carte.scopes() == ("territoire",)  # no metropolis perimeter for a home elsewhere
    out = carte.draw({"indicateur": "unemployment_rate"}, "fr")
    alt = str(out[2])
    assert "Pas de carte pour ce territoire : les contours de ses communes ne sont pas chargés." in alt
    # the list of the communes with their values stays
    assert "Bayonne" in alt and "Biarritz" in alt and "12,9" in alt
    assert "2018" in str(out[6]) and not any(w in alt for w in DEFAULT_WORDS)
    en = str(carte.draw({"indicateur": "unemployment_rate"}, "en")[2])
    assert "No map for this area" in en
    assert data.home_year(data.indicator("unemployment_rate")) == 2018
    assert data.home_year(data.indicator("median_income")) == 2019  # commune medians, RP2018 file


def test_a_source_covering_ile_de_france_only_says_so(pays_basque) -> None:
    from callbacks import carte, catalogue

    out = carte.draw({"indicateur": "jobseekers"}, "fr")
    text = str(out[2])
    assert "Cette source ne couvre que l'Île-de-France" in text and "n.d." not in text
    assert "This source only covers Île-de-France" in str(carte.draw({"indicateur": "jobseekers"}, "en")[2])
    table = catalogue.table_output("jobseekers", "2024", "fr")
    assert "Cette source ne couvre que l'Île-de-France" in str(table[0])


PAGES = [
    "/",
    "/carte",
    "/indicateurs/unemployment_rate",
    "/comparer",
    "/commune/64122",
    "/presentation",
    "/sources",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_of_the_home_outside(pays_basque, client, path: str) -> None:
    from callbacks.router import route

    assert client.get(path).status_code == 200
    _, layout, _, meta = route(path, "", None)
    text = str(layout) + str(meta)
    assert not any(w in text for w in DEFAULT_WORDS), [w for w in DEFAULT_WORDS if w in text]
    assert "Pays Basque" in text or path == "/sources"


def test_cards_rank_its_peers(pays_basque) -> None:
    from callbacks import catalogue, overview

    rank = overview.rank_export({"indicateur": "unemployment_rate"}, "fr")
    frame = rank.frame
    assert "Les intercommunalités de Nouvelle-Aquitaine, 2018" in rank.title
    assert PAYS_BASQUE in set(frame.iloc[:, 0].astype(str)) | set(frame.iloc[:, 1].astype(str))
    table = catalogue.table_export({"id": "unemployment_rate"}, "fr")
    text = table.frame.to_csv()
    assert "CA de La Rochelle" in text and "Biarritz" in text and "Nouvelle-Aquitaine" in text
    assert "Plaine Commune" not in text and not any(w in text for w in DEFAULT_WORDS)


def test_the_default_home_keeps_its_map_and_years(default_home) -> None:
    from callbacks import carte, data

    ind = data.indicator("unemployment_rate")
    assert data.home_year(ind) == ind.latest_year
    assert carte.scopes() == ("territoire", "mgp")
    out = carte.draw({"indicateur": "unemployment_rate", "perimetre": "mgp"}, "fr")
    assert "Pas de carte pour ce territoire" not in str(out[2])


def test_shape_layers_of_the_home_and_its_references_are_served(pays_basque, client) -> None:
    """The commune profile's locator asks for the communes of the commune's department (D64): a
    layer of the home's references is known (an empty collection here: no shapes loaded for 64),
    an unknown layer is a 404, never a server error."""
    for name in ("communes-D64", f"communes-{PAYS_BASQUE}", f"outlines-{PAYS_BASQUE}", "outlines-peers"):
        resp = client.get(f"/geo/{name}.geojson")
        assert resp.status_code == 200, name
        assert resp.get_json()["type"] == "FeatureCollection"
    assert client.get("/geo/communes-D13.geojson").status_code == 404


def test_comparer_defaults_to_the_latest_year_with_data_for_the_places(pays_basque) -> None:
    """R2.1: the bars of ``/comparer`` are at 2018 (no 2022 census outside Île-de-France)."""
    from callbacks import comparer

    bars = comparer.bars_export({"indicateur": "unemployment_rate"}, "fr")
    assert "2018" in bars.title and "2022" not in bars.title
    values = bars.frame.iloc[:, 4]  # indicateur, code, territoire, annee, valeur …
    assert set(bars.frame.iloc[:, 3]) == {2018} and values.notna().all()
    chosen = comparer.bars_export({"indicateur": "unemployment_rate", "territoires": "R75,200067106"}, "fr")
    assert set(chosen.frame.iloc[:, 3]) == {2018}
    # the evolution's source line names only the vintages drawn
    series = comparer.series_export({"indicateur": "unemployment_rate", "territoires": "R75,200067106"}, "fr")
    assert "2018" in series.source and "2022" not in series.source


def test_year_menus_offer_the_years_with_data_for_the_home(pays_basque) -> None:
    """R2.2: menus list 2018 only; a URL year without data says so in words; source lines name
    only the vintages drawn."""
    from callbacks import common, commune, data, overview
    from callbacks.registry import PageError, Request
    from callbacks.state import normalise_year, year_options

    assert [o["value"] for o in year_options("unemployment_rate")] == ["2018"]
    assert [o["value"] for o in year_options("median_income")] == ["2019"]
    # a source that never covers the home keeps its vintages (the page says it does not cover it)
    ind = data.indicator("jobseekers")
    assert [o["value"] for o in year_options("jobseekers")] == [
        str(y) for y in sorted(ind.years, reverse=True)
    ]
    state, _ = normalise_year({"indicateur": "unemployment_rate", "annee": "2022"}, "fr")
    assert state["annee"] == "2018"
    assert common.safe_year(data.indicator("unemployment_rate"), "2022") == 2018
    for path, args in (("/commune/64122", {"code": "64122"}), ("/", {})):
        req = Request(path=path, query={"annee": "2022"}, lang="fr", args=args)
        with pytest.raises(PageError) as err:
            (commune if args else overview).page_state(req)
        assert "Pas de donnée en 2022" in err.value.message and "CA du Pays Basque" in err.value.message
        assert "disponibles ici : 2018" in err.value.message
    series = commune.series_export(
        {"code": "64122", "indicateur": "unemployment_rate", "annee": "2018"}, "fr"
    )
    assert "2018" in series.source and "2022" not in series.source


def test_home_ranking_says_why_it_has_no_value(pays_basque) -> None:
    """R2.4: a source covering Île-de-France only, or a median that cannot be added up (not
    « not covered »: its communes have values), is said in words on the home's ranking card."""
    from callbacks import overview

    out = overview.draw_ranking({"indicateur": "jobseekers", "annee": "2024"}, "fr")
    assert "Cette source ne couvre que l'Île-de-France" in str(out[2])
    out = overview.draw_ranking({"indicateur": "median_income", "annee": "2019"}, "fr")
    text = str(out[2])
    assert "ne se calcule pas pour ces territoires" in text and "ne couvre" not in text
    en = str(overview.draw_ranking({"indicateur": "median_income", "annee": "2019"}, "en")[2])
    assert "cannot be computed for these areas" in en


def test_not_aggregable_is_not_not_covered(pays_basque, client) -> None:
    """The API says « not aggregable » where the communes have values (2019), « not covered »
    only where the period's file has no row for the home or its communes (2021)."""
    body = client.get("/api/v1/values?indicator=median_income&territory=200067106,64122&year=2019").get_json()
    rows = {r["code"]: r for r in body["values"]}
    assert rows[PAYS_BASQUE]["status"] == "not_aggregable" and rows["64122"]["status"] == "ok"
    body = client.get("/api/v1/values?indicator=median_income&territory=200067106&year=2021").get_json()
    assert body["values"][0]["status"] == "not_covered"


def test_the_default_home_keeps_its_year_menus(default_home) -> None:
    from callbacks import comparer, data
    from callbacks.state import year_options

    for ind_id in ("unemployment_rate", "median_income", "jobseekers"):
        ind = data.indicator(ind_id)
        assert [o["value"] for o in year_options(ind_id)] == [str(y) for y in sorted(ind.years, reverse=True)]
    bars = comparer.bars_export({"indicateur": "unemployment_rate"}, "fr")
    assert set(bars.frame.iloc[:, 3]) == {data.indicator("unemployment_rate").latest_year}
