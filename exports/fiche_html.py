"""The fiche (communale or territoriale) as an HTML page printed to a tagged PDF (``exports.tagged``): the same two
A4 pages, content and figures as the reportlab drawing of ``exports.fiche`` (which stays the
fallback when no browser is available), with a structure screen readers can follow: one ``h1``,
headings per part, the key figures as a real table (header row, section rows), the locator map
as an image with its alternative text, and the document's title and language (``lang="en"``
for an English fiche, ``?lang=en``).
"""

from __future__ import annotations

import re
from html import escape

from config.texts import t
from exports.attribution import dataset_list, licence_line, observatory
from exports.charts import COLOURS, GRID, INK, MUTED
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
    table_note,
)
from exports.profile_model import Profile, label_of
from exports.svg import map_svg
from indicators.datasets import indicator_datasets

CSS = f"""
@page {{ size: A4; margin: 0; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; color: {INK}; }}
.page {{ width: 210mm; height: 297mm; position: relative; padding: 0 12.7mm; overflow: hidden;
  page-break-after: always; break-after: page; }}
.page:last-child {{ page-break-after: auto; break-after: auto; }}
header {{ background: {COLOURS["reference"]}; color: #fff; margin: 0 -12.7mm; padding: 6mm 12.7mm 4mm;
  border-bottom: 1.4mm solid {COLOURS["focus"]}; }}
h1 {{ font-size: 26pt; margin: 0 0 2mm; }}
header p {{ margin: 0 0 1mm; font-size: 10pt; }} header p.ident {{ font-size: 9pt; color: #E5E7EB; }}
h2 {{ font-size: 13pt; margin: 4mm 0 2mm; }} h3 {{ font-size: 11pt; margin: 3mm 0 1mm; }}
.top {{ display: flex; gap: 6mm; margin-top: 5mm; }} .top .messages {{ flex: 1; }}
.messages p {{ font-size: 9.5pt; line-height: 1.25; margin: 0 0 2mm; }}
figure {{ margin: 0; width: 67mm; }} figcaption, .muted {{ color: {MUTED}; font-size: 6.8pt; }}
.legend {{ list-style: none; padding: 0; margin: 1mm 0; font-size: 7.5pt; }}
.legend span {{ display: inline-block; width: 3mm; height: 3mm; margin-right: 1.5mm; border: 0.2mm solid {GRID}; }}
table {{ width: 100%; border-collapse: collapse; font-size: 7.2pt; }}
th, td {{ padding: 0.55mm 1mm; border-bottom: 0.1mm solid {GRID}; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
thead th {{ background: {COLOURS["reference"]}; color: #fff; font-size: 7.5pt; }}
tbody td:nth-child(2) {{ background: #F3F4F6; font-weight: bold; }}
tr.section th {{ color: {COLOURS["focus"]}; font-size: 8.5pt; text-align: left; padding-top: 1.5mm; }}
.small {{ font-size: 8pt; line-height: 1.25; margin: 0 0 0.8mm; }} .defs p {{ font-size: 7.5pt; margin: 0 0 0.7mm; }}
footer {{ position: absolute; left: 12.7mm; right: 12.7mm; bottom: 7mm; font-size: 6.8pt; color: {MUTED};
  display: flex; justify-content: space-between; gap: 6mm; }}
footer span:last-child {{ white-space: nowrap; }}
"""


def _footer(p: Profile, page: int) -> str:
    number = escape(t("fiche.page", p.lang, n=page))
    return f"<footer><span>{escape(footer_text(p))}</span><span>{number}</span></footer>"


def _map(p: Profile) -> str:
    if not p.has_map:  # issue #11: no shapes loaded for its communes, no empty figure
        return ""
    legend = "".join(f'<li><span style="background:{c}"></span>{escape(t)}</li>' for c, t in p.map_legend())
    return (
        f"<figure>{map_svg(p.shapes, p.map_styles(), 254, 233, p.map_alt())}"
        f'<ul class="legend" aria-label="{escape(t("fiche.legend_label", p.lang))}">{legend}</ul>'
        f"<figcaption>{escape(p.map_credit)}</figcaption></figure>"
    )


def _table(p: Profile) -> str:
    lang = p.lang
    heads = column_heads(p)
    number = _numbers(p)
    cols = len(heads) + 3
    out = ['<table><caption class="muted" style="caption-side:bottom;text-align:left">']
    out.append(f"{escape(table_note(p))}</caption><thead><tr>")
    heads = [t("fiche.col_indicator", lang), *heads, t("fiche.col_period", lang), t("fiche.col_src", lang)]
    out += [f'<th scope="col">{escape(h)}</th>' for h in heads]
    out.append("</tr></thead><tbody>")
    for title, facts in p.sections:
        out.append(f'<tr class="section"><th scope="rowgroup" colspan="{cols}">{escape(title)}</th></tr>')
        for f in facts:
            by_code = {r.place.code: r for r in f.references}
            cells = [_cell(f, f.focus, lang)] + [_cell(f, by_code.get(r.code), lang) for r in p.references]
            refs = ",".join(str(number[d]) for d in indicator_datasets(f.indicator) if d in number)
            row = [f'<th scope="row" style="font-weight:normal">{escape(_label(f.indicator, lang))}</th>']
            row += [f"<td>{escape(c)}</td>" for c in (*cells, _period(f, lang), refs)]
            out.append("<tr>" + "".join(row) + "</tr>")
    return "".join(out) + "</tbody></table>"


PAGE_ROOM_MM = 262  # A4 height less the top padding and the footer
#: Page 1 must stay one page above its footer: a territory's table has more columns (its rows wrap)
#: and longer key messages. Run by Chromium before printing (the page has the printed width):
#: the table's text shrinks down to 5.8 pt, then the last key messages go (as the reportlab
#: drawing does: « as many as fit »).
FIT_SCRIPT = """(function () {
  var page = document.querySelector('.page'), foot = page.querySelector('footer');
  var table = page.querySelector('table'), caption = table.querySelector('caption');
  var messages = page.querySelectorAll('.messages p'), n = messages.length, size = 7.2;
  function over() {
    var bottom = Math.max(table.getBoundingClientRect().bottom, caption.getBoundingClientRect().bottom);
    return bottom > foot.getBoundingClientRect().top - 4;
  }
  while (over() && size > 5.8) { size -= 0.2; table.style.fontSize = size.toFixed(1) + 'pt'; }
  while (over() && n > 1) { messages[--n].remove(); }
})();"""


def _lines(text: str, per_line: int) -> int:
    plain = re.sub(r"<[^>]+>", "", text)
    return max(1, -(-len(plain) // per_line))


def fiche_html(p: Profile) -> str:
    """The fiche's HTML page (two A4 pages; see the module docstring)."""
    lang = p.lang
    messages = "".join(f"<p>{escape(s)}</p>" for s in p.highlights)
    page1 = (
        f'<section class="page"><header><h1>{escape(p.name)}</h1>'
        f"<p>{escape(p.heading)} · {escape(observatory(lang))}</p>"
        f"<p class='ident'>{escape(p.ident())}</p></header>"
        f'<div class="top"><div class="messages"><h2>{escape(t("fiche.essentials", lang))}</h2>{messages}</div>'
        f"{_map(p)}</div><h2>{escape(t('fiche.key_figures', lang))}</h2>{_table(p)}{_footer(p, 1)}</section>"
    )
    changes = changes_of(p)
    body = [f"<h2>{escape(t('fiche.page2_title', lang, name=p.name))}</h2>"]
    if changes:
        body.append(f"<h3>{escape(t('fiche.changes', lang))}</h3>")
        body += [f'<p class="small">{escape(label_of(f, lang))} — {escape(m)}</p>' for f, m in changes]
    body.append(f"<h3>{escape(t('fiche.sources', lang))}</h3>")
    body += [
        f'<p class="small">[{i}] {escape(text)}</p>'
        for i, (_, text) in enumerate(dataset_list(all_facts(p), lang), 1)
    ]
    if line := licence_line(p.credits, lang):
        body.append(f'<p class="small"><b>{escape(line)}</b></p>')
    if p.map_credit:
        body.append(f'<p class="small">{escape(p.map_credit)}</p>')
    body.append(
        f'<h3>{escape(t("fiche.method", lang))}</h3><p class="small">{escape(t("fiche.method_text", lang))}</p>'
        f'<p class="small">{escape(_explain_line(p))}</p>'
    )
    body.append(f'<h3>{escape(t("fiche.definitions", lang))}</h3><div class="defs">')
    # Always two pages: the definitions stop (with a pointer to the catalogue) before the footer.
    # Heights are estimated from the text lengths (mm; ~135 characters a line at 8 pt, 150 at 7.5 pt).
    used = 12 + 8 * (4 + bool(changes)) + sum(_lines(x, 135) * 3.6 + 0.8 for x in body if "small" in x)
    room = PAGE_ROOM_MM - used
    for _, fs in p.sections:
        for f in fs:
            name, text, colon = label_of(f, lang), definition(f, lang), " :" if lang == "fr" else ":"
            item = f"<p><b>{escape(name)}</b>{colon} {escape(text)}</p>"
            room -= _lines(f"{name}{colon} {text}", 150) * 3.4 + 0.7
            if room < 6:
                body.append(f'<p class="muted">{escape(t("fiche.definitions_more", lang))}</p>')
                break
            body.append(item)
        else:
            continue
        break
    body.append("</div>")
    page2 = f'<section class="page" style="padding-top:8mm">{"".join(body)}{_footer(p, 2)}</section>'
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(p.title)}</title>'
        f'<meta name="author" content="{escape(observatory(lang))}">'
        f'<meta name="subject" content="{escape(p.subject)}">'
        f"<style>{CSS}</style></head><body><main>{page1}{page2}</main><script>{FIT_SCRIPT}</script></body></html>"
    )
