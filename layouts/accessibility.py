"""The accessibility statement (``/accessibilite``), after the RGAA 4.1 model statement: conformity
state, test results, non-accessible content, how the statement was established, contact, recourse.

Its texts (French, English) are ``a11y.*`` in ``config/texts/accessibility.yaml``
(one long page would swamp the shared file); the figures come from ``AUDIT``, measured with
``python -m tests.a11y.audit`` and asserted by ``tests/a11y`` (zero critical or serious violation).
"""

from __future__ import annotations

from typing import Any

from dash import html

from layouts.components import page_header
from layouts.i18n import t

PAGE = "accessibilite"
EPT_URL = "https://www.grandorlyseinebievre.fr/"
DDD_URL = "https://www.defenseurdesdroits.fr/"
DDD_FORM = "https://formulaire.defenseurdesdroits.fr/"
DDD_DELEGATES = "https://www.defenseurdesdroits.fr/saisir/delegues"
DDD_ADDRESS = "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07"

#: Figures of the automated audit on which the statement rests (tests/a11y/audit.py, 2 Dec 2026).
AUDIT: dict[str, Any] = {
    "date": ("2 décembre 2026", "2 December 2026"),
    "axe": "4.12.1",
    "chromium": "156",
    "views": 50,  # 11 public page types × FR/EN × 1366/390 px, + login (2) and logged-in workspace (4)
    "before": 490,  # critical and serious elements before the fixes (40 public views)
    "after": 0,
    "rules_rate": 100,  # % of the applicable axe checks passed (rule × view), audit summary line
    "review": 25,  # axe checks left undecided ("incomplete"), public views
}

#: The pages audited (path, French label, English label).
PAGES_AUDITED: list[tuple[str, str, str]] = [
    ("/", "Accueil : le territoire en chiffres", "Home: the territory in figures"),
    ("/commune/94081", "Profil communal (Vitry-sur-Seine)", "Commune profile (Vitry-sur-Seine)"),
    ("/carte", "Carte des indicateurs", "Indicator map"),
    ("/comparer?territoires=94081,HOME,MGP", "Comparer des territoires", "Compare areas"),
    ("/indicateurs", "Catalogue des indicateurs", "Indicator catalogue"),
    ("/indicateurs/unemployment_rate", "Fiche d'un indicateur", "One indicator"),
    ("/sources", "Sources et provenance", "Sources and provenance"),
    ("/presentation", "Mode présentation (choix)", "Presentation mode (chooser)"),
    ("/presentation?territoire=94081&theme=emploi&slide=2", "Diaporama, une diapositive", "Deck, one slide"),
    ("/accessibilite", "Déclaration d'accessibilité", "Accessibility statement"),
    (
        "/explication?indicateur=unemployment_rate&territoire=94081",
        "D'où vient ce chiffre ? (explication d'une valeur)",
        "Where does this figure come from? (explanation of a value)",
    ),
    ("/auth/login", "Connexion à l'espace de travail des agents", "Officers' workspace login"),
    ("/espace", "Espace de travail des agents (connecté)", "Officers' workspace (logged in)"),
]


def _section(heading: str, *children: Any) -> html.Section:
    return html.Section([html.H2(heading, className="h4 mt-4"), *children])


def layout(lang: str) -> html.Div:
    """The statement in ``lang``; ``q`` keeps the language on the links to the audited pages."""
    en = lang == "en"
    date = AUDIT["date"][1 if en else 0]
    q = "lang=en" if en else ""
    pages = [
        # the workspace is not served in the public mode: named, not linked
        html.Li(label_en if en else label_fr)
        if path.startswith(("/auth", "/espace"))
        else html.Li(
            html.A(label_en if en else label_fr, href=path + (("&" if "?" in path else "?") + q if q else ""))
        )
        for path, label_fr, label_en in PAGES_AUDITED
    ]
    results: list[Any] = [
        html.P(t("a11y.results_rate", lang)),
        html.P(
            t(
                "a11y.results_axe",
                lang,
                date=date,
                views=AUDIT["views"],
                before=AUDIT["before"],
                after=AUDIT["after"],
            )
        ),
    ]
    if AUDIT["rules_rate"]:
        rate = f"{AUDIT['rules_rate']}%" if en else f"{AUDIT['rules_rate']}\u00a0%"
        results.append(html.P(t("a11y.results_rules", lang, rate=rate, review=AUDIT["review"])))
    results.append(html.P(t("a11y.results_more", lang)))
    return html.Div(
        [
            page_header(t("a11y.title", lang), t("a11y.intro", lang)),
            _section(t("a11y.state_h", lang), html.P(html.Strong(t("a11y.state", lang)))),
            _section(t("a11y.results_h", lang), *results),
            _section(t("a11y.pages_h", lang), html.Ul(pages)),
            _section(
                t("a11y.content_h", lang),
                html.H3(t("a11y.noncompliant_h", lang), className="h5 mt-3"),
                html.Ul(
                    [
                        html.Li(t(k, lang))
                        for k in ("a11y.nc_charts", "a11y.nc_table", "a11y.nc_audit", "a11y.nc_docs")
                    ]
                ),
                html.H3(t("a11y.derogations_h", lang), className="h5 mt-3"),
                html.P(t("a11y.derogations", lang)),
                html.H3(t("a11y.exempt_h", lang), className="h5 mt-3"),
                html.P(t("a11y.exempt", lang)),
            ),
            _section(
                t("a11y.made_h", lang),
                html.P(t("a11y.made", lang, date=date)),
                html.P(t("a11y.tech", lang)),
                html.P(t("a11y.tools", lang, axe=AUDIT["axe"], chromium=AUDIT["chromium"])),
            ),
            _section(
                t("a11y.contact_h", lang),
                html.P([t("a11y.contact", lang), html.A("grandorlyseinebievre.fr", href=EPT_URL, lang="fr")]),
            ),
            _section(
                t("a11y.recourse_h", lang),
                html.P(t("a11y.recourse", lang)),
                html.Ul(
                    [
                        html.Li(html.A(t("a11y.recourse_form", lang), href=DDD_FORM)),
                        html.Li(html.A(t("a11y.recourse_delegate", lang), href=DDD_DELEGATES)),
                        html.Li([t("a11y.recourse_mail", lang), html.Span(DDD_ADDRESS, lang="fr")]),
                        html.Li([t("a11y.recourse_site", lang), html.A(DDD_URL, href=DDD_URL, lang="fr")]),
                    ]
                ),
            ),
        ],
        className="statement",
    )
