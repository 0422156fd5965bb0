"""Applying an assessment-sheet import: checked again inside the caller's transaction, then written in
bulk with one audit change set, all of it or none of it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from evaluation.models import Assessment, AuditEntry, IndicatorScore, ReviewNote, utcnow
from evaluation.services import audit
from evaluation.services.actors import Actor
from evaluation.services.assessment_state import StaleAssessment
from evaluation.services.bulk.assessment_plan import (
    FIELD,
    ImportPlan,
    PlannedRow,
    Progress,
    plan_assessment_import,
)
from evaluation.services.bulk.plan import ImportRefused
from evaluation.services.self_assessment import open_assessment

__all__ = ["ImportPlan", "ImportRefused", "PlannedRow", "apply_assessment_import", "plan_assessment_import"]


def apply_assessment_import(
    session: Session, *, actor: Actor, data: bytes, filename: str, progress: Progress | None = None
) -> ImportPlan:
    """Check again inside this transaction, then write everything or raise ImportRefused (nothing written)."""
    report = progress or (lambda _f, _m: None)
    plan = plan_assessment_import(
        session, actor=actor, data=data, filename=filename, progress=lambda f, m: report(f * 0.5, m)
    )
    if not plan.ok:
        raise ImportRefused(plan)
    changed = [r for r in plan.rows if r.action != "unchanged"]
    change_set = audit.new_change_set()
    now = utcnow()
    report(0.55, "menerapkan / applying")
    assessment_ids = _claim_all(session, actor, changed, now, change_set)
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
                    **{k: planned.new.get(k) for k in FIELD},
                }
            )
        else:
            updates.setdefault(tuple(sorted(diff)), []).append({"sid": planned.score_id, **diff})
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
        if plan.mode == "reviewer" and diff.get("reviewer_note"):
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
    stages = dict(
        session.connection()
        .execute(
            sa_select(col(Assessment.id), col(Assessment.stage)).where(
                col(Assessment.id).in_(set(assessment_ids.values()))
            )
        )
        .fetchall()
    )
    for note in notes:
        note["stage"] = stages.get(note["assessment_id"]) or "document"
    report(0.8, "menyimpan / saving")
    connection = session.connection()
    for fields, rows in updates.items():
        statement = (
            table.update()
            .where(table.c.id == bindparam("sid"))
            .values({**{name: bindparam(name) for name in fields}, "updated_at": now})
        )
        connection.execute(statement, rows)
    if inserts:
        connection.execute(table.insert(), inserts)
    if audits:
        connection.execute(AuditEntry.__table__.insert(), audit.chain_rows(session, audits))  # type: ignore[attr-defined]
    if notes:
        connection.execute(ReviewNote.__table__.insert(), notes)  # type: ignore[attr-defined]
    report(1.0, "selesai / done")
    return plan


def _claim_all(
    session: Session, actor: Actor, changed: list[PlannedRow], now: Any, change_set: str
) -> dict[tuple[int, int], int]:
    """Every assessment the import writes: created for an agency's first import, else its version bumped
    only if it is still the version the plan read (one statement for all)."""
    ids: dict[tuple[int, int], int] = {}
    claims: list[dict[str, Any]] = []
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
            claims.append(
                {"aid": planned.assessment_id, "seen": planned.version, "next": (planned.version or 0) + 1}
            )
    if claims:
        table = Assessment.__table__  # type: ignore[attr-defined]
        result = session.connection().execute(
            table.update()
            .where(table.c.id == bindparam("aid"), table.c.version == bindparam("seen"))
            .values(version=bindparam("next"), updated_at=now),
            claims,
        )
        if result.rowcount != len(claims):
            raise StaleAssessment(
                "Sebagian penilaian diubah orang lain selama impor; tidak ada yang berubah. Ulangi. / "
                "Some assessments changed during the import; nothing changed. Try again."
            )
    return ids
