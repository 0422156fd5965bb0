"""Who reviews which agency in which period (reviewer_assignment): one lead reviewer (ketua tim asesor)
and any number of members per agency and period. These reads are shared by the queue, objections and
notifications; assigning is in this module too (issue 12)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from evaluation.models import ReviewerAssignment


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
