"""The buttons of a place (commune or territory profile): « Fiche PDF », « Présenter » (the deck
of that place and the theme in view) and « PowerPoint ». Real links (keyboard, middle click, copy
link), the downloads marked as such (``download`` attribute; the file type in the label and title).

Pages with a theme in view give the buttons ids (``ids.place_action``): ``callbacks.actions``
keeps the deck links on the theme of the indicator shown.
"""

from __future__ import annotations

from urllib.parse import urlencode

from dash import html

from layouts import ids
from layouts.i18n import t


def deck_query(code: str, theme: str, lang: str) -> str:
    """``?territoire=94081&theme=emploi`` (and ``&lang=en``)."""
    query = {"territoire": code, "theme": theme}
    if lang == "en":
        query["lang"] = "en"
    return "?" + urlencode(query)


def deck_href(code: str, theme: str, lang: str) -> str:
    return "/presentation" + deck_query(code, theme, lang)


def pptx_href(code: str, theme: str, lang: str) -> str:
    return "/export/presentation.pptx" + deck_query(code, theme, lang)


def is_commune(code: str) -> bool:
    """An Insee commune code (``94081``, ``2A004``), not a territory (``T12``, ``MGP``, ``group:…``)."""
    return len(code) == 5 and code[:1].isdigit()


def fiche_href(code: str, lang: str = "fr") -> str:
    """The two-page fiche: ``/export/commune/94081.pdf`` or ``/export/territoire/T12.pdf`` (with
    ``?lang=en`` on English pages: the fiche is printed in the page's language)."""
    path = f"/export/{'commune' if is_commune(code) else 'territoire'}/{code}.pdf"
    return path + ("?" + urlencode({"lang": "en"}) if lang == "en" else "")


def place_actions(page: str, code: str, theme: str, lang: str, pdf: bool = True) -> html.Div:
    """The buttons of place ``code`` (a commune or a territory) on ``page``; ``pdf``: with the fiche."""
    buttons = []
    if pdf:
        buttons.append(
            html.A(
                [html.Span("⤓ ", **{"aria-hidden": "true"}), t("act.fiche", lang)],
                id=ids.place_action(page, "fiche"),
                href=fiche_href(code, lang),
                download="",
                title=t("act.fiche_title" if is_commune(code) else "act.fiche_title_territory", lang),
                className="btn btn-sm btn-outline-primary",
            )
        )
    buttons += [
        html.A(
            [html.Span("▶ ", **{"aria-hidden": "true"}), t("act.present", lang)],
            id=ids.place_action(page, "deck"),
            href=deck_href(code, theme, lang),
            title=t("act.present_title", lang),
            className="btn btn-sm btn-primary",
        ),
        html.A(
            [html.Span("⤓ ", **{"aria-hidden": "true"}), t("act.pptx", lang)],
            id=ids.place_action(page, "pptx"),
            href=pptx_href(code, theme, lang),
            download="",
            title=t("act.pptx_title", lang),
            className="btn btn-sm btn-outline-primary",
        ),
    ]
    return html.Div(
        buttons,
        className="place-actions d-flex flex-wrap gap-2 mt-2",
        role="group",
        **{"aria-label": t("act.label", lang)},
    )
