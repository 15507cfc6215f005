"""The accessibility statement (``/accessibilite``), after the RGAA 4.1 model statement: conformity
state, test results, non-accessible content, how the statement was established, contact, recourse.

Its texts (French, English) are declared here and merged into ``layouts.i18n.TEXT`` under ``a11y.*``
(one long page would swamp the shared file); the figures come from ``AUDIT``, measured with
``python -m tests.a11y.audit`` and asserted by ``tests/a11y`` (zero critical or serious violation).
"""

from __future__ import annotations

from typing import Any

from dash import html

from layouts import i18n
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

TEXT: dict[str, tuple[str, str]] = {
    "a11y.title": ("Déclaration d'accessibilité", "Accessibility statement"),
    "a11y.intro": (
        "L'Établissement public territorial Grand-Orly Seine Bièvre s'engage à rendre ses sites "
        "internet accessibles conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005. "
        "Cette déclaration d'accessibilité s'applique à l'Observatoire territorial du Grand-Orly "
        "Seine Bièvre (vue publique et espace de travail des agents).",
        "The Établissement public territorial Grand-Orly Seine Bièvre is committed to making its "
        "websites accessible in accordance with article 47 of French law no. 2005-102 of "
        "11 February 2005. This accessibility statement applies to the Grand-Orly Seine Bièvre "
        "territorial observatory (public view and officers' workspace).",
    ),
    "a11y.state_h": ("État de conformité", "Compliance status"),
    "a11y.state": (
        "L'Observatoire du Grand-Orly Seine Bièvre est partiellement conforme avec le référentiel "
        "général d'amélioration de l'accessibilité (RGAA), version 4.1, en raison des "
        "non-conformités énumérées ci-dessous.",
        "The Grand-Orly Seine Bièvre Observatory is partially compliant with the French accessibility "
        "framework RGAA (référentiel général d'amélioration de l'accessibilité), version 4.1, because "
        "of the non-compliances listed below.",
    ),
    "a11y.results_h": ("Résultats des tests", "Test results"),
    "a11y.results_rate": (
        "Aucun audit complet des 106 critères du RGAA n'a encore été réalisé : le taux de critères "
        "RGAA respectés n'est donc pas mesuré, et la conformité ne peut pas être déclarée totale. "
        "Ce qui a été mesuré : des contrôles automatiques (axe-core, règles WCAG 2.1 niveaux A et AA) "
        "et un parcours au clavier.",
        "No full audit of the 106 RGAA criteria has been carried out yet: the share of RGAA criteria "
        "met is therefore not measured, and full compliance cannot be claimed. What was measured: "
        "automated checks (axe-core, WCAG 2.1 level A and AA rules) and a keyboard walk-through.",
    ),
    "a11y.results_axe": (
        "Contrôles automatiques du {date} : {views} vues (les pages ci-dessous, en français et en anglais, "
        "à 1 366 px et 390 px de large) ; {after} violation critique ou grave. Avant les corrections, "
        "{before} éléments en violation critique ou grave sur les pages publiques.",
        "Automated checks of {date}: {views} views (the pages below, in French and English, 1,366 px and "
        "390 px wide); {after} critical or serious violation. Before the fixes, {before} elements in "
        "critical or serious violation on the public pages.",
    ),
    "a11y.results_rules": (
        "Vérifications axe-core (règle × vue) respectées : {rate} ; {review} vérifications qu'axe-core "
        "ne sait pas trancher seul (« à revoir ») restent à examiner à la main.",
        "axe-core checks (rule × view) passed: {rate}; {review} checks that axe-core cannot decide alone "
        "(“needs review”) remain to be examined by hand.",
    ),
    "a11y.results_more": (
        "Les mêmes contrôles vérifient qu'il n'y a pas de défilement horizontal à 320 px de large, un "
        "seul titre de niveau 1 par page, des titres de page qui nomment la page et le lieu ; le "
        "parcours accueil → recherche → profil → carte → comparaison → diaporama → téléchargements "
        "se fait au clavier seul, avec un indicateur de focus visible et sans piège. Ces contrôles "
        "font partie des tests du logiciel et échouent à toute nouvelle violation critique ou grave.",
        "The same checks verify that there is no horizontal scrolling at 320 px wide, one level-1 "
        "heading per page and page titles naming the page and the place; the path home → search → "
        "profile → map → comparison → deck → downloads is done with the keyboard alone, with a "
        "visible focus indicator and no keyboard trap. These checks are part of the software's tests "
        "and fail on any new critical or serious violation.",
    ),
    "a11y.pages_h": ("Pages auditées", "Pages audited"),
    "a11y.content_h": ("Contenus non accessibles", "Non-accessible content"),
    "a11y.noncompliant_h": ("Non-conformités", "Non-compliance"),
    "a11y.nc_charts": (
        "Graphiques : ce sont des images vectorielles ; leurs valeurs sont données dans le tableau "
        "« Voir les données (tableau) » sous chaque graphique et dans les téléchargements CSV et "
        "Excel. Le contraste des couleurs à l'intérieur des graphiques et des cartes n'est pas "
        "contrôlé par les outils automatiques.",
        "Charts: they are vector images; their values are given in the « Show the data (table) » "
        "table under each chart and in the CSV and Excel downloads. Colour contrast inside charts "
        "and maps is not checked by the automated tools.",
    ),
    "a11y.nc_table": (
        "Tableau d'un indicateur (composant DataTable de Dash) : le tri par colonne se commande à la "
        "souris ; les mêmes données sont téléchargeables en CSV et Excel.",
        "Table of an indicator (Dash DataTable component): sorting by column is done with the mouse; "
        "the same data can be downloaded as CSV and Excel.",
    ),
    "a11y.nc_audit": (
        "Les critères du RGAA qui demandent un jugement humain (pertinence des alternatives, ordre "
        "de lecture, restitution par les lecteurs d'écran) n'ont pas été évalués.",
        "The RGAA criteria that need human judgement (relevance of text alternatives, reading order, "
        "screen reader output) have not been assessed.",
    ),
    "a11y.nc_docs": (
        "Documents téléchargeables (fiche PDF, diaporama PDF et PowerPoint) : ils ne sont pas couverts "
        "par les contrôles décrits ici.",
        "Downloadable documents (PDF profile, PDF and PowerPoint decks): not covered by the checks "
        "described here.",
    ),
    "a11y.derogations_h": ("Dérogations pour charge disproportionnée", "Disproportionate burden"),
    "a11y.derogations": ("Aucune.", "None."),
    "a11y.exempt_h": ("Contenus non soumis à l'obligation d'accessibilité", "Content not within scope"),
    "a11y.exempt": (
        "Cartes : les cartes en ligne sont exemptées si l'information essentielle est fournie sous une "
        "forme accessible ; ici, le tableau des communes et de leurs valeurs accompagne chaque carte. "
        "Fichiers des producteurs (Insee, SDES, France Travail…) liés depuis la page Sources : "
        "contenus de tiers.",
        "Maps: online maps are exempt when the essential information is provided in an accessible "
        "form; here, the table of communes and their values comes with every map. Producers' files "
        "(Insee, SDES, France Travail…) linked from the Sources page: third-party content.",
    ),
    "a11y.made_h": ("Établissement de cette déclaration", "Preparation of this statement"),
    "a11y.made": ("Cette déclaration a été établie le {date}.", "This statement was prepared on {date}."),
    "a11y.tech": (
        "Technologies utilisées : HTML5, CSS, JavaScript (Dash, React, Plotly), WAI-ARIA, SVG.",
        "Technologies used: HTML5, CSS, JavaScript (Dash, React, Plotly), WAI-ARIA, SVG.",
    ),
    "a11y.tools": (
        "Outils et environnement de test : axe-core {axe} (règles wcag2a, wcag2aa, wcag21a, wcag21aa) "
        "via axe-playwright-python et Playwright ; navigateur Chromium {chromium} (Debian), largeurs "
        "1 366, 390 et 320 pixels ; parcours au clavier (Tab, Entrée, flèches) rejoué dans Chromium "
        "par un test automatisé, avec contrôle du style de focus.",
        "Tools and test environment: axe-core {axe} (rules wcag2a, wcag2aa, wcag21a, wcag21aa) via "
        "axe-playwright-python and Playwright; Chromium {chromium} browser (Debian), 1,366, 390 and "
        "320 pixels wide; keyboard walk-through (Tab, Enter, arrows) replayed in Chromium by an "
        "automated test, with a check of the focus style.",
    ),
    "a11y.contact_h": ("Retour d'information et contact", "Feedback and contact"),
    "a11y.contact": (
        "Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez l'EPT Grand-Orly "
        "Seine Bièvre pour être orienté vers une alternative accessible ou obtenir le contenu sous "
        "une autre forme : ",
        "If you cannot access a piece of content or a service, contact the EPT Grand-Orly Seine "
        "Bièvre to be directed to an accessible alternative or to obtain the content in another "
        "form: ",
    ),
    "a11y.recourse_h": ("Voies de recours", "Remedies"),
    "a11y.recourse": (
        "Si vous avez signalé au responsable du site un défaut d'accessibilité qui vous empêche "
        "d'accéder à un contenu ou à un service et que vous n'avez pas obtenu de réponse "
        "satisfaisante, vous pouvez saisir le Défenseur des droits :",
        "If you reported to the site's manager an accessibility defect that prevents you from "
        "accessing content or a service and did not obtain a satisfactory answer, you may refer the "
        "matter to the Défenseur des droits (French rights ombudsman):",
    ),
    "a11y.recourse_form": ("Écrire un message au Défenseur des droits", "Write to the Défenseur des droits"),
    "a11y.recourse_delegate": (
        "Contacter le délégué du Défenseur des droits dans votre région",
        "Contact the Défenseur des droits' delegate in your region",
    ),
    "a11y.recourse_mail": (
        "Envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : ",
        "Send a letter by post (free of charge, no stamp needed): ",
    ),
    "a11y.recourse_site": ("Site du Défenseur des droits : ", "Défenseur des droits' website: "),
}
i18n.TEXT.update(TEXT)


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
