"""Hover labels write numbers as the page does (issue 15): text from the one formatter, half-up to two
decimals in the reader's locale, never plotly's d3 `.2f` (which rounds the binary float: 2.675 -> 2.67,
1.005 -> 1.00, where the scoring publishes 2,68 and 1,01)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from evaluation.charts.comparison import distribution_figure, heatmap_figure, rollup_figure
from evaluation.charts.figures import radar_figure
from evaluation.charts.gap import gap_by_year_figure, indicator_gap_figure, self_final_figure
from evaluation.charts.hover import hover_texts
from evaluation.charts.programme import horizon_progress_figure, steps_radar_figure
from evaluation.charts.recommendations import open_recommendations_figure
from evaluation.charts.roadmap import levels_figure, share_figure, target_path_figure
from evaluation.charts.trend import trend_lines_figure

TIES = [2.675, 1.005]  # both stored just below the tie: d3 rounds them down, the scoring's rule up
SHOWN = {"id": ["2,68", "1,01"], "en": ["2.68", "1.01"]}
D3_NUMBER = re.compile(r"%\{[^}]*:[^}]*[df%]\}")  # %{y:.2f}, %{x:+.2f}, %{customdata[1]:.0f}


def figures(lang: str):  # type: ignore[no-untyped-def]
    """Every figure factory with hover numbers, fed the two ties."""
    two = pd.DataFrame({"agency_id": [1, 2], "name": ["A", "B"], "category": ["Kota", "Kota"]})
    yield (
        "heatmap",
        heatmap_figure(
            pd.DataFrame({"I01": TIES}, index=[1, 2]),
            {1: "A", 2: "B"},
            title="t",
            colour_label="c",
            lang=lang,
        ),
    )
    yield (
        "distribution",
        distribution_figure(two.assign(index=TIES), categories=["Kota"], title="t", y_label="y", lang=lang),
    )
    yield (
        "rollup",
        rollup_figure(
            pd.DataFrame({"province": ["P", "Q"], "value": TIES}),
            title="t",
            x_label="x",
            colours={},
            predicates=["", ""],
            lang=lang,
        ),
    )
    yield (
        "self_final",
        self_final_figure(
            two.assign(self_index=TIES, final_index=TIES, index_gap=[0.0, 0.0]),
            title="t",
            x_label="x",
            y_label="y",
            lang=lang,
        ),
    )
    yield (
        "trend",
        trend_lines_figure(
            pd.DataFrame(
                {
                    "series": ["N", "N"],
                    "year": [2024, 2025],
                    "framework_id": ["spbe-2020"] * 2,
                    "index": TIES,
                    "source": ["final", "final"],
                    "mapped": [False, False],
                }
            ),
            title="t",
            y_label="y",
            break_label="b",
            mapped_suffix="m",
            mapped_note="n",
            published_label="p",
            lang=lang,
        ),
    )
    yield "radar", radar_figure({"D1": TIES[0], "D2": TIES[1]}, {}, title="t", lang=lang)
    yield (
        "steps_radar",
        steps_radar_figure(
            {"s": {"S1": TIES[0], "S2": TIES[1]}}, {"S1": "a", "S2": "b"}, title="t", lang=lang
        ),
    )
    yield (
        "path",
        target_path_figure(
            {2024: TIES[0], 2025: TIES[1]}, pd.DataFrame(), title="t", actual_name="a", y_label="y", lang=lang
        ),
    )
    yield (
        "levels",
        levels_figure(
            {"D1": TIES[0], "D2": TIES[1]},
            {},
            labels={},
            current_name="c",
            planned_name="p",
            title="t",
            lang=lang,
        ),
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_hover_numbers_are_the_pages_half_up_text_in_the_readers_locale(lang):
    for name, fig in figures(lang):
        trace = fig.data[0]
        shown = [c if isinstance(c, str) else c[0] for c in (list(trace.customdata)[:2])]
        if name == "heatmap":
            shown = [row[0] for row in trace.customdata]
        assert shown == SHOWN[lang], name
        assert "customdata" in trace.hovertemplate and not D3_NUMBER.search(trace.hovertemplate), name


@pytest.mark.parametrize("lang", ["id", "en"])
def test_gaps_and_shares_in_the_hover_carry_sign_and_percent_in_the_readers_locale(lang):
    by_indicator = pd.DataFrame(
        {"indicator": ["I01"], "indicator_name": ["K"], "mean_gap": [0.125], "over_share": [0.5]}
    )
    [bar] = indicator_gap_figure(by_indicator, title="t", y_label="y", lang=lang).data
    assert tuple(bar.customdata[0]) == ("K", "+0,13" if lang == "id" else "+0.13", "50%")
    years = by_indicator.assign(year=[2026], framework_id=["pemdi-2026"])
    [bar] = gap_by_year_figure(years, title="t", y_label="y", lang=lang).data
    assert tuple(bar.customdata[0])[1:] == ("+0,13" if lang == "id" else "+0.13", "50%")
    assert not D3_NUMBER.search(bar.hovertemplate)


def test_counts_and_shares_are_grouped_in_the_readers_locale():
    counts = pd.DataFrame({"label": ["A"], "open": [10680], "overdue": [680]})
    within, overdue = open_recommendations_figure(
        counts, title="t", within_label="w", overdue_label="o", x_label="x", lang="id"
    ).data
    assert (list(within.customdata), list(overdue.customdata)) == (["10.000"], ["680"])
    [bar] = horizon_progress_figure(
        ["Pendek"], [0.5], [1200], [2400], title="t", share_name="s", lang="en"
    ).data
    assert (list(bar.text), list(bar.customdata)) == (["1,200/2,400"], ["50%"])
    shares = pd.DataFrame({"category": ["Kota"], "year": [2026], "share": [0.25]})
    assert list(share_figure(shares, [], title="t", y_label="y", lang="id").data[0].customdata) == ["25%"]


def test_the_one_formatter_writes_absent_values_as_a_dash():
    assert hover_texts([None, float("nan"), 2.675], "id") == ["-", "-", "2,68"]


def test_the_radar_hover_writes_the_value_in_the_readers_locale():
    trace = radar_figure({"D1": 2.675}, {}, title="t", lang="id").data[0]
    assert set(trace.customdata) == {"2,68"}  # the closed polygon repeats its first point
    assert "%{customdata}" in trace.hovertemplate
