"""Optimistic locking per indicator score (issue 10). Every score row carries its own `version`, who saved it
last (`updated_by`) and when (`updated_at`). A save names, per indicator, the version it read (0 = "no row
yet"); a score saved by someone else since is refused with what is stored now, who stored it and when, so
the page can keep what the person typed and show the newer value beside it. Two people saving different
indicators of one assessment both succeed; status changes keep using the assessment's own version.

Locks, in this order, so that concurrent savers never deadlock: the assessment row FOR SHARE (a status
change waits for running saves and a save after it sees the new status), then the score rows FOR UPDATE in
code order, then (when writing) the audit log's. SQLite ignores FOR SHARE/UPDATE: its write transactions
(BEGIN IMMEDIATE) run one at a time already.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, TypeAlias

from sqlalchemy import bindparam, update
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from evaluation.models import IndicatorScore, User, utcnow
from evaluation.services import audit
from evaluation.services.actors import Actor
from evaluation.services.assessment_state import StaleAssessment, WorkflowError

Versions: TypeAlias = Mapping[str, int]  # {indicator code: the score version a save read (0 = no score yet)}
Entries: TypeAlias = Mapping[str, Mapping[str, Any]]  # {indicator code: {field: value}} of one save
SCORE_FIELDS = (
    "self_level",
    "justification",
    "not_applicable",
    "national_index_value",
    "national_index_source",
    "national_index_read_on",
    "proposed_level",
    "final_level",
    "reviewer_note",
)


@dataclass(frozen=True)
class StoredScore:
    """One indicator's score as stored now: `version` (0 = no row yet), `values` (field -> value, the
    fields of SCORE_FIELDS), who saved it last (`updated_by`: full name, or None for imports without a
    user and rows older than per-score versions) and when (`updated_at`, UTC; None = no row)."""

    code: str
    version: int
    values: dict[str, Any]
    updated_by: str | None
    updated_at: datetime | None


class ScoreConflict(StaleAssessment):
    """Scores saved by someone else since this user read them; nothing of the save was written.

    `conflicts` maps each refused indicator code to its StoredScore (the newer value, who, when); the
    caller keeps the person's input and offers to save it again on `conflicts[code].version`."""

    def __init__(self, conflicts: Mapping[str, StoredScore]):
        self.conflicts = dict(conflicts)
        super().__init__("ew.score_conflict", codes=sorted(self.conflicts))


def score_versions(session: Session, assessment_id: int) -> dict[str, int]:
    """{indicator code: version} of every stored score of the assessment; an absent code means 0."""
    rows = session.exec(
        select(IndicatorScore.indicator_code, IndicatorScore.version).where(
            IndicatorScore.assessment_id == assessment_id
        )
    )
    return {code: version for code, version in rows}


def stored_scores(session: Session, assessment_id: int, codes: Iterable[str]) -> dict[str, StoredScore]:
    """What is stored now for each of `codes` (also those without a row: version 0, empty values)."""
    wanted = sorted(set(codes))
    rows = session.exec(
        select(IndicatorScore, User.full_name)
        .join(User, col(User.id) == col(IndicatorScore.updated_by), isouter=True)
        .where(IndicatorScore.assessment_id == assessment_id, col(IndicatorScore.indicator_code).in_(wanted))
        .execution_options(populate_existing=True)
    )
    found = {row.indicator_code: (row, name) for row, name in rows}
    blank = IndicatorScore(assessment_id=assessment_id, indicator_code="")
    stored = {}
    for code in wanted:
        row, name = found.get(code, (None, None))
        source = row if row is not None else blank
        stored[code] = StoredScore(
            code=code,
            version=row.version if row is not None else 0,
            values={name_: getattr(source, name_) for name_ in SCORE_FIELDS},
            updated_by=name,
            updated_at=row.updated_at if row is not None else None,
        )
    return stored


def _locked_rows(session: Session, assessment_id: int, codes: list[str]) -> dict[str, IndicatorScore]:
    rows = session.exec(
        select(IndicatorScore)
        .where(IndicatorScore.assessment_id == assessment_id, col(IndicatorScore.indicator_code).in_(codes))
        .order_by(col(IndicatorScore.indicator_code))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {row.indicator_code: row for row in rows}


_SCORES = IndicatorScore.__table__  # type: ignore[attr-defined]
_LOCK = (
    sa_select(
        _SCORES.c.id, _SCORES.c.indicator_code, _SCORES.c.version, *(_SCORES.c[n] for n in SCORE_FIELDS)
    )
    .where(
        _SCORES.c.assessment_id == bindparam("aid"),
        _SCORES.c.indicator_code.in_(bindparam("codes", expanding=True)),
    )
    .order_by(_SCORES.c.indicator_code)
    .with_for_update()
)
_LOCK_ONE = (  # a form save is mostly one indicator: no expanding IN to render at every execution
    sa_select(*_LOCK.selected_columns)
    .where(_SCORES.c.assessment_id == bindparam("aid"), _SCORES.c.indicator_code == bindparam("code"))
    .with_for_update()
)
_BLANK = {name: getattr(IndicatorScore(assessment_id=0, indicator_code=""), name) for name in SCORE_FIELDS}


def _locked_values(session: Session, assessment_id: int, codes: list[str]) -> dict[str, dict[str, Any]]:
    """The scores of `codes` as plain values (id, version, SCORE_FIELDS), locked FOR UPDATE in code order."""
    if len(codes) == 1:
        rows = session.connection().execute(_LOCK_ONE, {"aid": assessment_id, "code": codes[0]}).mappings()
    else:
        rows = session.connection().execute(_LOCK, {"aid": assessment_id, "codes": codes}).mappings()
    return {row["indicator_code"]: dict(row) for row in rows}


@lru_cache(maxsize=128)
def _update(names: tuple[str, ...]) -> Any:
    """UPDATE of one locked score: these fields, its version, who and when (values given at execution)."""
    values: dict[str, Any] = {name: bindparam(name) for name in names}
    values.update(version=bindparam("next"), updated_by=bindparam("by"), updated_at=bindparam("at"))
    return update(IndicatorScore).where(col(IndicatorScore.id) == bindparam("sid")).values(values)


def _insert_first_row(
    session: Session, assessment_id: int, code: str, values: Mapping[str, Any], by: int | None, at: datetime
) -> int | None:
    """A first save's row, written at version 1 with `values`; None when someone created it meanwhile
    (INSERT ... ON CONFLICT DO NOTHING: the transaction goes on, no savepoint needed)."""
    connection = session.connection()
    row = {**_BLANK, **values, "assessment_id": assessment_id, "indicator_code": code}
    row.update(version=1, updated_by=by, updated_at=at)
    return connection.execute(_INSERT_FIRST[connection.dialect.name == "postgresql"], row).scalar()


_INSERT_FIRST = {  # built once, values given at execution (a statement built per row compiled per row)
    postgresql: (pg_insert if postgresql else sqlite_insert)(_SCORES)
    .on_conflict_do_nothing()
    .returning(_SCORES.c.id)
    for postgresql in (False, True)
}


def write_scores(
    session: Session,
    *,
    actor: Actor,
    assessment_id: int,
    versions: Versions,
    changes: Entries,
    action: str,
    change_set: str | None = None,
) -> dict[str, int]:
    """Write validated field changes ({code: {field: value}}) to scores still at the version the caller
    read (`versions[code]`, 0 = no row yet), audited under `change_set` (a new one by default) and `action`.
    A score whose values do not change keeps its version; every other one goes to version+1, `updated_by` =
    the actor. The caller has checked the permission and the status (after `lock_assessment`).

    Returns {code: version now} for every code of `changes`. Raises WorkflowError when a code of `changes`
    has no version, and ScoreConflict (nothing written: the caller's transaction must roll back) listing
    every score changed by someone else since. One write per changed score (a first one inserted whole)
    before the audit chain's lock, then one audit insert: the chain's lock covers little but the commit."""
    change_set = change_set or audit.new_change_set()
    unread = sorted(set(changes) - set(versions))
    if unread:
        raise WorkflowError("ew.version_read_missing", codes=unread)
    codes = sorted(changes)
    session.flush()  # pending ORM changes first (the score writes below go straight to the connection)
    rows = _locked_values(session, assessment_id, codes)
    now = utcnow()
    conflicts: list[str] = []
    entries: dict[str, list[dict[str, Any]]] = {}  # per code: logged in code order
    written: set[int] = set()
    result: dict[str, int] = {}
    for code in codes:  # first every lock and check, then the writes (and the audit log's lock)
        row = rows.get(code)
        if row is None and versions[code] == 0:
            changed = {name: new for name, new in changes[code].items() if _BLANK[name] != new}
            if not changed:  # a first save that changes nothing: no row needed
                result[code] = 0
                continue
            created = _insert_first_row(session, assessment_id, code, changed, actor.user_id, now)
            if created is None:  # created by someone else since our read: lock and compare it
                rows.update(_locked_values(session, assessment_id, [code]))
                conflicts.append(code)
                continue
            rows[code] = {**_BLANK, **changed, "id": created, "version": 1, "indicator_code": code}
            entries[code] = _entries(actor, change_set, action, assessment_id, code, _BLANK, changed, now)
            result[code] = 1
            continue
        if (row["version"] if row is not None else 0) != versions[code]:  # even if it changes nothing:
            conflicts.append(code)  # the person saw older values, and their form would keep showing them
    if conflicts:
        raise ScoreConflict(stored_scores(session, assessment_id, conflicts))
    connection = session.connection()
    for code in codes:
        if code in result:
            continue
        row = rows[code]
        changed = {name: new for name, new in changes[code].items() if row[name] != new}
        result[code] = row["version"] + 1 if changed else row["version"]
        if not changed:
            continue
        names = tuple(sorted(changed))
        connection.execute(
            _update(names),
            {**changed, "sid": row["id"], "next": result[code], "by": actor.user_id, "at": now},
        )
        written.add(row["id"])
        entries[code] = _entries(actor, change_set, action, assessment_id, code, row, changed, now)
    audit.record_rows(session, [entry for code in codes for entry in entries.get(code, ())])
    _forget(session, written)
    return result


def _entries(
    actor: Actor,
    change_set: str,
    action: str,
    assessment_id: int,
    code: str,
    old: Mapping[str, Any],
    changed: Mapping[str, Any],
    at: datetime,
) -> list[dict[str, Any]]:
    """The audit entries of one score's changed fields ("<code>.<field>": old -> new), in field order."""
    who = {"at": at, "user_id": actor.user_id, "actor": actor.username, "change_set": change_set}
    what = {"action": action, "entity": "assessment", "entity_id": str(assessment_id)}
    text = audit.as_text
    return [
        {**who, **what, "field": f"{code}.{name}", "old_value": text(old[name]), "new_value": text(new)}
        for name, new in changed.items()
    ]


def _forget(session: Session, score_ids: set[int]) -> None:
    """Expire the ORM copies of scores written here, so that a later read in this session sees the writes."""
    for instance in list(session.identity_map.values()) if score_ids else ():
        if isinstance(instance, IndicatorScore) and instance.id in score_ids:
            session.expire(instance)


def claim_scores(session: Session, *, assessment_id: int, seen: Versions) -> dict[str, IndicatorScore]:
    """Lock the scores of `seen` ({indicator code: version read}, 0 = no score yet) to the end of the
    transaction and check each is still at the version read: for bulk writers such as the Excel import,
    which then change the returned rows through `set_score_fields` (it bumps the version of a stored row it
    changes and stamps `updated_by`/`updated_at`) and create the missing ones at version 1 (the unique
    constraint refuses a concurrent creator with IntegrityError).

    Returns {code: locked row} for the codes that have a row. Raises ScoreConflict (the caller's
    transaction must roll back) listing every code saved by someone else since it was read."""
    codes = sorted(seen)
    rows = _locked_rows(session, assessment_id, codes)
    stale = [code for code in codes if (rows[code].version if code in rows else 0) != seen[code]]
    if stale:
        raise ScoreConflict(stored_scores(session, assessment_id, stale))
    return rows
