"""Figure builders are pure: hand-made frames in, the right traces, titles, units and sources out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from figures import charts, maps, text
from figures.base import HIGHLIGHT, SEPARATORS, Measure, empty_figure, wrap
from figures.classes import diverging, jenks_breaks, quantile_breaks, sequential
from figures.roles import ROLE_COLORS

NB = "\u00a0"  # French numbers: no-break space before % and between thousands


def nb(text: str) -> str:
    return text.replace(" %", NB + "%")


RATE = Measure(
    "unemployment_rate", "Taux de chômage", "percent", 1, "higher_worse", "Source : Insee, RP 2022", "fr"
)
COUNT = Measure("population", "Population", "count", 0, "neutral", "Source : Insee", "fr")
GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": c,
            "properties": {},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [2.3 + i * 0.01, 48.7],
                        [2.31 + i * 0.01, 48.7],
                        [2.31 + i * 0.01, 48.71],
                        [2.3 + i * 0.01, 48.7],
                    ]
                ],
            },
        }
        for i, c in enumerate(["94081", "94041", "94022", "94028"])
    ],
}


def territories() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": [f"T{i}" for i in range(1, 13)],
            "name": [f"Territoire {i}" for i in range(1, 13)],
            "value": [10.5, 9.4, 9.9, 9.4, 12.9, 18.1, 15.8, 12.5, 12.0, 9.4, 16.9, 12.8],
        }
    )


def communes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["94081", "94041", "94022", "94028"],
            "name": ["Vitry-sur-Seine", "Ivry-sur-Seine", "Choisy-le-Roi", "Créteil"],
            "value": [14.6, 15.1, np.nan, 11.0],
        }
    )


def annotations_text(fig) -> str:
    return " ".join(a.text for a in fig.layout.annotations)


def test_ranking_sorts_highlights_and_cites_its_source():
    fig = charts.ranking(
        territories(),
        RATE,
        "Taux de chômage",
        highlight="T12",
        reference=("MGP", 11.8),
        subtitle="Les 12 territoires, 2022",
    )
    (bar,) = fig.data
    assert bar.type == "bar" and bar.orientation == "h"
    assert list(bar.x) == sorted(bar.x)  # largest on top
    assert len(bar.y) == 12
    hl = [i for i, y in enumerate(bar.y) if "Territoire 12" in y]
    assert bar.marker.color[hl[0]] == ROLE_COLORS["territory"] and bar.y[hl[0]].startswith("<b>▶")
    assert {c for i, c in enumerate(bar.marker.color) if i != hl[0]} == {ROLE_COLORS["peer"]}
    assert nb("12,8 %") in bar.text  # French number format
    assert "Taux de chômage" in fig.layout.title.text
    assert fig.layout.title.subtitle.text == "Les 12 territoires, 2022"
    assert fig.layout.xaxis.title.text == "%"
    assert "Source" not in annotations_text(fig)  # printed once, in HTML under the chart
    assert fig.layout.meta["source"] == "Source : Insee, RP 2022"  # drawn in image downloads
    assert nb("MGP : 11,8 %") in annotations_text(fig)
    assert fig.layout.separators == SEPARATORS["fr"]


def test_english_numbers_and_separators():
    en = Measure("x", "Unemployment rate", "percent", 1, source="Source: Insee", lang="en")
    fig = charts.compare_bars(territories().head(3), en, "Unemployment rate")
    assert "10.5%" in fig.data[0].text
    assert fig.layout.separators == SEPARATORS["en"]


def test_english_reference_labels_have_english_punctuation():
    """Review R2.8: « MGP : 11.8% » is French spacing; English writes "MGP: 11.8%"."""
    en = Measure("x", "Unemployment rate", "percent", 1, source="Source: Insee", lang="en")
    fig = charts.ranking(territories(), en, "Unemployment rate", reference=("MGP", 11.8))
    assert "MGP: 11.8%" in annotations_text(fig) and " : " not in annotations_text(fig)
    assert en.named("Vitry-sur-Seine", 14.6) == "Vitry-sur-Seine: 14.6%"
    assert RATE.named("MGP", 11.8) == nb("MGP : 11,8 %")


def test_compare_bars_keeps_order_and_marks_the_commune():
    frame = pd.DataFrame(
        {
            "code": ["94081", "T12", "D94", "MGP"],
            "name": ["Vitry", "GOSB", "Val-de-Marne", "MGP"],
            "value": [14.6, 12.8, 11.6, 11.8],
        }
    )
    fig = charts.compare_bars(frame, RATE, "Taux", highlight="94081")
    bar = fig.data[0]
    assert list(bar.customdata) == ["MGP", "D94", "T12", "94081"]  # drawn bottom-up: first row on top
    assert bar.marker.color[-1] == HIGHLIGHT and bar.y[-1] == "<b>Vitry</b>"
    assert list(bar.marker.color) == [
        ROLE_COLORS[r] for r in ("metropolis", "department", "territory", "commune")
    ]


def test_series_one_line_per_area_with_distinct_symbols():
    frame = pd.concat(
        [
            pd.DataFrame({"code": c, "name": n, "year": [2013, 2018, 2022], "value": v})
            for c, n, v in (("94081", "Vitry", [16.0, 15.8, 14.6]), ("MGP", "MGP", [12.7, 12.4, 11.8]))
        ]
    )
    fig = charts.series(frame, RATE, "Taux", highlight="94081")
    assert [tr.name for tr in fig.data] == ["Vitry", "MGP"]
    assert fig.data[0].line.width > fig.data[1].line.width
    assert fig.data[0].marker.symbol != fig.data[1].marker.symbol
    assert list(fig.layout.xaxis.tickvals) == [2013, 2018, 2022] and fig.layout.xaxis.tickformat == "d"
    assert fig.layout.annotations[0].text == "%"  # the unit, level above the value axis


def test_series_monthly_goes_on_a_date_axis():
    frame = pd.DataFrame(
        {"code": "T12", "name": "GOSB", "year": 2024, "month": [1, 2, 3], "value": [1.0, 2.0, 3.0]}
    )
    fig = charts.series(frame, RATE, "Taux")
    assert list(fig.data[0].x) == ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert list(fig.layout.xaxis.ticktext) == ["janv. 2024"]  # month names in French


def test_strip_places_the_commune_among_the_others():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "code": [f"9{i:04d}" for i in range(130)],
            "name": [f"C{i}" for i in range(130)],
            "value": rng.uniform(5, 20, 130),
        }
    )
    fig = charts.strip(
        frame,
        RATE,
        "Taux",
        "90003",
        group={"90001", "90002", "90003"},
        references=[("MGP", 11.8), ("GOSB", 12.8)],
    )
    others, gosb, me = fig.data
    assert len(others.x) + len(gosb.x) + len(me.x) == 130
    assert len(gosb.x) == 2 and me.marker.symbol == "diamond" and me.marker.color == HIGHLIGHT
    assert gosb.marker.color == ROLE_COLORS["territory"] and others.marker.color == ROLE_COLORS["peer"]
    assert len(fig.layout.shapes) == 2
    assert nb("GOSB : 12,8 %") in annotations_text(fig)


def test_choropleth_classes_legend_and_missing_values():
    fig = maps.choropleth(
        communes(),
        GEOJSON,
        RATE,
        "Taux",
        center=11.8,
        outlines=GEOJSON,
        outline_codes=["94081"],
        subtitle="GOSB, 2022",
    )
    areas = [tr for tr in fig.data if tr.legendgroup == "classes"]
    (outline,) = [tr for tr in fig.data if tr.name == "outline"]
    missing = areas[-1]
    assert sum(len(tr.locations) for tr in areas) == 4  # every commune once
    assert list(missing.locations) == ["94022"] and missing.name == "Pas de donnée"
    assert "Pas de donnée" in missing.text[0]
    assert all(tr.showlegend for tr in areas)  # one legend entry per class (wraps on a phone)
    assert nb("Métropole : 11,8 %") in fig.layout.legend.title.text  # diverging around the MGP value
    assert fig.layout.legend.orientation == "h"
    assert outline.marker.line.width > areas[0].marker.line.width and not outline.showlegend
    assert fig.layout.geo.fitbounds == "locations" and fig.layout.geo.visible is False
    assert "Source" not in annotations_text(fig)
    assert all(list(tr.customdata) == list(tr.locations) for tr in areas)  # click → commune code


def test_choropleth_accepts_a_geojson_url_and_fits_labels_on_shapes():
    fig = maps.choropleth(communes(), "/geo/communes-T12.geojson", COUNT, "Population", labels=True)
    assert fig.data[0].geojson == "/geo/communes-T12.geojson"
    assert all(tr.type == "choropleth" for tr in fig.data)  # no shapes given: no label at all
    fig = maps.choropleth(
        communes(), "/geo/communes-T12.geojson", COUNT, "Population", labels=True, shapes=GEOJSON
    )
    assert fig.data[-1].type == "scattergeo" and fig.data[-1].name == "labels"


def test_locator_highlights_one_commune():
    fig = maps.locator(communes(), GEOJSON, "94041", "Situation")
    assert list(fig.data[0].z) == [0, 1, 0, 0]


def test_empty_figure():
    fig = empty_figure("Pas de donnée")
    assert fig.layout.annotations[0].text == "Pas de donnée"


def test_wrap_long_sources():
    assert "<br>" in wrap("Source : " + "Insee, RP 2022, " * 10, 40)


@pytest.mark.parametrize("method", ["quantiles", "jenks"])
def test_sequential_classes_cover_every_value(method):
    values = np.array([1, 2, 2, 3, 10, 11, 12, 30, 31, 32.0])
    classes = sequential(values, method, 4)
    idx = classes.index(values)
    assert idx.min() == 0 and idx.max() == classes.k - 1
    assert classes.breaks[0] == 1 and classes.breaks[-1] == 32
    assert list(classes.index([np.nan])) == [-1]


def test_jenks_finds_natural_groups():
    values = [1, 1.1, 1.2, 10, 10.1, 10.2, 20, 20.1]
    breaks = jenks_breaks(values, 3)
    assert breaks == [1.0, 10.0, 20.0, 20.1]  # lower bound of each class, then the maximum
    classes = sequential(values, "jenks", 3)
    # contiguous ranges from the breaks, each lower bound in its class (R1 #12)
    assert classes.labels(lambda v: f"{v:.1f}") == ["1.0 à < 10.0", "10.0 à < 20.0", "20.0 à 20.1"]
    assert classes.labels(lambda v: f"{v:.1f}", "en") == ["1.0 to < 10.0", "10.0 to < 20.0", "20.0 to 20.1"]


def test_quantiles_merge_duplicates():
    assert quantile_breaks([5, 5, 5, 5], 4) == [5.0, 5.0]


def test_diverging_classes_split_at_the_reference():
    values = [6.4, 8.0, 9.0, 10.0, 11.0, 12.5, 14.0, 16.0, 22.0]
    classes = diverging(values, 11.8)
    assert 11.8 in classes.breaks and classes.center == 11.8
    below = classes.index([10.0])[0]
    above = classes.index([12.5])[0]
    assert classes.colors[below].startswith("#") and below < above
    assert classes.colors[0] != classes.colors[-1]


def test_map_legend_classes_are_contiguous_and_hold_the_reference():
    """R1 #12: each class's upper bound is the next one's lower bound (no « 11,5–11,7 % » then
    « 12,0–12,9 % »); the metropolis value bounds the classes above it; every value falls in the
    class whose label covers it."""
    values = [8.5, 9.4, 9.9, 10.5, 11.5, 11.7, 12.0, 12.5, 12.9, 13.0, 14.2, 14.5, 16.8]
    fig = maps.choropleth(
        pd.DataFrame({"code": [f"c{i}" for i in range(len(values))], "name": "x", "value": values}),
        GEOJSON,
        RATE,
        "Taux",
        center=11.8,
    )
    labels = [tr.name for tr in fig.data if tr.legendgroup == "classes"]
    bounds = [label.replace("\u00a0", " ").split(" à ") for label in labels]
    assert all(len(b) == 2 for b in bounds), labels
    for (_, hi), (lo, _) in zip(bounds, bounds[1:], strict=False):
        assert hi == "< " + lo  # contiguous: « a à < b », then « b à < c »
    assert any(lo == "11,8 %" for lo, _ in bounds)  # the MGP value starts the classes above it
    assert bounds[0][0] == "8,5 %" and bounds[-1][1] == "16,8 %"  # the smallest and largest values
    for tr in fig.data:
        if tr.legendgroup == "classes":
            lo = float(tr.name.replace("\u00a0", " ").split(" ")[0].replace(",", "."))
            assert all(v >= lo for v in (values[int(c[1:])] for c in tr.locations)), tr.name


def test_trend_and_profile_summary():
    assert text.trend(12.8, 13.6, 2016, 1).arrow == "↘"
    assert text.trend(100, 100.01, 2016, 0).direction == "flat"
    assert text.trend(None, 1, 2016) is None
    gaps = [
        text.Gap(RATE, 14.6, 11.8, 1.0, 12, 130),
        text.Gap(Measure("x", "Part des 60 ans ou plus", "percent", 1), 19.3, 19.1, 3.0),
    ]
    intro, sentences = text.profile_summary(gaps, "Vitry-sur-Seine")
    assert "Vitry-sur-Seine" in intro and len(sentences) == 1
    assert sentences[0].startswith(
        nb("Taux de chômage : 14,6 %, nettement au-dessus de la Métropole (11,8 %)")
    )
    intro_en, sentences_en = text.profile_summary(gaps, "Vitry-sur-Seine", "en")
    assert "stands out" in intro_en and "well above" in sentences_en[0].replace("14.6%", "")


def test_value_rows_format_values():
    rows = text.value_rows(communes(), RATE)
    assert rows[0] == ["Vitry-sur-Seine", nb("14,6 %")] and rows[2] == ["Choisy-le-Roi", "n.d."]
