"""Deck model, charts and files built from hand-made facts (no store, no browser)."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation

from exports.chart_figure import figure
from exports.charts import chart_spec
from exports.deck import build_deck
from exports.deck_choices import ChoiceError, Choices, parse_choices, theme_indicators
from exports.model import Credit, Place, Reading
from exports.pdf import deck_pdf
from exports.pptx import deck_pptx
from figures import roles
from tests.exports.helpers import GOSB, GOSB_COMMUNES, MGP, commune, facts, pdf_pages, pdf_text

INSEE = Credit(
    "insee_comparateur_rp2022",
    "Insee",
    "Comparateur de territoire",
    "RP 2022",
    "Licence Ouverte / Etalab 2.0",
    "Source : Insee, RP 2016 et 2022, comparateur de territoires",
    "https://www.insee.fr/fr/statistiques/2521169",
)


def _facts(indicator: str, value: float, gosb: float, mgp: float):
    f = facts(indicator, commune("94081"), value, gosb, mgp, credits=(INSEE,))
    peers = tuple(Reading(commune(c), 10.0 + i, "ok") for i, c in enumerate(GOSB_COMMUNES) if c != "94081")
    return f.__class__(**{**f.__dict__, "peers": peers + (Reading(commune("94001"), None, "secret"),)})


def test_parse_choices_and_query_round_trip():
    c = parse_choices({"territoire": "gosb", "theme": "emploi", "slide": "3"})
    assert c.territory == "T12" and c.slide == 3 and c.indicators == theme_indicators("emploi")
    assert c.query() == "territoire=T12&theme=emploi"
    assert parse_choices({"territoire": "T12", "theme": "emploi"}) == c.__class__(
        c.territory, c.indicators, "emploi"
    )
    listed = parse_choices({"territoire": "group:94054 94065", "indicateurs": "jobs,unemployment_rate,jobs"})
    assert listed.territory == "group:94054+94065" and listed.indicators == ("jobs", "unemployment_rate")
    assert listed.query(slide=2) == "territoire=group:94054+94065&indicateurs=jobs,unemployment_rate&slide=2"
    assert parse_choices(dict(p.split("=") for p in listed.query().split("&"))) == listed


@pytest.mark.parametrize(
    ("args", "unknown"),
    [
        ({}, False),
        ({"territoire": "94081"}, False),
        ({"territoire": "abc", "theme": "emploi"}, False),
        ({"territoire": "94081", "indicateurs": "nope"}, True),
        ({"territoire": "94081", "theme": "astrologie"}, True),
        ({"territoire": "94081", "theme": "emploi", "slide": "x"}, False),
    ],
)
def test_bad_choices(args, unknown):
    with pytest.raises(ChoiceError) as err:
        parse_choices(args)
    assert err.value.unknown is unknown


def test_chart_spec_order_roles_and_missing():
    spec = chart_spec(_facts("unemployment_rate", 14.6, 12.8, 11.8), "Source : Insee")
    values = [b.value for b in spec.bars]
    assert values == sorted(values, reverse=True)
    roles = {b.label: b.role for b in spec.bars}
    assert roles["Vitry-sur-Seine"] == "focus"
    assert roles["Grand-Orly Seine Bièvre"] == roles["Métropole du Grand Paris"] == "reference"
    assert spec.missing == ("Ablon-sur-Seine",)
    assert spec.caption == "En %, 2022" and "14,6\u00a0%" in spec.alt
    # Counts: no reference bars (the MGP total would flatten the communes' bars).
    counts = chart_spec(_facts("jobs", 27441, 285552, 4123539))
    assert {b.role for b in counts.bars} == {"focus", "peer"}


def test_figure_keeps_colours_and_french_separators():
    spec = chart_spec(_facts("unemployment_rate", 14.6, 12.8, 11.8), "Source : Insee\nLicence : LO 2.0")
    fig = figure(spec, width=1920, height=1080, standalone=True).to_dict()
    colours = dict(zip((b.code for b in spec.bars), fig["data"][0]["marker"]["color"], strict=True))
    assert colours["94081"] == roles.ROLE_COLORS["commune"]  # one colour per role (figures.roles)
    assert (
        colours["T12"] == roles.ROLE_COLORS["territory"] and colours["MGP"] == roles.ROLE_COLORS["metropolis"]
    )
    assert {colours[c] for c in colours if c not in ("94081", "T12", "MGP")} == {roles.ROLE_COLORS["peer"]}
    assert fig["layout"]["separators"] == ", "
    notes = " ".join(a["text"] for a in fig["layout"]["annotations"])
    assert (
        "Source : Insee" in notes
        and "Licence" in notes
        and "Non disponible — secret statistique : Ablon-sur-Seine" in notes
    )


def _deck():
    choices = Choices("94081", ("unemployment_rate", "jobs", "activity_rate"), None)
    items = [
        _facts("unemployment_rate", 14.6, 12.8, 11.8),
        _facts("jobs", 27441, 285552, 4123539),
        _facts("activity_rate", 72.0, 74.3, 76.8),
    ]
    return build_deck(choices, commune("94081"), items, "27 novembre 2025")


def test_deck_slides():
    deck = _deck()
    assert [s.kind for s in deck.slides] == ["title", "indicator", "indicator", "indicator", "sources"]
    assert [s.number for s in deck.slides] == [1, 2, 3, 4, 5]
    second = deck.slides[1]
    assert second.message.startswith("À Vitry-sur-Seine, le taux de chômage")
    assert "Définition : Chômeurs de 15 à 64 ans" in second.notes and "Insee — Comparateur" in second.notes
    # issue #9.10: one line naming the dataset the indicator reads (not the file's whole credit)
    assert second.footer == (
        "Source : Insee, recensement de la population 2022 (comparateur de territoires)"
        " · Licence Ouverte / Etalab 2.0"
    )
    # plain sources on the slide (producer, datasets, files, licence); the full description in the notes
    assert deck.slides[-1].items == (
        "Insee, recensement de la population 2022 (comparateur de territoires) — Licence Ouverte / Etalab 2.0",
    )
    assert "https://www.insee.fr/fr/statistiques/2521169" in deck.slides[-1].notes
    assert deck.slide(99) is deck.slides[-1] and deck.slide(0) is deck.slides[0]


def test_pptx_opens_with_one_slide_per_indicator_plus_title_and_sources():
    prs = Presentation(io.BytesIO(deck_pptx(_deck())))
    assert len(prs.slides) == 5
    texts = ["\n".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in prs.slides]
    assert "Vitry-sur-Seine" in texts[0] and "Au programme" in texts[0]
    assert "Sources et méthodes" in texts[-1] and "Licence Ouverte" in texts[-1]
    for slide, text in zip(list(prs.slides)[1:4], texts[1:4], strict=True):
        charts = [sh for sh in slide.shapes if sh.has_chart]
        assert len(charts) == 1, "an editable native chart on every indicator slide"
        assert "Source : Insee" in text
        notes = slide.notes_slide.notes_text_frame.text
        assert "Définition :" in notes and "Sources :" in notes
    chart = next(sh for sh in list(prs.slides)[1].shapes if sh.has_chart).chart
    assert chart.plots[0].categories[0] == "Vitry-sur-Seine" or "Vitry-sur-Seine" in chart.plots[0].categories


def test_deck_pdf_pages_and_text():
    data = deck_pdf(_deck())
    assert data.startswith(b"%PDF") and pdf_pages(data) == 5
    text = pdf_text(data)
    assert "Vitry-sur-Seine" in text and "Source : Insee" in text and "Licence Ouverte" in text


def test_group_and_territory_places_in_messages():
    group = Place("group:94054+94065", "Orly + Rungis", "group", ("94054", "94065"), ("Orly", "Rungis"))
    deck = build_deck(
        Choices(group.code, ("unemployment_rate",)),
        group,
        [facts("unemployment_rate", group, 13.3, 12.8, 11.8)],
    )
    assert deck.slides[1].message.startswith("Dans les 2 communes sélectionnées (Orly et Rungis), ")
    gosb = build_deck(
        Choices("T12", ("unemployment_rate",)), GOSB, [facts("unemployment_rate", GOSB, 12.8, None, 11.8)]
    )
    assert gosb.slides[1].message.startswith("Dans le territoire Grand-Orly Seine Bièvre, le taux")
    assert MGP.name in gosb.slides[1].message
