"""Many people on one assessment (issue 10): optimistic locking per indicator score, on every backend.

Each score carries its own version; a save names the version it read (0 = no score yet). Different
indicators saved at once both succeed; the same indicator saved on a stale version is refused with what is
stored now, who stored it and when; status changes keep the assessment's own version.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from evaluation.db import read_session, write_session
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.review import save_review
from evaluation.services.score_versions import (
    ScoreConflict,
    score_versions,
)
from evaluation.services.self_assessment import save_self_assessment, submit
from tests.integration.workflow_fixtures import (
    World,
    act,
    committed_snapshot,
    committed_versions,
    current,
    prepared,
    save,
    scores,
)

pytestmark = pytest.mark.db


def stored(world: World, aid: int) -> dict[str, tuple[Any, ...]]:
    with read_session(world.engine) as session:
        return {
            code: (row.self_level, row.justification, row.final_level, row.version, row.updated_by)
            for code, row in scores(session, aid).items()
        }


class Background:
    """A call run in another thread; `result()` joins it and returns its value or raises its error."""

    def __init__(self, call: Callable[[], Any]):
        self.value: Any = None
        self.error: BaseException | None = None

        def run() -> None:
            try:
                self.value = call()
            except BaseException as exc:  # handed to the test thread by result()
                self.error = exc

        self.thread = threading.Thread(target=run)
        self.thread.start()

    def result(self) -> Any:
        self.thread.join(timeout=60)
        assert not self.thread.is_alive()
        if self.error is not None:
            raise self.error
        return self.value


def wait_until_blocked(engine: Engine) -> None:
    """PostgreSQL: until another session of this database waits on a lock; SQLite: a moment (the other
    thread queues on the process's writer lock, which has nothing to observe)."""
    if engine.dialect.name != "postgresql":
        time.sleep(0.3)
        return
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            waiting = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
            ).scalar()
        if waiting:
            return
        time.sleep(0.02)
    raise AssertionError("the other session never waited on a lock")


# --- two people, one assessment --------------------------------------------------------------------


def test_two_people_saving_different_indicators_read_at_the_same_time_both_succeed(world):
    aid = prepared(world, "a", "draft")
    read_by_both = committed_versions(world, aid)  # nothing saved yet: every code is at version 0
    first = save(world, "operator", aid, {"I01": {"level": 2}}, versions=read_by_both)
    second = save(world, "coordinator", aid, {"I02": {"level": 4}}, versions=read_by_both)
    assert (first, second) == ({"I01": 1}, {"I02": 1})
    rows = stored(world, aid)
    assert rows["I01"][0] == 2.0 and rows["I02"][0] == 4.0
    assert (rows["I01"][4], rows["I02"][4]) == (world.users["operator"], world.users["coordinator"])
    assert current(world, aid) == 1  # score saves leave the assessment's own version alone


def test_the_second_save_of_one_indicator_on_the_same_version_is_refused_with_who_and_when(world):
    aid = prepared(world, "a", "draft")
    save(world, "operator", aid, {"I01": {"level": 2, "justification": "SK lama"}})
    read_by_both = committed_versions(world, aid)
    save(world, "operator", aid, {"I01": {"level": 3, "justification": "SK baru"}}, versions=read_by_both)
    before = committed_snapshot(world.engine)
    with pytest.raises(ScoreConflict) as refused:
        save(
            world,
            "coordinator",
            aid,
            {"I01": {"level": 5}, "I02": {"level": 1}},
            versions={"I01": read_by_both["I01"], "I02": 0},
        )
    newer = refused.value.conflicts["I01"]
    assert set(refused.value.conflicts) == {"I01"}
    assert (newer.version, newer.values["self_level"], newer.values["justification"]) == (2, 3.0, "SK baru")
    assert newer.updated_by == "Operator" and newer.updated_at is not None
    assert "I01" in str(refused.value)
    assert committed_snapshot(world.engine) == before  # I02 was not written either


def test_keep_mine_saves_again_on_the_version_the_refusal_named(world):
    aid = prepared(world, "a", "draft")
    save(world, "operator", aid, {"I01": {"level": 2}}, versions={"I01": 0})
    with pytest.raises(ScoreConflict) as refused:
        save(world, "coordinator", aid, {"I01": {"level": 4}}, versions={"I01": 0})
    newer = refused.value.conflicts["I01"].version
    assert save(world, "coordinator", aid, {"I01": {"level": 4}}, versions={"I01": newer}) == {"I01": 2}
    assert stored(world, aid)["I01"][0] == 4.0


def test_a_stale_save_is_refused_even_when_its_value_equals_the_newer_one(world):
    """The person saw older values: taking their save as done would leave their form showing those."""
    aid = prepared(world, "a", "draft")
    save(world, "operator", aid, {"I01": {"level": 2, "justification": "SK baru"}}, versions={"I01": 0})
    with pytest.raises(ScoreConflict) as refused:
        save(world, "coordinator", aid, {"I01": {"level": 2}}, versions={"I01": 0})
    assert refused.value.conflicts["I01"].values["justification"] == "SK baru"
    assert stored(world, aid)["I01"][3:] == (1, world.users["operator"])


def test_a_save_without_the_version_read_is_refused(world):
    aid = prepared(world, "a", "draft")
    with pytest.raises(WorkflowError, match="I01"), write_session(world.engine) as session:
        save_self_assessment(
            session,
            actor=world.actors["operator"],
            assessment_id=aid,
            versions={},
            entries={"I01": {"level": 2}},
        )


def test_two_people_creating_the_first_score_of_one_indicator_at_once_the_second_is_refused(world):
    """The first saver's row is not committed yet when the second saves: on PostgreSQL the second insert
    waits on the unique index and then fails inside a savepoint; on SQLite the second writer queues."""
    aid = prepared(world, "a", "draft")
    with write_session(world.engine) as session:
        save_self_assessment(
            session,
            actor=world.actors["operator"],
            assessment_id=aid,
            versions={"I03": 0},
            entries={"I03": {"level": 2}},
        )
        second = Background(
            lambda: save(world, "coordinator", aid, {"I03": {"level": 5}}, versions={"I03": 0})
        )
        wait_until_blocked(world.engine)
    with pytest.raises(ScoreConflict) as refused:
        second.result()
    assert refused.value.conflicts["I03"].values["self_level"] == 2.0
    assert refused.value.conflicts["I03"].updated_by == "Operator"
    assert stored(world, aid)["I03"][0] == 2.0


def test_a_save_waiting_behind_a_submission_is_refused_once_the_assessment_is_submitted(world):
    aid = prepared(world, "a", "complete")
    read = committed_versions(world, aid)
    with write_session(world.engine) as session:
        submit(
            session,
            actor=world.actors["coordinator"],
            assessment_id=aid,
            expected_version=current(world, aid),
        )
        late = Background(lambda: save(world, "operator", aid, {"I01": {"level": 1}}, versions=read))
        wait_until_blocked(world.engine)
    with pytest.raises(WorkflowError, match="diajukan"):
        late.result()
    assert stored(world, aid)["I01"][0] == 3.0


def test_a_submission_waits_for_a_running_save_and_then_goes_through_with_its_value(world):
    aid = prepared(world, "a", "complete")
    with write_session(world.engine) as session:
        save_self_assessment(
            session,
            actor=world.actors["operator"],
            assessment_id=aid,
            versions=score_versions(session, aid),
            entries={"I01": {"level": 4}},
        )
        version = current(world, aid)
        submitting = Background(lambda: act(world, submit, "coordinator", aid, expected_version=version))
        wait_until_blocked(world.engine)
    submitting.result()
    with read_session(world.engine) as session:
        row = scores(session, aid)["I01"]
    assert row.self_level == 4.0


def test_a_status_change_since_the_page_was_read_refuses_the_save(world):
    aid = prepared(world, "a", "complete")
    read = committed_versions(world, aid)
    act(world, submit, "coordinator", aid)
    before = committed_snapshot(world.engine)
    with pytest.raises(WorkflowError):
        save(world, "operator", aid, {"I01": {"level": 1}}, versions=read)
    assert committed_snapshot(world.engine) == before


def test_eight_people_saving_their_own_indicators_at_once_all_succeed_and_nothing_is_lost(world):
    aid = prepared(world, "a", "draft")
    codes = [f"I{n:02d}" for n in range(1, 9)]
    start = threading.Barrier(len(codes))

    def saver(n: int, code: str) -> dict[str, int]:
        start.wait()
        who = "operator" if n % 2 else "coordinator"
        return save(world, who, aid, {code: {"level": n % 5 + 1, "justification": f"bukti {n}"}}, {code: 0})

    savers = [Background(lambda n=n, code=code: saver(n, code)) for n, code in enumerate(codes)]
    assert [s.result() for s in savers] == [{code: 1} for code in codes]
    rows = stored(world, aid)
    assert {code: rows[code][:2] for code in codes} == {
        code: (float(n % 5 + 1), f"bukti {n}") for n, code in enumerate(codes)
    }


# --- the reviewer's grid ---------------------------------------------------------------------------


def test_a_reviewer_save_on_a_stale_score_is_refused_and_names_the_newer_final_level(world):
    aid = prepared(world, "a", "in_review")
    read = committed_versions(world, aid)
    act(world, save_review, "reviewer", aid, entries={"I05": {"final_level": 2, "note": "Cek SK"}})
    with pytest.raises(ScoreConflict) as refused:
        act(world, save_review, "reviewer", aid, entries={"I05": {"final_level": 4}}, versions=read)
    newer = refused.value.conflicts["I05"]
    assert (newer.values["final_level"], newer.values["reviewer_note"], newer.updated_by) == (
        2.0,
        "Cek SK",
        "Reviewer",
    )
    assert newer.version == read["I05"] + 1
