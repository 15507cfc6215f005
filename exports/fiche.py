"""The printable profile of a commune or a territory (« fiche communale », « fiche
territoriale »): two A4 pages, PDF. Tagged when Chromium is available (``exports.fiche_html``),
else drawn here with reportlab (same content).

Page 1: the place's identity, a locator map (the commune within its territory and the
metropolis; a territory within the metropolis), the key messages and the key figures compared
with its references (``exports.profile``: for a commune its territory and the MGP; for a
territory the MGP and its department(s)). Page 2: changes over time (census vintages 5+ years apart only), the
sources with their licences, the method and the definitions. Always two pages: the
definitions are cut short, with a pointer to the catalogue, rather than spill onto a third.

In the profile's language (``Profile.lang``, ``?lang=en``): texts from ``config/texts/fiche.yaml``,
English sentences and numbers (``exports.messages_en``, ``indicators.formatting``), English credits.

The words and figures are ``exports.fiche_content``'s (shared with ``exports.fiche_html``); this
module lays them out on the page.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepInFrame, Paragraph, Table, TableStyle

from config.texts import t
from exports.attribution import dataset_list, licence_line, observatory
from exports.charts import COLOURS, GRID, INK, MUTED
from exports.drawing import draw_map, legend
from exports.fiche_content import (
    _cell,
    _explain_line,
    _label,
    _numbers,
    _period,
    all_facts,
    changes_of,
    column_heads,
    definition,
    footer_text,
    status_notes,
    table_note,
)
from exports.fiche_html import fiche_html
from exports.pdf import escape, fonts, metadata, paragraph, style
from exports.profile_model import Profile, label_of
from indicators.datasets import indicator_datasets

MARGIN = 36.0


def _table(p: Profile, width: float) -> Table:
    regular, bold = fonts()
    head = style(7.5, True, "#FFFFFF", leading=9)
    label, section = style(7.2, leading=8.6), style(8.5, True, COLOURS["focus"], leading=10)
    wrap = ParagraphStyle("cell", parent=style(7, leading=8.2), alignment=TA_RIGHT)  # like the numbers
    heads = column_heads(p)
    number = _numbers(p)
    rows: list[list[Any]] = [
        [
            Paragraph(t("fiche.col_indicator", p.lang), head),
            *(Paragraph(escape(h), head) for h in heads),
            Paragraph(t("fiche.col_period", p.lang), head),
            Paragraph(t("fiche.col_src", p.lang), head),
        ]
    ]
    section_rows = []
    for title, facts in p.sections:
        section_rows.append(len(rows))
        rows.append([Paragraph(escape(title), section)] + [""] * (len(heads) + 2))
        for f in facts:
            by_code = {r.place.code: r for r in f.references}
            cells: list[Any] = [_cell(f, f.focus, p.lang)]
            cells += [_cell(f, by_code.get(r.code), p.lang) for r in p.references]
            # a value with a note (« valeur publiée », a year) or a reason wraps in its narrow column
            cells = [Paragraph(escape(x), wrap) if len(x) > 12 else x for x in cells]
            refs = ",".join(str(number[d]) for d in indicator_datasets(f.indicator) if d in number)
            rows.append(
                [Paragraph(escape(_label(f.indicator, p.lang)), label), *cells, _period(f, p.lang), refs]
            )
    period_w, src_w, label_min = 48.0, 28.0, 160.0
    # a territory has up to five value columns: they narrow before the labels do
    value_w = min(62.0, (width - label_min - period_w - src_w) / len(heads))
    # The commune's column fits its name on one line (« Villeneuve-Saint-Georges »), room allowing.
    room = width - label_min - value_w * (len(heads) - 1) - period_w - src_w
    own_w = min(115.0, room, max(value_w, stringWidth(p.name, bold, 7.5) + 8))
    first = width - own_w - value_w * (len(heads) - 1) - period_w - src_w
    widths = [first, own_w, *([value_w] * (len(heads) - 1)), period_w, src_w]
    table = Table(rows, colWidths=widths, repeatRows=1)
    commands = [
        ("FONT", (0, 0), (-1, -1), regular, 7.5),
        ("FONT", (1, 1), (1, -1), bold, 7.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), HexColor(INK)),
        ("BACKGROUND", (0, 0), (-1, 0), HexColor(COLOURS["reference"])),
        ("BACKGROUND", (1, 1), (1, -1), HexColor("#F3F4F6")),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, HexColor(GRID)),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for i in section_rows:
        commands += [
            ("SPAN", (0, i), (-1, i)),
            ("BACKGROUND", (0, i), (-1, i), HexColor("#FFFFFF")),
            ("TOPPADDING", (0, i), (-1, i), 4),
        ]
    table.setStyle(TableStyle(commands))
    return table


def _footer(c: Canvas, p: Profile, page: int) -> None:
    w, _ = A4
    regular, _ = fonts()
    paragraph(c, footer_text(p), MARGIN, 40, w - 2 * MARGIN - 50, style(6.8, colour=MUTED, leading=8.5))
    c.setFont(regular, 7)
    c.setFillColor(HexColor(MUTED))
    c.drawRightString(w - MARGIN, 24, t("fiche.page", p.lang, n=page))


def _page_one(c: Canvas, p: Profile) -> None:
    w, h = A4
    regular, bold = fonts()
    c.setFillColor(HexColor(COLOURS["reference"]))
    c.rect(0, h - 100, w, 100, stroke=0, fill=1)
    c.setFillColor(HexColor(COLOURS["focus"]))
    c.rect(0, h - 104, w, 4, stroke=0, fill=1)
    paragraph(c, p.name, MARGIN, h - 22, w - 2 * MARGIN, style(26, True, "#FFFFFF", leading=30))
    heading = f"{p.heading} · {observatory(p.lang)}"
    paragraph(c, heading, MARGIN, h - 58, w - 2 * MARGIN, style(10, colour="#FFFFFF"))
    paragraph(c, p.ident(), MARGIN, h - 74, w - 2 * MARGIN, style(9, colour="#E5E7EB"))
    # Locator map (right) and key messages (left).
    map_w, map_h, top = 190.0, 175.0, h - 120
    if p.has_map:  # issue #11: no shapes loaded for its communes, no empty box, legend or credit
        draw_map(c, p.shapes, p.map_styles(), w - MARGIN - map_w, top - map_h, map_w, map_h)
        legend(c, p.map_legend(), w - MARGIN - map_w, top - map_h - 10, regular, 7.5)
        paragraph(c, p.map_credit, w - MARGIN - map_w, top - map_h - 48, map_w, style(6.5, colour=MUTED))
    # Key messages beside the map: as many as fit in the band (the page must stay one page).
    left_w, band_bottom = w - 2 * MARGIN - (map_w + 18) * p.has_map, top - map_h - 62
    y = paragraph(c, t("fiche.essentials", p.lang), MARGIN, top, left_w, style(13, True, space_after=6))
    for sentence in p.highlights:
        para = Paragraph(escape(sentence), style(9.5, leading=12, space_after=5))
        _, ph = para.wrap(left_w, 1000)
        if y - ph < band_bottom:
            break
        para.drawOn(c, MARGIN, y - ph)
        y -= ph + 5
    key_figures = t("fiche.key_figures", p.lang)
    y = paragraph(c, key_figures, MARGIN, band_bottom - 4, w - 2 * MARGIN, style(13, True, space_after=5))
    note_h, bottom = 20.0 + 9.0 * bool(status_notes(p)), 50.0
    # Shrunk (never split) if a long commune name or label makes the table taller than the room left.
    table = KeepInFrame(w - 2 * MARGIN, y - bottom - note_h, [_table(p, w - 2 * MARGIN)], mode="shrink")
    _, th = table.wrapOn(c, w - 2 * MARGIN, y - bottom - note_h)
    table.drawOn(c, MARGIN, y - th)
    paragraph(c, table_note(p), MARGIN, y - th - 4, w - 2 * MARGIN, style(7, colour=MUTED))
    _footer(c, p, 1)


def _page_two(c: Canvas, p: Profile) -> None:
    w, h = A4
    lang = p.lang
    width, bottom = w - 2 * MARGIN, 50.0
    title = t("fiche.page2_title", lang, name=p.name)
    y = paragraph(c, title, MARGIN, h - 36, width, style(14, True, space_after=8))
    changes = changes_of(p)
    if changes:
        y = paragraph(c, t("fiche.changes", lang), MARGIN, y, width, style(11, True, space_after=3))
        for f, text in changes:
            y = paragraph(c, f"{label_of(f, lang)} — {text}", MARGIN, y, width, style(8, space_after=2))
        y -= 6
    y = paragraph(c, t("fiche.sources", lang), MARGIN, y, width, style(11, True, space_after=3))
    for i, (_, text) in enumerate(dataset_list(all_facts(p), lang), start=1):
        y = paragraph(c, f"[{i}] {text}", MARGIN, y, width, style(8, space_after=2))
    if line := licence_line(p.credits, lang):
        y = paragraph(c, line, MARGIN, y, width, style(8, True, space_after=2))
    if p.map_credit:
        y = paragraph(c, p.map_credit, MARGIN, y, width, style(8, space_after=2))
    y = paragraph(c, t("fiche.method", lang), MARGIN, y - 6, width, style(11, True, space_after=3))
    y = paragraph(c, t("fiche.method_text", lang), MARGIN, y, width, style(8, space_after=2))
    y = paragraph(c, _explain_line(p), MARGIN, y, width, style(8, space_after=2))
    y = paragraph(c, t("fiche.definitions", lang), MARGIN, y - 6, width, style(11, True, space_after=3))
    for _, fs in p.sections:
        for f in fs:
            para = f"<b>{escape(label_of(f, lang))}</b>{' :' if lang == 'fr' else ':'} {escape(definition(f, lang))}"
            st = style(7.5, space_after=2)
            item = Paragraph(para, st)  # measured before drawing: the page must not overflow
            _, ph = item.wrap(width, 1000)
            if y - ph < bottom + 14:
                more = t("fiche.definitions_more", lang)
                paragraph(c, more, MARGIN, y, width, style(7.5, colour=MUTED))
                _footer(c, p, 2)
                return
            item.drawOn(c, MARGIN, y - ph)
            y -= ph + st.spaceAfter
    _footer(c, p, 2)


def fiche_pdf(p: Profile) -> bytes:
    """The two-page PDF of a profile: tagged (HTML printed by Chromium, ``exports.fiche_html``), or
    drawn by reportlab (same content, untagged) when no browser is available."""
    from exports.tagged import TaggedPdfError, html_pdf  # noqa: PLC0415

    try:
        return html_pdf(fiche_html(p))
    except TaggedPdfError:
        return fiche_pdf_reportlab(p)


def fiche_pdf_reportlab(p: Profile) -> bytes:
    """The two-page PDF of a profile drawn by reportlab (untagged)."""
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4, pageCompression=1)
    metadata(c, p.title, p.subject, p.lang)
    _page_one(c, p)
    c.showPage()
    _page_two(c, p)
    c.showPage()
    c.save()
    return out.getvalue()
