"""Helpers for the indicators tests: indicators declared inline and observation frames by hand."""

from __future__ import annotations

from typing import Any

import pandas as pd

from indicators.catalogue import Indicator, parse_indicator


def make_indicator(formula: dict[str, Any], years: list[int] | None = None, **extra: Any) -> Indicator:
    """An indicator with the given formula (kind count/ratio/value/change) and sensible defaults."""
    raw = {
        "id": extra.pop("id", "test"),
        "label_fr": "Test",
        "label_en": "Test",
        "definition_fr": "Test",
        "definition_en": "Test",
        "unit": extra.pop("unit", "percent" if formula["kind"] != "count" else "count"),
        "formula": formula,
        "decimals": 1,
        "polarity": "neutral",
        "sources": ["test"],
        "years": years or [2022],
        "aggregable": extra.pop("aggregable", formula["kind"] != "value"),
        **extra,
    }
    return parse_indicator(raw, "demographie")


def obs(rows: list[tuple]) -> pd.DataFrame:
    """Observations from (code, variable, year, value[, status[, month]]) tuples."""
    out = []
    for r in rows:
        code, var, year, value = r[:4]
        status = r[4] if len(r) > 4 else ("ok" if value is not None else "missing")
        month = r[5] if len(r) > 5 else 0
        out.append(
            {
                "code": code,
                "variable": var,
                "year": year,
                "month": month,
                "value": float("nan") if value is None else float(value),
                "status": status,
            }
        )
    return pd.DataFrame(out, columns=["code", "variable", "year", "month", "value", "status"])
