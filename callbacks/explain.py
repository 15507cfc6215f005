"""« D'où vient ce chiffre ? » (``/explication?indicateur=…&territoire=…&annee=…``): glue from the URL
to ``indicators.explain`` and the page layout (``layouts.explain``). The page is built on the server
in one go (no callback): the explanation of one value does not change while it is read.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from callbacks import common, data
from callbacks.engine import get_engine
from callbacks.registry import Page, PageError, PageResult, Request, register
from indicators import explain as explain_api
from indicators import recipe
from indicators.aggregate import PeriodError
from indicators.datasets import source_vintage
from indicators.formatting import fmt_number, fmt_value
from indicators.geo import TerritoryError
from layouts import explain as view_layout
from layouts.i18n import t
from layouts.links import explain_api_href


def _number(x: float | None, lang: str) -> str:
    if x is None:
        return ""
    return fmt_number(x, 0 if abs(x) >= 100 or float(x).is_integer() else 2, lang)


def _status(status: str, lang: str) -> str:
    words = {
        "ok": ("ok", "ok"),
        "suspect": ("à vérifier", "to check"),
        "secret": ("secret statistique", "statistical secret"),
        "missing": ("non disponible", "not available"),
    }.get(status, (status, status))
    return words[0] if lang == "fr" else words[1]


def view(body: dict[str, Any], lang: str) -> dict[str, Any]:
    """Display-ready texts and rows of an explanation (numbers formatted in the page language)."""
    ind, terr = body["indicator"], body["territory"]
    with_den = ind["formula"]["kind"] in ("ratio", "change")
    header = [t("col.territory", lang), t("col.code", lang), t("xp.numerator", lang)]
    header += [t("xp.denominator", lang)] if with_den else []
    header += [t("col.value", lang), t("col.status", lang), t("xp.used", lang)]
    rows = []
    for m in body["members"]:
        row = [m["name"], m["code"], _number(m["numerator"], lang)]
        row += [_number(m["denominator"], lang)] if with_den else []
        row += [
            fmt_value(m["value"], ind["unit"], ind["decimals"], lang, status=m["status"]),
            _status(m["status"], lang),
            t("xp.yes" if m["covered"] else "xp.no", lang),
        ]
        rows.append(row)
    args = (ind["id"], terr["code"], body["year"])
    sources = [
        {
            "title": s.get(f"title_{lang}") or s["id"],
            "producer": s.get("producer") or "",
            # « RP2022, état civil … » is French: the source's ``vintage_en`` in English
            "vintage": source_vintage(s["id"], lang, s.get("vintage") or ""),
            "licence": s.get("licence") or "",
            "licence_url": s.get("licence_url"),
            "page_url": s.get("page_url"),
            "credit": s.get(f"credit_{lang}") or "",
            "files": [
                {
                    **f,
                    "loaded": pd.Timestamp(f["loaded_at"]).strftime(
                        "%d/%m/%Y %H:%M" if lang == "fr" else "%Y-%m-%d %H:%M"
                    ),
                }
                for f in s["files"]
            ],
        }
        for s in body["sources"]
    ]
    flags = [f"{f['code'] or ''} {f['variable'] or ''} {f['year'] or ''} — {f['kind']} : {f['message']}".strip()
             for f in body["flags"]]  # fmt: skip
    harmonisation = body["text"][lang]["harmonisation"] + [
        f"{f['code'] or ''} {f['variable'] or ''} {f['year'] or ''} — {f['kind']} : {f['message']}".strip()
        for f in body["harmonisation"]
    ]
    return {
        "label": ind[f"label_{lang}"],
        "definition": ind[f"definition_{lang}"],
        "territory": f"{data.name(terr['code'], lang) if lang == 'en' else terr['name']} ({terr['code']})",
        "year": body["year"],
        "formula": body["text"][lang]["formula"],
        "status": body["text"][lang]["status"],
        "header": header,
        "rows": rows,
        "caption": t("xp.inputs_caption", lang, n=len(rows)),
        "csv_href": explain_api_href(*args, fmt="csv", lang=lang),
        "json_href": explain_api_href(*args, lang=lang),
        "sources": sources,
        "harmonisation": harmonisation,
        "flags": flags,
        "script": recipe.script(body),
        "script_href": explain_api_href(*args, fmt="py", lang=lang),
        "script_reason": body["script"][f"reason_{lang}"],
        "back": f"/indicateurs/{ind['id']}" + common.q(lang),
    }


def build(req: Request) -> PageResult:
    lang = req.lang
    ind = common.check_indicator(req.query.get("indicateur"), lang)
    year = common.check_year(ind, req.query.get("annee"), lang)
    territory = req.query.get("territoire") or data.home().code  # the configured home by default
    try:
        body = explain_api.explain(get_engine(), ind.id, territory, int(year))
    except TerritoryError:
        raise PageError(
            t("xp.territory_error", lang, value=territory), common.catalogue_links(lang)
        ) from None
    except PeriodError as exc:
        raise PageError(str(exc), common.catalogue_links(lang)) from None
    return PageResult(view_layout.layout(lang, view(body, lang)), t("xp.title", lang))


register(Page(key=view_layout.PAGE, path="/explication", build=build, order=70))
