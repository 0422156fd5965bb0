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
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from evaluation.models import Assessment, FrameworkVersion, IndicatorScore, User
from evaluation.services.actors import Actor
from evaluation.services.assessment_state import StaleAssessment, WorkflowError, set_score_fields
from evaluation.services.frameworks import load_framework_version
from evaluation.translatable import NotFound
from indicators.schema import Framework

_frameworks: dict[str, Framework] = {}  # parsed frameworks by content hash (a version's text never changes)
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


def lock_assessment(session: Session, assessment_id: int) -> tuple[Assessment, Framework]:
    """The assessment and its framework, the assessment re-read with a shared row lock (PostgreSQL FOR
    SHARE) held to the end of the transaction: concurrent score saves share it, a status change (an
    UPDATE) waits for them, and a save that waited reads the new status. One query while the framework
    is parsed already. Raises LookupError for an unknown id."""
    found = session.exec(
        select(Assessment, FrameworkVersion.content_hash)
        .join(FrameworkVersion, col(FrameworkVersion.id) == col(Assessment.framework_version_id))
        .where(col(Assessment.id) == assessment_id)
        .with_for_update(read=True, of=Assessment)
        .execution_options(populate_existing=True)
    ).first()
    if found is None:
        raise NotFound("ew.assessment_does_not_exist", assessment_id=str(assessment_id))
    assessment, content_hash = found
    framework = _frameworks.get(content_hash)
    if framework is None:
        framework = load_framework_version(session, assessment.framework_version_id)
        _frameworks[content_hash] = framework
    return assessment, framework


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


def _insert_first_row(session: Session, assessment_id: int, code: str) -> IndicatorScore | None:
    """A new, empty row at version 0 for a first save; None when someone created it meanwhile (the unique
    constraint refused it inside a savepoint, so the transaction goes on)."""
    session.flush()  # only the new row goes into the savepoint below
    row = IndicatorScore(assessment_id=assessment_id, indicator_code=code, version=0)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    return row


def write_scores(
    session: Session,
    *,
    actor: Actor,
    assessment_id: int,
    versions: Mapping[str, int],
    changes: Mapping[str, Mapping[str, Any]],
    action: str,
    change_set: str,
) -> dict[str, int]:
    """Write validated field changes ({code: {field: value}}) to scores still at the version the caller
    read (`versions[code]`, 0 = no row yet), audited under `change_set`/`action`. A score whose values do
    not change keeps its version; every other one goes to version+1, `updated_by` = the actor. The caller
    has checked the permission and the status (after `lock_assessment`).

    Returns {code: version now} for every code of `changes`. Raises WorkflowError when a code of `changes`
    has no version, and ScoreConflict (nothing written: the caller's transaction must roll back) listing
    every score changed by someone else since."""
    unread = sorted(set(changes) - set(versions))
    if unread:
        raise WorkflowError("ew.version_read_missing", codes=unread)
    codes = sorted(changes)
    rows = _locked_rows(session, assessment_id, codes)
    conflicts: list[str] = []
    for code in codes:  # first every lock and check, then the writes (and the audit log's lock)
        if code not in rows and versions[code] == 0 and _alters(None, changes[code]):
            created = _insert_first_row(session, assessment_id, code)
            if created is None:  # created by someone else since our read: lock and compare it
                rows.update(_locked_rows(session, assessment_id, [code]))
            else:
                rows[code] = created
        row = rows.get(code)
        if (row.version if row is not None else 0) != versions[code]:  # even if it changes nothing: the
            conflicts.append(code)  # person saw older values, and their form would keep showing them
    if conflicts:
        raise ScoreConflict(stored_scores(session, assessment_id, conflicts))
    result = {}
    for code in codes:
        row = rows.get(code)
        if row is None:  # a first save that changes nothing: no row needed
            result[code] = 0
            continue
        set_score_fields(  # bumps the version when something changes
            session,
            actor=actor,
            change_set=change_set,
            action=action,
            assessment_id=assessment_id,
            row=row,
            changes=changes[code],
        )
        result[code] = row.version
    session.flush()
    return result


def _alters(row: IndicatorScore | None, changes: Mapping[str, Any]) -> bool:
    """True when `changes` set anything on the row (None: a blank score, no row yet)."""
    current = row if row is not None else IndicatorScore(assessment_id=0, indicator_code="")
    return any(getattr(current, name) != value for name, value in changes.items())


def claim_scores(
    session: Session, *, assessment_id: int, seen: Mapping[str, int]
) -> dict[str, IndicatorScore]:
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
