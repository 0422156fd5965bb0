"""The append-only audit log: services call `record` in the same transaction as the change. Entries are
hash-chained (`audit_chain`): each carries the hash of the one before it."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlmodel import Session, col, select

from evaluation.models import AuditEntry, utcnow
from evaluation.services.actors import Actor
from evaluation.services.audit_chain import chain_rows, link
from evaluation.translatable import NotFound

__all__ = ["as_text", "chain_rows", "history", "new_change_set", "record", "record_rows"]
_INSERT = AuditEntry.__table__.insert()  # type: ignore[attr-defined]  # values given at execution


def new_change_set() -> str:
    return str(uuid.uuid4())


def as_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if type(value) in (int, float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def record(
    session: Session,
    entity: str,
    entity_id: object,
    *,
    actor: Actor,
    action: str,
    change_set: str | None = None,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
) -> None:
    """Append one entry to the log (inserted at once, so that its id follows the chain's order). Entries of
    one change share a `change_set`; without one the entry is a change set of its own. The entry is about
    `entity` `entity_id` (e.g. "assessment", 12), passed by position or by name."""
    fields = link(
        session,
        {
            "at": utcnow(),
            "user_id": actor.user_id,
            "actor": actor.username,
            "change_set": change_set or new_change_set(),
            "action": action,
            "entity": entity,
            "entity_id": str(entity_id),
            "field": field,
            "old_value": as_text(old),
            "new_value": as_text(new),
        },
    )
    session.connection().execute(_INSERT, fields)


def record_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """Append several entries (dicts of audit_chain.FIELDS, `at` an aware datetime) in this order with one
    statement: chained and checked like `record` (PeriodClosed for a closed period's assessment)."""
    if rows:
        session.connection().execute(_INSERT, chain_rows(session, rows))


def history(session: Session, *, entity: str, entity_id: object) -> list[AuditEntry]:
    query = (
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
        .order_by(col(AuditEntry.id))
    )
    return list(session.exec(query))


def assessment_history(session: Session, *, actor: Actor, assessment_id: int) -> list[AuditEntry]:
    """Every recorded change of one assessment, oldest first; its agency or the ministry may read it."""
    from evaluation.models import Assessment
    from evaluation.services.actors import require_agency_access

    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound("ea.assessment_not_found", assessment_id=str(assessment_id))
    require_agency_access(actor, assessment.agency_id)
    return history(session, entity="assessment", entity_id=assessment_id)
