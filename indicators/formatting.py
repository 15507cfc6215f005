"""Number formatting for French and English display (pure; reused by the app, the API and exports).

French conventions: thousands separated by a no-break space, decimal comma, a no-break space
before ``%`` and ``€`` (``95 282``, ``12,8 %``, ``19 490 €``). English: ``95,282``, ``12.8%``,
``€19,490``. The separator is U+00A0 (no-break space) rather than the typographic narrow one
(U+202F) because the PDF fonts used for exports lack U+202F; pass ``plain=True`` for an ordinary
space (e.g. in CSV cells or plain-text e-mails). Rounding is half-up, as INSEE publishes.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from config.texts import by_name

NBSP = "\u00a0"
# the words of the statuses are in the one catalogue (``config/texts/formatting.yaml``)
MISSING = by_name("fmt.")["missing"]
STATUS_TEXT = by_name("fmt.status.")
#: Why a territory has no value, in words (a cell must not just say "n.d."): see ``fmt_comparator``.
STATUS_REASON = by_name("fmt.reason.")
#: The same reasons in a few words, for narrow table cells (printed fiche); ``STATUS_REASON`` in the
#: table's caption says them in full.
STATUS_BRIEF = by_name("fmt.brief.")
#: « : » before a value in French, ": " in English (« MGP : 11,8 % », "MGP: 11.8%"): see ``labelled``.
COLON = by_name("fmt.")["colon"]
#: Marker of a value published by the producer for the area itself (not computed from communes).
PUBLISHED = by_name("fmt.")["published"]
#: Unit signs (grammar of numbers, some empty): kept with the code that writes numbers.
UNIT_LABELS = {
    "count": {"fr": "", "en": ""},
    "percent": {"fr": "%", "en": "%"},
    "per_100": {"fr": "pour 100", "en": "per 100"},
    "per_1000": {"fr": "pour 1\u00a0000", "en": "per 1,000"},
    "per_km2": {"fr": "par km²", "en": "per km²"},
    "euro": {"fr": "€", "en": "€"},
    "euro_m2": {"fr": "€/m²", "en": "€/m²"},
    "ratio": {"fr": "", "en": ""},
}


def _lang(lang: str) -> str:
    if lang not in ("fr", "en"):
        raise ValueError(f"lang must be 'fr' or 'en', got {lang!r}")
    return lang


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def round_half_up(value: float, decimals: int = 0) -> Decimal:
    """``value`` rounded half-up (2.5 -> 3, 12.85 -> 12.9), from its shortest decimal repr."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def fmt_number(
    value: float | int | None, decimals: int = 0, lang: str = "fr", plain: bool = False, sign: bool = False
) -> str:
    """``fmt_number(95282) -> '95 282'``, ``fmt_number(12.84, 1, 'en') -> '12.8'``; None/NaN -> 'n.d.'."""
    lang = _lang(lang)
    if _is_missing(value):
        return MISSING[lang]
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    text = f"{abs(rounded):,.{decimals}f}"  # '95,282.5'
    if lang == "fr":
        text = text.replace(",", " " if plain else NBSP).replace(".", ",")
    prefix = "-" if rounded < 0 else ("+" if sign and rounded > 0 else "")
    return prefix + text


def fmt_percent(
    value: float | None, decimals: int = 1, lang: str = "fr", plain: bool = False, sign: bool = False
) -> str:
    """``fmt_percent(12.8) -> '12,8 %'`` (value already in %); English ``'12.8%'``."""
    if _is_missing(value):
        return MISSING[_lang(lang)]
    space = "" if lang == "en" else (" " if plain else NBSP)
    return f"{fmt_number(value, decimals, lang, plain, sign)}{space}%"


def fmt_euro(
    value: float | None, decimals: int = 0, lang: str = "fr", plain: bool = False, per: str = ""
) -> str:
    """``fmt_euro(19490) -> '19 490 €'``, English ``'€19,490'``; ``per='m²'`` gives ``€/m²``."""
    if _is_missing(value):
        return MISSING[_lang(lang)]
    number = fmt_number(value, decimals, lang, plain)
    suffix = f"/{per}" if per else ""
    if lang == "en":
        return f"-€{number[1:]}{suffix}" if number.startswith("-") else f"€{number}{suffix}"
    return f"{number}{' ' if plain else NBSP}€{suffix}"


def labelled(label: str, shown: str, lang: str = "fr") -> str:
    """« MGP : 11,8 % » in French, "MGP: 11.8%" in English: a label and its formatted value with the
    language's punctuation (charts' reference lines, legends, accessible sentences)."""
    return f"{label}{COLON[_lang(lang)]}{shown}"


def fmt_value(
    value: float | None,
    unit: str,
    decimals: int = 0,
    lang: str = "fr",
    plain: bool = False,
    status: str | None = None,
) -> str:
    """Format an indicator value in its unit; a secret/missing/non-aggregable status gives its text."""
    lang = _lang(lang)
    if _is_missing(value):
        return STATUS_TEXT.get(status or "missing", STATUS_TEXT["missing"])[lang]
    if unit == "percent":
        return fmt_percent(value, decimals, lang, plain)
    if unit == "euro":
        return fmt_euro(value, decimals, lang, plain)
    if unit == "euro_m2":
        return fmt_euro(value, decimals, lang, plain, per="m²")
    number = fmt_number(value, decimals, lang, plain)
    label = unit_label(unit, lang)
    return f"{number}{' ' if plain else NBSP}{label}" if label else number


def fmt_change(
    delta: float | None, unit: str, decimals: int = 1, lang: str = "fr", plain: bool = False
) -> str:
    """A signed change: percentage points for rates (``+0,8 pt``), else the value's own unit."""
    lang = _lang(lang)
    if _is_missing(delta):
        return MISSING[lang]
    space = " " if plain else NBSP
    if unit == "percent":
        return f"{fmt_number(delta, decimals, lang, plain, sign=True)}{space}{'pt' if lang == 'fr' else 'pp'}"
    text = fmt_value(delta, unit, decimals, lang, plain)
    return text if text.startswith("-") or delta == 0 or round_half_up(delta, decimals) == 0 else "+" + text


def unit_label(unit: str, lang: str = "fr") -> str:
    """Short unit label (``'%'``, ``'pour 1 000'``, ``'€/m²'``); empty for plain counts."""
    labels = UNIT_LABELS.get(unit)
    if labels is None:
        raise ValueError(f"unknown unit {unit!r}")
    return labels[_lang(lang)]


def fmt_comparator(
    value: float | None,
    unit: str,
    decimals: int = 0,
    lang: str = "fr",
    *,
    year: int | None = None,
    main_year: int | None = None,
    status: str | None = None,
    method: str | None = None,
    plain: bool = False,
    text: str | None = None,
    brief: bool = False,
) -> str:
    """A comparator (GOSB, a department, the MGP…) beside a main value: its year in brackets when
    it differs from the main one (``11,0 % (2018)``), « valeur publiée » when it is the producer's
    own value for the area (``method == "official"``), and, without a value, why in words
    (``STATUS_REASON``) rather than a bare "n.d.". ``text``: the value already formatted (e.g. without
    its unit in a table whose row names it); ``brief``: the reason in a few words (``STATUS_BRIEF``).
    """
    lang = _lang(lang)
    if _is_missing(value):
        reasons = STATUS_BRIEF if brief else STATUS_REASON
        return reasons.get(status or "missing", reasons["missing"])[lang]
    text = fmt_value(value, unit, decimals, lang, plain) if text is None else text
    notes = []
    if year is not None and main_year is not None and not _is_missing(year) and int(year) != int(main_year):
        notes.append(str(int(year)))
    if method == "official":
        notes.append(PUBLISHED[lang])
    return f"{text} ({', '.join(notes)})" if notes else text
