"""The writer's rows (evaluation/excel_io/writer.py): numbers stay numbers with two decimals only when
fractional, formula-looking text stays text, and a workbook nobody imports back is streamed (issue 17)."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd

from evaluation.excel_io.table import Column
from evaluation.excel_io.writer import SheetSpec, write_xlsx

COLUMNS = [
    Column("code", "code", "code", verbatim=True),
    Column("level", "level", "level", verbatim=True),
    Column("index", "index", "number", verbatim=True),
    Column("note", "note", verbatim=True),
]
ROWS = [
    {"code": "A-1", "level": 3, "index": 3.285, "note": "=1+1"},
    {"code": "A-2", "level": 2.5, "index": 4.0, "note": None},
    {"code": "A-3", "level": None, "index": True, "note": "@home"},
]


def _sheet(data: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [tuple(cell for cell in row) for row in book["M"].iter_rows(min_row=2)]


def test_numbers_stay_numbers_and_only_fractions_get_two_decimals():
    rows = _sheet(write_xlsx([SheetSpec("M", COLUMNS, ROWS)]))
    values = [tuple(cell.value for cell in row) for row in rows]
    assert values == [("A-1", 3, 3.285, "=1+1"), ("A-2", 2.5, 4, None), ("A-3", None, True, "@home")]
    assert [row[2].number_format for row in rows[:2]] == ["0.00", "General"]
    assert [rows[0][1].number_format, rows[1][1].number_format] == ["General", "0.00"]
    assert rows[0][3].data_type == "s" and rows[0][3].quotePrefix  # a formula character: still text


def test_a_workbook_nobody_imports_is_streamed_with_inline_strings_and_reads_the_same():
    plain = write_xlsx([SheetSpec("M", COLUMNS, ROWS)])
    importable = write_xlsx([SheetSpec("M", COLUMNS, ROWS, origin_keys=("level",), identity_keys=("code",))])
    assert "xl/sharedStrings.xml" not in zipfile.ZipFile(io.BytesIO(plain)).namelist()
    assert "xl/sharedStrings.xml" in zipfile.ZipFile(io.BytesIO(importable)).namelist()
    read = pd.read_excel(io.BytesIO(plain), sheet_name="M", engine="calamine")
    assert list(read["code"]) == ["A-1", "A-2", "A-3"]
    assert list(read["note"].fillna("")) == ["=1+1", "", "@home"]
