"""Writing workbooks (XlsxWriter) and CSV: numbers stay numbers, text never becomes a formula, templates get
dropdowns that refuse other values, a locked and frozen header, an instruction sheet and hidden code lists."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import xlsxwriter

from evaluation.excel_io.cells import neutralise
from evaluation.excel_io.reader import column_letters
from evaluation.excel_io.table import Column

CODES_SHEET = "Kode"
SPARE_ROWS = 2000  # template rows below the data that still carry the dropdowns


@dataclass
class SheetSpec:
    name: str
    columns: Sequence[Column]
    rows: list[dict[str, Any]]
    read_only: frozenset[str] = frozenset()  # columns shown for reference, locked
    choices: dict[str, list[Any]] = field(default_factory=dict)  # column key -> allowed values
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)  # column key -> decimal bounds


def write_xlsx(
    sheets: Sequence[SheetSpec], *, lang: str = "id", instructions: Sequence[str] = (), template: bool = False
) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "constant_memory": True,  # rows go out as they are written: faster, and little memory
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    bold = book.add_format(
        {
            "bold": True,
            "bg_color": "#1f4e79",
            "font_color": "#ffffff",
            "locked": True,
            "text_wrap": True,
            "valign": "top",
        }
    )
    open_cell = book.add_format({"locked": False})
    fixed_cell = book.add_format({"locked": True, "bg_color": "#eeeeee"})
    if instructions:
        guide = book.add_worksheet("Petunjuk" if lang == "id" else "Instructions")
        guide.set_column(0, 0, 110, book.add_format({"text_wrap": True, "valign": "top"}))
        for i, line in enumerate(instructions):
            guide.write_string(i, 0, line)
    codes = book.add_worksheet(CODES_SHEET) if template and any(s.choices for s in sheets) else None
    code_lists: list[list[Any]] = []
    for spec in sheets:
        sheet = book.add_worksheet(spec.name)
        formats = []
        for c, column in enumerate(spec.columns):
            sheet.write_string(0, c, column.header(lang), bold)
            formats.append((fixed_cell if column.key in spec.read_only else open_cell) if template else None)
            sheet.set_column(c, c, column.width, formats[-1])
            note = column.note_en if lang == "en" else column.note_id
            if template and note:
                sheet.write_comment(0, c, note)

        for r, row in enumerate(spec.rows, start=1):
            for c, column in enumerate(spec.columns):
                _write_cell(sheet, r, c, row.get(column.key), formats[c])
        sheet.freeze_panes(1, 0)
        if template:
            last = len(spec.rows) + SPARE_ROWS
            for c, column in enumerate(spec.columns):
                values = spec.choices.get(column.key)
                if not values or codes is None:
                    continue
                code_lists.append(values)
                letter = column_letters(len(code_lists))
                source = f"='{CODES_SHEET}'!${letter}$1:${letter}${len(values)}"
                sheet.data_validation(
                    1,
                    c,
                    last,
                    c,
                    {
                        "validate": "list",
                        "source": source,
                        "show_error": True,
                        "error_type": "stop",
                        "error_title": "Nilai tidak valid" if lang == "id" else "Invalid value",
                        "error_message": ("Pilih dari daftar." if lang == "id" else "Choose from the list."),
                    },
                )
            for c, column in enumerate(spec.columns):
                bounds = spec.ranges.get(column.key)
                if bounds is None:
                    continue
                sheet.data_validation(
                    1,
                    c,
                    last,
                    c,
                    {
                        "validate": "decimal",
                        "criteria": "between",
                        "minimum": bounds[0],
                        "maximum": bounds[1],
                        "show_error": True,
                        "error_type": "stop",
                        "error_title": "Nilai tidak valid" if lang == "id" else "Invalid value",
                        "error_message": (
                            f"Isi angka {bounds[0]:g} sampai {bounds[1]:g} (boleh desimal)."
                            if lang == "id"
                            else f"Enter a number from {bounds[0]:g} to {bounds[1]:g} (decimals allowed)."
                        ),
                    },
                )
            sheet.protect(
                "",
                {
                    "format_columns": True,
                    "autofilter": True,
                    "sort": False,
                    "insert_rows": True,
                    "delete_rows": True,
                },
            )
            sheet.autofilter(0, 0, max(len(spec.rows), 1), len(spec.columns) - 1)
    if codes is not None:  # row by row: constant-memory sheets are written top to bottom
        for r in range(max((len(v) for v in code_lists), default=0)):
            for c, values in enumerate(code_lists):
                if r < len(values):
                    _write_cell(codes, r, c, values[r])
        codes.hide()
    book.close()
    return buffer.getvalue()


def _write_cell(sheet: Any, row: int, column: int, value: Any, cell_format: Any = None) -> None:
    if value is None:  # an empty cell takes its column's format (locked or not) in Excel
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value, cell_format)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value, cell_format)
    else:
        sheet.write_string(row, column, neutralise(str(value)), cell_format)


def write_csv(spec: SheetSpec, *, lang: str = "id") -> bytes:
    """UTF-8 with BOM (Excel opens it right), neutralised text, numbers written plainly."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow([c.header(lang) for c in spec.columns])
    for row in spec.rows:
        out.writerow(["" if row.get(c.key) is None else _csv_value(row.get(c.key)) for c in spec.columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return neutralise(value) if isinstance(value, str) else value
