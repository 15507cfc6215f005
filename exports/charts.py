"""The chart of a slide: a renderer-neutral spec (pure), drawn by every renderer.

One chart per indicator slide: horizontal bars sorted from the highest value down, each place in
its role's colour (``figures.roles``, as in the app's charts and maps: the place looked at, its
territory, its department, the metropolis; the peers — the other communes of the territory, or the
other territories — in the peer grey). The same ``ChartSpec`` is drawn by plotly
(``exports.chart_figure``: web slides, PNG/SVG through kaleido), by python-pptx as an editable
chart and by reportlab in the PDFs, so that every output shows the same bars in the same order.
Counts are not drawn next to the totals of larger places (a commune's jobs next to the MGP's
would flatten every bar): their chart shows the peers only. At most ``MAX_BARS`` bars, so that
every bar carries its name in an office suite too: the focus, its neighbours in the ranking and
the references (the note says the focus's rank).
"""

from __future__ import annotations

from dataclasses import dataclass

from config.texts import t, words
from exports.grammar_en import place_name
from exports.messages import period_text, value_text
from exports.model import Facts, Place, Reading
from figures.roles import ROLE_COLORS, palette
from indicators.catalogue import Indicator
from indicators.formatting import fmt_comparator
from layouts.i18n import ordinal

#: Accent colours of the export pages (bands, headers) and the fallback colour of a bar without a
#: code, taken from ``figures.roles`` (one colour per role in every chart, map, slide and export).
COLOURS = {
    "focus": ROLE_COLORS["commune"],
    "reference": ROLE_COLORS["metropolis"],
    "peer": ROLE_COLORS["peer"],
}
INK, MUTED, GRID = "#111827", "#4B5563", "#E5E7EB"
FONT_FAMILY = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
#: Bars of a slide chart at most: beyond this an office suite names only every other bar. A longer
#: list keeps the focus, its neighbours in the ranking (as many above as below) and the references.
MAX_BARS = 13
LABEL_CHARS = 26  # longest bar name kept on one line of a slide's axis
#: Unit above the bars, by language (``config/texts/deck.yaml``): « En % », « Per 1,000 ».
UNIT_CAPTIONS = words("deck.unit.")


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value, the value as printed, its role (focus, reference, peer), the
    place's code and its colour (``figures.roles``: the same as in the app's charts)."""

    label: str
    value: float
    text: str
    role: str
    code: str = ""
    color: str = ""

    @property
    def fill(self) -> str:
        """The bar's colour (its role's accent colour when it was built without a code)."""
        return self.color or COLOURS[self.role]


@dataclass(frozen=True)
class ChartSpec:
    """What every renderer draws (see the module docstring)."""

    title: str
    caption: str  # unit and period, e.g. « En %, 2022 »
    bars: tuple[Bar, ...]  # top to bottom
    unit: str
    decimals: int
    missing: tuple[str, ...] = ()  # places without a value (secret, missing…)
    source: str = ""  # credit lines and licence, one per line, printed under the chart
    note: str = ""  # when only the focus's rank neighbours are drawn: « … 4e sur 24 »
    missing_reasons: tuple[str, ...] = ()  # why each of ``missing`` has no value, in words (issue #14)
    lang: str = "fr"  # the language of its texts (and of the number formats of office charts)
    #: bars summed over part of their communes (value marked « * »): « * estimation partielle … »;
    #: also in ``note`` (printed by the PDF and PowerPoint slides), drawn under the plotly chart
    partial: str = ""

    @property
    def missing_text(self) -> str:
        """« Non disponible — secret statistique : A, B ; non calculable : C » (empty without any)."""
        if not self.missing:
            return ""
        reasons = self.missing_reasons or ("",) * len(self.missing)
        groups: dict[str, list[str]] = {}
        for name, why in zip(self.missing, reasons, strict=False):
            groups.setdefault(why, []).append(name)
        colon, semi = (": ", "; ") if self.lang == "en" else (" : ", " ; ")
        parts = [
            f"{why}{colon}{', '.join(names)}" if why else ", ".join(names) for why, names in groups.items()
        ]
        return t("deck.not_available", self.lang) + semi.join(parts)

    @property
    def alt(self) -> str:
        """A text alternative listing the bars (for screen readers and the PDF notes)."""
        colon = ": " if self.lang == "en" else " : "
        items = "; ".join(f"{b.label}{colon}{b.text}" for b in self.bars)
        miss = f" {self.missing_text}." if self.missing else ""
        note = f" {self.note}." if self.note else ""
        return f"{self.title} ({self.caption}).{note} {items}.{miss}"

    @property
    def number_format(self) -> str:
        """Excel number format of the values (PowerPoint charts)."""
        return "#,##0" + ("." + "0" * self.decimals if self.decimals else "")


def bar_label(place: Place, role: str, lang: str = "fr") -> str:
    """Label of a bar; comparison territories say what they are (« Territoire … »)."""
    if role == "reference" and place.level == "ept":
        if place.code == "T1":
            return "Paris (T1)"
        # One line on a slide's axis (a wrapped name makes office suites skip labels).
        long = t("deck.territory_bar", lang, name=place.name)
        return long if len(long) <= LABEL_CHARS else place.name
    if place.level == "group":
        return t("deck.selected", lang, n=len(place.members))
    return place_name(place) if lang == "en" else place.name


def caption(ind: Indicator, year: int, month: int = 0, base_year: int | None = None, lang: str = "fr") -> str:
    """« En %, 2022 », « Nombre, décembre 2024 », « En %, 2016-2022 » (« %, 2022 » in English)."""
    period = period_text(ind, year, month, base_year, lang)
    if lang == "en":
        period = period.removeprefix("in ").replace("between ", "").replace(" and ", "-")
    else:
        period = period.removeprefix("en ").replace("entre ", "").replace(" et ", "-")
    return f"{UNIT_CAPTIONS['en' if lang == 'en' else 'fr'].get(ind.unit, '')}, {period}"


def neighbours(
    focus: Reading, peers: list[Reading], room: int
) -> tuple[list[Reading], tuple[int, int] | None]:
    """The ``room - 1`` peers nearest ``focus`` in the ranking (highest value first), as many above
    as below where possible, and the focus's (rank, count) among focus and peers."""
    shown = sorted([p for p in peers if p.shown], key=lambda r: -float(r.value or 0))
    keep = max(0, room - 1)
    if not focus.shown:  # no place in the ranking: the top of it
        return shown[:keep], None
    ranked = sorted([focus, *shown], key=lambda r: -float(r.value or 0))
    at = next(i for i, r in enumerate(ranked) if r is focus)
    start = min(max(0, at - keep // 2), max(0, len(ranked) - keep - 1))
    window = [r for r in ranked[start : start + keep + 1] if r is not focus]
    return window, (at + 1, len(ranked))


def subset(focus: Reading, peers: list[Reading], room: int, lang: str = "fr") -> tuple[list[Reading], str]:
    """The peers drawn when they do not all fit, and the note saying which and why: « 10 des 24
    communes : Vitry-sur-Seine (22e sur 24) et les plus proches au classement », or, for a place
    without a value (a territory shown by its communes), « 12 des 24 communes : les 6 valeurs les
    plus hautes et les 6 plus basses »."""
    shown = sorted([p for p in peers if p.shown], key=lambda r: -float(r.value or 0))
    level = shown[0].place.level if shown else "commune"
    kind = t(f"deck.kind.{level}", lang) if level in ("commune", "arrondissement", "ept", "epci") else ""
    if focus.shown:
        window, rank = neighbours(focus, peers, room + 1)  # ``room`` counts peers; the focus is drawn
        n, total = rank if rank else (1, 1)
        where = ordinal(n, total, "en") if lang == "en" else f"{n}{'er' if n == 1 else 'e'} sur {total}"
        place = bar_label(focus.place, "focus", lang)
        return window, t(
            "deck.subset_rank", lang, n=len(window) + 1, total=total, kind=kind, place=place, rank=where
        )
    top = (room + 1) // 2
    bottom = max(0, room - top)
    window = shown[:top] + (shown[-bottom:] if bottom else [])
    return window, t(
        "deck.subset_ends", lang, n=len(window), total=len(shown), kind=kind, top=top, bottom=bottom
    )


def role_colours(rows: list[tuple[Reading, str]], focus: str) -> dict[str, str]:
    """Code → colour: the focus and the references take their role's colour as the app's charts
    do (``figures.roles.palette``: the commune, its territory, its department, the metropolis);
    the peers of a slide (other communes, or other territories) all take the peer grey."""
    colours = palette([r.place.code for r, role in rows if role != "peer"], focus=focus)
    return {r.place.code: colours.get(r.place.code, ROLE_COLORS["peer"]) for r, _ in rows}


def partial_note(rows: list[tuple[Reading, str]], lang: str = "fr") -> str:
    """« * estimation partielle (communes non couvertes) — Grand Paris Seine Ouest : 7 communes
    sur 8 » for the bars drawn from part of their communes (empty without any)."""
    parts = [
        t(
            "deck.partial_place",
            lang,
            name=bar_label(r.place, role, lang),
            n=r.n_covered,
            total=r.n_members,
        )
        for r, role in rows
        if r.shown and r.status == "partial"
    ]
    semi = "; " if lang == "en" else " ; "
    return t("deck.partial_note", lang, places=semi.join(parts)) if parts else ""


def chart_spec(facts: Facts, source: str = "", lang: str = "fr") -> ChartSpec:
    """The bars of an indicator slide (see the module docstring for what is drawn), in ``lang``."""
    ind = facts.indicator
    rows: list[tuple[Reading, str]] = [(facts.focus, "focus")]
    seen = {facts.focus.place.code}
    if ind.formula.kind != "count":
        for ref in facts.references:
            if ref.place.code not in seen:
                rows.append((ref, "reference"))
                seen.add(ref.place.code)
    peers = [p for p in facts.peers if p.place.code not in seen]
    # Places without a value are listed, whether or not they would have been drawn.
    unshown = [(r, role) for r, role in [*rows, *((p, "peer") for p in peers)] if not r.shown]
    missing = tuple(bar_label(r.place, role, lang) for r, role in unshown)
    reasons = tuple(
        fmt_comparator(None, ind.unit, lang=lang, status=r.status, brief=True) for r, _ in unshown
    )
    note = ""
    drawn = sum(r.shown for r, _ in rows)  # places without a value take no room among the bars
    if drawn + sum(p.shown for p in peers) > MAX_BARS:
        peers, note = subset(facts.focus, peers, MAX_BARS - drawn, lang)
    rows += [(p, "peer") for p in peers]
    colours = role_colours(rows, facts.focus.place.code)
    bars = [
        Bar(
            bar_label(r.place, role, lang),
            float(r.value),
            value_text(ind, r.value, lang=lang) + ("*" if r.status == "partial" else ""),
            role,
            r.place.code,
            colours[r.place.code],
        )
        for r, role in rows
        if r.shown
    ]
    bars.sort(key=lambda b: -b.value)
    partial = partial_note(rows, lang)
    return ChartSpec(
        title=ind.label_en if lang == "en" else ind.label_fr,
        caption=caption(ind, facts.year, facts.month, facts.base_year, lang),
        note=" · ".join(x for x in (note, partial) if x),
        partial=partial,
        bars=tuple(bars),
        unit=ind.unit,
        decimals=ind.decimals,
        missing=missing,
        missing_reasons=reasons,
        source=source,
        lang=lang,
    )
