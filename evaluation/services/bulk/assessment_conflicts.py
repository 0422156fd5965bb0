"""The conflicts of an assessment import: for rows without an origin token, file values the database has
moved away from (found in the audit log) become conflicts instead of silent overwrites; then every
conflict is listed with both values and who changed the database's value and when."""

from __future__ import annotations

from sqlmodel import Session

from evaluation.excel_io.provenance import canonical
from evaluation.services.bulk.assessment_context import earlier_values, last_changes
from evaluation.services.bulk.assessment_rows import Conflict, ImportPlan


def stale_two_way(session: Session, plan: ImportPlan) -> None:
    """Rows without an origin are compared two ways: the file's value wins where it differs. Except
    where the file holds a value the cell had earlier (the audit log's old values): someone changed it
    in the app since, so the file's value is probably stale - a conflict the user decides, never silent."""
    cells = {
        (r.assessment_id, r.code, name): r
        for r in plan.rows
        if not r.traced and r.assessment_id is not None and r.new != r.old  # as stored: no cell to look at
        for name, value in r.new.items()
        if r.old.get(name) != value
    }
    if not cells:
        return
    earlier = earlier_values(session, set(cells))
    for cell, row in cells.items():
        name = cell[2]
        value = row.new[name]
        if canonical(value) in earlier.get(cell, ()):
            row.conflicts[name] = value
            row.new[name] = row.old.get(name)


def name_conflicts(session: Session, plan: ImportPlan) -> None:
    """List every conflict with both values, and who changed the database's value and when."""
    rows = [r for r in plan.rows if r.conflicts]
    cells = {(r.assessment_id, r.code, name) for r in rows if r.assessment_id for name in r.conflicts}
    who = last_changes(session, cells)
    for r in rows:
        for name, value in r.conflicts.items():
            by, at = who.get((r.assessment_id or 0, r.code, name), (None, None))
            plan.conflicts.append(
                Conflict(
                    r.row,
                    r.letters.get(name, ""),
                    name,
                    r.agency_code,
                    r.year,
                    r.code,
                    value,
                    r.old.get(name),
                    by,
                    at,
                )
            )
