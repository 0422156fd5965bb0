"""The origin token and the three-way rule (evaluation.excel_io.provenance), as tables of cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluation.excel_io.provenance import (
    ORIGIN_COLUMN,
    VERSION,
    broken,
    canonical,
    digest,
    is_blank_token,
    parse,
    stamp,
    three_way,
)


@pytest.mark.parametrize(
    ("exported", "read_back"),
    [
        (3, 3.0),
        (2.5, 2.5),
        (Decimal("3.00"), 3),
        ("Perwal 12", "  Perwal 12 "),
        ("a\r\nb", "a\nb"),
        (None, ""),
        (None, "   "),
        (None, float("nan")),
        ("", None),
        (date(2026, 1, 2), "2026-01-02"),
    ],
)
def test_a_value_hashes_the_same_as_exported_and_as_the_importer_reads_it(exported, read_back):
    assert digest(exported) == digest(read_back)


@pytest.mark.parametrize(
    ("a", "b"),
    [(3, 4), (3, 3.5), (None, 0), (None, "0"), ("Perwal", "perwal"), ("a b", "a  b"), (True, "1")],
)
def test_different_values_hash_differently(a, b):
    assert digest(a) != digest(b)


def test_canonical_writes_whole_numbers_without_a_decimal_point():
    assert canonical(3.0) == "3"
    assert canonical(2.5) == "2.5"


def test_a_token_round_trips_to_the_hashes_of_its_columns():
    token = stamp({"self_level": 3, "justification": "Perwal"}, identity="KOTA-001|2026|I01")
    origin = parse(token, identity="KOTA-001|2026|I01")
    assert origin is not None
    assert origin.version == VERSION
    assert dict(origin.hashes) == {"self_level": digest(3), "justification": digest("Perwal")}
    assert token.startswith(VERSION + ";")


@pytest.mark.parametrize(
    "token",
    [
        "",
        "   ",
        None,
        3.0,
        "hello",
        "P1;self_level=abc",
        "P9;self_level=AAAAAAAA;AAAAAAAA",
        "=SUM(A1)",
    ],
)
def test_a_damaged_or_foreign_token_parses_to_none(token):
    assert parse(token) is None


def test_a_token_with_one_character_changed_is_refused():
    token = stamp({"self_level": 3})
    for i in range(len(token)):
        flipped = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
        assert parse(flipped) is None, flipped


def test_a_token_copied_onto_another_row_is_refused():
    token = stamp({"self_level": 3}, identity="KOTA-001|2026|I01")
    assert parse(token, identity="KOTA-001|2026|I01") is not None
    assert parse(token, identity="KOTA-001|2026|I02") is None


def test_a_token_survives_surrounding_whitespace():
    token = stamp({"x": 1})
    assert parse(f"  {token}\n") is not None


def test_a_key_that_would_break_the_format_is_refused():
    with pytest.raises(ValueError):
        stamp({"a;b": 1})
    with pytest.raises(ValueError):
        stamp({"a=b": 1})


@pytest.mark.parametrize(
    ("cell", "blank"), [(None, True), ("", True), ("  ", True), (float("nan"), True), ("P1;x", False)]
)
def test_blank_origin_cells_are_told_apart_from_broken_ones(cell, blank):
    assert is_blank_token(cell) is blank


ORIGIN = parse(stamp({"level": 3, "text": "lama"}))


@pytest.mark.parametrize(
    ("origin", "key", "file_value", "db_value", "decision"),
    [
        # the file did not change the cell: the database stays, whatever happened there
        (ORIGIN, "level", 3, 3, "same"),
        (ORIGIN, "level", 3.0, 4, "keep"),
        (ORIGIN, "text", " lama ", "baru", "keep"),
        (ORIGIN, "text", "lama", None, "keep"),
        # the file changed it, the database did not move: the file's value
        (ORIGIN, "level", 4, 3, "take_file"),
        (ORIGIN, "text", None, "lama", "take_file"),
        # changed on both sides, to different values: a conflict
        (ORIGIN, "level", 4, 5, "conflict"),
        (ORIGIN, "text", "file", "db", "conflict"),
        # changed on both sides to the same value: nothing to do
        (ORIGIN, "level", 5, 5.0, "same"),
        # a column the origin does not cover: two ways
        (ORIGIN, "note", "x", "y", "take_file"),
        (ORIGIN, "note", "x", "x", "same"),
        # no origin (hand-made file): two ways
        (None, "level", 4, 5, "take_file"),
        (None, "level", 4, 4.0, "same"),
        (None, "level", None, 3, "take_file"),
    ],
)
def test_three_way_decisions(origin, key, file_value, db_value, decision):
    assert three_way(origin, key, file_value, db_value) == decision


@pytest.mark.parametrize(
    ("origin", "key", "value", "decision"),
    [
        (ORIGIN, "level", 3, "keep"),  # as exported: the file did not change it
        (ORIGIN, "level", "3", "keep"),  # the same value as text
        (ORIGIN, "level", 4, "conflict"),  # changed, and the database moved too
        (ORIGIN, "missing", 3, "take_file"),  # a column the origin does not cover: nothing is known
        (None, "level", 3, "take_file"),
    ],
)
def test_the_file_s_value_is_compared_with_the_exported_one(origin, key, value, decision):
    assert three_way(origin, key, value, "moved in the database") == decision


@given(
    st.dictionaries(
        st.text(alphabet="abcdefghij_", min_size=1, max_size=8),
        st.one_of(st.none(), st.integers(-10, 10), st.floats(allow_nan=False), st.text(max_size=30)),
        max_size=6,
    )
)
def test_any_row_stamped_parses_and_reports_no_change_for_its_own_values(values):
    origin = parse(stamp(values))
    assert origin is not None
    for key, value in values.items():
        assert three_way(origin, key, value, "something else entirely \x01") == "keep"


def test_the_origin_column_is_found_by_either_header():
    assert {ORIGIN_COLUMN.header("id"), ORIGIN_COLUMN.header("en")} == {"_asal", "_origin"}


def test_a_broken_token_is_a_located_problem_in_both_languages():
    problem = broken("Penilaian", 7, "K")
    assert (problem.sheet, problem.row, problem.column) == ("Penilaian", 7, "K")
    assert "_asal" in problem.reason("id")
    assert "_origin" in problem.reason("en")
