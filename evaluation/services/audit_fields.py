"""Audited changes of rows, logged in the audit log (`audit.record`) in the caller's transaction: a row the
caller has just added, or fields set on a row. The caller has checked the permission and the values, and
the row is in the session (loaded from it, or added by the caller)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from evaluation.services import audit
from evaluation.services.actors import Actor


def record_created(
    session: Session,
    row: Any,
    *,
    actor: Actor,
    action: str,
    entity: str,
    new: Any,
    change_set: str | None = None,
) -> int:
    """Log the creation of `row` (a table row the caller has added; flushed here, so that it has its id)
    as one entry on `entity` `row.id` with `new` as the new value; returns the id."""
    session.flush()
    audit.record(session, entity, row.id, actor=actor, change_set=change_set, action=action, new=new)
    return int(row.id or 0)


def record_on_assessment(
    session: Session,
    assessment_id: object,
    field: str,
    *,
    actor: Actor,
    action: str,
    old: Any = None,
    new: Any = None,
    change_set: str | None = None,
) -> None:
    """Log one change of an assessment (entity "assessment" `assessment_id`): its `field` (e.g. "status",
    "<code>.evidence", "minute.<stage>.<name>") from `old` to `new`; the caller has made the change."""
    record_field(
        session,
        "assessment",
        assessment_id,
        field,
        old,
        new,
        actor=actor,
        action=action,
        change_set=change_set,
    )


def record_change(
    session: Session,
    row: Any,
    field: str,
    value: Any,
    *,
    actor: Actor,
    action: str,
    entity: str,
    change_set: str | None = None,
) -> None:
    """Set `row.<field>` to `value` (a table row with an `id`) and log it as one entry on `entity` `row.id`
    with the field's old and new values (logged even when they are equal)."""
    old = getattr(row, field)
    record_field(
        session, entity, row.id, field, old, value, actor=actor, action=action, change_set=change_set
    )
    setattr(row, field, value)


def record_changes(
    session: Session,
    row: Any,
    changes: Mapping[str, Any],
    *,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object,
    change_set: str,
    prefix: str = "",
) -> dict[str, Any]:
    """Set the fields of `changes` ({field: value}) whose value really changes on `row`, each logged as one
    entry on `entity` `entity_id` (field `prefix` + name) under `change_set`; returns {field: value} of
    those."""
    changed = {name: value for name, value in changes.items() if getattr(row, name) != value}
    for name, value in changed.items():
        old, field = getattr(row, name), prefix + name
        record_field(
            session, entity, entity_id, field, old, value, actor=actor, action=action, change_set=change_set
        )
        setattr(row, name, value)
    return changed


def record_field(
    session: Session,
    entity: str,
    entity_id: object,
    field: str,
    old: Any,
    new: Any,
    *,
    actor: Actor,
    action: str,
    change_set: str | None = None,
) -> None:
    """Log one entry: `field` of `entity` `entity_id` went from `old` to `new` (the caller makes the
    change; `change_set` groups it with the other entries of one change, a new one by default)."""
    audit.record(
        session,
        entity,
        entity_id,
        actor=actor,
        action=action,
        change_set=change_set,
        field=field,
        old=old,
        new=new,
    )
