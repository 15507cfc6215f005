"""French and English number formatting."""

from __future__ import annotations

import math

import pytest

from indicators.formatting import (
    NBSP,
    fmt_change,
    fmt_euro,
    fmt_number,
    fmt_percent,
    fmt_value,
    round_half_up,
    unit_label,
)


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


def test_numbers() -> None:
    assert fmt_number(95282) == f"95{NBSP}282"
    assert fmt_number(95282, plain=True) == "95 282"
    assert fmt_number(95282, lang="en") == "95,282"
    assert plain(fmt_number(7115576)) == "7 115 576"
    assert fmt_number(1234.567, 2) == f"1{NBSP}234,57"
    assert fmt_number(1234.567, 2, "en") == "1,234.57"
    assert fmt_number(-4950) == f"-4{NBSP}950"
    assert fmt_number(-0.04, 1) == "0,0"  # no "-0,0"
    assert fmt_number(3.2, 1, sign=True) == "+3,2"
    assert fmt_number(None) == "n.d." and fmt_number(math.nan, lang="en") == "n/a"


def test_half_up_rounding() -> None:
    assert str(round_half_up(2.5)) == "3" and str(round_half_up(12.85, 1)) == "12.9"
    assert fmt_number(0.125, 2) == "0,13"


def test_percent_euro_and_units() -> None:
    assert fmt_percent(12.8) == f"12,8{NBSP}%"
    assert fmt_percent(12.84, lang="en") == "12.8%"
    assert fmt_euro(19490) == f"19{NBSP}490{NBSP}€"
    assert fmt_euro(19490, lang="en") == "€19,490"
    assert plain(fmt_value(4452.3, "euro_m2")) == "4 452 €/m²"
    assert fmt_value(4452.3, "euro_m2", lang="en") == "€4,452/m²"
    assert plain(fmt_value(80.14, "per_100", 1)) == "80,1 pour 100"
    assert plain(fmt_value(2.55, "per_1000", 1)) == "2,6 pour 1 000"
    assert fmt_value(725207, "count") == f"725{NBSP}207"
    assert fmt_value(None, "percent", status="secret") == "secret stat."
    assert fmt_value(None, "euro", lang="en", status="not_aggregable") == "not aggregable"
    assert unit_label("per_km2", "en") == "per km²"
    with pytest.raises(ValueError):
        unit_label("parsecs")
    with pytest.raises(ValueError):
        fmt_number(1, lang="de")


def test_changes() -> None:
    assert plain(fmt_change(0.84, "percent")) == "+0,8 pt"
    assert fmt_change(-1.25, "percent", lang="en", plain=True) == "-1.3 pp"
    assert plain(fmt_change(1500, "count", 0)) == "+1 500"
    assert plain(fmt_change(-1500, "count", 0)) == "-1 500"
    assert fmt_change(0.01, "count", 0) == "0"
