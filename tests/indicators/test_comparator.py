"""Issue #14: a comparator shows its year when it differs from the main value's, says when it is a
value published for the area, and says in words why it has no value."""

from __future__ import annotations

from indicators.formatting import NBSP, fmt_comparator


def test_year_only_when_different() -> None:
    assert fmt_comparator(11.0, "percent", 1, year=2018, main_year=2022) == f"11,0{NBSP}% (2018)"
    assert fmt_comparator(10.1, "percent", 1, year=2022, main_year=2022) == f"10,1{NBSP}%"
    assert fmt_comparator(10.1, "percent", 1, "en", year=2021, main_year=2022) == "10.1% (2021)"
    assert fmt_comparator(95282, "count") == f"95{NBSP}282"


def test_published_value_is_said() -> None:
    text = fmt_comparator(23790, "euro", year=2019, main_year=2019, method="official")
    assert text == f"23{NBSP}790{NBSP}€ (valeur publiée)"
    assert fmt_comparator(23790, "euro", lang="en", year=2017, main_year=2019, method="official") == (
        "€23,790 (2017, published value)"
    )


def test_no_value_is_explained_in_words() -> None:
    for status in ("not_aggregable", "secret", "missing", None):
        for lang in ("fr", "en"):
            text = fmt_comparator(None, "euro", lang=lang, status=status)
            assert text not in ("n.d.", "n/a") and len(text.split()) >= 3
    assert "médiane" in fmt_comparator(float("nan"), "euro", status="not_aggregable")
    assert "median" in fmt_comparator(None, "euro", lang="en", status="not_aggregable")
