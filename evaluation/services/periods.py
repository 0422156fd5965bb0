"""Closing and reopening an evaluation period. A closed period is read-only for everyone until an admin
reopens it.

The check sits where every change of an assessment already passes: its audit entry. `audit.record` and
`audit.chain_rows` call `require_open_assessments` for entries on an assessment, so a self-assessment
save, a reviewer's save, a status move, an evidence change or an import into a closed period is refused
inside its transaction and nothing of it is written.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from evaluation.models import Assessment, Period
from evaluation.services.actors import Actor, require_role
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.audit_fields import record_change
from evaluation.translatable import InvalidInput, Message, NotFound
from evaluation.workflow import Role

PERIOD_STATUSES = ("open", "closed")
_CHECKED = "closed_period_checked"
# built once: every save of a score asks it (issue 17, SQLite saves under load)
_PERIODS_OF = (
    sa_select(col(Period.year), col(Period.status))
    .join(Assessment, col(Assessment.period_id) == col(Period.id))
    .where(col(Assessment.id).in_(bindparam("ids", expanding=True)))
)


class PeriodClosed(WorkflowError):
    """A write into an assessment of a closed period."""


def _closed_message(year: int | str) -> Message:
    return Message("ew.period_closed_read_only", year=str(year))


def require_open_assessments(session: Session, assessment_ids: Iterable[object]) -> None:
    """Raise PeriodClosed when any of these assessments (ids as int or str) belongs to a closed period.
    Remembered per transaction, so a save of many scores asks the database once per assessment."""
    seen = _checked(session)
    wanted = {int(str(i)) for i in assessment_ids if str(i).isdigit()} - seen
    if not wanted:
        return
    rows = session.connection().execute(_PERIODS_OF, {"ids": sorted(wanted)}).all()  # no autoflush
    for year, status in rows:
        if status == "closed":
            raise PeriodClosed(_closed_message(year))
    session.info[_CHECKED] = (session.get_transaction(), seen | wanted)


def _checked(session: Session) -> set[int]:
    """The assessments this transaction already found in an open period."""
    cached = session.info.get(_CHECKED)
    return set(cached[1]) if cached is not None and cached[0] is session.get_transaction() else set()


def remember_open(session: Session, assessment_id: int, period_status: str) -> None:
    """Note for this transaction that the assessment's period was read open by a query that joined it
    already (a score save's locking read), so `require_open_assessments` does not ask again. A closed
    status is not noted: that check then asks and refuses as always."""
    if period_status != "closed":
        session.info[_CHECKED] = (session.get_transaction(), _checked(session) | {int(assessment_id)})


def require_open_period(session: Session, period_id: int) -> None:
    """Raise PeriodClosed when the period is closed (LookupError when it does not exist)."""
    period = session.get(Period, period_id)
    if period is None:
        raise NotFound("ew.period_does_not_exist", period_id=str(period_id))
    if period.status == "closed":
        raise PeriodClosed(_closed_message(period.year))


def set_period_status(session: Session, *, actor: Actor, period_id: int, status: str) -> bool:
    """Close or reopen a period (admins only), audited; returns False when it already had that status.

    Raises PermissionDenied for other roles, ValueError for an unknown status, LookupError for an unknown
    period."""
    require_role(actor, Role.ADMIN)
    if status not in PERIOD_STATUSES:
        raise InvalidInput("ew.unknown_period_status", status=status)
    period = session.get(Period, period_id)
    if period is None:
        raise NotFound("ew.period_does_not_exist", period_id=str(period_id))
    if period.status == status:
        return False
    action = "reopen_period" if status == "open" else "close_period"
    record_change(session, period, "status", status, actor=actor, action=action, entity="period")
    session.add(period)
    session.flush()
    session.info.pop(_CHECKED, None)
    return True
