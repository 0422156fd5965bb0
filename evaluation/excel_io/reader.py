"""Reading a workbook (XLSX via python-calamine, formulas and merged cells from the sheet XML) or a CSV.

An XLSX is measured by guard.check_xlsx before python-calamine sees it (the native reader aborts the
process on a sheet that spans too far); a CSV is measured while it is read. Limits: limits.py.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from evaluation.excel_io import limits
from evaluation.excel_io.cell_refs import column_letters
from evaluation.excel_io.guard import UnreadableFile, check_xlsx

_FORMULA = re.compile(rb'<c r="([A-Z]+)([0-9]+)"[^>]*?>(?:<f[ >/])')
_MERGED = re.compile(rb'<mergeCell ref="([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)"')


__all__ = ["Sheet", "UnreadableFile", "column_index", "column_letters", "read_upload"]


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row, column), both 1-based
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row1, col1, row2, col2)
    source: str = "xlsx"  # or "csv": the hint for a row longer than its header differs


def column_index(letters: bytes | str) -> int:
    text = letters.decode() if isinstance(letters, bytes) else letters
    number = 0
    for char in text:
        number = number * 26 + (ord(char) - 64)
    return number


def read_upload(data: bytes, filename: str) -> list[Sheet]:
    """The sheets of an XLSX (all of them) or a CSV (one), rows as lists of plain Python values.

    Raises UnreadableFile (a `problems` message) for a file that is not XLSX/CSV, is broken, or passes
    a limit in limits.py (the message names the limit and what was found)."""
    limit = limits.max_upload_bytes()
    if len(data) > limit:
        raise UnreadableFile(
            "pr.file_too_large",
            file=filename,
            size=limits.size_message(len(data)),
            limit=limits.size_message(limit),
        )
    if filename.lower().endswith(".csv"):
        return [_read_csv(data, filename)]
    if not data.startswith(b"PK"):
        raise UnreadableFile("pr.not_xlsx_or_csv", file=filename)
    return _read_xlsx(data, filename)


def _read_csv(data: bytes, filename: str) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("pr.csv_not_utf8", file=filename) from None
    header = text.split("\n", 1)[0]  # the header alone: justifications may hold either character
    delimiter = ";" if header.count(";") > header.count(",") else ","
    rows: list[list[Any]] = []
    cells = 0
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            rows.append(row)
            cells += len(row)
            if len(rows) > limits.MAX_ROWS or len(row) > limits.MAX_COLUMNS or cells > limits.MAX_CELLS:
                key, limit = (
                    ("pr.csv_too_many_rows", limits.MAX_ROWS)
                    if len(rows) > limits.MAX_ROWS
                    else ("pr.csv_too_many_columns", limits.MAX_COLUMNS)
                    if len(row) > limits.MAX_COLUMNS
                    else ("pr.csv_too_many_cells", limits.MAX_CELLS)
                )
                raise UnreadableFile(key, file=filename, limit=limit, line=reader.line_num)
    except csv.Error as exc:
        raise UnreadableFile(
            "pr.csv_unreadable",
            file=filename,
            line=reader.line_num,
            detail=str(exc),
            most=limits.MAX_CSV_FIELD_CHARS,
        ) from None
    return Sheet(name=filename.rsplit(".", 1)[0][:31] or "CSV", rows=rows, source="csv")


def _read_xlsx(data: bytes, filename: str) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    measure = check_xlsx(data, filename)  # before the native reader, which may abort the process
    xml_paths = measure.sheets
    measured = {part.path: part for part in measure.parts}
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # calamine and zipfile raise their own error types for broken files
        raise UnreadableFile("pr.broken_xlsx", file=filename, detail=str(exc)) from None
    sheets = []
    for name in workbook.sheet_names:
        try:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)  # lists of lists
        except Exception as exc:
            raise UnreadableFile("pr.sheet_unreadable", file=filename, sheet=name, detail=str(exc)) from None
        sheet = Sheet(name=name, rows=rows)
        path = xml_paths.get(name)
        part = measured.get(path or "")
        # the sheet's XML is read again only where the guard's scan may have seen formulas or merges
        maybe = part is None or part.cell_formulas or bool(part.merged)
        if maybe and path and path in archive.namelist():
            xml = archive.read(path)
            # most uploads hold no formula at all: skip the scan then (data validations' <formula1> are
            # not cell formulas, and templates carry them)
            if b"<f>" in xml or b"<f " in xml or b"<f/" in xml:
                sheet.formulas = {(int(m.group(2)), column_index(m.group(1))) for m in _FORMULA.finditer(xml)}
            sheet.merged = [
                (int(m.group(2)), column_index(m.group(1)), int(m.group(4)), column_index(m.group(3)))
                for m in _MERGED.finditer(xml)
            ]
        sheets.append(sheet)
    return sheets
