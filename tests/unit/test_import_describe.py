"""The command line's preview lines write each changed cell in the reader's locale (a decimal comma in
Indonesian, a point in English), never Python's own `1.3`."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from evaluation.services.bulk.imports import describe


def plan_with(old: object, new: object) -> SimpleNamespace:
    change = SimpleNamespace(
        column="F", row=21, label="KOTA-001 · 2026 · I20", key="self_level", old=old, new=new
    )
    return SimpleNamespace(sheet="Penilaian", changes=lambda: [change], conflicts=[])


def test_a_fractional_level_is_written_in_the_readers_locale():
    assert describe(plan_with(None, 1.3), "id") == [
        "Penilaian!F21 KOTA-001 · 2026 · I20 self_level: - -> 1,3"
    ]
    assert describe(plan_with(2.0, 2.25), "en") == [
        "Penilaian!F21 KOTA-001 · 2026 · I20 self_level: 2 -> 2.25"
    ]


def test_a_date_is_written_out_and_long_text_is_cut():
    [line] = describe(plan_with(date(2026, 11, 22), "x" * 80), "id")
    assert line.endswith(": 22 November 2026 -> " + "x" * 57 + "...")
