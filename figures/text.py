"""Text from data (pure): rows of the accessible tables behind each chart, the trend arrow of a key
figure, the plain-language summary of a commune profile (its most notable gaps with the MGP), and
the accessible name of a chart or map (``describe``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from figures.base import Measure


def value_rows(
    frame: pd.DataFrame, measure: Measure, columns: tuple[str, ...] = ("name", "value")
) -> list[list[str]]:
    """Formatted cells of ``frame``: ``value`` columns in the indicator's format, others as text."""
    out = []
    for rec in frame.to_dict("records"):
        row = []
        for col in columns:
            val = rec.get(col)
            if col == "value":
                row.append(measure.fmt(val))
            elif col == "year" and val is not None and not pd.isna(val):
                row.append(str(int(val)))
            else:
                row.append("" if val is None or (isinstance(val, float) and math.isnan(val)) else str(val))
        out.append(row)
    return out


@dataclass(frozen=True)
class Trend:
    """Direction of a change between two vintages: ``up``, ``down`` or ``flat``, with its arrow."""

    direction: str
    delta: float
    base_year: int

    @property
    def arrow(self) -> str:
        return {"up": "↗", "down": "↘"}.get(self.direction, "→")


def trend(value: float | None, base: float | None, base_year: int, decimals: int = 1) -> Trend | None:
    """The trend from ``base`` (at ``base_year``) to ``value``; flat when the rounded change is 0."""
    if value is None or base is None or not (math.isfinite(value) and math.isfinite(base)):
        return None
    delta = value - base
    if round(delta, decimals) == 0:
        return Trend("flat", delta, base_year)
    return Trend("up" if delta > 0 else "down", delta, base_year)


@dataclass(frozen=True)
class Gap:
    """One indicator of a commune beside the metropolis: value, MGP value, spread of MGP communes."""

    measure: Measure
    value: float
    reference: float
    spread: float  # standard deviation of the indicator over the MGP communes
    rank: int | None = None
    n: int | None = None

    @property
    def score(self) -> float:
        """Size of the gap in standard deviations (0 when undefined)."""
        if not (math.isfinite(self.value) and math.isfinite(self.reference)) or not self.spread:
            return 0.0
        return (self.value - self.reference) / self.spread


def notable_gaps(gaps: list[Gap], limit: int = 4, threshold: float = 0.5) -> list[Gap]:
    """The ``limit`` largest gaps (in standard deviations) above ``threshold``, largest first."""
    ranked = sorted((g for g in gaps if abs(g.score) >= threshold), key=lambda g: -abs(g.score))
    return ranked[:limit]


def _rank_text(gap: Gap, lang: str) -> str:
    if gap.rank is None or gap.n is None:
        return ""
    if lang == "en":
        suffix = "th" if 10 <= gap.rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(gap.rank % 10, "th")
        return f"; ranked {gap.rank}{suffix} of {gap.n} communes"
    return f" ; {gap.rank}{'er' if gap.rank == 1 else 'e'} rang sur {gap.n} communes"


def gap_sentence(gap: Gap, lang: str = "fr", reference_name: str = "") -> str:
    """« Taux de chômage : 15,2 %, nettement au-dessus de la Métropole (11,1 %) ; 12e … »."""
    m = gap.measure
    strong = abs(gap.score) >= 1.5
    above = gap.score > 0
    if lang == "en":
        ref = reference_name or "the metropolis"
        how = ("well " if strong else "") + ("above" if above else "below")
        return f"{m.label}: {m.fmt(gap.value)}, {how} {ref} ({m.fmt(gap.reference)}){_rank_text(gap, lang)}."
    ref = reference_name or "la Métropole"
    how = ("nettement " if strong else "") + ("au-dessus de" if above else "en dessous de")
    return f"{m.label} : {m.fmt(gap.value)}, {how} {ref} ({m.fmt(gap.reference)}){_rank_text(gap, lang)}."


def profile_summary(gaps: list[Gap], place: str, lang: str = "fr", limit: int = 4) -> tuple[str, list[str]]:
    """An introduction and one sentence per notable gap of a commune profile.

    ``place``: the commune's name. Returns (intro, sentences); with no notable gap, a sentence says
    the commune is close to the metropolis on every indicator.
    """
    top = notable_gaps(gaps, limit)
    if lang == "en":
        if not top:
            return f"{place} is close to the metropolis average on every indicator shown.", []
        return f"Compared with the Greater Paris metropolis, {place} stands out most on:", [
            gap_sentence(g, "en") for g in top
        ]
    if not top:
        return f"{place} est proche de la moyenne métropolitaine sur tous les indicateurs présentés.", []
    return (
        f"Par rapport à la Métropole du Grand Paris, les écarts les plus marqués de {place} portent sur :",
        [gap_sentence(g, "fr") for g in top],
    )


# --- accessible names of charts and maps -------------------------------------------------------

_TAGS = re.compile(r"<[^>]+>")


def plain(text: Any) -> str:
    """``text`` without plotly's HTML tags, markers and line breaks."""
    return " ".join(_TAGS.sub(" ", str(text or "")).replace("▶", "").split())


def _listing(pairs: list[tuple[str, str]], lang: str, limit: int = 6) -> str:
    sep = " ; " if lang == "fr" else "; "
    colon = " : " if lang == "fr" else ": "
    shown = pairs if len(pairs) <= limit else [*pairs[: limit // 2], ("…", ""), *pairs[-(limit // 2) :]]
    return sep.join(f"{n}{colon}{v}" if v else n for n, v in shown)


def describe(fig: Any, lang: str = "fr") -> str:
    """A one-paragraph accessible name of a chart or map: its title and subtitle (indicator, place,
    year) and its main values, read from the figure itself (bars: each bar, the highest and lowest
    when there are many; lines: first and last values; maps: the summary their builder leaves in
    ``layout.meta``: classes and extremes). Works on a ``go.Figure`` or its dict."""
    d = fig.to_plotly_json() if hasattr(fig, "to_plotly_json") else dict(fig or {})
    layout = d.get("layout") or {}
    title = layout.get("title") or {}
    head = plain(title.get("text") if isinstance(title, dict) else title)
    sub = plain((title.get("subtitle") or {}).get("text") if isinstance(title, dict) else "")
    parts = [p for p in (head, sub) if p]
    view = plain((layout.get("meta") or {}).get("view") if isinstance(layout.get("meta"), dict) else "")
    if view:
        parts.append(view)
    for tr in d.get("data") or []:
        kind = tr.get("type")
        if kind == "bar":
            names = [plain(n) for n in tr.get("y") or []][::-1]  # top bar first
            texts = [plain(v) for v in tr.get("text") or []][::-1]
            parts.append(_listing(list(zip(names, texts, strict=False)), lang, limit=14))
        elif kind == "scatter" and (
            "lines" in str(tr.get("mode"))
            or (tr.get("meta") == "trend" and tr.get("showlegend") is not False)
        ):
            xs, texts = list(tr.get("x") or []), [plain(v) for v in tr.get("text") or []]
            if xs and texts:
                first, last = str(xs[0])[:7], str(xs[-1])[:7]  # a year, or a month « 2024-12 »
                colon = " : " if lang == "fr" else ": "
                if len(xs) == 1:  # one vintage: no « 2024 39,8 → 2024 39,8 »
                    values = f"{first} {texts[0]}"
                elif "lines" in str(tr.get("mode")):
                    values = f"{first} {texts[0]} → {last} {texts[-1]}"
                else:  # points not joined (census vintages too close to compare): each of them
                    values = ", ".join(f"{str(x)[:7]} {v}" for x, v in zip(xs, texts, strict=False))
                parts.append(f"{plain(tr.get('name'))}{colon}{values}")
        elif kind == "scatter" and "text" in str(tr.get("mode")):  # the commune of a strip
            texts = [plain(v) for v in tr.get("text") or []]
            hover = plain(str(tr.get("hovertemplate") or "").replace("<extra></extra>", ""))
            if texts:
                parts.append(hover or texts[0])
    summary = (layout.get("meta") or {}).get("summary") if isinstance(layout.get("meta"), dict) else ""
    if summary:
        parts.append(plain(summary))
    end = "." if parts else ""
    return (". ".join(p.rstrip(".") for p in parts if p) + end).strip()
