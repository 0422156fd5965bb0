"""What every assessment use case shares: the stages, loading with permission checks, the optimistic
version bump of status changes, status moves and score changes with their audit entries (per-score
versions are in `score_versions`). The read model a page shows is
in `assessment_view`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, TypeVar

from sqlalchemy import select as sa_select
from sqlalchemy import update
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from evaluation.i18n import tn
from evaluation.models import (
    Assessment,
    FrameworkVersion,
    IndicatorScore,
    Period,
    utcnow,
)
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.frameworks import framework_of
from evaluation.services.text_rules import check_text
from evaluation.translatable import Message, NotFound, Translatable, render_value
from evaluation.workflow import AGENCY_ROLES, Role
from indicators.schema import Framework

STAGES_BY_TYPE = {
    "pemantauan": ("document",),
    "evaluasi": ("document", "interview", "visit"),
    "pemdi": ("document", "interview", "visit"),
}
REQUIRED_STAGES = {
    "pemantauan": ("document",),
    "evaluasi": ("document", "interview"),
    "pemdi": ("document", "interview"),
}


def stages_of(period: Period) -> tuple[str, ...]:
    """The review stages of a period in order: its evaluation type's (STAGES_BY_TYPE)."""
    return STAGES_BY_TYPE.get(period.evaluation_type, ("document",))


def required_stages_of(period: Period) -> tuple[str, ...]:
    """The stages a period requires before finalizing, in order: the ones its admin chose when opening it
    (`period.required_stages`, comma-separated), else its evaluation type's default (REQUIRED_STAGES)."""
    if period.required_stages:
        chosen = tuple(s.strip() for s in period.required_stages.split(",") if s.strip())
        order = stages_of(period)
        return tuple(s for s in order if s in chosen) or ("document",)
    return REQUIRED_STAGES.get(period.evaluation_type, ("document",))


class WorkflowError(Translatable, ValueError):
    """An action that the assessment's state does not allow; the message says why (id / en)."""

    @classmethod
    def check_text(
        cls, value: str | None, label: Message, max_length: int, *, multiline: bool = False
    ) -> None:
        """Raise this error with the located reason when a text typed into the workflow (a note, a finding, a
        file name; `label` names it) may not be stored: text_rules.check_text's rule, at most `max_length`
        characters, over several lines only when `multiline`."""
        check_text(value, label, max_length=max_length, multiline=multiline, error=cls)


class StaleAssessment(WorkflowError):
    """Someone saved the assessment after this user read it: the save is refused, never merged silently."""


class IncompleteAssessment(WorkflowError):
    """What keeps an assessment from moving on: `missing` lists (indicator code, what is missing as a
    Message such as Message("ew.missing_level")); the text names the count and the first 15 in the
    reader's language."""

    SHOWN = 15

    def __init__(self, missing: list[tuple[str, Message]]):
        self.missing = missing
        listed = [Message("ew.missing_item", code=code, what=what) for code, what in missing[: self.SHOWN]]
        more = Message("ew.missing_more", n=len(missing) - self.SHOWN) if len(missing) > self.SHOWN else ""
        super().__init__("ew.incomplete", n=len(missing), items=listed, more=more)

    def message(self, lang: str) -> str:
        """The plural form for the count (Indonesian has one, English two), the list in `lang`."""
        params = self.text.params
        return tn(
            "ew.incomplete",
            params["n"],
            lang,
            items=render_value(params["items"], lang),
            more=render_value(params["more"], lang),
        )

    def __str__(self) -> str:
        return f"{self.message('id')} / {self.message('en')}"


def assessment_agency(session: Session, assessment_id: int) -> int:
    """The id of the agency whose assessment this is: one column, for the reads that only check access
    (a page run makes several; issue 17). Raises NotFound for no such assessment."""
    query = sa_select(col(Assessment.agency_id)).where(col(Assessment.id) == assessment_id)
    row = session.connection().execute(query).first()
    if row is None:
        raise NotFound("ew.assessment_does_not_exist", assessment_id=str(assessment_id))
    return int(row[0])


def load_assessment(session: Session, assessment_id: int) -> tuple[Assessment, Period, Framework]:
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound("ew.assessment_does_not_exist", assessment_id=str(assessment_id))
    period = session.get(Period, assessment.period_id)
    # the framework file's text loads only when it is not parsed yet (framework_of caches by hash)
    version = session.get(
        FrameworkVersion,
        assessment.framework_version_id,
        options=[defer(FrameworkVersion.content)],  # type: ignore[arg-type]
    )
    assert period is not None and version is not None
    return assessment, period, framework_of(version)


class _OfAgency(Protocol):
    @property
    def agency_id(self) -> int | None: ...


_Row = TypeVar("_Row", bound=_OfAgency)


def agency_row(session: Session, model: type[_Row], row_id: int, agency_id: int | None, error: str) -> _Row:
    """The `model` row with id `row_id` when it belongs to agency `agency_id` (a unit, a person, a document
    named in a form); WorkflowError(`error`) when there is no such row or it is another agency's."""
    row = session.get(model, row_id)
    if row is None or row.agency_id != agency_id:
        raise WorkflowError(error)
    return row


class AgencyAssessment(Protocol):
    """What the agency's permission checks read of an assessment: the ORM row or a score save's frozen
    copy (`assessment_lock.LockedAssessment`)."""

    @property
    def id(self) -> int | None: ...

    @property
    def agency_id(self) -> int: ...

    @property
    def operators_edit_all(self) -> bool: ...


def require_agency_editor(actor: Actor, assessment: AgencyAssessment) -> None:
    if actor.role not in AGENCY_ROLES or actor.agency_id != assessment.agency_id:
        raise PermissionDenied("ew.perm_agency_fills")


def require_reviewer(actor: Actor) -> None:
    if actor.role != Role.REVIEWER:
        raise PermissionDenied("ew.perm_reviewers_verify")


def bump_version(session: Session, assessment: Assessment, expected_version: int) -> int:
    """Claim the assessment for a status change: version+1 only if nobody changed its status since
    `expected_version` (score saves have their own versions: `score_versions`). On PostgreSQL the UPDATE
    waits for running score saves (they hold the row FOR SHARE). Raises StaleAssessment."""
    result = session.execute(
        update(Assessment)
        .where(col(Assessment.id) == assessment.id, col(Assessment.version) == expected_version)
        .values(version=expected_version + 1, updated_at=utcnow())
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleAssessment("ew.stale_assessment")
    session.refresh(assessment)
    return expected_version + 1


def move_status(
    session: Session,
    assessment: Assessment,
    *,
    actor: Actor,
    action: str,
    status: str,
    logged: Any = None,
) -> None:
    """Move the assessment to `status`, recorded in the audit log as one change (`logged` replaces the new
    status in the log, e.g. the finalized result's snapshot). The caller has checked the permission."""
    from evaluation.services.audit_fields import record_on_assessment

    new = status if logged is None else logged
    record_on_assessment(
        session, assessment.id, "status", actor=actor, action=action, old=assessment.status, new=new
    )
    assessment.status = status
    session.add(assessment)


def set_score_fields(
    session: Session,
    *,
    actor: Actor,
    change_set: str,
    action: str,
    assessment_id: int,
    row: IndicatorScore,
    changes: Mapping[str, Any],
) -> dict[str, Any]:
    """Set the fields that really change on one score, each recorded in the audit log; returns them.
    A change also stamps the row with the actor and the time and, for a stored row, raises its version by
    one (the row must be current: locked by `score_versions.write_scores` or `claim_scores`)."""
    from evaluation.services.audit_fields import record_changes

    changed = record_changes(
        session,
        row,
        changes,
        actor=actor,
        action=action,
        entity="assessment",
        entity_id=assessment_id,
        change_set=change_set,
        prefix=f"{row.indicator_code}.",
    )
    if changed:
        row.updated_at = utcnow()
        row.updated_by = actor.user_id
        if row.id is not None:  # a new row starts at version 1
            row.version = (row.version or 0) + 1
    session.add(row)
    return changed


def score_rows(session: Session, assessment_id: int) -> dict[str, IndicatorScore]:
    rows = session.exec(select(IndicatorScore).where(IndicatorScore.assessment_id == assessment_id))
    return {row.indicator_code: row for row in rows}
