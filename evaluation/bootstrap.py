"""Make a database ready: schema migrated, shipped frameworks registered, demo data on first start."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from evaluation.db import migrate, schema_is_current, write_session
from evaluation.demo import DemoSummary, Progress, agency_count, load_demo
from evaluation.services.actors import SYSTEM
from evaluation.services.frameworks import sync_shipped_frameworks


def ensure_schema(engine: Engine) -> None:
    if not schema_is_current(engine):
        migrate(engine)
    with write_session(engine) as session:
        sync_shipped_frameworks(session, actor=SYSTEM)


def ensure_database(
    engine: Engine, *, demo: bool = False, demo_limit: int | None = None, progress: Progress | None = None
) -> DemoSummary | None:
    """Migrate and register frameworks; with `demo`, load the demo into a database that has no agencies.

    Two app servers starting at once: the write lock (SQLite) or the unique codes (PostgreSQL) let only
    one of them load the demo; the other finds it loaded.
    """
    ensure_schema(engine)
    if not demo:
        return None
    try:
        with write_session(engine) as session:
            if agency_count(session) > 0:
                return None
            return load_demo(session, limit=demo_limit, progress=progress)
    except IntegrityError:
        return None
