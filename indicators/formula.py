"""Indicator formulas: linear expressions of ETL variables and the rule that combines them.

Kinds: ``count`` (a sum of variables), ``ratio`` (``scale × numerator / denominator``), ``value``
(a published value used as is), ``change`` (change of the numerator between a base year and the
year, in ``scale`` units, annualised or not). Expressions are sums and differences of optionally
scaled variable ids (``"pop6074 + pop7589 + pop90p"``, ``"act1564 - chom1564"``): sums of counts
stay additive, so ratios of such sums aggregate exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

KINDS = ("count", "ratio", "value", "change")
DEN_RULES = ("same", "latest", "fixed")
_TERM = re.compile(r"^(?:(\d+(?:\.\d+)?)\s*\*\s*)?([a-z][a-z0-9_]*)$")


@dataclass(frozen=True)
class Term:
    """``coef × variable`` inside a linear expression."""

    coef: float
    variable: str


def parse_expression(text: str) -> tuple[Term, ...]:
    """Parse ``"a + b - 2*c"`` into terms. Only + and - between (optionally scaled) variable ids."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty expression")
    tokens = re.split(r"\s*([+-])\s*", text.strip())
    tokens = tokens[1:] if tokens[0] == "" else ["+", *tokens]  # "" first: a leading sign
    terms: list[Term] = []
    for sign, body in zip(tokens[0::2], tokens[1::2], strict=True):
        match = _TERM.match(body)
        if sign not in "+-" or not match:
            raise ValueError(f"bad term {body!r} in {text!r} (expected [number *] variable_id)")
        coef = float(match.group(1) or 1.0) * (-1.0 if sign == "-" else 1.0)
        terms.append(Term(coef, match.group(2)))
    return tuple(terms)


def format_expression(terms: tuple[Term, ...]) -> str:
    """Inverse of ``parse_expression`` (for JSON output)."""
    out = ""
    for i, t in enumerate(terms):
        sign = "-" if t.coef < 0 else "+"
        mag = abs(t.coef)
        body = t.variable if mag == 1 else f"{mag:g}*{t.variable}"
        out += (f"{'-' if sign == '-' else ''}{body}") if i == 0 else f" {sign} {body}"
    return out


@dataclass(frozen=True)
class Formula:
    """How an indicator is computed from variables (see the module docstring)."""

    kind: str
    numerator: tuple[Term, ...]
    denominator: tuple[Term, ...] = ()
    scale: float = 1.0
    denominator_period: str = "same"
    denominator_fixed: tuple[int, int] | None = None
    base_years: tuple[tuple[int, int], ...] = ()  # change: (year, base year) pairs
    annualised: bool = False

    @property
    def variables(self) -> tuple[str, ...]:
        """Every variable the formula reads, in order, without duplicates."""
        seen = dict.fromkeys(t.variable for t in (*self.numerator, *self.denominator))
        return tuple(seen)

    def base_year(self, year: int) -> int | None:
        """Base year of a ``change`` formula for ``year`` (None if not declared)."""
        return dict(self.base_years).get(year)


def parse_formula(raw: Any, years: tuple[int, ...]) -> Formula:
    """Build and check a formula from its YAML mapping (``ValueError`` naming the key at fault)."""
    if not isinstance(raw, dict):
        raise ValueError("formula must be a mapping")
    unknown = set(raw) - {
        "kind",
        "numerator",
        "denominator",
        "scale",
        "denominator_period",
        "denominator_fixed",
        "base_years",
        "annualised",
    }
    if unknown:
        raise ValueError(f"formula: unknown keys {sorted(unknown)}")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ValueError(f"formula.kind must be one of {KINDS}, got {kind!r}")
    num = parse_expression(raw.get("numerator", ""))
    den = parse_expression(raw["denominator"]) if raw.get("denominator") else ()
    if (kind == "ratio") != bool(den):
        raise ValueError("formula.denominator is required for kind ratio and only for it")
    if kind == "value" and (len(num) != 1 or num[0].coef != 1):
        raise ValueError("formula.numerator of kind value must be a single variable")
    scale = raw.get("scale", 1)
    if not isinstance(scale, int | float) or scale <= 0:
        raise ValueError("formula.scale must be a positive number")
    period = raw.get("denominator_period", "same")
    if period not in DEN_RULES:
        raise ValueError(f"formula.denominator_period must be one of {DEN_RULES}")
    fixed = raw.get("denominator_fixed")
    if (period == "fixed") != (fixed is not None):
        raise ValueError("formula.denominator_fixed is required with denominator_period fixed, and only then")
    if fixed is not None:
        if not (isinstance(fixed, list) and len(fixed) == 2 and all(isinstance(v, int) for v in fixed)):
            raise ValueError("formula.denominator_fixed must be [year, month] (month 0 = annual)")
        fixed = (fixed[0], fixed[1])
    base_years: tuple[tuple[int, int], ...] = ()
    if kind == "change":
        raw_base = raw.get("base_years")
        if not isinstance(raw_base, dict) or not raw_base:
            raise ValueError("formula.base_years ({year: base year}) is required for kind change")
        base_years = tuple(sorted((int(y), int(b)) for y, b in raw_base.items()))
        if any(b >= y for y, b in base_years):
            raise ValueError("formula.base_years: each base year must precede its year")
        # declared years (a restriction) need their base; newer vintages take the latest gap
        if years and not set(years) <= {y for y, _ in base_years}:
            raise ValueError("formula.base_years must have one entry per declared year")
    elif "base_years" in raw or "annualised" in raw:
        raise ValueError("formula.base_years and annualised are only for kind change")
    return Formula(
        kind=kind,
        numerator=num,
        denominator=den,
        scale=float(scale),
        denominator_period=period,
        denominator_fixed=fixed,
        base_years=base_years,
        annualised=bool(raw.get("annualised", False)),
    )
