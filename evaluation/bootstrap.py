"""Make a database ready: schema migrated, shipped frameworks registered, demo data only when asked.

Several app servers may start at once on one database: migrate-and-seed runs under a start-up lock, a
session-level `pg_advisory_lock` on PostgreSQL and an exclusive file lock beside the database file on
SQLite, so one server migrates while the others wait and then find the schema current. For upgrades run
`python -m evaluation init` once (with the owner's DATABASE_URL) before starting the new servers.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import NullPool

from evaluation.data_version import bump
from evaluation.db import migrate, schema_is_current, write_session
from evaluation.demo.data import DemoSummary, Progress, agency_count, load_demo
from evaluation.services.actors import SYSTEM
from evaluation.services.frameworks import sync_shipped_frameworks

STARTUP_LOCK_KEY = 0x5B_BE_57_A7  # pg_advisory_lock key of migrate-and-seed
_IN_PROCESS = threading.Lock()


@contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """Hold the database-wide start-up lock (blocking until it is free) for the block.

    PostgreSQL: `pg_advisory_lock` on a connection of its own (outside the engine's pool, so a pool of one
    cannot deadlock); SQLite: `fcntl.flock` on `<database>.startup.lock` (in-memory databases and systems
    without fcntl: a lock of this process only)."""
    with _IN_PROCESS:
        if engine.dialect.name == "postgresql":
            locker = create_engine(engine.url, poolclass=NullPool)
            try:
                with locker.connect() as connection:
                    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK_KEY})
                    try:
                        yield
                    finally:
                        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": STARTUP_LOCK_KEY})
            finally:
                locker.dispose()
            return
        name = engine.url.database
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: one process per SQLite file is the norm there
            fcntl = None  # type: ignore[assignment]
        if not name or name == ":memory:" or fcntl is None:
            yield
            return
        path = Path(name).with_name(Path(name).name + ".startup.lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _migrate_and_register(engine: Engine) -> None:
    if not schema_is_current(engine):
        migrate(engine)
    with write_session(engine) as session:
        sync_shipped_frameworks(session, actor=SYSTEM)


def ensure_schema(engine: Engine) -> None:
    """Migrate to the newest schema and register the shipped frameworks, under the start-up lock."""
    with startup_lock(engine):
        _migrate_and_register(engine)


def ensure_database(
    engine: Engine, *, demo: bool = False, demo_limit: int | None = None, progress: Progress | None = None
) -> DemoSummary | None:
    """Migrate and register frameworks; with `demo`, load the demo into a database that has no agencies.
    Returns the demo's summary when it was loaded now, else None. All of it under the start-up lock, so of
    several servers starting at once one migrates and seeds and the others find it done."""
    with startup_lock(engine):
        _migrate_and_register(engine)
        if not demo:
            return None
        try:
            with write_session(engine) as session:
                if agency_count(session) > 0:
                    return None
                summary = load_demo(session, limit=demo_limit, progress=progress)
                bump(session.connection())  # every server's caches see the demo
                return summary
        except IntegrityError:
            return None
