"""One colour per role (issue #9.5): a place has the same colour in the app's comparison chart, the
PowerPoint chart (fill of its bar), the SVG chart of the tagged PDFs and the PNG/SVG slide image,
all taken from ``figures.roles``."""

from __future__ import annotations

import io
import re

import pandas as pd
from pptx import Presentation

from exports.chart_figure import figure
from exports.charts import chart_spec
from exports.deck import build_deck
from exports.deck_choices import Choices
from exports.model import Place, Reading
from exports.pptx import deck_pptx
from exports.svg import bars_svg
from figures import roles
from figures.base import Measure
from figures.charts import compare_bars
from tests.exports.helpers import GOSB, GOSB_COMMUNES, MGP, commune, facts

D94 = Place("D94", "Val-de-Marne", "departement")
#: unemployment rate (%): the commune, its territory, its department, the metropolis, two peers
VALUES = {"94081": 14.6, "T12": 12.8, "D94": 11.5, "MGP": 11.8, "94041": 13.9, "94016": 9.7}
EXPECTED = {
    "94081": roles.ROLE_COLORS["commune"],
    "T12": roles.ROLE_COLORS["territory"],
    "D94": roles.ROLE_COLORS["department"],
    "MGP": roles.ROLE_COLORS["metropolis"],
    "94041": roles.ROLE_COLORS["peer"],
    "94016": roles.ROLE_COLORS["peer"],
}
NAMES = {"T12": GOSB.name, "D94": D94.name, "MGP": MGP.name} | {c: GOSB_COMMUNES[c][0] for c in GOSB_COMMUNES}


def _facts():
    f = facts("unemployment_rate", commune("94081"), VALUES["94081"])
    refs = tuple(
        Reading(place, VALUES[place.code], "ok", len(place.members) or 1) for place in (GOSB, D94, MGP)
    )
    peers = tuple(Reading(commune(c), VALUES[c], "ok") for c in ("94041", "94016"))
    return f.__class__(**{**f.__dict__, "references": refs, "peers": peers})


def _app_colours() -> dict[str, str]:
    """The app's comparison chart of the same places (``figures.charts.compare_bars``)."""
    frame = pd.DataFrame([{"code": c, "name": NAMES[c], "year": 2022, "value": v} for c, v in VALUES.items()])
    m = Measure("unemployment_rate", "Taux de chômage", "percent", 1)
    bar = compare_bars(frame, m, "Taux de chômage", highlight="94081").to_dict()["data"][0]
    return dict(zip(bar["customdata"], bar["marker"]["color"], strict=True))


def _pptx_colours(data: bytes) -> dict[str, str]:
    """Category name → fill of its point, in the first chart of the deck."""
    prs = Presentation(io.BytesIO(data))
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                plot = shape.chart.plots[0]
                return {
                    str(name): "#" + str(point.format.fill.fore_color.rgb)
                    for name, point in zip(plot.categories, plot.series[0].points, strict=True)
                }
    raise AssertionError("no chart in the deck")


def _svg_colours(svg: str) -> dict[str, str]:
    """Bar label → fill of its ``<rect>`` (each bar is a rect followed by its label)."""
    pairs = re.findall(r'<rect [^>]*fill="(#[0-9A-Fa-f]{6})"/><text [^>]*>([^<]+)</text>', svg)
    return {label: fill for fill, label in pairs}


def _by_code(colours_by_label: dict[str, str], spec) -> dict[str, str]:
    return {b.code: colours_by_label[b.label].upper() for b in spec.bars}


def test_a_place_has_its_role_colour_in_the_app_the_pptx_and_the_pdf_svg():
    spec = chart_spec(_facts(), "Source : Insee")
    assert {b.code for b in spec.bars} == set(VALUES)
    app = {c: v.upper() for c, v in _app_colours().items()}
    assert app == EXPECTED
    deck = build_deck(
        Choices("94081", ("unemployment_rate",), None), commune("94081"), [_facts()], "1 mai 2025"
    )
    pptx = _by_code(_pptx_colours(deck_pptx(deck)), spec)
    svg = _by_code(_svg_colours(bars_svg(spec, 600, 300)), spec)
    image = figure(spec).to_dict()["data"][0]["marker"]["color"]  # web slides, PNG/SVG downloads
    assert pptx == svg == app
    assert dict(zip((b.code for b in spec.bars), image, strict=True)) == EXPECTED
    # every bar's colour stands out from white (WCAG 1.4.11: 3:1); the old peer grey did not
    assert all(roles.contrast(c) >= 3 for c in EXPECTED.values())
    assert roles.contrast("#9AA3AE") < 3 and "#9AA3AE" not in pptx.values()


def test_another_commune_keeps_the_colours_of_the_roles():
    """Looking at Ivry, Ivry takes the commune colour and Vitry the peer grey, everywhere."""
    f = _facts()
    ivry = Reading(commune("94041"), VALUES["94041"])
    vitry = Reading(commune("94081"), VALUES["94081"])
    f = f.__class__(**{**f.__dict__, "focus": ivry, "peers": (vitry, f.peers[1])})
    spec = chart_spec(f)
    colours = {b.code: b.fill for b in spec.bars}
    assert colours["94041"] == roles.ROLE_COLORS["commune"] and colours["94081"] == roles.ROLE_COLORS["peer"]
    assert colours["T12"] == roles.color_of("T12", "94041") == roles.ROLE_COLORS["territory"]
