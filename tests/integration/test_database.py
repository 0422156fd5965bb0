"""The database layer: migrations, CHECK constraints, write transactions, SQLite under concurrent writers."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from evaluation.bootstrap import ensure_schema
from evaluation.db import (
    BUSY_TIMEOUT_MS,
    make_engine,
    migrate,
    read_session,
    schema_is_current,
    write_session,
)
from evaluation.models import Agency, Assessment, FrameworkVersion, IndicatorScore, Period
from evaluation.services.frameworks import latest_version

pytestmark = pytest.mark.db


def count(engine, model) -> int:
    with read_session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def make_assessment(engine) -> int:
    """One agency with one draft assessment in a 2024 spbe-2020 period; returns the assessment id."""
    with write_session(engine) as session:
        version = latest_version(session, "spbe-2020")
        assert version is not None and version.id is not None
        agency = Agency(code="KOTA-001", name="Kota Contoh", category="Kota", province="Jawa Barat")
        period = Period(year=2024, framework_version_id=version.id, evaluation_type="evaluasi")
        session.add_all([agency, period])
        session.flush()
        assessment = Assessment(agency_id=agency.id, period_id=period.id, framework_version_id=version.id)
        session.add(assessment)
        session.flush()
        assert assessment.id is not None
        return assessment.id


# --- migrations ------------------------------------------------------------------------------------


def test_a_fresh_database_is_not_current_before_migrating(db_url):
    engine = make_engine(db_url)
    try:
        assert schema_is_current(engine) is False
    finally:
        engine.dispose()


# the tables and columns the migrations build: tests/integration/test_schema_matches_models.py


def test_schema_is_current_after_migrating(db_url):
    engine = make_engine(db_url)
    try:
        migrate(engine)
        assert schema_is_current(engine) is True
    finally:
        engine.dispose()


def test_running_ensure_schema_again_keeps_the_schema_and_the_frameworks(engine):
    ensure_schema(engine)
    ensure_schema(engine)
    assert schema_is_current(engine)
    assert count(engine, FrameworkVersion) == 3


# --- CHECK constraints -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "levels", [{"self_level": 7}, {"final_level": 0}, {"self_level": 0.5}, {"final_level": 5.5}]
)
def test_a_level_outside_one_to_five_is_refused_and_nothing_is_written(engine, levels):
    assessment_id = make_assessment(engine)
    with pytest.raises(IntegrityError), write_session(engine) as session:
        session.add(IndicatorScore(assessment_id=assessment_id, indicator_code="I01", **levels))
    assert count(engine, IndicatorScore) == 0


def test_levels_one_and_five_are_accepted(engine):
    assessment_id = make_assessment(engine)
    with write_session(engine) as session:
        session.add(
            IndicatorScore(assessment_id=assessment_id, indicator_code="I01", self_level=5, final_level=1)
        )
    assert count(engine, IndicatorScore) == 1


def test_an_agency_of_an_unknown_category_is_refused(engine):
    with pytest.raises(IntegrityError), write_session(engine) as session:
        session.add(Agency(code="DESA-001", name="Desa Contoh", category="Desa"))
    assert count(engine, Agency) == 0


def test_an_assessment_with_an_unknown_status_is_refused(engine):
    assessment_id = make_assessment(engine)
    with pytest.raises(IntegrityError), write_session(engine) as session:
        assessment = session.get(Assessment, assessment_id)
        assert assessment is not None
        assessment.status = "approved"
        session.add(assessment)
    with read_session(engine) as session:
        stored = session.get(Assessment, assessment_id)
        assert stored is not None and stored.status == "draft"


def test_a_score_of_a_missing_assessment_is_refused(engine):
    with pytest.raises(IntegrityError), write_session(engine) as session:
        session.add(IndicatorScore(assessment_id=9999, indicator_code="I01", self_level=3))
    assert count(engine, IndicatorScore) == 0


# --- write sessions --------------------------------------------------------------------------------


def test_write_session_rolls_back_everything_when_an_error_is_raised_inside(engine):
    with pytest.raises(RuntimeError, match="boom"), write_session(engine) as session:
        session.add(Agency(code="KAB-001", name="Kabupaten Satu", category="Kabupaten"))
        session.flush()
        session.add(Agency(code="KAB-002", name="Kabupaten Dua", category="Kabupaten"))
        session.flush()
        raise RuntimeError("boom")
    assert count(engine, Agency) == 0


def test_write_session_commits_when_the_block_ends_normally(engine):
    with write_session(engine) as session:
        session.add(Agency(code="KAB-001", name="Kabupaten Satu", category="Kabupaten"))
    assert count(engine, Agency) == 1


# --- SQLite tuning ---------------------------------------------------------------------------------


def sqlite_pragma(engine, name: str):
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas only")
    with engine.connect() as connection:
        return connection.execute(text(f"PRAGMA {name}")).scalar()


def test_sqlite_uses_write_ahead_logging(engine):
    assert sqlite_pragma(engine, "journal_mode") == "wal"


def test_sqlite_enforces_foreign_keys(engine):
    assert sqlite_pragma(engine, "foreign_keys") == 1


def test_sqlite_waits_for_a_busy_database_instead_of_failing(engine):
    assert sqlite_pragma(engine, "busy_timeout") == BUSY_TIMEOUT_MS


def test_sqlite_writers_in_twelve_threads_queue_and_lose_no_update(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("BEGIN IMMEDIATE queuing is SQLite's; PostgreSQL read-modify-write needs row locks")
    with write_session(engine) as session:
        counter = Agency(code="CTR-001", name="0", category="Lembaga")
        session.add(counter)
        session.flush()
        counter_id = counter.id
    errors: list[BaseException] = []
    start = threading.Barrier(12)

    def increment() -> None:
        try:
            start.wait()
            with write_session(engine) as session:
                agency = session.get(Agency, counter_id)
                assert agency is not None
                value = int(agency.name)
                time.sleep(0.005)  # widen the window between read and write
                agency.name = str(value + 1)
                session.add(agency)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=increment) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with read_session(engine) as session:
        stored = session.get(Agency, counter_id)
        assert stored is not None and stored.name == "12"
