"""The demo's reviewer assignments (issue 12): the demo reviewer ("asesor") leads the demo agency and some
agencies waiting for verification in the current period, and is a member on a few more, so the queue
shows own agencies first. Made through the assignment service (audited, notified) as the system."""

from __future__ import annotations

from sqlmodel import Session, col, select

from evaluation.models import Agency, Assessment, Period, User
from evaluation.services.actors import SYSTEM
from evaluation.services.reviewers import assign_reviewer

DEMO_REVIEWER = "asesor"
LEADS, MEMBERS = 6, 3  # besides the demo agency


def assign_demo_reviewers(session: Session, *, year: int, demo_agency_code: str) -> int:
    """Assign the demo reviewer in the official period of `year`: lead of `demo_agency_code` and of the
    first LEADS agencies (by code) submitted or in review, member of the next MEMBERS. Returns how many
    assignments were made (0 when the reviewer or the period is missing)."""
    reviewer = session.exec(select(User).where(col(User.username) == DEMO_REVIEWER)).first()
    period = session.exec(
        select(Period).where(
            col(Period.year) == year, col(Period.kind) == "official", col(Period.status) == "open"
        )
    ).first()
    if reviewer is None or reviewer.id is None or period is None or period.id is None:
        return 0
    waiting = session.exec(
        select(Agency.id, Agency.code)
        .join(Assessment, col(Assessment.agency_id) == col(Agency.id))
        .where(
            col(Assessment.period_id) == period.id,
            col(Assessment.status).in_(("submitted", "in_review")),
            col(Agency.code) != demo_agency_code,
        )
        .order_by(col(Agency.code))
    ).all()
    own = session.exec(select(Agency.id).where(col(Agency.code) == demo_agency_code)).first()
    plan: list[tuple[int, str]] = [(int(own), "lead")] if own is not None else []
    plan += [(int(agency_id or 0), "lead") for agency_id, _code in waiting[:LEADS]]
    plan += [(int(agency_id or 0), "member") for agency_id, _code in waiting[LEADS : LEADS + MEMBERS]]
    for agency_id, role in plan:
        assign_reviewer(
            session,
            actor=SYSTEM,
            period_id=period.id,
            agency_id=agency_id,
            reviewer_id=reviewer.id,
            role=role,
        )
    return len(plan)
