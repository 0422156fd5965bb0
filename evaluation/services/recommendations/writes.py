"""The reviewer writes recommendations (rekomendasi perbaikan) on finalizing an assessment: per indicator
or for the whole agency, with a priority and a due date; edits or deletes them while the agency has not
answered yet."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from evaluation.models import RECOMMENDATION_PRIORITIES, Recommendation
from evaluation.services import audit
from evaluation.services.actors import Actor
from evaluation.services.assessment_state import WorkflowError, load_assessment
from evaluation.services.audit_fields import record_created
from evaluation.services.periods import require_open_period
from evaluation.services.recommendations.rules import (
    ENTITY,
    apply_changes,
    checked_text,
    claim,
    load,
    require_period_reviewer,
)
from evaluation.translatable import Message
from evaluation.workflow import AssessmentStatus
from indicators.schema import Framework

# "on finalizing, the reviewer writes recommendations"
WRITABLE_STATUSES = (AssessmentStatus.IN_REVIEW, AssessmentStatus.FINAL)
SAID = ("assessment_id", "indicator_code", "priority", "text", "due_on")


def _checked(
    framework: Framework, indicator_code: str | None, priority: str, text: str, due_on: date | None
) -> dict[str, Any]:
    """What a recommendation on `framework` will say, by field (its text checked and stripped); WorkflowError
    for an unknown indicator or priority, a due date that is not a date, empty or bad text."""
    if indicator_code is not None and indicator_code not in framework.indicator_by_code:
        raise WorkflowError("ew.unknown_indicator", code=indicator_code)
    if priority not in RECOMMENDATION_PRIORITIES:
        raise WorkflowError("ew.unknown_priority", priority=priority, priorities=RECOMMENDATION_PRIORITIES)
    if due_on is not None and not isinstance(due_on, date):
        raise WorkflowError("ew.due_date_must_date")
    clean = checked_text(text, label=Message("ew.label_recommendation"), required=True)
    return {"indicator_code": indicator_code, "priority": priority, "text": clean, "due_on": due_on}


def add_recommendation(
    session: Session,
    *,
    actor: Actor,
    assessment_id: int,
    indicator_code: str | None,
    priority: str,
    text: str,
    due_on: date | None,
) -> int:
    """Add a recommendation to an assessment in review or final; returns its id (status "open").

    `indicator_code` None means the whole agency. PermissionDenied unless the actor is a reviewer of the
    agency in that period (services.recommendations.rules.require_period_reviewer); WorkflowError for
    another status, an unknown indicator or priority, empty or bad text; PeriodClosed (a WorkflowError)
    in a closed period; LookupError for an unknown assessment."""
    assessment, period, framework = load_assessment(session, assessment_id)
    require_period_reviewer(session, actor, period.id or 0, assessment.agency_id)
    if assessment.status not in WRITABLE_STATUSES:
        raise WorkflowError("ew.recommendation_when")
    require_open_period(session, period.id or 0)
    said = _checked(framework, indicator_code, priority, text, due_on)
    rec = Recommendation(assessment_id=assessment_id, created_by=actor.user_id, **said)
    session.add(rec)
    return record_created(
        session, rec, actor=actor, action="add_recommendation", entity=ENTITY, new=_said(rec)
    )


def _said(rec: Recommendation) -> dict[str, Any]:
    """What a recommendation says, as its audit entries keep it (on adding, and on deleting)."""
    return {name: getattr(rec, name) for name in SAID}


def _editable(session: Session, actor: Actor, recommendation_id: int) -> Recommendation:
    rec, assessment, period = load(session, recommendation_id)
    require_period_reviewer(session, actor, period.id or 0, assessment.agency_id)
    require_open_period(session, period.id or 0)
    if rec.status != "open" or rec.followup_at is not None:
        raise WorkflowError("ew.recommendation_followed_up")
    return rec


def edit_recommendation(
    session: Session,
    *,
    actor: Actor,
    recommendation_id: int,
    expected_version: int,
    indicator_code: str | None,
    priority: str,
    text: str,
    due_on: date | None,
) -> int:
    """Change a recommendation nobody has followed up yet; returns the new version. Errors as
    `add_recommendation`, plus StaleRecommendation when `expected_version` is not the stored one."""
    rec = _editable(session, actor, recommendation_id)
    _assessment, _period, framework = load_assessment(session, rec.assessment_id)
    said = _checked(framework, indicator_code, priority, text, due_on)
    apply_changes(session, rec, expected_version, actor=actor, action="edit_recommendation", changes=said)
    return rec.version


def delete_recommendation(
    session: Session, *, actor: Actor, recommendation_id: int, expected_version: int
) -> None:
    """Delete a recommendation nobody has followed up yet; the audit log keeps what it said. Errors as
    `edit_recommendation`."""
    rec = _editable(session, actor, recommendation_id)
    claim(session, rec, expected_version)
    audit.record(
        session, actor=actor, action="delete_recommendation", entity=ENTITY, entity_id=rec.id, old=_said(rec)
    )
    session.delete(rec)
    session.flush()
