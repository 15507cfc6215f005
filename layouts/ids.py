"""Every component id of the app, in one place (no id string is written anywhere else).

Static ids are module constants. Ids that repeat across pages are pattern-matching dicts built
by the typed helpers below, so that one callback can serve every instance (``ALL``) or a page can
address its own (``param("carte", "indicateur")``):

* ``param(page, name)``: a control whose value lives in the URL query string (``?indicateur=…``);
* ``ctx(page)``: the page's context store (language, path parameters, defaults);
* ``card_*``: the parts of a chart/table card (figure, title, source line, text alternative,
  download links, embed code).
"""

from __future__ import annotations

from typing import Any

from dash import ALL

# --- app shell (always in the layout) ---------------------------------------------------------
URL = "url"
NAV = "nav"
PAGE = "page"
FOOTER = "footer"
DOC = "doc-meta"
SINK_DOC = "sink-doc"  # outputs of client-side callbacks that only act on the page
SINK_NAV = "sink-nav"  # Store {"title": …, "lang": …}: a clientside callback sets <title> and <html lang>
SEARCH = "commune-search"
LANG_LINK = "lang-link"
SKIP_LINK = "skip-link"
NAV_TOGGLER = "nav-toggler"
NAV_COLLAPSE = "nav-collapse"
MAIN = "main"
DROPPED = "param-dropped"  # Store: list values the router's rules left out ({name: [values]})

# --- page-specific static ids -----------------------------------------------------------------
KPI_TABLE = "kpi-table"
COMMUNE_SUMMARY = "commune-summary"
COMMUNE_THEMES = "commune-themes"
GROUP_PICKER = "group-picker"
GROUP_ADD = "group-add"
CMP_NOTICE = "cmp-notice"  # the territory picker's message (maximum reached)
INDICATOR_TABLE = "indicator-table"

Id = dict[str, Any]


def param(page: str, name: str) -> Id:
    """A URL-synchronised control of ``page`` (its value is the query parameter ``name``)."""
    return {"type": "param", "page": page, "name": name}


PARAM_ALL: Id = {"type": "param", "page": ALL, "name": ALL}


def ctx(page: str) -> Id:
    """The context store of ``page``: ``{"lang", "page", "args", "defaults"}``."""
    return {"type": "ctx", "page": page}


CTX_ALL: Id = {"type": "ctx", "page": ALL}


def _card(part: str, card: str) -> Id:
    return {"type": f"card-{part}", "card": card}


def card_graph(card: str) -> Id:
    """The ``dcc.Graph`` of a card."""
    return _card("graph", card)


def card_title(card: str) -> Id:
    """The heading of a card (it names the indicator and the vintage)."""
    return _card("title", card)


def card_source(card: str) -> Id:
    """The visible source line of a card (« Source : Insee, RP 2022 … »)."""
    return _card("source", card)


def card_alt(card: str) -> Id:
    """The text alternative of a card (an accessible table or sentence)."""
    return _card("alt", card)


def card_body(card: str) -> Id:
    """The body of a card that holds a table or text instead of a graph."""
    return _card("body", card)


def card_download(card: str, fmt: str) -> Id:
    """A download link of a card's data (``fmt``: ``csv`` or ``xlsx``)."""
    return {"type": "card-download", "card": card, "fmt": fmt}


def card_embed(card: str) -> Id:
    """The read-only field holding the ``<iframe>`` code of a card."""
    return _card("embed", card)


def card_link(card: str) -> Id:
    """The « open the full view » link of an embedded card."""
    return _card("link", card)


# --- card names (the ``card`` key of the card ids; also the names of their data downloads) ----
class Card:
    """Names of the cards; each is also a download name (``/telecharger/<card>.csv``)."""

    OV_KPIS = "chiffres-cles"
    OV_MAP = "carte-territoire"
    OV_RANK = "classement-territoires"
    CO_SUMMARY = "commune-resume"
    CO_LOCATOR = "commune-situation"
    CO_BARS = "commune-comparaison"
    CO_SERIES = "commune-evolution"
    CO_STRIP = "commune-distribution"
    CO_PROFILE = "commune-profil"
    MAP = "carte"
    CMP_SERIES = "comparaison-evolution"
    CMP_BARS = "comparaison-valeurs"
    IND_TABLE = "indicateur-valeurs"
    SOURCES = "sources"


#: Former card names still answered (published embeds and downloads): old name → card.
LEGACY_CARDS = {"carte-gosb": Card.OV_MAP}


# --- chart cards: accessible description and image downloads (H2) ----------------------------
def card_desc(card: str) -> Id:
    """The visually hidden description of a chart (what it shows and its main values)."""
    return _card("desc", card)


def card_image(card: str, fmt: str) -> Id:
    """A download link of a chart or map as an image (``fmt``: ``png`` or ``svg``)."""
    return {"type": "card-image", "card": card, "fmt": fmt}


# --- profiles: theme tabs and the place's buttons (H1) --------------------------------------
CO_TABS = "commune-themes"  # the navigation between the themes of a commune profile


def place_action(page: str, kind: str) -> Id:
    """A button of a place (``kind``: ``fiche``, ``deck``, ``pptx``) on ``page`` (layouts.actions)."""
    return {"type": "place-action", "page": page, "kind": kind}


# « D'où vient ce chiffre ? » page
EXPLAIN_FORMULA = "explain-formula"
