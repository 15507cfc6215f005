"""Wording of an explanation (pure): the formula with its numbers, the status, the harmonisation,
in French and English, and the CSV of the inputs (``indicators.explain`` builds the dict).

« 12,8 % = 45 932 chômeurs de 15 à 64 ans ÷ 357 646 actifs de 15 à 64 ans, somme des 24 communes »
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from config.texts import words
from indicators.datasets import source_vintage
from indicators.formatting import fmt_number, fmt_value

UNIT_SCALE = {"percent": 100.0}  # a percentage carries its × 100 in its unit sign

#: language → name → text: the ``xw.*`` keys of ``config/texts/explain.yaml``
WORDS = words("xw.")


def _num(x: float | None, lang: str) -> str:
    if x is None or not math.isfinite(x):
        return "n.d." if lang == "fr" else "n/a"
    decimals = 0 if abs(x) >= 100 or float(x).is_integer() else 2
    return fmt_number(x, decimals, lang, plain=True)


def _label(body: dict[str, Any], variable: str, lang: str) -> str:
    text = body["indicator"]["variable_labels"].get(variable, {}).get(lang, variable)
    # « Chômeurs de 15 à 64 ans » → « chômeurs … » inside a sentence (not acronyms like « DEFM »)
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def _expression(body: dict[str, Any], role: str, lang: str) -> str:
    terms = body["terms"].get(role) or []
    parts = []
    for i, term in enumerate(terms):
        text = f"{_num(term['sum'], lang)} {_label(body, term['variable'], lang)}"
        coef = abs(term["coef"])
        if coef != 1:
            text = f"{coef:g} × {text}"
        sign = "−" if term["coef"] < 0 else "+"
        parts.append(text if i == 0 and sign == "+" else f"{sign} {text}")
    text = " ".join(parts)
    return f"({text})" if len(terms) > 1 else text


def formula(body: dict[str, Any], lang: str) -> str:
    """The formula with the numbers of this value filled in (or how the value was obtained)."""
    w = WORDS[lang]
    res, ind, terr = body["result"], body["indicator"], body["territory"]
    value = fmt_value(res["value"], ind["unit"], ind["decimals"], lang, plain=True, status=res["status"])
    method = res["method"]
    if method == "official":
        return f"{value} = {w['official'].format(name=terr['name'])}"
    if method == "commune":
        return (
            f"{value} = {w['commune']} ({terr['name']})"
            if ind["formula"]["kind"] == "value"
            else (f"{value} = {_filled(body, lang)}")
        )
    if method != "sum":
        return value
    n, total = res["n_covered"], res["n_members"]
    scope = w["sum_all" if n == total else "sum_partial"].format(n=n, total=total)
    terms = body["terms"].get("numerator") or []
    if ind["formula"]["kind"] == "count" and len(terms) == 1:  # « 725 207 = somme des 24 communes (…) »
        return f"{value} = {scope} ({_label(body, terms[0]['variable'], lang)})"
    return f"{value} = {_filled(body, lang)}, {scope}"


def _filled(body: dict[str, Any], lang: str) -> str:
    """``45 932 chômeurs ÷ 357 646 actifs`` with the scale and the change arithmetic."""
    ind = body["indicator"]
    f = ind["formula"]
    num = _expression(body, "numerator", lang)
    if f["kind"] in ("count", "value"):
        return num
    den = _expression(body, "denominator", lang)
    scale = f["scale"] / UNIT_SCALE.get(ind["unit"], 1.0)
    prefix = f"{fmt_number(scale, 0, lang, plain=True)} × " if scale != 1 else ""
    if f["kind"] == "ratio":
        return f"{prefix}{num} ÷ {den}"
    (y1, _), (y0, _) = body["periods"]["numerator"], body["periods"]["denominator"]
    w = WORDS[lang]
    ratio = f"{num} {w['in']} {y1} ÷ {den} {w['in']} {y0}"
    if f.get("annualised"):
        return f"(({ratio})^(1/{y1 - y0}) − 1) × 100"
    return f"({ratio} − 1) × 100"


def status(body: dict[str, Any], lang: str) -> str:
    """Complete, partial n/N, not aggregable and why, published value used, or missing."""
    w = WORDS[lang]
    res, ind = body["result"], body["indicator"]
    n, total = res["n_covered"], res["n_members"]
    label = ind["label_fr"] if lang == "fr" else ind["label_en"]
    if res["method"] == "official":
        why = w["official_na"] if not ind["aggregable"] else w["official_incomplete"].format(n=n, total=total)
        return w["official_status"].format(why=why)
    if res["status"] == "not_aggregable":
        return w["not_aggregable"].format(label=label)
    if res["method"] == "commune":
        return w["single"].format(status=res["status"])
    if res["status"] == "partial":
        left = ", ".join(f"{m['name']} ({m['code']}, {_why(m, lang)})" for m in body["left_out"])
        return w["partial"].format(n=n, total=total, left=left)
    if res["method"] == "sum":
        return w["complete"].format(n=n, total=total) + (w["suspect"] if res["status"] == "suspect" else "")
    return w["missing"].format(why=res.get("reason") or w["no_value"])


def _why(member: dict[str, Any], lang: str) -> str:
    return WORDS[lang]["secret" if member["status"] == "secret" else "no_value"]


def harmonisation(body: dict[str, Any], lang: str) -> list[str]:
    """Sentences for the merged communes and the Paris rule that apply to this value."""
    w = WORDS[lang]
    out = [w["merged"].format(old=old, new=new) for old, new in sorted(body.get("merged", {}).items())]
    if body.get("paris_rule"):
        out.append(w["paris"])
    return out


def texts(body: dict[str, Any], lang: str) -> dict[str, Any]:
    """Every sentence of the explanation in one language."""
    return {
        "formula": formula(body, lang),
        "status": status(body, lang),
        "harmonisation": harmonisation(body, lang),
    }


INPUT_COLUMNS = ["code", "name", "numerator", "denominator", "value", "status", "covered"]


def inputs_csv(body: dict[str, Any], lang: str, url: str) -> str:
    """The member rows (numerator, denominator, value, each variable read) with ``#`` metadata lines:
    label, definition, formula, status, credits, licences, vintages, files with sha256, API URL."""
    ind = body["indicator"]
    out = io.StringIO()
    out.write(f"# {ind['label_fr'] if lang == 'fr' else ind['label_en']} ({ind['id']})\n")
    out.write(f"# {ind['definition_fr'] if lang == 'fr' else ind['definition_en']}\n")
    out.write(f"# {body['territory']['name']} ({body['territory']['code']}), {body['year']}\n")
    out.write(f"# {body['text'][lang]['formula']}\n# {body['text'][lang]['status']}\n")
    for src in body["sources"]:
        out.write(
            f"# {src.get('credit_fr' if lang == 'fr' else 'credit_en')} | "
            f"vintage: {source_vintage(str(src.get('id')), lang, src.get('vintage') or '')} | "
            f"licence: {src.get('licence')} {src.get('licence_url') or ''} | {src.get('page_url') or ''}\n"
        )
        for f in src["files"]:
            out.write(
                f"# file: {f['path']} sha256={f['sha256']} loaded {f['loaded_at']} | {f['url'] or ''}\n"
            )
    out.write(f"# API: {url}\n")
    keys = list(dict.fromkeys(f"{i['variable']}_{i['year']}" for m in body["members"] for i in m["inputs"]))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*INPUT_COLUMNS, *keys, "sources"])
    for m in body["members"]:
        by_key = {f"{i['variable']}_{i['year']}": i for i in m["inputs"]}
        cells = ["" if m[c] is None else m[c] for c in INPUT_COLUMNS]
        cells += [_cell(by_key.get(k)) for k in keys]
        cells.append(",".join(sorted({i["source"] for i in m["inputs"]})))
        writer.writerow(cells)
    return out.getvalue()


def _cell(item: dict[str, Any] | None) -> Any:
    if item is None:
        return ""
    return item["value"] if item["value"] is not None else item["status"]
