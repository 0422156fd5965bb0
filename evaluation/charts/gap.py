"""Figures of self-assessment against the final result: the mean gap per indicator, and every agency's
self-assessed index against its final index (above the diagonal: claimed more than confirmed)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from evaluation.charts.hover import hover_texts
from evaluation.formats import SEPARATORS, fmt_delta, fmt_share, framework_label

OVER, UNDER, EVEN = "#c0392b", "#1f4e79", "#7f8c8d"


def _colour(gap: float) -> str:
    return OVER if gap > 0 else UNDER if gap < 0 else EVEN


def _gap_hover(names: Iterable[str], gaps: pd.DataFrame, lang: str) -> list[tuple[str, str, str]]:
    """Per bar: its name, the mean gap with its sign (+0,42) and the share over-claimed (25%)."""
    return list(
        zip(
            names,
            hover_texts(gaps["mean_gap"], lang, fmt_delta),
            hover_texts(gaps["over_share"], lang, fmt_share),
            strict=True,
        )
    )


def _indices_hover(points: pd.DataFrame, x_label: str, y_label: str, lang: str) -> dict[str, object]:
    """A point's name with its final and self-assessed index in `lang` (customdata and template)."""
    return {
        "customdata": np.array(  # an array: plotly checks a list of pairs element by element
            [hover_texts(points["final_index"], lang), hover_texts(points["self_index"], lang)], dtype=object
        ).T,
        "hovertemplate": f"%{{text}}<br>{x_label} %{{customdata[0]}} · {y_label} %{{customdata[1]}}"
        "<extra></extra>",
    }


def indicator_gap_figure(
    by_indicator: pd.DataFrame, *, title: str, y_label: str, lang: str = "id"
) -> go.Figure:
    """Mean gap (self - final) per indicator; over-claiming in red, under-claiming in blue, none in grey;
    the hover writes the gap and the share over-claimed in `lang` (+0,42 · 25%)."""
    fig = go.Figure(
        go.Bar(
            x=by_indicator["indicator"],
            y=by_indicator["mean_gap"],
            marker_color=[_colour(v) for v in by_indicator["mean_gap"]],
            customdata=_gap_hover(by_indicator["indicator_name"], by_indicator, lang),
            hovertemplate="%{x} %{customdata[0]}<br>%{customdata[1]} · %{customdata[2]}<extra></extra>",
        )
    )
    fig.update_layout(title=title, yaxis={"title": y_label, "zeroline": True}, margin={"t": 60, "b": 30})
    return fig


def self_final_figure(
    by_agency: pd.DataFrame,
    *,
    title: str,
    x_label: str,
    y_label: str,
    highlight: int | None = None,
    lang: str = "id",
) -> go.Figure:
    """Each agency a point: final index (x) against self-assessed index (y), with the line of agreement;
    hovers write both indices in `lang`."""
    frame = by_agency.dropna(subset=["self_index", "final_index"])
    fig = go.Figure(
        go.Scatter(  # numpy arrays: plotly checks a list element by element (6,520 points at 10x)
            x=frame["final_index"].to_numpy(dtype=float),
            y=frame["self_index"].to_numpy(dtype=float),
            mode="markers",
            name=y_label,
            text=frame["name"].to_numpy(dtype=object),
            marker={
                "size": 6,
                "opacity": 0.6,
                "color": [_colour(g) for g in frame["index_gap"]],
            },
            **_indices_hover(frame, x_label, y_label, lang),
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[1, 5], y=[1, 5], mode="lines", line={"dash": "dash", "color": "#888888"}, showlegend=False
        )
    )
    chosen = frame[frame["agency_id"] == highlight]
    if not chosen.empty:
        fig.add_trace(
            go.Scatter(
                x=chosen["final_index"],
                y=chosen["self_index"],
                mode="markers+text",
                text=chosen["name"],
                textposition="middle right",
                **_indices_hover(chosen, x_label, y_label, lang),
                marker={"size": 14, "symbol": "star", "color": "#f1c40f", "line": {"width": 1}},
                name=str(chosen["name"].iloc[0]),
                showlegend=False,
            )
        )
    fig.update_layout(
        title=title,
        xaxis={"title": x_label, "range": [1, 5]},
        yaxis={"title": y_label, "range": [1, 5]},
        margin={"t": 60, "b": 30},
    )
    return fig


def gap_by_year_figure(by_year: pd.DataFrame, *, title: str, y_label: str, lang: str = "id") -> go.Figure:
    """The mean gap per period as bars (year on x, the framework's name in `lang` in the hover), coloured by
    its sign."""
    frameworks = [framework_label(str(f), lang) for f in by_year["framework_id"]]
    fig = go.Figure(
        go.Bar(
            x=by_year["year"],
            y=by_year["mean_gap"],
            marker_color=[_colour(v) for v in by_year["mean_gap"]],
            customdata=_gap_hover(frameworks, by_year, lang),
            hovertemplate="%{x} · %{customdata[0]}<br>%{customdata[1]} · %{customdata[2]}<extra></extra>",
        )
    )
    fig.update_layout(
        title=title,
        yaxis={"title": y_label, "zeroline": True},
        xaxis={"dtick": 1},
        margin={"t": 60, "b": 30},
        separators=SEPARATORS.get(lang, ".,"),
    )
    return fig
