"""PDF output (reportlab): shared fonts and text helpers, and the deck as a 16:9 PDF.

The deck PDF has the same slides as the web mode and the PPTX: title, one page per indicator
(title, key message, chart, source footer), sources. Its charts are vector drawings
(``exports.drawing``), so no browser is involved.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from exports.attribution import observatory
from exports.charts import COLOURS, INK, MUTED
from exports.deck import Deck, Slide
from exports.drawing import draw_bars
from layouts.i18n import t

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
PAGE = (960.0, 540.0)  # 13.33 × 7.5 in, the PPTX slide size
MARGIN = 40.0


@cache
def fonts() -> tuple[str, str]:
    """(regular, bold) font names: DejaVu Sans when installed (full Latin-1 and €), else Helvetica."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
            return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def escape(text: str) -> str:
    """Text for a reportlab ``Paragraph`` (its markup is XML-like)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def style(
    size: float, bold: bool = False, colour: str = INK, leading: float | None = None, space_after: float = 0
) -> ParagraphStyle:
    regular, heavy = fonts()
    return ParagraphStyle(
        f"s{size}{bold}{colour}",
        fontName=heavy if bold else regular,
        fontSize=size,
        leading=leading or size * 1.25,
        textColor=HexColor(colour),
        alignment=TA_LEFT,
        spaceAfter=space_after,
    )


def paragraph(c: Canvas, text: str, x: float, top: float, width: float, st: ParagraphStyle) -> float:
    """Draw a wrapped paragraph whose top is at ``top``; return the y just below it."""
    para = Paragraph(escape(text), st)
    _, height = para.wrap(width, 10_000)
    para.drawOn(c, x, top - height)
    return top - height - st.spaceAfter


def metadata(c: Canvas, title: str, subject: str, lang: str = "fr") -> None:
    c.setTitle(title)
    c.setAuthor(observatory(lang))
    c.setSubject(subject)
    c.setCreator("Observatoire territorial — exports (reportlab)")
    c.setKeywords("Insee, statistiques, Grand-Orly Seine Bièvre, Métropole du Grand Paris")


def _band(c: Canvas, width: float, height: float) -> None:
    c.setFillColor(HexColor(COLOURS["focus"]))
    c.rect(0, height - 6, width, 6, stroke=0, fill=1)


def _footer(c: Canvas, deck: Deck, s: Slide) -> None:
    w, _ = PAGE
    text = " · ".join(s.footer.splitlines()) or observatory(deck.choices.lang)
    paragraph(c, text, MARGIN, 38, w - 2 * MARGIN - 60, style(8.5, colour=MUTED))
    regular, _ = fonts()
    c.setFont(regular, 9)
    c.setFillColor(HexColor(MUTED))
    c.drawRightString(w - MARGIN, 18, f"{s.number} / {len(deck.slides)}")


def _title_page(c: Canvas, s: Slide, lang: str) -> None:
    w, h = PAGE
    y = paragraph(c, s.title, MARGIN, h - 90, w - 2 * MARGIN, style(34, True, leading=40, space_after=6))
    y = paragraph(c, s.subtitle, MARGIN, y, w - 2 * MARGIN, style(18, colour=MUTED, space_after=24))
    y = paragraph(c, t("deck.agenda", lang), MARGIN, y, w - 2 * MARGIN, style(15, True, space_after=4))
    for item in s.items[:14]:
        y = paragraph(c, f"• {item}", MARGIN + 10, y, w - 2 * MARGIN - 10, style(13, space_after=2))
    if s.message:
        paragraph(c, s.message, MARGIN, 80, w - 2 * MARGIN, style(10, colour=MUTED))


def _indicator_page(c: Canvas, s: Slide) -> None:
    w, h = PAGE
    regular, bold = fonts()
    y = paragraph(c, s.title, MARGIN, h - 24, w - 2 * MARGIN, style(22, True, space_after=2))
    caption = f"{s.subtitle} · {s.chart.caption}" if s.chart else s.subtitle
    y = paragraph(c, caption, MARGIN, y, w - 2 * MARGIN, style(13, colour=MUTED, space_after=10))
    y = paragraph(c, s.message, MARGIN, y, w - 2 * MARGIN, style(16, True, space_after=4))
    for detail in s.details:
        y = paragraph(c, detail, MARGIN, y, w - 2 * MARGIN, style(11, colour=MUTED, space_after=2))
    if s.chart:
        bottom = 70 if not s.chart.missing else 84
        draw_bars(c, s.chart, MARGIN, bottom, w - 2 * MARGIN, y - 10 - bottom, regular, bold, max_size=13)
        if s.chart.missing:
            paragraph(
                c,
                s.chart.missing_text,
                MARGIN,
                80,
                w - 2 * MARGIN,
                style(8.5, colour=MUTED),
            )


def _sources_page(c: Canvas, s: Slide) -> None:
    w, h = PAGE
    y = paragraph(c, s.title, MARGIN, h - 30, w - 2 * MARGIN, style(26, True, space_after=12))
    size = 11 if len(s.items) <= 8 else 9
    for item in s.items:
        y = paragraph(c, f"• {item}", MARGIN, y, w - 2 * MARGIN, style(size, space_after=3))
    paragraph(c, s.message, MARGIN, y - 8, w - 2 * MARGIN, style(10, colour=MUTED))


def deck_pdf(deck: Deck) -> bytes:
    """The deck as a PDF, one 16:9 page per slide: tagged (HTML printed by Chromium,
    ``exports.deck_html``), or drawn by reportlab (untagged) when no browser is available."""
    from exports.deck_html import deck_html  # noqa: PLC0415 - needs this module's helpers loaded
    from exports.tagged import TaggedPdfError, html_pdf  # noqa: PLC0415

    try:
        return html_pdf(deck_html(deck))
    except TaggedPdfError:
        return deck_pdf_reportlab(deck)


def deck_pdf_reportlab(deck: Deck) -> bytes:
    """The deck as a PDF drawn by reportlab (untagged), one 16:9 page per slide."""
    out = io.BytesIO()
    c = Canvas(out, pagesize=PAGE, pageCompression=1)
    lang = deck.choices.lang
    metadata(c, deck.title, t("deck.pdf_subject", lang), lang)
    for s in deck.slides:
        _band(c, *PAGE)
        if s.kind == "title":
            _title_page(c, s, lang)
        elif s.kind == "indicator":
            _indicator_page(c, s)
        else:
            _sources_page(c, s)
        _footer(c, deck, s)
        c.showPage()
    c.save()
    return out.getvalue()
