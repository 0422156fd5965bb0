"""Minutes (berita acara) of the interview and the site visit (issue 12): when and where the meeting was
held, who took part, the findings per indicator and the changes agreed. One minute per assessment and
stage, written by a reviewer while the assessment is in review at or after that stage, read by the
ministry and by the agency it is about; printed for signing by `evaluation.reports.minute_pdf`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from evaluation.models import MINUTE_STAGES, Agency, Assessment, Period, StageMinute, User, utcnow
from evaluation.services import audit
from evaluation.services.actors import Actor, PermissionDenied, require_agency_access
from evaluation.services.assessment_state import (
    WorkflowError,
    load_assessment,
    require_reviewer,
    stages_of,
)
from evaluation.services.audit_fields import record_on_assessment
from evaluation.services.reviewers import reviewers_of
from evaluation.services.stage_rules import stage_label
from evaluation.translatable import Message, NotFound
from evaluation.workflow import AssessmentStatus

MAX_PLACE = 200  # stage_minute.place
MAX_PERSON = 200  # one participant's line (name, position)
MAX_PARTICIPANTS = 60
MAX_TEXT = 5_000  # one finding, the agreed changes


class StaleMinute(WorkflowError):
    """Someone saved this minute after this user read it: the save is refused, the input kept."""


@dataclass(frozen=True)
class MinuteView:
    """A saved minute. `participants` one person per item; `findings` {indicator code: text} in the
    framework's order."""

    id: int
    assessment_id: int
    stage: str
    held_on: date
    place: str
    participants: tuple[str, ...]
    findings: dict[str, str]
    agreed_changes: str | None
    version: int
    written_by: str | None
    updated_at: datetime


@dataclass(frozen=True)
class MinuteContext:
    """What a printed minute names besides the minute itself."""

    agency_name: str
    agency_code: str
    category: str
    year: int
    framework_label: dict[str, str]  # {"id": .., "en": ..}
    indicator_names: dict[str, dict[str, str]]  # {code: {"id": .., "en": ..}}


def _may_write(session: Session, actor: Actor, assessment: Assessment) -> None:
    """A reviewer; when the agency has assigned reviewers in this period, one of them."""
    require_reviewer(actor)
    assigned = {uid for uid, _role in reviewers_of(session, assessment.period_id, assessment.agency_id)}
    if assigned and actor.user_id not in assigned:
        raise PermissionDenied("ew.perm_minutes_writers")


def _clean_participants(participants: str | Sequence[str]) -> list[str]:
    lines = participants.splitlines() if isinstance(participants, str) else list(participants)
    people = [line.strip() for line in lines if line and line.strip()]
    if not people:
        raise WorkflowError("ew.participants_required")
    if len(people) > MAX_PARTICIPANTS:
        raise WorkflowError("ew.at_most_participants", limit=MAX_PARTICIPANTS)
    for n, person in enumerate(people, start=1):
        WorkflowError.check_text(person, Message("ew.label_participant", n=n), MAX_PERSON)
    return people


def _clean_findings(findings: Mapping[str, str | None], codes: Sequence[str]) -> dict[str, str]:
    unknown = sorted(set(findings) - set(codes))
    if unknown:
        raise WorkflowError("ew.unknown_indicators", items=unknown)
    cleaned = {}
    for code in codes:  # the framework's order
        text = (findings.get(code) or "").strip()
        if not text:
            continue
        WorkflowError.check_text(text, Message("ew.label_finding_of", code=code), MAX_TEXT, multiline=True)
        cleaned[code] = text
    return cleaned


def _check_date(held_on: object, period: Period) -> date:
    if not isinstance(held_on, date) or isinstance(held_on, datetime):
        raise WorkflowError("ew.meeting_date_not_valid")
    if held_on > utcnow().date():
        raise WorkflowError("ew.meeting_date_future")
    earliest = period.opens_on or date(period.year, 1, 1)
    if held_on < earliest:
        raise WorkflowError("ew.meeting_date_before_period", earliest=earliest)
    return held_on


def save_minute(
    session: Session,
    *,
    actor: Actor,
    assessment_id: int,
    stage: str,
    held_on: date,
    place: str,
    participants: str | Sequence[str],
    findings: Mapping[str, str | None],
    agreed_changes: str | None,
    expected_version: int,
) -> int:
    """Write the minute of `stage` ("interview" or "visit"); `expected_version` is the minute's version as
    read (0 = there was none). `participants` one person per line (or a list); `findings` {indicator code:
    text}, empty texts dropped; an interview minute needs at least one finding.

    Returns the minute's version now. Raises PermissionDenied (not a reviewer, or not one assigned to the
    agency when it has assigned reviewers), WorkflowError (the assessment is not in review at or after
    that stage, a bad date, text or indicator code), StaleMinute (saved by someone since) and PeriodClosed
    (the period is closed). Every changed field is audited on the assessment, one change set."""
    assessment, period, framework = load_assessment(session, assessment_id)
    _may_write(session, actor, assessment)
    order = stages_of(period)
    if stage not in MINUTE_STAGES or stage not in order:
        raise WorkflowError("ew.minutes_stage_only", stage=stage_label(stage))
    if assessment.status != AssessmentStatus.IN_REVIEW:
        raise WorkflowError("ew.assessment_not_in_review")
    current = assessment.stage or "document"
    if current not in order or order.index(current) < order.index(stage):
        raise WorkflowError("ew.stage_not_reached", stage=stage_label(stage))
    values: dict[str, Any] = {
        "held_on": _check_date(held_on, period),
        "place": (place or "").strip(),
        "participants": "\n".join(_clean_participants(participants)),
        "findings": _clean_findings(findings, [i.code for i in framework.indicators]),
        "agreed_changes": (agreed_changes or "").strip() or None,
    }
    if not values["place"]:
        raise WorkflowError("ew.place_required")
    WorkflowError.check_text(values["place"], Message("ew.label_place"), MAX_PLACE)
    WorkflowError.check_text(
        values["agreed_changes"], Message("ew.label_agreed_changes"), MAX_TEXT, multiline=True
    )
    if stage == "interview" and not values["findings"]:
        raise WorkflowError("ew.interview_needs_findings")
    row = session.exec(
        select(StageMinute).where(StageMinute.assessment_id == assessment_id, StageMinute.stage == stage)
    ).first()
    stale = StaleMinute("ew.stale_minute", stage=stage_label(stage))
    if (row.version if row is not None else 0) != expected_version:
        raise stale
    change_set = audit.new_change_set()
    before = {name: getattr(row, name) for name in values} if row is not None else {}
    changed = {name: new for name, new in values.items() if before.get(name) != new}
    if row is None:
        row = StageMinute(assessment_id=assessment_id, stage=stage, created_by=actor.user_id, **values)
        try:
            with session.begin_nested():  # two first saves at once: the unique key refuses the second
                session.add(row)
                session.flush()
        except IntegrityError:
            raise stale from None
        version = 1
    else:
        if not changed:
            return row.version
        result = session.execute(
            update(StageMinute)
            .where(col(StageMinute.id) == row.id, col(StageMinute.version) == expected_version)
            .values(**changed, version=expected_version + 1, updated_at=utcnow())
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise stale
        session.refresh(row)
        version = expected_version + 1
    for name, new in changed.items():
        record_on_assessment(
            session,
            assessment_id,
            f"minute.{stage}.{name}",
            actor=actor,
            action="save_minute",
            old=before.get(name),
            new=new,
            change_set=change_set,
        )
    return version


def minutes_of(session: Session, *, actor: Actor, assessment_id: int) -> dict[str, MinuteView]:
    """The saved minutes of one assessment as {stage: MinuteView}, in stage order. The ministry reads
    every agency's; an agency's operator or coordinator only their own (else PermissionDenied);
    LookupError when the assessment does not exist."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound("ew.assessment_does_not_exist", assessment_id=str(assessment_id))
    require_agency_access(actor, assessment.agency_id)
    rows = session.exec(
        select(StageMinute, User.full_name)
        .join(User, col(User.id) == col(StageMinute.created_by), isouter=True)
        .where(StageMinute.assessment_id == assessment_id)
    ).all()
    found = {
        row.stage: MinuteView(
            id=row.id or 0,
            assessment_id=assessment_id,
            stage=row.stage,
            held_on=row.held_on,
            place=row.place,
            participants=tuple(row.participants.splitlines()),
            findings=dict(row.findings or {}),
            agreed_changes=row.agreed_changes,
            version=row.version,
            written_by=name,
            updated_at=row.updated_at,
        )
        for row, name in rows
    }
    return {stage: found[stage] for stage in MINUTE_STAGES if stage in found}


def minute_context(session: Session, *, actor: Actor, assessment_id: int) -> MinuteContext:
    """The agency, period and indicator names a printed minute shows; read like `minutes_of`."""
    assessment, period, framework = load_assessment(session, assessment_id)
    require_agency_access(actor, assessment.agency_id)
    agency = session.get(Agency, assessment.agency_id)
    assert agency is not None
    return MinuteContext(
        agency_name=agency.name,
        agency_code=agency.code,
        category=agency.category,
        year=period.year,
        framework_label={"id": framework.label("id"), "en": framework.label("en")},
        indicator_names={i.code: {"id": i.label("id"), "en": i.label("en")} for i in framework.indicators},
    )
