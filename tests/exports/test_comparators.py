"""Issue #14 in the fiche and the deck: comparators go through ``fmt_comparator`` (their year when
it differs from the row's, « valeur publiée » for a value published for the area, the reason in
words when there is no value), never a bare « n.d. » or « non agrégeable »."""

from __future__ import annotations

from exports import data
from exports.charts import chart_spec
from exports.deck_choices import parse_choices
from exports.deck_html import deck_html
from exports.fiche_content import _cell
from exports.fiche_html import fiche_html
from exports.messages import key_message
from exports.model import Facts, Reading
from exports.profile import profile
from indicators.catalogue import get_indicator
from indicators.formatting import NBSP
from tests.exports.helpers import GOSB, MGP, commune

VITRY = commune("94081")


def _median(gosb: Reading, mgp: Reading, year: int = 2019) -> Facts:
    focus = Reading(VITRY, 18880.0, "ok", method="commune", year=year)
    return Facts(get_indicator("median_income"), year, focus, references=(gosb, mgp))


def test_fiche_cells_say_published_value_year_and_reason():
    gosb = Reading(GOSB, None, "not_aggregable", 24, 24, method="none", year=2019)
    mgp = Reading(MGP, 23790.0, "ok", 130, 129, method="official", year=2019)
    f = _median(gosb, mgp)
    assert _cell(f, f.focus) == f"18{NBSP}880{NBSP}€"
    assert _cell(f, mgp) == f"23{NBSP}790{NBSP}€ (valeur publiée)"
    assert _cell(f, gosb) == "non calculable"
    older = Reading(MGP, 23500.0, "ok", 130, 129, method="official", year=2018)
    assert _cell(f, older) == f"23{NBSP}500{NBSP}€ (2018, valeur publiée)"
    secret = Reading(GOSB, None, "secret")
    assert _cell(f, secret) == "secret statistique"
    rate = Facts(
        get_indicator("unemployment_rate"),
        2022,
        Reading(VITRY, 14.6, year=2022),
        references=(Reading(MGP, 11.0, "ok", 130, 130, "sum", 2018),),
    )
    assert _cell(rate, rate.references[0]) == f"11,0{NBSP}% (2018)"


def test_key_message_names_published_values_and_says_why_a_reference_is_missing():
    gosb = Reading(GOSB, None, "not_aggregable", 24, 24, method="none", year=2019)
    mgp = Reading(MGP, 23790.0, "ok", 130, 129, method="official", year=2019)
    text = key_message(_median(gosb, mgp))
    assert f"23{NBSP}790{NBSP}€ dans la Métropole du Grand Paris (valeur publiée)" in text
    assert text.endswith(
        " Pas de valeur pour le territoire Grand-Orly Seine Bièvre : publiée commune par commune, cette "
        "donnée ne se recalcule pas pour un ensemble de communes."
    )
    assert "n.d." not in text and "non agrégeable" not in text


def test_chart_lists_missing_places_with_their_reason():
    gosb = Reading(GOSB, None, "not_aggregable", 24, 24, method="none", year=2019)
    mgp = Reading(MGP, 23790.0, "ok", 130, 129, method="official", year=2019)
    f = _median(gosb, mgp)
    spec = chart_spec(
        Facts(
            f.indicator,
            f.year,
            f.focus,
            references=f.references,
            peers=(Reading(commune("94001"), None, "secret"),),
        )
    )
    assert spec.missing_text == (
        "Non disponible — non calculable : Grand-Orly Seine Bièvre ; secret statistique : Ablon-sur-Seine"
    )
    assert spec.missing_text in spec.alt


def test_real_fiche_and_deck_use_the_comparator_wording(store_engine):
    """Vitry's fiche: MGP's published median says so, GOSB's missing median says why (in the
    cell briefly, in the caption in full); the deck's income slides likewise."""
    page = fiche_html(profile(store_engine, "94081"))
    assert "valeur publiée" in page
    assert "non calculable" in page and "médiane ou taux non additionnable entre communes" in page
    assert ">n.d.<" not in page and "non agrégeable" not in page
    deck = data.deck(store_engine, parse_choices({"territoire": "94081", "indicateurs": "median_income"}))
    slide = deck.slides[1]  # 2021: no published MGP median (2015-2019 only), said in words
    # one sentence for both references, the reason said once (review R1.5)
    assert (
        "Pas de valeur pour le territoire Grand-Orly Seine Bièvre ni pour la Métropole du Grand Paris : "
        in (slide.message)
    )
    assert slide.message.count("Pas de valeur") == 1
    facts = data.gather(store_engine, data.place(store_engine, "94081"), "median_income", year=2019)
    assert "dans la Métropole du Grand Paris (valeur publiée)" in key_message(facts)
    assert "n.d." not in deck_html(deck) and "non agrégeable" not in deck_html(deck)
