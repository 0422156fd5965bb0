"""The assignment table of a period (issue 12): the active agencies with their lead and members, and
who may be assigned. Read by the admin page "Penugasan asesor" (app_pages/reviewer_admin.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from evaluation.models import ReviewerAssignment, User
from evaluation.services.actors import Actor, require_role
from evaluation.services.reviewers import matching_agencies
from evaluation.workflow import Role


@dataclass(frozen=True)
class AgencyReviewers:
    """One agency of a period's assignment table: its lead and members as (user id, username, full name)."""

    agency_id: int
    code: str
    name: str
    category: str
    province: str | None
    lead: tuple[int, str, str] | None
    members: tuple[tuple[int, str, str], ...]


def active_reviewers(session: Session) -> list[User]:
    """Every active user with the reviewer role, by username: who may be assigned."""
    query = select(User).where(col(User.role) == Role.REVIEWER, col(User.active).is_(True))
    return list(session.exec(query.order_by(col(User.username))))


def assignment_table(
    session: Session,
    *,
    actor: Actor,
    period_id: int,
    category: str | None = None,
    province: str | None = None,
) -> list[AgencyReviewers]:
    """The active agencies (of a category and/or province) with their reviewers in one period, by code.
    Ministry roles only (PermissionDenied otherwise)."""
    require_role(actor, Role.ADMIN, Role.REVIEWER)
    agencies = matching_agencies(session, category=category, province=province)
    rows = session.exec(
        select(ReviewerAssignment, User)
        .join(User, col(User.id) == col(ReviewerAssignment.reviewer_id))
        .where(col(ReviewerAssignment.period_id) == period_id)
        .order_by(col(User.username))
    ).all()
    leads: dict[int, tuple[int, str, str]] = {}
    members: dict[int, list[tuple[int, str, str]]] = {}
    for assignment, user in rows:
        person = (user.id or 0, user.username, user.full_name)
        if assignment.role == "lead":
            leads[assignment.agency_id] = person
        else:
            members.setdefault(assignment.agency_id, []).append(person)
    return [
        AgencyReviewers(
            a.id or 0,
            a.code,
            a.name,
            a.category,
            a.province,
            leads.get(a.id or 0),
            tuple(members.get(a.id or 0, ())),
        )
        for a in agencies
    ]
