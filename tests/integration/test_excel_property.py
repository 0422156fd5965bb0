"""Property: whatever a person does to a filled-in template (odd values in any cell, rows deleted or
duplicated, columns swapped, rubbish below the data), the import either is clean and leaves the database
saying what the file says, or is refused with problems and leaves the database exactly as it was.
Nothing else: no other exception, no half-applied file.

The database is built once for the module; each example applies inside a transaction that is rolled back.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from evaluation.services.bulk.assessment_import import (
    ImportRefused,
    apply_assessment_import,
    plan_assessment_import,
)
from tests.integration.excel_fixtures import (
    HEADER,
    PEMDI_CODES,
    Bench,
    Own,
    db_state,
    edited,
    exported,
    save,
    table_rows,
)

pytestmark = pytest.mark.db
WIDTH = len(HEADER)
# Tables an import may write; every other table must come out of any import exactly as it went in.
WRITTEN = {"indicator_score", "audit_entry", "assessment", "review_note", "data_version"}  # + caches' key

good_levels = st.sampled_from([1, 2, 3, 4, 5, 2.5, 3.0, "3", " 4 ", "3,0", "Level 4", "Tingkat 2", "tk 1"])
bad_levels = st.sampled_from([0, 6, 7, -1, 5.01, "0", "Level 9", "-2"])
texts = st.text(alphabet="abcKOTAI0123456789 -+=@',;.", max_size=12)
formulas = st.sampled_from(["=1+2", "=SUM(F2:F3)", '="3"', "=F2"])
blanks = st.sampled_from([None, "", "   "])
huge = st.sampled_from([10**15, 2**53 + 1, 1e300, -1e300, 1e-300])
codes = st.sampled_from(["I07", "i07", "7", 7, "I99", "KOTA-999", "UJI", 2026, "2026", 2025, 2019])
values = st.one_of(good_levels, bad_levels, texts, formulas, blanks, huge, codes)

rows = st.integers(min_value=1, max_value=24)
columns = st.integers(min_value=1, max_value=WIDTH)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("set"), rows, columns, values),
        st.tuples(st.just("delete"), st.integers(min_value=1, max_value=21)),
        st.tuples(st.just("duplicate"), st.integers(min_value=2, max_value=21)),
        st.tuples(st.just("swap"), columns, columns),
        st.tuples(st.just("garbage"), st.integers(0, 3), st.lists(values, min_size=1, max_size=WIDTH)),
    ),
    min_size=1,
    max_size=4,
)


@pytest.fixture(scope="module")
def filled(bench: Bench) -> tuple[Own, bytes, dict[str, list[tuple[Any, ...]]]]:
    """An agency's draft (five indicators saved), its template filled in for all twenty indicators, and
    the database dump every example must leave behind."""
    own = bench.agency()
    save(bench, own, {c: {"level": 2, "justification": f"Lama {c}"} for c in PEMDI_CODES[:5]})

    def fill(ws):
        for number, code in enumerate(PEMDI_CODES, start=2):
            assert ws.cell(number, 4).value == code
            ws.cell(number, 6).value = 1 + number % 5
            ws.cell(number, 7).value = f"Isi {code}"

    return own, edited(exported(bench, own.operator), fill), db_state(bench.engine)


def corrupt(data: bytes, steps: list[tuple]) -> tuple[bytes, list[list[Any]]]:
    """The workbook after the steps, and its data sheet's values as the file now holds them."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["Penilaian"]
    for step in steps:
        if step[0] == "set":
            ws.cell(step[1], step[2]).value = step[3]
        elif step[0] == "delete":
            ws.delete_rows(step[1])
        elif step[0] == "duplicate":
            ws.append([c.value for c in ws[step[1]]])
        elif step[0] == "swap":
            for number in range(1, ws.max_row + 1):
                a, b = ws.cell(number, step[1]), ws.cell(number, step[2])
                a.value, b.value = b.value, a.value
        else:
            start = ws.max_row + 1 + step[1]
            for column, value in enumerate(step[2], start=1):
                ws.cell(start, column).value = value
    grid = [[c.value for c in line] for line in ws.iter_rows()]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), grid


def said_by_the_file(grid: list[list[Any]], own: Own) -> dict[str, tuple[Any, Any]]:
    """Indicator -> (level, justification) for rows written plainly enough to read without the importer:
    this agency's code, the year 2026, an exact indicator code, a numeric or blank level and plain text."""
    position = {value: i for i, value in enumerate(grid[0]) if isinstance(value, str)}
    needed = ("Kode instansi", "Tahun", "Kode indikator", "Tingkat mandiri", "Penjelasan")
    if not all(name in position for name in needed):
        return {}
    agency, year, code, level, text = (position[name] for name in needed)
    said = {}
    for line in grid[1:]:
        line = line + [None] * (WIDTH - len(line))
        plain_level = line[level] is None or type(line[level]) in (int, float)
        plain_text = line[text] is None or (isinstance(line[text], str) and line[text][:1] not in ("'", "="))
        ours = (line[agency], line[year], line[code] in PEMDI_CODES) == (own.code, 2026, True)
        if ours and plain_level and plain_text:
            stripped = (line[text] or "").strip() or None
            said[line[code]] = (None if line[level] is None else float(line[level]), stripped)
    return said


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=operations)
def test_a_corrupted_template_is_applied_exactly_or_refused_without_any_change(bench, filled, steps):
    own, data, committed = filled
    upload, grid = corrupt(data, steps)
    with Session(bench.engine) as session:
        before = table_rows(session)
        try:
            try:
                applied = apply_assessment_import(session, actor=own.operator, data=upload, filename="t.xlsx")
            except ImportRefused as refused:
                event("refused")
                assert refused.plan.problems
                assert all(p.sheet == "Penilaian" and p.row >= 1 for p in refused.plan.problems)
                assert table_rows(session) == before
                return
            assert applied.ok
            event("applied" if applied.counts["insert"] + applied.counts["update"] else "nothing to apply")
            after = table_rows(session)
            assert {t: r for t, r in after.items() if t not in WRITTEN} == {
                t: r for t, r in before.items() if t not in WRITTEN
            }
            again = plan_assessment_import(session, actor=own.operator, data=upload, filename="t.xlsx")
            assert again.ok and again.counts["insert"] == again.counts["update"] == 0  # the DB says it all
            stored = {r[2]: (r[3], r[4]) for r in after["indicator_score"] if r[1] == _assessment(after, own)}
            for code, expected in said_by_the_file(grid, own).items():
                assert stored[code] == expected, code
            mentioned = {r.code for r in applied.rows}
            old = {r[2]: (r[3], r[4]) for r in before["indicator_score"] if r[1] == _assessment(before, own)}
            assert {c: v for c, v in stored.items() if c not in mentioned} == {
                c: v for c, v in old.items() if c not in mentioned
            }
        finally:
            session.rollback()
    assert db_state(bench.engine) == committed


def _assessment(dump: dict[str, list[tuple[Any, ...]]], own: Own) -> int:
    [found] = [row[0] for row in dump["assessment"] if row[1] == own.id]
    return found


def test_the_filled_template_itself_is_clean(bench, filled):
    own, data, _ = filled
    with Session(bench.engine) as session:
        checked = plan_assessment_import(session, actor=own.operator, data=data, filename="t.xlsx")
    assert checked.ok and checked.counts == {"insert": 15, "update": 5, "unchanged": 0}
