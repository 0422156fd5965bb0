"""Trend figures: mean or agency lines over the years, one segment per framework with a visible break where
the framework changes; values carried across by an admin-defined crosswalk are drawn dotted and named
as mapped. Published results are hollow markers, assessed periods filled."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from evaluation.charts.figures import add_framework_breaks, year_line
from evaluation.charts.hover import hover_texts
from evaluation.formats import SEPARATORS, framework_label

SERIES_COLOURS = ("#1f4e79", "#b03a2e", "#27ae60", "#e67e22", "#6c3483", "#17a589", "#7f8c8d")


def trend_lines_figure(
    lines: pd.DataFrame,
    *,
    title: str,
    y_label: str,
    break_label: str,
    mapped_suffix: str,
    mapped_note: str,
    published_label: str,
    lang: str = "id",
) -> go.Figure:
    """`lines` (trends.LINE_COLUMNS): one trace per series, framework and mapped-or-not; a trace is named
    by its series and the framework's name in `lang` (never its id)."""
    fig = go.Figure()
    colours = {
        s: SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, s in enumerate(dict.fromkeys(lines["series"]))
    }
    for (series, framework_id, mapped), part in lines.groupby(
        ["series", "framework_id", "mapped"], sort=False
    ):
        part = part.sort_values("year")
        published = part["source"] == "published"
        name = f"{series} · {framework_label(str(framework_id), lang)}" + (
            f" ({mapped_suffix})" if mapped else ""
        )
        fig.add_trace(
            year_line(
                part,
                "index",
                name,
                line={
                    "color": colours[series],
                    "width": 2 if mapped else 3,
                    "dash": "dot" if mapped else "solid",
                },
                marker={
                    "size": 9,
                    "symbol": ["circle-open" if p else "circle" for p in published],
                    "color": colours[series],
                },
                customdata=list(
                    zip(
                        hover_texts(part["index"], lang),
                        [published_label if p else "" for p in published],
                        strict=True,
                    )
                ),
                hovertemplate=f"{name}<br>%{{x}}: %{{customdata[0]}} %{{customdata[1]}}<extra></extra>",
            )
        )
    add_framework_breaks(fig, lines[~lines["mapped"]], break_label)
    if lines["mapped"].any():
        fig.add_annotation(
            text=mapped_note, xref="paper", yref="paper", x=0, y=-0.18, showarrow=False, align="left"
        )
    fig.update_layout(
        title=title,
        yaxis={"title": y_label, "range": [1, 5]},
        xaxis={"dtick": 1},
        legend={"orientation": "h", "y": -0.28},
        margin={"t": 60, "b": 90},
        separators=SEPARATORS.get(lang, ".,"),
    )
    return fig
