"""What the agencies and targets sheets share: rows matched to stored records by a natural key, a plan of
inserts and updates with every problem located, and an application in one audited change set."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, SQLModel

from evaluation.excel_io.cells import Problem
from evaluation.services import audit
from evaluation.services.actors import Actor
from evaluation.services.bulk.plan import ImportRefused, PlanSummary


@dataclass
class PlannedRecord:
    row: int
    key: tuple[Any, ...]
    existing: SQLModel | None
    values: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    references: dict[str, Any] = field(default_factory=dict)  # links resolved once every row is stored
    extra: dict[str, Any] = field(default_factory=dict)  # carried to the apply step, not compared

    action: str = ""  # insert, update or unchanged: decided when planned, so it outlives the session

    def __post_init__(self) -> None:
        if self.existing is None:
            self.action = "insert"
            return
        changed = any(getattr(self.existing, name) != value for name, value in self.values.items())
        self.action = "update" if changed or self.references else "unchanged"


@dataclass
class KeyedPlan(PlanSummary):
    entity: str
    rows: list[PlannedRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def apply_keyed(
    session: Session, *, actor: Actor, plan: KeyedPlan, make: Callable[[dict[str, Any]], SQLModel]
) -> KeyedPlan:
    """Insert or update every planned record (the caller's transaction), audited as one change set."""
    if not plan.ok:
        raise ImportRefused(plan)
    change_set = audit.new_change_set()
    for planned in plan.rows:
        action = planned.action
        if action == "unchanged":
            continue
        record = planned.existing if planned.existing is not None else make(planned.values)
        old = (
            {name: getattr(record, name) for name in planned.values} if planned.existing is not None else None
        )
        for name, value in planned.values.items():
            setattr(record, name, value)
        session.add(record)
        session.flush()
        audit.record(
            session,
            actor=actor,
            change_set=change_set,
            action=f"import_{action}",
            entity=plan.entity,
            entity_id=getattr(record, "id", None),
            old=old,
            new=planned.values,
        )
    return plan
