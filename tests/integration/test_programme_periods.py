"""Programme periods (issue 16): migration 0009 and the period's kind, runner and verified flag, on
SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from evaluation.db import write_session
from evaluation.models import Period
from evaluation.services.frameworks import latest_version

PROGRAMME_COLUMNS = {"kind", "runner", "runner_agency_id", "verified"}


def _migrate(engine: Engine, direction: str, revision: str) -> None:
    from alembic import command

    from evaluation.db import alembic_config

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        getattr(command, direction)(cfg, revision)


def _columns(engine: Engine) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns("period")}


def test_migration_0009_makes_existing_periods_official_and_its_downgrade_removes_the_columns(db_url):
    from evaluation.db import make_engine

    engine = make_engine(db_url)
    try:
        _migrate(engine, "upgrade", "0008")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO framework_version (id, framework_id, version, name, content_hash, content,"
                    " indicator_count, shipped, created_at) VALUES (1, 'x', '1', 'X', 'h', 'c', 1, true,"
                    " CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO period (id, year, framework_version_id, evaluation_type, status)"
                    " VALUES (1, 2025, 1, 'evaluasi', 'closed')"
                )
            )
        _migrate(engine, "upgrade", "0009")
        assert _columns(engine) >= PROGRAMME_COLUMNS
        with engine.connect() as conn:
            row = conn.execute(text("SELECT kind, runner, runner_agency_id, verified FROM period")).one()
        assert (row[0], row[1], row[2], bool(row[3])) == ("official", "ministry", None, True)
        _migrate(engine, "downgrade", "0008")
        assert not PROGRAMME_COLUMNS & _columns(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT year FROM period")).scalar() == 2025
        _migrate(engine, "upgrade", "0009")
        assert _columns(engine) >= PROGRAMME_COLUMNS
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "pilot"},
        {"runner": "district"},
        {"kind": "programme", "runner": "province"},  # a province runner names its agency
        {"kind": "programme", "runner": "ministry", "runner_agency_id": 1},  # the ministry names none
    ],
    ids=["unknown-kind", "unknown-runner", "province-without-agency", "ministry-with-agency"],
)
def test_a_period_with_an_inconsistent_kind_or_runner_is_refused(engine, fields):
    with pytest.raises(IntegrityError), write_session(engine) as session:
        version = latest_version(session, "vision-to-evaluation")
        assert version is not None and version.id is not None
        session.add(Period(year=2030, framework_version_id=version.id, evaluation_type="pemdi", **fields))
