"""Plotly figure factories for the roadmap pages: tidy data in, `go.Figure` out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from evaluation.charts.figures import year_line
from evaluation.charts.hover import hover_of
from evaluation.formats import SEPARATORS, fmt_day, fmt_share, fmt_short, month_ticks

STATUS_COLOURS = {"achieved": "#1e6f5c", "on_track": "#27ae60", "at_risk": "#e67e22", "off_track": "#c0392b"}
HORIZON_SYMBOLS = {"short": "circle", "medium": "diamond", "long": "star"}
PATH_HOVER = "%{x}: %{customdata}"  # year: value
LEVEL_HOVER = "%{x} %{hovertext}: %{customdata}"
ACTIVITY_COLOURS = {"planned": "#95a5a6", "in_progress": "#2e86c1", "done": "#1e6f5c", "cancelled": "#bdc3c7"}


def target_path_figure(
    observed: Mapping[int, float],
    targets: pd.DataFrame,
    *,
    title: str,
    actual_name: str,
    y_label: str,
    y_range: tuple[float, float] = (1, 5),
    lang: str,
) -> go.Figure:
    """The actual value per year and, per target (columns horizon, label, baseline_year, baseline_value,
    target_year, target_value, status), the straight path from its baseline to it, horizon marked. With
    `lang` the hover writes each value in that locale (3,28 / 3.28)."""
    fig = go.Figure()
    years = sorted(observed)
    fig.add_trace(
        go.Scatter(
            x=years,
            y=[observed[y] for y in years],
            mode="lines+markers",
            name=actual_name,
            line={"color": "#1f4e79", "width": 3},
            **hover_of([observed[y] for y in years], lang, PATH_HOVER),
        )
    )
    for row in targets.itertuples():
        colour = STATUS_COLOURS.get(str(row.status), "#555555")
        fig.add_trace(
            go.Scatter(
                x=[row.baseline_year, row.target_year],
                y=[row.baseline_value, row.target_value],
                mode="lines+markers",
                name=str(row.label),
                line={"dash": "dash", "color": colour},
                **hover_of([row.baseline_value, row.target_value], lang, PATH_HOVER),
                marker={
                    "symbol": ["circle-open", HORIZON_SYMBOLS.get(str(row.horizon), "circle")],
                    "size": [6, 14],
                    "color": colour,
                },
            )
        )
    fig.update_layout(
        title=title,
        yaxis={"title": y_label, "range": list(y_range)},
        xaxis={"dtick": 1},
        legend={"orientation": "h"},
        margin={"t": 60, "b": 30},
    )
    return fig


def levels_figure(
    current: Mapping[str, float],
    planned: Mapping[str, float],
    *,
    labels: Mapping[str, str],
    current_name: str,
    planned_name: str,
    title: str,
    lang: str = "id",
) -> go.Figure:
    """Current vs target (or what-if) level per indicator or group, side by side; the hover names the code
    and writes the level in `lang` (2,5 / 2.5)."""
    codes = list(current)
    fig = go.Figure(
        [
            go.Bar(
                x=codes,
                y=[current[c] for c in codes],
                name=current_name,
                marker_color="#1f4e79",
                hovertext=[labels.get(c, "") for c in codes],
                **hover_of([current[c] for c in codes], lang, LEVEL_HOVER, fmt_short),
            ),
            go.Bar(
                x=codes,
                y=[planned.get(c) for c in codes],
                name=planned_name,
                marker_color="#27ae60",
                hovertext=[labels.get(c, "") for c in codes],
                **hover_of([planned.get(c) for c in codes], lang, LEVEL_HOVER, fmt_short),
            ),
        ]
    )
    fig.update_layout(
        barmode="group",
        title=title,
        yaxis={"range": [0, 5], "dtick": 1},
        legend={"orientation": "h"},
        margin={"t": 60, "b": 30},
    )
    return fig


def gantt_figure(
    activities: pd.DataFrame,
    *,
    title: str,
    today: date,
    today_label: str,
    lang: str = "id",
    status_names: Mapping[str, str] | None = None,
) -> go.Figure:
    """Activities as a timeline (columns title, starts_on, due_on, status, overdue); overdue ones in red.
    Month ticks and the hover's dates are written in `lang` (plotly's own date ticks are English);
    `status_names` gives the hover's word for each status."""
    names = status_names or {}
    fig = go.Figure()
    for row in activities.itertuples():
        start, due = pd.Timestamp(str(row.starts_on)), pd.Timestamp(str(row.due_on))
        length = (pd.Timestamp(str(row.due_on)) - start) / pd.Timedelta(milliseconds=1) + 86_400_000
        fig.add_trace(
            go.Bar(
                y=[row.title],
                x=[length],
                base=[start],
                orientation="h",
                name=str(row.status),
                marker={
                    "color": ACTIVITY_COLOURS.get(str(row.status), "#999999"),
                    "line": {"color": "#c0392b" if row.overdue else "rgba(0,0,0,0)", "width": 3},
                },
                showlegend=False,
                hovertext=f"{fmt_day(start.date(), lang)} → {fmt_day(due.date(), lang)} "
                f"({names.get(str(row.status), str(row.status))})",
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    first = min([today, *(pd.Timestamp(str(d)).date() for d in activities["starts_on"])])
    last = max([today, *(pd.Timestamp(str(d)).date() for d in activities["due_on"])])
    tickvals, ticktext = month_ticks(first, last, lang)
    fig.add_vline(
        x=pd.Timestamp(today).timestamp() * 1000,
        line_dash="dot",
        line_color="#c0392b",
        annotation_text=today_label,
    )
    fig.update_layout(
        title=title,
        xaxis={"type": "date", "tickmode": "array", "tickvals": tickvals, "ticktext": ticktext},
        yaxis={"autorange": "reversed"},
        separators=SEPARATORS.get(lang, ".,"),
        margin={"t": 60, "b": 30},
        height=max(240, 60 + 36 * len(activities)),
    )
    return fig


def share_figure(
    shares: pd.DataFrame,
    targets: Sequence[tuple[str, float]],
    *,
    title: str,
    y_label: str,
    lang: str,
) -> go.Figure:
    """Share of agencies at a predicate or better per category and year (columns category, year, share),
    with each category's target as a dashed level. With `lang` the hover writes the share in that locale
    (25%)."""
    fig = go.Figure()
    palette = ["#1f4e79", "#b03a2e", "#27ae60", "#e67e22", "#6c3483"]
    for i, (category, part) in enumerate(shares.groupby("category", sort=False)):
        colour = palette[i % len(palette)]
        part = part.sort_values("year")
        fig.add_trace(
            year_line(
                part,
                "share",
                str(category),
                line={"color": colour},
                **hover_of(part["share"], lang, PATH_HOVER, fmt_share),
            )
        )
        for target_category, value in targets:
            if target_category == category:
                fig.add_hline(y=value, line_dash="dash", line_color=colour, opacity=0.6)
    fig.update_layout(
        title=title,
        yaxis={"title": y_label, "range": [0, 1.05], "tickformat": ".0%"},
        xaxis={"dtick": 1},
        legend={"orientation": "h"},
        margin={"t": 60, "b": 30},
    )
    return fig
