"""The data version: one counter in the database (table `data_version`, row 1) that every write changing
what a cached read shows bumps in its own transaction. Every such write goes through the audit log, so the
audit chain bumps it once per transaction when it takes the chain's lock (`audit_chain._head`); the demo
loader bumps it itself. Caches on every app server key their entries on `current(...)`, so a commit on one
server shows on another's next rerun; TTLs only bound memory.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

BUMP_SQL = "UPDATE data_version SET version = version + 1 WHERE id = 1"
_BUMP = text(BUMP_SQL)
_READ = text("SELECT version FROM data_version WHERE id = 1")


def bump(connection: Connection) -> None:
    """Add one to the data version inside the caller's transaction (committed or rolled back with it).
    On PostgreSQL the row lock orders concurrent writers; the audit chain's advisory lock already does."""
    connection.execute(_BUMP)


def current(bind: Engine | Connection) -> int:
    """The committed data version (an int, 0 on a freshly migrated database); on a Connection, as its
    transaction sees it."""
    if isinstance(bind, Engine):
        try:
            return _read_raw(bind)
        except bind.dialect.loaded_dbapi.Error:
            pass  # SQLAlchemy's own path below reconnects, or raises its wrapped error
        with bind.connect() as connection:
            return int(connection.execute(_READ).scalar() or 0)
    return int(bind.execute(_READ).scalar() or 0)


def _read_raw(engine: Engine) -> int:
    """The version read on a pooled driver connection outside any transaction of ours: every cached read
    of a page run asks it, and a Connection's begin, statement and result set cost ~6x more (issue 17)."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            cursor.execute(_READ.text)
            row = cursor.fetchone()
        finally:
            cursor.close()
    finally:
        raw.close()  # back to the pool, which rolls back what the driver began
    return int(row[0] or 0) if row else 0
