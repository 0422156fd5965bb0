"""Trend lines from an index history: plain means per year and framework, one agency's line, and values
mapped through crosswalks; on hand-built frames with hand-computed numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from evaluation.services.trends import (
    HISTORY_COLUMNS,
    LINE_COLUMNS,
    CrosswalkInfo,
    agency_line,
    map_value,
    mean_lines,
    with_crosswalks,
)


def history(rows: list[tuple[int, str, int, str, float, str]]) -> pd.DataFrame:
    """(agency_id, category, year, framework_id, index, source) -> an index_history frame."""
    return pd.DataFrame(
        [
            {
                "agency_id": agency_id,
                "name": f"Instansi {agency_id}",
                "category": category,
                "province": "Jawa Tengah" if category in ("Kota", "Kabupaten") else None,
                "year": year,
                "framework_id": framework_id,
                "index": index,
                "source": source,
                "mapped": False,
            }
            for agency_id, category, year, framework_id, index, source in rows
        ],
        columns=HISTORY_COLUMNS,
    )


HISTORY = history(
    [
        (1, "Kota", 2023, "spbe-2020", 2.0, "published"),
        (2, "Kabupaten", 2023, "spbe-2020", 3.0, "published"),
        (1, "Kota", 2024, "spbe-2020", 3.0, "final"),
        (2, "Kabupaten", 2024, "spbe-2020", 4.0, "final"),
        (3, "Kota", 2024, "spbe-2020", 2.5, "published"),
        (1, "Kota", 2026, "pemdi-2026", 2.0, "final"),
        (3, "Kota", 2026, "pemdi-2026", 3.0, "final"),
    ]
)


def as_tuples(lines: pd.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(row) for row in lines[list(columns)].itertuples(index=False)]


# --- mean_lines --------------------------------------------------------------------------------------


def test_the_national_line_is_the_plain_mean_per_year_and_framework():
    lines = mean_lines(HISTORY, label="Nasional")
    assert list(lines.columns) == LINE_COLUMNS
    assert as_tuples(lines, "series", "year", "framework_id", "agencies", "source", "mapped") == [
        ("Nasional", 2023, "spbe-2020", 2, "published", False),
        ("Nasional", 2024, "spbe-2020", 3, "mixed", False),
        ("Nasional", 2026, "pemdi-2026", 2, "final", False),
    ]
    assert list(lines["index"]) == pytest.approx([2.5, (3.0 + 4.0 + 2.5) / 3, 2.5])


def test_category_lines_have_one_series_per_category():
    lines = mean_lines(HISTORY, by="category")
    assert as_tuples(lines, "series", "year", "framework_id", "index", "agencies", "source") == [
        ("Kabupaten", 2023, "spbe-2020", 3.0, 1, "published"),
        ("Kabupaten", 2024, "spbe-2020", 4.0, 1, "final"),
        ("Kota", 2023, "spbe-2020", 2.0, 1, "published"),
        ("Kota", 2024, "spbe-2020", 2.75, 2, "mixed"),
        ("Kota", 2026, "pemdi-2026", 2.5, 2, "final"),
    ]
    assert not lines["mapped"].any()


def test_a_year_split_across_two_frameworks_gives_two_points():
    frame = history(
        [(1, "Kota", 2026, "spbe-2020", 2.0, "published"), (2, "Kota", 2026, "pemdi-2026", 4.0, "final")]
    )
    lines = mean_lines(frame, label="N")
    assert as_tuples(lines, "year", "framework_id", "index", "agencies") == [
        (2026, "pemdi-2026", 4.0, 1),
        (2026, "spbe-2020", 2.0, 1),
    ]


def test_an_empty_history_gives_empty_lines_with_their_columns():
    lines = mean_lines(history([]), label="N")
    assert lines.empty
    assert list(lines.columns) == LINE_COLUMNS
    assert list(mean_lines(history([]), by="category").columns) == LINE_COLUMNS


# --- agency_line -------------------------------------------------------------------------------------


def test_an_agency_line_is_its_own_points_under_its_label():
    line = agency_line(HISTORY, 1, "Kota Satu")
    assert list(line.columns) == LINE_COLUMNS
    assert as_tuples(line, "series", "year", "framework_id", "index", "agencies", "source", "mapped") == [
        ("Kota Satu", 2023, "spbe-2020", 2.0, 1, "published", False),
        ("Kota Satu", 2024, "spbe-2020", 3.0, 1, "final", False),
        ("Kota Satu", 2026, "pemdi-2026", 2.0, 1, "final", False),
    ]
    assert list(line.index) == [0, 1, 2]


def test_an_agency_without_history_has_an_empty_line():
    assert agency_line(HISTORY, 99, "Tidak ada").empty


# --- map_value and crosswalks ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "factor", "offset", "expected"),
    [
        (3.0, 1.0, 0.0, 3.0),  # the identity
        (2.0, 1.5, -0.5, 2.5),
        (3.5, 0.8, 0.3, 3.1),
        (4.0, 1.5, -0.5, 5.0),  # 5.5, kept on the scale
        (1.0, 0.5, 0.0, 1.0),  # 0.5, kept on the scale
        (1.2, 1.0, -1.0, 1.0),  # 0.2
        (5.0, 1.0, 0.0, 5.0),
        (2.0, 2.0, 1.0, 5.0),  # exactly 5
    ],
)
def test_map_value_is_offset_plus_factor_times_value_kept_on_1_to_5(value, factor, offset, expected):
    assert map_value(value, factor, offset) == pytest.approx(expected)


def test_a_crosswalk_maps_with_its_own_factor_and_offset():
    crosswalk = CrosswalkInfo(1, "spbe-2020", "pemdi-2026", factor=0.9, offset=0.2, basis="Kajian")
    assert crosswalk.map(3.0) == pytest.approx(2.9)
    assert crosswalk.map(5.0) == pytest.approx(4.7)
    assert crosswalk.map(0.5) == 1.0


SPBE_TO_PEMDI = CrosswalkInfo(7, "spbe-2020", "pemdi-2026", factor=1.5, offset=-1.0, basis="Kajian 2026")


def test_with_crosswalks_adds_the_mapped_points_and_keeps_the_originals():
    lines = mean_lines(HISTORY, label="Nasional")
    out = with_crosswalks(lines, [SPBE_TO_PEMDI])
    original = out[~out["mapped"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(original, lines.reset_index(drop=True))
    mapped = out[out["mapped"]]
    # 2023: -1 + 1.5 x 2.5 = 2.75; 2024: -1 + 1.5 x 3.1667 = 3.75
    assert as_tuples(mapped, "series", "year", "framework_id", "agencies", "source") == [
        ("Nasional", 2023, "pemdi-2026", 2, "published"),
        ("Nasional", 2024, "pemdi-2026", 3, "mixed"),
    ]
    assert list(mapped["index"]) == pytest.approx([2.75, 3.75])


def test_mapped_points_are_clamped_to_the_scale():
    lines = mean_lines(HISTORY, label="N")
    doubled = CrosswalkInfo(1, "spbe-2020", "pemdi-2026", factor=2.0, offset=0.0, basis="x")
    mapped = with_crosswalks(lines, [doubled])
    assert list(mapped[mapped["mapped"]]["index"]) == pytest.approx([5.0, 5.0])  # 5.0 and 6.33


def test_a_crosswalk_from_a_framework_no_line_uses_changes_nothing():
    lines = mean_lines(HISTORY, label="N")
    unused = CrosswalkInfo(1, "vision-to-evaluation", "pemdi-2026", factor=1.0, offset=0.0, basis="x")
    assert with_crosswalks(lines, [unused]) is lines
    assert with_crosswalks(lines, []) is lines


def test_a_backward_crosswalk_maps_the_later_framework():
    lines = mean_lines(HISTORY, label="N")
    backward = CrosswalkInfo(2, "pemdi-2026", "spbe-2020", factor=1.0, offset=0.5, basis="x")
    mapped = with_crosswalks(lines, [backward])
    mapped = mapped[mapped["mapped"]]
    assert as_tuples(mapped, "year", "framework_id", "index") == [(2026, "spbe-2020", 3.0)]


def test_crosswalks_are_not_chained_through_mapped_points():
    lines = mean_lines(HISTORY, label="N")
    onwards = CrosswalkInfo(3, "pemdi-2026", "vision-to-evaluation", factor=1.0, offset=1.0, basis="x")
    out = with_crosswalks(lines, [SPBE_TO_PEMDI, onwards])
    mapped = out[out["mapped"]]
    # spbe 2023-2024 onto pemdi, and only the original pemdi 2026 point onto vision-to-evaluation
    assert as_tuples(mapped, "year", "framework_id") == [
        (2023, "pemdi-2026"),
        (2024, "pemdi-2026"),
        (2026, "vision-to-evaluation"),
    ]
    assert list(mapped["index"]) == pytest.approx([2.75, 3.75, 3.5])


def test_crosswalks_map_every_series_of_category_lines():
    lines = mean_lines(HISTORY, by="category")
    out = with_crosswalks(lines, [SPBE_TO_PEMDI])
    mapped = out[out["mapped"]]
    assert as_tuples(mapped, "series", "year") == [
        ("Kabupaten", 2023),
        ("Kabupaten", 2024),
        ("Kota", 2023),
        ("Kota", 2024),
    ]
    # -1 + 1.5 x [3.0, 4.0, 2.0, 2.75]
    assert list(mapped["index"]) == pytest.approx([3.5, 5.0, 2.0, 3.125])


def test_mapping_the_history_maps_each_agency_before_the_mean_so_clamping_stays_per_agency():
    frame = history(
        [(1, "Kota", 2025, "spbe-2020", 1.0, "final"), (2, "Kota", 2025, "spbe-2020", 5.0, "final")]
    )
    steep = CrosswalkInfo(9, "spbe-2020", "pemdi-2026", 2.0, -1.0, "uji")
    lines = mean_lines(with_crosswalks(frame, [steep]), label="N")
    mapped = lines[lines["mapped"]]
    # agency by agency: 1 -> 1, 5 -> 9 kept at 5; their mean is 3 (mapping the mean 3 would give 5)
    assert as_tuples(mapped, "year", "framework_id", "index", "agencies") == [(2025, "pemdi-2026", 3.0, 2)]
    assert as_tuples(lines[~lines["mapped"]], "framework_id", "index") == [("spbe-2020", 3.0)]
