"""Issue #15: chart cards link to « D'où vient ce chiffre ? » for the value in view (the card's
place, indicator and year), and the map's commune list and the comparison table per value.
Callbacks called directly on the session's real store."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

CTX = {"lang": "fr", "args": {}, "defaults": {}}
VITRY = {"lang": "fr", "args": {"code": "94081"}, "defaults": {}}


def _links(component) -> list[dict]:
    """Every ``/explication`` link of a component tree: its query and accessible name."""
    found: list[dict] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            props = node.get("props", {})
            href = props.get("href") or ""
            if node.get("type") == "A" and href.startswith("/explication"):
                query = {k: v[0] for k, v in parse_qs(urlparse(href).query).items()}
                found.append({**query, "name": props.get("aria-label", ""), "text": props.get("children")})
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    plain = json.loads(
        json.dumps(
            component, default=lambda o: o.to_plotly_json() if hasattr(o, "to_plotly_json") else str(o)
        )
    )
    walk(plain)
    return found


def test_commune_chart_cards_link_the_value_in_view(dash_app):
    from callbacks import commune

    for update in (commune.update_bars, commune.update_series, commune.update_strip):
        _, source, *_ = update("unemployment_rate", "2022", VITRY)
        links = _links(source)
        assert links, update.__name__
        assert links[0] | {"name": "", "text": ""} == {
            "indicateur": "unemployment_rate",
            "territoire": "94081",
            "annee": "2022",
            "name": "",
            "text": "",
        }
        assert links[0]["text"] == "D'où vient ce chiffre ?"
        assert "Vitry-sur-Seine" in links[0]["name"] and "2022" in links[0]["name"]


def test_overview_cards_link_the_home_territory(dash_app):
    from callbacks import overview

    _, source, *_ = overview.update_map("unemployment_rate", "2022", CTX)
    assert [(x["territoire"], x["annee"]) for x in _links(source)] == [("T12", "2022")]
    _, source, *_ = overview.update_ranking("median_income", "2021", CTX)
    assert _links(source)[0]["indicateur"] == "median_income"


def test_map_list_links_every_value(dash_app):
    from callbacks import carte

    _, source, listing, *_ = carte.update_map("unemployment_rate", "2022", "gosb", "quantile", CTX)
    per_value = _links(listing)
    assert len(per_value) == 24
    assert {x["annee"] for x in per_value} == {"2022"}
    assert "94081" in {x["territoire"] for x in per_value}
    assert _links(source)  # and the card's own link


def test_comparison_table_links_every_value(dash_app):
    from callbacks import comparer

    _, source, alt, *_ = comparer.update_bars(["94081", "T12", "group:94041+94028"], "unemployment_rate", CTX)
    per_value = _links(alt)
    assert {x["territoire"] for x in per_value} == {"94081", "T12", "group:94028+94041"}
    assert len({x["annee"] for x in per_value}) == 1
    assert _links(source)[0]["territoire"] == "94081"
