"""Applying an assessment-sheet import: the dry run's planning run again inside the caller's transaction,
the user's choice per conflicting row, then every write in bulk with one audit change set - all of it or
none of it. Each written score is claimed at the version the plan read (per-score optimistic locking), so
an import and form saves of other indicators do not collide."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from evaluation.db import executemany
from evaluation.excel_io.cells import Problem
from evaluation.models import Assessment, AuditEntry, IndicatorScore, ReviewNote, utcnow
from evaluation.services import audit
from evaluation.services.actors import Actor
from evaluation.services.bulk.assessment_plan import (
    FIELD,
    ImportPlan,
    PlannedRow,
    Progress,
    plan_assessment_import,
)
from evaluation.services.bulk.plan import ImportRefused, paused_gc, unsettled
from evaluation.services.self_assessment import open_assessment
from evaluation.translatable import Message

__all__ = ["ImportPlan", "ImportRefused", "PlannedRow", "apply_assessment_import", "plan_assessment_import"]
CHOICES = ("file", "database")
_CHUNK = 5000  # ids per IN (...) list: well under SQLite's variable limit


def apply_assessment_import(
    session: Session,
    *,
    actor: Actor,
    data: bytes,
    filename: str,
    progress: Progress | None = None,
    preview: ImportPlan | None = None,
    choices: Mapping[int, str] | None = None,
    default_choice: str | None = None,
) -> ImportPlan:
    """Plan again inside this transaction (the dry run's checks, exactly), then write everything or raise
    ImportRefused (nothing written) listing each problem by sheet, row, column and reason.

    `choices` ({spreadsheet row: "file" | "database"}, falling back to `default_choice`) settles the rows
    with conflicts; a conflict left unsettled refuses the import. With `preview` (the plan the user saw),
    every row the import writes or asks about whose stored values or status differ from the preview's is
    refused by name: the database changed in between. Scores written are claimed at the version the plan
    read; a score saved by someone else meanwhile refuses its row (the transaction must roll back)."""
    with paused_gc():
        return _apply(session, actor, data, filename, progress, preview, choices, default_choice)


def _apply(
    session: Session,
    actor: Actor,
    data: bytes,
    filename: str,
    progress: Progress | None,
    preview: ImportPlan | None,
    choices: Mapping[int, str] | None,
    default_choice: str | None,
) -> ImportPlan:
    report = progress or (lambda _f, _m: None)
    plan = plan_assessment_import(
        session, actor=actor, data=data, filename=filename, progress=lambda f, m: report(f * 0.5, m)
    )
    if preview is not None:
        _compare_with_preview(plan, preview)
    _settle_conflicts(plan, choices or {}, default_choice)
    if not plan.ok:
        raise ImportRefused(plan)
    changed = [r for r in plan.rows if r.new != r.old]  # action != "unchanged", without its dict per row
    change_set = audit.new_change_set()
    now = utcnow()
    report(0.55, Message("pr.step_applying"))
    assessment_ids = _assessments(session, actor, plan, changed, change_set)
    _claim_scores(session, plan, changed)
    table = IndicatorScore.__table__  # type: ignore[attr-defined]
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    inserts: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for planned in changed:
        assessment_id = assessment_ids[(planned.agency_id, planned.period_id)]
        diff = {k: v for k, v in planned.new.items() if planned.old.get(k) != v}
        if planned.score_id is None:
            inserts.append(
                {
                    "assessment_id": assessment_id,
                    "indicator_code": planned.code,
                    "not_applicable": False,
                    "updated_at": now,
                    "updated_by": actor.user_id,
                    "version": 1,
                    **dict.fromkeys(FIELD),
                    **planned.new,
                }
            )
        else:
            updates.setdefault(tuple(sorted(diff)), []).append(
                {"sid": planned.score_id, "next": (planned.version or 0) + 1, **diff}
            )
        for name, value in diff.items():
            audits.append(
                {
                    "at": now,
                    "user_id": actor.user_id,
                    "actor": actor.username,
                    "change_set": change_set,
                    "action": "import",
                    "entity": "assessment",
                    "entity_id": str(assessment_id),
                    "field": f"{planned.code}.{name}",
                    "old_value": audit.as_text(planned.old.get(name)),
                    "new_value": audit.as_text(value),
                }
            )
        if plan.mode != "agency" and diff.get("reviewer_note"):  # the reviewer's file
            notes.append(
                {
                    "assessment_id": assessment_id,
                    "indicator_code": planned.code,
                    "stage": "document",
                    "kind": "note",
                    "text": diff["reviewer_note"],
                    "author_id": actor.user_id,
                    "created_at": now,
                }
            )
    if notes:
        stages = _stages(session, {n["assessment_id"] for n in notes})
        for note in notes:
            note["stage"] = stages.get(note["assessment_id"]) or "document"
    report(0.8, Message("pr.step_saving"))
    connection = session.connection()
    for fields, rows in updates.items():
        statement = (
            table.update()
            .where(table.c.id == bindparam("sid"))
            .values(
                {
                    **{name: bindparam(name) for name in fields},
                    "version": bindparam("next"),
                    "updated_by": actor.user_id,
                    "updated_at": now,
                }
            )
        )
        executemany(connection, statement, rows)
    if inserts:
        _insert_scores(session, plan, changed, inserts)
    if audits:
        executemany(connection, AuditEntry.__table__.insert(), audit.chain_rows(session, audits))  # type: ignore[attr-defined]
    if notes:
        executemany(connection, ReviewNote.__table__.insert(), notes)  # type: ignore[attr-defined]
    report(1.0, Message("pr.step_done"))
    return plan


def _moved(plan: ImportPlan, row: PlannedRow) -> Problem:
    return Problem(
        plan.sheet,
        row.row,
        "",
        Message("pr.assessment_moved", agency=row.agency_code, year=str(row.year), code=row.code),
    )


def _compare_with_preview(plan: ImportPlan, preview: ImportPlan) -> None:
    """A problem for each row the import writes or asks about whose stored values or status are not what
    the preview showed (rows the preview did not list as changing count as moved too)."""
    seen = {r.row: (r.old, r.status) for r in preview.rows if r.touched}
    for row in plan.rows:
        if row.touched and seen.get(row.row) != (row.old, row.status):
            plan.problems.append(_moved(plan, row))


def _settle_conflicts(plan: ImportPlan, choices: Mapping[int, str], default: str | None) -> None:
    """Apply the user's choice to each conflicting row; a problem per conflict without one."""
    for row in plan.rows:
        if not row.conflicts:
            continue
        choice = choices.get(row.row, default)
        if choice == "file":
            row.new.update(row.conflicts)
        elif choice != "database":
            unsettled(plan.problems, plan.sheet, row.row, row.letters, row.conflicts)
            continue
        row.conflicts = {}


def _assessments(
    session: Session, actor: Actor, plan: ImportPlan, changed: list[PlannedRow], change_set: str
) -> dict[tuple[int, int], int]:
    """Every assessment the import writes: created for an agency's first import; existing ones re-read
    with a shared lock (PostgreSQL FOR SHARE: a status change waits for the import) and refused by row
    when their status is no longer the one the plan read."""
    ids: dict[tuple[int, int], int] = {}
    for planned in changed:
        key = (planned.agency_id, planned.period_id)
        if key in ids:
            continue
        if planned.assessment_id is None:
            ids[key] = open_assessment(
                session, actor=actor, agency_id=key[0], period_id=key[1], change_set=change_set
            )
        else:
            ids[key] = planned.assessment_id
    existing = sorted({r.assessment_id for r in changed if r.assessment_id is not None})
    status: dict[int, str] = {}
    for start in range(0, len(existing), _CHUNK):
        status.update(
            (int(i or 0), str(s))
            for i, s in session.connection().execute(
                sa_select(col(Assessment.id), col(Assessment.status))
                .where(col(Assessment.id).in_(existing[start : start + _CHUNK]))
                .order_by(col(Assessment.id))
                .with_for_update(read=True)
            )
        )
    moved = [r for r in changed if r.assessment_id is not None and status.get(r.assessment_id) != r.status]
    if moved:
        plan.problems.extend(_moved(plan, r) for r in moved)
        raise ImportRefused(plan)
    return ids


def _claim_scores(session: Session, plan: ImportPlan, changed: list[PlannedRow]) -> None:
    """Lock every score the import updates (FOR UPDATE, in id order) and refuse, by row, those saved by
    someone else since the plan read them. The writes then set version = read + 1."""
    claimed = sorted((r.score_id, r) for r in changed if r.score_id is not None)
    versions: dict[int, int] = {}
    ids = [score_id for score_id, _row in claimed]
    for start in range(0, len(ids), _CHUNK):
        versions.update(
            (int(i or 0), int(v))
            for i, v in session.connection().execute(
                sa_select(col(IndicatorScore.id), col(IndicatorScore.version))
                .where(col(IndicatorScore.id).in_(ids[start : start + _CHUNK]))
                .order_by(col(IndicatorScore.id))
                .with_for_update()
            )
        )
    moved = [row for score_id, row in claimed if versions.get(score_id) != row.version]
    if moved:
        plan.problems.extend(_moved(plan, r) for r in moved)
        raise ImportRefused(plan)


def _insert_scores(
    session: Session, plan: ImportPlan, changed: list[PlannedRow], inserts: list[dict[str, Any]]
) -> None:
    """First scores of indicators; a row created by someone else meanwhile refuses the import by row."""
    table = IndicatorScore.__table__  # type: ignore[attr-defined]
    try:
        with session.begin_nested():
            executemany(session.connection(), table.insert(), inserts)
    except IntegrityError:
        plan.problems.extend(_moved(plan, r) for r in changed if r.score_id is None)
        raise ImportRefused(plan) from None


def _stages(session: Session, assessment_ids: set[int]) -> dict[int, str]:
    query = sa_select(col(Assessment.id), col(Assessment.stage)).where(col(Assessment.id).in_(assessment_ids))
    return {int(i or 0): str(stage or "") for i, stage in session.connection().execute(query)}
