"""Reads of objections (keberatan, issue 12): the window a period gives, the objections of one assessment,
the lead reviewers' queue, and the index an upheld objection would publish (computed, never written).

The writes are in `evaluation.services.objections`, which re-exports these reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import ColumnElement
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from evaluation.i18n import fmt_date, fmt_number, t
from evaluation.models import Agency, Assessment, Evidence, IndicatorScore, Objection, Period, User
from evaluation.scoring import ScoreResult, ScoringInputError, check_levels, score_levels
from evaluation.services.actors import Actor, PermissionDenied, require_agency_access, require_role
from evaluation.services.assessment_state import (
    WorkflowError,
    load_assessment,
    score_rows,
)
from evaluation.services.reviewers import lead_reviewer_id
from evaluation.translatable import Message, NotFound
from evaluation.workflow import Role
from indicators.schema import Framework

OBJECTION_STATUSES = ("pending", "upheld", "rejected")


@dataclass(frozen=True)
class ObjectionWindow:
    """When objections may be filed: from the day of finalization (`opens_on`, None when the assessment
    carries no finalization time) up to and including `closes_on` (the period's `objections_close_on`;
    None = the ministry has not set a window yet, so nothing can be filed)."""

    opens_on: date | None
    closes_on: date | None

    def is_open(self, today: date) -> bool:
        if self.closes_on is None:
            return False
        return (self.opens_on is None or self.opens_on <= today) and today <= self.closes_on

    def days_left(self, today: date) -> int | None:
        """Days from `today` to the closing day, that day included (1 on the last day); None when no
        window is set, 0 once it has closed."""
        if self.closes_on is None:
            return None
        return max((self.closes_on - today).days + 1, 0)

    def require_open(self, today: date) -> None:
        """Raise WorkflowError saying why nothing can be filed on `today` (no window set, or closed)."""
        if self.closes_on is None:
            raise WorkflowError("ew.objection_window_unset")
        if not self.is_open(today):
            raise WorkflowError("ew.objection_window_closed", closed=self.closes_on)


def objection_window(period: Period, finalized_at: datetime | None) -> ObjectionWindow:
    """The objection window of an assessment finalized at `finalized_at` (UTC) in `period`."""
    return ObjectionWindow(finalized_at.date() if finalized_at else None, period.objections_close_on)


@dataclass(frozen=True)
class ObjectionView:
    """One objection as the pages and the report show it. `current_level`: the indicator's final level
    now; `lead_reviewer_id`: who may decide it (None = no lead assigned yet)."""

    id: int
    assessment_id: int
    agency_id: int
    agency_name: str
    period_id: int
    year: int
    indicator_code: str
    reason: str
    requested_level: float | None
    evidence_id: int | None
    evidence_kind: str | None
    evidence_name: str | None
    evidence_url: str | None
    status: str
    filed_by: str | None
    filed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    level_before: float | None
    level_after: float | None
    current_level: float | None
    lead_reviewer_id: int | None


def _views(session: Session, *conditions: ColumnElement[bool]) -> list[ObjectionView]:
    filer, decider = aliased(User), aliased(User)
    rows = session.execute(
        sa_select(
            Objection, Assessment, Agency, Period, Evidence, col(filer.full_name), col(decider.full_name)
        )
        .join(Assessment, col(Assessment.id) == col(Objection.assessment_id))
        .join(Agency, col(Agency.id) == col(Assessment.agency_id))
        .join(Period, col(Period.id) == col(Assessment.period_id))
        .join(Evidence, col(Evidence.id) == col(Objection.evidence_id), isouter=True)
        .join(filer, col(filer.id) == col(Objection.filed_by), isouter=True)
        .join(decider, col(decider.id) == col(Objection.decided_by), isouter=True)
        .where(*conditions)
        .order_by(col(Objection.filed_at), col(Objection.id))
    ).all()
    levels = {
        (aid, code): level
        for aid, code, level in session.exec(
            select(
                IndicatorScore.assessment_id, IndicatorScore.indicator_code, IndicatorScore.final_level
            ).where(col(IndicatorScore.assessment_id).in_({a.id for _o, a, *_ in rows}))
        ).all()
    }
    leads: dict[tuple[int, int], int | None] = {}
    views = []
    for objection, assessment, agency, period, evidence, filed_by, decided_by in rows:
        key = (assessment.period_id, assessment.agency_id)
        if key not in leads:
            leads[key] = lead_reviewer_id(session, *key)
        views.append(
            ObjectionView(
                id=objection.id or 0,
                assessment_id=assessment.id or 0,
                agency_id=agency.id or 0,
                agency_name=agency.name,
                period_id=period.id or 0,
                year=period.year,
                indicator_code=objection.indicator_code,
                reason=objection.reason,
                requested_level=objection.requested_level,
                evidence_id=objection.evidence_id,
                evidence_kind=evidence.kind if evidence else None,
                evidence_name=evidence.filename if evidence else None,
                evidence_url=evidence.url if evidence else None,
                status=objection.status,
                filed_by=filed_by,
                filed_at=objection.filed_at,
                decided_by=decided_by,
                decided_at=objection.decided_at,
                decision_reason=objection.decision_reason,
                level_before=objection.level_before,
                level_after=objection.level_after,
                current_level=levels.get((assessment.id, objection.indicator_code)),
                lead_reviewer_id=leads[key],
            )
        )
    return views


def objections_of(session: Session, *, actor: Actor, assessment_id: int) -> list[ObjectionView]:
    """Every objection of one assessment, oldest first: for its agency's users and the ministry.
    Raises LookupError (no such assessment) and PermissionDenied (another agency's)."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound("ew.assessment_does_not_exist", assessment_id=str(assessment_id))
    require_agency_access(actor, assessment.agency_id)
    return _views(session, col(Objection.assessment_id) == assessment_id)


def window_of(session: Session, *, actor: Actor, assessment_id: int) -> ObjectionWindow:
    """The objection window of one assessment (`objection_window` of its period and finalization);
    permissions and errors as `objections_of`."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound("ew.assessment_does_not_exist", assessment_id=str(assessment_id))
    require_agency_access(actor, assessment.agency_id)
    period = session.get(Period, assessment.period_id)
    assert period is not None
    return objection_window(period, assessment.finalized_at)


def objection_queue(
    session: Session, *, actor: Actor, statuses: tuple[str, ...] = ("pending",)
) -> list[ObjectionView]:
    """The objections in `statuses` for the ministry (reviewers and admins): those the actor leads first,
    then the others, each group oldest first. Raises PermissionDenied for agency roles."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    views = _views(session, col(Objection.status).in_(statuses))
    return sorted(views, key=lambda v: v.lead_reviewer_id != actor.user_id)


@dataclass(frozen=True)
class DecisionPreview:
    """The published result now and the one upholding the objection at `new_level` would give."""

    level_before: float | None
    level_after: float
    before: ScoreResult
    after: ScoreResult


def decision_preview(
    session: Session, *, actor: Actor, objection_id: int, new_level: float | None = None
) -> DecisionPreview:
    """What upholding would publish, computed from the stored final levels with this one replaced
    (`new_level`, default the requested level); nothing is written. For the ministry. Raises
    PermissionDenied, LookupError and WorkflowError (no level to apply, or outside the framework's scale)."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    row = session.get(Objection, objection_id)
    if row is None:
        raise NotFound("ew.objection_does_not_exist", objection_id=str(objection_id))
    _assessment, period, framework = load_assessment(session, row.assessment_id)
    level = checked_level(
        framework, row.indicator_code, row.requested_level if new_level is None else new_level
    )
    rows = score_rows(session, row.assessment_id)
    na = [code for code, score in rows.items() if score.not_applicable]
    levels: dict[str, float | Fraction | None] = {
        code: score.final_level for code, score in rows.items() if not score.not_applicable
    }
    rounding = period.predicate_rounding
    before = score_levels(framework, levels, not_applicable=na, rounding=rounding)  # type: ignore[arg-type]
    levels[row.indicator_code] = level
    after = score_levels(framework, levels, not_applicable=na, rounding=rounding)  # type: ignore[arg-type]
    current = rows[row.indicator_code].final_level if row.indicator_code in rows else None
    return DecisionPreview(current, float(level), before, after)


def checked_level(framework: Framework, code: str, level: float | None) -> Fraction | int:
    """`level` validated against the framework's scale for `code` (exact: int or Fraction). Raises
    WorkflowError when it is None or not allowed there."""
    if level is None:
        raise WorkflowError("ew.state_new_level", code=code)
    try:
        value = check_levels(framework, {code: level})[code]
    except ScoringInputError as exc:
        raise WorkflowError("pr.sc_code_problem", code=code, problem=exc.problems[code]) from None
    assert value is not None
    return value


def require_lead(session: Session, actor: Actor, assessment: Assessment) -> None:
    """Only the lead reviewer of the assessment's agency and period decides its objections (PermissionDenied
    otherwise, also while no lead is assigned)."""
    lead = lead_reviewer_id(session, assessment.period_id, assessment.agency_id)
    if actor.role != Role.REVIEWER or lead is None or actor.user_id != lead:
        raise PermissionDenied("ew.perm_lead_decides_no_lead" if lead is None else "ew.perm_lead_decides")


def _level_text(value: float | None, lang: str) -> str:
    if value is None:
        return "-"
    return fmt_number(value, lang, 0 if float(value).is_integer() else 2)


def changed_lines(objections: list[ObjectionView], lang: str) -> list[str]:
    """One sentence per upheld objection, as the assessment page and the agency report show it: the
    indicator, its final level before and after, and the day it was decided."""
    return [
        t(
            "ob.changed",
            lang,
            code=o.indicator_code,
            before=_level_text(o.level_before, lang),
            after=_level_text(o.level_after, lang),
            date=fmt_date(o.decided_at.date(), lang) if o.decided_at else "-",
        )
        for o in objections
        if o.status == "upheld"
    ]


MAX_REASON = 5_000


def required_text(text: str | None, label: Message) -> str:
    """A reason as stored (stripped): required, and within the text rules (WorkflowError otherwise)."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise WorkflowError("ew.required", label=label)
    WorkflowError.check_text(cleaned, label, MAX_REASON, multiline=True)
    return cleaned
