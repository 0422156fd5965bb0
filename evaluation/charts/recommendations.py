"""The overview's figure of open recommendations: one horizontal bar per group (an indicator, a category,
a province), split into those still within their due date and those past it."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from evaluation.charts.hover import hover_texts
from evaluation.formats import fmt_count

WITHIN, OVERDUE = "#1f4e79", "#c0392b"


def open_recommendations_figure(
    counts: pd.DataFrame, *, title: str, within_label: str, overdue_label: str, x_label: str, lang: str = "id"
) -> go.Figure:
    """`counts` (columns: label, open, overdue), most first: stacked bars of open recommendations, the
    overdue part in red; hovers write the counts in `lang`. Labels are shown as given (the page makes them
    inert)."""
    ordered = counts.iloc[::-1]  # plotly draws the first category at the bottom
    within = (ordered["open"] - ordered["overdue"]).tolist()
    fig = go.Figure(
        [
            go.Bar(
                y=ordered["label"],
                x=values,
                orientation="h",
                name=name,
                marker_color=colour,
                customdata=hover_texts(values, lang, fmt_count),
                hovertemplate="%{y}: %{customdata}<extra></extra>",
            )
            for values, name, colour in (
                (within, within_label, WITHIN),
                (ordered["overdue"], overdue_label, OVERDUE),
            )
        ]
    )
    fig.update_layout(
        title=title,
        barmode="stack",
        xaxis={"title": x_label, "dtick": 1 if max(counts["open"].tolist(), default=0) <= 10 else None},
        legend={"orientation": "h"},
        margin={"t": 60, "b": 30, "l": 10},
        height=max(260, 28 * len(counts) + 120),
    )
    return fig
