"""The data version: counters in the database (table `data_version`) that every write changing what a
cached read shows bumps in its own transaction. Every such write goes through the audit log, so the audit
chain bumps them once per transaction when it takes the chain's lock (`audit_chain._head`); the demo loader
bumps them itself. Caches on every app server key their entries on `current(...)`, so a commit on one
server shows on another's next rerun; TTLs only bound memory.

Two scopes (rows), so that the working saves of assessments still being filled do not empty every
ministry page's cache several times a second in the evaluation weeks (issue 17):

- `EVERYTHING` (row 1): bumped by every audited write.
- `SETTLED` (row 2): bumped by every audited write except a transaction whose audit entries are all
  `WORKING_ACTIONS`: an agency's own save of an assessment in draft or returned (`save_self`) and a
  reviewer's save of final levels and notes of one in review (`save_review`). Those services refuse any
  other status, so they never change what a read of finalized assessments, statuses, the register,
  published results or roadmaps shows. A cache keys on SETTLED only when what it shows is read from
  such data (`scope_of` for a period's scoring by statuses; `tests/integration/test_data_version_scopes.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from evaluation.workflow import AGENCY_EDITABLE, REVIEWER_EDITABLE

EVERYTHING: Final = 1
SETTLED: Final = 2
# the audit actions of saves that change only the working content of an assessment that is not final
WORKING_ACTIONS = frozenset({"save_self", "save_review"})
# the statuses where those saves happen
WORKING_STATUSES = frozenset(str(s) for s in AGENCY_EDITABLE | REVIEWER_EDITABLE)

BUMP_SQL = "UPDATE data_version SET version = version + 1"  # every scope
BUMP_WORKING_SQL = f"UPDATE data_version SET version = version + 1 WHERE id = {EVERYTHING}"
BUMP_SETTLED_SQL = f"UPDATE data_version SET version = version + 1 WHERE id = {SETTLED}"
_BUMP = text(BUMP_SQL)
_READ = {scope: text(f"SELECT version FROM data_version WHERE id = {scope}") for scope in (1, 2)}


def bump(connection: Connection) -> None:
    """Add one to every scope's version inside the caller's transaction (committed or rolled back with it).
    On PostgreSQL the row locks order concurrent writers; the audit chain's advisory lock already does."""
    connection.execute(_BUMP)


def is_working(actions: Iterable[str | None]) -> bool:
    """True when there is at least one audit action and each is a working save (WORKING_ACTIONS): such a
    transaction bumps EVERYTHING only."""
    seen = False
    for action in actions:
        if action not in WORKING_ACTIONS:
            return False
        seen = True
    return seen


def scope_of(statuses: Iterable[str]) -> int:
    """The scope covering reads of assessments in `statuses` (their levels, their number): SETTLED when
    none of them is a status working saves happen in, else EVERYTHING."""
    return EVERYTHING if WORKING_STATUSES.intersection(str(s) for s in statuses) else SETTLED


def current(bind: Engine | Connection, scope: int = EVERYTHING) -> int:
    """The committed version of `scope` (an int, 0 on a freshly migrated database); on a Connection, as
    its transaction sees it."""
    if isinstance(bind, Engine):
        try:
            return _read_raw(bind, _READ[scope].text)
        except bind.dialect.loaded_dbapi.Error:
            pass  # SQLAlchemy's own path below reconnects, or raises its wrapped error
        with bind.connect() as connection:
            return int(connection.execute(_READ[scope]).scalar() or 0)
    return int(bind.execute(_READ[scope]).scalar() or 0)


def _read_raw(engine: Engine, query: str) -> int:
    """The version read on a pooled driver connection outside any transaction of ours: every cached read
    of a page run asks it, and a Connection's begin, statement and result set cost ~6x more (issue 17)."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            cursor.execute(query)
            row = cursor.fetchone()
        finally:
            cursor.close()
    finally:
        raw.close()  # back to the pool, which rolls back what the driver began
    return int(row[0] or 0) if row else 0
