"""The ministry side: the queue, verification per indicator through the stages, return, finalize."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from evaluation.models import Agency, Assessment, IndicatorScore, Period, ReviewNote, utcnow
from evaluation.scoring import ScoringInputError, check_levels, score_levels
from evaluation.services.actors import Actor, require_role
from evaluation.services.assessment_lock import lock_for_scores
from evaluation.services.assessment_state import (
    IncompleteAssessment,
    WorkflowError,
    bump_version,
    load_assessment,
    move_status,
    require_reviewer,
    required_stages_of,
    score_rows,
    stages_of,
)
from evaluation.services.audit_fields import record_change, record_on_assessment
from evaluation.services.notifications import notify_agency
from evaluation.services.score_versions import Entries, Versions, write_scores
from evaluation.services.stage_rules import missing_stage_message, skipped_required, unknown_stage_message
from evaluation.services.threads import open_questions
from evaluation.translatable import Message
from evaluation.workflow import AssessmentStatus, Role
from indicators.schema import Framework

MAX_NOTE = 5_000


@dataclass(frozen=True)
class QueueItem:
    assessment_id: int
    agency_code: str
    agency_name: str
    category: str
    year: int
    status: str
    stage: str | None
    submitted_at: datetime | None
    age_days: int | None


def review_queue(
    session: Session,
    *,
    actor: Actor,
    statuses: tuple[str, ...] = (AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW),
) -> list[QueueItem]:
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    now = utcnow()
    rows = session.exec(
        select(Assessment, Agency, Period)
        .join(Agency, col(Agency.id) == col(Assessment.agency_id))
        .join(Period, col(Period.id) == col(Assessment.period_id))
        .where(col(Assessment.status).in_(statuses))
        .order_by(col(Assessment.submitted_at))
    )
    items = []
    for assessment, agency, period in rows:
        submitted = assessment.submitted_at
        if submitted is not None and submitted.tzinfo is None:
            submitted = submitted.replace(tzinfo=UTC)
        items.append(
            QueueItem(
                assessment.id or 0,
                agency.code,
                agency.name,
                agency.category,
                period.year,
                assessment.status,
                assessment.stage,
                submitted,
                (now - submitted).days if submitted else None,
            )
        )
    return items


def _in_review(session: Session, actor: Actor, assessment_id: int) -> tuple[Assessment, Period, Any]:
    require_reviewer(actor)
    assessment, period, framework = load_assessment(session, assessment_id)
    if assessment.status != AssessmentStatus.IN_REVIEW:
        raise WorkflowError("ew.assessment_not_in_review")
    return assessment, period, framework


def start_review(session: Session, *, actor: Actor, assessment_id: int, expected_version: int) -> int:
    require_reviewer(actor)
    assessment, _period, _framework = load_assessment(session, assessment_id)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise WorkflowError("ew.only_submitted_reviewed")
    version = bump_version(session, assessment, expected_version)
    move_status(session, assessment, actor=actor, action="start_review", status=AssessmentStatus.IN_REVIEW)
    assessment.stage = "document"
    return version


def save_review(
    session: Session, *, actor: Actor, assessment_id: int, versions: Versions, entries: Entries
) -> dict[str, int]:
    """Final levels and notes per indicator ({code: {"final_level": .., "note": ..}}); self levels are never
    touched. `versions`: the score version this reviewer read per code (0 = no score yet).

    Returns {code: version now}. Raises PermissionDenied, WorkflowError (a bad value, or the assessment is
    not in review) and ScoreConflict (someone saved one of these scores since; nothing is written)."""
    require_reviewer(actor)
    assessment, framework = lock_for_scores(session, assessment_id)
    if assessment.status != AssessmentStatus.IN_REVIEW:
        raise WorkflowError("ew.assessment_not_in_review")
    cleaned: dict[str, dict[str, Any]] = {}
    for code, entry in entries.items():
        if code not in framework.indicator_by_code:
            raise WorkflowError("ew.unknown_indicator", code=code)
        unknown = set(entry) - {"final_level", "note"}
        if unknown:
            raise WorkflowError("ew.unknown_fields_of", code=code, fields=sorted(unknown))
        clean: dict[str, Any] = {}
        if "final_level" in entry:
            try:
                level = check_levels(framework, {code: entry["final_level"]})[code]
            except ScoringInputError as exc:
                raise WorkflowError("pr.sc_code_problem", code=code, problem=exc.problems[code]) from None
            clean["final_level"] = None if level is None else float(level)
        if "note" in entry:
            note = (entry["note"] or "").strip()
            WorkflowError.check_text(note, Message("ew.label_note_of", code=code), MAX_NOTE, multiline=True)
            if len(note) > MAX_NOTE:
                raise WorkflowError("ew.note_too_long", code=code)
            clean["reviewer_note"] = note or None
        cleaned[code] = clean
    before = {code: row.reviewer_note for code, row in score_rows(session, assessment_id).items()}
    saved = write_scores(
        session,
        actor=actor,
        assessment_id=assessment_id,
        versions=versions,
        changes=cleaned,
        action="save_review",
    )
    for code, changes in cleaned.items():
        note = changes.get("reviewer_note")
        if note and note != before.get(code):
            session.add(
                ReviewNote(
                    assessment_id=assessment_id,
                    indicator_code=code,
                    stage=assessment.stage or "document",
                    text=note,
                    author_id=actor.user_id,
                )
            )
    return saved


def set_stage(
    session: Session, *, actor: Actor, assessment_id: int, expected_version: int, stage: str
) -> int:
    """Move an assessment in review to `stage` (back, or forward without jumping over a stage the period
    requires: `required_stages_of`). Returns the new version. Raises PermissionDenied, WorkflowError (a
    stage the period does not use, or a skipped required stage, named in both languages) and
    StaleAssessment."""
    assessment, period, _framework = _in_review(session, actor, assessment_id)
    allowed = stages_of(period)
    if stage not in allowed:
        raise WorkflowError(unknown_stage_message(stage, allowed))
    skipped = skipped_required(allowed, required_stages_of(period), assessment.stage or "document", stage)
    if skipped is not None:  # a required stage is walked, never jumped over
        raise WorkflowError(missing_stage_message(skipped, finalizing=False))
    version = bump_version(session, assessment, expected_version)
    record_change(session, assessment, "stage", stage, actor=actor, action="set_stage", entity="assessment")
    return version


def return_for_revision(
    session: Session, *, actor: Actor, assessment_id: int, expected_version: int, note: str
) -> int:
    assessment, _period, _framework = _in_review(session, actor, assessment_id)
    text = (note or "").strip()
    if not text:
        raise WorkflowError("ew.write_note_for_agency")
    WorkflowError.check_text(text, Message("ew.label_note"), MAX_NOTE, multiline=True)
    version = bump_version(session, assessment, expected_version)
    session.add(
        ReviewNote(
            assessment_id=assessment_id,
            stage=assessment.stage or "document",
            kind="return",
            text=text[:MAX_NOTE],
            author_id=actor.user_id,
        )
    )
    record_on_assessment(
        session, assessment_id, "return_note", actor=actor, action="return_note", new=text[:MAX_NOTE]
    )
    move_status(session, assessment, actor=actor, action="return", status=AssessmentStatus.RETURNED)
    notify_agency(session, assessment=assessment, kind="returned", roles=(Role.COORDINATOR, Role.OPERATOR))
    return version


def finalize(session: Session, *, actor: Actor, assessment_id: int, expected_version: int) -> int:
    """Publish the verified result: every indicator has a final level and the required stages are done."""
    assessment, period, framework = _in_review(session, actor, assessment_id)
    required = required_stages_of(period)
    order = stages_of(period)
    if order.index(assessment.stage or "document") < order.index(required[-1]):
        raise WorkflowError(missing_stage_message(required[-1], finalizing=True))
    version = bump_version(session, assessment, expected_version)  # first: running score saves end
    snapshot = final_snapshot(framework, score_rows(session, assessment_id), period)
    questions = open_questions(session, assessment_id)  # issue 13: a reviewer's question awaits an answer
    if questions:
        raise IncompleteAssessment([(code, Message("ew.missing_answer")) for code in sorted(questions)])
    move_status(
        session, assessment, actor=actor, action="finalize", status=AssessmentStatus.FINAL, logged=snapshot
    )
    assessment.stage = "final"
    assessment.finalized_at = utcnow()
    assessment.final_snapshot = snapshot
    notify_agency(session, assessment=assessment, kind="finalized", roles=(Role.COORDINATOR,))
    return version


def final_snapshot(
    framework: Framework, rows: Mapping[str, IndicatorScore], period: Period
) -> dict[str, Any]:
    """The published result as stored in `assessment.final_snapshot`: the final levels of `rows` ({code:
    score row}) scored with the period's rounding -> {"framework", "index", "index_display", "predicate",
    "rounding", "groups"}. Used by `finalize` and by an upheld objection (services/objections.py), so both
    build it the same way. Raises IncompleteAssessment when an applicable indicator has no final level."""
    na = [code for code, row in rows.items() if row.not_applicable]
    levels = {code: row.final_level for code, row in rows.items() if not row.not_applicable}
    result = score_levels(framework, levels, not_applicable=na, rounding=period.predicate_rounding)  # type: ignore[arg-type]
    if result.missing:
        raise IncompleteAssessment([(code, Message("ew.missing_final_level")) for code in result.missing])
    return {
        "framework": framework.key,
        "index": str(result.index),
        "index_display": result.index_display,
        "predicate": result.predicate.name if result.predicate else None,
        "rounding": result.rounding,
        "groups": {code: str(value) for code, value in result.groups.items()},
    }
