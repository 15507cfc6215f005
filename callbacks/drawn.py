"""What a comparison chart draws, for its data table and its downloads (issue #9.3).

A count compared across places of very different sizes is drawn per 1,000 inhabitants (bars:
``figures.compare.bar_values``), as an index base 100 (trends) or as its change over one year
(monthly trends: ``figures.series.comparable_series``). The card's ``<details>`` table and its
CSV/XLSX carry those same values, their unit in words and the count beside them, so that a reader
finds in the file what the chart shows. Values drawn as published (rates, medians…) leave the
export unchanged. ``bars_file``/``series_file`` are the download views of ``callbacks.exports``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from callbacks import cards, common, data
from callbacks.exports import Export
from config.texts import by_name
from figures import compare
from figures.base import Measure
from figures.charts import per_1000_measure
from figures.series import comparable_series
from layouts.i18n import t

#: kind of view → unit code of the file (words in ``layouts.i18n``: ``unit.<code>``)
UNITS = {"per_1000": "per_1000_inhabitants", "index": "index_base100", "yoy": "change_1y"}
_COLS = by_name("dlcol.")  # config/texts/downloads.yaml
RAW, BASE = _COLS["raw"], _COLS["base_year"]
#: decimals of the values drawn (per 1,000 inhabitants, index, change in %)
DRAWN_DECIMALS = 1


@dataclass(frozen=True)
class Drawn:
    """A card's values as its chart draws them: the file's table (``export``), the figure frame
    (``code``, ``name``, ``year``…, ``value`` drawn, ``raw`` count), the format of the values drawn
    and of the counts, and the kind of view (``""`` when the values are drawn as published)."""

    export: Export
    frame: pd.DataFrame
    measure: Measure
    raw_measure: Measure
    kind: str = ""


def _measure(export: Export, lang: str) -> Measure | None:
    ind_col = common.COLS[lang]["indicator"]
    if export.frame.empty or ind_col not in export.frame.columns:
        return None
    return data.measure(data.indicator(str(export.frame[ind_col].iloc[0])), lang, export.source_ids)


def _file(export: Export, lang: str, frame: pd.DataFrame, kind: str, base_year: int | None) -> Export:
    """The export's table with the values drawn, their unit and the count beside them."""
    cols = common.COLS[lang]
    out = export.frame.copy()
    if len(out) != len(frame):  # only the places of the same order of size are drawn
        out = out[out[cols["code"]].isin(set(frame["code"]))]
    out[cols["value"]] = frame["value"].to_numpy()
    out[cols["unit"]] = UNITS[kind]
    at = list(out.columns).index(cols["unit"]) + 1
    out.insert(at, RAW[lang], frame["raw"].to_numpy())
    if base_year is not None:
        out.insert(at + 1, BASE[lang], base_year)
    return dataclasses.replace(
        export, frame=out.reset_index(drop=True), column_decimals={cols["value"]: DRAWN_DECIMALS}
    )


def bars(export: Export, lang: str) -> Drawn:
    """The values of a comparison of places (``figures.charts.compare_bars``, same population)."""
    m = _measure(export, lang)
    frame = common.frame_back(export, lang)
    if m is None:
        return Drawn(export, frame, Measure("", "", "ratio"), Measure("", "", "ratio"))
    view, kind = compare.bar_values(frame, m.unit, cards.population(frame))
    if kind != "per_1000":  # « same scale » drops places only when no population is known
        return Drawn(export, frame, m, m)
    return Drawn(_file(export, lang, view, kind, None), view, per_1000_measure(m), m, kind)


def series(export: Export, lang: str) -> Drawn:
    """The values of a trend (``figures.series.series``): an index or the change over one year."""
    m = _measure(export, lang)
    frame = common.frame_back(export, lang)
    if m is None:
        return Drawn(export, frame, Measure("", "", "ratio"), Measure("", "", "ratio"))
    view, measure, _ = comparable_series(frame, m)
    if measure is m:
        return Drawn(export, frame, m, m)
    monthly = "month" in frame.columns and bool((frame["month"].fillna(0) > 0).any())
    kind, base_year = ("yoy", None) if monthly else ("index", compare.index_base100(frame)[1])
    return Drawn(_file(export, lang, view, kind, base_year), view, measure, m, kind)


def bars_file(export: Export, lang: str) -> Export:
    """Download view of a comparison card (``callbacks.exports.download(…, view=…)``)."""
    return bars(export, lang).export


def series_file(export: Export, lang: str) -> Export:
    """Download view of a trend card."""
    return series(export, lang).export


def table(
    d: Drawn,
    lang: str,
    caption: str,
    year: bool = False,
    link: Callable[[str, str, Any], Any] | None = None,
) -> Any:
    """The card's text alternative: territory, (vintage), the value drawn with its unit, and the
    count beside it when the chart does not draw the count. ``link(text, code, year)`` wraps the
    published value (the count, or the value itself) in a link (« D'où vient ce chiffre ? »)."""
    header = [t("col.territory", lang)] + ([t("col.year", lang)] if year else [])
    if d.kind:
        unit = t(f"unit.{UNITS[d.kind]}", lang)
        header += [t("col.drawn", lang, unit=unit), t("col.count", lang)]
    else:
        header.append(t("col.value", lang))
    rows = []
    for rec in d.frame.to_dict("records"):
        when = rec.get("year")
        when = "" if when is None or pd.isna(when) else int(when)
        published = d.raw_measure.fmt(rec["raw"] if d.kind else rec.get("value"))
        if link is not None:
            published = link(published, str(rec.get("code", "")), when)
        row: list[Any] = [str(rec.get("name", ""))] + ([str(when)] if year else [])
        row += [d.measure.fmt(rec.get("value")), published] if d.kind else [published]
        rows.append(row)
    return cards.alt_table(header, rows, caption)
