"""The trend figure, checked on its traces: one per series, framework and mapped-or-not; a break where the
framework changes; mapped values dotted and named; published points hollow."""

from __future__ import annotations

import pandas as pd

from evaluation.charts.trend import SERIES_COLOURS, trend_lines_figure
from evaluation.services.trends import LINE_COLUMNS

LABELS = {
    "title": "Indeks nasional",
    "y_label": "Indeks",
    "break_label": "Kerangka berganti",
    "mapped_suffix": "dipetakan",
    "mapped_note": "Garis titik-titik: dipetakan",
    "published_label": "(terpublikasi)",
}


def lines(rows: list[tuple[str, int, str, float, str, bool]]) -> pd.DataFrame:
    """(series, year, framework_id, index, source, mapped) -> trend lines."""
    return pd.DataFrame(
        [
            {
                "series": series,
                "year": year,
                "framework_id": framework_id,
                "index": index,
                "agencies": 1,
                "source": source,
                "mapped": mapped,
            }
            for series, year, framework_id, index, source, mapped in rows
        ],
        columns=LINE_COLUMNS,
    )


NATIONAL = lines(
    [
        ("Nasional", 2023, "spbe-2020", 2.5, "published", False),
        ("Nasional", 2021, "spbe-2020", 2.2, "final", False),  # out of order: the figure sorts by year
        ("Nasional", 2024, "spbe-2020", 3.1, "final", False),
        ("Nasional", 2026, "pemdi-2026", 2.8, "final", False),
    ]
)
MAPPED = lines(
    [
        ("Nasional", 2021, "pemdi-2026", 2.3, "final", True),
        ("Nasional", 2023, "pemdi-2026", 2.75, "published", True),
        ("Nasional", 2024, "pemdi-2026", 3.65, "final", True),
    ]
)


def figure(frame: pd.DataFrame):
    return trend_lines_figure(frame, **LABELS)


def test_each_framework_is_its_own_segment_sorted_by_year():
    fig = figure(NATIONAL)
    assert [trace.type for trace in fig.data] == ["scatter", "scatter"]
    spbe, pemdi = fig.data
    assert spbe.name == "Nasional · SPBE 2020"
    assert (list(spbe.x), list(spbe.y)) == ([2021, 2023, 2024], [2.2, 2.5, 3.1])
    assert pemdi.name == "Nasional · Pemdi 2026"
    assert (list(pemdi.x), list(pemdi.y)) == ([2026], [2.8])
    assert {trace.line.dash for trace in fig.data} == {"solid"}
    assert {trace.line.color for trace in fig.data} == {SERIES_COLOURS[0]}


def test_the_framework_change_is_a_dashed_break_between_the_two_years_with_its_label():
    fig = figure(NATIONAL)
    [shape] = fig.layout.shapes
    assert (shape.type, shape.x0, shape.x1, shape.line.dash) == ("line", 2025.0, 2025.0, "dash")
    assert [a.text for a in fig.layout.annotations] == ["Kerangka berganti"]


def test_a_gap_in_years_puts_the_break_in_the_middle():
    frame = lines(
        [("N", 2020, "spbe-2020", 2.0, "final", False), ("N", 2023, "pemdi-2026", 3.0, "final", False)]
    )
    [shape] = figure(frame).layout.shapes
    assert shape.x0 == 2021.5


def test_one_framework_draws_no_break_and_no_note():
    frame = NATIONAL[NATIONAL["framework_id"] == "spbe-2020"]
    fig = figure(frame)
    assert len(fig.data) == 1
    assert not fig.layout.shapes
    assert not fig.layout.annotations


def test_three_frameworks_draw_two_breaks():
    frame = lines(
        [
            ("N", 2019, "a", 2.0, "final", False),
            ("N", 2021, "b", 2.5, "final", False),
            ("N", 2022, "b", 2.6, "final", False),
            ("N", 2024, "c", 3.0, "final", False),
        ]
    )
    assert sorted(shape.x0 for shape in figure(frame).layout.shapes) == [2020.0, 2023.0]


def test_published_points_are_hollow_and_say_so_on_hover():
    spbe = figure(NATIONAL).data[0]
    assert list(spbe.marker.symbol) == ["circle", "circle-open", "circle"]  # 2021, 2023, 2024
    assert [c[1] for c in spbe.customdata] == ["", "(terpublikasi)", ""]


def test_mapped_values_are_a_dotted_trace_named_as_mapped_with_a_note():
    fig = figure(pd.concat([NATIONAL, MAPPED], ignore_index=True))
    assert [trace.name for trace in fig.data] == [
        "Nasional · SPBE 2020",
        "Nasional · Pemdi 2026",
        "Nasional · Pemdi 2026 (dipetakan)",
    ]
    mapped = fig.data[2]
    assert mapped.line.dash == "dot"
    assert mapped.line.width < fig.data[0].line.width
    assert mapped.line.color == fig.data[0].line.color
    assert (list(mapped.x), list(mapped.y)) == ([2021, 2023, 2024], [2.3, 2.75, 3.65])
    texts = [a.text for a in fig.layout.annotations]
    assert sorted(texts) == ["Garis titik-titik: dipetakan", "Kerangka berganti"]


def test_mapped_points_do_not_move_or_add_breaks():
    fig = figure(pd.concat([NATIONAL, MAPPED], ignore_index=True))
    assert [shape.x0 for shape in fig.layout.shapes] == [2025.0]


def test_each_series_keeps_one_colour_across_frameworks():
    frame = lines(
        [
            ("Kota", 2024, "spbe-2020", 2.0, "final", False),
            ("Kota", 2026, "pemdi-2026", 2.4, "final", False),
            ("Provinsi", 2024, "spbe-2020", 3.0, "final", False),
            ("Provinsi", 2026, "pemdi-2026", 3.2, "final", False),
        ]
    )
    colours = {trace.name: trace.line.color for trace in figure(frame).data}
    assert colours == {
        "Kota · SPBE 2020": SERIES_COLOURS[0],
        "Kota · Pemdi 2026": SERIES_COLOURS[0],
        "Provinsi · SPBE 2020": SERIES_COLOURS[1],
        "Provinsi · Pemdi 2026": SERIES_COLOURS[1],
    }


def test_colours_repeat_after_the_palette_runs_out():
    count = len(SERIES_COLOURS) + 1
    frame = lines([(f"S{i}", 2024, "spbe-2020", 2.0, "final", False) for i in range(count)])
    colours = [trace.line.color for trace in figure(frame).data]
    assert colours[-1] == colours[0] == SERIES_COLOURS[0]
    assert len(set(colours)) == len(SERIES_COLOURS)


def test_the_layout_carries_the_title_and_a_fixed_1_to_5_scale():
    fig = figure(NATIONAL)
    assert fig.layout.title.text == LABELS["title"]
    assert fig.layout.yaxis.title.text == LABELS["y_label"]
    assert tuple(fig.layout.yaxis.range) == (1, 5)
    assert fig.layout.xaxis.dtick == 1


def test_a_trace_is_named_by_the_frameworks_name_in_the_readers_language():
    fig = trend_lines_figure(
        NATIONAL,
        title="Trend",
        y_label="Index",
        break_label="change",
        mapped_suffix="mapped",
        mapped_note="note",
        published_label="published",
        lang="en",
    )
    assert [trace.name for trace in fig.data] == ["Nasional · SPBE 2020", "Nasional · Pemdi 2026"]
    assert fig.layout.separators == ".,"
