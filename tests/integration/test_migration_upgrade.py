"""An existing SQLite database holding data upgrades to the newest schema: migrations that rebuild a table
(SQLite's way of changing constraints) must not trip over the rows that reference it."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from evaluation.db import alembic_config, make_engine, migrate


def test_a_sqlite_database_with_assessments_upgrades_from_0008_to_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    cfg = alembic_config(url)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0008")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO framework_version (id, framework_id, version, name, content_hash, content,"
                " indicator_count, shipped, created_at) VALUES (1, 'spbe-2020', '1', 'SPBE', 'h', 'x', 47, 1,"
                " '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO agency (id, code, name, category, active)"
                " VALUES (1, 'KOTA-001', 'Kota', 'Kota', 1)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO period (id, year, framework_version_id, evaluation_type, status)"
                " VALUES (1, 2025, 1, 'evaluasi', 'open')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO assessment (id, agency_id, period_id, framework_version_id, status, version,"
                " created_at, updated_at) VALUES (1, 1, 1, 1, 'draft', 1, '2026-01-01 00:00:00',"
                " '2026-01-01 00:00:00')"
            )
        )

    migrate(engine)  # the rebuild of `period` (0009) is referenced by the assessment above

    with engine.connect() as connection:
        assert connection.execute(text("SELECT kind, runner FROM period WHERE id = 1")).one() == (
            "official",
            "ministry",
        )
        assert connection.execute(text("SELECT period_id FROM assessment WHERE id = 1")).scalar_one() == 1
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    engine.dispose()
