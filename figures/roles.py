"""One colour per role, for every chart, map, slide and export (pure).

A place keeps its colour from one chart to the next because the colour follows its *role* — the
commune being looked at, its territory (EPT), its department, the metropolis, the peers — never
its position in a list. The colours are Okabe & Ito's (2008) colour-blind-safe hues, darkened
where needed so that each reaches a contrast of 3:1 against white (WCAG 2.1, 1.4.11 graphical
objects); charts add a second cue (weight, symbol, dash) wherever colour alone would carry meaning.

Exports call ``role_of`` / ``color_of`` / ``palette`` too (``exports/`` draws slides and PNGs).
"""

from __future__ import annotations

from collections.abc import Iterable

#: Role → colour (contrast against white in the comment).
ROLE_COLORS: dict[str, str] = {
    "commune": "#D55E00",  # vermillion, 3.9:1: the commune (or place) being looked at
    "territory": "#0072B2",  # blue, 5.2:1: a territory (EPT; GOSB at home)
    "department": "#009E73",  # bluish green, 3.4:1
    "metropolis": "#333333",  # near-black, 12.6:1: the Métropole du Grand Paris
    "peer": "#8C8C8C",  # grey, 3.4:1: the other communes (peers)
    "group": "#CC79A7",  # reddish purple, 3.1:1: a custom group of communes
}
#: Further places of a role already taken (a comparison of two communes): distinct hues, ≥ 3:1.
EXTRA_COLORS = ("#CC79A7", "#8F6A00", "#56359A", "#A6447E", "#00708A", "#6B6B00")
#: Role → French/English name (legends of exports).
ROLE_LABELS = {
    "commune": ("Commune", "Commune"),
    "territory": ("Territoire", "Territory"),
    "department": ("Département", "Department"),
    "metropolis": ("Métropole", "Metropolis"),
    "peer": ("Autres communes", "Other communes"),
    "group": ("Groupe de communes", "Group of communes"),
}
#: Halo under coloured lines of maps, so that an outline reads on any class colour.
HALO = "#FFFFFF"
DARK_TEXT, LIGHT_TEXT = "#000000", "#FFFFFF"  # black: 4.5:1 even on mid-tone classes


def role_of(code: str, focus: str | None = None) -> str:
    """The role of a territory code: ``focus`` → commune; ``T1``…``T12`` or an EPCI (SIREN, 9
    digits: a home outside the metropolis) → territory; ``D94`` → department; ``MGP`` (or a region
    ``R11``, the wider area outside the metropolis) → metropolis; ``group:…`` → group; any other
    commune → peer."""
    if code == focus:
        return "commune"
    if code == "MGP" or (code[:1] == "R" and code[1:].isdigit()):
        return "metropolis"
    if code.startswith("group:"):
        return "group"
    if (code[:1] == "T" and code[1:].isdigit()) or (code.isdigit() and len(code) == 9):
        return "territory"
    if code[:1] == "D" and code[1:].isdigit():
        return "department"
    if focus is None and code[:1].isdigit():
        return "commune"  # no focus given: a commune is a commune (the first one keeps the colour)
    return "peer"


def color_of(code: str, focus: str | None = None) -> str:
    """The colour of ``code``'s role."""
    return ROLE_COLORS[role_of(code, focus)]


def palette(codes: Iterable[str], focus: str | None = None) -> dict[str, str]:
    """A colour per code: its role's colour for the first place of each role, then distinct extra
    colours (a comparison of several communes or territories); peers all share the peer grey."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    extra = iter(EXTRA_COLORS * 4)
    for code in dict.fromkeys(codes):
        role = role_of(code, focus)
        if role == "peer":
            out[code] = ROLE_COLORS["peer"]
            continue
        color = ROLE_COLORS[role]
        while color in taken:
            color = next(extra)
        out[code] = color
        taken.add(color)
    return out


# --- contrast (WCAG 2.1 relative luminance) ---------------------------------------------------


def _rgb(color: str) -> tuple[float, float, float]:
    """``#rrggbb``, ``#rgb`` or ``rgb(r, g, b)`` → channels in 0..1."""
    text = color.strip().lower()
    if text.startswith("rgb"):
        parts = text[text.index("(") + 1 : text.index(")")].split(",")[:3]
        r, g, b = (float(p) / 255 for p in parts)
        return r, g, b
    text = text.lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    r, g, b = (int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def luminance(color: str) -> float:
    """Relative luminance (0 = black, 1 = white) as WCAG 2.1 defines it."""

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str = "#FFFFFF") -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_on(fill: str) -> str:
    """The label colour that reads best on ``fill``: white on dark classes, near-black on light."""
    return LIGHT_TEXT if contrast(LIGHT_TEXT, fill) > contrast(DARK_TEXT, fill) else DARK_TEXT
