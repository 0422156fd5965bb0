"""Objections (keberatan) to a published result (issue 12): the agency's coordinator files one per
indicator after finalization, within the period's objection window; the lead reviewer (ketua tim asesor)
of that agency and period upholds it -- the final level changes and the published snapshot is recomputed
exactly as `review.finalize` builds it -- or rejects it with a reason.

Rules, as decided for this app (Permenpan RB 8/2026 makes the interview the appeal against the document
review -- "klarifikasi dan proses sanggah"; this is the later objection to the published result):
- the window opens on the day of finalization and closes at the end of `period.objections_close_on`;
  while the ministry has set no closing date, nothing can be filed (no implicit default window);
- only the lead reviewer decides (not an admin, not a member reviewer): the decision is an assessor's
  judgement, and an admin who should decide first assigns a lead (services/reviewers.py);
- a decision may come after the window has closed, but never in a closed period.

Reads (`objections_of`, `objection_window`, the queue and the decision preview) are in
`objection_reads` and re-exported here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from evaluation.models import Agency, Evidence, Objection, Period, User, utcnow
from evaluation.services import audit
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.assessment_lock import lock_assessment
from evaluation.services.assessment_state import WorkflowError, agency_row, load_assessment, score_rows
from evaluation.services.audit_fields import record_change, record_created, record_field
from evaluation.services.notifications import notify
from evaluation.services.objection_reads import (
    ObjectionView,
    ObjectionWindow,
    changed_lines,
    checked_level,
    decision_preview,
    objection_queue,
    objection_window,
    objections_of,
    require_lead,
    required_text,
    window_of,
)
from evaluation.services.periods import require_open_period
from evaluation.services.review import final_snapshot
from evaluation.services.reviewers import lead_reviewer_id, reviewers_of
from evaluation.services.score_versions import score_versions, write_scores
from evaluation.translatable import Message, NotFound
from evaluation.workflow import AssessmentStatus, Role

__all__ = [
    "ObjectionView",
    "ObjectionWindow",
    "changed_lines",
    "decide_objection",
    "decision_preview",
    "file_objection",
    "objection_queue",
    "objection_window",
    "objections_of",
    "window_of",
]


def file_objection(
    session: Session,
    *,
    actor: Actor,
    assessment_id: int,
    indicator_code: str,
    reason: str,
    requested_level: float | None = None,
    evidence_id: int | None = None,
    today: date | None = None,
) -> int:
    """File an objection to one indicator's final level; returns its id.

    Only the coordinator of the assessment's agency, only on a final assessment, only within its window
    (`objection_window`; `today` defaults to the server's date); one objection per indicator. `reason` is
    required; `requested_level` (optional) must lie on the framework's scale and differ from the final
    level; `evidence_id` (optional) must be one of the agency's documents. Audited (entity "objection");
    the lead reviewer is notified ("objection_filed"), or every assigned reviewer while no lead is set.

    Raises LookupError, PermissionDenied, WorkflowError (and PeriodClosed, a WorkflowError)."""
    assessment, period, framework = load_assessment(session, assessment_id)
    if actor.role != Role.COORDINATOR or actor.agency_id != assessment.agency_id:
        raise PermissionDenied("ew.perm_coordinator_objects")
    require_open_period(session, assessment.period_id)
    if assessment.status != AssessmentStatus.FINAL:
        raise WorkflowError("ew.objection_only_final")
    objection_window(period, assessment.finalized_at).require_open(today or date.today())
    code = indicator_code
    if code not in framework.indicator_by_code:
        raise WorkflowError("ew.unknown_indicator", code=code)
    score = score_rows(session, assessment_id).get(code)
    if score is None or score.not_applicable or score.final_level is None:
        raise WorkflowError("ew.indicator_no_final_level", code=code)
    text = required_text(reason, Message("ew.label_objection_reason"))
    requested = None
    if requested_level is not None:
        requested = float(checked_level(framework, code, requested_level))
        if requested == score.final_level:
            raise WorkflowError("ew.requested_level_is_final", code=code)
    if evidence_id is not None:
        agency_row(session, Evidence, evidence_id, assessment.agency_id, "ew.evidence_not_agencys")
    duplicate = WorkflowError("ew.objection_duplicate", code=code)
    if session.exec(
        select(Objection.id).where(
            col(Objection.assessment_id) == assessment_id, Objection.indicator_code == code
        )
    ).first():
        raise duplicate
    filed: dict[str, Any] = {  # the new row's fields, logged as its new value
        "assessment_id": assessment_id,
        "indicator_code": code,
        "reason": text,
        "requested_level": requested,
        "evidence_id": evidence_id,
    }
    row = Objection(**filed, filed_by=actor.user_id)
    session.flush()
    try:
        with session.begin_nested():  # a concurrent filer of the same indicator: refused, not an error page
            session.add(row)
            session.flush()
    except IntegrityError:
        raise duplicate from None
    record_created(session, row, actor=actor, action="file_objection", entity="objection", new=filed)
    agency = session.get(Agency, assessment.agency_id)
    lead = lead_reviewer_id(session, assessment.period_id, assessment.agency_id)
    notify(
        session,
        user_ids=[lead]
        if lead is not None
        else [uid for uid, _role in reviewers_of(session, period.id or 0, assessment.agency_id)],
        kind="objection_filed",
        params={"agency": agency.name if agency else "", "year": period.year, "indicator": code},
        assessment_id=assessment_id,
    )
    return row.id or 0


def decide_objection(
    session: Session,
    *,
    actor: Actor,
    objection_id: int,
    uphold: bool,
    reason: str,
    new_level: float | None = None,
) -> None:
    """Uphold or reject a pending objection, with a reason (required).

    Only the lead reviewer of the agency in that period (see the module's rules). Upheld: the indicator's
    final level becomes `new_level` (default: the requested level; it must differ from the current one)
    through `score_versions.write_scores` (audited per field), the objection keeps `level_before` and
    `level_after`, and `assessment.final_snapshot` is recomputed with `review.final_snapshot`; every read of
    the published index (results, ranking, dashboard, reports) follows, since audit.record bumps the data
    version their caches key on. Rejected: only the objection changes. Both are audited under one change
    set and notify the agency's coordinators ("objection_decided").

    Raises LookupError, PermissionDenied, WorkflowError (already decided, bad level, closed period)."""
    row = session.exec(
        select(Objection)
        .where(col(Objection.id) == objection_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise NotFound("ew.objection_does_not_exist", objection_id=str(objection_id))
    assessment, period, _framework = load_assessment(session, row.assessment_id)
    require_lead(session, actor, assessment)
    require_open_period(session, assessment.period_id)
    if row.status != "pending":
        raise WorkflowError("ew.objection_already_decided")
    text = required_text(reason, Message("ew.label_decision_reason"))
    change_set = audit.new_change_set()
    if uphold:
        _apply_level(session, actor, row, period, new_level, change_set)
    status = "upheld" if uphold else "rejected"
    action = "decide_objection"
    logged = [
        ("status", row.status, status),
        ("decision_reason", None, text),
        ("level_after", None, row.level_after),
    ]
    for field, old, new in [entry for entry in logged if entry[2] is not None]:
        record_field(
            session, "objection", row.id, field, old, new, actor=actor, action=action, change_set=change_set
        )
    row.status, row.decision_reason = status, text
    row.decided_by, row.decided_at = actor.user_id, utcnow()
    session.add(row)
    agency = session.get(Agency, assessment.agency_id)
    coordinators = session.exec(
        select(User.id).where(
            col(User.agency_id) == assessment.agency_id, User.role == Role.COORDINATOR, col(User.active)
        )
    ).all()
    notify(
        session,
        user_ids=coordinators,
        kind="objection_decided",
        params={
            "agency": agency.name if agency else "",
            "year": period.year,
            "indicator": row.indicator_code,
            "decision": status,
        },
        assessment_id=assessment.id,
    )
    session.flush()


def _apply_level(
    session: Session, actor: Actor, row: Objection, period: Period, new_level: float | None, change_set: str
) -> None:
    """The upheld level written as a reviewer's save would write it, and the snapshot recomputed."""
    assessment, framework = lock_assessment(session, row.assessment_id)
    if assessment.status != AssessmentStatus.FINAL:
        raise WorkflowError("ew.assessment_no_longer_final")
    code = row.indicator_code
    level = float(checked_level(framework, code, row.requested_level if new_level is None else new_level))
    before = score_rows(session, row.assessment_id)[code].final_level
    if level == before:
        raise WorkflowError("ew.new_level_is_current", code=code)
    write_scores(
        session,
        actor=actor,
        assessment_id=row.assessment_id,
        versions={code: score_versions(session, row.assessment_id).get(code, 0)},
        changes={code: {"final_level": level}},
        action="uphold_objection",
        change_set=change_set,
    )
    snapshot = final_snapshot(framework, score_rows(session, row.assessment_id), period)
    record_change(
        session,
        assessment,
        "final_snapshot",
        snapshot,
        actor=actor,
        action="uphold_objection",
        entity="assessment",
        change_set=change_set,
    )
    row.level_before, row.level_after = before, level
