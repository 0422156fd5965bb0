"""The overview's figure of open recommendations: stacked bars, the overdue part on its own trace, the
largest group on top."""

from __future__ import annotations

import pandas as pd

from evaluation.charts.recommendations import OVERDUE, WITHIN, open_recommendations_figure


def figure(rows):
    return open_recommendations_figure(
        pd.DataFrame(rows, columns=["label", "open", "overdue"]),
        title="Per kategori",
        within_label="Belum lewat tenggat",
        overdue_label="Lewat tenggat",
        x_label="Terbuka",
    )


def test_open_recommendations_stack_within_and_overdue_with_the_largest_group_on_top():
    fig = figure([("Kota", 5, 2), ("Kabupaten", 3, 0)])
    within, overdue = fig.data
    assert list(within.y) == ["Kabupaten", "Kota"]  # plotly draws the first category at the bottom
    assert list(within.x) == [3, 3] and list(overdue.x) == [0, 2]
    assert (within.marker.color, overdue.marker.color) == (WITHIN, OVERDUE)
    assert fig.layout.barmode == "stack" and fig.layout.xaxis.dtick == 1


def test_an_empty_table_gives_an_empty_figure():
    fig = figure([])
    assert [list(trace.y) for trace in fig.data] == [[], []]
