"""Minutes (berita acara) of the interview and the site visit: who may write and read them, what is
refused (stage not reached, bad date, text, unknown indicator), the minute's own version, the audit trail
and a closed period."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.models import AuditEntry, ReviewerAssignment, StageMinute
from evaluation.services.actors import SYSTEM, Actor, PermissionDenied
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.auth import actor_of
from evaluation.services.periods import PeriodClosed, set_period_status
from evaluation.services.review import set_stage
from evaluation.services.stage_minutes import StaleMinute, minutes_of, save_minute
from evaluation.services.users import create_user
from tests.integration.workflow_fixtures import (
    PASSWORD,
    World,
    act,
    prepared,
)

TODAY = date.today()


def minute(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "held_on": TODAY,
        "place": "Ruang rapat Diskominfo",
        "participants": "Budi Santoso, Kepala Dinas\nSiti Aminah, Asesor",
        "findings": {"I01": "SK arsitektur belum ditandatangani.", "I02": ""},
        "agreed_changes": "Unggah SK yang sudah ditandatangani.",
    }
    fields.update(changes)
    return fields


def write(
    world: World, who: str | Actor, aid: int, stage: str = "interview", version: int = 0, **changes: Any
) -> int:
    actor = who if isinstance(who, Actor) else world.actors[who]
    with write_session(world.engine) as session:
        return save_minute(
            session,
            actor=actor,
            assessment_id=aid,
            stage=stage,
            expected_version=version,
            **minute(**changes),
        )


def at_interview(world: World) -> int:
    aid = prepared(world, "a", "in_review")
    act(world, set_stage, "reviewer", aid, stage="interview")
    return aid


def minute_rows(world: World) -> list[StageMinute]:
    with read_session(world.engine) as session:
        return list(session.exec(select(StageMinute)))


def second_reviewer(world: World) -> Actor:
    with write_session(world.engine) as session:
        user = create_user(
            session,
            actor=SYSTEM,
            username="reviewer-two",
            full_name="Reviewer Two",
            password=PASSWORD,
            role="reviewer",
        )
        return actor_of(user)


def test_a_reviewer_writes_the_interview_minute_and_the_agency_reads_it(world):
    aid = at_interview(world)
    assert write(world, "reviewer", aid) == 1
    for who in ("reviewer", "admin", "coordinator", "operator"):
        with read_session(world.engine) as session:
            minutes = minutes_of(session, actor=world.actors[who], assessment_id=aid)
        assert list(minutes) == ["interview"]
    saved = minutes["interview"]
    assert saved.participants == ("Budi Santoso, Kepala Dinas", "Siti Aminah, Asesor")
    assert saved.findings == {"I01": "SK arsitektur belum ditandatangani."}  # the empty finding is dropped
    assert (saved.place, saved.held_on, saved.version, saved.written_by) == (
        "Ruang rapat Diskominfo",
        TODAY,
        1,
        "Reviewer",
    )


def test_another_agency_may_not_read_the_minutes(world):
    aid = at_interview(world)
    write(world, "reviewer", aid)
    with read_session(world.engine) as session, pytest.raises(PermissionDenied):
        minutes_of(session, actor=world.actors["coordinator_b"], assessment_id=aid)


@pytest.mark.parametrize("who", ["operator", "coordinator", "admin", "coordinator_b"])
def test_only_a_reviewer_writes_a_minute(world, who):
    aid = at_interview(world)
    with pytest.raises(PermissionDenied):
        write(world, who, aid)
    assert minute_rows(world) == []


def test_when_the_agency_has_assigned_reviewers_only_they_write_its_minutes(world):
    aid = at_interview(world)
    other = second_reviewer(world)
    with write_session(world.engine) as session:
        session.add(
            ReviewerAssignment(
                period_id=world.pemdi,
                agency_id=world.agency["a"],
                reviewer_id=world.users["reviewer"],
                role="lead",
            )
        )
    with pytest.raises(PermissionDenied, match="assigned"):
        write(world, other, aid)
    assert write(world, "reviewer", aid) == 1


def test_without_assignments_any_reviewer_writes_the_minute(world):
    aid = at_interview(world)
    assert write(world, second_reviewer(world), aid) == 1


def test_a_minute_waits_for_its_stage(world):
    aid = prepared(world, "a", "in_review")  # still at the document review
    with pytest.raises(WorkflowError, match="tahap interviu") as refused:
        write(world, "reviewer", aid)
    assert "has not reached the interview stage" in str(refused.value)
    with pytest.raises(WorkflowError, match="visitasi"):
        write(world, "reviewer", at_interview_b(world), stage="visit")
    assert minute_rows(world) == []


def at_interview_b(world: World) -> int:
    aid = prepared(world, "b", "in_review")
    act(world, set_stage, "reviewer", aid, stage="interview")
    return aid


def test_the_document_review_and_a_final_assessment_have_no_minute_to_write(world):
    aid = at_interview(world)
    with pytest.raises(WorkflowError, match="interviu dan visitasi"):
        write(world, "reviewer", aid, stage="document")
    submitted = prepared(world, "b", "submitted")
    with pytest.raises(WorkflowError, match="not in review"):
        write(world, "reviewer", submitted)


def test_a_monitoring_period_without_an_interview_keeps_no_interview_minute(world):
    with write_session(world.engine) as session:
        from evaluation.models import Period

        period = session.get(Period, world.spbe)
        assert period is not None
        period.evaluation_type = "pemantauan"  # one stage only: the document review
        session.add(period)
    aid = prepared(world, "a", "in_review", period_id=world.spbe)
    with pytest.raises(WorkflowError, match="interviu dan visitasi"):
        write(world, "reviewer", aid)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"held_on": TODAY + timedelta(days=1)}, "future"),
        ({"held_on": date(2020, 5, 1)}, "before the period starts"),
        ({"held_on": "2026-05-01"}, "not a valid date"),
        ({"place": "  "}, "where the meeting was held"),
        ({"place": "x" * 201}, "Place"),
        ({"participants": "\n \n"}, "participants"),
        ({"participants": "Budi\x00"}, "Participant 1"),
        ({"participants": [f"Peserta {n}" for n in range(61)]}, "At most 60"),
        ({"findings": {"I99": "?"}}, "Unknown indicators: I99"),
        ({"findings": {"I01": "a" * 5001}}, "I01 finding"),
        ({"findings": {"I01": " "}}, "at least one indicator"),
        ({"agreed_changes": "b\x07"}, "Agreed changes"),
    ],
)
def test_a_minute_with_a_bad_field_is_refused_and_nothing_is_written(world, changes, reason):
    aid = at_interview(world)
    with pytest.raises(WorkflowError, match=reason):
        write(world, "reviewer", aid, **changes)
    assert minute_rows(world) == []


def test_a_site_visit_minute_may_record_no_finding(world):
    aid = at_interview(world)
    act(world, set_stage, "reviewer", aid, stage="visit")
    assert write(world, "reviewer", aid, stage="visit", findings={}) == 1
    with read_session(world.engine) as session:
        minutes = minutes_of(session, actor=world.actors["reviewer"], assessment_id=aid)
    assert list(minutes) == ["visit"] and minutes["visit"].findings == {}


def test_the_interview_minute_can_still_be_corrected_at_the_site_visit(world):
    aid = at_interview(world)
    write(world, "reviewer", aid)
    act(world, set_stage, "reviewer", aid, stage="visit")
    assert write(world, "reviewer", aid, version=1, place="Aula") == 2


def test_a_save_on_an_older_version_is_refused_and_changes_nothing(world):
    aid = at_interview(world)
    write(world, "reviewer", aid)
    assert write(world, "reviewer", aid, version=1, place="Aula lantai 2") == 2
    with pytest.raises(StaleMinute, match="Someone else saved the interview stage minute"):
        write(world, "reviewer", aid, version=1, place="Ruang lain")
    with pytest.raises(StaleMinute):
        write(world, "reviewer", aid, version=0)  # a second "first" minute
    [row] = minute_rows(world)
    assert (row.place, row.version) == ("Aula lantai 2", 2)


def test_every_changed_field_is_audited_in_one_change_set_per_save(world):
    aid = at_interview(world)
    write(world, "reviewer", aid)
    write(world, "reviewer", aid, version=1, place="Aula", findings={"I01": "Sudah ditandatangani."})
    with read_session(world.engine) as session:
        rows = list(
            session.exec(select(AuditEntry).where(AuditEntry.action == "save_minute").order_by(AuditEntry.id))  # type: ignore[arg-type]
        )
    first = [r for r in rows if r.change_set == rows[0].change_set]
    assert {r.field for r in first} == {
        "minute.interview.held_on",
        "minute.interview.place",
        "minute.interview.participants",
        "minute.interview.findings",
        "minute.interview.agreed_changes",
    }
    second = rows[len(first) :]
    assert len({r.change_set for r in second}) == 1
    assert [(r.field, r.old_value, r.new_value) for r in second] == [
        ("minute.interview.place", "Ruang rapat Diskominfo", "Aula"),
        (
            "minute.interview.findings",
            '{"I01": "SK arsitektur belum ditandatangani."}',
            '{"I01": "Sudah ditandatangani."}',
        ),
    ]
    assert all(r.entity == "assessment" and r.entity_id == str(aid) for r in rows)


def test_saving_the_same_minute_again_writes_nothing(world):
    aid = at_interview(world)
    write(world, "reviewer", aid)
    assert write(world, "reviewer", aid, version=1) == 1
    with read_session(world.engine) as session:
        count = len(list(session.exec(select(AuditEntry).where(AuditEntry.action == "save_minute"))))
    assert count == 5


def test_no_minute_is_written_in_a_closed_period(world):
    aid = at_interview(world)
    with write_session(world.engine) as session:
        set_period_status(session, actor=world.actors["admin"], period_id=world.pemdi, status="closed")
    with pytest.raises(PeriodClosed):
        write(world, "reviewer", aid)
    assert minute_rows(world) == []
