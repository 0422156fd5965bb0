"""Read a long-format score file (CSV or XLSX) for `python -m evaluation score`; no database.

Accepted shapes (header names are case-insensitive, columns in any order):
- `indicator,level`: indicator as its code (`I07`, `V05.2`) or bare number (`7`);
- `domain,index` or `aspect,index`: results published only at that level (`D1`.., `A1`..);
- an optional `agency` column gives one result per agency.
Problems are reported as (row, column, message) with spreadsheet row numbers (the header is row 1); the
message is a `problems` catalogue entry, shown in the reader's language (`--lang`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluation.excel_io.limits import max_upload_bytes, size_message
from evaluation.i18n import t
from evaluation.scoring.values import kind_name
from evaluation.translatable import Message, Translatable
from indicators.schema import Framework


@dataclass(frozen=True)
class FileProblem:
    row: int
    column: str
    message: Message

    def text(self, lang: str = "id") -> str:
        """`row 3, column 'level': ...` (`baris 3, kolom 'level': ...`), or the reason alone for the file."""
        reason = self.message.render(lang)
        if not self.row:
            return reason
        return t("pr.sf_at", lang, row=self.row, column=self.column, reason=reason)

    def __str__(self) -> str:
        return self.text("en")


class ScoreFileError(Translatable, ValueError):
    """The file cannot be scored; `problems` say where and why, `message(lang)` lists them a line each."""

    def __init__(self, source: str, problems: Sequence[FileProblem]):
        self.source = source
        self.problems = list(problems)
        super().__init__("pr.sf_refused", lines="")

    def message(self, lang: str) -> str:
        return "\n".join(f"{self.source}: {p.text(lang)}" for p in self.problems)


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
            path.name, [FileProblem(0, "", Message("pr.sf_too_large", limit=size_message(limit)))]
        )
    try:
        return read_upload(path.read_bytes(), path.name)[0].rows
    except UnreadableFile as exc:
        # named by file once: the reason without the reader's own "<file>: " prefix
        raise ScoreFileError(path.name, [FileProblem(0, "", _Unprefixed(exc, f"{path.name}: "))]) from None


class _Unprefixed(Message):
    """An UnreadableFile's message in the reader's language without its leading "<file>: "."""

    def __init__(self, exc: Translatable, prefix: str) -> None:
        super().__init__(exc.key, prefix=prefix)
        object.__setattr__(self, "exc", exc)

    def render(self, lang: str) -> str:
        return self.exc.message(lang).removeprefix(str(self.params["prefix"]))  # type: ignore[attr-defined]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _letters(column: int) -> str:
    from evaluation.excel_io.reader import column_letters

    return column_letters(column)


def _longer_than_header(width: int, first_extra: int) -> Message:
    return Message("pr.sf_longer_than_header", column=first_extra + 1, width=width)


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
        raise ScoreFileError(source, [FileProblem(1, "", Message("pr.sf_header_first"))])
    header = [_cell_text(c).lower() for c in rows[0]]
    columns = {name: i for i, name in enumerate(header) if name}
    kinds = [k for k in ("indicator", "domain", "aspect") if k in columns]
    value_column = "level" if kinds == ["indicator"] else "index"
    if len(kinds) != 1 or value_column not in columns:
        raise ScoreFileError(source, [FileProblem(1, "", Message("pr.sf_expected_columns", found=header))])
    kind = kinds[0]
    if kind != "indicator" and kind not in framework.hierarchy:
        no_level = Message("pr.sf_no_level", framework=framework.id, kind=kind_name(kind))
        raise ScoreFileError(source, [FileProblem(1, kind, no_level)])
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
            problems.append(FileProblem(number, "agency", Message("pr.sf_agency_empty")))
            continue
        raw_code, raw_value = cells[kind], cells[value_column]
        code = (
            _indicator_code(framework, raw_code) if kind == "indicator" else group_codes.get(raw_code.upper())
        )
        if code is None:
            unknown = Message(
                "pr.sf_unknown_code", kind=kind_name(kind), code=raw_code, framework=framework.id
            )
            problems.append(FileProblem(number, kind, unknown))
            continue
        entry = inputs.setdefault(agency, AgencyInput(agency=agency, kind=kind))
        if code in entry.values:
            problems.append(
                FileProblem(number, kind, Message("pr.sf_again", code=code, row=entry.rows[code]))
            )
            continue
        try:
            value = float(raw_value.replace(",", ".")) if raw_value else None
        except ValueError:
            problems.append(FileProblem(number, value_column, Message("pr.sc_not_a_number", value=raw_value)))
            continue
        if value is None:
            problems.append(FileProblem(number, value_column, Message("pr.sf_empty", column=value_column)))
            continue
        entry.values[code] = int(value) if value.is_integer() else value
        entry.rows[code] = number
    if not inputs and not problems:
        raise ScoreFileError(source, [FileProblem(0, "", Message("pr.sf_no_rows"))])
    return list(inputs.values()), problems
