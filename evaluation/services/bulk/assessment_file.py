"""Reading the assessment sheet of an upload: which sheet, whether it carries the origin column, and its
typed rows. Pure in the file's bytes, so the last two files read are kept (the apply step after a preview
does not read the file again)."""

from __future__ import annotations

from functools import lru_cache

from evaluation.excel_io import provenance
from evaluation.excel_io.cells import Problem
from evaluation.excel_io.reader import Sheet, read_upload
from evaluation.excel_io.table import Row, parse_table
from evaluation.services.bulk.assessment_sheet import COLUMNS, INFO_COLUMNS, SHEET

# what the plan reads: the reference columns (names, evidence) are never imported, so never parsed
READ_COLUMNS = (*(c for c in COLUMNS if c.key not in INFO_COLUMNS), provenance.ORIGIN_COLUMN)


def _sheet(sheets: list[Sheet]) -> Sheet:
    for sheet in sheets:
        if sheet.name == SHEET:
            return sheet
    for sheet in sheets:
        header = {str(c).strip().lower() for c in (sheet.rows[0] if sheet.rows else []) if c is not None}
        if header & {"kode indikator", "indicator code", "indicator"}:
            return sheet
    return sheets[0]


def _has_origin(sheet: Sheet) -> bool:
    header = sheet.rows[0] if sheet.rows else []
    names = {str(c).strip().lower() for c in header if c is not None}
    return bool(names & {provenance.ORIGIN_KEY, *provenance.ORIGIN_HEADERS})


@lru_cache(maxsize=2)
def read_sheet(data: bytes, filename: str) -> tuple[str, bool, tuple[Row, ...], tuple[Problem, ...]]:
    """The file's assessment sheet as typed rows (sheet name, has an origin column, rows, cell problems).

    Pure in the bytes, so kept for the last two files: the apply step after a preview (the page and the
    command line both preview first) re-plans against the database without reading the file again. The
    rows are shared: planning reads them and never changes them."""
    sheet = _sheet(read_upload(data, filename))
    rows, problems = parse_table(sheet, READ_COLUMNS)
    return sheet.name, _has_origin(sheet), tuple(rows), tuple(problems)


def clear_read_cache() -> None:
    """Forget the files read (benchmarks time a first read; tests of the reader itself)."""
    read_sheet.cache_clear()
