"""Reminders of recommendations coming due: the agency's coordinators are notified once per
recommendation and due date (kind "recommendation_due"). The scheduled reminder command
(notifications' `send_reminders`) calls `due_reminders` daily."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, col, select

from evaluation.models import Agency, Assessment, Period, Recommendation, User
from evaluation.services.notifications import notify
from evaluation.services.recommendations.rules import OPEN_STATUSES
from evaluation.workflow import Role


def due_reminders(session: Session, today: date, days_ahead: int | Iterable[int] = (7, 3, 1)) -> int:
    """Notify the coordinators of each agency whose open or reopened recommendation falls due within the
    largest of `days_ahead` days from `today` (due today included; overdue ones are not reminded again).
    The due date is the reviewer's (`due_on`), else the agency's own follow-up date. One notification
    per coordinator, recommendation and due date (dedupe_key "rec-due:{id}:{due}"), so a daily run adds
    each reminder once. Params of the message: agency, year, indicator ("" = whole agency), priority,
    due (ISO date), days (days left). Returns how many notifications were added."""
    horizon = days_ahead if isinstance(days_ahead, int) else max(days_ahead, default=0)
    rows = session.exec(
        select(Recommendation, Assessment.agency_id, Agency.name, Period.year)
        .join(Assessment, col(Assessment.id) == col(Recommendation.assessment_id))
        .join(Agency, col(Agency.id) == col(Assessment.agency_id))
        .join(Period, col(Period.id) == col(Assessment.period_id))
        .where(col(Recommendation.status).in_(OPEN_STATUSES))
    ).all()
    coordinators: dict[int, list[int]] = {}
    added = 0
    for rec, agency_id, agency_name, year in rows:
        due = rec.due_on or rec.followup_due_on
        if due is None or not 0 <= (due - today).days <= horizon:
            continue
        if agency_id not in coordinators:
            coordinators[agency_id] = [
                int(uid or 0)
                for uid in session.exec(
                    select(User.id).where(
                        col(User.agency_id) == agency_id, col(User.role) == Role.COORDINATOR, col(User.active)
                    )
                ).all()
            ]
        added += notify(
            session,
            user_ids=coordinators[agency_id],
            kind="recommendation_due",
            params={
                "agency": agency_name,
                "year": year,
                "indicator": rec.indicator_code or "",
                "priority": rec.priority,
                "due": due.isoformat(),
                "days": (due - today).days,
            },
            assessment_id=rec.assessment_id,
            dedupe_key=f"rec-due:{rec.id}:{due}",
        )
    return added
