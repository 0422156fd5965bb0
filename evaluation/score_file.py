"""Read a long-format score file (CSV or XLSX) for `python -m evaluation score`; no database.

Accepted shapes (header names are case-insensitive, columns in any order):
- `indicator,level`: indicator as its code (`I07`, `V05.2`) or bare number (`7`);
- `domain,index` or `aspect,index`: results published only at that level (`D1`.., `A1`..);
- an optional `agency` column gives one result per agency.
Problems are reported as (row, column, message) with spreadsheet row numbers (the header is row 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluation.excel_io.limits import max_upload_bytes, megabytes
from indicators.schema import Framework


@dataclass(frozen=True)
class FileProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column '{self.column}': {self.message}" if self.row else self.message


class ScoreFileError(ValueError):
    def __init__(self, source: str, problems: Sequence[FileProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(f"{source}: {p}" for p in self.problems))


@dataclass
class AgencyInput:
    agency: str | None
    kind: str  # "indicator", "domain" or "aspect"
    values: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def read_table(path: Path) -> list[list[Any]]:
    """Rows of the first sheet (XLSX) or of the CSV, as plain Python values."""
    from evaluation.excel_io.reader import UnreadableFile, read_upload

    limit = max_upload_bytes()
    if path.stat().st_size > limit:
        raise ScoreFileError(
            path.name, [FileProblem(0, "", f"file is larger than the limit of {megabytes(limit)}")]
        )
    try:
        return read_upload(path.read_bytes(), path.name)[0].rows
    except UnreadableFile as exc:
        # the command's reasons are in English and named by file once: the message's English half, unprefixed
        english = str(exc).split(". / ", 1)[-1].removeprefix(f"{path.name}: ")
        raise ScoreFileError(path.name, [FileProblem(0, "", english)]) from None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _letters(column: int) -> str:
    from evaluation.excel_io.reader import column_letters

    return column_letters(column)


def _longer_than_header(width: int, first_extra: int) -> str:
    return (
        f"the row has a value in column {first_extra + 1} but the header has {width} columns "
        f'(a decimal comma in a comma-separated file, such as 1,75? quote it: "1,75", '
        f"or use ';' as the separator); nothing on this row was read"
    )


def _indicator_code(framework: Framework, raw: str) -> str | None:
    text = raw.strip().upper()
    by_upper = {code.upper(): code for code in framework.indicator_by_code}
    if text in by_upper:
        return by_upper[text]
    digits = text[1:] if text[:1] == "I" else text
    if digits.isdigit() and int(digits) in framework.indicator_by_number:
        return framework.indicator_by_number[int(digits)].code
    return None


def parse_score_rows(
    rows: list[list[Any]], framework: Framework, source: str
) -> tuple[list[AgencyInput], list[FileProblem]]:
    """The agencies' inputs and the row problems found; a header that cannot be read raises at once."""
    if not rows or not any(_cell_text(c) for c in rows[0]):
        raise ScoreFileError(
            source, [FileProblem(1, "", "the first row must be a header (indicator,level ...)")]
        )
    header = [_cell_text(c).lower() for c in rows[0]]
    columns = {name: i for i, name in enumerate(header) if name}
    kinds = [k for k in ("indicator", "domain", "aspect") if k in columns]
    value_column = "level" if kinds == ["indicator"] else "index"
    if len(kinds) != 1 or value_column not in columns:
        message = "expected columns indicator,level or domain,index or aspect,index (and optionally agency)"
        raise ScoreFileError(source, [FileProblem(1, "", f"{message}; found: {', '.join(header)}")])
    kind = kinds[0]
    if kind != "indicator" and kind not in framework.hierarchy:
        raise ScoreFileError(source, [FileProblem(1, kind, f"framework {framework.id} has no {kind} level")])
    group_codes = (
        {g.code.upper(): g.code for g in framework.groups_of_kind(kind)} if kind != "indicator" else {}
    )
    problems: list[FileProblem] = []
    inputs: dict[str | None, AgencyInput] = {}
    width = max(columns.values()) + 1
    for number, row in enumerate(rows[1:], start=2):
        extra = [i for i in range(width, len(row)) if _cell_text(row[i])]
        if extra:
            problems.append(FileProblem(number, _letters(extra[0] + 1), _longer_than_header(width, extra[0])))
            continue
        cells = {name: _cell_text(row[i]) if i < len(row) else "" for name, i in columns.items()}
        if not any(cells.values()):
            continue
        agency = cells.get("agency") or None
        if "agency" in columns and agency is None:
            problems.append(FileProblem(number, "agency", "agency is empty"))
            continue
        raw_code, raw_value = cells[kind], cells[value_column]
        code = (
            _indicator_code(framework, raw_code) if kind == "indicator" else group_codes.get(raw_code.upper())
        )
        if code is None:
            problems.append(FileProblem(number, kind, f"unknown {kind} '{raw_code}' in {framework.id}"))
            continue
        entry = inputs.setdefault(agency, AgencyInput(agency=agency, kind=kind))
        if code in entry.values:
            problems.append(
                FileProblem(number, kind, f"{code} appears again (first on row {entry.rows[code]})")
            )
            continue
        try:
            value = float(raw_value.replace(",", ".")) if raw_value else None
        except ValueError:
            problems.append(FileProblem(number, value_column, f"'{raw_value}' is not a number"))
            continue
        if value is None:
            problems.append(FileProblem(number, value_column, f"{value_column} is empty"))
            continue
        entry.values[code] = int(value) if value.is_integer() else value
        entry.rows[code] = number
    if not inputs and not problems:
        raise ScoreFileError(source, [FileProblem(0, "", "the file has a header but no data rows")])
    return list(inputs.values()), problems
