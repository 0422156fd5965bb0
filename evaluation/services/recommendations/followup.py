"""The agency's follow-up (tindak lanjut) of a recommendation -- what, by whom, by when, evidence, a
roadmap activity -- and its closing: the agency marks it done, a reviewer of a later period of the same
agency confirms it or reopens it with a note.

Follow-up and checking happen after the recommendation's period (usually in the next one), so they are
not refused when that period is closed; writing the recommendations themselves is (writes.py)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from evaluation.models import Activity, Assessment, Evidence, Period, utcnow
from evaluation.services import audit
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.evidence import checked_file, stored_file
from evaluation.services.recommendations.rules import (
    ENTITY,
    MAX_OWNER,
    OPEN_STATUSES,
    apply_changes,
    checked_text,
    load,
    require_agency_member,
    require_period_reviewer,
)
from evaluation.storage import EvidenceStore
from evaluation.translatable import Message
from evaluation.workflow import Role


def _answerable(session: Session, actor: Actor, recommendation_id: int):  # type: ignore[no-untyped-def]
    rec, assessment, period = load(session, recommendation_id)
    require_agency_member(actor, assessment.agency_id)
    if rec.status not in OPEN_STATUSES:
        raise WorkflowError("ew.followup_finished")
    return rec, assessment, period


def record_followup(
    session: Session,
    *,
    actor: Actor,
    recommendation_id: int,
    action: str,
    owner: str,
    due_on: date,
    evidence_id: int | None = None,
    activity_id: int | None = None,
    expected_version: int,
) -> int:
    """Write or rewrite the agency's follow-up of an open or reopened recommendation; returns the new
    version. PermissionDenied unless the actor is the agency's operator or coordinator; WorkflowError for
    empty or bad text, a missing date, a document or a roadmap activity that is not the agency's, or a
    recommendation already done/confirmed; StaleRecommendation on a stale `expected_version`."""
    rec, assessment, _period = _answerable(session, actor, recommendation_id)
    what = checked_text(action, label=Message("ew.label_followup"), required=True)
    who = checked_text(owner, label=Message("ew.label_owner"), required=True, limit=MAX_OWNER)
    if "\n" in who or "\r" in who:
        raise WorkflowError("ew.owner_one_line")
    if not isinstance(due_on, date):
        raise WorkflowError("ew.followup_due_required")
    if evidence_id is not None:
        evidence = session.get(Evidence, evidence_id)
        if evidence is None or evidence.agency_id != assessment.agency_id:
            raise WorkflowError("ew.document_not_agencys")
    if activity_id is not None:
        activity = session.get(Activity, activity_id)
        if activity is None or activity.agency_id != assessment.agency_id:
            raise WorkflowError("ew.activity_not_agencys")
    apply_changes(
        session,
        rec,
        expected_version,
        actor=actor,
        action="record_followup",
        changes={
            "followup_action": what,
            "followup_owner": who,
            "followup_due_on": due_on,
            "followup_evidence_id": evidence_id,
            "activity_id": activity_id,
            "followup_by": actor.user_id,
            "followup_at": utcnow(),
        },
    )
    return rec.version


def mark_done(session: Session, *, actor: Actor, recommendation_id: int, expected_version: int) -> int:
    """The agency marks its follow-up finished (open/reopened -> done); returns the new version. Needs a
    recorded follow-up (WorkflowError otherwise); other errors as `record_followup`."""
    rec, _assessment, _period = _answerable(session, actor, recommendation_id)
    if not rec.followup_action:
        raise WorkflowError("ew.followup_before_done")
    changes = {"status": "done", "done_at": utcnow()}
    apply_changes(session, rec, expected_version, actor=actor, action="mark_done", changes=changes)
    return rec.version


def upload_followup_evidence(
    session: Session,
    *,
    actor: Actor,
    store: EvidenceStore,
    recommendation_id: int,
    filename: str,
    data: bytes,
) -> int:
    """Store a document in the agency's files for a follow-up (checked like every evidence upload: name,
    size, content type, structure) and return its evidence id, to pass to `record_followup`. Errors as
    `record_followup`, WorkflowError for a refused file."""
    _rec, assessment, _period = _answerable(session, actor, recommendation_id)
    name, mime = checked_file(filename, data)  # as every evidence upload
    evidence = stored_file(
        session, store, data, name=name, mime=mime, agency_id=assessment.agency_id, actor=actor
    )
    audit.record(
        session,
        actor=actor,
        action="upload_evidence",
        entity=ENTITY,
        entity_id=recommendation_id,
        field="followup_evidence",
        new={"evidence_id": evidence.id, "name": evidence.filename, "sha256": evidence.sha256},
    )
    return evidence.id or 0


def later_period_ids(session: Session, agency_id: int, year: int) -> list[int]:
    """The periods after `year` in which the agency has an assessment (where its next reviewers work)."""
    return [
        int(pid or 0)
        for pid in session.exec(
            select(Period.id)
            .join(Assessment, col(Assessment.period_id) == col(Period.id))
            .where(col(Assessment.agency_id) == agency_id, col(Period.year) > year)
            .order_by(col(Period.year))
        ).all()
    ]


def check_recommendation(
    session: Session,
    *,
    actor: Actor,
    recommendation_id: int,
    confirmed: bool,
    note: str | None,
    expected_version: int | None = None,
) -> int:
    """A reviewer of a later period of the same agency checks a done follow-up: confirmed, or reopened
    (a note saying why is required); returns the new version. PermissionDenied for anyone else: when a
    later period has reviewers assigned to the agency only they may, while none is assigned any reviewer
    may (as in the review itself); WorkflowError when it is not done or the agency has no later assessment
    yet; StaleRecommendation on a stale `expected_version` (None: the version just read)."""
    rec, assessment, period = load(session, recommendation_id)
    later = later_period_ids(session, assessment.agency_id, period.year)
    if actor.role != Role.REVIEWER:
        raise PermissionDenied("ew.perm_later_reviewer_checks")
    if not later:
        raise WorkflowError("ew.followup_checked_later", year=str(period.year))
    refusals: list[PermissionDenied] = []
    for period_id in later:
        try:
            require_period_reviewer(session, actor, period_id, assessment.agency_id)
            break
        except PermissionDenied as exc:
            refusals.append(exc)
    else:
        raise refusals[0]
    if rec.status != "done":
        raise WorkflowError("ew.followup_check_only_done")
    clean = checked_text(note, label=Message("ew.label_note"), required=not confirmed)
    version = rec.version if expected_version is None else expected_version
    changes: dict[str, object] = {
        "status": "confirmed" if confirmed else "reopened",
        "checked_by": actor.user_id,
        "checked_at": utcnow(),
        "check_note": clean or None,
    }
    if not confirmed:
        changes["done_at"] = None
    apply_changes(session, rec, version, actor=actor, action="check_recommendation", changes=changes)
    return rec.version
