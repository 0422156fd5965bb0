"""A closed period's scoring kept in the database, for every server and process (issue 17).

A closed period is read-only (evaluation/services/periods.py), so its scoring stays right until the period
is reopened. `period_results` on an engine with a scoring cache keeps a closed period's per-assessment
numbers (index, group values, band, missing and not-applicable codes; no agency names, which are joined when
read) in the table `period_scoring`, one row per period, level kind and statuses. A restarted server, or
another one, reads that row instead of scoring the period again; each process keeps its decoded copy under
the row's token in the engine's scoring cache, so after an unrelated write only a one-row lookup is
repeated.

Exactness: the triggers of migration 0012 delete a period's rows in the same transaction as any insert,
update or delete of its scores or assessments and any update of the period (reopening it, say) or of its
framework version, from whatever writes them. An upheld objection writes final levels, but only into an
open period (objections.py requires it), which stores nothing; closing the period again scores it afresh.
A row is written only when the data version is still the one the scoring was read at and the period is
still closed, so a scoring read before a concurrent write is never stored. On PostgreSQL a write's trigger
may fire before the row is visible to it and its transaction commit after the check: the triggers take an
advisory lock shared and a store takes it exclusive or skips storing, so nothing is stored while a write
is in flight, and later writes wait for the stored row (then delete it). SQLite runs one write
transaction at a time. The store is used only where
all the triggers exist (`usable`).
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
import weakref
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any, NamedTuple

from sqlalchemy import and_, delete, insert, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col

from evaluation import data_version
from evaluation.db import DatabaseBusy, is_sqlite, sqlite_writer_lock, write_session
from evaluation.models import Period, PeriodScoring, utcnow
from evaluation.scoring import Rounding, ScoreResult
from evaluation.scoring.plan import plan_of
from evaluation.services.scoring_cache import ScoringCache, collector_paused
from indicators.schema import Framework

log = logging.getLogger(__name__)

FORMAT = 1  # of the payload; a row of another format is scored afresh and replaced
# PostgreSQL: the triggers take this advisory lock shared, a store exclusive (migration 0012)
STORE_LOCK_KEY = 0x53_43_4F_52
_TABLES = {"indicator_score": 3, "assessment": 3, "period": 1, "framework_version": 1}  # SQLite: per op
TABLE = PeriodScoring.__table__  # type: ignore[attr-defined]

_usable: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()
_usable_guard = threading.Lock()

Numbers = dict[int, ScoreResult]  # assessment id -> its result


def usable(bind: Engine | Connection) -> bool:
    """Whether the database behind `bind` has the table and every trigger keeping it exact (checked once
    per engine)."""
    engine = bind.engine
    with _usable_guard:
        known = _usable.get(engine)
    if known is not None:
        return known
    if engine.dialect.name == "postgresql":
        query = "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'trg\\_%\\_forgets\\_scoring'"
        wanted = len(_TABLES)
    else:
        query = (
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'trg_%_forgets_scoring'"
        )
        wanted = sum(_TABLES.values())
    try:
        with engine.connect() as connection:
            found = int(connection.execute(text(query)).scalar() or 0)
    except DBAPIError:
        found = 0
    if found != wanted:
        log.warning(
            "period_scoring: %s of %s triggers found; closed periods are scored as open ones", found, wanted
        )
    with _usable_guard:
        _usable[engine] = found == wanted
    return found == wanted


def _where(period_id: int, levels: str, statuses: tuple[str, ...]) -> Any:
    return and_(
        col(PeriodScoring.period_id) == period_id,
        col(PeriodScoring.level_kind) == levels,
        col(PeriodScoring.statuses) == ",".join(statuses),
    )


def closed_numbers(
    session: Session,
    *,
    period_id: int,
    levels: str,
    statuses: tuple[str, ...],
    version: int,
    framework: Framework,
    assessment_ids: Mapping[int, Any],
    compute: Callable[[], Numbers],
    cache: ScoringCache,
) -> Numbers:
    """A closed period's numbers for these assessments: the stored row's (decoded once per process), or
    `compute()`d and stored when there is no row, or its assessments are not exactly `assessment_ids`.
    `version` is the data version the caller's reading sees (of `data_version.scope_of(statuses)`);
    `cache` (the engine's) keeps the decoded numbers under the row's token."""
    connection = session.connection()
    where = _where(period_id, levels, statuses)
    token = connection.execute(select(col(PeriodScoring.token)).where(where)).scalar()
    if token is not None:
        numbers = cache.get_or_compute(("stored", token), lambda: _load(connection, where, token, framework))
        if numbers is not None and numbers.keys() == assessment_ids.keys():
            return numbers
    numbers = compute()
    payload = encode(framework, numbers)
    if payload is not None:
        _store(session.get_bind(), period_id, levels, statuses, version, payload)
    return numbers


class Payload(NamedTuple):
    """A stored row's text and its token (new on every store: a process may keep what it decoded under it)."""

    token: str
    text: str


def stored_payload(
    session: Session,
    *,
    period_id: int,
    levels: str,
    statuses: tuple[str, ...],
    version: int,
    compute: Callable[[], str],
) -> Payload:
    """A closed period's stored row of another kind than its scoring (the gap totals, say): the stored text,
    or `compute()`d and stored (when nothing was written since `version`, as `closed_numbers`). The token
    of a text not stored is fresh, so nothing decoded from it outlives this read."""
    where = _where(period_id, levels, statuses)
    row = session.connection().execute(
        select(col(PeriodScoring.token), col(PeriodScoring.payload)).where(where)
    )
    found = row.first()
    if found is not None:
        return Payload(str(found[0]), str(found[1]))
    text_ = compute()
    _store(session.get_bind(), period_id, levels, statuses, version, text_)
    return Payload(uuid.uuid4().hex, text_)


def _load(connection: Connection, where: Any, token: str, framework: Framework) -> Numbers | None:
    query = select(col(PeriodScoring.payload)).where(where, col(PeriodScoring.token) == token)
    payload = connection.execute(query).scalar()
    return decode(framework, payload) if payload is not None else None


def _store(
    bind: Any, period_id: int, levels: str, statuses: tuple[str, ...], version: int, payload: str
) -> None:
    """Write the row unless anything was written since the scoring was read or the period is open again.
    On SQLite, skipped while this process has a writer in its turn: no page waits to fill a cache (the
    next reader stores it)."""
    engine = getattr(bind, "engine", bind)
    turn = sqlite_writer_lock(engine) if is_sqlite(engine) else None
    if turn is not None and not turn.acquire(blocking=False):
        return
    try:
        with write_session(engine) as session:
            connection = session.connection()
            if (
                not is_sqlite(engine)
                and not connection.execute(
                    text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": STORE_LOCK_KEY}
                ).scalar()
            ):
                return  # a write is in flight: the next reader stores it (later writes wait for this commit)
            status = connection.execute(
                select(col(Period.status)).where(col(Period.id) == period_id)
            ).scalar()
            now = data_version.current(connection, data_version.scope_of(statuses))
            if now != version or status != "closed":
                return
            connection.execute(delete(TABLE).where(_where(period_id, levels, statuses)))
            connection.execute(
                insert(TABLE).values(
                    period_id=period_id,
                    level_kind=levels,
                    statuses=",".join(statuses),
                    token=uuid.uuid4().hex,
                    data_version=version,
                    computed_at=utcnow(),
                    payload=payload,
                )
            )
    except (DBAPIError, DatabaseBusy) as exc:  # another server stored it first, or the database is busy
        log.info("period_scoring: period %s not stored (%s)", period_id, type(exc).__name__)
    finally:
        if turn is not None:
            turn.release()


def _fraction_text(value: Fraction | int | None) -> str | None:
    if value is None:
        return None
    exact = Fraction(value)
    return f"{exact.numerator}/{exact.denominator}"


def encode(framework: Framework, numbers: Numbers) -> str | None:
    """The numbers as the row's JSON text, or None when a result has something this format does not keep."""
    codes = list(plan_of(framework).group_members)
    position = {code: n for n, code in enumerate(codes)}
    bands = list(framework.predicate.bands)
    rules = {r.rounding for r in numbers.values()}
    rows = []
    for aid, result in numbers.items():
        order = [position.get(code, -1) for code in result.groups]
        if result.extra or result.framework_id != framework.id or order != sorted(order) or -1 in order:
            return None
        band = None
        if result.predicate is not None:
            band = next((n for n, b in enumerate(bands) if b is result.predicate), None)
            if band is None:
                band = bands.index(result.predicate) if result.predicate in bands else -1
            if band == -1:
                return None
        groups = [_fraction_text(result.groups.get(code)) for code in codes]
        missing, not_applicable = list(result.missing), list(result.not_applicable)
        rows.append([aid, _fraction_text(result.index), band, groups, missing, not_applicable])
    if len(rules) > 1:
        return None
    header = {"format": FORMAT, "framework": framework.id, "rounding": next(iter(rules), None)}
    return json.dumps({**header, "rows": rows}, separators=(",", ":"))


def decode(framework: Framework, payload: str) -> Numbers | None:
    """The numbers of a row's JSON text (one shared Fraction per distinct value), None for another format."""
    with collector_paused():  # ~6,500 results with their dicts at 10x: no full collections meanwhile
        return _decode(framework, json.loads(payload))


def _decode(framework: Framework, data: dict[str, Any]) -> Numbers | None:
    if data.get("format") != FORMAT or data.get("framework") != framework.id:
        return None
    plan = plan_of(framework)
    codes, bands = list(plan.group_members), list(framework.predicate.bands)
    rule: Rounding = data["rounding"] or framework.predicate.rounding
    rows = data["rows"]
    texts = {text for row in rows for text in row[3]} | {row[1] for row in rows}
    values: dict[str | None, Fraction | None] = {text: Fraction(text) for text in texts if text is not None}
    values[None] = None  # one Fraction per distinct value, shared; None: the group or index is incomplete
    value = values.__getitem__
    out: Numbers = {}
    for aid, index, band, groups, missing, not_applicable in rows:
        if None in groups:
            by_code = {code: value(v) for code, v in zip(codes, groups, strict=True) if v is not None}
        else:
            by_code = dict(zip(codes, map(value, groups), strict=True))
        out[aid] = ScoreResult(
            framework_id=framework.id,
            index=value(index),
            groups=by_code,  # type: ignore[arg-type]
            group_kind=plan.group_kind,
            predicate=bands[band] if band is not None else None,
            rounding=rule,
            missing=tuple(missing),
            not_applicable=tuple(not_applicable),
        )
    return out
