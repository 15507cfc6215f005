"""The deck as a PowerPoint file (python-pptx): 16:9, editable native charts, speaker notes.

Charts are native PowerPoint bar charts (not pictures), so that an officer can restyle or
annotate them; no browser is needed to build the file. The speaker notes of each slide hold
the key message, the definition, the census caveat and the full source descriptions; every
slide's footer carries the credit lines and the licence. Every slide has a title placeholder and
every chart its alternative text (the bars and their values); every bar is named (at most
``exports.charts.MAX_BARS`` bars, no label skipped). The file's language is the deck's
(``?lang=en``: English texts, ``en-GB`` text runs and document, English number formats in charts).
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from exports.attribution import observatory
from exports.charts import COLOURS, INK, MUTED, ChartSpec
from exports.deck import Deck, Slide
from layouts.i18n import t

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.55)
FONT = "Arial"  # present on the officers' machines; PowerPoint substitutes it elsewhere
_UNIT_SUFFIX = {"percent": '" %"', "euro": '" €"', "euro_m2": '" €/m²"'}
#: English charts: « 12.8% », « €19,490 », « €4,500/m² » (the units of ``indicators.formatting``).
_UNIT_PREFIX_EN = {"euro": '"€"', "euro_m2": '"€"'}
_UNIT_SUFFIX_EN = {"percent": '"%"', "euro_m2": '"/m²"'}


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def _text(
    slide, left, top, width, height, paragraphs: list[tuple[str, int, bool, str]], anchor=MSO_ANCHOR.TOP
) -> None:
    """A text box; ``paragraphs``: (text, size in pt, bold, colour)."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for i, (text, size, bold, colour) in enumerate(paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = PP_ALIGN.LEFT
        run = para.add_run()
        run.text = text
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
        run.font.color.rgb = _rgb(colour)
        para.space_after = Pt(size * 0.35)


def describe_shape(shape, text: str) -> None:
    """Alternative text of a shape (``descr`` of its non-visual properties: read by screen readers
    and shown as « Texte de remplacement » in PowerPoint and LibreOffice)."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def _title(slide, text: str, left, top, width, height, size: int, subtitle: str = "", sub_size: int = 15):
    """The slide's title placeholder (what screen readers, outlines and the slide sorter read)."""
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = left, top, width, height
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    for i, (line, sz, bold, colour) in enumerate(
        [(text, size, True, INK)] + ([(subtitle, sub_size, False, MUTED)] if subtitle else [])
    ):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = PP_ALIGN.LEFT
        run = para.add_run()
        run.text = line
        run.font.size, run.font.bold, run.font.name = Pt(sz), bold, FONT
        run.font.color.rgb = _rgb(colour)


def _band(slide) -> None:
    """Thin accent band at the top of every slide."""
    band = slide.shapes.add_shape(1, 0, 0, WIDTH, Inches(0.09))  # 1 = rectangle
    band.fill.solid()
    band.fill.fore_color.rgb = _rgb(COLOURS["focus"])
    band.line.fill.background()


def _footer(slide, deck: Deck, s: Slide) -> None:
    lines = s.footer.splitlines() or [observatory(deck.choices.lang)]
    _text(
        slide,
        MARGIN,
        HEIGHT - Inches(0.62),
        WIDTH - 2 * MARGIN - Inches(1.2),
        Inches(0.55),
        [(" · ".join(lines), 10, False, MUTED)],
        anchor=MSO_ANCHOR.BOTTOM,
    )
    _text(
        slide,
        WIDTH - MARGIN - Inches(1.1),
        HEIGHT - Inches(0.62),
        Inches(1.1),
        Inches(0.55),
        [(f"{s.number} / {len(deck.slides)}", 10, False, MUTED)],
        anchor=MSO_ANCHOR.BOTTOM,
    )


def _chart(slide, spec: ChartSpec, left, top, width, height) -> None:
    """A native bar chart of ``spec``: bars top to bottom, one colour per role, value labels."""
    if not spec.bars:
        _text(
            slide,
            left,
            top,
            width,
            Inches(1),
            [(t("deck.no_values", spec.lang), 18, False, MUTED)],
        )
        return
    # [$-40C]: French locale, so that office suites print « 27 441 » and « 14,6 % » whatever their own
    # ([$-809], British English: « 27,441 » and « 14.6% »).
    if spec.lang == "en":
        unit = spec.unit
        fmt = "[$-809]" + _UNIT_PREFIX_EN.get(unit, "") + spec.number_format + _UNIT_SUFFIX_EN.get(unit, "")
    else:
        fmt = "[$-40C]" + spec.number_format + _UNIT_SUFFIX.get(spec.unit, "")
    data = CategoryChartData(number_format=fmt)
    data.categories = [b.label for b in spec.bars]
    data.add_series(spec.caption, [b.value for b in spec.bars])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, left, top, width, height, data)
    describe_shape(frame, spec.alt)
    chart = frame.chart
    # The bars share the chart's height: the type fits a row, so that no label is skipped.
    row_pt = height / len(spec.bars) / 12700
    size = int(max(9, min(14, row_pt * 0.55)))
    chart.has_legend = False
    chart.font.size, chart.font.name = Pt(size), FONT
    chart.font.color.rgb = _rgb(INK)
    chart.category_axis.reverse_order = True  # PowerPoint draws the first category at the bottom
    chart.category_axis.has_major_gridlines = False
    chart.category_axis.format.line.fill.background()
    # Name every bar: PowerPoint and LibreOffice otherwise skip labels they think crowded.
    cat_ax = chart.category_axis._element
    skip = cat_ax.find(qn("c:tickLblSkip"))
    if skip is None:
        skip = cat_ax.makeelement(qn("c:tickLblSkip"), {})
        # CT_CatAx order: … lblAlgn, lblOffset, tickLblSkip, tickMarkSkip, noMultiLvlLbl, extLst
        anchor = cat_ax.find(qn("c:noMultiLvlLbl"))
        if anchor is not None:
            anchor.addprevious(skip)
        else:
            cat_ax.append(skip)
    skip.set("val", "1")
    # One line per name: a wrapped name (« Territoire Grand-Orly Seine Bièvre ») makes LibreOffice
    # drop every other label however much room there is.
    chart.category_axis.tick_labels.font.size = Pt(size)
    body = chart.category_axis._element.find(qn("c:txPr")).find(qn("a:bodyPr"))
    body.set("wrap", "none")
    body.set("rot", "0")
    body.set("vert", "horz")
    chart.value_axis.visible = False
    chart.value_axis.has_major_gridlines = False
    plot = chart.plots[0]
    plot.gap_width = 35
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format, labels.number_format_is_linked = fmt, False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(size)
    labels.show_value = True  # explicit: LibreOffice hides the values of points left to the default
    for point, bar in zip(plot.series[0].points, spec.bars, strict=True):
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(bar.fill)
        if bar.role != "peer":
            point.data_label.font.bold = True
            point.data_label.font.size = Pt(size)
            point.data_label.position = XL_LABEL_POSITION.OUTSIDE_END
            dlbl = point.data_label._dLbl
            if dlbl is not None and dlbl.find(qn("c:numFmt")) is None:
                # A point's own label does not inherit the series' number format (CT_DLbl order:
                # idx, layout, tx, numFmt, spPr…): French separators and unit on the bold ones too.
                num = dlbl.makeelement(qn("c:numFmt"), {"formatCode": fmt, "sourceLinked": "0"})
                dlbl.find(qn("c:spPr")).addprevious(num)
    # Naming points creates a series-level label block that hides the others' values: show them.
    own = plot.series[0].data_labels
    own.show_value = True
    own.number_format, own.number_format_is_linked = fmt, False
    own.position = XL_LABEL_POSITION.OUTSIDE_END
    own.font.size = Pt(size)


def _title_slide(slide, deck: Deck, s: Slide) -> None:
    lang = deck.choices.lang
    _title(slide, s.title, MARGIN, Inches(1.2), WIDTH - 2 * MARGIN, Inches(1.6), 40, s.subtitle, 22)
    items = [(t("deck.agenda", lang), 18, True, INK)] + [
        (f"• {item}", 16, False, INK) for item in s.items[:12]
    ]
    if len(s.items) > 12:
        items.append((f"• {t('deck.more', lang, n=len(s.items) - 12)}", 16, False, INK))
    _text(slide, MARGIN, Inches(3.0), WIDTH - 2 * MARGIN, Inches(3.6), items)
    if s.message:
        _text(slide, MARGIN, Inches(6.35), WIDTH - 2 * MARGIN, Inches(0.4), [(s.message, 12, False, MUTED)])


def _indicator_slide(slide, s: Slide) -> None:
    parts = [s.subtitle, s.chart.caption if s.chart else "", s.chart.note if s.chart else ""]
    _title(
        slide,
        s.title,
        MARGIN,
        Inches(0.25),
        WIDTH - 2 * MARGIN,
        Inches(0.9),
        26,
        " · ".join(p for p in parts if p),
    )
    _text(
        slide,
        MARGIN,
        Inches(1.3),
        WIDTH - 2 * MARGIN,
        Inches(1.0),
        [(s.message, 19, True, INK)] + [(d, 13, False, MUTED) for d in s.details],
    )
    top = Inches(2.55 if s.details else 2.35)
    if s.chart:
        _chart(slide, s.chart, MARGIN, top, WIDTH - 2 * MARGIN, HEIGHT - top - Inches(0.75))
        if s.chart.missing:
            _text(
                slide,
                MARGIN,
                HEIGHT - Inches(0.95),
                WIDTH - 2 * MARGIN,
                Inches(0.3),
                [(s.chart.missing_text, 10, False, MUTED)],
            )


def _sources_slide(slide, s: Slide) -> None:
    _title(slide, s.title, MARGIN, Inches(0.35), WIDTH - 2 * MARGIN, Inches(0.8), 30)
    size = 13 if len(s.items) <= 8 else 11
    _text(
        slide,
        MARGIN,
        Inches(1.25),
        WIDTH - 2 * MARGIN,
        Inches(4.6),
        [(f"• {item}", size, False, INK) for item in s.items] + [(s.message, 12, False, MUTED)],
    )


def _language(slide, tag: str) -> None:
    """Mark every text run of ``slide`` and its notes as written in ``tag`` (``lang`` of ``a:rPr``)."""
    for part in (slide, slide.notes_slide):
        for r_pr in part._element.iter(qn("a:rPr"), qn("a:endParaRPr")):
            r_pr.set("lang", tag)
        for run in part._element.iter(qn("a:r")):
            if run.find(qn("a:rPr")) is None:
                run.insert(0, run.makeelement(qn("a:rPr"), {"lang": tag}))


def deck_pptx(deck: Deck) -> bytes:
    """The ``.pptx`` bytes of ``deck`` (title, one slide per indicator, sources)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(WIDTH), Emu(HEIGHT)
    layout = prs.slide_layouts[5]  # « Title Only »: every slide has a real title placeholder
    core = prs.core_properties
    lang = deck.choices.lang
    core.title, core.author = deck.title, observatory(lang)
    core.subject = t("deck.pptx_subject", lang)
    core.language = t("deck.language_tag", lang)
    for s in deck.slides:
        slide = prs.slides.add_slide(layout)
        _band(slide)
        if s.kind == "title":
            _title_slide(slide, deck, s)
        elif s.kind == "indicator":
            _indicator_slide(slide, s)
        else:
            _sources_slide(slide, s)
        _footer(slide, deck, s)
        slide.notes_slide.notes_text_frame.text = s.notes
        if lang == "en":  # spelling and screen readers: the runs say their language (French by default)
            _language(slide, t("deck.language_tag", lang))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
