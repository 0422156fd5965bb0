"""Roadmap activities (kegiatan): saved with their indicators, listed with the overdue ones marked."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from evaluation.excel_io.cells import text_fault_message
from evaluation.models import (
    ACTIVITY_STATUSES,
    Activity,
    ActivityIndicator,
)
from evaluation.services import audit
from evaluation.services.actors import Actor, require_agency_access
from evaluation.services.frameworks import framework_of, latest_version
from evaluation.services.roadmap.targets import require_target_owner
from evaluation.services.text_rules import LENGTHS
from evaluation.translatable import InvalidInput, Message

TITLE_MAX, OWNER_MAX = 200, 120  # the columns' lengths in models.Activity


@dataclass(frozen=True)
class ActivityView:
    id: int
    framework_id: str
    title: str
    owner: str
    starts_on: date
    due_on: date
    status: str
    intended_level: int | None
    indicators: tuple[str, ...]
    notes: str | None
    overdue: bool
    progress: int = 0  # percent (issue 13)
    started_on: date | None = None
    finished_on: date | None = None


@dataclass(frozen=True)
class ActivityFields:
    """What an activity says, its agency and id aside: the fields activity_problems checks."""

    framework_id: str
    title: str
    owner: str
    starts_on: date
    due_on: date
    indicators: list[str]
    status: str = "planned"
    intended_level: int | None = None
    notes: str | None = None


def activity_problems(session: Session, activity: ActivityFields) -> list[tuple[str, Message]]:
    """Every rule an activity must meet, as (field, message); [] when it may be saved.

    The form (through save_activity) and the activities sheet's dry run both use this, so a sheet whose
    dry run is clean is never refused when applied."""
    framework_id, title, owner, status = (
        activity.framework_id,
        activity.title,
        activity.owner,
        activity.status,
    )
    problems: list[tuple[str, Message]] = []
    version = latest_version(session, framework_id)
    if version is None:
        return [("framework_id", Message("ea.unknown_framework", framework=framework_id))]
    if not title.strip() or not owner.strip():
        field_name = "title" if not title.strip() else "owner"
        problems.append((field_name, Message("ea.activity_required")))
    for field_name, text, limit in (("title", title, TITLE_MAX), ("owner", owner, OWNER_MAX)):
        if len(text.strip()) > limit:
            problems.append((field_name, Message("ea.activity_too_long", limit=limit)))
    for field_name, value, multiline in (
        ("title", title, False),
        ("owner", owner, False),
        ("notes", activity.notes, True),
    ):
        fault = text_fault_message((value or "").strip(), LENGTHS["free_text"], multiline=multiline)
        if fault is not None:
            problems.append((field_name, fault))
    framework = framework_of(version)
    unknown = [code for code in activity.indicators if code not in framework.indicator_by_code]
    if not activity.indicators or unknown:
        problems.append(
            ("indicators", Message("ea.activity_indicators_unknown", framework=framework_id, codes=unknown))
        )
    if activity.due_on < activity.starts_on:
        problems.append(("due_on", Message("ea.activity_due_before_start")))
    if status not in ACTIVITY_STATUSES:
        problems.append(
            ("status", Message("ea.activity_status_unknown", status=status, statuses=list(ACTIVITY_STATUSES)))
        )
    if activity.intended_level is not None and not 1 <= activity.intended_level <= 5:
        problems.append(("intended_level", Message("ea.activity_level_range")))
    return problems


def save_activity(
    session: Session,
    *,
    actor: Actor,
    agency_id: int,
    framework_id: str,
    title: str,
    owner: str,
    starts_on: date,
    due_on: date,
    indicators: list[str],
    status: str = "planned",
    intended_level: int | None = None,
    notes: str | None = None,
    activity_id: int | None = None,
) -> int:
    """Create (no `activity_id`) or update an agency's activity with its indicators, audited; returns its
    id. Raises PermissionDenied for someone who may not plan the agency's roadmap, InvalidInput for the
    first rule of activity_problems it breaks, a title the agency already uses, or an unknown activity."""
    require_target_owner(actor, agency_id)
    values: dict[str, Any] = {
        "title": title.strip(),
        "owner": owner.strip(),
        "starts_on": starts_on,
        "due_on": due_on,
        "status": status,
        "intended_level": intended_level,
        "notes": (notes or "").strip() or None,
    }
    # the rules strip the text themselves: the stripped values break exactly the same ones
    problems = activity_problems(
        session, ActivityFields(framework_id=framework_id, indicators=indicators, **values)
    )
    if problems:
        raise InvalidInput(problems[0][1])
    twin = session.exec(
        select(Activity).where(
            Activity.agency_id == agency_id,
            Activity.framework_id == framework_id,
            Activity.title == values["title"],
        )
    ).first()
    if twin is not None and twin.id != activity_id:
        raise InvalidInput("ea.activity_exists", title=values["title"])
    record = session.get(Activity, activity_id) if activity_id else None
    if activity_id and (record is None or record.agency_id != agency_id):
        raise InvalidInput("ea.activity_not_found")
    old = None if record is None else {k: getattr(record, k) for k in values}
    record = record or Activity(agency_id=agency_id, framework_id=framework_id, **values)
    for name, value in values.items():
        setattr(record, name, value)
    session.add(record)
    session.flush()
    for link in session.exec(select(ActivityIndicator).where(ActivityIndicator.activity_id == record.id)):
        session.delete(link)
    session.flush()
    for code in dict.fromkeys(indicators):
        session.add(ActivityIndicator(activity_id=record.id or 0, indicator_code=code))
    audit.record(
        session,
        actor=actor,
        action="save_activity",
        entity="activity",
        entity_id=record.id,
        old=old,
        new={**values, "indicators": indicators},
    )
    return record.id or 0


def list_activities(
    session: Session, *, actor: Actor, agency_id: int, today: date | None = None
) -> list[ActivityView]:
    require_agency_access(actor, agency_id)
    today = today or date.today()
    links: dict[int, list[str]] = defaultdict(list)
    for link in session.exec(
        select(ActivityIndicator)
        .join(Activity, col(Activity.id) == col(ActivityIndicator.activity_id))
        .where(Activity.agency_id == agency_id)
    ):
        links[link.activity_id].append(link.indicator_code)
    return [
        ActivityView(
            a.id or 0,
            a.framework_id,
            a.title,
            a.owner,
            a.starts_on,
            a.due_on,
            a.status,
            a.intended_level,
            tuple(sorted(links[a.id or 0])),
            a.notes,
            a.due_on < today and a.status not in ("done", "cancelled"),
            a.progress,
            a.started_on,
            a.finished_on,
        )
        for a in session.exec(
            select(Activity)
            .where(Activity.agency_id == agency_id)
            .order_by(col(Activity.starts_on), col(Activity.id))
        )
    ]
