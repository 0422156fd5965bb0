"""Creating an evaluation period with its schedule and required stages, changing the schedule of an open
period, and the self-assessment deadline an agency's first submission must meet (issue 12).

A period's schedule runs in this order (each date optional): it opens (`opens_on`), agencies submit their
self-assessment until `self_assessment_closes_on`, the ministry verifies (document review, interview,
site visit) until `verification_ends_on`, and objections (sanggah) are taken until `objections_close_on`.
Closing and reopening a period is `periods.set_period_status`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from sqlalchemy import func
from sqlmodel import Session, col, select

from evaluation.models import EVALUATION_TYPES, Assessment, FrameworkVersion, Period
from evaluation.services import audit
from evaluation.services.actors import Actor, require_role
from evaluation.services.assessment_state import STAGES_BY_TYPE, WorkflowError, required_stages_of
from evaluation.services.audit_fields import record_changes, record_created
from evaluation.services.frameworks import registered_version
from evaluation.services.periods import require_open_period
from evaluation.translatable import InvalidInput, Message
from evaluation.workflow import Role

# the schedule's dates in the order they must follow
SCHEDULE_FIELDS = ("opens_on", "self_assessment_closes_on", "verification_ends_on", "objections_close_on")
_DATE_NAMES = {
    "opens_on": "ew.date_opens",
    "self_assessment_closes_on": "ew.date_self_assessment_closes",
    "verification_ends_on": "ew.date_verification_ends",
    "objections_close_on": "ew.date_objections_close",
}


@dataclass(frozen=True)
class PeriodSchedule:
    """One period as the admin page lists it."""

    id: int
    year: int
    framework_id: str
    framework_version: str
    evaluation_type: str
    kind: str
    status: str
    required_stages: tuple[str, ...]
    opens_on: date | None
    self_assessment_closes_on: date | None
    verification_ends_on: date | None
    objections_close_on: date | None
    assessments: int


def check_schedule(dates: Mapping[str, date | None]) -> None:
    """Raise ValueError unless the given dates (keys of SCHEDULE_FIELDS, None = not set) follow the order
    opens <= self-assessment closes <= verification ends <= objections close."""
    unknown = set(dates) - set(SCHEDULE_FIELDS)
    if unknown:
        raise InvalidInput("ew.unknown_dates", items=sorted(unknown))
    given = [(name, dates[name]) for name in SCHEDULE_FIELDS if dates.get(name) is not None]
    for (earlier, first), (later, second) in pairwise(given):
        assert first is not None and second is not None
        if second < first:
            raise InvalidInput(
                "ew.dates_out_of_order",
                later=Message(_DATE_NAMES[later]),
                second=second,
                earlier=Message(_DATE_NAMES[earlier]),
                first=first,
            )


def check_stages(evaluation_type: str, stages: Sequence[str] | None) -> str | None:
    """The stages to store for a period of `evaluation_type` (comma-separated, in review order), or None
    for the type's default. Raises ValueError for an unknown type, a stage the type does not have, or a
    choice without the document review (every evaluation starts with it)."""
    if evaluation_type not in EVALUATION_TYPES:
        raise InvalidInput(
            "ew.unknown_evaluation_type", evaluation_type=evaluation_type, types=EVALUATION_TYPES
        )
    if stages is None:
        return None
    chosen = [s.strip() for s in stages if s.strip()]
    order = STAGES_BY_TYPE[evaluation_type]
    foreign = [s for s in chosen if s not in order]
    if foreign:
        raise InvalidInput(
            "ew.stage_not_in_type", stages=foreign, evaluation_type=evaluation_type, allowed=order
        )
    if "document" not in chosen:
        raise InvalidInput("ew.starts_with_document")
    return ",".join(s for s in order if s in chosen)


def create_period(
    session: Session,
    *,
    actor: Actor,
    year: int,
    framework_id: str,
    framework_version: str | None = None,
    evaluation_type: str,
    required_stages: Sequence[str] | None = None,
    opens_on: date | None = None,
    self_assessment_closes_on: date | None = None,
    verification_ends_on: date | None = None,
    objections_close_on: date | None = None,
) -> int:
    """Create an open official period for `year` on `framework_id` (its latest registered version unless
    `framework_version` names one), with its schedule and required stages; returns its id. Agencies then
    open their assessments in it (`self_assessment.open_assessment`). Audited as "create_period".

    Raises PermissionDenied for non-admins; ValueError for a year outside 2000-2100, an unknown evaluation
    type, stages the type does not have or without "document", dates out of order, or a period that
    already exists for that year and framework version; LookupError for an unknown framework (version)."""
    require_role(actor, Role.ADMIN)
    if not 2000 <= year <= 2100:
        raise InvalidInput("ew.year_outside", year=str(year))
    stages = check_stages(evaluation_type, required_stages)
    dates = {
        "opens_on": opens_on,
        "self_assessment_closes_on": self_assessment_closes_on,
        "verification_ends_on": verification_ends_on,
        "objections_close_on": objections_close_on,
    }
    check_schedule(dates)
    version = registered_version(session, framework_id, framework_version)
    period = Period(
        year=year,
        framework_version_id=version.id or 0,
        evaluation_type=evaluation_type,
        status="open",
        required_stages=stages,
        opens_on=opens_on,
        self_assessment_closes_on=self_assessment_closes_on,
        verification_ends_on=verification_ends_on,
        objections_close_on=objections_close_on,
    )
    return add_period(
        session,
        actor=actor,
        period=period,
        version=version,
        action="create_period",
        new={
            "year": year,
            "framework": f"{framework_id}@{version.version}",
            "evaluation_type": evaluation_type,
            "required_stages": stages,
            **{name: value.isoformat() if value else None for name, value in dates.items()},
        },
    )


def add_period(
    session: Session, *, actor: Actor, period: Period, version: FrameworkVersion, action: str, new: object
) -> int:
    """Store a new period (official or programme) on `version` and audit its creation as `action` with
    `new`; returns its id. Raises InvalidInput ("ew.period_exists") when a period already exists for its
    year on that framework version."""
    taken = session.exec(
        select(Period.id).where(Period.year == period.year, Period.framework_version_id == version.id)
    ).first()
    if taken is not None:
        raise InvalidInput(
            "ew.period_exists",
            year=str(period.year),
            framework_id=version.framework_id,
            version=version.version,
        )
    session.add(period)
    return record_created(session, period, actor=actor, action=action, entity="period", new=new)


def update_schedule(
    session: Session, *, actor: Actor, period_id: int, changes: Mapping[str, object]
) -> list[str]:
    """Change the schedule or the required stages of an open period; returns the fields that changed.

    `changes`: any of SCHEDULE_FIELDS (a date or None) and "required_stages" (a list of stages, or None for
    the type's default); fields not named keep their value. Each changed field is one audit entry
    ("update_schedule"), all in one change set. Raises PermissionDenied for non-admins, LookupError for an
    unknown period, PeriodClosed for a closed one, ValueError for an unknown field, stages or dates out of
    order (the whole schedule after the change is checked)."""
    require_role(actor, Role.ADMIN)
    require_open_period(session, period_id)
    period = session.get(Period, period_id)
    assert period is not None
    unknown = set(changes) - {*SCHEDULE_FIELDS, "required_stages"}
    if unknown:
        raise InvalidInput("ew.unknown_fields", items=sorted(unknown))
    wanted: dict[str, object] = {}
    for name in SCHEDULE_FIELDS:
        value = changes.get(name, getattr(period, name))
        if value is not None and not isinstance(value, date):
            raise InvalidInput("ew.not_date", name=name)
        wanted[name] = value
    check_schedule(wanted)  # type: ignore[arg-type]
    if "required_stages" in changes:
        stages = changes["required_stages"]
        if stages is not None and (isinstance(stages, str) or not isinstance(stages, Sequence)):
            raise InvalidInput("ew.stages_must_list")
        wanted["required_stages"] = check_stages(period.evaluation_type, stages)
    change_set = audit.new_change_set()
    changed = record_changes(
        session,
        period,
        wanted,
        actor=actor,
        action="update_schedule",
        entity="period",
        entity_id=period_id,
        change_set=change_set,
    )
    session.add(period)
    session.flush()
    return list(changed)


def list_schedules(session: Session) -> list[PeriodSchedule]:
    """Every period, newest year first, with its schedule, resolved required stages and its number of
    assessments (what closing it makes read-only)."""
    counts = dict(
        session.exec(select(Assessment.period_id, func.count()).group_by(col(Assessment.period_id))).all()
    )
    rows = session.exec(
        select(Period, FrameworkVersion.framework_id, FrameworkVersion.version)
        .join(FrameworkVersion, col(Period.framework_version_id) == col(FrameworkVersion.id))
        .order_by(col(Period.year).desc(), col(Period.kind), col(Period.id))
    ).all()
    return [
        PeriodSchedule(
            id=p.id or 0,
            year=p.year,
            framework_id=framework_id,
            framework_version=version,
            evaluation_type=p.evaluation_type,
            kind=p.kind,
            status=p.status,
            required_stages=required_stages_of(p),
            opens_on=p.opens_on,
            self_assessment_closes_on=p.self_assessment_closes_on,
            verification_ends_on=p.verification_ends_on,
            objections_close_on=p.objections_close_on,
            assessments=int(counts.get(p.id or 0, 0)),
        )
        for p, framework_id, version in rows
    ]


class SelfAssessmentClosed(WorkflowError):
    """A first submission after the period's self-assessment deadline."""


def require_self_assessment_open(period: Period, today: date | None = None) -> None:
    """Raise SelfAssessmentClosed when `today` (default: the server's date) is after the period's
    `self_assessment_closes_on`; nothing when the period has no such date."""
    deadline = period.self_assessment_closes_on
    if deadline is None or (today or date.today()) <= deadline:
        return
    raise SelfAssessmentClosed("ew.self_assessment_closed", year=str(period.year), deadline=deadline)
