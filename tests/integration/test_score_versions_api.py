"""Per-score versions below the pages (issue 10): the service API for bulk writers (claim, stored scores),
the schema (migration 0005 up and down on every backend) and how write sessions queue (SQLite inside the
process, PostgreSQL side by side)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from evaluation.db import read_session, write_session
from evaluation.models import AuditEntry
from evaluation.services.assessment_state import set_score_fields
from evaluation.services.audit import new_change_set
from evaluation.services.score_versions import ScoreConflict, claim_scores, stored_scores
from tests.integration.test_score_locking import Background, stored
from tests.integration.workflow_fixtures import committed_versions, prepared, save

pytestmark = pytest.mark.db


# --- the service API for bulk writers (the Excel import) -------------------------------------------


def test_claimed_scores_changed_through_set_score_fields_go_up_one_version_and_name_the_writer(world):
    aid = prepared(world, "a", "in_review")
    read = committed_versions(world, aid)
    reviewer = world.actors["reviewer"]
    with write_session(world.engine) as session:
        rows = claim_scores(session, assessment_id=aid, seen={"I01": read["I01"], "I02": read["I02"]})
        set_score_fields(
            session,
            actor=reviewer,
            change_set=new_change_set(),
            action="import",
            assessment_id=aid,
            row=rows["I01"],
            changes={"final_level": 5.0},
        )
        set_score_fields(  # nothing changes: the version stays
            session,
            actor=reviewer,
            change_set=new_change_set(),
            action="import",
            assessment_id=aid,
            row=rows["I02"],
            changes={"self_level": rows["I02"].self_level},
        )
    rows_now = stored(world, aid)
    assert rows_now["I01"][2:] == (5.0, read["I01"] + 1, world.users["reviewer"])
    assert rows_now["I02"][3] == read["I02"]


def test_a_claim_on_a_stale_version_or_on_a_score_created_since_is_refused(world):
    aid = prepared(world, "a", "draft")
    save(world, "operator", aid, {"I01": {"level": 2}, "I02": {"level": 3}}, versions={"I01": 0, "I02": 0})
    save(world, "operator", aid, {"I01": {"level": 4}}, versions={"I01": 1})
    with pytest.raises(ScoreConflict) as refused, write_session(world.engine) as session:
        claim_scores(session, assessment_id=aid, seen={"I01": 1, "I02": 1, "I03": 0, "I04": 0})
    assert set(refused.value.conflicts) == {"I01"}
    with pytest.raises(ScoreConflict) as refused, write_session(world.engine) as session:
        claim_scores(session, assessment_id=aid, seen={"I02": 0})
    assert refused.value.conflicts["I02"].version == 1


def test_stored_scores_reports_a_missing_score_as_version_zero(world):
    aid = prepared(world, "a", "draft")
    with read_session(world.engine) as session:
        found = stored_scores(session, aid, ["I09"])["I09"]
    assert (found.version, found.values["self_level"], found.updated_by, found.updated_at) == (
        0,
        None,
        None,
        None,
    )


def test_a_refused_save_writes_no_audit_entry(world):
    aid = prepared(world, "a", "draft")
    save(world, "operator", aid, {"I01": {"level": 2}}, versions={"I01": 0})
    with read_session(world.engine) as session:
        entries = len(list(session.exec(AuditEntry.__table__.select())))  # type: ignore[attr-defined]
    with pytest.raises(ScoreConflict):
        save(world, "coordinator", aid, {"I01": {"level": 3}}, versions={"I01": 0})
    with read_session(world.engine) as session:
        assert len(list(session.exec(AuditEntry.__table__.select()))) == entries  # type: ignore[attr-defined]


# --- migration 0005 --------------------------------------------------------------------------------

_ROWS = (
    "INSERT INTO framework_version (id, framework_id, version, name, content_hash, content, indicator_count, "
    "shipped, created_at) VALUES (1, 'f', '1', 'F', 'h', 'x', 1, false, '2026-01-01 00:00:00')",
    "INSERT INTO agency (id, code, name, category, active) VALUES (1, 'A-1', 'A', 'Kota', true)",
    "INSERT INTO period (id, year, framework_version_id, evaluation_type, status) "
    "VALUES (1, 2026, 1, 'pemdi', 'open')",
    "INSERT INTO assessment (id, agency_id, period_id, framework_version_id, status, version, created_at, "
    "updated_at) VALUES (1, 1, 1, 1, 'draft', 7, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
    "INSERT INTO indicator_score (id, assessment_id, indicator_code, self_level, not_applicable, updated_at) "
    "VALUES (1, 1, 'I01', 3, false, '2026-01-01 00:00:00')",
)


def _migrate(engine: Engine, direction: str, revision: str) -> None:
    from alembic import command

    from evaluation.db import alembic_config

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        getattr(command, direction)(cfg, revision)


def _score_columns(engine: Engine) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns("indicator_score")}


def test_migration_0005_gives_existing_scores_version_1_and_its_downgrade_removes_the_columns(db_url):
    from evaluation.db import make_engine

    engine = make_engine(db_url)
    try:
        _migrate(engine, "upgrade", "0004")
        with engine.begin() as conn:
            for statement in _ROWS:
                conn.execute(text(statement))
        _migrate(engine, "upgrade", "0005")
        with engine.connect() as conn:
            row = conn.execute(text("SELECT version, updated_by, self_level FROM indicator_score")).one()
        assert tuple(row) == (1, None, 3.0)
        assert {"version", "updated_by"} <= _score_columns(engine)
        foreign = [
            (fk["constrained_columns"], fk["referred_table"])
            for fk in inspect(engine).get_foreign_keys("indicator_score")
        ]
        assert (["updated_by"], "user_account") in foreign
        _migrate(engine, "downgrade", "0004")
        assert not {"version", "updated_by"} & _score_columns(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT self_level FROM indicator_score")).scalar() == 3.0
        _migrate(engine, "upgrade", "0005")
        assert {"version", "updated_by"} <= _score_columns(engine)
    finally:
        engine.dispose()


# --- SQLite writers queue inside the process; PostgreSQL's run side by side -----------------------


def test_write_sessions_queue_inside_the_process_on_sqlite_and_run_side_by_side_on_postgresql(engine):
    from evaluation.db import make_engine, sqlite_writer_lock

    entered = threading.Event()
    with write_session(engine):
        other = Background(lambda: _enter(engine, entered))
        overlapped = entered.wait(timeout=0.5)
    other.result()
    assert overlapped is (engine.dialect.name == "postgresql")
    if engine.dialect.name == "sqlite":  # the queue is the process-wide lock, shared by every engine
        second = make_engine(engine.url.render_as_string(hide_password=False))
        try:
            lock = sqlite_writer_lock(second)
            with write_session(engine):
                free_while_writing = Background(lambda: _try(lock)).result()
            assert (free_while_writing, Background(lambda: _try(lock)).result()) == (False, True)
        finally:
            second.dispose()


def _try(lock: Any) -> bool:
    if lock.acquire(blocking=False):
        lock.release()
        return True
    return False


def _enter(engine: Engine, entered: threading.Event) -> None:
    with write_session(engine):
        entered.set()


# --- the score saves' locking read -------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "submitted", "in_review"])
def test_the_score_saves_locking_read_gives_what_the_orm_row_holds_and_the_same_framework(world, status):
    from evaluation.services.assessment_lock import LockedAssessment, lock_assessment, lock_for_scores

    aid = prepared(world, "a", status)
    with write_session(world.engine) as session:
        facts, framework = lock_for_scores(session, aid)
        row, orm_framework = lock_assessment(session, aid)
        fields = LockedAssessment.__dataclass_fields__
        assert set(fields) == {"id", "agency_id", "period_id", "framework_version_id", "status", "stage"} | {
            "operators_edit_all"
        }
        assert {name: getattr(facts, name) for name in fields} == {
            name: getattr(row, name) for name in fields
        }
        assert facts.status == status and framework is orm_framework
        with pytest.raises(AttributeError):  # a frozen copy: a save cannot change the assessment through it
            facts.status = "draft"  # type: ignore[misc]


def test_the_score_saves_locking_read_refuses_an_unknown_assessment(world):
    from evaluation.services.assessment_lock import lock_for_scores
    from evaluation.translatable import NotFound

    with write_session(world.engine) as session, pytest.raises(NotFound) as caught:
        lock_for_scores(session, 987_654)
    assert caught.value.text.key == "ew.assessment_does_not_exist"


# --- the savers benchmark: its figures come from real saves -----------------------------------------


def test_the_savers_benchmark_saves_fifty_at_once_with_none_refused_or_lost(engine, capsys):
    from bench.savers import SAVERS, run

    summary = run(engine, rounds=2)
    assert (summary["saves"], summary["refused"], summary["lost"]) == (2 * SAVERS, 0, 0)
    assert 0 < summary["p50"] <= summary["p95"] <= summary["max"]
    assert "refused 0, lost 0" in capsys.readouterr().out
