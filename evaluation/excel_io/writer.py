"""Writing workbooks (XlsxWriter) and CSV: numbers stay numbers, text never becomes a formula, templates get
dropdowns that refuse other values, a locked and frozen header, an instruction sheet and hidden code lists."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import xlsxwriter

from evaluation.excel_io import provenance
from evaluation.excel_io.cells import FORMULA_STARTS, neutralise
from evaluation.excel_io.reader import column_letters
from evaluation.excel_io.table import Column
from evaluation.i18n import t
from evaluation.translatable import Message

CODES_SHEET = "Kode"
SPARE_ROWS = 2000  # template rows below the data that still carry the dropdowns
DECIMAL_FORMAT = "0.00"  # fractional numbers: two decimals, the mark of the reader's Excel (issue 15)


@dataclass
class SheetSpec:
    name: str
    columns: Sequence[Column]
    rows: list[dict[str, Any]]
    read_only: frozenset[str] = frozenset()  # columns shown for reference, locked
    choices: dict[str, list[Any]] = field(default_factory=dict)  # column key -> allowed values
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)  # column key -> decimal bounds
    # importable sheets: the editable columns stamped into a last origin column (hidden and locked in XLSX,
    # visible in CSV), and the columns that name the row (the token is refused on any other row)
    origin_keys: tuple[str, ...] = ()
    identity_keys: tuple[str, ...] = ()

    @property
    def all_columns(self) -> list[Column]:
        """The columns as written: the data columns, then the origin column when the sheet has one."""
        return [*self.columns, provenance.ORIGIN_COLUMN] if self.origin_keys else list(self.columns)

    def cells(self, row: dict[str, Any]) -> list[Any]:
        """A row's values in `all_columns` order, its origin token last when the sheet has one."""
        values = [row.get(c.key) for c in self.columns]
        if self.origin_keys:
            values.append(origin_token(self, row))
        return values


def origin_token(spec: SheetSpec, row: dict[str, Any]) -> str:
    """The origin token of one row of a sheet (see evaluation.excel_io.provenance)."""
    return provenance.stamp(
        {key: row.get(key) for key in spec.origin_keys},
        identity=provenance.identity_of(*(row.get(key) for key in spec.identity_keys)),
    )


def write_xlsx(
    sheets: Sequence[SheetSpec], *, lang: str = "id", instructions: Sequence[str] = (), template: bool = False
) -> bytes:
    """An XLSX workbook: an optional instruction sheet, then one sheet per spec. Templates (and every sheet
    with an origin column) get locked reference columns, unlocked editable ones and a protected sheet (no
    password: it guards against slips, not people); the origin column is hidden and locked. Text that a
    spreadsheet would run as a formula keeps its characters and gets the quote-prefix style.

    A workbook nobody imports back (no template, no origin column: the national matrix) streams its rows
    to a temporary file as they are written (XlsxWriter's constant_memory, which `in_memory` switches off;
    its strings are written inline): 10% less CPU and no table of every cell held (issue 17). Importable
    workbooks keep the shared-string table the upload guard and readers were measured on."""
    buffer = io.BytesIO()
    streamed = not template and not any(spec.origin_keys for spec in sheets)
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": not streamed,
            "constant_memory": streamed,  # rows go out as they are written, top to bottom
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    styles = _Styles(book)
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
    if instructions:
        guide = book.add_worksheet("Petunjuk" if lang == "id" else "Instructions")
        guide.set_column(0, 0, 110, book.add_format({"text_wrap": True, "valign": "top"}))
        for i, line in enumerate(instructions):
            _write_cell(guide, i, 0, line, None, styles)
    codes = book.add_worksheet(CODES_SHEET) if template and any(s.choices for s in sheets) else None
    code_lists: list[list[Any]] = []
    for spec in sheets:
        sheet = book.add_worksheet(spec.name)
        columns = spec.all_columns
        protect = template or bool(spec.origin_keys)
        formats: list[Any] = []
        for c, column in enumerate(columns):
            sheet.write_string(0, c, column.header(lang), bold)
            locked = column.key in spec.read_only or column.key == provenance.ORIGIN_KEY
            formats.append((styles.fixed if locked else styles.open) if protect else None)
            hidden = {"hidden": True} if column.key == provenance.ORIGIN_KEY else None
            sheet.set_column(c, c, column.width, formats[-1], hidden)
            note = column.note_text(lang)
            if template and note:
                sheet.write_comment(0, c, note)

        _write_rows(sheet, spec, formats, styles)
        sheet.freeze_panes(1, 0)
        if template:
            last = len(spec.rows) + SPARE_ROWS
            for c, column in enumerate(columns):
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
                        "error_title": t("pr.xl_invalid_title", lang),
                        "error_message": t("pr.xl_choose_from_list", lang),
                    },
                )
            for c, column in enumerate(columns):
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
                        "error_title": t("pr.xl_invalid_title", lang),
                        "error_message": Message(
                            "pr.xl_number_between", low=bounds[0], high=bounds[1]
                        ).render(lang),
                    },
                )
        if protect:
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
                    _write_cell(codes, r, c, values[r], None, styles)
        codes.hide()
    book.close()
    return buffer.getvalue()


class _Styles:
    """The cell formats of one workbook, each also in a quote-prefix variant (made once, on first use)."""

    def __init__(self, book: Any):
        self.book = book
        self.open = book.add_format({"locked": False})
        self.fixed = book.add_format({"locked": True, "bg_color": "#eeeeee"})
        self._quoted: dict[int, Any] = {}
        self._decimal: dict[int, Any] = {}

    def decimal(self, base: Any) -> Any:
        """`base` (None, open or fixed) with two decimals shown ('0.00'): the cell stays a number and Excel
        writes it with the reader's decimal mark (3,28 in an Indonesian Excel, 3.28 in an English one)."""
        found = self._decimal.get(id(base))
        if found is None:
            lock = {} if base is None else {"locked": False} if base is self.open else {"locked": True}
            shade = {"bg_color": "#eeeeee"} if base is self.fixed else {}
            found = self.book.add_format({**lock, **shade, "num_format": DECIMAL_FORMAT})
            self._decimal[id(base)] = found
        return found

    def quoted(self, base: Any) -> Any:
        found = self._quoted.get(id(base))
        if found is None:
            if base is None:
                found = self.book.add_format({"quote_prefix": True})
            elif base is self.open:
                found = self.book.add_format({"locked": False, "quote_prefix": True})
            else:
                found = self.book.add_format({"locked": True, "bg_color": "#eeeeee", "quote_prefix": True})
            self._quoted[id(base)] = found
        return found


def xlsx_text(text: str) -> tuple[str, bool]:
    """What an XLSX string cell holds for `text`, and whether it needs the quote-prefix style.

    A string cell is never run as a formula, so the text is written as it is (no added apostrophe people
    would see); the quote-prefix style keeps it text when someone edits the cell. Only text that already
    starts with apostrophes before a formula character gets one more, as `unneutralise` on import removes
    one from such text (older exports carried that apostrophe), and text starting with a tab or CR (the
    importer strips leading whitespace: the apostrophe keeps it, and nobody sees either)."""
    bare = text.lstrip("'")
    risky = bare.startswith(FORMULA_STARTS)
    if risky and (text.startswith("'") or bare.startswith(("\t", "\r"))):
        return "'" + text, True
    return text, risky


def _write_rows(sheet: Any, spec: SheetSpec, formats: list[Any], styles: _Styles) -> None:
    """The data rows from row 1: numbers straight to `write_number` (the cells of a national matrix are
    mostly levels and indices), everything else through `_write_cell`."""
    write_number = sheet.write_number
    decimals: dict[int, Any] = {}  # column -> its two-decimal format, made on the first fractional value
    for r, row in enumerate(spec.rows, start=1):
        for c, value in enumerate(spec.cells(row)):
            kind = type(value)
            if kind is int:
                write_number(r, c, value, formats[c])
            elif kind is float:  # NaN and infinities are refused by write_number, as by _write_cell
                if value.is_integer():
                    write_number(r, c, value, formats[c])
                else:
                    found = decimals.get(c)
                    if found is None:
                        found = decimals[c] = styles.decimal(formats[c])
                    write_number(r, c, value, found)
            elif value is not None:
                _write_cell(sheet, r, c, value, formats[c], styles)


def _write_cell(
    sheet: Any, row: int, column: int, value: Any, cell_format: Any = None, styles: _Styles | None = None
) -> None:
    if value is None:  # an empty cell takes its column's format (locked or not) in Excel
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value, cell_format)
    elif isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer() and styles is not None:
            cell_format = styles.decimal(cell_format)  # a fractional value: two decimals, localised by Excel
        sheet.write_number(row, column, value, cell_format)
    else:
        text, quoted = xlsx_text(str(value))
        if quoted and styles is not None:
            cell_format = styles.quoted(cell_format)
        elif quoted:  # no workbook styles at hand: the apostrophe keeps the text safe
            text = neutralise(str(value))
        sheet.write_string(row, column, text, cell_format)


def write_csv(spec: SheetSpec, *, lang: str = "id") -> bytes:
    """UTF-8 with BOM (Excel opens it right), neutralised text (an apostrophe before a leading `= + - @`,
    tab or CR: a CSV has no cell styles), numbers written plainly; the origin column, when the sheet has
    one, is the visible last column."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow([c.header(lang) for c in spec.all_columns])
    for row in spec.rows:
        out.writerow(["" if value is None else _csv_value(value) for value in spec.cells(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return neutralise(value) if isinstance(value, str) else value
