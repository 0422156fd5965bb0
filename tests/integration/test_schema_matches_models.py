"""The migrations build exactly the schema the models describe (issue 15): a fresh database migrated with
evaluation.db.migrate is compared with SQLModel.metadata by Alembic's autogenerate, on SQLite and on
PostgreSQL. Tables, columns, types, nullability, server defaults, indexes, unique constraints and
foreign keys are compared; CHECK constraints, which autogenerate does not compare, by name below."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, Column, Integer, MetaData, inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import evaluation.models  # noqa: F401  (registers every table in SQLModel.metadata)
from evaluation.db import make_engine, migrate

pytestmark = pytest.mark.db


@pytest.fixture
def migrated(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


def differences(engine: Engine, metadata: MetaData) -> list[Any]:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, metadata))


def test_the_migrated_schema_matches_the_models(migrated):
    assert differences(migrated, SQLModel.metadata) == []


def test_a_column_the_migrations_lack_is_reported(migrated):
    models = MetaData()
    for table in SQLModel.metadata.tables.values():
        table.to_metadata(models)
    models.tables["agency"].append_column(Column("not_migrated", Integer, nullable=True))
    found = differences(migrated, models)
    assert [(d[0], d[2], d[3].name) for d in found] == [("add_column", "agency", "not_migrated")]


def test_every_check_constraint_of_the_models_is_in_the_database(migrated):
    inspector = inspect(migrated)
    expected = {
        (name, constraint.name)
        for name, table in SQLModel.metadata.tables.items()
        for constraint in table.constraints
        if isinstance(constraint, CheckConstraint) and isinstance(constraint.name, str)
    }
    present = {
        (name, c["name"]) for name in SQLModel.metadata.tables for c in inspector.get_check_constraints(name)
    }
    assert expected, "the models declare CHECK constraints"
    assert sorted(expected - present) == []
