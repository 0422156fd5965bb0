"""Shared fixtures. Database tests run on SQLite always and on PostgreSQL when TEST_DATABASE_URL is set:
each test gets its own fresh database (a file, or a throwaway PostgreSQL database)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from evaluation.db import make_engine, normalise_url

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
DEMO_AGENCIES = 40


def _fresh_postgres() -> tuple[str, callable]:  # type: ignore[valid-type]
    assert PG_URL
    admin_url = normalise_url(PG_URL)
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def fresh_database_url(backend: str, tmp_path: Path) -> tuple[str, callable]:  # type: ignore[valid-type]
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}", lambda: None
    return _fresh_postgres()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database on each backend."""
    url, drop = fresh_database_url(request.param, tmp_path)
    yield url
    drop()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated database with the shipped frameworks registered, and nothing else."""
    from evaluation.bootstrap import ensure_schema

    eng = make_engine(db_url)
    ensure_schema(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def demo_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database with a small demo picture (read-only for the tests that use it)."""
    from evaluation.bootstrap import ensure_database

    url, drop = fresh_database_url(request.param, tmp_path_factory.mktemp("demo"))
    eng = make_engine(url)
    ensure_database(eng, demo=True, demo_limit=DEMO_AGENCIES)
    yield eng
    eng.dispose()
    drop()
