"""User-facing strings of the app in French and English (indicator labels come from the catalogue).

``t("nav.map", "en")`` returns the English text; ``t("kpi.since", "fr", year=2016)`` fills
``{year}``. An unknown key raises ``KeyError`` (tests check that every key has both languages).

Texts about the home territory are templates (issue #11): ``{home_title}`` (the language's own),
``{home_title_fr}``, ``{home_title_en}``,
``{home_short}``, ``{home_name}``, ``{home_of_fr}`` (« du Grand-Orly … », « de Plaine Commune »),
``{home_code}``, ``{home_n}`` (communes), ``{home_refs}`` (reference areas), ``{home_kind_fr}``,
``{home_kind_en}``, filled from the configuration (``observatoire.yaml``) and the store by the
provider ``callbacks.data`` registers with ``set_home_words``; until then (or if the store is
unreadable) from the configuration alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import config

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"

TEXT: dict[str, tuple[str, str]] = {
    # shell
    "app.title": ("{home_title}", "{home_title}"),
    "app.short": ("Observatoire {home_short}", "{home_short} Observatory"),
    "app.tagline": (
        "Statistiques publiques des {home_n} communes du territoire, comparées à leurs références : {home_refs}",
        "Official statistics for the territory's {home_n} communes, compared with: {home_refs}",
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
    "a11y.footer": ("Accessibilité : partiellement conforme", "Accessibility: partially compliant"),
    "src.licence_none": ("non précisée", "not stated"),
    "search.placeholder": ("Commune, territoire, indicateur…", "Commune, territory, indicator…"),
    "search.label": (
        "Rechercher une commune, un territoire ou un indicateur",
        "Find a commune, a territory or an indicator",
    ),
    "search.none": ("Aucun résultat", "No result"),
    "search.kind.territory": ("territoire", "territory"),
    "search.kind.dep": ("département", "department"),
    "search.kind.indicator": ("indicateur", "indicator"),
    "nav.presentation": ("Présentation", "Presentation"),
    # texts of Dash's dropdowns (``dropdown_labels``)
    "dd.select_all": ("Tout sélectionner", "Select all"),
    "dd.deselect_all": ("Tout désélectionner", "Deselect all"),
    "dd.selected_count": ("{num_selected} sélectionnés", "{num_selected} selected"),
    "dd.search": ("Rechercher…", "Search…"),
    "dd.clear_search": ("Effacer la recherche", "Clear search"),
    "dd.clear_selection": ("Tout effacer", "Clear selection"),
    "dd.none": ("Aucun résultat", "No result"),
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
    "scope.gosb": ("{home_name} ({home_n} communes)", "{home_name} ({home_n} communes)"),
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
    "card.open": ("Voir sur l'Observatoire {home_short}", "Open in the {home_short} Observatory"),
    "card.loading": ("Chargement…", "Loading…"),
    "card.nodata": ("Pas de donnée pour cette sélection.", "No data for this selection."),
    # cards: image downloads and map lists (H2)
    "card.image_png": ("Image PNG", "PNG image"),
    "card.image_svg": ("Image SVG", "SVG image"),
    "card.image_label": (
        "Télécharger l'image ({fmt}) : {title}",
        "Download the image ({fmt}): {title}",
    ),
    "card.downloads": ("Téléchargements", "Downloads"),
    "map.list": ("Les communes et leur valeur", "The communes and their values"),
    "map.list_help": (
        "Chaque nom ouvre le profil de la commune.",
        "Each name opens the commune's profile.",
    ),
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
    "ov.title": ("{home_name} en chiffres", "{home_name} in figures"),
    "ov.intro": (
        "{home_n} communes, {home_kind}. Chiffres clés comparés à : {home_refs}.",
        "{home_n} communes, {home_kind}. Key figures compared with: {home_refs}.",
    ),
    "ov.kpis": ("Chiffres clés", "Key figures"),
    "ov.map": (
        "Les {home_n} communes {home_of_fr}, {year}",
        "The {home_n} communes of {home_name}, {year}",
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
    "co.link_compare": (
        "Comparer avec le territoire {home_short} et la Métropole",
        "Compare with {home_short} and the metropolis",
    ),
    "co.link_map": ("Voir sur la carte", "See on the map"),
    "co.rank_note": (
        "Rang parmi les communes de la Métropole (1 = valeur la plus élevée).",
        "Rank among the metropolis communes (1 = highest value).",
    ),
    "co.col_commune": ("Commune", "Commune"),
    "co.summary": ("En bref", "At a glance"),
    "co.themes": ("Thèmes du profil", "Themes of the profile"),
    "co.theme_shown": (" (thème affiché)", " (theme shown)"),
    "co.theme_table": ("Tous les indicateurs du thème", "Every indicator of the theme"),
    "act.label": ("Exporter ou présenter", "Export or present"),
    "act.fiche": ("Fiche PDF", "PDF profile"),
    "act.fiche_title": ("Fiche communale de deux pages, PDF", "Two-page commune profile, PDF"),
    "act.present": ("Présenter", "Present"),
    "act.present_title": (
        "Présentation plein écran du thème affiché",
        "Full-screen presentation of the theme shown",
    ),
    "act.pptx": ("PowerPoint", "PowerPoint"),
    "act.pptx_title": (
        "Présentation du thème affiché, fichier PowerPoint (.pptx) modifiable",
        "Slide deck of the theme shown, editable PowerPoint file (.pptx)",
    ),
    # Downloads (callbacks/spreadsheet.py): unit and status labels, metadata sheet.
    "unit.count": ("nombre", "number"),
    "unit.percent": ("%", "%"),
    "unit.per_100": ("pour 100", "per 100"),
    "unit.per_1000": ("pour 1 000", "per 1,000"),
    "unit.per_km2": ("par km²", "per km²"),
    "unit.euro": ("euros", "euros"),
    "unit.euro_m2": ("euros par m²", "euros per m²"),
    "unit.ratio": ("rapport", "ratio"),
    # values as a comparison chart draws them (callbacks/drawn.py), the count beside them
    "unit.per_1000_inhabitants": ("pour 1 000 habitants", "per 1,000 inhabitants"),
    "unit.index_base100": ("indice, base 100 l'année de référence", "index, base year = 100"),
    "unit.change_1y": ("évolution sur un an, en %", "change over one year, %"),
    "col.count": ("Nombre", "Count"),
    "col.drawn": ("Valeur ({unit})", "Value ({unit})"),
    "status.ok": ("publiée", "published"),
    "status.derived": ("calculée", "derived"),
    "status.partial": ("partielle", "partial"),
    "status.suspect": ("signalée", "flagged"),
    "status.secret": ("secret statistique", "statistical secrecy"),
    "status.missing": ("non disponible", "not available"),
    "status.not_aggregable": ("non agrégeable", "not aggregable"),
    "dl.field": ("champ", "field"),
    "dl.value": ("valeur", "value"),
    "dl.title": ("titre", "title"),
    "dl.source": ("source", "source"),
    "dl.producer": ("producteur et jeu de données", "producer and dataset"),
    "dl.vintage": ("millésime", "vintage"),
    "dl.licence": ("licence", "licence"),
    "dl.pages": ("pages des sources", "source pages"),
    "dl.url": ("adresse", "address"),
    "dl.loaded": ("données chargées le", "data loaded on"),
    "dl.downloaded": ("fichier produit le", "file produced on"),
    # « En bref » (callbacks/headlines.py): the headline indicators beside the metropolis.
    "brief.intro": (
        "L'essentiel pour {place}, comparé à la Métropole du Grand Paris :",
        "The essentials for {place}, compared with the Greater Paris metropolis:",
    ),
    "brief.none": (
        "Les indicateurs principaux ne sont pas disponibles pour {place}.",
        "The main indicators are not available for {place}.",
    ),
    "brief.close": (
        "{label} : {value}, proche de la Métropole ({ref})",
        "{label}: {value}, close to the metropolis ({ref})",
    ),
    "brief.above": (
        "{label} : {value}, au-dessus de la Métropole ({ref})",
        "{label}: {value}, above the metropolis ({ref})",
    ),
    "brief.below": (
        "{label} : {value}, en dessous de la Métropole ({ref})",
        "{label}: {value}, below the metropolis ({ref})",
    ),
    "brief.well_above": (
        "{label} : {value}, nettement au-dessus de la Métropole ({ref})",
        "{label}: {value}, well above the metropolis ({ref})",
    ),
    "brief.well_below": (
        "{label} : {value}, nettement en dessous de la Métropole ({ref})",
        "{label}: {value}, well below the metropolis ({ref})",
    ),
    "co.locator": ("Situation de {name}", "Location of {name}"),
    "co.detail": ("Indicateur détaillé", "Indicator in detail"),
    # captions of the three detail charts (issue #10: each names what it shows, not « Indicateur détaillé »)
    "co.cap_bars": (
        "{name} comparée au territoire {home_short}, à son département et à la Métropole, indicateur choisi",
        "{name} compared with {home_short}, its department and the metropolis, selected indicator",
    ),
    "co.cap_strip": (
        "{name} parmi les 130 communes de la Métropole, indicateur choisi",
        "{name} among the 130 metropolis communes, selected indicator",
    ),
    "co.page": ("{name} — profil communal", "{name} — commune profile"),
    "co.bars": (
        "{name}, le territoire {home_short}, son département et la Métropole, {year}",
        "{name}, {home_short}, its department and the metropolis, {year}",
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
    "cmp.max_reached": (
        "Maximum atteint : 6 territoires. Retirez-en un pour en ajouter un autre.",
        "Maximum reached: 6 areas. Remove one to add another.",
    ),
    "cmp.max_dropped": (
        "6 territoires au plus : « {names} » n'a pas été ajouté. Retirez d'abord un territoire.",
        "6 areas at most: “{names}” was not added. Remove an area first.",
    ),
    "cmp.empty": (
        "Aucun territoire choisi : ajoutez-en au moins un pour afficher les graphiques.",
        "No area chosen: add at least one to show the charts.",
    ),
    "cmp.unknown": (
        "Territoire(s) inconnu(s) ignoré(s) : {codes}. Les autres sont affichés.",
        "Unknown area(s) left out: {codes}. The others are shown.",
    ),
    # presentation chooser (the deck itself is in French: its texts come from exports/)
    "pres.title": ("Présenter ou télécharger une présentation", "Present or download a slide deck"),
    "pres.intro": (
        "Choisissez un territoire et un thème : l'observatoire prépare une diapositive par indicateur "
        "(graphique, message clé, sources), à projeter ici ou à télécharger en PowerPoint ou en PDF.",
        "Choose an area and a theme: the observatory prepares one slide per indicator (chart, key "
        "message, sources), to show here or to download as PowerPoint or PDF. Slides are in French.",
    ),
    "pres.step1": ("1. Le territoire", "1. The area"),
    "pres.step2": ("2. Les indicateurs", "2. The indicators"),
    "pres.step3": ("3. Présenter ou télécharger", "3. Present or download"),
    "pres.territory": ("Territoire", "Area"),
    "pres.group": ("Ou un groupe de communes", "Or a group of communes"),
    "pres.group_help": (
        "Deux communes ou plus : le groupe remplace le territoire choisi au-dessus.",
        "Two communes or more: the group replaces the area chosen above.",
    ),
    "pres.theme": ("Thème", "Theme"),
    "pres.custom": ("Sur mesure", "Custom"),
    "pres.indicators": ("Indicateurs", "Indicators"),
    "pres.indicators_help": ("Dans l'ordre des diapositives.", "In the order of the slides."),
    "pres.launch": ("Lancer la présentation", "Start the presentation"),
    "pres.pptx": ("Télécharger en PowerPoint (.pptx)", "Download as PowerPoint (.pptx)"),
    "pres.pdf": ("Télécharger en PDF", "Download as PDF"),
    "pres.fiche": ("Fiche communale (PDF)", "Commune profile (PDF)"),
    "pres.hint": ("{n} indicateur(s), {slides} diapositives.", "{n} indicator(s), {slides} slides."),
    "pres.need_place": ("Choisissez un territoire.", "Choose an area."),
    "pres.need_indicator": ("Choisissez au moins un indicateur.", "Choose at least one indicator."),
    "pres.keys": (
        "Pendant la présentation : flèches, espace ou clic pour avancer ; Début/Fin pour la première "
        "ou la dernière diapositive ; F pour le plein écran ; Échap pour revenir à ce choix. Chaque "
        "diapositive a sa propre adresse.",
        "During the presentation: arrows, space or a click to move on; Home/End for the first or last "
        "slide; F for full screen; Escape to come back to this form. Each slide has its own address.",
    ),
    "pres.gosb": (
        "{home_name} (territoire, {home_n} communes)",
        "{home_name} (territory, {home_n} communes)",
    ),
    "pres.ept": ("{name} (territoire {code})", "{name} (territory {code})"),
    "pres.error": ("Présentation impossible : {message}", "The presentation cannot be built: {message}"),
    "pres.choose": ("Choisir un territoire", "Choose an area"),
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
    "err.export_title": ("Export impossible", "Export not available"),
    "err.export": (
        "Ce fichier ne peut pas être produit : {message}",
        "This file cannot be produced: {message}",
    ),
    "err.gosb_communes": ("Les {home_n} communes {home_of_fr}", "The {home_n} communes of {home_name}"),
    # misc
    "and": ("et", "and"),
    "value.nd": ("n.d.", "n/a"),
    # « D'où vient ce chiffre ? » (issue #15: /explication)
    "xp.link": ("D'où vient ce chiffre ?", "Where does this figure come from?"),
    "xp.link_label": (
        "D'où vient ce chiffre ? {label}, {territory}, {year}",
        "Where does this figure come from? {label}, {territory}, {year}",
    ),
    "xp.printed": ("D'où vient ce chiffre : {url}", "Where this figure comes from: {url}"),
    "xp.title": ("D'où vient ce chiffre ?", "Where does this figure come from?"),
    "xp.intro": (
        "Les données d'entrée et le calcul d'une valeur publiée, avec les fichiers officiels dont elle "
        "provient : chacun peut la vérifier et la recalculer.",
        "The inputs and the arithmetic of a published value, with the official files it comes from: "
        "anyone can check and recompute it.",
    ),
    "xp.formula": ("Le calcul", "The arithmetic"),
    "xp.status": ("Statut", "Status"),
    "xp.definition": ("Définition", "Definition"),
    "xp.inputs": ("Les communes et leurs données", "The communes and their inputs"),
    "xp.inputs_caption": (
        "{n} communes : numérateur, dénominateur et valeur de chacune",
        "{n} communes: numerator, denominator and value of each",
    ),
    "xp.numerator": ("Numérateur", "Numerator"),
    "xp.denominator": ("Dénominateur", "Denominator"),
    "xp.used": ("Utilisée", "Used"),
    "xp.yes": ("oui", "yes"),
    "xp.no": ("non", "no"),
    "xp.csv": ("Télécharger les données d'entrée (CSV)", "Download the inputs (CSV)"),
    "xp.json": ("L'explication en JSON (API)", "The explanation as JSON (API)"),
    "xp.sources": ("Fichiers officiels", "Official files"),
    "xp.producer": ("Producteur", "Producer"),
    "xp.harmonisation": ("Harmonisation", "Harmonisation"),
    "xp.no_harmonisation": (
        "Aucune : les fichiers sont déjà sur la carte communale de 2025.",
        "None: the files are already on the 2025 commune map.",
    ),
    "xp.flags": ("Signalements qualité", "Quality flags"),
    "xp.no_flags": ("Aucun signalement ne concerne cette valeur.", "No quality flag touches this value."),
    "xp.script": ("Recalculez-le vous-même", "Recompute it yourself"),
    "xp.script_intro": (
        "Ce script pandas lit les fichiers officiels (dossier RAW_DIR, ou téléchargement depuis leur "
        "adresse), garde les communes membres et refait le calcul.",
        "This pandas script reads the official files (a RAW_DIR folder, or a download from their "
        "address), keeps the member communes and redoes the arithmetic.",
    ),
    "xp.script_download": ("Télécharger le script (.py)", "Download the script (.py)"),
    "xp.download_url": ("adresse de téléchargement", "download address"),
    "xp.back": ("Retour à l'indicateur", "Back to the indicator"),
    "xp.territory_error": ("Territoire inconnu ou invalide : {value}", "Unknown or invalid area: {value}"),
}


_home_provider: list[Callable[[], Mapping[str, object]]] = []


def set_home_words(provider: Callable[[], Mapping[str, object]]) -> None:
    """Register what fills the ``{home_…}`` placeholders (``callbacks.data``: from the store)."""
    _home_provider[:] = [provider]


def home_words() -> dict[str, object]:
    """The ``{home_…}`` values: from the registered provider, else from the configuration alone."""
    if _home_provider:
        try:
            return dict(_home_provider[0]())
        except Exception:  # noqa: BLE001 - an unreadable store must not break error pages
            pass
    h = config.home()
    name = h.name or h.code
    return {
        "home_title_fr": h.title or f"Observatoire {name}",
        "home_title_en": f"{name} Observatory",
        "home_short": h.short or name,
        "home_name": name,
        "home_of_fr": f"de {name}",
        "home_code": h.code,
        "home_n": "",
        "home_refs": ", ".join(h.references or ()),
        "home_kind_fr": "territoire de référence",
        "home_kind_en": "home territory",
    }


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text of ``key`` in ``lang`` (fr/en), with ``{name}`` placeholders filled from ``values``
    (and ``{home_…}`` ones from ``home_words``)."""
    fr, en = TEXT[key]
    text = en if lang == "en" else fr
    if "{home_" in text:
        words = home_words()
        # ``{home_title}`` is ``home_title_fr`` or ``home_title_en``, by the language asked for
        words.update({k[: -len(lang) - 1]: v for k, v in list(words.items()) if k.endswith("_" + lang)})
        values = {**words, **values}
    return text.format(**values) if values else text


def dropdown_labels(lang: str) -> dict[str, str]:
    """The texts of a Dash ``dcc.Dropdown`` (``labels=``) in ``lang``: Dash writes them in English."""
    keys = ("select_all", "deselect_all", "selected_count", "search", "clear_search", "clear_selection")
    labels = {k: TEXT[f"dd.{k}"][1 if lang == "en" else 0] for k in keys}
    labels["no_options_found"] = t("dd.none", lang)
    return labels


def norm_lang(value: str | None) -> str:
    """``"en"`` or ``"fr"`` (anything else falls back to French)."""
    return value if value in LANGS else DEFAULT_LANG


def ordinal(rank: int, n: int, lang: str) -> str:
    """« 1er / 130 », « 12e / 130 »; English « 1st of 130 », « 12th of 130 »."""
    if lang == "en":
        suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
        return f"{rank}{suffix} of {n}"
    return f"{rank}{'er' if rank == 1 else 'e'} / {n}"
