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
    audit.record(
        session, actor=actor, change_set=change_set, action=action, entity=entity, entity_id=row.id, new=new
    )
    return int(row.id or 0)


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
    audit.record(
        session,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=row.id,
        change_set=change_set,
        field=field,
        old=getattr(row, field),
        new=value,
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
        audit.record(
            session,
            actor=actor,
            change_set=change_set,
            action=action,
            entity=entity,
            entity_id=entity_id,
            field=prefix + name,
            old=getattr(row, name),
            new=value,
        )
        setattr(row, name, value)
    return changed
