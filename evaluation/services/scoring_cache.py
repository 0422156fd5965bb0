"""One scoring per (period, level kind) per data version, shared by every reader of a process (issue 17).

`evaluation.services.results.period_results` scores a whole period from its stored levels; the home page,
the ranking, trends, gaps, roll-ups, the roadmaps, the reports and the exports all read it. An engine with a
`ScoringCache` attached (`attach`; the app attaches one to its engine in app_pages/read_models.py) keeps
each period's scoring keyed by the database's data version (evaluation/data_version.py, bumped by every
audited write on any server), so a period is scored once per version and every later reader, in the same
run or in later reruns and sessions, gets the same list. The scoring itself stays pure
(evaluation/scoring/); this is only a memo in front of it.

Safety: a transaction that has written anything (INSERT, UPDATE, DELETE, or SQLite's BEGIN IMMEDIATE of
a write session) neither reads nor fills the cache, since what it sees is not committed. Engines without a
cache (tests, the command line) score every time, as before.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from evaluation.settings import scoring_cache_entries

WROTE = "spbe_wrote"  # key in a pooled connection's info: this transaction has written

# (period id, level kind) -> how many times this process scored it from stored levels (tests count these)
SCORINGS: Counter[tuple[int, str]] = Counter()


class ScoringCache:
    """A bounded, thread-safe memo: key -> value, least recently used dropped past `max_entries`.

    Concurrent callers asking for the same missing key wait for one computation instead of each scoring.
    """

    def __init__(self, max_entries: int | None = None) -> None:
        self.max_entries = max_entries or scoring_cache_entries()
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._guard = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _lookup(self, key: Hashable) -> tuple[bool, Any]:
        with self._guard:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return True, self._entries[key]
            return False, None

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value for `key`, computed by `compute()` once (other threads asking meanwhile wait)."""
        found, value = self._lookup(key)
        if found:
            return value
        with self._guard:
            turn = self._computing.setdefault(key, threading.Lock())
        with turn:
            found, value = self._lookup(key)
            if found:
                return value
            try:
                value = compute()
            except BaseException:
                with self._guard:
                    self._computing.pop(key, None)
                raise
            with self._guard:
                self.misses += 1
                self._entries[key] = value
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
                self._computing.pop(key, None)
            return value

    def clear(self) -> None:
        with self._guard:
            self._entries.clear()


_attached: weakref.WeakKeyDictionary[Engine, ScoringCache] = weakref.WeakKeyDictionary()
_watched: weakref.WeakSet[Engine] = weakref.WeakSet()
_attach_guard = threading.Lock()


_READS = ("SELECT", "PRAGMA", "BEGIN", "SAVEPOINT", "RELEASE", "SHOW", "SET ")


def _mark_writes(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    head = statement.lstrip()[:15].upper()
    if head.startswith("BEGIN IMMEDIATE") or not head.startswith(_READS):
        conn.info[WROTE] = True


def _forget_writes(conn: Connection) -> None:
    conn.info.pop(WROTE, None)


def _watch(engine: Engine) -> None:
    """Mark a pooled connection once its transaction writes; unmark it when the transaction ends."""
    if engine in _watched:
        return
    event.listen(engine, "before_cursor_execute", _mark_writes)
    event.listen(engine, "commit", _forget_writes)
    event.listen(engine, "rollback", _forget_writes)
    event.listen(engine.pool, "checkin", lambda _dbapi, record: record.info.pop(WROTE, None))
    _watched.add(engine)


def attach(engine: Engine, cache: ScoringCache | None = None) -> ScoringCache:
    """Give `engine` a scoring cache (a new one unless given), replacing any earlier one; returns it."""
    with _attach_guard:
        _watch(engine)
        _attached[engine] = cache or ScoringCache()
        return _attached[engine]


def detach(engine: Engine) -> None:
    """Stop caching scorings on `engine` (its readers score every time again)."""
    with _attach_guard:
        _attached.pop(engine, None)


def cache_for(bind: Any) -> ScoringCache | None:
    """The cache attached to the engine behind `bind` (an Engine or a Connection), or None."""
    engine = getattr(bind, "engine", bind)
    return _attached.get(engine) if isinstance(engine, Engine) else None


def has_written(connection: Connection) -> bool:
    """Whether the connection's current transaction has executed a write."""
    return bool(connection.info.get(WROTE))


_gc_guard = threading.Lock()
_gc_pauses = [0, False]  # [threads inside `collector_paused`, whether the collector was on before]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a bulk read with Python's cyclic garbage collector paused (every thread; nested and concurrent
    uses count, the last one out restores it). A national period's ~300,000 row tuples otherwise set off
    full collections over the whole heap while they pile up: at 10x a rescoring took 1.6-2.2 s with the
    collector and 1.0-1.1 s without it. The rows hold no cycles; whatever cycles others make meanwhile are
    collected at the next collection after."""
    with _gc_guard:
        if _gc_pauses[0] == 0:
            _gc_pauses[1] = gc.isenabled()
            gc.disable()
        _gc_pauses[0] += 1
    try:
        yield
    finally:
        with _gc_guard:
            _gc_pauses[0] -= 1
            if _gc_pauses[0] == 0 and _gc_pauses[1]:
                gc.enable()
