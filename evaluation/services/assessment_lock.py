"""The first read of every score save: the assessment locked FOR SHARE (PostgreSQL; SQLite's write
transactions run one at a time already) with its framework and its period's status, in one query. The lock
order of a save is in `score_versions`.

Two forms: `lock_assessment` gives the ORM row (for a save that changes the assessment too, such as an
upheld objection's snapshot); `lock_for_scores` gives a frozen copy of the few columns a score save reads,
without the ORM's loading, for the two saves people make all day (the form's self save and the reviewer's
save): on SQLite they run one at a time while holding the writer's turn (issue 17)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from evaluation.models import Assessment, FrameworkVersion, Period
from evaluation.services.frameworks import load_framework_version
from evaluation.services.periods import remember_open
from evaluation.translatable import NotFound
from indicators.schema import Framework

_frameworks: dict[str, Framework] = {}  # parsed frameworks by content hash (a version's text never changes)


@dataclass(frozen=True, slots=True)
class LockedAssessment:
    """What a score save reads of its assessment, as it was when locked: ids, status (draft, returned,
    submitted, in_review, final), review stage (None outside review) and whether every operator may edit
    every indicator (issue 13)."""

    id: int
    agency_id: int
    period_id: int
    framework_version_id: int
    status: str
    stage: str | None
    operators_edit_all: bool


_LOCK_ASSESSMENT = (  # built once: a save's statements are the cost of a burst of saves
    select(Assessment, FrameworkVersion.content_hash, Period.status)
    .join(FrameworkVersion, col(FrameworkVersion.id) == col(Assessment.framework_version_id))
    .join(Period, col(Period.id) == col(Assessment.period_id))
    .where(col(Assessment.id) == bindparam("aid"))
    .with_for_update(read=True, of=Assessment)
    .execution_options(populate_existing=True)
)
_ASSESSMENTS = Assessment.__table__  # type: ignore[attr-defined]
_LOCK_FOR_SCORES = (
    sa_select(
        *(_ASSESSMENTS.c[name] for name in LockedAssessment.__dataclass_fields__),
        FrameworkVersion.__table__.c.content_hash,  # type: ignore[attr-defined]
        Period.__table__.c.status.label("period_status"),  # type: ignore[attr-defined]
    )
    .join_from(
        _ASSESSMENTS,
        FrameworkVersion.__table__,  # type: ignore[attr-defined]
        FrameworkVersion.__table__.c.id == _ASSESSMENTS.c.framework_version_id,  # type: ignore[attr-defined]
    )
    .join(Period.__table__, Period.__table__.c.id == _ASSESSMENTS.c.period_id)  # type: ignore[attr-defined]
    .where(_ASSESSMENTS.c.id == bindparam("aid"))
    .with_for_update(read=True, of=_ASSESSMENTS)
)


def lock_assessment(session: Session, assessment_id: int) -> tuple[Assessment, Framework]:
    """The assessment and its framework, the assessment re-read with a shared row lock (PostgreSQL FOR
    SHARE) held to the end of the transaction: concurrent score saves share it, a status change (an
    UPDATE) waits for them, and a save that waited reads the new status. One query while the framework
    is parsed already; it reads the period's status too, so the audit's closed-period check of this
    transaction does not ask again (`periods.remember_open`). Raises NotFound for an unknown id."""
    found = session.exec(_LOCK_ASSESSMENT, params={"aid": assessment_id}).first()
    if found is None:
        raise NotFound("ew.assessment_does_not_exist", assessment_id=str(assessment_id))
    assessment, content_hash, period_status = found
    remember_open(session, assessment_id, period_status)
    return assessment, _framework(session, content_hash, assessment.framework_version_id)


def lock_for_scores(session: Session, assessment_id: int) -> tuple[LockedAssessment, Framework]:
    """`lock_assessment` for a save that changes scores only: the same lock and the same query, read as
    a frozen `LockedAssessment` instead of the ORM row (a third of a save's time went on the ORM's
    loading). Raises NotFound for an unknown id."""
    found = session.connection().execute(_LOCK_FOR_SCORES, {"aid": assessment_id}).first()
    if found is None:
        raise NotFound("ew.assessment_does_not_exist", assessment_id=str(assessment_id))
    *values, content_hash, period_status = found
    assessment = LockedAssessment(*values)
    remember_open(session, assessment_id, period_status)
    return assessment, _framework(session, content_hash, assessment.framework_version_id)


def _framework(session: Session, content_hash: str, version_id: int) -> Framework:
    framework = _frameworks.get(content_hash)
    if framework is None:
        framework = _frameworks[content_hash] = load_framework_version(session, version_id)
    return framework
