"""One scoring per period and level kind per data version (issue 17), on both databases: an engine with a
scoring cache scores a period once and every later reader gets the same results; a committed write that
bumps the data version makes the next reader score afresh; a transaction that has written neither reads nor
fills the cache."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import update
from sqlmodel import col

from evaluation import data_version
from evaluation.db import make_engine, read_session, write_session
from evaluation.models import Assessment, IndicatorScore
from evaluation.services import scoring_cache
from evaluation.services.results import list_periods, period_results
from tests.integration.test_results import publish


@pytest.fixture
def cached(demo_engine):
    """A second engine on the module's demo database, with a scoring cache attached."""
    engine = make_engine(demo_engine.url.render_as_string(hide_password=False))
    cache = scoring_cache.attach(engine)
    yield engine, cache
    scoring_cache.detach(engine)
    engine.dispose()


def official(session, year: int = 2024):
    return next(p for p in list_periods(session) if p.year == year and not p.is_programme)


def scorings_since(before: Counter, period_id: int) -> dict[str, int]:
    after = scoring_cache.SCORINGS
    return {kind: after[(period_id, kind)] - before[(period_id, kind)] for kind in ("final", "self")}


def test_a_period_is_scored_once_for_every_reader_and_kind(cached):
    engine, cache = cached
    before = Counter(scoring_cache.SCORINGS)
    with read_session(engine) as session:
        period = official(session)
        first = period_results(session, period.id)
        again = period_results(session, period.id)
        own = period_results(session, period.id, levels="self")
    with read_session(engine) as session:  # a later run, another session
        later = period_results(session, period.id)
    assert scorings_since(before, period.id) == {"final": 1, "self": 1}
    assert [r.result for r in first] == [r.result for r in again] == [r.result for r in later]
    assert first is not again  # each reader gets its own list
    assert [r.source for r in own] == ["self"] * len(own)
    assert cache.hits >= 2


def test_cached_results_equal_an_uncached_scoring(cached, demo_engine):
    engine, _ = cached
    with read_session(engine) as session:
        period = official(session, 2023)
        period_results(session, period.id)
        hit = period_results(session, period.id)
    with read_session(demo_engine) as session:  # no cache on this engine: scored from the levels
        plain = period_results(session, period.id)
    assert [(r.agency_code, r.result) for r in hit] == [(r.agency_code, r.result) for r in plain]


def test_a_committed_write_that_bumps_the_data_version_is_seen_by_the_next_reader(cached):
    engine, _ = cached
    with read_session(engine) as session:
        period = official(session)
        before = {r.agency_id: r.result.index for r in period_results(session, period.id)}
    agency_id = next(iter(before))
    with write_session(engine) as session:
        assessment = (
            session.connection()
            .execute(
                Assessment.__table__.select().where(
                    col(Assessment.period_id) == period.id, col(Assessment.agency_id) == agency_id
                )
            )
            .first()
        )
        assert assessment is not None
        session.connection().execute(
            update(IndicatorScore)
            .where(col(IndicatorScore.assessment_id) == assessment.id)
            .values(final_level=1)
        )
        data_version.bump(session.connection())
    with read_session(engine) as session:
        after = {r.agency_id: r.result.index for r in period_results(session, period.id)}
    assert after[agency_id] == 1
    assert before[agency_id] != 1


def test_a_transaction_that_has_written_scores_what_it_sees_and_caches_nothing(cached):
    engine, cache = cached
    with read_session(engine) as session:
        period = official(session, 2021)
        agency_id = period_results(session, period.id)[0].agency_id
    stored = len(cache)
    with write_session(engine) as session:
        connection = session.connection()
        assessment_id = (
            connection.execute(
                Assessment.__table__.select().where(
                    col(Assessment.period_id) == period.id, col(Assessment.agency_id) == agency_id
                )
            )
            .first()
            .id
        )
        connection.execute(
            update(IndicatorScore)
            .where(col(IndicatorScore.assessment_id) == assessment_id)
            .values(final_level=2)
        )
        inside = {r.agency_id: r.result.index for r in period_results(session, period.id)}
        assert inside[agency_id] == 2
        assert len(cache) == stored
        session.rollback()
    with read_session(engine) as session:
        outside = {r.agency_id: r.result.index for r in period_results(session, period.id)}
    assert outside[agency_id] != 2


def test_concurrent_readers_of_a_cold_period_wait_for_one_scoring(cached):
    engine, _ = cached
    with read_session(engine) as session:
        period = official(session, 2022)
    before = Counter(scoring_cache.SCORINGS)
    counts: list[int] = []

    def read() -> None:
        with read_session(engine) as session:
            counts.append(len(period_results(session, period.id)))

    threads = [threading.Thread(target=read) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(counts)) == 1 and counts[0] > 0
    assert scorings_since(before, period.id)["final"] == 1


def test_the_cache_keeps_at_most_its_bound_least_recently_used_first():
    cache = scoring_cache.ScoringCache(max_entries=2)
    calls: list[str] = []
    for key in ("a", "b", "a", "c", "a", "b"):
        cache.get_or_compute(key, lambda key=key: calls.append(key) or key.upper())
    assert calls == ["a", "b", "c", "b"]  # "b" was the least recently used when "c" came
    assert len(cache) == 2


def test_published_results_are_read_once_per_version_and_equal_an_uncached_read(cached, demo_engine):
    from evaluation.services.results import published_results

    engine, cache = cached
    publish(engine, 2017, {"D1": 3.7, "D2": 3.4, "D3": 3.0, "D4": 3.2}, agency_code="KOTA-PUB")
    with write_session(engine) as session:  # as the audited import of published results does
        data_version.bump(session.connection())
    with read_session(engine) as session:
        first = published_results(session)
        hits = cache.hits
        again = published_results(session)
    with read_session(demo_engine) as session:
        plain = published_results(session)
    assert [r.result.index_display for r in first if r.agency_code == "KOTA-PUB"] == ["3.28"]
    assert cache.hits == hits + 1
    assert [(r.agency_code, r.year, r.result) for r in again] == [
        (r.agency_code, r.year, r.result) for r in plain
    ]


def test_final_levels_are_read_once_per_settled_version_and_equal_an_uncached_read(cached, demo_engine):
    from evaluation.services.comparison import final_levels

    engine, cache = cached
    with read_session(demo_engine) as session:  # no cache on this engine: read from the database
        period = official(session)
        plain = final_levels(session, period.id)
    with read_session(engine) as session:
        first = final_levels(session, period.id)
        hits = cache.hits
        again = final_levels(session, period.id)
        some = final_levels(session, period.id, list(plain)[:2])
    assert first == plain and again is first and cache.hits == hits + 2
    assert some == {agency_id: plain[agency_id] for agency_id in list(plain)[:2]}
    agency_id, code = next((a, c) for a, levels in plain.items() for c, v in levels.items() if v != 1)
    with write_session(engine) as session:  # a write that bumps SETTLED (any write but a working save)
        session.connection().execute(
            update(IndicatorScore)
            .where(
                col(IndicatorScore.indicator_code) == code,
                col(IndicatorScore.assessment_id).in_(
                    Assessment.__table__.select()
                    .with_only_columns(Assessment.__table__.c.id)
                    .where(col(Assessment.period_id) == period.id, col(Assessment.agency_id) == agency_id)
                ),
            )
            .values(final_level=1)
        )
        data_version.bump(session.connection())
    with read_session(engine) as session:
        assert final_levels(session, period.id)[agency_id][code] == 1
