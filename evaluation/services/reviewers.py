"""Who reviews which agency in which period (reviewer_assignment): one lead reviewer (ketua tim asesor)
and any number of members per agency and period. The reads are shared by the queue, objections and
notifications; assigning (admins only, issue 12) is here too: by hand, in bulk by category and/or
province, and from the rows of a file (evaluation/services/reviewer_sheet.py reads the file).

Every change is audited (entity "reviewer_assignment", one change set per action) and the reviewer is
notified (kind "assigned") in the same transaction. A period that is closed takes no assignment.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from evaluation.models import REVIEWER_ROLES, Agency, Period, ReviewerAssignment, User, utcnow
from evaluation.services import audit
from evaluation.services.actors import Actor, require_role
from evaluation.services.audit_fields import record_change, record_created
from evaluation.services.notifications import notify
from evaluation.services.periods import require_open_period
from evaluation.translatable import InvalidInput, NotFound
from evaluation.workflow import Role

if TYPE_CHECKING:
    from evaluation.services.reviewer_sheet import FileRow

ENTITY = "reviewer_assignment"


def reviewers_of(session: Session, period_id: int, agency_id: int) -> list[tuple[int, str]]:
    """The reviewers assigned to one agency in one period as (user id, "lead" | "member"), lead first."""
    rows = session.exec(
        select(ReviewerAssignment.reviewer_id, ReviewerAssignment.role).where(
            col(ReviewerAssignment.period_id) == period_id, col(ReviewerAssignment.agency_id) == agency_id
        )
    ).all()
    return sorted(((int(uid), str(role)) for uid, role in rows), key=lambda r: (r[1] != "lead", r[0]))


def lead_reviewer_id(session: Session, period_id: int, agency_id: int) -> int | None:
    """The lead reviewer's user id for one agency in one period, or None when nobody leads it yet."""
    for user_id, role in reviewers_of(session, period_id, agency_id):
        if role == "lead":
            return user_id
    return None


def assigned_agency_ids(session: Session, reviewer_id: int, period_id: int | None = None) -> set[int]:
    """The agencies a reviewer is assigned to (in one period, or in any when `period_id` is None)."""
    query = select(ReviewerAssignment.agency_id).where(col(ReviewerAssignment.reviewer_id) == reviewer_id)
    if period_id is not None:
        query = query.where(col(ReviewerAssignment.period_id) == period_id)
    return {int(a) for a in session.exec(query).all()}


def matching_agencies(
    session: Session, *, category: str | None = None, province: str | None = None
) -> list[Agency]:
    """The active agencies of a category and/or a province (either None = any), by code."""
    query = select(Agency).where(col(Agency.active).is_(True))
    if category:
        query = query.where(col(Agency.category) == category)
    if province:
        query = query.where(col(Agency.province) == province)
    return list(session.exec(query.order_by(col(Agency.code))))


def check_role(role: str) -> str:
    """The role as stored ("lead" | "member"); ValueError for any other."""
    if role not in REVIEWER_ROLES:
        raise InvalidInput("ew.unknown_reviewer_role", role=role)
    return role


def reviewer_user(session: Session, reviewer_id: int) -> User:
    """The user to assign: LookupError when absent, ValueError when not an active reviewer."""
    user = session.get(User, reviewer_id)
    if user is None:
        raise NotFound("ew.user_does_not_exist", user_id=str(reviewer_id))
    if user.role != Role.REVIEWER or not user.active:
        raise InvalidInput("ew.not_active_reviewer", username=user.username)
    return user


def _open_period(session: Session, period_id: int) -> Period:
    require_open_period(session, period_id)  # LookupError or PeriodClosed
    period = session.get(Period, period_id)
    assert period is not None
    return period


def _agency(session: Session, agency_id: int) -> Agency:
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound("ew.agency_does_not_exist", agency_id=str(agency_id))
    if not agency.active:
        raise InvalidInput("ew.agency_not_active", code=agency.code)
    return agency


def _find(session: Session, period_id: int, agency_id: int, reviewer_id: int) -> ReviewerAssignment | None:
    return session.exec(
        select(ReviewerAssignment).where(
            col(ReviewerAssignment.period_id) == period_id,
            col(ReviewerAssignment.agency_id) == agency_id,
            col(ReviewerAssignment.reviewer_id) == reviewer_id,
        )
    ).first()


def _state(row: ReviewerAssignment) -> dict[str, object]:
    return {
        "period_id": row.period_id,
        "agency_id": row.agency_id,
        "reviewer_id": row.reviewer_id,
        "role": row.role,
    }


def place(
    session: Session,
    period: Period,
    agency: Agency,
    reviewer: User,
    role: str,
    *,
    actor: Actor,
    change_set: str,
) -> bool:
    """Give `reviewer` the `role` on one agency in one period, inside the caller's checks and change set:
    a new lead first turns the agency's old lead into a member (audited). Returns False when nothing
    changed. Shared by the single, bulk and file paths; callers check permission and the period first."""
    assert period.id is not None and agency.id is not None and reviewer.id is not None
    row = _find(session, period.id, agency.id, reviewer.id)
    if row is not None and row.role == role:
        return False
    logged = {"entity": ENTITY, "change_set": change_set}
    if role == "lead":
        for old in session.exec(
            select(ReviewerAssignment).where(
                col(ReviewerAssignment.period_id) == period.id,
                col(ReviewerAssignment.agency_id) == agency.id,
                col(ReviewerAssignment.role) == "lead",
                col(ReviewerAssignment.reviewer_id) != reviewer.id,
            )
        ):
            record_change(session, old, "role", "member", actor=actor, action="demote_lead", **logged)
            session.add(old)
            session.flush()  # before the new lead: one lead per agency and period (a unique index)
    if row is None:
        row = ReviewerAssignment(
            period_id=period.id,
            agency_id=agency.id,
            reviewer_id=reviewer.id,
            role=role,
            assigned_by=actor.user_id,
        )
        session.add(row)
        record_created(session, row, actor=actor, action="assign_reviewer", new=_state(row), **logged)
    else:
        record_change(session, row, "role", role, actor=actor, action="change_reviewer_role", **logged)
        row.assigned_by, row.assigned_at = actor.user_id, utcnow()
        session.add(row)
        session.flush()
    notify(
        session,
        user_ids=[reviewer.id],
        kind="assigned",
        params={"agency": agency.name, "year": period.year, "role": role},
        dedupe_key=f"assigned:{period.id}:{agency.id}:{reviewer.id}",
    )
    return True


def assign_reviewer(
    session: Session, *, actor: Actor, period_id: int, agency_id: int, reviewer_id: int, role: str
) -> bool:
    """Assign a reviewer to one agency in one period as "lead" or "member" (admins only). A new lead turns
    the old lead into a member; assigning someone already there changes their role. Returns False when
    the assignment was already so (nothing written).

    Raises PermissionDenied (not an admin), ValueError (unknown role, not an active reviewer, inactive
    agency), LookupError (no such period, agency or user), PeriodClosed (the period is closed)."""
    require_role(actor, Role.ADMIN)
    check_role(role)
    period = _open_period(session, period_id)
    agency = _agency(session, agency_id)
    reviewer = reviewer_user(session, reviewer_id)
    return place(session, period, agency, reviewer, role, actor=actor, change_set=audit.new_change_set())


def unassign_reviewer(
    session: Session, *, actor: Actor, period_id: int, agency_id: int, reviewer_id: int
) -> bool:
    """Remove a reviewer from one agency in one period (admins only), audited; the agency may be left
    without a lead. Returns False when the reviewer was not assigned. Raises PermissionDenied,
    LookupError (no such period) and PeriodClosed."""
    require_role(actor, Role.ADMIN)
    _open_period(session, period_id)
    row = _find(session, period_id, agency_id, reviewer_id)
    if row is None:
        return False
    audit.record(
        session, actor=actor, action="unassign_reviewer", entity=ENTITY, entity_id=row.id, old=_state(row)
    )
    session.delete(row)
    session.flush()
    return True


def assign_in_bulk(
    session: Session,
    *,
    actor: Actor,
    period_id: int,
    reviewer_id: int,
    role: str,
    category: str | None = None,
    province: str | None = None,
) -> int:
    """Assign one reviewer to every active agency of a category and/or a province (admins only), in one
    change set; returns how many assignments changed (agencies where it already was so are skipped).

    Raises ValueError when neither a category nor a province is given (the whole register is never
    assigned by accident) and as `assign_reviewer` does otherwise."""
    require_role(actor, Role.ADMIN)
    if not category and not province:
        raise InvalidInput("ew.choose_category_or_province")
    check_role(role)
    period = _open_period(session, period_id)
    reviewer = reviewer_user(session, reviewer_id)
    change_set = audit.new_change_set()
    agencies = matching_agencies(session, category=category, province=province)
    return sum(
        place(session, period, a, reviewer, role, actor=actor, change_set=change_set) for a in agencies
    )


def assign_from_rows(session: Session, *, actor: Actor, period_id: int, rows: Iterable[FileRow]) -> int:
    """Apply the rows of an assignment file (evaluation/services/reviewer_sheet.py: `SheetRow`s, or
    (agency code, reviewer username, role) tuples numbered from row 2) all or nothing, in one change set.
    Returns how many assignments changed.

    Every row is checked first (agency code known and active, reviewer an active reviewer, role lead or
    member, no agency with two leads or a reviewer twice); with any problem bulk.plan.ImportRefused is
    raised listing each (row, column, why) and nothing is applied. Also raises PermissionDenied,
    LookupError (no such period) and PeriodClosed."""
    from evaluation.services.reviewer_sheet import apply_plan, plan_rows

    plan = plan_rows(session, actor=actor, period_id=period_id, rows=rows)
    return apply_plan(session, actor=actor, plan=plan)
