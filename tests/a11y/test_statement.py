"""The accessibility statement (``/accessibilite``): registered as a page, in French and English,
with the RGAA model's parts, and linked from the footer of every page."""

from __future__ import annotations

import json

import pytest


def _text(component) -> str:
    return json.dumps(component.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fr",
            [
                "Déclaration d'accessibilité",
                "partiellement conforme",
                "RGAA",
                "Pages auditées",
                "axe-core",
                "Chromium",
                "Non-conformités",
                "Dérogations pour charge disproportionnée",
                "contactez l'EPT Grand-Orly Seine Bièvre",
                "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07",
                "2 décembre 2026",
            ],
        ),
        (
            "en",
            [
                "Accessibility statement",
                "partially compliant",
                "Pages audited",
                "Remedies",
                "2 December 2026",
            ],
        ),
    ],
)
def test_statement_page(dash_app, lang, expected):
    from callbacks import registry
    from callbacks.router import render

    assert registry.match("/accessibilite")[0].key == "accessibilite"
    result = render("/accessibilite", "?lang=en" if lang == "en" else "")
    text = _text(result.layout)
    for part in expected:
        assert part in text, part
    assert "https://www.grandorlyseinebievre.fr/" in text
    assert "https://www.defenseurdesdroits.fr/" in text
    assert "@" not in text  # no invented e-mail address
    assert result.title == ("Accessibility statement" if lang == "en" else "Déclaration d'accessibilité")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_footer_links_the_statement(lang):
    from layouts.shell import footer

    text = _text(footer(lang))
    assert ("/accessibilite?lang=en" if lang == "en" else '"/accessibilite"') in text
    label = "Accessibility: partially compliant" if lang == "en" else "Accessibilité : partiellement conforme"
    assert label in text
