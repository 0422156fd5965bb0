"""Plotly figure factories for comparing agencies: tidy data in, `go.Figure` out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from evaluation.charts.hover import hover_texts
from evaluation.formats import fmt_short

LEVEL_SCALE = [[0.0, "#c0392b"], [0.25, "#e67e22"], [0.5, "#f1c40f"], [0.75, "#27ae60"], [1.0, "#1e6f5c"]]


def heatmap_figure(
    matrix: pd.DataFrame, names: Mapping[int, str], *, title: str, colour_label: str, lang: str = "id"
) -> go.Figure:
    """Agencies (rows, by id) x indicators or groups (columns) coloured by level 1-5; the hover writes the
    level in `lang` (2,5 / 2.5)."""
    fig = go.Figure(
        go.Heatmap(
            z=matrix.values,
            x=list(matrix.columns),
            y=[names.get(int(i), str(i)) for i in matrix.index],
            zmin=1,
            zmax=5,
            colorscale=LEVEL_SCALE,
            colorbar={"title": colour_label},
            xgap=1,
            ygap=1,
            customdata=[hover_texts(row, lang, fmt_short) for row in matrix.values],
            hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>",
        )
    )
    fig.update_layout(
        title=title,
        height=max(320, 120 + 18 * len(matrix)),
        yaxis={"autorange": "reversed"},
        margin={"t": 60, "b": 30, "l": 10},
    )
    return fig


def distribution_figure(
    frame: pd.DataFrame,
    *,
    categories: Sequence[str],
    title: str,
    y_label: str,
    highlight: tuple[str, str, float] | None = None,
    lang: str = "id",
) -> go.Figure:
    """The index by category as box plots with every agency a point; one agency (category, name, index)
    marked against its peers. Hovers write the index in `lang` (3,28 / 3.28)."""
    fig = go.Figure()
    for category in categories:
        part = frame[frame["category"] == category]
        if part.empty:
            continue
        fig.add_trace(
            go.Box(
                y=part["index"],
                name=category,
                boxpoints="all",
                jitter=0.4,
                pointpos=0,
                marker={"size": 4, "opacity": 0.5},
                text=part["name"],
                customdata=hover_texts(part["index"], lang),
                hovertemplate="%{text}: %{customdata}<extra></extra>",
                showlegend=False,
            )
        )
    if highlight is not None:
        category, name, value = highlight
        fig.add_trace(
            go.Scatter(
                x=[category],
                y=[value],
                mode="markers+text",
                text=[name],
                textposition="middle right",
                customdata=hover_texts([value], lang),
                hovertemplate="%{text}: %{customdata}<extra></extra>",
                name=name,
                marker={"size": 14, "color": "#b03a2e", "symbol": "star"},
            )
        )
    fig.update_layout(
        title=title,
        yaxis={"title": y_label, "range": [1, 5]},
        margin={"t": 60, "b": 30},
        legend={"orientation": "h"},
    )
    return fig


def rollup_figure(
    rollup: pd.DataFrame,
    *,
    title: str,
    x_label: str,
    colours: Mapping[str, str],
    predicates: Sequence[str],
    lang: str = "id",
) -> go.Figure:
    """Provinces as horizontal bars of their rolled-up value, coloured by the predicate of that value
    (`predicates`, one per row; "" when none); the hover writes the value in `lang`."""
    fig = go.Figure(
        go.Bar(
            x=rollup["value"],
            y=rollup["province"],
            orientation="h",
            marker_color=[colours.get(p, "#7f8c8d") for p in predicates],
            customdata=list(zip(hover_texts(rollup["value"], lang), predicates, strict=True)),
            hovertemplate="%{y}: %{customdata[0]} %{customdata[1]}<extra></extra>",
        )
    )
    fig.update_layout(
        title=title,
        height=max(320, 120 + 20 * len(rollup)),
        xaxis={"title": x_label, "range": [1, 5]},
        yaxis={"autorange": "reversed"},
        margin={"t": 60, "b": 30, "l": 10},
    )
    return fig
