"""The shapes of an assessment import's plan: each file row as planned, each conflict (changed in the file
and in the database since the file was made), each changed cell for the preview, and the plan itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from evaluation.excel_io.cells import Problem
from evaluation.excel_io.table import Row
from evaluation.services.bulk.assessment_sheet import AGENCY_COLUMNS, REVIEWER_COLUMNS, SHEET
from evaluation.services.bulk.plan import PlanSummary


@dataclass
class Conflict:
    """A cell changed in the file and, since the file was made, in the database too."""

    row: int
    column: str  # letter in the file
    key: str  # field: self_level, justification, final_level or reviewer_note
    agency_code: str
    year: int
    indicator: str
    file_value: Any
    db_value: Any
    changed_by: str | None = None
    changed_at: datetime | None = None

    @property
    def label(self) -> str:
        """What the row is, for people: "KOTA-001 · 2026 · I03"."""
        return f"{self.agency_code} · {self.year} · {self.indicator}"


@dataclass(slots=True)
class PlannedRow:
    """One file row. `old`: the editable fields as stored when planned; `new`: what the apply step writes
    (the database's value where the file did not change a cell or a conflict is unresolved);
    `conflicts`: field -> the file's value, for cells changed on both sides."""

    row: int
    agency_id: int
    period_id: int
    assessment_id: int | None
    code: str
    old: dict[str, Any]
    new: dict[str, Any]
    score_id: int | None = None
    version: int | None = None  # of the score, as read by the plan (None: no score row yet)
    agency_code: str = ""
    year: int = 0
    letters: dict[str, str] = field(default_factory=dict)
    conflicts: dict[str, Any] = field(default_factory=dict)
    kept: tuple[str, ...] = ()  # fields where the database's newer value stays (the file did not change it)
    status: str | None = None  # of the assessment, as read by the plan (None: none yet)
    traced: bool = False  # the row carries an origin token: decided three ways

    @property
    def action(self) -> str:
        if self.new == self.old:  # most rows of most files: one comparison in C
            return "unchanged"
        changed = {k: v for k, v in self.new.items() if self.old.get(k) != v}
        if not changed:
            return "unchanged"
        return "insert" if all(self.old.get(k) is None for k in changed) else "update"

    @property
    def touched(self) -> bool:
        """Whether the apply step writes this row or must ask about it."""
        return bool(self.conflicts) or self.new != self.old


@dataclass
class CellChange:
    row: int
    column: str
    key: str
    agency_code: str
    year: int
    indicator: str
    old: Any
    new: Any

    @property
    def label(self) -> str:
        """What the row is, for people: "KOTA-001 · 2026 · I03"."""
        return f"{self.agency_code} · {self.year} · {self.indicator}"


@dataclass
class ImportPlan(PlanSummary):
    mode: str  # "agency" or "reviewer"
    rows: list[PlannedRow] = field(default_factory=list)  # rows that differ from the database in the file
    problems: list[Problem] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    has_origin: bool = False  # the file carries the origin column: conflicts can be detected
    rows_without_origin: int = 0  # rows with a blank origin cell (added by hand): compared two ways
    skipped: int = 0  # rows the user may not change and did not change
    unchanged: int = 0  # rows the user may change, as stored: counted, not in `rows` (most of a file)
    kept: int = 0  # cells the file did not change where the database has moved since: left alone
    sheet: str = SHEET

    @property
    def counts(self) -> dict[str, int]:
        """Rows by what the apply step does with them: insert, update, unchanged."""
        counts = super().counts
        counts["unchanged"] += self.unchanged
        return counts

    def changes(self) -> list[CellChange]:
        """Every cell the apply step writes (old -> new), in file order."""
        return [
            CellChange(r.row, r.letters.get(k, ""), k, r.agency_code, r.year, r.code, r.old.get(k), v)
            for r in self.rows
            for k, v in r.new.items()
            if r.old.get(k) != v
        ]


def planned_row(
    row: Row,
    where: tuple[Any, ...],
    code: str,
    old: dict[str, Any],
    mode: str,
    writes: dict[str, Any],
    conflicts: dict[str, Any],
    kept: tuple[str, ...],
    traced: bool,
) -> PlannedRow:
    """The planned row of a file row whose checks passed: `where` is the planner's (agency id, period,
    framework, (assessment id, status) or None, writable), `old` the stored score's fields; the editable
    ones of `mode` stay as stored unless in `writes`; `traced`: the row carried an origin token."""
    agency_id, period, _framework, found, _writable = where
    editable = AGENCY_COLUMNS if mode == "agency" else REVIEWER_COLUMNS
    stored = {k: old.get(k) for k in editable}
    new = {**stored, **writes} if writes else stored.copy()
    v = row.values
    return PlannedRow(
        row.number,
        agency_id,
        period.id,
        found[0] if found else None,
        code,
        stored,
        new,
        old.get("id"),
        old.get("version"),
        v["agency_code"],
        v["year"],
        row.letters,
        conflicts or {},
        kept,
        found[1] if found else None,
        traced,
    )
