"""What a reader sees of numbers, ranges, dates and frameworks (evaluation/formats.py), in both locales."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from evaluation.charts.roadmap import gantt_figure
from evaluation.formats import (
    fmt_count,
    fmt_day,
    fmt_delta,
    fmt_level,
    fmt_month,
    fmt_range,
    fmt_share,
    fmt_short,
    fmt_when,
    framework_label,
    month_ticks,
    period_text,
    text_columns,
)


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        (0.42, "id", "+0,42"),
        (0.42, "en", "+0.42"),
        (-0.1, "id", "-0,10"),
        (0.004, "en", "0.00"),  # rounds to zero: no sign
        (0.005, "id", "+0,01"),  # half up, the scoring's rule
        (None, "id", "-"),
        (float("nan"), "en", "-"),
    ],
)
def test_a_change_carries_its_sign_and_rounds_half_up(value, lang, shown):
    assert fmt_delta(value, lang) == shown


@pytest.mark.parametrize(
    ("low", "high", "closed", "lang", "shown"),
    [
        (1, 1.5, (True, True), "id", "[1; 1,5]"),
        (1, 1.5, (True, True), "en", "[1, 1.5]"),
        (1.5, 2.5, (False, True), "id", "(1,5; 2,5]"),
        (12.5, 37.5, (False, False), "en", "(12.5, 37.5)"),
        (0, 12.25, (True, True), "id", "[0; 12,25]"),
    ],
)
def test_a_range_separates_its_bounds_without_clashing_with_the_decimal_mark(low, high, closed, lang, shown):
    assert fmt_range(low, high, lang, closed=closed) == shown


def test_levels_counts_and_shares_in_each_locale():
    assert (fmt_level(3.275, "id"), fmt_level(3.275, "en"), fmt_level(None, "id")) == ("3,28", "3.28", "-")
    assert (fmt_count(10680, "id"), fmt_count(10680, "en")) == ("10.680", "10,680")
    assert (fmt_short(2.0, "id"), fmt_short(2.5, "id"), fmt_short(2.25, "en")) == ("2", "2,5", "2.25")
    assert (fmt_share(0.25, "id"), fmt_share(None, "en")) == ("25%", "-")


def test_dates_and_moments_are_written_with_the_languages_month_names():
    assert fmt_day(date(2026, 11, 22), "id") == "22 November 2026"
    assert fmt_day(datetime(2026, 12, 22, 9, 5), "id") == "22 Desember 2026"
    assert fmt_day(datetime(2026, 12, 22, 9, 5), "en") == "22 December 2026"
    assert fmt_when(datetime(2026, 8, 1, 14, 5), "id") == "1 Agustus 2026 14:05"
    assert (fmt_day(None), fmt_when(None)) == ("-", "-")
    assert (fmt_month(date(2026, 8, 1), "id"), fmt_month(date(2026, 8, 1), "en")) == ("Agu 2026", "Aug 2026")


def test_month_ticks_cover_the_span_and_thin_out_past_a_dozen():
    values, texts = month_ticks(date(2026, 9, 6), date(2026, 11, 2), "id")
    assert values == ["2026-09-01", "2026-10-01", "2026-11-01"]
    assert texts == ["Sep 2026", "Okt 2026", "Nov 2026"]
    values, _ = month_ticks(date(2026, 1, 1), date(2027, 12, 31), "en", at_most=12)
    assert len(values) == 12 and values[:2] == ["2026-01-01", "2026-03-01"]


def test_a_framework_is_named_never_shown_by_its_id():
    assert framework_label("spbe-2020", "id") == "SPBE 2020"
    assert framework_label("vision-to-evaluation", "en") == "From vision to evaluation"
    assert framework_label("uploaded-2027", "en") == "uploaded-2027"  # no name known: its own id
    assert framework_label(None) == "-"
    assert period_text(2026, "pemdi-2026", "id") == "2026 · Pemdi 2026"


def test_a_read_only_table_shows_its_numbers_as_text_in_the_readers_locale():
    frame = pd.DataFrame({"name": ["A", "B"], "index": [3.275, None], "change": [0.5, -0.25]})
    shown = text_columns(text_columns(frame, ["index"], "id"), ["change"], "id", fmt=fmt_delta)
    assert shown.to_dict("list") == {"name": ["A", "B"], "index": ["3,28", "-"], "change": ["+0,50", "-0,25"]}
    assert frame["index"].iloc[0] == 3.275  # the caller's frame is left alone


def test_the_gantt_chart_writes_months_and_hover_dates_in_the_readers_language():
    activities = pd.DataFrame(
        [{"title": "Audit", "starts_on": date(2026, 8, 3), "due_on": date(2026, 10, 30), "status": "done"}]
    ).assign(overdue=False)
    fig = gantt_figure(
        activities,
        title="Kegiatan",
        today=date(2026, 9, 1),
        today_label="Hari ini",
        lang="id",
        status_names={"done": "selesai"},
    )
    assert list(fig.layout.xaxis.ticktext) == ["Agu 2026", "Sep 2026", "Okt 2026"]
    assert fig.data[0].hovertext == "3 Agustus 2026 → 30 Oktober 2026 (selesai)"
    assert fig.layout.separators == ",."


def test_an_excel_export_keeps_numbers_as_numbers_with_two_decimals_shown():
    import io

    import openpyxl

    from evaluation.excel_io.table import Column
    from evaluation.excel_io.writer import DECIMAL_FORMAT, SheetSpec, write_xlsx

    columns = [Column("code", "sh.code", "code"), Column("value", "sh.value", "number")]
    rows = [{"code": "I01", "value": 3.275}, {"code": "I02", "value": 4.0}]
    for template in (False, True):
        data = write_xlsx([SheetSpec("Nilai", columns, rows)], template=template)
        sheet = openpyxl.load_workbook(io.BytesIO(data))["Nilai"]
        fraction, whole = sheet["B2"], sheet["B3"]
        assert (fraction.value, fraction.number_format) == (3.275, DECIMAL_FORMAT)  # Excel localises the mark
        assert (whole.value, whole.number_format) == (4, "General")
        assert fraction.protection.locked == whole.protection.locked
