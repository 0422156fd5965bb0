"""The programme figures: the steps radar and the horizon progress bars."""

from __future__ import annotations

from evaluation.charts.programme import horizon_progress_figure, steps_radar_figure

LABELS = {"V01": "Visi dan Misi", "V02": "Kebutuhan", "V03": "Rencana"}


def test_each_series_is_one_closed_polygon_over_the_steps_in_label_order():
    fig = steps_radar_figure(
        {"Terverifikasi": {"V02": 2.0, "V01": 1.5, "V03": 3.0}, "Target": {"V01": 3.0, "V02": 3.5, "V03": 4}},
        LABELS,
        title="t",
        lang="id",
    )
    assert [trace.name for trace in fig.data] == ["Terverifikasi", "Target"]
    assert list(fig.data[0].r) == [1.5, 2.0, 3.0, 1.5]
    assert fig.data[0].theta[0] == fig.data[0].theta[-1]
    assert fig.data[0].fill == "toself" and fig.data[1].fill is None


def test_a_step_missing_from_a_series_is_a_gap_not_zero():
    fig = steps_radar_figure({"Target": {"V01": 3.0, "V03": 4.0}}, LABELS, title="t", lang="id")
    assert list(fig.data[0].r) == [3.0, None, 4.0, 3.0]


def test_horizon_bars_show_the_share_in_percent_and_reached_over_agencies():
    fig = horizon_progress_figure(
        ["Pendek", "Menengah", "Panjang"],
        [1.0, 0.7258, 0.0],
        [10, 1, 0],
        [10, 10, 9],
        title="t",
        share_name="s",
    )
    assert list(fig.data[0].y) == [100.0, 72.6, 0.0]
    assert list(fig.data[0].text) == ["10/10", "1/10", "0/9"]
