"""The deck as an HTML page printed to a tagged PDF (``exports.tagged``): one 16:9 page per slide,
the same slides, texts and bars as ``exports.pdf`` (reportlab, the fallback without a browser).
Its language is the deck's (``?lang=en``: ``<html lang="en">`` and every text in English).
Structure: the deck's title is the ``h1``, each slide's title an ``h2``, agendas and sources are
lists, and every chart is an image whose alternative text lists its bars and values.
"""

from __future__ import annotations

from html import escape

from exports.attribution import observatory
from exports.charts import COLOURS, INK, MUTED
from exports.deck import Deck, Slide
from exports.svg import bars_svg
from layouts.i18n import t

W, H = 960, 540  # points: 13.33 × 7.5 in, the PPTX slide size
CSS = f"""
@page {{ size: {W}pt {H}pt; margin: 0; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; color: {INK}; }}
section {{ width: {W}pt; height: {H}pt; position: relative; overflow: hidden; padding: 22pt 40pt 0;
  border-top: 6pt solid {COLOURS["focus"]}; page-break-after: always; break-after: page; }}
section:last-child {{ page-break-after: auto; break-after: auto; }}
h1 {{ font-size: 34pt; margin: 60pt 0 6pt; }} h2 {{ font-size: 22pt; margin: 0 0 2pt; }}
h2.big {{ font-size: 26pt; margin-bottom: 12pt; }}
.sub {{ color: {MUTED}; font-size: 13pt; margin: 0 0 10pt; }} .deck-sub {{ font-size: 18pt; margin-bottom: 24pt; }}
.message {{ font-size: 16pt; font-weight: bold; margin: 0 0 4pt; }}
.detail {{ color: {MUTED}; font-size: 11pt; margin: 0 0 2pt; }}
h3 {{ font-size: 15pt; margin: 0 0 4pt; }} ul {{ margin: 0; padding-left: 18pt; }}
li {{ font-size: 13pt; margin-bottom: 2pt; }} .sources li {{ font-size: 11pt; }}
.note {{ color: {MUTED}; font-size: 10pt; }} .missing {{ color: {MUTED}; font-size: 8.5pt; margin: 2pt 0 0; }}
footer {{ position: absolute; left: 40pt; right: 40pt; bottom: 12pt; color: {MUTED}; font-size: 8.5pt;
  display: flex; justify-content: space-between; align-items: flex-end; gap: 20pt; }}
footer span:first-child {{ flex: 1 1 auto; min-width: 0; }}
footer span:last-child {{ flex: none; white-space: nowrap; }}
"""


def _footer(deck: Deck, s: Slide) -> str:
    text = " · ".join(s.footer.splitlines()) or observatory(deck.choices.lang)
    return f"<footer><span>{escape(text)}</span><span>{s.number} / {len(deck.slides)}</span></footer>"


def _title(s: Slide, lang: str) -> str:
    items = "".join(f"<li>{escape(i)}</li>" for i in s.items[:14])
    when = f'<p class="note">{escape(s.message)}</p>' if s.message else ""
    return (
        f'<h1>{escape(s.title)}</h1><p class="sub deck-sub">{escape(s.subtitle)}</p>'
        f"<h3>{escape(t('deck.agenda', lang))}</h3><ul>{items}</ul>{when}"
    )


def _indicator(s: Slide) -> str:
    parts = [s.subtitle, s.chart.caption if s.chart else "", s.chart.note if s.chart else ""]
    out = [
        f"<h2>{escape(s.title)}</h2>",
        f'<p class="sub">{escape(" · ".join(p for p in parts if p))}</p>',
        f'<p class="message">{escape(s.message)}</p>',
        *(f'<p class="detail">{escape(d)}</p>' for d in s.details),
    ]
    if s.chart:
        # Room left for the chart: the page less the texts above (estimated) and the footer.
        used = 22 + 30 + 26 + 24 * (1 + len(s.message) // 95) + 16 * len(s.details)
        height = max(120, H - used - 70 - (14 if s.chart.missing else 0))
        out.append(bars_svg(s.chart, W - 80, height, size=13, unit="pt"))
        if s.chart.missing:
            out.append(f'<p class="missing">{escape(s.chart.missing_text)}</p>')
    return "".join(out)


def _sources(s: Slide) -> str:
    items = "".join(f"<li>{escape(i)}</li>" for i in s.items)
    return f'<h2 class="big">{escape(s.title)}</h2><ul class="sources">{items}</ul><p class="note">{escape(s.message)}</p>'


def deck_html(deck: Deck) -> str:
    """The deck's HTML page (see the module docstring)."""
    pages, lang = [], deck.choices.lang
    for s in deck.slides:
        body = (
            _title(s, lang) if s.kind == "title" else _indicator(s) if s.kind == "indicator" else _sources(s)
        )
        label = f' aria-label="{escape(t("deck.slide", lang, n=s.number))}"' if s.kind != "title" else ""
        pages.append(f"<section{label}>{body}{_footer(deck, s)}</section>")
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(deck.title)}</title>'
        f'<meta name="author" content="{escape(observatory(lang))}">'
        f"<style>{CSS}</style></head><body><main>{''.join(pages)}</main></body></html>"
    )
