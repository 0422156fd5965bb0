"""Plotly figure factories: tidy data in, `go.Figure` out. No Streamlit, no database."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from evaluation.charts.hover import hover_of
from evaluation.formats import SEPARATORS, framework_label

PREDICATE_COLOURS = {
    "Kurang": "#c0392b",
    "Cukup": "#e67e22",
    "Baik": "#f1c40f",
    "Sangat Baik": "#27ae60",
    "Memuaskan": "#1e6f5c",
}
RADAR_HOVER = "%{theta}: %{customdata}"
FRAMEWORK_COLOURS = {"spbe-2020": "#1f4e79", "pemdi-2026": "#b03a2e", "vision-to-evaluation": "#6c3483"}


def national_trend_figure(
    trend: pd.DataFrame, *, title: str, break_label: str, y_label: str, lang: str = "id"
) -> go.Figure:
    """One line per framework (columns: year, framework_id, index, label), a dashed break where it changes;
    a line is named by its framework's name in `lang`; the hover shows the point's `label` (the page's
    text of the index), never plotly's number."""
    fig = go.Figure()
    for framework_id, part in trend.groupby("framework_id", sort=False):
        part = part.sort_values("year")
        fig.add_trace(
            year_line(
                part,
                "index",
                framework_label(str(framework_id), lang),
                mode="lines+markers+text",
                text=part["label"],
                textposition="top center",
                hovertemplate="%{x}: %{text}",
                line={"color": FRAMEWORK_COLOURS.get(str(framework_id), "#555555"), "width": 3},
            )
        )
    add_framework_breaks(fig, trend, break_label)
    fig.update_layout(
        title=title,
        yaxis={"title": y_label, "range": [1, 5]},
        xaxis={"dtick": 1},
        legend={"orientation": "h"},
        margin={"t": 60, "b": 30},
        separators=SEPARATORS.get(lang, ".,"),
    )
    return fig


def year_line(part: pd.DataFrame, y: str, name: str, /, **style: object) -> go.Scatter:
    """One line of `part`'s column `y` over its `year` column (`part` sorted by year), named `name`;
    `style` holds the trace's other go.Scatter arguments (line, marker, text, hover; `mode` lines and
    markers unless given)."""
    return go.Scatter(x=part["year"], y=part[y], name=name, **{"mode": "lines+markers", **style})


def add_framework_breaks(fig: go.Figure, points: pd.DataFrame, label: str) -> None:
    """A dashed vertical line, labelled, halfway between the last year of one framework and the first of
    the next (`points`: year, framework_id)."""
    ordered = points.sort_values("year")
    frameworks = list(dict.fromkeys(ordered["framework_id"]))
    for earlier, later in itertools.pairwise(frameworks):
        last = ordered[ordered["framework_id"] == earlier]["year"].max()
        first = ordered[ordered["framework_id"] == later]["year"].min()
        fig.add_vline(
            x=(last + first) / 2,
            line_dash="dash",
            line_color="#888888",
            annotation_text=label,
            annotation_position="top left",
        )


def predicate_bar_figure(
    counts: pd.DataFrame,
    *,
    predicates: Sequence[str],
    categories: Sequence[str],
    title: str,
    x_label: str,
    y_label: str,
) -> go.Figure:
    """Stacked bars of agencies per category (columns: category, predicate, count), bands in order."""
    fig = go.Figure()
    for predicate in predicates:
        part = counts[counts["predicate"] == predicate]
        fig.add_trace(
            go.Bar(
                x=part["category"],
                y=part["count"],
                name=predicate,
                marker_color=PREDICATE_COLOURS.get(predicate, "#999999"),
            )
        )
    fig.update_layout(
        barmode="stack",
        title=title,
        xaxis_title=x_label,
        yaxis_title=y_label,
        xaxis={"categoryorder": "array", "categoryarray": list(categories)},
        legend={"orientation": "h", "y": 1.08, "x": 0, "traceorder": "normal"},
        margin={"t": 90, "b": 30},
    )
    return fig


def radar_figure(
    values: dict[str, float],
    labels: dict[str, str],
    *,
    title: str,
    compare: dict[str, float] | None = None,
    compare_name: str = "",
    lang: str,
) -> go.Figure:
    """Group indices on a 1-5 radar; optionally a second polygon (e.g. the national mean). With `lang`
    the hover writes each value in that locale (3,28 / 3.28)."""
    codes = list(values)
    theta = [_wrap(f"{code} {labels.get(code, '')}".strip()) for code in codes]
    fig = go.Figure()
    if compare:
        fig.add_trace(
            go.Scatterpolar(
                r=[compare.get(c) for c in codes] + [compare.get(codes[0])],
                theta=[*theta, theta[0]],
                name=compare_name,
                line={"dash": "dot"},
                **hover_of([compare.get(c) for c in [*codes, codes[0]]], lang, RADAR_HOVER),
            )
        )
    fig.add_trace(
        go.Scatterpolar(
            r=[values[c] for c in codes] + [values[codes[0]]],
            theta=[*theta, theta[0]],
            fill="toself",
            name=title,
            **hover_of([values[c] for c in [*codes, codes[0]]], lang, RADAR_HOVER),
        )
    )
    return radar_layout(fig, title)


def radar_layout(fig: go.Figure, title: str) -> go.Figure:
    """The radar charts' frame: levels 0-5 on the radial axis, the legend below, room for wrapped labels."""
    fig.update_layout(
        polar={"radialaxis": {"range": [0, 5], "dtick": 1}, "domain": {"x": [0.12, 0.88]}},
        title=title,
        legend={"orientation": "h"},
        margin={"t": 60, "b": 30, "l": 40, "r": 40},
    )
    return fig


def _wrap(text: str, width: int = 13) -> str:
    """Break a long axis label into lines (plotly wraps nothing by itself)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + len(word) < width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)
