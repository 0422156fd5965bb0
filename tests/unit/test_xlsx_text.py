"""Text that a spreadsheet would run as a formula, written by every XLSX path (evaluation.excel_io.writer):
the cell holds the text as typed, as a string cell with the quote-prefix style; CSV keeps its apostrophe.
And the origin column: last, hidden and locked in XLSX (sheet protected), visible in CSV."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from evaluation.excel_io.provenance import ORIGIN_HEADERS, parse
from evaluation.excel_io.reader import read_upload
from evaluation.excel_io.table import Column, parse_table
from evaluation.excel_io.writer import SheetSpec, write_csv, write_xlsx, xlsx_text

COLUMNS = (
    Column("code", "sh.code", "code", required=True),
    Column("text", "sh.justification"),
)
LISTS = [
    "- Perwal No. 12/2025 tentang SPBE",
    "+62 812 3456 7890",
    "=SUM(A1)",
    "@pemda",
    "'- already quoted",
    "\tTab first",
    "Perda 5/2020",
]


def spec(**extra) -> SheetSpec:
    rows = [{"code": f"K{i}", "text": text} for i, text in enumerate(LISTS)]
    return SheetSpec("Data", COLUMNS, rows, **extra)


@pytest.mark.parametrize("template", [False, True], ids=["export", "template"])
def test_a_justification_starting_with_a_dash_or_plus_reads_back_as_typed_with_the_quote_prefix(template):
    data = write_xlsx([spec()], template=template, instructions=["- a guide line"])
    ws = openpyxl.load_workbook(io.BytesIO(data))["Data"]
    cells = [ws.cell(r, 2) for r in range(2, 2 + len(LISTS))]
    assert [c.value for c in cells[:4]] == LISTS[:4]  # no apostrophe in what people read
    assert all(c.data_type == "s" for c in cells)  # string cells are never run as formulas
    assert [c.quotePrefix for c in cells] == [True] * 6 + [False]
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Data").to_python()
    assert [line[1] for line in calamine[1:5]] == LISTS[:4]
    guide = openpyxl.load_workbook(io.BytesIO(data))["Petunjuk"]["A1"]
    assert guide.value == "- a guide line" and guide.quotePrefix


def test_every_text_survives_the_xlsx_round_trip_through_the_importer_unchanged():
    rows, problems = parse_table(read_upload(write_xlsx([spec()]), "x.xlsx")[0], COLUMNS)
    assert problems == []
    assert [r.values["text"] for r in rows] == LISTS


def test_a_csv_keeps_its_apostrophe_before_a_formula_character():
    fields = list(csv.reader(io.StringIO(write_csv(spec()).decode("utf-8-sig"))))
    assert [line[1] for line in fields[1:5]] == ["'" + t for t in LISTS[:4]]
    assert fields[7][1] == "Perda 5/2020"


@pytest.mark.parametrize(
    ("text", "written", "quoted"),
    [
        ("- x", "- x", True),
        ("+62", "+62", True),
        ("plain", "plain", False),
        ("'=x", "''=x", True),  # the importer removes one apostrophe from such text
        ("\tx", "'\tx", True),  # leading whitespace would be stripped on import
        ("it's", "it's", False),
    ],
)
def test_xlsx_text_adds_an_apostrophe_only_where_the_importer_would_take_one_away(text, written, quoted):
    assert xlsx_text(text) == (written, quoted)


def column(ws, number: int):
    """The column's dimension (openpyxl groups equal adjacent columns under the first one's letter)."""
    return next(d for d in ws.column_dimensions.values() if d.min <= number <= d.max)


def test_the_origin_column_is_last_hidden_and_locked_and_the_sheet_protected_even_in_an_export():
    data = write_xlsx([spec(origin_keys=("text",), identity_keys=("code",))], template=False)
    ws = openpyxl.load_workbook(io.BytesIO(data))["Data"]
    assert ws.cell(1, 3).value == ORIGIN_HEADERS[0]
    assert column(ws, 3).hidden is True
    assert column(ws, 3).protection.locked is True
    assert column(ws, 2).protection.locked is False  # the editable text stays open
    assert ws.protection.sheet is True
    token = ws.cell(2, 3).value
    assert parse(token, identity="K0") is not None


def test_a_csv_carries_the_origin_as_a_visible_last_column():
    data = write_csv(spec(origin_keys=("text",), identity_keys=("code",)), lang="en")
    fields = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert fields[0] == ["Code", "Justification", ORIGIN_HEADERS[1]]
    assert all(parse(line[2], identity=line[0]) is not None for line in fields[1:])
