"""The three-way rule for the keyed sheets (targets, activities, agencies), with the origin column their
exports carry (evaluation.excel_io.provenance): a cell the file did not change never overwrites the
database; a cell changed in the file while the database kept the value it was exported with is taken;
a cell changed on both sides is a conflict, listed with both values and who changed the database and
when, and settled per row by the user ("file" or "database") or the import is refused. A file without the
origin column is compared two ways, and the plan says that conflicts cannot be detected."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from evaluation.excel_io import provenance
from evaluation.excel_io.cells import Problem
from evaluation.excel_io.reader import Sheet
from evaluation.excel_io.table import Row
from evaluation.models import AuditEntry
from evaluation.services.bulk.plan import unsettled
from evaluation.translatable import Message

if TYPE_CHECKING:
    from evaluation.services.bulk.keyed_import import KeyedPlan, PlannedRecord

CHOICES = ("file", "database")


@dataclass
class KeyedConflict:
    """A cell changed in the file and, since the file was made, in the database too."""

    row: int
    column: str  # letter in the file
    key: str  # the stored field
    label: str  # what the row is, for people: "KOTA-001 · Survei kepuasan"
    file_value: Any
    db_value: Any
    changed_by: str | None = None
    changed_at: datetime | None = None


def has_origin(sheet: Sheet) -> bool:
    """Whether the sheet's header has the origin column (an export of this tool, not a hand-made file)."""
    header = sheet.rows[0] if sheet.rows else []
    names = {str(c).strip().lower() for c in header if c is not None}
    return bool(names & {provenance.ORIGIN_KEY, *provenance.ORIGIN_HEADERS})


def origin_of(plan: KeyedPlan, row: Row, *identity: Any) -> tuple[provenance.Origin | None, bool]:
    """The row's origin and whether the row may be planned: a blank origin cell (a row added by hand) is
    (None, True); a damaged one, or one copied from another row, is a located problem and (None, False)."""
    token = row.values.get(provenance.ORIGIN_KEY)
    if provenance.is_blank_token(token):
        plan.rows_without_origin += int(plan.has_origin)
        return None, True
    origin = provenance.parse(token, identity=provenance.identity_of(*identity))
    if origin is None:
        letter = row.letters.get(provenance.ORIGIN_KEY, "")
        plan.problems.append(provenance.broken(plan.sheet, row.number, letter))
        return None, False
    return origin, True


def vanished(plan: KeyedPlan, row: Row, origin: provenance.Origin | None, exists: bool) -> bool:
    """Whether a row exported from a stored record no longer finds it under its key (renamed or removed in
    the app since the file was made): a located problem rather than a silent new record."""
    if origin is None or exists:
        return False
    plan.problems.append(
        Problem(
            plan.sheet,
            row.number,
            row.letters.get(provenance.ORIGIN_KEY, ""),
            Message("pr.origin_vanished"),
        )
    )
    return True


def weigh(
    planned: PlannedRecord,
    origin: provenance.Origin | None,
    file_form: Mapping[str, Any],
    db_form: Mapping[str, Any],
    fields: Mapping[str, str],
) -> None:
    """Apply the rule to a planned update: per origin key (`fields`: origin key -> stored field), the
    database's value stays where the file did not change the cell ("keep") or a conflict waits for the
    user; `file_form`/`db_form` hold each key's value in the form the export stamped. Inserts are left."""
    if planned.existing is None:
        return
    for key, name in fields.items():
        decision = provenance.three_way(origin, key, file_form.get(key), db_form.get(key))
        if decision == "keep":
            planned.kept.append(name)
            planned.values[name] = planned.stored.get(name)
        elif decision == "conflict":
            planned.conflicts[name] = planned.values.get(name)
            planned.values[name] = planned.stored.get(name)
    planned.refresh()


def name_conflicts(session: Session, plan: KeyedPlan) -> None:
    """List every conflict of the plan with both values, the row's label and the last change of its record
    in the audit log (who and when)."""
    ids = {str(getattr(p.existing, "id", "")) for p in plan.rows if p.conflicts}
    last: dict[str, tuple[str | None, datetime | None]] = {}
    if ids:
        query = (
            sa_select(col(AuditEntry.entity_id), col(AuditEntry.actor), col(AuditEntry.at))
            .where(col(AuditEntry.entity) == plan.entity, col(AuditEntry.entity_id).in_(ids))
            .order_by(col(AuditEntry.at), col(AuditEntry.id))
        )
        for entity_id, actor, stamped in session.connection().execute(query).fetchall():
            last[str(entity_id)] = (str(actor), stamped)  # oldest first: the last one wins
    for planned in plan.rows:
        by, at = last.get(str(getattr(planned.existing, "id", "")), (None, None))
        for name, value in planned.conflicts.items():
            plan.conflicts.append(
                KeyedConflict(
                    *plan.cell(planned, name),
                    plan.shown(name, value),
                    plan.shown(name, planned.stored.get(name)),
                    by,
                    at,
                )
            )


def settle(plan: KeyedPlan, choices: Mapping[int, str] | None, default: str | None) -> None:
    """Apply the user's choice to each row with conflicts ({spreadsheet row: "file" | "database"}, else
    `default`); each conflict without a choice becomes a located problem, so the import is refused."""
    for planned in plan.rows:
        if not planned.conflicts:
            continue
        choice = (choices or {}).get(planned.row, default)
        if choice not in CHOICES:
            unsettled(plan.problems, plan.sheet, planned.row, plan.letters, planned.conflicts)
            continue
        if choice == "file":
            planned.values.update(planned.conflicts)
        planned.conflicts = {}
        planned.refresh()
