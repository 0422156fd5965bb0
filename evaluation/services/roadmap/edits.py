"""Editing and deleting roadmap targets and activities in the app (issue 13), each change audited; an
activity's status, progress and actual dates updated on their own."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from evaluation.models import ACTIVITY_STATUSES, Activity, ActivityIndicator, RoadmapTarget
from evaluation.services import audit
from evaluation.services.actors import Actor
from evaluation.services.roadmap.targets import ENTITY, require_target_owner
from evaluation.services.text_rules import LENGTHS, check_text
from evaluation.translatable import InvalidInput, Message

TARGET_FIELDS = ("baseline_year", "baseline_value", "target_year", "target_value", "note")


Owned = TypeVar("Owned", RoadmapTarget, Activity)


def duplicate_target(session: Session, values: dict[str, Any], ignore_id: int | None = None) -> int | None:
    """The id of a live target saying the same thing (agency, framework, horizon, kind, code, category,
    predicate, years and values), or None."""
    query = select(RoadmapTarget.id).where(col(RoadmapTarget.superseded_by).is_(None))
    for name in (
        "agency_id",
        "framework_id",
        "horizon",
        "target_kind",
        "target_code",
        "category",
        "predicate",
        "baseline_year",
        "baseline_value",
        "target_year",
        "target_value",
    ):
        column = getattr(RoadmapTarget, name)
        value = values.get(name)
        query = query.where(col(column).is_(None) if value is None else column == value)
    for found in session.exec(query):
        if found != ignore_id:
            return found
    return None


def _owned(session: Session, actor: Actor, model: type[Owned], record_id: int, missing: str) -> Owned:
    """The target or activity `record_id`, once `actor` may change its agency's roadmap. Raises InvalidInput
    (`missing`) when there is none, PermissionDenied for another agency's."""
    record = session.get(model, record_id)
    if record is None:
        raise InvalidInput(missing)
    require_target_owner(actor, record.agency_id)
    return record


def _target(session: Session, actor: Actor, target_id: int) -> RoadmapTarget:
    return _owned(session, actor, RoadmapTarget, target_id, "ea.target_not_found")


def update_target(session: Session, *, actor: Actor, target_id: int, **changes: Any) -> None:
    """Change a target's baseline, target year and value or note (TARGET_FIELDS) in place. ValueError for
    an unknown field, a value off the scale, years out of order, or a change making it a duplicate;
    PermissionDenied for another agency's target (or a national one, outside the ministry)."""
    target = _target(session, actor, target_id)
    unknown = set(changes) - set(TARGET_FIELDS)
    if unknown:
        raise InvalidInput("ea.target_unknown_fields", fields=sorted(unknown))
    if "note" in changes:
        changes["note"] = (changes["note"] or "").strip() or None
        check_text(changes["note"], Message("ea.label_note"), max_length=LENGTHS["free_text"], multiline=True)
    new = {**target.model_dump(), **changes}
    low, high = (0.0, 1.0) if target.target_kind == "share" else (1.0, 5.0)
    for name in ("baseline_value", "target_value"):
        if new[name] is not None and not low <= float(new[name]) <= high:
            raise InvalidInput("ea.value_outside", low=low, high=high)
    if new["target_year"] < new["baseline_year"]:
        raise InvalidInput("ea.target_year_before_baseline")
    if duplicate_target(session, new, ignore_id=target_id) is not None:
        raise InvalidInput("ea.target_duplicate")
    _set_audited(session, actor, target, changes, action="update_target", entity=ENTITY)


def delete_target(session: Session, *, actor: Actor, target_id: int) -> None:
    """Delete a target; a target it had restated becomes live again. Audited with its values."""
    target = _target(session, actor, target_id)
    for earlier in session.exec(select(RoadmapTarget).where(RoadmapTarget.superseded_by == target_id)):
        earlier.superseded_by = None
        session.add(earlier)
    session.flush()
    old = target.model_dump(exclude={"created_at"})
    audit.record(session, actor=actor, action="delete_target", entity=ENTITY, entity_id=target_id, old=old)
    session.delete(target)
    session.flush()


def _set_audited(
    session: Session,
    actor: Actor,
    record: RoadmapTarget | Activity,
    values: dict[str, Any],
    *,
    action: str,
    entity: str,
) -> None:
    """Set `values` on `record` and audit the change (its values before and after) as one change set."""
    old = {name: getattr(record, name) for name in values}
    for name, value in values.items():
        setattr(record, name, value)
    session.add(record)
    audit.record(session, actor=actor, action=action, entity=entity, entity_id=record.id, old=old, new=values)


def _activity(session: Session, actor: Actor, activity_id: int) -> Activity:
    return _owned(session, actor, Activity, activity_id, "ea.activity_not_found")


def update_activity_progress(
    session: Session,
    *,
    actor: Actor,
    activity_id: int,
    status: str,
    progress: int,
    started_on: date | None = None,
    finished_on: date | None = None,
) -> None:
    """Record how an activity is going: status, progress 0-100 (percent) and the actual dates. ValueError
    for an unknown status, progress off 0-100, a finish before the start or in the future, or "done"
    without a finish date."""
    activity = _activity(session, actor, activity_id)
    if status not in ACTIVITY_STATUSES:
        raise InvalidInput("ea.activity_unknown_status", status=status)
    if not 0 <= int(progress) <= 100:
        raise InvalidInput("ea.activity_progress_range")
    if started_on and finished_on and finished_on < started_on:
        raise InvalidInput("ea.activity_finish_before_start")
    if finished_on and finished_on > date.today():
        raise InvalidInput("ea.activity_finish_future")
    if status == "done" and finished_on is None:
        raise InvalidInput("ea.activity_done_needs_finish")
    values = {
        "status": status,
        "progress": int(progress),
        "started_on": started_on,
        "finished_on": finished_on,
    }
    if any(getattr(activity, name) != value for name, value in values.items()):
        _set_audited(session, actor, activity, values, action="activity_progress", entity="activity")


def delete_activity(session: Session, *, actor: Actor, activity_id: int) -> None:
    """Delete an activity and its indicator links; audited with its values."""
    activity = _activity(session, actor, activity_id)
    links = list(session.exec(select(ActivityIndicator).where(ActivityIndicator.activity_id == activity_id)))
    audit.record(
        session,
        actor=actor,
        action="delete_activity",
        entity="activity",
        entity_id=activity_id,
        old={
            **activity.model_dump(exclude={"created_at"}),
            "indicators": [link.indicator_code for link in links],
        },
    )
    for link in links:
        session.delete(link)
    session.flush()
    session.delete(activity)
    session.flush()
