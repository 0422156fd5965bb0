"""The demo's open periods carry a schedule counted from the day the demo was loaded (issue 12), so the
queue's days left, the objection window and the reminders have something to show."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import col, select

from evaluation.db import read_session, write_session
from evaluation.demo.schedule import schedule_demo_periods
from evaluation.models import Assessment, Period
from evaluation.services.deadline_reminders import send_reminders
from evaluation.services.objection_reads import objection_window

pytestmark = pytest.mark.db


def _open_2026(session) -> list[Period]:
    return list(session.exec(select(Period).where(col(Period.year) == 2026, col(Period.status) == "open")))


def test_every_open_demo_period_has_a_schedule_in_order_and_closed_ones_none(demo_engine):
    with read_session(demo_engine) as session:
        periods = list(session.exec(select(Period)))
    open_ones = [p for p in periods if p.status == "open"]
    assert open_ones and all(p.year == 2026 for p in open_ones)
    for p in open_ones:
        assert p.opens_on is not None and p.closes_on is not None
        assert (
            p.opens_on
            < p.self_assessment_closes_on  # type: ignore[operator]
            < p.verification_ends_on  # type: ignore[operator]
            < p.objections_close_on  # type: ignore[operator]
            <= p.closes_on
        )
    assert all(p.objections_close_on is None for p in periods if p.status == "closed")


def test_the_demos_finalized_assessments_are_inside_their_objection_window(demo_engine):
    with read_session(demo_engine) as session:
        for period in _open_2026(session):
            finals = session.exec(
                select(Assessment).where(col(Assessment.period_id) == period.id, Assessment.status == "final")
            ).all()
            for assessment in finals:
                window = objection_window(period, assessment.finalized_at)
                assert assessment.finalized_at is not None
                assert window.is_open(assessment.finalized_at.date())


def test_the_schedule_counts_from_the_load_day_and_never_before_the_period_opens(engine):
    with write_session(engine) as session:
        from evaluation.services.frameworks import latest_version

        version = latest_version(session, "pemdi-2026")
        assert version is not None and version.id is not None
        early = Period(
            year=2026,
            framework_version_id=version.id,
            evaluation_type="pemdi",
            opens_on=date(2026, 3, 1),
            closes_on=date(2026, 3, 20),
        )
        session.add(early)
        session.flush()
        assert schedule_demo_periods(session, year=2026, today=date(2026, 1, 10)) == 1
        assert early.self_assessment_closes_on == date(2026, 3, 15)
        assert early.verification_ends_on == date(2026, 3, 31)
        assert early.objections_close_on == date(2026, 4, 15) == early.closes_on
        assert schedule_demo_periods(session, year=2025, today=date(2026, 1, 10)) == 0


def test_the_demo_schedule_gives_the_reminders_something_to_remind_of(demo_engine):
    with read_session(demo_engine) as session:
        ends = min(p.verification_ends_on for p in _open_2026(session))  # type: ignore[type-var]
    with write_session(demo_engine) as session:  # the demo reviewer has unfinished agencies to verify
        counts = send_reminders(session, ends - timedelta(days=3))
        session.rollback()
    assert counts["verification"] > 0
