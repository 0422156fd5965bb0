"""A closed period's scoring kept in the database (issue 17, evaluation/services/scoring_store.py), on both
databases: a fresh process cache (a restart, another server) reads it instead of scoring the period again;
reopening the period, an upheld objection (in the reopened period), a change of an agency, of a score, of
the period or of its framework version never leaves a stale scoring: every read equals a fresh scoring
of the stored levels with no cache."""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, make_url, select, text, update
from sqlmodel import col

from evaluation import data_version
from evaluation.db import make_engine, normalise_url, read_session, write_session
from evaluation.models import FrameworkVersion, IndicatorScore, Period, PeriodScoring
from evaluation.services import scoring_cache, scoring_store
from evaluation.services.agency_admin import edit_agency
from evaluation.services.periods import set_period_status
from evaluation.services.results import _score_period, period_results
from tests.integration.test_objections import _decide, _file, led  # noqa: F401  (the `led` fixture)
from tests.integration.workflow_fixtures import World

pytestmark = pytest.mark.db


class Server:
    """A process reading through its own engine and empty scoring cache, as a restarted or second server."""

    def __init__(self, world: World) -> None:
        self.engine = make_engine(world.engine.url.render_as_string(hide_password=False))
        scoring_cache.attach(self.engine)  # a new cache: nothing decoded yet

    def read(self, period_id: int, levels: str = "final") -> tuple[list[Any], int]:
        """(results, how many times the period was scored from its levels for them)."""
        before = Counter(scoring_cache.SCORINGS)
        with read_session(self.engine) as session:
            results = period_results(session, period_id, levels=levels)
        return results, scoring_cache.SCORINGS[(period_id, levels)] - before[(period_id, levels)]

    def close(self) -> None:
        scoring_cache.detach(self.engine)
        self.engine.dispose()


@pytest.fixture
def servers(world: World) -> Iterator[Any]:
    started: list[Server] = []

    def start() -> Server:
        started.append(Server(world))
        return started[-1]

    yield start
    for server in started:
        server.close()


def fresh(world: World, period_id: int, levels: str = "final") -> list[Any]:
    """The period scored from its stored levels on an engine without any cache."""
    with read_session(world.engine) as session:
        return _score_period(session, period_id, levels, ("final",))


def stored_rows(world: World, period_id: int) -> int:
    with read_session(world.engine) as session:
        query = (
            select(func.count()).select_from(PeriodScoring).where(col(PeriodScoring.period_id) == period_id)
        )
        return int(session.connection().execute(query).scalar() or 0)


def set_status(world: World, period_id: int, status: str) -> None:
    with write_session(world.engine) as session:
        set_period_status(session, actor=world.actors["admin"], period_id=period_id, status=status)


def written_directly(world: World, statement: Any) -> None:
    """A write outside the services (a script, a data fix), bumping the data version as writers must."""
    with write_session(world.engine) as session:
        session.connection().execute(statement)
        data_version.bump(session.connection())


def test_a_closed_period_is_scored_once_and_read_back_by_a_restarted_server(world, led, servers):  # noqa: F811
    set_status(world, world.pemdi, "closed")
    first, scored = servers().read(world.pemdi)
    assert scored == 1 and stored_rows(world, world.pemdi) == 1
    for levels in ("final", "self"):
        again, rescored = servers().read(world.pemdi, levels)  # a new process: empty caches
        assert again == fresh(world, world.pemdi, levels)
        assert rescored == (0 if levels == "final" else 1)
    assert first == fresh(world, world.pemdi)
    assert [r.result.index for r in first if r.agency_id == world.agency["a"]] != [None]
    _, once_more = servers().read(world.pemdi, "self")
    assert once_more == 0 and stored_rows(world, world.pemdi) == 2


def test_an_open_period_is_never_stored(world, led, servers):  # noqa: F811
    results, scored = servers().read(world.pemdi)
    assert scored == 1 and stored_rows(world, world.pemdi) == 0
    assert results == fresh(world, world.pemdi)


def test_reopening_drops_the_stored_scoring_and_an_upheld_objection_is_scored_after_closing(
    world,
    led,  # noqa: F811
    servers,
):
    set_status(world, world.pemdi, "closed")
    before, _ = servers().read(world.pemdi)
    set_status(world, world.pemdi, "open")
    assert stored_rows(world, world.pemdi) == 0
    objection_id = _file(world, "coordinator", led["assessment"], "I01", requested_level=5)
    _decide(world, "reviewer", objection_id, uphold=True)
    set_status(world, world.pemdi, "closed")
    after, scored = servers().read(world.pemdi)
    assert scored == 1
    assert after == fresh(world, world.pemdi)
    mine = [
        (b.result.index, a.result.index)
        for b, a in zip(before, after, strict=True)
        if a.agency_code == "KOTA-901"
    ]
    assert mine and mine[0][1] > mine[0][0]


def test_an_agency_change_shows_at_once_without_scoring_again(world, led, servers):  # noqa: F811
    set_status(world, world.pemdi, "closed")
    server = servers()
    server.read(world.pemdi)
    with write_session(world.engine) as session:
        edit_agency(
            session,
            actor=world.actors["admin"],
            agency_id=world.agency["a"],
            name="Kota Contoh Baru",
            category="Kabupaten",
        )
    for reader in (server, servers()):
        results, scored = reader.read(world.pemdi)
        assert scored == 0
        assert results == fresh(world, world.pemdi)
        assert [(r.agency_name, r.category) for r in results if r.agency_id == world.agency["a"]] == [
            ("Kota Contoh Baru", "Kabupaten")
        ]


@pytest.mark.parametrize("change", ["score", "period", "framework"])
def test_any_write_into_what_a_stored_scoring_was_read_from_drops_it(world, led, servers, change):  # noqa: F811
    set_status(world, world.pemdi, "closed")
    server = servers()
    before, _ = server.read(world.pemdi)
    if change == "score":
        statement = (
            update(IndicatorScore)
            .where(col(IndicatorScore.assessment_id) == led["assessment"])
            .values(final_level=1)
        )
    elif change == "period":
        statement = update(Period).where(col(Period.id) == world.pemdi).values(predicate_rounding="raw")
    else:
        with read_session(world.engine) as session:
            version_id = session.get(Period, world.pemdi).framework_version_id
        statement = (
            update(FrameworkVersion)
            .where(col(FrameworkVersion.id) == version_id)
            .values(name="Pemdi (renamed)")
        )
    written_directly(world, statement)
    assert stored_rows(world, world.pemdi) == 0
    for reader in (server, servers()):
        results, _ = reader.read(world.pemdi)
        assert results == fresh(world, world.pemdi)
    if change == "score":
        assert [r.result.index for r in results if r.agency_id == world.agency["a"]] == [1]
        assert results != before


def test_a_scoring_read_before_a_later_write_is_not_stored(world, led):  # noqa: F811
    set_status(world, world.pemdi, "closed")
    engine = make_engine(world.engine.url.render_as_string(hide_password=False))
    try:
        with read_session(engine) as session:
            now = data_version.current(session.connection())
            results = _score_period(session, world.pemdi, "final", ("final",))
            heads = {1: None}
            numbers = scoring_store.closed_numbers(
                session,
                period_id=world.pemdi,
                levels="final",
                statuses=("final",),
                version=now - 1,  # as if a write had committed since the scoring was read
                framework=_framework(session, world.pemdi),
                assessment_ids=heads,
                compute=lambda: {1: results[0].result},
                cache=scoring_cache.ScoringCache(),
            )
        assert numbers == {1: results[0].result}
        assert stored_rows(world, world.pemdi) == 0
    finally:
        engine.dispose()


def _framework(session: Any, period_id: int) -> Any:
    from evaluation.services.frameworks import load_framework_version

    return load_framework_version(session, session.get(Period, period_id).framework_version_id)


def test_without_every_trigger_the_store_is_not_used(world, led, servers):  # noqa: F811
    set_status(world, world.pemdi, "closed")
    assert servers().engine is not None and scoring_store.usable(world.engine)
    postgres = world.engine.dialect.name == "postgresql"
    url = world.engine.url
    if postgres and os.environ.get("TEST_DATABASE_URL"):  # the owner drops it (the app's role may not)
        url = make_url(normalise_url(os.environ["TEST_DATABASE_URL"])).set(database=url.database)
    owner = make_engine(url.render_as_string(hide_password=False))
    with owner.begin() as connection:
        drop = "trg_period_forgets_scoring ON period" if postgres else "trg_period_update_forgets_scoring"
        connection.execute(text(f"DROP TRIGGER {drop}"))
    owner.dispose()
    server = servers()
    assert not scoring_store.usable(server.engine)
    for _ in range(2):
        results, scored = server.read(world.pemdi) if _ == 0 else servers().read(world.pemdi)
        assert scored == 1 and results == fresh(world, world.pemdi)
    assert stored_rows(world, world.pemdi) == 0


def test_a_reader_never_waits_for_a_writer_of_its_process_to_store_a_scoring(world, led, servers):  # noqa: F811
    from evaluation.db import is_sqlite, sqlite_writer_lock

    if not is_sqlite(world.engine):
        pytest.skip("the in-process writer turn is SQLite's")
    set_status(world, world.pemdi, "closed")
    server = servers()
    busy, done = threading.Event(), threading.Event()

    def writer() -> None:  # another session of this process in its writer turn
        with sqlite_writer_lock(server.engine):
            busy.set()
            done.wait(30)

    thread = threading.Thread(target=writer)
    thread.start()
    busy.wait(5)
    try:
        started = time.perf_counter()
        results, scored = server.read(world.pemdi)
        waited = time.perf_counter() - started
    finally:
        done.set()
        thread.join()
    assert scored == 1 and results == fresh(world, world.pemdi)
    assert stored_rows(world, world.pemdi) == 0 and waited < 10  # not the 15 s busy timeout
    _, again = servers().read(world.pemdi)
    assert again == 1 and stored_rows(world, world.pemdi) == 1


def test_a_write_in_flight_keeps_a_scoring_from_being_stored_and_the_reader_from_waiting(world, led, servers):  # noqa: F811
    if world.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time")
    set_status(world, world.pemdi, "closed")
    server = servers()
    with write_session(world.engine) as session:  # a level changed behind the app's back, not committed yet
        session.connection().execute(
            update(IndicatorScore)
            .where(col(IndicatorScore.assessment_id) == led["assessment"])
            .values(final_level=1)
        )
        data_version.bump(session.connection())
        started = time.perf_counter()
        results, scored = server.read(world.pemdi)
        assert time.perf_counter() - started < 10 and scored == 1
        assert stored_rows(world, world.pemdi) == 0  # its trigger has fired: nothing may be stored now
    after, _ = servers().read(world.pemdi)
    assert after == fresh(world, world.pemdi) and after != results
    assert [r.result.index for r in after if r.agency_id == world.agency["a"]] == [1]
