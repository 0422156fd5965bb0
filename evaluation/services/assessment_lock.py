"""The first read of every score save: the assessment locked FOR SHARE (PostgreSQL; SQLite's write
transactions run one at a time already) with its framework and its period's status, in one query. The lock
order of a save is in `score_versions`."""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from evaluation.models import Assessment, FrameworkVersion, Period
from evaluation.services.frameworks import load_framework_version
from evaluation.services.periods import remember_open
from evaluation.translatable import NotFound
from indicators.schema import Framework

_frameworks: dict[str, Framework] = {}  # parsed frameworks by content hash (a version's text never changes)


_LOCK_ASSESSMENT = (  # built once: a save's statements are the cost of a burst of saves
    select(Assessment, FrameworkVersion.content_hash, Period.status)
    .join(FrameworkVersion, col(FrameworkVersion.id) == col(Assessment.framework_version_id))
    .join(Period, col(Period.id) == col(Assessment.period_id))
    .where(col(Assessment.id) == bindparam("aid"))
    .with_for_update(read=True, of=Assessment)
    .execution_options(populate_existing=True)
)


def lock_assessment(session: Session, assessment_id: int) -> tuple[Assessment, Framework]:
    """The assessment and its framework, the assessment re-read with a shared row lock (PostgreSQL FOR
    SHARE) held to the end of the transaction: concurrent score saves share it, a status change (an
    UPDATE) waits for them, and a save that waited reads the new status. One query while the framework
    is parsed already; it reads the period's status too, so the audit's closed-period check of this
    transaction does not ask again (`periods.remember_open`). Raises LookupError for an unknown id."""
    found = session.exec(_LOCK_ASSESSMENT, params={"aid": assessment_id}).first()
    if found is None:
        raise NotFound("ew.assessment_does_not_exist", assessment_id=str(assessment_id))
    assessment, content_hash, period_status = found
    remember_open(session, assessment_id, period_status)
    framework = _frameworks.get(content_hash)
    if framework is None:
        framework = load_framework_version(session, assessment.framework_version_id)
        _frameworks[content_hash] = framework
    return assessment, framework
