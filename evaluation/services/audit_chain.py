"""The audit log's hash chain: every entry carries the hash of the entry before it (`prev_hash`) and its own
hash over a canonical serialisation of its fields plus `prev_hash` (`entry_hash`). Editing, deleting,
reordering or replacing an entry behind the app's back breaks the chain at that entry, and `verify` names it.

Writers of the chain are serialised: PostgreSQL by a transaction-scoped advisory lock, SQLite by its single
writer (write sessions open with BEGIN IMMEDIATE). The head read under that lock is kept per transaction in
`session.info`, so several entries written in one transaction chain onto each other.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import Session

from evaluation import data_version
from evaluation.translatable import Message, Translatable

GENESIS = "0" * 64
LOCK_KEY = 0x5B_BE_A0_D1  # pg_advisory_xact_lock key of the audit chain
FIELDS = (
    "at",
    "user_id",
    "actor",
    "change_set",
    "action",
    "entity",
    "entity_id",
    "field",
    "old_value",
    "new_value",
)
_HEAD = "audit_chain_head"
_HEAD_SQL = "SELECT entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1"
_SETTLED_BUMPED = "audit_chain_settled_bumped"  # the transaction whose SETTLED version is bumped already


class AuditTimeError(Translatable, TypeError):
    """An audit entry's time that is not a datetime (a programming error, never the user's)."""


def _timestamp(value: Any) -> str:
    if isinstance(value, str):  # a raw SQLite value: read as UTC
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise AuditTimeError("ea.audit_time_type", found=type(value).__name__)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(entry: Mapping[str, Any], prev_hash: str, stamp: str | None = None) -> bytes:
    """The bytes hashed for one entry: its FIELDS (time in UTC to the microsecond; `stamp` when already
    formatted) and the previous hash, as compact sorted JSON. The row id is not part of it: order is
    carried by `prev_hash`."""
    body = {name: entry.get(name) for name in FIELDS}
    body["at"] = stamp if stamp is not None else _timestamp(body["at"])
    body["prev_hash"] = prev_hash
    return _ENCODER.encode(body).encode("utf-8")


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _digest(entry: Mapping[str, Any], prev_hash: str, stamp: str | None = None) -> str:
    return hashlib.sha256(canonical(entry, prev_hash, stamp)).hexdigest()


def entry_hash(entry: Mapping[str, Any], prev_hash: str) -> str:
    """sha256 (hex, 64 characters) of `canonical(entry, prev_hash)`."""
    return _digest(entry, prev_hash)


def stored_head(connection: Connection) -> str:
    """The entry_hash of the newest entry, or GENESIS for an empty log."""
    head = connection.execute(text(_HEAD_SQL)).scalar()
    return head or GENESIS


def _head(session: Session, entries: Sequence[Mapping[str, Any]]) -> str:
    """The chain head for this session's transaction, taking the lock the first time; bumps the data
    version: every scope at once, or EVERYTHING only while the transaction's entries are all working saves
    (data_version.WORKING_ACTIONS) and SETTLED at its first other entry."""
    transaction = session.get_transaction()
    working = data_version.is_working(entry.get("action") for entry in entries)
    cached = session.info.get(_HEAD)
    if cached is not None and cached[0] is transaction:
        if not working and session.info.get(_SETTLED_BUMPED) is not transaction:
            session.connection().exec_driver_sql(data_version.BUMP_SETTLED_SQL)
            session.info[_SETTLED_BUMPED] = transaction
        return str(cached[1])
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        head = _locked_head_postgresql(connection, working)
    else:  # SQLite: the write session's BEGIN IMMEDIATE already made this the only writer
        head = _bumped_head_sqlite(connection, working)
    session.info[_HEAD] = (transaction, head)
    if not working:
        session.info[_SETTLED_BUMPED] = transaction
    return head


# The lock, the data version's bump and the head read in one round trip: three statements in one simple
# query. Under READ COMMITTED each statement of a simple query takes its own snapshot, so the head is read
# after the lock is held (a single statement would read it with a snapshot taken before the wait). Round
# trips under the chain's lock are what 50 concurrent savers queue on (issue 10's p95).
_LOCK_BUMP_HEAD = {
    working: (
        f"SELECT pg_advisory_xact_lock({LOCK_KEY}); "
        f"{data_version.BUMP_WORKING_SQL if working else data_version.BUMP_SQL}; " + _HEAD_SQL
    )
    for working in (False, True)
}


def _bumped_head_sqlite(connection: Connection, working: bool) -> str:
    """Bump the data version (once per writing transaction, so every server's caches see this commit:
    issue 14; EVERYTHING only for `working` saves) and read the chain's head, on the driver's connection
    inside the open transaction: two statements that every save runs while it holds SQLite's one writer
    turn, where SQLAlchemy's own execution took ten times the statements' time (issue 17)."""
    raw = connection.connection.dbapi_connection
    raw.execute(data_version.BUMP_WORKING_SQL if working else data_version.BUMP_SQL)  # type: ignore[union-attr]
    row = raw.execute(_HEAD_SQL).fetchone()  # type: ignore[union-attr]
    return str(row[0]) if row and row[0] else GENESIS


def _locked_head_postgresql(connection: Connection, working: bool) -> str:
    """Take the chain's lock, bump the data version (EVERYTHING only for `working` saves) and read the
    head, on the connection's transaction."""
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(_LOCK_BUMP_HEAD[working])  # no parameters: psycopg sends it as one simple query
        cursor.nextset()  # the bump's result
        cursor.nextset()  # the head's
        row = cursor.fetchone()
    finally:
        cursor.close()
    return str(row[0]) if row and row[0] else GENESIS


def _advance(session: Session, head: str) -> None:
    session.info[_HEAD] = (session.get_transaction(), head)


def _refuse_closed_periods(session: Session, entries: Iterable[Mapping[str, Any]]) -> None:
    """Every change of an assessment is audited: a change in a closed period is refused here."""
    from evaluation.services.periods import require_open_assessments

    ids = {entry["entity_id"] for entry in entries if entry.get("entity") == "assessment"}
    if ids:
        require_open_assessments(session, ids)


def link(session: Session, entry: dict[str, Any]) -> dict[str, Any]:
    """Set `prev_hash` and `entry_hash` on one entry (a dict of FIELDS) about to be inserted now.
    Raises PeriodClosed for an entry on an assessment of a closed period."""
    _refuse_closed_periods(session, [entry])
    prev = _head(session, [entry])
    entry["prev_hash"] = prev
    entry["entry_hash"] = entry_hash(entry, prev)
    _advance(session, entry["entry_hash"])
    return entry


def chain_rows(session: Session, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Prepare a batch of audit rows (dicts of FIELDS, `at` an aware datetime) for one bulk insert in this
    transaction, in this order: each gets `prev_hash` and `entry_hash`. Insert them before writing any
    other audit entry in the same transaction. Raises PeriodClosed like `link`."""
    batch = list(rows)
    _refuse_closed_periods(session, batch)
    prev = _head(session, batch)
    stamps: dict[Any, str] = {}  # a bulk insert shares one time: format it once
    for row in batch:
        at = row["at"]
        if at not in stamps:
            stamps[at] = _timestamp(at)
        row["prev_hash"] = prev
        row["entry_hash"] = prev = _digest(row, prev, stamps[at])
    _advance(session, prev)
    return batch


@dataclass(frozen=True)
class ChainReport:
    """The outcome of `verify`: `count` entries checked; `head` the last good hash; on a break, the id of the
    first broken entry and why (a message, rendered in the reader's language)."""

    count: int
    head: str
    broken_id: int | None = None
    reason: Message | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify(connection: Connection, batch: int = 5_000) -> ChainReport:
    """Walk the whole log in id order and check every link; stops at the first broken entry."""
    columns = ", ".join(("id", *FIELDS, "prev_hash", "entry_hash"))
    expected = GENESIS
    count = 0
    last_id = None
    while True:
        where = "" if last_id is None else f"WHERE id > {int(last_id)} "
        rows = connection.execute(
            text(f"SELECT {columns} FROM audit_entry {where}ORDER BY id LIMIT {int(batch)}")
        ).mappings()
        fetched = 0
        for row in rows:
            fetched += 1
            last_id = row["id"]
            if row["prev_hash"] != expected:
                return ChainReport(
                    count,
                    expected,
                    row["id"],
                    Message("ea.chain_link_broken"),
                )
            if row["entry_hash"] != entry_hash(dict(row), expected):
                return ChainReport(
                    count,
                    expected,
                    row["id"],
                    Message("ea.chain_entry_changed"),
                )
            expected = row["entry_hash"]
            count += 1
        if fetched < batch:
            return ChainReport(count, expected)
