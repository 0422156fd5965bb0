"""Targets and activities edited in the app (issue 13): update and delete, audited; a second identical
target refused; an activity's status, progress and actual dates; permissions per agency."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.models import Activity, ActivityIndicator, AuditEntry, RoadmapTarget
from evaluation.services.actors import PermissionDenied
from evaluation.services.roadmap.activities import list_activities, save_activity
from evaluation.services.roadmap.edits import (
    delete_activity,
    delete_target,
    update_activity_progress,
    update_target,
)
from evaluation.services.roadmap.targets import save_target


def _target(world, who="coordinator", **extra):
    values = {
        "agency_id": world.agency["a"],
        "framework_id": "pemdi-2026",
        "horizon": "short",
        "baseline_year": 2026,
        "baseline_value": 2.1,
        "target_year": 2027,
        "target_value": 2.8,
        "note": "Rencana TIK",
        **extra,
    }
    with write_session(world.engine) as session:
        return save_target(session, actor=world.actors[who], **values)


def _activity(world):
    with write_session(world.engine) as session:
        return save_activity(
            session,
            actor=world.actors["coordinator"],
            agency_id=world.agency["a"],
            framework_id="pemdi-2026",
            title="Penyusunan SOP",
            owner="Diskominfo",
            starts_on=date(2026, 1, 1),
            due_on=date(2026, 12, 31),
            indicators=["I01"],
        )


def test_a_second_identical_target_is_refused(world):
    _target(world)
    with pytest.raises(ValueError, match="sudah ada"):
        _target(world)
    _target(world, target_value=3.0)  # a different value is another target


def test_a_target_is_updated_in_place_and_audited(world):
    target_id = _target(world)
    with write_session(world.engine) as session:
        update_target(
            session, actor=world.actors["operator"], target_id=target_id, target_value=3.2, note="Revisi"
        )
    with read_session(world.engine) as session:
        target = session.get(RoadmapTarget, target_id)
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "update_target")).one()
    assert (target.target_value, target.note) == (3.2, "Revisi")  # type: ignore[union-attr]
    assert "2.8" in (entry.old_value or "") and "3.2" in (entry.new_value or "")


def test_an_update_that_makes_a_duplicate_or_leaves_the_scale_is_refused(world):
    first = _target(world)
    second = _target(world, target_value=3.0)
    with pytest.raises(ValueError), write_session(world.engine) as session:
        update_target(session, actor=world.actors["coordinator"], target_id=second, target_value=2.8)
    with pytest.raises(ValueError), write_session(world.engine) as session:
        update_target(session, actor=world.actors["coordinator"], target_id=first, target_value=5.5)
    with pytest.raises(ValueError), write_session(world.engine) as session:
        update_target(session, actor=world.actors["coordinator"], target_id=first, target_year=2025)


def test_a_target_is_deleted_and_the_one_it_restated_is_live_again(world):
    first = _target(world)
    second = _target(world, target_value=3.0, replaces=first)
    with write_session(world.engine) as session:
        delete_target(session, actor=world.actors["coordinator"], target_id=second)
    with read_session(world.engine) as session:
        assert session.get(RoadmapTarget, second) is None
        assert session.get(RoadmapTarget, first).superseded_by is None  # type: ignore[union-attr]
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "delete_target")).one()


@pytest.mark.parametrize("who", ["operator_b", "coordinator_b"])
def test_another_agency_may_not_edit_or_delete_a_target_or_an_activity(world, who):
    target_id, activity_id = _target(world), _activity(world)
    calls = [
        lambda s: update_target(s, actor=world.actors[who], target_id=target_id, note="x"),
        lambda s: delete_target(s, actor=world.actors[who], target_id=target_id),
        lambda s: update_activity_progress(
            s, actor=world.actors[who], activity_id=activity_id, status="in_progress", progress=10
        ),
        lambda s: delete_activity(s, actor=world.actors[who], activity_id=activity_id),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied), write_session(world.engine) as session:
            call(session)


def test_an_operator_may_not_edit_a_national_target(world):
    with write_session(world.engine) as session:
        national = save_target(
            session,
            actor=world.actors["admin"],
            agency_id=None,
            framework_id="pemdi-2026",
            horizon="long",
            baseline_year=2026,
            target_year=2030,
            target_value=3.5,
        )
    with pytest.raises(PermissionDenied), write_session(world.engine) as session:
        update_target(session, actor=world.actors["operator"], target_id=national, target_value=3.6)


def test_activity_status_progress_and_actual_dates_are_updated_and_audited(world):
    activity_id = _activity(world)
    with write_session(world.engine) as session:
        update_activity_progress(
            session,
            actor=world.actors["operator"],
            activity_id=activity_id,
            status="done",
            progress=100,
            started_on=date(2026, 2, 1),
            finished_on=date(2026, 3, 1),
        )
    with read_session(world.engine) as session:
        view = list_activities(session, actor=world.actors["operator"], agency_id=world.agency["a"])[0]
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "activity_progress")).one()
    assert (view.status, view.progress, view.started_on, view.finished_on) == (
        "done",
        100,
        date(2026, 2, 1),
        date(2026, 3, 1),
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "done", "progress": 100},  # done needs its finish date
        {"status": "in_progress", "progress": 101},
        {"status": "paused", "progress": 10},
        {"status": "in_progress", "progress": 10, "finished_on": date.today() + timedelta(days=2)},
        {
            "status": "in_progress",
            "progress": 10,
            "started_on": date(2026, 5, 1),
            "finished_on": date(2026, 4, 1),
        },
    ],
    ids=["done-without-finish", "over-100", "unknown-status", "future-finish", "finish-before-start"],
)
def test_impossible_activity_progress_is_refused(world, changes):
    activity_id = _activity(world)
    with pytest.raises(ValueError), write_session(world.engine) as session:
        update_activity_progress(
            session, actor=world.actors["coordinator"], activity_id=activity_id, **changes
        )


def test_an_activity_is_deleted_with_its_links_and_audited(world):
    activity_id = _activity(world)
    with write_session(world.engine) as session:
        delete_activity(session, actor=world.actors["coordinator"], activity_id=activity_id)
    with read_session(world.engine) as session:
        assert session.get(Activity, activity_id) is None
        assert not session.exec(select(ActivityIndicator)).all()
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "delete_activity")).one()
    assert "Penyusunan SOP" in (entry.old_value or "")
