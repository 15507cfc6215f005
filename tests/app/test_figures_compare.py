"""Figure builders, issue #9 points 3, 5, 9 and #10 (pure functions, hand-made frames): counts
compared as an index, per inhabitant or as a change over one year; French ticks; one colour per
role in every chart; map labels only where they fit, in a colour that contrasts with their class;
no source line inside the app's figures; accessible descriptions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box, shape

from figures import charts, compare, labels, maps, roles, text
from figures.base import DIVERGING_HIGH, DIVERGING_LOW, NO_DATA, SEPARATORS, SEQUENTIAL, Measure, standalone

NB = "\u00a0"
RATE = Measure("unemployment_rate", "Taux de chômage", "percent", 1, "higher_worse", "Source : Insee", "fr")
JOBS = Measure("jobs", "Emplois", "count", 0, "higher_better", "Source : Insee, RP 2022", "fr")
AREAS = [("94081", "Vitry-sur-Seine"), ("T12", "GOSB"), ("D94", "Val-de-Marne"), ("MGP", "MGP")]


def counts() -> pd.DataFrame:
    """Jobs of a commune and of far larger places (the MGP is 200 times Vitry)."""
    rows = []
    for (code, name), scale in zip(AREAS, (1, 12, 20, 200), strict=True):
        for year, v in ((2013, 27000), (2018, 27500), (2022, 27441)):
            rows.append({"code": code, "name": name, "year": year, "value": float(v * scale)})
    return pd.DataFrame(rows)


def square(x: float, y: float, side: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]],
    }


# --- meaningful comparisons (#9.3) -----------------------------------------------------------


def test_index_base_100_at_the_first_common_year():
    frame = counts()
    frame = frame[~((frame["code"] == "D94") & (frame["year"] == 2013))]  # D94 starts in 2018
    out, base = compare.index_base100(frame)
    assert base == 2018
    vitry = out[out["code"] == "94081"].set_index("year")
    assert vitry.loc[2018, "value"] == pytest.approx(100.0)
    assert vitry.loc[2022, "value"] == pytest.approx(100 * 27441 / 27500)
    assert vitry.loc[2022, "raw"] == 27441  # the count is kept (hover labels, tables)


def test_series_of_counts_draws_an_index_with_the_count_in_the_hover():
    fig = charts.series(counts(), JOBS, "Emplois", highlight="94081")
    assert {round(tr.y[0], 6) for tr in fig.data} == {100.0}  # every line starts at 100
    assert fig.layout.annotations[0].text == "Indice, base 100 en 2013"  # level above the axis
    assert fig.data[0].text[-1] == f"101,6 (27{NB}441)"
    assert "rangemode" not in fig.layout.yaxis.to_plotly_json()  # an index is not drawn from zero


def test_series_legend_sits_at_the_foot_above_the_source_line():
    """The legend is placed at the figure's foot (container), not at a fraction of the plot: on a
    phone its wrapped entries covered the years; an image file keeps it above its source line."""
    fig = charts.series(counts(), JOBS, "Emplois", highlight="94081")
    assert (fig.layout.legend.yref, fig.layout.legend.y, fig.layout.legend.yanchor) == (
        "container",
        0,
        "bottom",
    )
    image = standalone(fig)
    source = image.layout.annotations[-1]
    assert source.text.startswith("Source")
    added = image.layout.height - fig.layout.height
    assert added > 0 and image.layout.legend.y == pytest.approx(added / image.layout.height)


def test_monthly_counts_become_the_change_over_one_year():
    months = [(y, m) for y in (2023, 2024) for m in range(1, 13)]
    frame = pd.DataFrame(
        {
            "code": "T12",
            "name": "GOSB",
            "year": [y for y, _ in months],
            "month": [m for _, m in months],
            "value": [1000.0] * 12 + [1100.0] * 12,
        }
    )
    out = compare.year_on_year(frame)
    assert out["value"].iloc[:12].isna().all() and out["value"].iloc[12:].round(6).eq(10.0).all()
    fig = charts.series(frame, JOBS, "Demandeurs")
    assert len(fig.data[0].y) == 12 and fig.layout.annotations[0].text == "Évolution sur un an (%)"


def test_bars_of_counts_per_1000_inhabitants():
    latest = counts()[counts()["year"] == 2022]
    population = pd.DataFrame(
        {"code": [c for c, _ in AREAS], "year": 2021, "value": [95000.0, 725000.0, 1400000.0, 7100000.0]}
    )
    fig = charts.compare_bars(latest, JOBS, "Emplois", highlight="94081", population=population)
    bar = fig.data[0]
    by_code = dict(zip(bar.customdata, bar.x, strict=True))
    assert by_code["94081"] == pytest.approx(1000 * 27441 / 95000)  # latest census before 2022
    assert max(bar.x) / min(bar.x) < 10  # comparable magnitudes
    assert fig.layout.xaxis.title.text == "Pour 1 000 habitants"
    assert bar.text[-1] == "288,9"  # short labels: the unit is said by the axis


def test_bars_of_counts_without_population_drop_far_larger_places():
    latest = counts()[counts()["year"] == 2022]
    fig = charts.compare_bars(latest, JOBS, "Emplois", highlight="94081")
    assert list(fig.data[0].customdata) == ["94081"]
    assert "non représentés" in " ".join(a.text for a in fig.layout.annotations)


def test_rates_are_left_as_they_are():
    frame = pd.DataFrame({"code": ["94081", "MGP"], "name": ["Vitry", "MGP"], "value": [14.6, 11.8]})
    fig = charts.compare_bars(frame, RATE, "Taux", highlight="94081")
    assert sorted(fig.data[0].x) == [11.8, 14.6]


def test_value_axes_have_french_thousands_and_no_si_suffix():
    fig = charts.compare_bars(counts()[counts()["year"] == 2022].head(1), JOBS, "Emplois")
    axis = fig.layout.xaxis
    assert axis.exponentformat == "none" and axis.separatethousands is True  # never « 600k »
    assert fig.layout.separators == SEPARATORS["fr"] == f",{NB}"  # « 600 000 », « 12,8 »
    fig_en = charts.series(counts(), Measure("jobs", "Jobs", "count", 0, lang="en"), "Jobs")
    assert fig_en.layout.separators == ".," and fig_en.layout.yaxis.exponentformat == "none"


# --- one colour per role (#9.5) --------------------------------------------------------------


def test_one_colour_per_role_across_charts():
    latest = counts()[counts()["year"] == 2022]
    bars = charts.compare_bars(latest, RATE, "Taux", highlight="94081")
    lines = charts.series(counts().assign(value=12.0), RATE, "Taux", highlight="94081")
    bar_colors = dict(zip(bars.data[0].customdata, bars.data[0].marker.color, strict=True))
    line_colors = {tr.customdata[0]: tr.line.color for tr in lines.data}
    assert bar_colors == line_colors
    assert bar_colors == {
        "94081": roles.ROLE_COLORS["commune"],
        "T12": roles.ROLE_COLORS["territory"],
        "D94": roles.ROLE_COLORS["department"],
        "MGP": roles.ROLE_COLORS["metropolis"],
    }


def test_role_palette_is_distinct_and_readable():
    for color in [*roles.ROLE_COLORS.values(), *roles.EXTRA_COLORS]:
        assert roles.contrast(color) >= 3.0, color  # WCAG 1.4.11 against white
    pal = roles.palette(["94081", "94041", "T12", "T7", "MGP"])
    assert len(set(pal.values())) == 5  # a second commune or territory gets its own colour
    assert pal["94081"] == roles.ROLE_COLORS["commune"] and pal["T12"] == roles.ROLE_COLORS["territory"]
    assert roles.role_of("group:94041+94081") == "group" and roles.role_of("94041", "94081") == "peer"


def test_home_territory_outlined_in_the_territory_colour():
    shapes = {"type": "FeatureCollection", "features": []}
    frame = pd.DataFrame({"code": ["94081"], "name": ["Vitry"], "value": [1.0]})
    fig = maps.choropleth(
        frame, shapes, RATE, "Taux", outlines=shapes, outline_codes=["T1", "T12"], home=("T12", "GOSB")
    )
    assert f"color:{roles.ROLE_COLORS['territory']}'>━━</span> GOSB" in fig.layout.legend.title.text
    lines = [
        tr.marker.line.color for tr in fig.data if tr.type == "choropleth" and list(tr.locations) == ["T12"]
    ]
    assert lines[-1] == roles.ROLE_COLORS["territory"]  # over its white halo


# --- map labels (#9.9) -----------------------------------------------------------------------


def test_label_colour_contrasts_with_its_class():
    for fill in (*SEQUENTIAL, *DIVERGING_LOW, *DIVERGING_HIGH, NO_DATA):
        ink = roles.text_on(fill)
        other = roles.LIGHT_TEXT if ink == roles.DARK_TEXT else roles.DARK_TEXT
        assert roles.contrast(ink, fill) >= roles.contrast(other, fill)
        assert roles.contrast(ink, fill) >= 4.5, fill
    assert roles.text_on("#0c2c84") == roles.LIGHT_TEXT and roles.text_on("#ffffd4") == roles.DARK_TEXT


def test_labels_only_where_they_fit_and_inside_their_commune():
    shapes = {"BIG": square(2.30, 48.70, 0.10), "SMALL": square(2.41, 48.70, 0.004)}
    fitted = labels.fit_labels(shapes, {"BIG": "Vitry-sur-Seine", "SMALL": "Gentilly"}, (500, 500))
    assert [lab.code for lab in fitted] == ["BIG"]
    lab = fitted[0]
    assert shape(shapes["BIG"]).contains(
        box(lab.lon - 0.001, lab.lat - 0.001, lab.lon + 0.001, lab.lat + 0.001)
    )
    assert labels.fit_labels(shapes, {"BIG": "Vitry-sur-Seine"}, (40, 40)) == []  # small map: none


def test_long_names_are_shortened_or_broken_before_being_dropped():
    assert labels.candidates("Villeneuve-Saint-Georges")[-1] == ["Villeneuve-", "Saint-Georges"]
    assert ["Vitry"] in labels.candidates("Vitry-sur-Seine")


def test_map_labels_take_the_contrasting_colour_of_their_class():
    frame = pd.DataFrame({"code": ["A", "B"], "name": ["Alpha", "Beta"], "value": [1.0, 100.0]})
    geo = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": "A", "geometry": square(2.30, 48.70, 0.05)},
            {"type": "Feature", "id": "B", "geometry": square(2.36, 48.70, 0.05)},
        ],
    }
    fig = maps.choropleth(frame, geo, JOBS, "Emplois", labels=True, label_size=(600, 400))
    lab = fig.data[-1]
    fills = {tr.locations[0]: tr.colorscale[0][1] for tr in fig.data if tr.legendgroup == "classes"}
    colors = dict(zip(lab.customdata, lab.textfont.color, strict=True))
    assert set(colors) == {"A", "B"}
    for code, ink in colors.items():
        assert ink == roles.text_on(fills[code])


# --- source once, accessible names (#9.10, #10) ----------------------------------------------


def test_source_is_not_in_app_figures_and_drawn_once_in_images():
    fig = charts.compare_bars(counts()[counts()["year"] == 2022], RATE, "Taux", highlight="94081")
    assert not [a for a in fig.layout.annotations if "Source" in a.text]
    image = standalone(fig, width=1200)
    sources = [a for a in image.layout.annotations if "Source" in a.text]
    assert len(sources) == 1 and sources[0].text == "Source : Insee"
    assert image.layout.height > fig.layout.height  # room for the source line


def test_describe_names_the_chart_and_its_main_values():
    frame = pd.DataFrame(
        {"code": ["94081", "MGP"], "name": ["Vitry-sur-Seine", "MGP"], "value": [14.6, 11.8]}
    )
    fig = charts.compare_bars(frame, RATE, "Taux de chômage", highlight="94081", subtitle="Vitry, 2022")
    said = text.describe(fig)
    assert said.startswith("Taux de chômage. Vitry, 2022.")
    assert "Vitry-sur-Seine : 14,6 %" in said and "MGP : 11,8 %" in said
    geo = {"type": "FeatureCollection", "features": []}
    map_said = text.describe(maps.choropleth(frame, geo, RATE, "Taux"))
    assert "2 communes" in map_said and "plus élevé : Vitry-sur-Seine" in map_said


def test_month_ticks_are_french_and_level():
    dates = [f"{y}-{m:02d}-01" for y in (2021, 2022, 2023, 2024) for m in range(1, 13)]
    ticks = charts.month_ticks(dates, "fr")
    assert ticks["ticktext"] == ["2021", "2022", "2023", "2024"] and ticks["tickangle"] == 0
    assert charts.month_ticks(dates[:12], "fr")["ticktext"][:2] == ["janv. 2021", "avr. 2021"]
    assert np.all([d.endswith("-01-01") for d in ticks["tickvals"]])


def test_strip_of_counts_drops_territory_references_and_spreads_on_a_log_scale():
    frame = pd.DataFrame(
        {
            "code": ["75056", "94081", "94022"],
            "name": ["Paris", "Vitry", "Choisy"],
            "value": [1.9e6, 27441.0, 9000.0],
        }
    )
    fig = charts.strip(frame, JOBS, "Emplois", "94081", references=[("MGP", 4.1e6), ("GOSB", 285552.0)])
    assert fig.layout.xaxis.type == "log" and not fig.layout.shapes


# --- change over time follows the one comparable-vintage rule (R1 point 9) -----------------------


def _census(ind_id: str, years: tuple[int, ...]):
    import dataclasses

    from indicators import get_indicator

    return dataclasses.replace(get_indicator(ind_id), years=years)


def test_comparable_chain_follows_comparable_year():
    jobs = _census("jobs", (2013, 2016, 2018, 2022))
    assert compare.comparable_chain(jobs, jobs.years) == [2016, 2022]  # 2018 is 4 years from 2022
    assert compare.comparable_chain(jobs, (2013, 2018)) == [2013, 2018]  # a place's own vintages
    rate = _census("unemployment_rate", (2018, 2022))
    assert compare.comparable_chain(rate, rate.years) == [2022]  # nothing 5 years apart
    seekers = _census("jobseekers", (2020, 2021, 2022))  # not a census: every year joined
    assert compare.comparable_chain(seekers, seekers.years) == [2020, 2021, 2022]


def test_census_vintages_too_close_are_points_without_a_line():
    frame = pd.DataFrame(
        {"code": "94081", "name": "Vitry-sur-Seine", "year": [2018, 2022], "value": [15.9, 14.6]}
    )
    rate = _census("unemployment_rate", (2018, 2022))
    fig = charts.series(frame, RATE, "Taux de chômage", highlight="94081", indicator=rate)
    assert [tr.mode for tr in fig.data] == ["markers"] and list(fig.data[0].x) == [2018, 2022]
    assert "5 ans d'écart" in fig.layout.title.subtitle.text.replace("<br>", " ")
    said = text.describe(fig)
    assert "Vitry-sur-Seine : 2018 15,9 %, 2022 14,6 %" in said and "→" not in said
    lines = charts.series(frame, RATE, "Taux de chômage", highlight="94081")  # no indicator: as before
    assert lines.data[0].mode == "lines+markers"


def test_census_chain_is_joined_and_other_vintages_stand_alone():
    frame = counts()
    frame = pd.concat([frame, frame[frame["year"] == 2013].assign(year=2016)], ignore_index=True)
    jobs = _census("jobs", (2013, 2016, 2018, 2022))
    fig = charts.series(frame, JOBS, "Emplois", highlight="94081", indicator=jobs)
    vitry = [tr for tr in fig.data if tr.customdata[0] == "94081"]
    assert [(tr.mode, list(tr.x), tr.showlegend) for tr in vitry] == [
        ("lines+markers", [2016, 2022], True),
        ("markers", [2013, 2018], False),
    ]


def test_a_single_vintage_says_so():
    frame = pd.DataFrame(
        {"code": ["94041", "MGP"], "name": ["Ivry-sur-Seine", "MGP"], "year": 2024, "value": [39.8, 27.9]}
    )
    m = Measure("social_housing_share", "Logements sociaux", "per_100", 1, "", "Source : SDES", "en")
    fig = charts.series(frame, m, "Social dwellings", highlight="94041")
    assert {tr.mode for tr in fig.data} == {"markers"}
    assert "one vintage only (2024)" in fig.layout.title.subtitle.text.replace("<br>", " ")
    said = text.describe(fig, "en")
    assert "Ivry-sur-Seine: 2024 39.8" in said and "→" not in said
