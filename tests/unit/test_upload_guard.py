"""The upload guard measures an XLSX before python-calamine reads it, and refuses naming the limit."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluation.excel_io import limits, xml_scan
from evaluation.excel_io.guard import check_xlsx
from evaluation.excel_io.reader import UnreadableFile, read_upload
from tests.hostile_workbooks import (
    FIRST_ROW,
    HEADER,
    formula_at_row_50m,
    huge_sheet,
    merged_a2_a100m,
    text_cell,
    value_at_xfd1048576,
    workbook,
)

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "cases"


def refusal(data: bytes, name: str = "f.xlsx") -> str:
    with pytest.raises(UnreadableFile) as caught:
        read_upload(data, name)
    return str(caught.value)


def test_a_value_at_xfd1048576_is_refused_naming_the_row_limit_and_the_cell():
    message = refusal(value_at_xfd1048576())
    assert "XFD1048576" in message
    assert "200.000" in message and "200,000" in message  # the limit, in each language's digits
    assert " / " in message  # Indonesian, then English


def test_a_formula_at_row_50_million_is_refused():
    message = refusal(formula_at_row_50m())
    assert "50,000,000" in message and "A50000000" in message


def test_a_merged_range_down_to_row_100_million_is_refused_naming_the_range():
    message = refusal(merged_a2_a100m())
    assert "A2:A100000000" in message and "100,000,000" in message


def test_a_sheet_that_unpacks_to_a_gigabyte_is_refused_from_its_declared_size():
    data = huge_sheet(1000)
    assert len(data) < limits.max_upload_bytes()
    message = refusal(data)
    assert (
        "1,000 MB" in message and "1.000 MB" in message and limits.megabytes(limits.MAX_PART_BYTES) in message
    )


def test_a_part_that_unpacks_to_more_than_it_declares_is_refused():
    data = bytearray(huge_sheet(3))
    directory = data.rfind(b"PK\x01\x02", 0, data.rfind(b"xl/worksheets/sheet1.xml"))
    name_at = data.find(b"xl/worksheets/sheet1.xml", directory)
    assert directory > 0 and name_at - directory == 46
    struct.pack_into("<I", data, directory + 24, 1_000)  # the central directory now says 1 KB
    local = data.rfind(b"PK\x03\x04", 0, data.find(b"xl/worksheets/sheet1.xml"))
    struct.pack_into("<I", data, local + 22, 1_000)
    assert "CRC" in refusal(bytes(data)) or "broken" in refusal(bytes(data))


def test_an_ordinary_workbook_is_measured_and_read():
    data = workbook(HEADER + FIRST_ROW)
    measure = check_xlsx(data, "f.xlsx")
    sheet = next(p for p in measure.parts if p.path == "xl/worksheets/sheet1.xml")
    assert (sheet.rows, sheet.columns, sheet.cells) == (2, 5, 10)
    assert read_upload(data, "f.xlsx")[0].rows[1][0] == "KOTA-001"


@pytest.mark.parametrize(
    ("sheet_data", "far"),
    [
        ('<row r="2"><c r="A300000"><v>1</v></c></row>', "300,000"),  # the cell, not its row, says where
        ("<row/>" * 10 + '<row r="250000"><c><v>1</v></c></row>', "250,000"),  # rows counted on
        (
            '<x:row xmlns:x="'
            + "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
            + '" r="9999999"/>',
            "9,999,999",
        ),
        ('<row r="2"><c t="n" r="A400000"><v>1</v></c></row>', "400,000"),  # r not the first attribute
        ('<row r="2"><c r="&#65;500000"><v>1</v></c></row>', "500,000"),  # a character reference
    ],
)
def test_cells_written_in_unusual_forms_are_measured_where_the_reader_would_put_them(sheet_data, far):
    assert far in refusal(workbook(HEADER + sheet_data))


def test_a_large_part_in_an_unusual_form_is_measured_by_expat_after_all():
    rows = "".join(f'<row r="{r}">{text_cell(f"A{r}", "x" * 40)}</row>' for r in range(2, 40_000))
    unusual = '<row r="40000"><c t="n" r="ZZ40000"><v>1</v></c></row>'  # `r` second: not the fast form
    message = refusal(workbook(HEADER + rows + unusual))
    assert "702" in message or "28,000,000" in message or "ZZ40000" in message


def test_a_large_ordinary_part_is_measured_by_the_fast_scan():
    rows = "".join(f'<row r="{r}">{text_cell(f"A{r}", "x" * 40)}</row>' for r in range(2, 40_000))
    measure = check_xlsx(workbook(HEADER + rows), "f.xlsx")
    sheet = next(p for p in measure.parts if p.path == "xl/worksheets/sheet1.xml")
    assert sheet.scanned_with == "regex" and (sheet.rows, sheet.columns) == (39_999, 5)


@pytest.mark.parametrize(
    "last_row",
    [
        '<row r="40000">',  # the ordinary form
        '<row  r="40000">',  # two spaces
        '<row\tr="40000">',  # a tab
        '<row spans="1:2" r="40000">',  # `r` not first
        "<row>",  # no number: the row after the one before
        '<row r="0040000">',  # leading zeros
        '<row r="12345678">',  # eight digits
    ],
)
def test_the_fast_scan_measures_rows_as_expat_does_or_leaves_the_part_to_expat(last_row):
    rows = "".join(f'<row r="{r}">{text_cell(f"A{r}", "x" * 40)}</row>' for r in range(2, 40_000))
    data = workbook(HEADER + rows + last_row + '<c r="B40000"><v>1</v></c></row>')
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        assert info.file_size > xml_scan.SMALL_PART_BYTES  # large enough for the fast scan
        fast, slow = xml_scan.measure_part(archive, info), xml_scan._expat_scan(archive, info)
    assert fast is not None
    assert (fast.rows, fast.columns, fast.cells) == (slow.rows, slow.columns, slow.cells)
    assert fast.scanned_with == ("regex" if last_row in ('<row r="40000">', '<row r="0040000">') else "expat")


@pytest.mark.parametrize(
    ("before", "after", "named"),
    [
        ("", '<mergeCells count="1"><mergeCell ref="A2:A100000000"/></mergeCells>', "A2:A100000000"),
        ('<dimension ref="A1:XFD1048576"/>', "", "A1:XFD1048576"),
    ],
)
def test_a_large_part_s_rare_tags_are_measured_by_the_fast_scan_too(before, after, named):
    rows = "".join(f'<row r="{r}">{text_cell(f"A{r}", "x" * 40)}</row>' for r in range(2, 40_000))
    assert named in refusal(workbook(HEADER + rows, before=before, after=after))


def test_a_declared_dimension_beyond_the_limits_is_refused():
    message = refusal(workbook(HEADER + FIRST_ROW, before='<dimension ref="A1:XFD1048576"/>'))
    assert "A1:XFD1048576" in message


def test_a_dtd_with_entities_is_refused():
    data = workbook(HEADER + FIRST_ROW)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/workbook.xml":
                content = content.replace(
                    b"<workbook", b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]><workbook', 1
                ).replace(b'<?xml version="1.0" encoding="UTF-8"?>', b"")
            target.writestr(info.filename, content)
    assert "DTD" in refusal(buffer.getvalue())


def test_deep_nesting_is_refused_naming_the_depth_limit():
    deep = "<a>" * 200 + "</a>" * 200
    message = refusal(workbook(HEADER + FIRST_ROW, after=f"<extLst>{deep}</extLst>"))
    assert str(limits.MAX_XML_DEPTH) in message and "nesting" in message


def test_too_many_parts_are_refused_before_the_package_is_opened():
    extra = {f"xl/media/p{i}.xml": b"<a/>" for i in range(limits.MAX_ZIP_MEMBERS + 1)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook(HEADER)), "r") as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        for name, content in extra.items():
            target.writestr(name, content)
    assert str(limits.MAX_ZIP_MEMBERS) in refusal(buffer.getvalue())


def test_an_upload_over_the_size_limit_is_refused_with_the_limit(monkeypatch):
    message = refusal(b"PK" + b"\0" * (limits.max_upload_bytes() + 1))
    assert limits.megabytes(limits.max_upload_bytes()) in message


def test_a_package_without_a_workbook_part_is_not_read_as_xlsx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<office:document-content/>")
    assert "XLSX" in refusal(buffer.getvalue())


@pytest.mark.parametrize(
    "name", ["stray_XFD1048576.xlsx", "score_stray_XFD1048576.xlsx", "stray_A1048576.xlsx"]
)
def test_field_cases_with_a_far_stray_cell_are_refused_naming_the_cell(name):
    message = refusal((CASES / name).read_bytes(), name)
    assert "1,048,576" in message and ("XFD1048576" in message or "A1048576" in message)


def test_a_csv_wider_than_the_column_limit_is_refused():
    data = ("a," * (limits.MAX_COLUMNS + 1)).encode()
    assert str(limits.MAX_COLUMNS) in refusal(data, "f.csv")


def test_a_csv_cell_over_the_field_limit_is_refused_not_raised_as_csv_error():
    data = b'a,b\n"' + b"x" * (limits.MAX_CSV_FIELD_CHARS + 5) + b'",1\n'
    assert "131,072" in refusal(data, "f.csv")


def test_damaged_compressed_data_is_a_broken_file_not_a_zlib_error():
    data = bytearray(workbook(HEADER + FIRST_ROW))
    name = b"xl/worksheets/sheet1.xml"
    local = next(
        i for i in range(len(data)) if data.startswith(b"PK\x03\x04", i) and data.startswith(name, i + 30)
    )
    start = local + 30 + len(name)
    data[start : start + 20] = b"\xff" * 20  # block type 3: not a deflate stream
    assert "broken or not an XLSX" in refusal(bytes(data))


@pytest.mark.parametrize("small_part", [0, 10**9], ids=["regex scan", "expat scan"])
def test_shared_strings_past_the_limit_are_refused_by_either_scan(monkeypatch, small_part):
    from evaluation.excel_io import xml_scan

    monkeypatch.setattr(xml_scan, "SMALL_PART_BYTES", small_part)
    monkeypatch.setattr(limits, "MAX_SHARED_STRINGS", 2)
    rich = '<si><r><rPr><color rgb="FF000000"/></rPr><t>x</t></r></si>'
    strings = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{rich * 3}</sst>'
    data = workbook(HEADER + FIRST_ROW)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("xl/sharedStrings.xml", strings)
    assert "shared strings 3, over the limit of 2" in refusal(buffer.getvalue())


@pytest.mark.parametrize(
    "data",
    [workbook(HEADER + FIRST_ROW), value_at_xfd1048576(), formula_at_row_50m(), merged_a2_a100m()],
    ids=["ordinary", "XFD1048576", "formula", "merged"],
)
def test_the_fast_scan_measures_what_expat_measures(monkeypatch, data):
    from evaluation.excel_io import xml_scan

    monkeypatch.setattr(limits, "MAX_ROWS", 10**9)
    monkeypatch.setattr(limits, "MAX_COLUMNS", 10**9)
    monkeypatch.setattr(limits, "MAX_CELLS", 10**18)
    monkeypatch.setattr(limits, "MAX_MERGED_CELLS", 10**18)
    measured = []
    for small_part in (0, 10**9):  # the fast scan first (it hands an unusual part to expat), then expat
        monkeypatch.setattr(xml_scan, "SMALL_PART_BYTES", small_part)
        sheet = next(p for p in check_xlsx(data, "f.xlsx").parts if p.path == "xl/worksheets/sheet1.xml")
        measured.append((sheet.rows, sheet.columns, sheet.cells, sheet.merged, sheet.formulas))
    assert measured[0] == measured[1]


def test_formulas_and_merges_are_found_on_a_sheet_whose_name_needs_escaping_in_xml():
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "R&D <2026>"
    sheet.append(["a", "b"])
    sheet["A3"] = "=1+1"
    sheet.merge_cells("A4:B4")
    buffer = io.BytesIO()
    book.save(buffer)
    [read] = read_upload(buffer.getvalue(), "f.xlsx")
    assert (read.name, read.formulas, read.merged) == ("R&D <2026>", {(3, 1)}, [(4, 1, 4, 2)])


def _near(alphabet: str, longest: int) -> st.SearchStrategy[tuple[str, str]]:
    """A furthest value and a candidate: any, or the same length sharing a prefix (where an off-by-one
    in the pattern shows)."""

    @st.composite
    def pairs(draw: st.DrawFn) -> tuple[str, str]:
        top = draw(st.text(alphabet=alphabet, min_size=1, max_size=longest))
        if draw(st.booleans()):
            return top, draw(st.text(alphabet=alphabet, min_size=1, max_size=longest + 1))
        keep = draw(st.integers(0, len(top) - 1))
        tail = draw(st.text(alphabet=alphabet, min_size=len(top) - keep, max_size=len(top) - keep))
        return top, top[:keep] + tail

    return pairs()


@pytest.mark.parametrize(
    ("alphabet", "longest", "written"),
    [("0123456789", 7, 'r="{}"'), ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 3, "{}1")],  # row numbers, column letters
)
@given(data=st.data())
def test_the_fast_scan_s_patterns_take_exactly_the_values_not_after_the_furthest(
    alphabet, longest, written, data
):
    top, candidate = data.draw(_near(alphabet, longest))
    allowed = xml_scan._up_to(top.encode(), ord(alphabet[0]), ord(alphabet[-1]))
    pattern = re.compile(written.format("(?:%s)").encode() % allowed)
    not_after = (len(candidate), candidate) <= (len(top), top)
    assert (pattern.fullmatch(written.format(candidate).encode()) is not None) == not_after
