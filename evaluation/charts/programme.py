"""Figure factories of programmes on the founding framework: the ten steps as a radar against targets,
and progress per target horizon. Tidy data in, `go.Figure` out; no Streamlit, no database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from evaluation.charts.figures import RADAR_HOVER, _wrap, radar_layout
from evaluation.charts.hover import hover_of, hover_texts
from evaluation.formats import fmt_count, fmt_share

SERIES_STYLES = ({"fill": "toself"}, {"line": {"dash": "dash"}}, {"line": {"dash": "dot"}})


def steps_radar_figure(
    series: Mapping[str, Mapping[str, float]],
    labels: Mapping[str, str],
    *,
    title: str,
    lang: str,
) -> go.Figure:
    """One closed polygon per named series over the steps in `labels` order (1-5 scale). A step missing
    from a series is left as a gap (None), never drawn as zero. The first series is filled. With `lang`
    the hover writes each level in that locale."""
    codes = list(labels)
    theta = [_wrap(f"{code} {labels[code]}") for code in codes]
    fig = go.Figure()
    for number, (name, values) in enumerate(series.items()):
        radius = [values.get(code) for code in codes]
        fig.add_trace(
            go.Scatterpolar(
                r=[*radius, radius[0]] if codes else [],
                theta=[*theta, theta[0]] if codes else [],
                name=name,
                connectgaps=False,
                **hover_of([*radius, radius[0]] if codes else [], lang, RADAR_HOVER),
                **SERIES_STYLES[min(number, len(SERIES_STYLES) - 1)],
            )
        )
    return radar_layout(fig, title)


def horizon_progress_figure(
    horizons: Sequence[str],
    shares: Sequence[float],
    reached: Sequence[int],
    agencies: Sequence[int],
    *,
    title: str,
    share_name: str,
    lang: str = "id",
) -> go.Figure:
    """Mean share of the way from baseline to target per horizon (0-100 %), each bar labelled
    'reached / agencies with a target'; label and hover written in `lang`."""
    fig = go.Figure(
        go.Bar(
            x=list(horizons),
            y=[round(100 * s, 1) for s in shares],
            text=[
                f"{fmt_count(r, lang)}/{fmt_count(n, lang)}" for r, n in zip(reached, agencies, strict=True)
            ],
            customdata=hover_texts(shares, lang, fmt_share),
            hovertemplate="%{x}: %{customdata}<extra></extra>",
            textposition="outside",
            name=share_name,
            marker={"color": "#6c3483"},
        )
    )
    fig.update_layout(title=title, yaxis={"title": f"{share_name} (%)", "range": [0, 110]}, showlegend=False)
    return fig
