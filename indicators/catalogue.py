"""Indicator catalogue: the YAML declarations in ``indicators/catalogue/<theme>.yaml``, typed and checked.

Every indicator is declared once. A declaration names the ETL variables it is built on through
a formula; the aggregation rules (``indicators.aggregate``) only need that formula:

* ``count``  — a sum of variables (``numerator``), e.g. ``pop``; aggregable as a sum.
* ``ratio``  — ``scale × numerator / denominator``; aggregable as a ratio of sums.
* ``value``  — a published value used as is (medians, published rates); never aggregable,
  a group gets the official value of its code when the store holds one.
* ``change`` — change of ``numerator`` between a base year and the year, in %, annualised or not;
  aggregable as the change of the sums.

``numerator`` and ``denominator`` are linear expressions of variable ids such as
``"pop6074 + pop7589 + pop90p"`` or ``"act1564 - chom1564"`` (sums of counts stay additive).
The denominator period rule says where the denominator is read when it comes from another
source or year: ``same`` (same year and month), ``latest`` (latest year at or before the
indicator's year, e.g. the latest census population for housing starts per 1,000 inhabitants),
or ``fixed`` (``denominator_fixed: [year, month]``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

import config
from etl.registry import sources
from indicators.formula import Formula, format_expression, parse_formula

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"

THEMES = ("demographie", "emploi", "logement", "economie", "revenus", "suivi", "equipements")
POLARITIES = ("higher_better", "higher_worse", "neutral")
#: Units the formatting helpers know how to print.
UNITS = ("count", "percent", "per_100", "per_1000", "per_km2", "euro", "euro_m2", "ratio")

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class CatalogueError(ValueError):
    """A catalogue YAML file is invalid; the message names the file, the indicator and the field."""


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry."""

    id: str
    theme: str
    label_fr: str
    label_en: str
    definition_fr: str
    definition_en: str
    unit: str
    formula: Formula
    decimals: int
    polarity: str
    sources: tuple[str, ...]
    #: vintages: in the catalogue, the declared restriction (empty: every vintage with data); once
    #: resolved from the store (``indicators.vintages.resolve``), the years with data
    years: tuple[int, ...]
    aggregable: bool
    census: bool = False  # census vintages: compare only 5+ years apart (INSEE guidance)
    months: tuple[int, ...] = ()  # monthly series: months available in each year (empty = annual)
    notes_fr: str = ""
    notes_en: str = ""
    headline: int | None = None  # rank among the headline indicators (1 = first); None = not one
    aliases: tuple[str, ...] = ()  # former ids, still accepted by get_indicator
    periods: tuple[tuple[int, int], ...] = ()  # resolved: every (year, month) with data
    resolved: bool = False  # years/months/periods read from the store (indicators.vintages)

    @property
    def latest_year(self) -> int:
        """The newest vintage (0 when the indicator has none)."""
        return max(self.years, default=0)

    def months_of(self, year: int) -> tuple[int, ...]:
        """Months with data in ``year`` (resolved indicator; the declared months otherwise)."""
        if self.periods:
            return tuple(m for y, m in self.periods if y == year and m)
        return self.months

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (used by the API)."""
        f = self.formula
        return {
            "id": self.id,
            "theme": self.theme,
            "label_fr": self.label_fr,
            "label_en": self.label_en,
            "definition_fr": self.definition_fr,
            "definition_en": self.definition_en,
            "unit": self.unit,
            "decimals": self.decimals,
            "polarity": self.polarity,
            "aggregable": self.aggregable,
            "census": self.census,
            "sources": list(self.sources),
            "years": list(self.years),
            "months": list(self.months),
            "periods": [list(p) for p in self.periods],
            "aliases": list(self.aliases),
            "formula": {
                "kind": f.kind,
                "numerator": format_expression(f.numerator),
                "denominator": format_expression(f.denominator) if f.denominator else None,
                "scale": f.scale,
                "denominator_period": f.denominator_period if f.kind == "ratio" else None,
                "denominator_fixed": list(f.denominator_fixed) if f.denominator_fixed else None,
                "base_years": {str(y): b for y, b in f.base_years} or None,
                "annualised": f.annualised if f.kind == "change" else None,
            },
            "variables": list(f.variables),
            "notes_fr": self.notes_fr,
            "notes_en": self.notes_en,
            "headline": self.headline,
        }


@dataclass(frozen=True)
class Theme:
    """A theme file: its labels, its limits (what the data cannot say) and its indicators."""

    id: str
    label_fr: str
    label_en: str
    limits_fr: str = ""
    limits_en: str = ""
    indicators: tuple[str, ...] = field(default_factory=tuple)


# --- loading and validation ----------------------------------------------------------------------

_REQUIRED = (
    "id",
    "label_fr",
    "label_en",
    "definition_fr",
    "definition_en",
    "unit",
    "formula",
    "decimals",
    "polarity",
    "sources",
    "aggregable",
)
#: ``years`` / ``months`` only restrict the vintages read from the store (``indicators.vintages``)
_OPTIONAL = ("years", "census", "months", "notes_fr", "notes_en", "headline", "aliases")


def _ints(value: Any, what: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, int) for v in value):
        raise ValueError(f"{what} must be a non-empty list of integers")
    if sorted(set(value)) != value:
        raise ValueError(f"{what} must be sorted and without duplicates")
    return tuple(value)


def parse_indicator(raw: Any, theme: str) -> Indicator:
    """Build and check one indicator from its YAML mapping (``ValueError`` with the field at fault)."""
    if not isinstance(raw, dict):
        raise ValueError("each indicator must be a mapping")
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        raise ValueError(f"missing fields {missing}")
    unknown = set(raw) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    if not isinstance(raw["id"], str) or not _ID.match(raw["id"]):
        raise ValueError(f"id {raw['id']!r} must be lower-case letters, digits and _")
    for key in ("label_fr", "label_en", "definition_fr", "definition_en"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise ValueError(f"{key} must be a non-empty string")
    if raw["unit"] not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, got {raw['unit']!r}")
    if raw["polarity"] not in POLARITIES:
        raise ValueError(f"polarity must be one of {POLARITIES}, got {raw['polarity']!r}")
    if not isinstance(raw["decimals"], int) or not 0 <= raw["decimals"] <= 3:
        raise ValueError("decimals must be an integer between 0 and 3")
    if not isinstance(raw["aggregable"], bool) or not isinstance(raw.get("census", False), bool):
        raise ValueError("aggregable and census must be true or false")
    sources = raw["sources"]
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) for s in sources):
        raise ValueError("sources must be a non-empty list of source ids (etl/sources/<id>.yaml)")
    years = _ints(raw["years"], "years") if raw.get("years") is not None else ()
    months = _ints(raw["months"], "months") if raw.get("months") else ()
    if any(not 1 <= m <= 12 for m in months):
        raise ValueError("months must be between 1 and 12")
    headline = raw.get("headline")
    if headline is not None and (not isinstance(headline, int) or isinstance(headline, bool) or headline < 1):
        raise ValueError("headline must be a positive integer (its rank among the headline indicators)")
    formula = parse_formula(raw["formula"], years)
    if formula.kind == "value" and raw["aggregable"]:
        raise ValueError("an indicator of kind value (a published value) cannot be aggregable")
    return Indicator(
        id=raw["id"],
        theme=theme,
        label_fr=raw["label_fr"].strip(),
        label_en=raw["label_en"].strip(),
        definition_fr=raw["definition_fr"].strip(),
        definition_en=raw["definition_en"].strip(),
        unit=raw["unit"],
        formula=formula,
        decimals=raw["decimals"],
        polarity=raw["polarity"],
        sources=tuple(sources),
        years=years,
        aggregable=raw["aggregable"],
        census=raw.get("census", False),
        months=months,
        notes_fr=(raw.get("notes_fr") or "").strip(),
        notes_en=(raw.get("notes_en") or "").strip(),
        headline=headline,
        aliases=_aliases(raw.get("aliases")),
    )


def _aliases(value: Any) -> tuple[str, ...]:
    """Former ids of a renamed indicator (``aliases: [old_id]``), still accepted by ``get_indicator``."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and _ID.match(v) for v in value):
        raise ValueError("aliases must be a list of former ids (lower-case letters, digits and _)")
    return tuple(value)


def load_file(path: Path) -> tuple[Theme, list[Indicator]]:
    """Load and check one theme file. Raises ``CatalogueError`` naming the file and the indicator."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(raw, dict) or raw.get("theme") != path.stem:
        raise CatalogueError(f"{path}: top-level 'theme' must equal the file name {path.stem!r}")
    if path.stem not in THEMES:
        raise CatalogueError(f"{path}: unknown theme {path.stem!r} (known: {THEMES})")
    out: list[Indicator] = []
    for i, item in enumerate(raw.get("indicators") or []):
        ident = item.get("id", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
        try:
            out.append(parse_indicator(item, path.stem))
        except (ValueError, TypeError) as exc:
            raise CatalogueError(f"{path}: indicator {ident!r}: {exc}") from exc
    theme = Theme(
        id=path.stem,
        label_fr=raw.get("label_fr", path.stem),
        label_en=raw.get("label_en", path.stem),
        limits_fr=(raw.get("limits_fr") or "").strip(),
        limits_en=(raw.get("limits_en") or "").strip(),
        indicators=tuple(ind.id for ind in out),
    )
    return theme, out


def load(directory: Path = CATALOGUE_DIR) -> tuple[dict[str, Theme], dict[str, Indicator]]:
    """Load every theme file of ``directory``. Indicator ids must be unique across files."""
    themes: dict[str, Theme] = {}
    indicators: dict[str, Indicator] = {}
    for path in sorted(directory.glob("*.yaml")):
        theme, items = load_file(path)
        themes[theme.id] = theme
        for ind in items:
            if ind.id in indicators:
                raise CatalogueError(
                    f"{path}: indicator {ind.id!r} already declared in theme {indicators[ind.id].theme!r}"
                )
            indicators[ind.id] = ind
    ranks: dict[int, str] = {}
    for ind in indicators.values():
        if ind.headline is not None:
            if ind.headline in ranks:
                raise CatalogueError(
                    f"{directory}: indicators {ranks[ind.headline]!r} and {ind.id!r} share headline rank "
                    f"{ind.headline}"
                )
            ranks[ind.headline] = ind.id
    if not indicators:
        raise CatalogueError(f"{directory}: no indicator declared")
    return themes, indicators


@cache
def _default() -> tuple[dict[str, Theme], dict[str, Indicator]]:
    return load(CATALOGUE_DIR)


def catalogue() -> dict[str, Indicator]:
    """All indicators of the project catalogue, by id (loaded once)."""
    return _default()[1]


def themes() -> dict[str, Theme]:
    """The theme files (labels and documented limits), by id."""
    return _default()[0]


def headlines(theme: str | None = None) -> tuple[str, ...]:
    """The headline indicators, in their declared order (``headline: 1`` first), of one theme or all.

    The one declaration of what an official asks first (jobs, unemployment, housing, incomes): the
    home page's key figures, the profile's « En bref », the fiche and the deck presets read it.
    The configuration (``observatoire.yaml``, ``headlines:``) may restrict and reorder them (issue #11).
    """
    preset = config.settings().headlines
    if preset is not None:
        known = catalogue()
        if unknown := [i for i in preset if i not in known]:
            raise config.ConfigError(config.settings().path, "headlines", f"unknown indicator(s): {unknown}")
        return tuple(i for i in preset if theme in (None, known[i].theme))
    ranked = [i for i in catalogue().values() if i.headline is not None and theme in (None, i.theme)]
    return tuple(i.id for i in sorted(ranked, key=lambda i: i.headline or 0))


def headline_themes() -> tuple[str, ...]:
    """Themes ordered by their best headline rank (themes without a headline last, file order)."""
    best = {th: min((catalogue()[i].headline or 0 for i in headlines(th)), default=10**6) for th in themes()}
    return tuple(sorted(themes(), key=lambda th: best[th]))


def credits(ind: Indicator, lang: str = "fr") -> list[str]:
    """Credit lines of an indicator's sources, from ``etl/sources/<id>.yaml`` (id if undeclared)."""
    declared = sources()  # the declarations, not the store: works without any data loaded
    return [getattr(declared[s], f"credit_{lang}") if s in declared else s for s in ind.sources]


def get_indicator(indicator_id: str) -> Indicator:
    """One indicator; ``KeyError`` with the list of known ids if unknown."""
    known = catalogue()
    if indicator_id in known:
        return known[indicator_id]
    for ind in known.values():  # a former id of a renamed indicator (old links, saved views)
        if indicator_id in ind.aliases:
            return ind
    raise KeyError(f"unknown indicator {indicator_id!r}")
