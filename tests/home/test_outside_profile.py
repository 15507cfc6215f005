"""The commune profile, the fiches, the search and the overview's ranking for a home outside the
metropolis (issue #11): CA du Pays Basque (200067106), its commune Biarritz (64122), its
department (D64) and its region (R75, Nouvelle-Aquitaine).

Values are checked against sums computed here from Insee's national RP2018 comparateur file and
the etalab reference lists (not through the store); the default home (T12) keeps its profile.
"""

from __future__ import annotations

import pytest

from tests.exports.helpers import pdf_text
from tests.home.test_outside_metropolis import DEFAULT_WORDS, LA_ROCHELLE, PAYS_BASQUE

# fixtures (``tests/home/conftest.py``): pays_basque, default_home, reference, rp2018, client

BIARRITZ = "64122"
#: What the profile of a commune of a home elsewhere must not say.
METROPOLIS_WORDS = ("Métropole", "metropolis", "MGP")
UNCOVERED_GRID = ("non couvert", "source non couvrante", "not covered")


def _ratio(rows: dict[str, dict[str, str]], codes: list[str], num: str, den: str) -> float:
    return 100 * sum(float(rows[c][num] or 0) for c in codes) / sum(float(rows[c][den] or 0) for c in codes)


@pytest.fixture(scope="module")
def areas(reference, rp2018) -> dict[str, list[str]]:
    """Communes of the home, D64 and R75, from the reference lists and Insee's file."""
    epci, regions = reference
    return {
        PAYS_BASQUE: [m["code"] for m in epci[PAYS_BASQUE]["membres"]],
        "D64": [c for c in rp2018 if c.startswith("64")],
        # the rows of Insee's file in the region's departments (the file's 2020 communes, some merged since)
        "R75": [c for c in rp2018 if c[:2] in {k[:2] for k, r in regions.items() if r == "75"}],
    }


def test_profile_compares_with_the_home_its_department_and_region(pays_basque, rp2018, areas) -> None:
    from callbacks import profile

    frame = profile.commune_profile(BIARRITZ).set_index("id")
    row = frame.loc["unemployment_rate"]
    assert int(row["year"]) == 2018  # the latest with data here (2022 covers Île-de-France only)
    assert row["value"] == pytest.approx(_ratio(rp2018, [BIARRITZ], "P18_CHOM1564", "P18_ACT1564"), rel=1e-9)
    for col, code in (("home", PAYS_BASQUE), ("dep", "D64"), ("scope", "R75")):
        expected = _ratio(rp2018, areas[code], "P18_CHOM1564", "P18_ACT1564")
        assert row[col] == pytest.approx(expected, rel=1e-9), col
    jobs = frame.loc["jobs"]
    for col, code in (("home", PAYS_BASQUE), ("dep", "D64"), ("scope", "R75")):
        assert jobs[col] == pytest.approx(sum(float(rp2018[c]["P18_EMPLT"] or 0) for c in areas[code]))
    # ranked among the home's communes
    assert set(frame["n"].dropna()) and max(frame["n"].dropna()) == len(areas[PAYS_BASQUE])
    # the Île-de-France files leave the table, named once
    assert "jobseekers" not in frame.index and "jobseekers" in profile.uncovered()


def test_profile_page_says_no_metropolis_and_no_grid_of_not_covered(pays_basque) -> None:
    from callbacks import commune_profile
    from callbacks.router import route

    tabs, body, *_ = commune_profile.theme_output(BIARRITZ, "emploi", "fr")
    text = str(body)
    for name in ("Biarritz", "CA du Pays Basque", "Pyrénées-Atlantiques", "Nouvelle-Aquitaine", "158"):
        assert name in text, name
    assert not any(w in text for w in (*METROPOLIS_WORDS, *DEFAULT_WORDS)), text[:500]
    assert not any(w in text for w in UNCOVERED_GRID) and "n.d." not in text
    # the Île-de-France files are said once, in a sentence naming them
    assert text.count("ne couvrant que l'Île-de-France") == 1 and "Demandeurs d'emploi" in text
    summary = str(commune_profile.profile_output(BIARRITZ, "fr")[0])
    assert "intercommunalité" in summary and "Métropole" not in summary
    _, layout, _, _ = route(f"/commune/{BIARRITZ}", "", None)
    page = str(layout)
    assert "CA du Pays Basque" in page and "Nouvelle-Aquitaine" in page
    assert not any(w in page for w in (*METROPOLIS_WORDS, *DEFAULT_WORDS))


def test_commune_fiche(pays_basque, client, rp2018, areas) -> None:
    body = client.get(f"/export/commune/{BIARRITZ}.pdf")
    assert body.status_code == 200
    text = " ".join(pdf_text(body.data).split())
    assert "CA du Pays Basque" in text and "Nouvelle-Aquitaine" in text and "Pyrénées-Atlantiques" in text
    assert "Métropole" not in text and not any(w in text for w in DEFAULT_WORDS)
    assert "source non couvrante" not in text and "Non couverts par leurs sources" in text
    rate = _ratio(rp2018, areas[PAYS_BASQUE], "P18_CHOM1564", "P18_ACT1564")
    assert f"{rate:.1f}".replace(".", ",") + " %" in text  # the home's unemployment rate, 2018


def test_territory_fiche(pays_basque, client, rp2018, areas) -> None:
    body = client.get(f"/export/territoire/{PAYS_BASQUE}.pdf")
    assert body.status_code == 200
    text = " ".join(pdf_text(body.data).split())
    assert "source non couvrante" not in text and "Métropole" not in text
    jobs = sum(float(rp2018[c]["P18_EMPLT"] or 0) for c in areas["R75"])
    assert f"{round(jobs):,}".replace(",", "\u202f") in text or f"{round(jobs):,}".replace(",", " ") in text


def test_search_finds_biarritz_and_the_peers(pays_basque) -> None:
    from callbacks import search

    found = search.rank("biarritz", search.entries("fr"))
    assert found[0].value == f"commune:{BIARRITZ}"
    peers = search.rank("La Rochelle", search.entries("fr"))
    assert f"territory:{LA_ROCHELLE}" in [e.value for e in peers]
    assert "intercommunalité" in next(e.label for e in peers if e.value == f"territory:{LA_ROCHELLE}")
    assert search.rank("Nouvelle-Aquitaine", search.entries("fr"))[0].value == "territory:R75"
    assert search.rank("Pays Basque", search.entries("fr"))[0].value == f"territory:{PAYS_BASQUE}"
    assert (
        search.target(f"territory:{LA_ROCHELLE}") == f"/comparer?territoires={LA_ROCHELLE},{PAYS_BASQUE},R75"
    )
    assert not any(e.value in ("territory:MGP", "territory:T12") for e in search.entries("fr"))


def test_overview_ranking_is_an_excerpt(pays_basque) -> None:
    from callbacks import overview

    params = overview.clean("unemployment_rate", None)
    export = overview.rank_export(params, "fr")
    out = overview.draw_ranking(params, "fr")
    fig = next(o for o in out if hasattr(o, "data") and hasattr(o, "layout"))
    bars = fig.data[0].y
    assert len(bars) <= overview.MAX_BARS < len(export.frame) - 1  # the table keeps them all (+ R75)
    assert any("CA du Pays Basque" in str(b) for b in bars)
    n = len(export.frame) - 1
    assert f"{n} intercommunalités classées, dont les 5 premières" in str(out)  # the card's subtitle
    assert "CA de La Rochelle" in str(out)  # the accessible table lists every peer


def test_the_default_home_keeps_its_profile(default_home) -> None:
    from callbacks import commune_profile, profile, search

    frame = profile.commune_profile("94081")
    assert max(frame["n"].dropna()) == 130 and profile.uncovered() == {}
    body = str(commune_profile.theme_output("94081", "emploi", "fr")[1])
    assert "Rang parmi les communes de la Métropole" in body and "children='MGP'" in body
    assert search.target("territory:T5") == "/comparer?territoires=T5,T12,MGP"
