"""Shared fixtures. Database tests run on SQLite always and on PostgreSQL when TEST_DATABASE_URL is set:
each test gets its own fresh database (a file, or a throwaway PostgreSQL database).

Migrating and loading the demo take seconds, so each is done once per session into a template that
every test then copies (a file copy, or PostgreSQL's CREATE DATABASE ... TEMPLATE)."""

from __future__ import annotations

import os
import shutil
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
# CI runs the PostgreSQL tests as the app's restricted role (SECURITY.md): migrations and the demo are
# loaded by the owner into the template, which then grants this role; every test copy connects as it.
APP_ROLE = os.environ.get("TEST_DATABASE_APP_ROLE") or None


def _fresh_postgres(template: str | None = None) -> tuple[str, callable]:  # type: ignore[valid-type]
    assert PG_URL
    admin_url = normalise_url(PG_URL)
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
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


def _copy_of(backend: str, template: str, folder: Path) -> tuple[str, callable]:  # type: ignore[valid-type]
    """A new database holding what the template holds."""
    if backend == "sqlite":
        target = folder / f"copy-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(template, target)
        return f"sqlite:///{target}", lambda: None
    url, drop = _fresh_postgres(template=template)
    if APP_ROLE:
        url = make_url(url).set(username=APP_ROLE, password=None).render_as_string(hide_password=False)
    return url, drop


def _create_role(engine: Engine, role: str) -> None:
    """A LOGIN role without a password (the test cluster trusts 127.0.0.1); two workers may race."""
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.begin() as conn:
            if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is None:
                conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    except DBAPIError as exc:  # the other worker made it first
        if "already exists" not in str(exc):
            raise


def _make_template(backend: str, folder: Path, *, demo: bool) -> tuple[str, callable]:  # type: ignore[valid-type]
    from evaluation.bootstrap import ensure_database

    url, drop = fresh_database_url(backend, folder)
    eng = make_engine(url)
    ensure_database(eng, demo=demo, demo_limit=DEMO_AGENCIES)
    if backend == "sqlite":
        with eng.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    elif APP_ROLE:
        from evaluation.db_roles import grant_app_role

        _create_role(eng, APP_ROLE)
        grant_app_role(eng, APP_ROLE)
    eng.dispose()
    name = make_url(url).database or ""
    return name, drop


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[str, bool], str]]:
    """Lazily made per (backend, with demo): a migrated database, or one with the small demo loaded."""
    made: dict[tuple[str, bool], str] = {}
    drops = []

    class Templates(dict):  # type: ignore[type-arg]
        def __missing__(self, key: tuple[str, bool]) -> str:
            name, drop = _make_template(key[0], tmp_path_factory.mktemp("template"), demo=key[1])
            drops.append(drop)
            self[key] = name
            return name

    yield Templates(made)
    for drop in drops:
        drop()


class Built:
    """Databases a test module builds once per backend (its `build(engine)` returns what its tests need to
    know, such as ids) from the migrated template; each test then gets a copy of its own."""

    def __init__(self, templates: dict[tuple[str, bool], str], folder: pytest.TempPathFactory) -> None:
        self._templates, self._folder = templates, folder
        self._made: dict[tuple[str, str], tuple[str, object]] = {}
        self.drops: list[callable] = []  # type: ignore[valid-type]

    def copy(self, backend: str, name: str, build: callable, folder: Path) -> tuple[Engine, callable, object]:  # type: ignore[valid-type]
        """(engine of a fresh copy, its drop, what `build` returned) for the database built as `name`."""
        if (backend, name) not in self._made:
            url, drop = _copy_of(backend, self._templates[(backend, False)], self._folder.mktemp("built"))
            self.drops.append(drop)
            eng = make_engine(url)
            value = build(eng)
            if backend == "sqlite":
                with eng.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            eng.dispose()
            self._made[(backend, name)] = (make_url(url).database or "", value)
        database, value = self._made[(backend, name)]
        url, drop = _copy_of(backend, database, folder)
        return make_engine(url), drop, value


@pytest.fixture(scope="session")
def built(
    templates: dict[tuple[str, bool], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Built]:
    """See `Built`: a test module's own starting database, built once per backend and copied per test."""
    made = Built(templates, tmp_path_factory)
    yield made
    for drop in made.drops:
        drop()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database on each backend."""
    url, drop = fresh_database_url(request.param, tmp_path)
    yield url
    drop()


@pytest.fixture(params=BACKENDS)
def engine(
    request: pytest.FixtureRequest, templates: dict[tuple[str, bool], str], tmp_path: Path
) -> Iterator[Engine]:
    """A migrated database with the shipped frameworks registered, and nothing else."""
    url, drop = _copy_of(request.param, templates[(request.param, False)], tmp_path)
    eng = make_engine(url)
    yield eng
    eng.dispose()
    drop()


@pytest.fixture(params=BACKENDS)
def demo_db_url(
    request: pytest.FixtureRequest, templates: dict[tuple[str, bool], str], tmp_path: Path
) -> Iterator[str]:
    """The URL of a database of its own with the small demo loaded, for a test that writes into it."""
    url, drop = _copy_of(request.param, templates[(request.param, True)], tmp_path)
    yield url
    drop()


@pytest.fixture(scope="module", params=BACKENDS)
def demo_engine(
    request: pytest.FixtureRequest,
    templates: dict[tuple[str, bool], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Engine]:
    """A database with a small demo picture, one copy per test module."""
    url, drop = _copy_of(request.param, templates[(request.param, True)], tmp_path_factory.mktemp("demo"))
    eng = make_engine(url)
    yield eng
    eng.dispose()
    drop()


# Long files first (issue: keep the CI run under 15 minutes on 2 cores). With `--dist loadfile` the two
# workers take whole files in collection order (`--no-loadscope-reorder` in pyproject.toml keeps it;
# xdist's default sorts files by their number of tests, which put the browser files, one to four long
# tests each, at the very end, where one worker ran them for minutes while the other had nothing left).
# Browser files first, then AppTest, the database tests and the pure unit tests, so the run ends on
# many short tests that even out the two workers.
_ORDER = {"e2e": 0, "app": 1, "integration": 2, "unit": 3}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        parts = item.nodeid.split("/")  # tests/<folder>/test_x.py::...
        return _ORDER.get(parts[1] if len(parts) > 2 else "", 2)

    items.sort(key=rank)  # stable: within a folder, the collection order stays
