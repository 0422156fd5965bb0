"""Excel and CSV at the cell, sheet and file level, without a database: tolerant reading of what people
type, located problems, formula-safe writing, and template features (evaluation.excel_io)."""

from __future__ import annotations

import csv
import io
import math
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.excel_io.cells import (
    FORMULA_STARTS,
    Problem,
    Wording,
    as_level,
    as_number,
    as_text,
    is_blank,
    neutralise,
    unneutralise,
)
from evaluation.excel_io.limits import max_upload_bytes
from evaluation.excel_io.reader import (
    Sheet,
    UnreadableFile,
    column_index,
    column_letters,
    read_upload,
)
from evaluation.excel_io.table import Column, parse_table
from evaluation.excel_io.writer import CODES_SHEET, SheetSpec, write_csv, write_xlsx
from evaluation.translatable import Message

COLUMNS = (
    Column("code", "sh.code", "code", required=True),
    Column("year", "sh.year", "int", required=True),
    Column("level", "sh.level", "level"),
    Column("value", "sh.value", "number"),
    Column("text", "sh.justification"),
)
HEADER = ["Kode", "Tahun", "Tingkat", "Nilai", "Penjelasan"]
DANGEROUS = ["=SUM(A1)", "+62 812 000", "-5 poin", "@user", "\tTab", "\rCR", '=HYPERLINK("http://x")']


def xlsx(rows: list[list], *, title: str = "Data", edit=None, extra_sheet: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    if extra_sheet:
        book.active.title = extra_sheet
        book.active.append(["tidak", "dipakai"])
        ws = book.create_sheet(title)
    else:
        ws = book.active
        ws.title = title
    for values in rows:
        ws.append(values)
    if edit:
        edit(ws)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet(rows: list[list], **extra) -> Sheet:
    return Sheet("Data", [HEADER, *rows], **extra)


def loaded(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


# --- cells -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        3,
        3.0,
        "3",
        " 3 ",
        "3.0",
        "3,0",
        "Level 3",
        "level 3",
        "LEVEL3",
        "Tingkat 3",
        "tingkat  3",
        "Tk 3",
        "L3",
    ],
)
def test_a_level_is_read_the_way_people_write_it(typed):
    assert as_level(typed) == 3.0


def test_a_fractional_level_keeps_its_fraction_with_either_decimal_mark():
    assert (as_level("2,5"), as_level("2.5"), as_level(2.5)) == (2.5, 2.5, 2.5)


@pytest.mark.parametrize("blank", [None, "", "   ", float("nan")])
def test_a_blank_level_is_none(blank):
    assert as_level(blank) is None and is_blank(blank)


@pytest.mark.parametrize("typed", ["abc", "tiga", "3a", "-1", "Level", "3 - 4", True, "3.5.1"])
def test_anything_else_is_not_a_level(typed):
    with pytest.raises(ValueError):
        as_level(typed)


@pytest.mark.parametrize(
    ("typed", "number"), [(" 3 ", 3.0), ("3,5", 3.5), ("2026", 2026.0), ("1 000", 1000.0), (7, 7.0)]
)
def test_numbers_accept_spaces_and_a_decimal_comma(typed, number):
    assert as_number(typed) == number


@pytest.mark.parametrize("typed", ["dua ribu", "abc", True, "1.000,5"])
def test_text_and_booleans_are_not_numbers(typed):
    with pytest.raises(ValueError):
        as_number(typed)


def test_text_is_stripped_whole_numbers_lose_their_decimal_point_and_an_apostrophe_guard_is_removed():
    assert (as_text(" Perda 5 "), as_text(3.0), as_text(3.5), as_text(None)) == ("Perda 5", "3", "3.5", "")
    assert as_text("'=SUM(A1)") == "=SUM(A1)"
    assert as_text("'-5 poin") == "-5 poin"
    assert as_text("'biasa") == "'biasa"  # an apostrophe before ordinary text is the person's own


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text
    assert unneutralise(neutralise(text)) == text


@pytest.mark.parametrize("value", [3, 3.5, -5, None, "Perda 5 tahun 2020", "", "'kutipan"])
def test_numbers_and_harmless_text_are_not_neutralised(value):
    assert neutralise(value) == value


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30).filter(lambda t: not t.startswith("'")))
def test_neutralising_then_unneutralising_gives_the_text_back(text):
    guarded = neutralise(text)
    assert not guarded.startswith(FORMULA_STARTS)
    assert unneutralise(guarded) == text


def test_text_that_itself_starts_with_an_apostrophe_and_a_formula_character_survives_the_round_trip():
    assert unneutralise(neutralise("'=x")) == "'=x"


def test_a_problem_names_sheet_column_and_row_in_either_language():
    problem = Problem("Penilaian", 7, "F", Message("pr.not_a_level", value="abc"))
    assert problem.text() == "Penilaian!F7: 'abc' bukan tingkat (contoh: 3, Tingkat 3)"
    assert problem.text("en") == "Penilaian!F7: 'abc' is not a level (e.g. 3, Level 3)"
    whole_row = Problem("Penilaian", 7, "", Message("pr.merged_in_data_row"))
    assert (whole_row.text(), whole_row.text("en")) == (
        "Penilaian baris 7: sel gabungan (merge) di baris data; pisahkan selnya",
        "Penilaian row 7: merged cells in a data row; unmerge them",
    )


def test_a_problem_keeps_a_message_id_and_its_parameters_not_a_sentence():
    problem = Problem("Penilaian", 12, "F", Message("pr.too_long", found=12000, limit=10000))
    assert problem.message.key == "pr.too_long"
    assert problem.reason("id") == "panjang 12.000 karakter, melebihi batas 10.000"
    assert problem.reason("en") == "12,000 characters long, over the limit of 10,000"
    assert str(
        problem
    ) == "Penilaian!F12: panjang 12.000 karakter, melebihi batas 10.000 / " + problem.reason("en")


def test_a_bilingual_header_used_as_a_parameter_shows_in_the_readers_language():
    problem = Problem(
        "Penilaian", 3, "C", Message("pr.required", column=Wording("Tingkat mandiri", "Self level"))
    )
    assert (problem.reason("id"), problem.reason("en")) == (
        "Tingkat mandiri wajib diisi",
        "Self level is required",
    )


# --- reading files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("letters", "index"), [("A", 1), ("Z", 26), ("AA", 27), ("AZ", 52), ("XFD", 16384)])
def test_column_letters_and_numbers_convert_both_ways(letters, index):
    assert (column_index(letters), column_letters(index)) == (index, letters)


def test_every_column_number_survives_letters_and_back():
    assert all(column_index(column_letters(n)) == n for n in range(1, 20000))


def test_a_file_larger_than_the_limit_is_refused_before_reading():
    with pytest.raises(UnreadableFile, match="MB"):
        read_upload(b"0" * (max_upload_bytes() + 1), "besar.xlsx")


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)) * 40, b"PK\x03\x04" + bytes(range(256)) * 8, b""],
    ids=["binary", "broken-zip", "empty"],
)
def test_a_file_that_is_not_a_workbook_but_named_xlsx_is_unreadable(data):
    with pytest.raises(UnreadableFile):
        read_upload(data, "penilaian.xlsx")


def test_a_zip_that_is_not_a_workbook_is_unreadable():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("catatan.txt", "bukan lembar kerja")
    with pytest.raises(UnreadableFile):
        read_upload(buffer.getvalue(), "penilaian.xlsx")


def test_a_csv_that_is_not_utf8_is_unreadable():
    with pytest.raises(UnreadableFile, match="UTF-8"):
        read_upload("Kode,Penjelasan\nA,Ruang tunggu ber-AC ±\n".encode("cp1252"), "data.csv")


def test_a_csv_with_a_byte_order_mark_and_semicolons_is_read_into_one_sheet_named_after_the_file():
    data = "\ufeffKode;Tahun;Tingkat\r\nKOTA-001;2026;3,5\r\n".encode()
    [read] = read_upload(data, "Penilaian Kota.CSV")
    assert read.name == "Penilaian Kota"
    assert read.rows == [["Kode", "Tahun", "Tingkat"], ["KOTA-001", "2026", "3,5"]]


def test_a_workbook_is_read_with_its_numbers_as_numbers():
    [read] = read_upload(xlsx([HEADER, ["KOTA-001", 2026, 3, 2.5, "Perda"]]), "data.xlsx")
    assert read.rows[1] == ["KOTA-001", 2026, 3, 2.5, "Perda"]


def test_formulas_and_merged_cells_are_found_in_the_sheet_that_holds_them():
    def edit(ws):
        ws["C3"] = "=1+2"
        ws.merge_cells("A4:B4")

    rows = [HEADER, ["A", 2026, 3], ["B", 2026, None], ["C", 2026, 4]]
    first, data = read_upload(xlsx(rows, edit=edit, extra_sheet="Petunjuk"), "data.xlsx")
    assert (first.name, first.formulas, first.merged) == ("Petunjuk", set(), [])
    assert data.formulas == {(3, 3)}
    assert data.merged == [(4, 1, 4, 2)]


# --- sheets as tables ------------------------------------------------------------------------------


def test_columns_are_found_by_header_in_any_order_language_and_case():
    read = Sheet(
        "Data", [[" justification ", "LEVEL", "code", "Year"], ["Perda", "Tingkat 4", "kota-1", 2026]]
    )
    rows, problems = parse_table(read, COLUMNS)
    assert problems == []
    [only] = rows
    assert only.values == {"text": "Perda", "level": 4.0, "code": "KOTA-1", "year": 2026}
    assert only.letters == {"text": "A", "level": "B", "code": "C", "year": "D"}
    assert only.number == 2


def test_a_missing_required_column_is_one_problem_on_the_header_row_naming_it():
    rows, problems = parse_table(Sheet("Data", [["Kode", "Tingkat"], ["A", 3]]), COLUMNS)
    assert rows == []
    assert [(p.row, p.column) for p in problems] == [(1, "")]
    assert "Tahun" in problems[0].reason("id")


def test_an_empty_sheet_is_one_problem():
    rows, problems = parse_table(Sheet("Data", []), COLUMNS)
    assert rows == [] and [p.reason("en") for p in problems] == ["the sheet is empty"]


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_spreadsheet():
    rows, problems = parse_table(
        sheet([[None] * 5, ["", " ", None, "", "  "], ["A", 2026, 3, None, None], [], [None, None]]),
        COLUMNS,
    )
    assert problems == []
    assert [r.number for r in rows] == [4]


@pytest.mark.parametrize(
    ("cells", "column", "fragment"),
    [
        (["A", 2026, "abc", None, None], "C", "bukan tingkat"),
        (["A", "dua ribu", 3, None, None], "B", "bukan angka"),
        (["A", 2026.5, 3, None, None], "B", "bilangan bulat"),
        (["A", 2026, 3, "banyak", None], "D", "bukan angka"),
        ([None, 2026, 3, None, "teks"], "A", "wajib diisi"),
    ],
)
def test_a_cell_that_cannot_be_taken_is_a_problem_at_its_row_and_column(cells, column, fragment):
    rows, problems = parse_table(sheet([["OK", 2026, 1, None, None], cells]), COLUMNS)
    assert [r.number for r in rows] == [2]  # the good row is still read; the bad one is not
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Data", 3, column)]
    assert fragment in problems[0].reason("id")


def test_a_formula_where_a_value_belongs_is_a_problem_at_its_cell():
    read = sheet([["A", 2026, "", None, None]], formulas={(2, 3)})
    rows, problems = parse_table(read, COLUMNS)
    assert rows == []
    assert [(p.row, p.column) for p in problems] == [(2, "C")]
    assert "rumus" in problems[0].reason("id")


def test_a_merged_cell_in_a_data_row_is_a_problem_of_that_row():
    read = sheet([["A", 2026, 3, None, None], ["B", 2026, 3, None, None]], merged=[(3, 4, 3, 5)])
    rows, problems = parse_table(read, COLUMNS)
    assert [r.number for r in rows] == [2]
    assert [p.row for p in problems] == [3]
    assert "gabungan" in problems[0].reason("id")


def test_a_merged_header_is_not_a_data_problem():
    rows, problems = parse_table(sheet([["A", 2026, 3, None, None]], merged=[(1, 4, 1, 5)]), COLUMNS)
    assert problems == [] and len(rows) == 1


# --- writing ---------------------------------------------------------------------------------------


def spec(rows: list[dict], **extra) -> SheetSpec:
    return SheetSpec("Data", COLUMNS, rows, **extra)


ROWS = [
    {"code": "KOTA-001", "year": 2026, "level": 3, "value": 2.75, "text": "Perda 5"},
    {"code": "KOTA-002", "year": 2026, "level": None, "value": None, "text": None},
    *(
        {"code": f"K{i}", "year": 2026, "level": 4.0, "value": -1.5, "text": t}
        for i, t in enumerate(DANGEROUS)
    ),
]


def column_locked(ws, number: int) -> bool:
    """Whether the column's own format locks its cells (openpyxl groups equal adjacent columns)."""
    for dimension in ws.column_dimensions.values():
        if dimension.min <= number <= dimension.max:
            return dimension.protection.locked
    raise AssertionError(f"column {number} has no format")


def every_cell(book: openpyxl.Workbook):
    for ws in book.worksheets:
        for line in ws.iter_rows():
            yield from line


def test_an_xlsx_export_keeps_numbers_as_numbers():
    ws = loaded(write_xlsx([spec(ROWS)]))["Data"]
    assert [c.value for c in ws[2]] == ["KOTA-001", 2026, 3, 2.75, "Perda 5"]
    assert all(isinstance(ws.cell(r, 3).value, int | float) for r in (2, *range(4, 4 + len(DANGEROUS))))
    assert ws.cell(4, 4).value == -1.5


def test_an_xlsx_export_holds_no_formula_whatever_the_text():
    book = loaded(write_xlsx([spec(ROWS)], template=True, instructions=["Petunjuk"]))
    cells = list(every_cell(book))
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    risky = [c for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS)]
    assert risky and all(c.data_type == "s" and c.quotePrefix for c in risky)  # text cells, kept text
    texts = [book["Data"].cell(r, 5).value for r in range(4, 4 + len(DANGEROUS))]
    assert texts[0] == "=SUM(A1)"  # what people read is what was typed: no apostrophe added


def test_a_csv_export_has_a_byte_order_mark_plain_numbers_and_no_field_a_spreadsheet_would_run():
    data = write_csv(spec(ROWS))
    assert data.startswith("\ufeff".encode())
    fields = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert fields[0] == HEADER
    assert fields[1] == ["KOTA-001", "2026", "3", "2.75", "Perda 5"]
    assert fields[2] == ["KOTA-002", "2026", "", "", ""]
    assert fields[3][2] == "4"  # 4.0 is written as 4
    texts = [f for line in fields for f in line if not f.startswith("-1.5")]
    assert not [f for f in texts if f.startswith(FORMULA_STARTS)]


def test_a_csv_export_in_english_has_english_headers():
    header = next(csv.reader(io.StringIO(write_csv(spec([]), lang="en").decode("utf-8-sig"))))
    assert header == ["Code", "Year", "Level", "Value", "Justification"]


def test_a_template_has_dropdowns_that_refuse_other_values_from_a_hidden_code_sheet():
    data = write_xlsx([spec(ROWS, choices={"level": [1, 2, 3, 4, 5]})], template=True, instructions=["x"])
    book = loaded(data)
    assert book.sheetnames == ["Petunjuk", CODES_SHEET, "Data"]
    assert book[CODES_SHEET].sheet_state == "hidden"
    assert [c.value for c in book[CODES_SHEET]["A"]] == [1, 2, 3, 4, 5]
    [rule] = book["Data"].data_validations.dataValidation
    assert (rule.type, rule.showErrorMessage) == ("list", True)
    assert rule.errorStyle in (None, "stop")  # absent means "stop" in OOXML
    assert rule.formula1 == f"'{CODES_SHEET}'!$A$1:$A$5"
    assert str(rule.sqref).startswith("C2:C")


def test_a_template_has_a_locked_frozen_header_and_locks_read_only_columns():
    book = loaded(write_xlsx([spec(ROWS, read_only=frozenset({"code"}))], template=True))
    ws = book["Data"]
    assert ws.protection.sheet is True
    assert ws.freeze_panes == "A2"
    assert all(c.protection.locked for c in ws[1])
    assert column_locked(ws, 1) is True
    assert [column_locked(ws, n) for n in range(2, 6)] == [False] * 4


def test_a_plain_export_is_frozen_but_neither_protected_nor_restricted():
    ws = loaded(write_xlsx([spec(ROWS, choices={"level": [1, 2]})]))["Data"]
    assert ws.freeze_panes == "A2"
    assert ws.protection.sheet is False
    assert ws.data_validations.dataValidation == []


@pytest.mark.parametrize(("lang", "name"), [("id", "Petunjuk"), ("en", "Instructions")])
def test_the_instruction_sheet_is_named_in_the_reader_s_language(lang, name):
    book = loaded(write_xlsx([spec([])], lang=lang, instructions=["Baris satu", "Baris dua"]))
    assert book.sheetnames[0] == name
    assert [c.value for c in book[name]["A"]] == ["Baris satu", "Baris dua"]


def test_what_the_writer_writes_the_reader_reads_back_unchanged():
    rows = [{"code": "K1", "year": 2026, "level": 3, "value": 2.5, "text": t} for t in DANGEROUS]
    for data, name in ((write_xlsx([spec(rows)]), "x.xlsx"), (write_csv(spec(rows)), "x.csv")):
        read = read_upload(data, name)[-1]
        parsed, problems = parse_table(read, COLUMNS)
        assert problems == []
        assert [r.values["text"] for r in parsed] == DANGEROUS, name
        assert {r.values["level"] for r in parsed} == {3.0}
        assert not math.isnan(parsed[0].values["value"])
