"""The demo's schedule (issue 12): the open periods of the current year get the dates a real period has
(self-assessment closes, verification ends, objections close), counted from the day the demo is loaded,
which is also the day its submissions and finalizations carry (data.py stamps them with the load time).
So the reviewer's queue shows days left, the finalized assessments are inside their objection window,
and the deadline reminders have something to remind of. Written directly like the rest of the demo."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, col, select

from evaluation.models import Period

# days after the load day: agencies still have two weeks, the ministry a month, objections six weeks
SELF_ASSESSMENT_DAYS, VERIFICATION_DAYS, OBJECTION_DAYS = 14, 30, 45


def schedule_demo_periods(session: Session, *, year: int, today: date) -> int:
    """Give every open period of `year` its schedule counted from `today` (never before the period opens);
    a period's closing day moves to the objections' closing day when that is later. Returns how many
    periods were scheduled."""
    periods = session.exec(select(Period).where(col(Period.year) == year, col(Period.status) == "open")).all()
    for period in periods:
        start = max(today, period.opens_on or today)
        period.self_assessment_closes_on = start + timedelta(days=SELF_ASSESSMENT_DAYS)
        period.verification_ends_on = start + timedelta(days=VERIFICATION_DAYS)
        period.objections_close_on = start + timedelta(days=OBJECTION_DAYS)
        if period.closes_on is not None and period.closes_on < period.objections_close_on:
            period.closes_on = period.objections_close_on
        session.add(period)
    session.flush()
    return len(periods)
