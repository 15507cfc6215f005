"""The deck and the overview's ranking of a home outside the metropolis (issue #11, review R2.3
and R2.6): CA du Pays Basque (200067106) is compared with its peers, the EPCIs of its region, as
the default home (T12) is with the 12 territories, not with its own communes; its rank is the
API's (``/api/v1/ranking?level=peers``); the overview's excerpt of 154 EPCIs keeps an axis that
fits its values and short labels.

Ranks and values are read from the API (the pages' ranking), not recomputed by the deck's code.
"""

from __future__ import annotations

import pytest

from tests.home.test_outside_metropolis import PAYS_BASQUE

# fixtures (``tests/home/conftest.py``): pays_basque, default_home, client, store_engine


def _deck(engine, code: str, indicator: str):
    from exports import data
    from exports.charts import chart_spec
    from exports.deck_choices import Choices

    focus, facts, _ = data.deck_facts(engine, Choices(code, (indicator,)))
    return focus, facts[0], chart_spec(facts[0])


def _api(client, indicator: str) -> dict:
    body = client.get(f"/api/v1/ranking?indicator={indicator}&level=peers").get_json()
    return {r["code"]: r for r in body["ranking"]} | {"": body}


def test_deck_ranks_the_home_among_the_epcis_of_its_region(pays_basque, client, store_engine) -> None:
    api = _api(client, "unemployment_rate")
    n, mine = api[""]["n_ranked"], api[PAYS_BASQUE]
    focus, facts, spec = _deck(store_engine, PAYS_BASQUE, "unemployment_rate")
    assert focus.level == "epci" and facts.year == mine["year"] == 2018
    # its peers are the API's peers (EPCIs), never its communes
    assert {p.place.code for p in facts.peers} == {c for c in api if c} and n > 100
    assert not {p.place.code for p in facts.peers} & set(focus.members)
    rank = f"{mine['rank']}e sur {n}"
    assert f"des {n} intercommunalités : CA du Pays Basque ({rank})" in spec.note
    values = {b.code: b.value for b in spec.bars}
    assert values[PAYS_BASQUE] == pytest.approx(mine["value"], rel=1e-12)
    for code, value in values.items():  # every bar of a peer is the API's value
        if code in api and code:
            assert value == pytest.approx(api[code]["value"], rel=1e-12), code
    # its references (department, region) are drawn beside the peers
    assert {"D64", "R75"} <= set(values)


def test_deck_counts_beside_epcis_not_beside_its_communes(pays_basque, client, store_engine) -> None:
    api = _api(client, "jobs")
    focus, facts, spec = _deck(store_engine, PAYS_BASQUE, "jobs")
    codes = {b.code for b in spec.bars}
    assert not codes & set(focus.members), "a count is not drawn beside its own communes"
    assert codes <= {c for c in api if c} and PAYS_BASQUE in codes
    n = api[""]["n_ranked"]
    assert f"({api[PAYS_BASQUE]['rank']}e sur {n})" in spec.note and "communes" not in spec.note


def test_the_default_home_deck_still_ranks_the_12_territories(default_home, store_engine) -> None:
    _, facts, spec = _deck(store_engine, "T12", "unemployment_rate")
    assert {p.place.code for p in facts.peers} == {f"T{i}" for i in range(1, 13)}
    assert {b.code for b in spec.bars} == {f"T{i}" for i in range(1, 13)} | {"MGP"}
    assert spec.note == ""  # 13 bars fit: no excerpt


def test_overview_excerpt_axis_fits_its_values_and_labels_are_short(pays_basque) -> None:
    from callbacks import overview

    params = overview.clean("unemployment_rate", None)
    out = overview.draw_ranking(params, "fr")
    fig = next(o for o in out if hasattr(o, "data") and hasattr(o, "layout"))
    bar = fig.data[0]
    low, high = fig.layout.xaxis.range
    ref = next(a.x for a in fig.layout.annotations if a.xref == "x")  # Nouvelle-Aquitaine's line
    top = max(max(bar.x), ref)
    assert low == 0 and top < high <= 1.1 * top  # not widened by the reference's label (was 60)
    labels = [str(y).replace("<b>", "").replace("</b>", "") for y in bar.y]
    assert max(len(y) for y in labels) <= overview.LABEL_CHARS + 10  # « … (100e) », fits 390 px
    assert "▶ CA du Pays Basque (98e)" in labels
    # full names and ranks on hover (the table and the download keep them all)
    assert any("(98e / 154)" in h for h in bar.hovertext)
    assert any("CC Marche et Combraille en Aquitaine" in h for h in bar.hovertext)
