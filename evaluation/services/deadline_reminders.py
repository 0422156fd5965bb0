"""Reminders before the period's deadlines (issue 12), run daily by `python -m evaluation notify remind`.

- Agency users (operators and coordinators): the period's `self_assessment_closes_on` is near and their
  assessment is still draft or returned.
- Reviewers: the period's `verification_ends_on` is near and an assessment of an agency assigned to them
  (reviewer_assignment) is not final yet; one reminder per reviewer and period, counting those.
- Then the recommendations falling due (evaluation.services.recommendations `due_reminders`).

A reminder is sent at the smallest threshold of `days_ahead` that the days left have reached (so a run
that misses a day still reminds), once per user, period, deadline date and threshold
(dedupe key "deadline:<stage>:<period>:<date>:<threshold>"). Only open periods remind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from sqlmodel import Session, col, select

from evaluation.models import Agency, Assessment, Period, ReviewerAssignment
from evaluation.services.notifications import agency_user_ids, notify
from evaluation.workflow import AssessmentStatus

AGENCY_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


class _Due(NamedTuple):
    on: date  # the deadline
    days: int  # days left
    threshold: int  # the smallest threshold N with 0 <= days <= N


def _due(deadline: date | None, today: date, days_ahead: Iterable[int]) -> _Due | None:
    """The deadline when a reminder is due for it today, or None (no deadline, too early, or already past)."""
    if deadline is None or (days_left := (deadline - today).days) < 0:
        return None
    reached = [n for n in days_ahead if days_left <= n]
    return _Due(deadline, days_left, min(reached)) if reached else None


def _self_assessment(session: Session, period: Period, due: _Due) -> int:
    added = 0
    rows = session.exec(
        select(Assessment, Agency.name)
        .join(Agency, col(Agency.id) == col(Assessment.agency_id))
        .where(col(Assessment.period_id) == period.id, col(Assessment.status).in_(AGENCY_STATUSES))
    ).all()
    for assessment, agency_name in rows:
        added += notify(
            session,
            user_ids=agency_user_ids(session, assessment.agency_id, ("operator", "coordinator")),
            kind="deadline",
            params={
                "stage": "self_assessment",
                "agency": agency_name,
                "year": period.year,
                "date": due.on.isoformat(),
                "days": due.days,
            },
            assessment_id=assessment.id,
            dedupe_key=f"deadline:self_assessment:{period.id}:{due.on.isoformat()}:{due.threshold}",
        )
    return added


def _verification(session: Session, period: Period, due: _Due) -> int:
    rows = session.exec(
        select(ReviewerAssignment.reviewer_id)
        .join(
            Assessment,
            (col(Assessment.agency_id) == col(ReviewerAssignment.agency_id))
            & (col(Assessment.period_id) == col(ReviewerAssignment.period_id)),
        )
        .where(
            col(ReviewerAssignment.period_id) == period.id, col(Assessment.status) != AssessmentStatus.FINAL
        )
    ).all()
    open_per_reviewer: dict[int, int] = defaultdict(int)
    for reviewer_id in rows:
        open_per_reviewer[int(reviewer_id)] += 1
    added = 0
    for reviewer_id, count in sorted(open_per_reviewer.items()):
        added += notify(
            session,
            user_ids=[reviewer_id],
            kind="deadline",
            params={
                "stage": "verification",
                "year": period.year,
                "date": due.on.isoformat(),
                "days": due.days,
                "count": count,
            },
            dedupe_key=f"deadline:verification:{period.id}:{due.on.isoformat()}:{due.threshold}",
        )
    return added


def send_reminders(session: Session, today: date, days_ahead: Iterable[int] = (7, 3, 1)) -> dict[str, int]:
    """Add the day's reminders (deadlines of open periods, recommendations falling due) in the caller's
    transaction; returns how many notifications were added: {"self_assessment": n, "verification": n,
    "recommendation_due": n}. Running it again the same day adds nothing."""
    thresholds = tuple(sorted({int(n) for n in days_ahead if int(n) >= 0}))
    counts = {"self_assessment": 0, "verification": 0, "recommendation_due": 0}
    if not thresholds:
        return counts
    for period in session.exec(select(Period).where(col(Period.status) == "open").order_by(col(Period.id))):
        if (due := _due(period.self_assessment_closes_on, today, thresholds)) is not None:
            counts["self_assessment"] += _self_assessment(session, period, due)
        if (due := _due(period.verification_ends_on, today, thresholds)) is not None:
            counts["verification"] += _verification(session, period, due)
    from evaluation.services.recommendations import due_reminders

    counts["recommendation_due"] = due_reminders(session, today, thresholds)
    return counts
