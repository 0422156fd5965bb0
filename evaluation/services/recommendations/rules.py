"""What the recommendation use cases share: loading with its assessment and period, who may act for the
ministry and for the agency, the optimistic version claim, and the field-by-field audit of a change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from evaluation.models import Assessment, Period, Recommendation, ReviewerAssignment
from evaluation.services import audit
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.audit_fields import record_changes
from evaluation.services.text_rules import check_text
from evaluation.translatable import Message, NotFound
from evaluation.workflow import AGENCY_ROLES, Role

MAX_TEXT = 4000  # a recommendation, a follow-up action, a reviewer's check note
MAX_OWNER = 200  # models.Recommendation.followup_owner
ENTITY = "recommendation"
OPEN_STATUSES = ("open", "reopened")  # the agency still owes a follow-up


class StaleRecommendation(WorkflowError):
    """Someone changed the recommendation after this user read it: the change is refused, never merged."""


def load(session: Session, recommendation_id: int) -> tuple[Recommendation, Assessment, Period]:
    """The recommendation with its assessment and period; LookupError when it does not exist."""
    rec = session.get(Recommendation, recommendation_id)
    if rec is None:
        raise NotFound("ew.recommendation_does_not_exist", recommendation_id=str(recommendation_id))
    assessment = session.get(Assessment, rec.assessment_id)
    assert assessment is not None
    period = session.get(Period, assessment.period_id)
    assert period is not None
    return rec, assessment, period


def require_period_reviewer(session: Session, actor: Actor, period_id: int, agency_id: int) -> None:
    """A reviewer of this agency in this period: when the agency has reviewers assigned for the period
    (reviewer_assignment), one of them; while nobody is assigned, any reviewer (as the review itself)."""
    if actor.role != Role.REVIEWER:
        raise PermissionDenied("ew.perm_reviewers_recommend")
    assigned = set(
        session.exec(
            select(ReviewerAssignment.reviewer_id).where(
                col(ReviewerAssignment.period_id) == period_id, col(ReviewerAssignment.agency_id) == agency_id
            )
        ).all()
    )
    if assigned and actor.user_id not in assigned:
        raise PermissionDenied("ew.perm_not_assigned_reviewer")


def require_agency_member(actor: Actor, agency_id: int) -> None:
    """The agency's own operator or coordinator (the follow-up is the agency's work)."""
    if actor.role not in AGENCY_ROLES or actor.agency_id != agency_id:
        raise PermissionDenied("ew.perm_agency_follows_up")


def claim(session: Session, rec: Recommendation, expected_version: int) -> None:
    """version+1 only if nobody changed the recommendation since `expected_version` (one UPDATE, so two
    concurrent changes cannot both pass); raises StaleRecommendation otherwise."""
    result = session.execute(
        update(Recommendation)
        .where(col(Recommendation.id) == rec.id, col(Recommendation.version) == expected_version)
        .values(version=expected_version + 1)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleRecommendation("ew.stale_recommendation")
    session.refresh(rec)


def checked_text(value: str | None, *, label: Message, required: bool, limit: int = MAX_TEXT) -> str:
    """The text stripped, after the project's text rule; WorkflowError when empty but required."""
    clean = (value or "").strip()
    check_text(clean, label, max_length=limit, multiline=True, error=WorkflowError)
    if required and not clean:
        raise WorkflowError("ew.required", label=label)
    return clean


def apply_changes(
    session: Session, rec: Recommendation, version: int, *, actor: Actor, action: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """`claim` the recommendation at `version`, the one the user read (StaleRecommendation otherwise), then
    set the fields that really change, each audited under one change set; returns them."""
    claim(session, rec, version)
    change_set = audit.new_change_set()
    changed = record_changes(
        session,
        rec,
        changes,
        actor=actor,
        action=action,
        entity=ENTITY,
        entity_id=rec.id,
        change_set=change_set,
    )
    session.add(rec)
    return changed
