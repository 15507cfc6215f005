"""The plotly figure of a slide's chart (``exports.charts.ChartSpec``): horizontal bars, highest
first, each in its role's colour, values printed after the bars. Web slides print the title,
caption and sources as HTML around it; a standalone image (PNG/SVG download) carries them inside.
"""

from __future__ import annotations

import plotly.graph_objects as go

from exports.charts import FONT_FAMILY, GRID, INK, MUTED, ChartSpec


def figure(
    spec: ChartSpec,
    *,
    width: int | None = None,
    height: int | None = None,
    font_size: int = 16,
    standalone: bool = False,
) -> go.Figure:
    """The plotly figure of ``spec``.

    ``standalone`` puts the title, caption and source inside the image (PNG/SVG downloads); web
    slides print them as HTML around the chart instead, in larger type.
    """
    n = len(spec.bars)
    y = list(range(n))
    names = [f"<b>{b.label}</b>" if b.role != "peer" else b.label for b in spec.bars]
    # Labels outside the bars, in the bar's colour weight: bold for focus and references.
    texts = [f"<b>{b.text}</b>" if b.role != "peer" else b.text for b in spec.bars]
    fig = go.Figure(
        go.Bar(
            x=[b.value for b in spec.bars],
            y=y,
            orientation="h",
            text=texts,
            textposition="outside",
            # constraintext none: else plotly shrinks the labels to the thickness of the bars.
            cliponaxis=False,
            constraintext="none",
            marker={"color": [b.fill for b in spec.bars]},
            textfont={"size": font_size, "color": INK},
            hoverinfo="skip",
        )
    )
    top = 130 if standalone else 10
    bottom = (90 if standalone else 10) + (int(font_size * 1.6) if spec.partial else 0)
    fig.update_layout(
        width=width,
        height=height,
        autosize=width is None,
        template="none",
        showlegend=False,
        paper_bgcolor="white",
        plot_bgcolor="white",
        separators=".," if spec.lang == "en" else ", ",
        bargap=0.25,
        font={"family": FONT_FAMILY, "size": font_size, "color": INK},
        # Right margin: room for the longest value printed after its bar (bold ≈ 0.65 em a
        # character), no more: on a phone (390 px) a wider one left plotly's automargin too little
        # plot area to push the left margin, and long bold names were cut on the left (R1 #10).
        margin={
            "l": 40 if standalone else 10,
            "r": 16 + round(font_size * 0.65 * max((len(b.text) for b in spec.bars), default=5)),
            "t": top,
            "b": bottom,
            "pad": 6,
        },
        minreducedwidth=40,
        xaxis={
            "showgrid": True,
            "gridcolor": GRID,
            "zeroline": True,
            "zerolinecolor": MUTED,
            "showticklabels": False,
            "fixedrange": True,
        },
        yaxis={
            "tickvals": y,
            "ticktext": names,
            "autorange": "reversed",
            "automargin": True,
            "ticks": "",
            "fixedrange": True,
            "tickfont": {"size": font_size},
        },
    )
    if standalone:
        fig.update_layout(
            title={
                "text": f"<b>{spec.title}</b><br><span style='font-size:{font_size + 2}px;"
                f"color:{MUTED}'>{spec.caption}</span>",
                "x": 0.02,
                "xanchor": "left",
                "y": 0.97,
                "yanchor": "top",
                "font": {"size": int(font_size * 1.7)},
            }
        )
    # Web slides print the missing places and the sources in HTML; a standalone image carries them.
    notes = [spec.partial] if spec.partial else []  # what « * » means, on web slides too
    if standalone and spec.missing:
        notes.append(spec.missing_text)
    if standalone and spec.source:
        notes += spec.source.splitlines()
    if notes:
        fig.add_annotation(
            text="<br>".join(notes),
            x=0,
            xref="paper",
            xanchor="left",
            y=0,
            yref="paper",
            yanchor="top",
            yshift=-12,
            showarrow=False,
            align="left",
            font={"size": max(11, font_size - 4), "color": MUTED},
        )
    return fig
