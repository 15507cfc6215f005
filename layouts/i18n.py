"""User-facing strings of the app in French and English (indicator labels come from the catalogue).

``t("nav.map", "en")`` returns the English text; ``t("kpi.since", "fr", year=2016)`` fills
``{year}``. An unknown key raises ``KeyError`` (tests check that every key has both languages).
"""

from __future__ import annotations

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"

TEXT: dict[str, tuple[str, str]] = {
    # shell
    "app.title": ("Observatoire du Grand-Orly Seine Bièvre", "Grand-Orly Seine Bièvre Observatory"),
    "app.short": ("Observatoire GOSB", "GOSB Observatory"),
    "app.tagline": (
        "Statistiques publiques des 24 communes du territoire, comparées à la Métropole du Grand Paris",
        "Official statistics for the territory's 24 communes, compared with the Greater Paris metropolis",
    ),
    "skip": ("Aller au contenu", "Skip to content"),
    "lang.switch": ("English", "Français"),
    "lang.switch_label": ("Read this page in English", "Lire cette page en français"),
    "nav.label": ("Navigation principale", "Main navigation"),
    "nav.overview": ("Territoire", "Territory"),
    "nav.map": ("Carte", "Map"),
    "nav.compare": ("Comparer", "Compare"),
    "nav.indicators": ("Indicateurs", "Indicators"),
    "nav.sources": ("Sources", "Sources"),
    "search.placeholder": ("Rechercher une commune…", "Find a commune…"),
    "search.label": ("Rechercher une commune", "Find a commune"),
    "search.none": ("Aucune commune trouvée", "No commune found"),
    "footer.text": (
        "Données publiques (Insee, SDES, France Travail, DGFiP…) sous Licence Ouverte ; "
        "code libre. Chiffres arrondis, méthodes détaillées page Indicateurs.",
        "Public data (Insee, SDES, France Travail, DGFiP…) under the Licence Ouverte; open-source code. "
        "Rounded figures; methods on the Indicators page.",
    ),
    # generic controls
    "ctl.indicator": ("Indicateur", "Indicator"),
    "ctl.year": ("Millésime", "Vintage"),
    "ctl.scope": ("Périmètre", "Area"),
    "ctl.classes": ("Classes", "Classes"),
    "ctl.territories": ("Territoires comparés (2 à 6)", "Areas compared (2 to 6)"),
    "scope.gosb": ("Grand-Orly Seine Bièvre (24 communes)", "Grand-Orly Seine Bièvre (24 communes)"),
    "scope.mgp": ("Métropole du Grand Paris (130 communes)", "Greater Paris metropolis (130 communes)"),
    "classes.quantiles": ("Quantiles (effectifs égaux)", "Quantiles (equal counts)"),
    "classes.jenks": ("Seuils naturels (Jenks)", "Natural breaks (Jenks)"),
    "classes.diverging": ("écart à la valeur de la Métropole", "gap to the metropolis value"),
    # cards
    "card.download_csv": ("Données CSV", "CSV data"),
    "card.download_xlsx": ("Données Excel", "Excel data"),
    "card.download_label": ("Télécharger les données : {title}", "Download the data: {title}"),
    "card.embed": ("Intégrer", "Embed"),
    "card.embed_help": (
        "Copiez ce code dans votre site pour y afficher ce graphique :",
        "Copy this code into your website to show this chart:",
    ),
    "card.table": ("Voir les données (tableau)", "Show the data (table)"),
    "card.png": (
        "Image PNG : bouton appareil photo de la barre d'outils du graphique.",
        "PNG image: camera button of the chart toolbar.",
    ),
    "card.open": ("Voir sur l'Observatoire du GOSB", "Open in the GOSB Observatory"),
    "card.loading": ("Chargement…", "Loading…"),
    "card.nodata": ("Pas de donnée pour cette sélection.", "No data for this selection."),
    # column headers
    "col.territory": ("Territoire", "Area"),
    "col.code": ("Code", "Code"),
    "col.level": ("Niveau", "Level"),
    "col.value": ("Valeur", "Value"),
    "col.year": ("Millésime", "Vintage"),
    "col.rank": ("Rang", "Rank"),
    "col.change": ("Évolution", "Change"),
    "col.status": ("Statut", "Status"),
    "col.indicator": ("Indicateur", "Indicator"),
    "col.unit": ("Unité", "Unit"),
    "col.source": ("Source", "Source"),
    "col.licence": ("Licence", "Licence"),
    # levels
    "level.commune": ("Commune", "Commune"),
    "level.arrondissement": ("Arrondissement", "Arrondissement"),
    "level.ept": ("Territoire (EPT)", "Territory (EPT)"),
    "level.mgp": ("Métropole", "Metropolis"),
    "level.departement": ("Département", "Department"),
    "level.france": ("France", "France"),
    "level.group": ("Groupe de communes", "Group of communes"),
    # overview
    "ov.title": ("Le Grand-Orly Seine Bièvre en chiffres", "Grand-Orly Seine Bièvre in figures"),
    "ov.intro": (
        "24 communes au sud de Paris, 12e territoire de la Métropole du Grand Paris. "
        "Chiffres clés comparés à la Métropole, au Val-de-Marne et à l'Essonne.",
        "24 communes south of Paris, the 12th territory of the Greater Paris metropolis. "
        "Key figures compared with the metropolis, Val-de-Marne and Essonne.",
    ),
    "ov.kpis": ("Chiffres clés", "Key figures"),
    "ov.map": (
        "Les 24 communes du Grand-Orly Seine Bièvre, {year}",
        "The 24 communes of Grand-Orly Seine Bièvre, {year}",
    ),
    "ov.rank": ("Les 12 territoires de la Métropole, {year}", "The 12 territories of the metropolis, {year}"),
    "kpi.trend_up": ("en hausse depuis {year}", "up since {year}"),
    "kpi.trend_down": ("en baisse depuis {year}", "down since {year}"),
    "kpi.trend_flat": ("stable depuis {year}", "stable since {year}"),
    # commune
    "co.title": ("{name}", "{name}"),
    "co.subtitle": ("Commune · {dep} · territoire {ept}", "Commune · {dep} · territory {ept}"),
    "co.subtitle_noept": (
        "Commune · {dep} · hors Métropole du Grand Paris",
        "Commune · {dep} · outside the metropolis",
    ),
    "co.link_compare": ("Comparer avec le GOSB et la Métropole", "Compare with GOSB and the metropolis"),
    "co.link_map": ("Voir sur la carte", "See on the map"),
    "co.rank_note": (
        "Rang parmi les communes de la Métropole (1 = valeur la plus élevée).",
        "Rank among the metropolis communes (1 = highest value).",
    ),
    "co.col_commune": ("Commune", "Commune"),
    "co.summary": ("En bref", "At a glance"),
    "co.locator": ("Situation de {name}", "Location of {name}"),
    "co.detail": ("Indicateur détaillé", "Indicator in detail"),
    "co.bars": (
        "{name}, le GOSB, son département et la Métropole, {year}",
        "{name}, GOSB, its department and the metropolis, {year}",
    ),
    "co.series": (
        "Évolution : {name} et ses territoires de référence",
        "Change over time: {name} and its reference areas",
    ),
    "co.strip": (
        "{name} parmi les communes de la Métropole, {year}",
        "{name} among the metropolis communes, {year}",
    ),
    "co.profile": ("Profil thème par thème", "Profile theme by theme"),
    "co.rank": ("{rank}e / {n}", "{rank} of {n}"),
    "co.rank_first": ("1er / {n}", "1st of {n}"),
    "co.change_since": ("depuis {year}", "since {year}"),
    "co.pick": ("Choisir cet indicateur", "Select this indicator"),
    "co.outside_mgp": (
        "Cette commune n'est pas dans la Métropole du Grand Paris.",
        "This commune is outside the metropolis.",
    ),
    # map explorer
    "map.title": ("Carte des indicateurs", "Indicator map"),
    "map.card": ("{scope}, {year}", "{scope}, {year}"),
    "map.click": (
        "Cliquez sur une commune pour ouvrir son profil.",
        "Click a commune to open its profile.",
    ),
    "map.outlines": (
        "Traits épais : limites des territoires (EPT).",
        "Thick lines: territory (EPT) boundaries.",
    ),
    "map.legend_mgp": ("Valeur de la Métropole : {value}", "Metropolis value: {value}"),
    "map.nodata": ("Pas de donnée", "No data"),
    # comparison
    "cmp.title": ("Comparer des territoires", "Compare areas"),
    "cmp.intro": (
        "Choisissez de 2 à 6 communes, territoires ou groupes de communes.",
        "Pick 2 to 6 communes, territories or groups of communes.",
    ),
    "cmp.series": ("Évolution", "Change over time"),
    "cmp.bars": ("Dernier millésime : {year}", "Latest vintage: {year}"),
    "cmp.group": ("Créer un groupe de communes", "Make a group of communes"),
    "cmp.group_add": ("Ajouter le groupe", "Add the group"),
    "cmp.group_placeholder": ("Communes du groupe…", "Communes of the group…"),
    "cmp.max": ("6 territoires au plus.", "6 areas at most."),
    # catalogue
    "cat.title": ("Catalogue des indicateurs", "Indicator catalogue"),
    "cat.intro": (
        "Chaque indicateur : définition, formule, sources et millésimes. Cliquez pour voir toutes les valeurs.",
        "Each indicator: definition, formula, sources and vintages. Click to see every value.",
    ),
    "cat.definition": ("Définition", "Definition"),
    "cat.formula": ("Formule", "Formula"),
    "cat.sources": ("Sources", "Sources"),
    "cat.years": ("Millésimes", "Vintages"),
    "cat.unit": ("Unité", "Unit"),
    "cat.aggregation": ("Agrégation", "Aggregation"),
    "cat.aggregable": (
        "calculée pour les territoires à partir des sommes communales",
        "computed for areas from the communes' sums",
    ),
    "cat.not_aggregable": (
        "valeur publiée, non recalculable pour un groupe de communes",
        "published value, cannot be recomputed for a group",
    ),
    "cat.notes": ("Remarques", "Notes"),
    "cat.limits": ("Limites du thème", "Limits of this theme"),
    "cat.table": ("Toutes les communes et territoires, {year}", "Every commune and area, {year}"),
    "cat.back": ("Tous les indicateurs", "All indicators"),
    "cat.filter": ("Filtrer…", "Filter…"),
    # sources
    "src.title": ("Sources et provenance", "Sources and provenance"),
    "src.intro": (
        "Chaque fichier brut chargé : millésime, licence, date de chargement et empreinte SHA-256.",
        "Every raw file loaded: vintage, licence, load date and SHA-256 checksum.",
    ),
    "src.sources": ("Sources déclarées", "Declared sources"),
    "src.files": ("Fichiers chargés", "Files loaded"),
    "src.file": ("Fichier", "File"),
    "src.vintage": ("Millésime", "Vintage"),
    "src.loaded": ("Chargé le", "Loaded on"),
    "src.sha": ("SHA-256", "SHA-256"),
    "src.size": ("Taille", "Size"),
    "src.rows": ("Lignes", "Rows"),
    "src.origin": ("Origine", "Origin"),
    "src.producer": ("Producteur", "Producer"),
    "src.dataset": ("Jeu de données", "Dataset"),
    "src.page": ("Page", "Page"),
    # errors
    "err.title": ("Page introuvable", "Page not found"),
    "err.page": (
        "Cette adresse ne correspond à aucune page de l'Observatoire.",
        "This address is not a page of the Observatory.",
    ),
    "err.commune": (
        "Aucune commune d'Île-de-France n'a le code « {code} ».",
        "No Île-de-France commune has the code “{code}”.",
    ),
    "err.indicator": ("L'indicateur « {value} » n'existe pas.", "There is no indicator “{value}”."),
    "err.year": (
        "Pas de millésime {value} pour « {label} » (disponibles : {years}).",
        "No {value} vintage for “{label}” (available: {years}).",
    ),
    "err.territory": ("Territoire inconnu : « {value} ».", "Unknown area: “{value}”."),
    "err.param": ("Valeur invalide pour « {name} » : « {value} ».", "Invalid value for “{name}”: “{value}”."),
    "err.store": (
        "Les données ne sont pas encore chargées. Lancez « python -m etl run » puis rechargez la page.",
        "The data are not loaded yet. Run “python -m etl run” then reload the page.",
    ),
    "err.internal": (
        "Une erreur est survenue ; elle a été enregistrée. Essayez une autre page :",
        "Something went wrong; it has been logged. Try another page:",
    ),
    "err.links": ("Vous pouvez aller vers :", "You can go to:"),
    "err.gosb_communes": ("Les 24 communes du GOSB", "The 24 GOSB communes"),
    # misc
    "and": ("et", "and"),
    "value.nd": ("n.d.", "n/a"),
}


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text of ``key`` in ``lang`` (fr/en), with ``{name}`` placeholders filled from ``values``."""
    fr, en = TEXT[key]
    text = en if lang == "en" else fr
    return text.format(**values) if values else text


def norm_lang(value: str | None) -> str:
    """``"en"`` or ``"fr"`` (anything else falls back to French)."""
    return value if value in LANGS else DEFAULT_LANG


def ordinal(rank: int, n: int, lang: str) -> str:
    """« 1er / 130 », « 12e / 130 »; English « 1st of 130 », « 12th of 130 »."""
    if lang == "en":
        suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
        return f"{rank}{suffix} of {n}"
    return f"{rank}{'er' if rank == 1 else 'e'} / {n}"
