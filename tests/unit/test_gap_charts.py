"""The self-vs-final figures and the province roll-up bars, checked on their traces."""

from __future__ import annotations

import math

import pandas as pd

from evaluation.charts.comparison import rollup_figure
from evaluation.charts.gap import EVEN, OVER, UNDER, indicator_gap_figure, self_final_figure

BY_INDICATOR = pd.DataFrame(
    {
        "indicator": ["I01", "I02", "I03"],
        "indicator_name": ["Kebijakan", "Tata kelola", "Layanan"],
        "mean_gap": [0.5, -0.25, 0.0],
        "over_share": [0.75, 0.25, 0.0],
        "agencies": [4, 4, 4],
    }
)

BY_AGENCY = pd.DataFrame(
    {
        "agency_id": [1, 2, 3, 4],
        "code": ["KOTA-1", "KAB-2", "PROV-3", "KEM-4"],
        "name": ["Kota Satu", "Kab Dua", "Provinsi Tiga", "Kementerian Empat"],
        "category": ["Kota", "Kabupaten", "Provinsi", "Kementerian"],
        "province": ["Jawa Tengah", "Jawa Tengah", "Bali", None],
        "self_index": [3.5, 2.0, math.nan, 4.0],
        "final_index": [3.0, 2.5, 3.0, 4.0],
        "index_gap": [0.5, -0.5, math.nan, 0.0],
        "over": [3, 0, 1, 0],
        "under": [0, 2, 0, 0],
        "mean_gap": [0.5, -0.5, 0.2, 0.0],
    }
)


# --- the mean gap per indicator ----------------------------------------------------------------------


def test_the_indicator_gap_is_one_bar_per_indicator_coloured_by_its_sign():
    fig = indicator_gap_figure(BY_INDICATOR, title="Selisih", y_label="Rata-rata selisih")
    [bar] = fig.data
    assert bar.type == "bar"
    assert (list(bar.x), list(bar.y)) == (["I01", "I02", "I03"], [0.5, -0.25, 0.0])
    # red over-claims, blue under-claims, grey: no gap
    assert list(bar.marker.color) == [OVER, UNDER, EVEN]
    assert len({OVER, UNDER, EVEN}) == 3


def test_the_indicator_gap_hover_carries_the_name_and_the_over_claiming_share_in_percent():
    [bar] = indicator_gap_figure(BY_INDICATOR, title="t", y_label="y").data
    assert [tuple(c) for c in bar.customdata] == [
        ("Kebijakan", "+0,50", "75%"),
        ("Tata kelola", "-0,25", "25%"),
        ("Layanan", "0,00", "0%"),
    ]


def test_the_indicator_gap_layout_names_the_axis():
    fig = indicator_gap_figure(BY_INDICATOR, title="Selisih per indikator", y_label="Rata-rata selisih")
    assert fig.layout.title.text == "Selisih per indikator"
    assert fig.layout.yaxis.title.text == "Rata-rata selisih"
    assert fig.layout.yaxis.zeroline is True


def test_an_empty_indicator_gap_draws_an_empty_bar():
    empty = BY_INDICATOR.iloc[0:0]
    [bar] = indicator_gap_figure(empty, title="t", y_label="y").data
    assert len(bar.x) == 0


# --- self-assessed against final index ---------------------------------------------------------------


def scatter(highlight=None):
    return self_final_figure(
        BY_AGENCY,
        title="Mandiri vs final",
        x_label="Indeks final",
        y_label="Indeks mandiri",
        highlight=highlight,
    )


def test_each_agency_with_both_indices_is_a_point_final_across_self_up():
    points = scatter().data[0]
    assert points.mode == "markers"
    # Provinsi Tiga has no self-assessed index and is left out
    assert list(points.text) == ["Kota Satu", "Kab Dua", "Kementerian Empat"]
    assert (list(points.x), list(points.y)) == ([3.0, 2.5, 4.0], [3.5, 2.0, 4.0])
    assert list(points.marker.color) == [OVER, UNDER, EVEN]


def test_the_line_of_agreement_is_the_dashed_diagonal_of_the_1_to_5_square():
    fig = scatter()
    diagonal = fig.data[1]
    assert (list(diagonal.x), list(diagonal.y)) == ([1, 5], [1, 5])
    assert diagonal.line.dash == "dash"
    assert tuple(fig.layout.xaxis.range) == tuple(fig.layout.yaxis.range) == (1, 5)
    assert fig.layout.xaxis.title.text == "Indeks final"
    assert fig.layout.yaxis.title.text == "Indeks mandiri"


def test_without_a_highlight_there_are_only_the_points_and_the_diagonal():
    assert len(scatter().data) == 2


def test_a_highlighted_agency_is_a_named_star_at_its_point():
    fig = scatter(highlight=2)
    assert len(fig.data) == 3
    star = fig.data[2]
    assert star.marker.symbol == "star"
    assert (list(star.x), list(star.y), list(star.text)) == ([2.5], [2.0], ["Kab Dua"])
    assert star.name == "Kab Dua"


def test_highlighting_an_agency_without_both_indices_adds_nothing():
    assert len(scatter(highlight=3).data) == 2
    assert len(scatter(highlight=99).data) == 2


# --- province roll-up bars ---------------------------------------------------------------------------

ROLLUP = pd.DataFrame(
    {
        "province": ["Bali", "Jawa Tengah", "Aceh"],
        "governments": [1, 4, 3],
        "province_index": [3.6, 3.0, None],
        "local_mean": [None, 3.0, 2.0],
        "local_count": [0, 3, 3],
        "lowest_name": ["Pemerintah Provinsi Bali", "Kota Semarang", "Kab. Aceh Jaya"],
        "lowest_index": [3.6, 2.0, 1.5],
        "value": [3.6, 3.0, 2.0],
    }
)
COLOURS = {"Sangat Baik": "#00aa00", "Baik": "#0000aa", "Cukup": "#aa0000"}


def test_the_rollup_is_a_horizontal_bar_per_province_highest_at_the_top():
    fig = rollup_figure(
        ROLLUP,
        title="Nilai provinsi",
        x_label="Nilai",
        colours=COLOURS,
        predicates=["Sangat Baik", "Baik", "Cukup"],
    )
    [bar] = fig.data
    assert (bar.type, bar.orientation) == ("bar", "h")
    assert (list(bar.y), list(bar.x)) == (["Bali", "Jawa Tengah", "Aceh"], [3.6, 3.0, 2.0])
    assert fig.layout.yaxis.autorange == "reversed"
    assert tuple(fig.layout.xaxis.range) == (1, 5)
    assert fig.layout.xaxis.title.text == "Nilai"
    assert fig.layout.title.text == "Nilai provinsi"


def test_the_rollup_bars_take_the_colour_of_their_predicate_and_grey_without_one():
    [bar] = rollup_figure(
        ROLLUP, title="t", x_label="x", colours=COLOURS, predicates=["Sangat Baik", "", "Kurang"]
    ).data
    assert list(bar.marker.color) == ["#00aa00", "#7f8c8d", "#7f8c8d"]
    assert [tuple(c) for c in bar.customdata] == [("3,60", "Sangat Baik"), ("3,00", ""), ("2,00", "Kurang")]


def test_the_rollup_grows_with_the_number_of_provinces():
    small = rollup_figure(ROLLUP, title="t", x_label="x", colours=COLOURS, predicates=["", "", ""])
    many = pd.concat([ROLLUP] * 12, ignore_index=True)
    large = rollup_figure(many, title="t", x_label="x", colours=COLOURS, predicates=[""] * len(many))
    assert small.layout.height == 320
    assert large.layout.height == 120 + 20 * 36


def test_the_gap_by_year_is_a_bar_per_period_coloured_by_sign_with_the_framework_in_the_hover():
    from evaluation.charts.gap import gap_by_year_figure

    years = pd.DataFrame(
        {
            "year": [2024, 2025, 2026],
            "framework_id": ["spbe-2020", "spbe-2020", "pemdi-2026"],
            "mean_gap": [0.4, 0.0, -0.1],
            "over_share": [0.5, 0.0, 0.25],
            "scores": [10, 10, 4],
        }
    )
    fig = gap_by_year_figure(years, title="Per periode", y_label="Rata-rata selisih")
    [bar] = fig.data
    assert (list(bar.x), list(bar.y)) == ([2024, 2025, 2026], [0.4, 0.0, -0.1])
    assert list(bar.marker.color) == [OVER, EVEN, UNDER]
    assert [tuple(c) for c in bar.customdata] == [
        ("SPBE 2020", "+0,40", "50%"),
        ("SPBE 2020", "0,00", "0%"),
        ("Pemdi 2026", "-0,10", "25%"),
    ]
    assert fig.layout.title.text == "Per periode"
