"""Periods created and scheduled by the admin (issue 12): validation, audit, the agencies starting their
assessments in a new period, a closed period's schedule read-only, and the self-assessment deadline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.models import AuditEntry, Period
from evaluation.services.actors import PermissionDenied
from evaluation.services.period_schedule import (
    SelfAssessmentClosed,
    create_period,
    list_schedules,
    require_self_assessment_open,
    update_schedule,
)
from evaluation.services.periods import PeriodClosed, set_period_status
from evaluation.services.review import return_for_revision
from evaluation.services.self_assessment import open_assessment, submit
from tests.integration.workflow_fixtures import World, act, committed_snapshot, fill_all, prepared

pytestmark = pytest.mark.db

SCHEDULE = {
    "opens_on": date(2027, 3, 1),
    "self_assessment_closes_on": date(2027, 5, 31),
    "verification_ends_on": date(2027, 9, 30),
    "objections_close_on": date(2027, 10, 31),
}


def create(world: World, who: str = "admin", **overrides: Any) -> int:
    arguments: dict[str, Any] = {
        "year": 2027,
        "framework_id": "pemdi-2026",
        "evaluation_type": "pemdi",
        "required_stages": ["document", "interview"],
        **SCHEDULE,
        **overrides,
    }
    with write_session(world.engine) as session:
        return create_period(session, actor=world.actors[who], **arguments)


def period_entries(world: World, period_id: int) -> list[tuple[str, str | None, str | None]]:
    with read_session(world.engine) as session:
        rows = session.exec(
            select(AuditEntry)
            .where(AuditEntry.entity == "period", AuditEntry.entity_id == str(period_id))
            .order_by(AuditEntry.id)  # type: ignore[arg-type]
        )
        return [(r.action, r.field, r.actor) for r in rows]


def test_the_admin_creates_an_open_period_with_its_schedule_and_stages_audited(world: World):
    period_id = create(world)
    with read_session(world.engine) as session:
        period = session.get(Period, period_id)
        assert period is not None
        assert (period.year, period.status, period.evaluation_type) == (2027, "open", "pemdi")
        assert period.required_stages == "document,interview"
        assert period.self_assessment_closes_on == date(2027, 5, 31)
        assert period.objections_close_on == date(2027, 10, 31)
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "create_period")).one()
        assert entry.entity_id == str(period_id) and entry.actor == "admin"
        assert '"framework": "pemdi-2026@' in (entry.new_value or "")
        listed = {s.id: s for s in list_schedules(session)}
    assert listed[period_id].required_stages == ("document", "interview")
    assert listed[period_id].assessments == 0


def test_stages_are_stored_in_review_order_whatever_order_they_were_chosen_in(world: World):
    period_id = create(world, required_stages=["visit", "document"])
    with read_session(world.engine) as session:
        period = session.get(Period, period_id)
        assert period is not None and period.required_stages == "document,visit"


def test_without_stages_the_period_takes_its_types_default(world: World):
    period_id = create(world, required_stages=None, evaluation_type="pemantauan", framework_id="spbe-2020")
    with read_session(world.engine) as session:
        schedule = next(s for s in list_schedules(session) if s.id == period_id)
    assert schedule.required_stages == ("document",)


@pytest.mark.parametrize("who", ["reviewer", "coordinator", "operator"])
def test_other_roles_may_not_create_a_period(world: World, who: str):
    before = committed_snapshot(world.engine)
    with pytest.raises(PermissionDenied):
        create(world, who=who)
    assert committed_snapshot(world.engine) == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"evaluation_type": "audit"}, "Unknown evaluation type 'audit'"),
        ({"required_stages": ["interview"]}, "starts with the document review"),
        ({"evaluation_type": "pemantauan", "required_stages": ["document", "interview"]}, "not part of"),
        ({"self_assessment_closes_on": date(2027, 2, 1)}, "'self-assessment closes' date"),
        ({"objections_close_on": date(2027, 9, 1)}, "'objections close' date"),
        ({"framework_id": "no-such-framework"}, "Unknown framework"),
        ({"framework_version": "0.0-none"}, "Unknown framework: pemdi-2026@0.0-none"),
        ({"year": 1999}, "outside 2000-2100"),
    ],
)
def test_a_period_that_does_not_hold_together_is_refused_and_nothing_is_written(
    world: World, overrides: dict[str, Any], message: str
):
    before = committed_snapshot(world.engine)
    with pytest.raises((ValueError, LookupError), match=message):
        create(world, **overrides)
    assert committed_snapshot(world.engine) == before


def test_a_year_and_framework_version_pair_is_created_only_once(world: World):
    with pytest.raises(ValueError, match="already exists"):
        create(world, year=2026)  # the world's Pemdi 2026 period
    create(world)
    with pytest.raises(ValueError, match="already exists"):
        create(world)


def test_a_named_framework_version_is_used(world: World):
    with read_session(world.engine) as session:
        latest = next(s for s in list_schedules(session) if s.id == world.pemdi)
    period_id = create(world, framework_version=latest.framework_version)
    with read_session(world.engine) as session:
        created = next(s for s in list_schedules(session) if s.id == period_id)
    assert created.framework_version == latest.framework_version


def test_an_operator_opens_the_new_periods_assessment_and_the_coordinator_submits_it(world: World):
    period_id = create(
        world, self_assessment_closes_on=None, verification_ends_on=None, objections_close_on=None
    )
    with write_session(world.engine) as session:
        assessment_id = open_assessment(
            session, actor=world.actors["operator"], agency_id=world.agency["a"], period_id=period_id
        )
        fill_all(session, world.actors["coordinator"], assessment_id)
    assert act(world, submit, "coordinator", assessment_id) >= 2
    with read_session(world.engine) as session:
        assert next(s for s in list_schedules(session) if s.id == period_id).assessments == 1


def test_the_admin_changes_the_schedule_of_an_open_period_one_audit_entry_per_field(world: World):
    period_id = create(world)
    with write_session(world.engine) as session:
        changed = update_schedule(
            session,
            actor=world.actors["admin"],
            period_id=period_id,
            changes={
                "self_assessment_closes_on": date(2027, 6, 15),
                "verification_ends_on": SCHEDULE["verification_ends_on"],  # unchanged: no entry
                "required_stages": ["document", "interview", "visit"],
            },
        )
    assert changed == ["self_assessment_closes_on", "required_stages"]
    assert period_entries(world, period_id)[1:] == [
        ("update_schedule", "self_assessment_closes_on", "admin"),
        ("update_schedule", "required_stages", "admin"),
    ]
    with read_session(world.engine) as session:
        period = session.get(Period, period_id)
        assert period is not None
        assert period.self_assessment_closes_on == date(2027, 6, 15)
        assert period.required_stages == "document,interview,visit"
        assert period.opens_on == SCHEDULE["opens_on"]


def test_a_schedule_change_that_breaks_the_order_is_refused(world: World):
    period_id = create(world)
    before = committed_snapshot(world.engine)
    with pytest.raises(ValueError, match="'verification ends' date"), write_session(world.engine) as session:
        update_schedule(
            session,
            actor=world.actors["admin"],
            period_id=period_id,
            changes={"verification_ends_on": date(2027, 4, 1)},
        )
    assert committed_snapshot(world.engine) == before


@pytest.mark.parametrize("who", ["reviewer", "coordinator", "operator"])
def test_other_roles_may_not_change_a_schedule(world: World, who: str):
    with pytest.raises(PermissionDenied), write_session(world.engine) as session:
        update_schedule(
            session, actor=world.actors[who], period_id=world.pemdi, changes={"opens_on": date(2026, 1, 1)}
        )


def test_a_closed_periods_schedule_is_read_only_until_it_is_reopened(world: World):
    period_id = create(world)
    with write_session(world.engine) as session:
        set_period_status(session, actor=world.actors["admin"], period_id=period_id, status="closed")
    with pytest.raises(PeriodClosed, match="closed"), write_session(world.engine) as session:
        update_schedule(
            session, actor=world.actors["admin"], period_id=period_id, changes={"opens_on": date(2027, 2, 1)}
        )
    with pytest.raises(Exception, match="not open"), write_session(world.engine) as session:
        open_assessment(
            session, actor=world.actors["coordinator"], agency_id=world.agency["a"], period_id=period_id
        )
    with write_session(world.engine) as session:
        set_period_status(session, actor=world.actors["admin"], period_id=period_id, status="open")
        assert update_schedule(
            session, actor=world.actors["admin"], period_id=period_id, changes={"opens_on": date(2027, 2, 1)}
        ) == ["opens_on"]
    assert [a for a, _f, _u in period_entries(world, period_id)] == [
        "create_period",
        "close_period",
        "reopen_period",
        "update_schedule",
    ]


def set_deadline(world: World, deadline: date | None) -> None:
    with write_session(world.engine) as session:
        period = session.get(Period, world.pemdi)
        assert period is not None
        period.self_assessment_closes_on = deadline
        session.add(period)


def test_a_first_submission_after_the_self_assessment_deadline_is_refused_naming_the_date(world: World):
    assessment_id = prepared(world, "a", "complete")
    set_deadline(world, date.today() - timedelta(days=1))
    before = committed_snapshot(world.engine)
    with pytest.raises(SelfAssessmentClosed) as refused:
        act(world, submit, "coordinator", assessment_id)
    deadline = date.today() - timedelta(days=1)
    assert str(deadline.year) in str(refused.value) and "deadline" in str(refused.value)
    assert committed_snapshot(world.engine) == before


def test_a_submission_on_the_deadline_day_or_without_a_deadline_goes_through(world: World):
    set_deadline(world, date.today())
    assert act(world, submit, "coordinator", prepared(world, "a", "complete")) >= 2
    set_deadline(world, None)
    assert act(world, submit, "coordinator_b", prepared(world, "b", "complete")) >= 2


def test_a_returned_assessment_may_be_resubmitted_after_the_deadline(world: World):
    assessment_id = prepared(world, "a", "in_review")
    act(world, return_for_revision, "reviewer", assessment_id, note="Lengkapi bukti.")
    set_deadline(world, date.today() - timedelta(days=30))
    assert act(world, submit, "coordinator", assessment_id) >= 2


def test_the_deadline_message_names_the_date_in_both_languages():
    period = Period(year=2027, framework_version_id=1, evaluation_type="pemdi")
    period.self_assessment_closes_on = date(2027, 5, 31)
    require_self_assessment_open(period, today=date(2027, 5, 31))
    with pytest.raises(SelfAssessmentClosed) as refused:
        require_self_assessment_open(period, today=date(2027, 6, 1))
    assert "31 Mei 2027" in str(refused.value) and "31 May 2027" in str(refused.value)
