"""The agency side: open the period's assessment, save levels and justifications (drafts), submit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Any

from sqlmodel import Session, select

from evaluation.models import Agency, Assessment, Period, utcnow
from evaluation.scoring import ScoringInputError, check_levels
from evaluation.services.actors import Actor, PermissionDenied, require_agency_access
from evaluation.services.assessment_lock import lock_for_scores
from evaluation.services.assessment_state import (
    IncompleteAssessment,
    WorkflowError,
    bump_version,
    load_assessment,
    move_status,
    require_agency_editor,
    score_rows,
)
from evaluation.services.audit_fields import record_created
from evaluation.services.delegation import require_indicators_editable
from evaluation.services.notifications import notify
from evaluation.services.period_schedule import require_self_assessment_open
from evaluation.services.reviewers import reviewers_of
from evaluation.services.score_versions import Entries, Versions, write_scores
from evaluation.translatable import Message
from evaluation.workflow import AGENCY_EDITABLE, AGENCY_ROLES, AssessmentStatus, Role
from indicators.schema import Framework, Indicator

EDITABLE = AGENCY_EDITABLE  # draft, returned (evaluation/workflow.py)
FIELDS = (
    "level",
    "justification",
    "not_applicable",
    "national_index_value",
    "national_index_source",
    "national_index_read_on",
)
MAX_JUSTIFICATION = 10_000


def find_assessment(session: Session, *, actor: Actor, agency_id: int, period_id: int) -> int | None:
    require_agency_access(actor, agency_id)
    return session.exec(
        select(Assessment.id).where(Assessment.agency_id == agency_id, Assessment.period_id == period_id)
    ).first()


def open_assessment(
    session: Session, *, actor: Actor, agency_id: int, period_id: int, change_set: str | None = None
) -> int:
    """The agency's assessment for the period, created as a draft on first opening by the agency."""
    require_agency_access(actor, agency_id)
    existing = session.exec(
        select(Assessment).where(Assessment.agency_id == agency_id, Assessment.period_id == period_id)
    ).first()
    if existing is not None:
        return existing.id or 0
    if actor.role not in AGENCY_ROLES:
        raise PermissionDenied("ew.assessment_not_opened")
    period = session.get(Period, period_id)
    if period is None or period.status != "open":
        raise WorkflowError("ew.period_not_open")
    agency = session.get(Agency, agency_id)
    if agency is None or not agency.active:  # an inactive agency keeps its history, starts nothing new
        raise WorkflowError("ew.agency_inactive")
    assessment = Assessment(
        agency_id=agency_id, period_id=period_id, framework_version_id=period.framework_version_id
    )
    new = {"agency_id": agency_id, "period_id": period_id}
    session.add(assessment)
    return record_created(
        session, assessment, actor=actor, action="open", entity="assessment", new=new, change_set=change_set
    )


def _clean_entry(framework: Framework, indicator: Indicator, entry: Mapping[str, Any]) -> dict[str, Any]:
    """Validate one indicator's changes; raises WorkflowError naming the indicator and the field."""
    unknown = set(entry) - set(FIELDS)
    if unknown:
        raise WorkflowError("ew.unknown_fields_of", code=indicator.code, fields=sorted(unknown))
    clean: dict[str, Any] = {}
    if "level" in entry:
        try:
            checked = check_levels(framework, {indicator.code: entry["level"]})[indicator.code]
        except ScoringInputError as exc:
            raise WorkflowError(
                "pr.sc_code_problem", code=indicator.code, problem=exc.problems[indicator.code]
            ) from None
        clean["self_level"] = None if checked is None else float(checked)
    if "justification" in entry:
        text = (entry["justification"] or "").strip()
        WorkflowError.check_text(
            text, Message("ew.label_justification_of", code=indicator.code), MAX_JUSTIFICATION, multiline=True
        )
        if len(text) > MAX_JUSTIFICATION:
            raise WorkflowError("ew.justification_too_long", code=indicator.code, limit=MAX_JUSTIFICATION)
        clean["justification"] = text or None
    if "not_applicable" in entry:
        value = bool(entry["not_applicable"])
        if value and not framework.not_applicable.allowed:
            raise WorkflowError("ew.no_not_applicable", code=indicator.code)
        clean["not_applicable"] = value
    clean.update(_national_index(indicator, entry))
    return clean


def _national_index(indicator: Indicator, entry: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("national_index_value", "national_index_source", "national_index_read_on")
    if not any(k in entry for k in keys):
        return {}
    index = indicator.national_index
    if index is None:
        raise WorkflowError("ew.not_national_index", code=indicator.code)
    clean: dict[str, Any] = {}
    if "national_index_value" in entry:
        raw = entry["national_index_value"]
        if raw is None:
            clean.update(national_index_value=None, proposed_level=None)
        else:
            value = Fraction(str(raw))
            low = index.min if index.min is not None else Fraction(0)
            high = index.max if index.max is not None else Fraction(10**6)
            if not low <= value <= high:
                span = f"{float(low):g}-{float(high):g}"
                raise WorkflowError(
                    "ew.value_outside", code=indicator.code, name=index.name, raw=raw, span=span
                )
            clean.update(national_index_value=float(value), proposed_level=index.proposed_level(value))
    if "national_index_source" in entry:
        source = (entry["national_index_source"] or "").strip()[:120]
        WorkflowError.check_text(source, Message("ew.label_source_of", code=indicator.code), 120)
        clean["national_index_source"] = source or None
    if "national_index_read_on" in entry:
        read_on = entry["national_index_read_on"]
        if read_on is not None and (not isinstance(read_on, date) or read_on > date.today()):
            raise WorkflowError("ew.date_read_not_valid", code=indicator.code)
        clean["national_index_read_on"] = read_on
    return clean


def save_self_assessment(
    session: Session, *, actor: Actor, assessment_id: int, versions: Versions, entries: Entries
) -> dict[str, int]:
    """Save the agency's entries ({code: {field: value}}, only the fields given change) on the score
    versions this user read (`versions`: {code: version}, 0 for an indicator without a score yet).

    Returns {code: version now} for the codes of `entries`. Raises PermissionDenied, WorkflowError (a
    bad value, or the assessment's status no longer allows saving) and ScoreConflict (someone saved one
    of these scores since: nothing is written, the exception carries what is stored now, who, when)."""
    assessment, framework = lock_for_scores(session, assessment_id)
    require_indicators_editable(session, actor, assessment, entries)  # issue 13: delegation
    if assessment.status not in EDITABLE:
        raise WorkflowError("ew.assessment_locked")
    cleaned = {}
    for code, entry in entries.items():
        indicator = framework.indicator_by_code.get(code)
        if indicator is None:
            raise WorkflowError("ew.unknown_indicator", code=code)
        cleaned[code] = _clean_entry(framework, indicator, entry)
    return write_scores(
        session,
        actor=actor,
        assessment_id=assessment_id,
        versions=versions,
        changes=cleaned,
        action="save_self",
    )


def missing_for_submission(
    session: Session, assessment: Assessment, framework: Framework
) -> list[tuple[str, Message]]:
    """(indicator code, what is missing) of every applicable indicator without a level or a justification."""
    rows = score_rows(session, assessment.id or 0)
    missing: list[tuple[str, Message]] = []
    for indicator in framework.indicators:
        row = rows.get(indicator.code)
        if row is not None and row.not_applicable:
            continue
        if row is None or row.self_level is None:
            missing.append((indicator.code, Message("ew.missing_level")))
        if row is None or not (row.justification or "").strip():
            missing.append((indicator.code, Message("ew.missing_justification")))
    return missing


def submit(session: Session, *, actor: Actor, assessment_id: int, expected_version: int) -> int:
    """The coordinator signs off a complete assessment; after that only a reviewer's return reopens it."""
    assessment, period, framework = load_assessment(session, assessment_id)
    require_agency_editor(actor, assessment)
    if actor.role != Role.COORDINATOR:
        raise PermissionDenied("ew.perm_coordinator_submits")
    if assessment.status not in EDITABLE:
        raise WorkflowError("ew.assessment_not_draft")
    if assessment.status == AssessmentStatus.DRAFT:  # the first one; a returned one answers the reviewer
        require_self_assessment_open(period)
    version = bump_version(session, assessment, expected_version)  # first: running score saves end
    missing = missing_for_submission(session, assessment, framework)
    if missing:
        raise IncompleteAssessment(missing)
    move_status(session, assessment, actor=actor, action="submit", status=AssessmentStatus.SUBMITTED)
    assessment.stage = None
    assessment.submitted_at = utcnow()
    _notify_reviewers(session, assessment, period)
    return version


def _notify_reviewers(session: Session, assessment: Assessment, period: Period) -> None:
    """The reviewers assigned to the agency for the period learn that it submitted (kind "submitted")."""
    agency = session.get(Agency, assessment.agency_id)
    notify(
        session,
        user_ids=[uid for uid, _role in reviewers_of(session, period.id or 0, assessment.agency_id)],
        kind="submitted",
        params={"agency": agency.name if agency else "", "year": period.year},
        assessment_id=assessment.id,
    )
