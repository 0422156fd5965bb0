"""A sheet as a table: columns found by header (any order, either language, any case), typed cells,
and a Problem for every cell that cannot be taken as it is."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Literal

from evaluation.excel_io.cells import (
    Problem,
    Wording,
    as_date,
    as_level,
    as_number,
    as_text,
    is_blank,
    text_fault_message,
)
from evaluation.excel_io.lengths import column_length
from evaluation.excel_io.reader import Sheet, column_letters
from evaluation.i18n import LANGUAGES, t
from evaluation.translatable import Message

Kind = Literal["text", "code", "int", "number", "level", "date"]


@dataclass(frozen=True)
class Column:
    """One column of a sheet. `title` is the catalogue key of its header (domain `sheets`, `sh.*`), or,
    when `verbatim`, the header itself (an indicator or group code from a framework file, the same in
    every language); `note` is the key of the template's comment on the header ("" = none)."""

    key: str
    title: str
    kind: Kind = "text"
    required: bool = False
    width: int = 16
    choices: tuple[str, ...] = ()  # dropdown values in templates
    note: str = ""
    max_length: int | None = None  # text/code: None = the database column's length (lengths.py)
    verbatim: bool = False

    def header(self, lang: str = "id") -> str:
        """The header written in `lang`."""
        return self.title if self.verbatim else t(self.title, lang)

    def label(self) -> Message:
        """The header as a parameter of a problem, shown in the reader's language."""
        return Wording(self.title, self.title) if self.verbatim else Message(self.title)

    def headers(self) -> tuple[str, ...]:
        """Every header an imported file may give this column: its key, or its header in any language."""
        return (self.key, *(self.header(lang) for lang in LANGUAGES))

    def note_text(self, lang: str = "id") -> str:
        """The template's comment on the header in `lang`, "" when there is none."""
        return t(self.note, lang) if self.note else ""

    def length(self) -> int:
        """The most characters a text or code cell of this column may hold."""
        return self.max_length if self.max_length is not None else column_length(self.key)


@dataclass(slots=True)
class Row:
    number: int  # spreadsheet row
    values: dict[str, Any]
    letters: dict[str, str]  # column key -> its letter in this sheet


def _locate(header: list[Any], columns: Sequence[Column]) -> tuple[dict[str, int], list[str]]:
    names: dict[str, int] = {}
    for index, cell in enumerate(header):
        names.setdefault(as_text(cell).strip().lower(), index)
    found: dict[str, int] = {}
    missing: list[str] = []
    for column in columns:
        for alias in column.headers():
            if alias.lower() in names:
                found[column.key] = names[alias.lower()]
                break
        else:
            if column.required:
                missing.append(column.header("id"))
    return found, missing


def parse_table(
    sheet: Sheet, columns: Sequence[Column], *, header_row: int = 1
) -> tuple[list[Row], list[Problem]]:
    problems: list[Problem] = []
    if len(sheet.rows) < header_row:
        return [], [Problem(sheet.name, header_row, "", Message("pr.sheet_empty"))]
    found, missing = _locate(sheet.rows[header_row - 1], columns)
    if missing:
        return [], [Problem(sheet.name, header_row, "", Message("pr.columns_missing", columns=missing))]
    by_key = {c.key: c for c in columns}
    merged_rows = {
        r: column_letters(c1)
        for (r1, c1, r2, _c2) in sheet.merged
        for r in range(max(r1, header_row + 1), r2 + 1)
    }
    letters = {key: column_letters(index + 1) for key, index in found.items()}
    limits = {key: by_key[key].length() for key in found}
    plan = [
        (key, index, by_key[key], letters[key], by_key[key].kind, limits[key], by_key[key].required)
        for key, index in found.items()
    ]
    indexes = [index for _key, index, *_rest in plan]
    reach = max(indexes, default=-1)  # a row at least this long holds every column read
    pick = itemgetter(*indexes) if len(indexes) > 1 else (lambda raw: tuple(raw[i] for i in indexes))
    header_cells = sheet.rows[header_row - 1]
    width = max((i + 1 for i, cell in enumerate(header_cells) if not is_blank(cell)), default=0)
    formula_rows = {r for r, _c in sheet.formulas}
    rows: list[Row] = []
    # a formula or merged cell on the last rows may hold no value, so the reader may not list those rows
    last = max([len(sheet.rows), *formula_rows, *merged_rows])
    padded = sheet.rows + [[] for _ in range(last - len(sheet.rows))]
    for offset, raw in enumerate(padded[header_row:], start=header_row + 1):
        length = len(raw)
        if length > width:
            extra = next((i for i in range(width, length) if not is_blank(raw[i])), None)
            if extra is not None:  # never dropped silently: the row is refused, every cell named
                problems.append(_longer_than_header(sheet, offset, extra, width))
                continue
        cells = pick(raw) if length > reach else [raw[index] if index < length else None for index in indexes]
        for cell in cells:  # blank unless a cell holds something (mostly the first: a loop, no generator)
            if cell is not None and cell != "" and (type(cell) is not str or cell.strip()):
                break
        else:  # a formula without a cached value reads as blank: report it, nothing else on the row
            for _key, index, _column, letter, *_rest in plan:
                if (offset, index + 1) in sheet.formulas:
                    problems.append(_formula(sheet.name, offset, letter))
            if offset in merged_rows:
                problems.append(_merged(sheet.name, offset, merged_rows[offset]))
            continue
        values: dict[str, Any] = {}
        bad = False
        check_formulas = offset in formula_rows
        for (key, index, column, letter, kind, limit, required), cell in zip(plan, cells, strict=True):
            if check_formulas and (offset, index + 1) in sheet.formulas:
                problems.append(_formula(sheet.name, offset, letter))
                bad = True
                continue
            if (cell is None or cell == "") and not required:  # empty: much of a template
                values[key] = None
                continue
            # the common, unambiguous cells converted inline; the rest through the general path
            cell_type = type(cell)
            if cell_type is float or cell_type is int:
                if kind == "number" or kind == "level":
                    values[key] = float(cell)
                    continue
                if kind == "int" and float(cell).is_integer():
                    values[key] = int(cell)
                    continue
            elif (
                cell_type is str
                and (kind == "text" or kind == "code")
                and cell
                and cell[0] != "'"
                and len(cell) <= limit
                and cell.isprintable()  # no control character, no line break (those take the general path)
                and cell == cell.strip()
            ):
                values[key] = cell.upper() if kind == "code" else cell
                continue
            converted, problem = _convert(column, cell, sheet.name, offset, letter, limit)
            if problem:
                problems.append(problem)
                bad = True
            values[key] = converted
        if offset in merged_rows:
            problems.append(_merged(sheet.name, offset, merged_rows[offset]))
            bad = True
        if not bad:
            rows.append(Row(offset, values, letters))
    return rows, problems


def _formula(sheet: str, row: int, letter: str) -> Problem:
    return Problem(
        sheet,
        row,
        letter,
        Message("pr.formula"),
    )


def _longer_than_header(sheet: Sheet, row: int, extra: int, width: int) -> Problem:
    found = column_letters(extra + 1)
    if sheet.source == "csv":
        return Problem(
            sheet.name,
            row,
            found,
            Message("pr.csv_longer_than_header", cell=extra + 1, width=width),
        )
    return Problem(
        sheet.name,
        row,
        found,
        Message("pr.longer_than_header", column=found),
    )


def _merged(sheet: str, row: int, letter: str) -> Problem:
    return Problem(
        sheet,
        row,
        letter,
        Message("pr.merged_in_data_row"),
    )


def _convert(
    column: Column, raw: Any, sheet: str, row: int, letter: str, limit: int
) -> tuple[Any, Problem | None]:
    def problem(key: str, **params: Any) -> tuple[Any, Problem]:
        return None, Problem(sheet, row, letter, Message(key, **params))

    header = column.label()
    if isinstance(raw, str) and (len(raw) > limit or not raw.isprintable()):
        fault = text_fault_message(raw.strip(), limit, multiline=column.kind == "text")
        if fault is not None:
            return problem("pr.column_fault", column=header, fault=fault)

    if is_blank(raw):
        if column.required:
            return problem("pr.required", column=header)
        return None, None
    if column.kind in ("text", "code"):
        text = as_text(raw)
        return (text.upper() if column.kind == "code" else text), None
    if column.kind == "date":
        try:
            return as_date(raw), None
        except ValueError:
            return problem("pr.not_a_date", value=str(raw))
    if column.kind == "level":
        try:
            return as_level(raw), None
        except ValueError:
            return problem("pr.not_a_level", value=str(raw))
    try:
        number = as_number(raw)
    except ValueError:
        return problem("pr.not_a_number", value=str(raw))
    if column.kind == "int" and number is not None:
        if not number.is_integer():
            return problem("pr.not_whole", value=str(raw))
        return int(number), None
    return number, None


Validator = Callable[[Row], list[Problem]]
