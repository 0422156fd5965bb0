"""The period's self-vs-final totals summed in the database (`gaps.indicator_gap_totals`, what the national
PDF prints, issue 17) equal what the long table of every score gives; a closed period's totals are stored
and read back by a new server until anything is written into the period (gap_totals.py)."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlmodel import col

from evaluation import data_version
from evaluation.db import make_engine, read_session, write_session
from evaluation.models import Period, PeriodScoring
from evaluation.services import gap_totals, gaps, scoring_cache
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.frameworks import load_framework_version

MINISTRY = Actor(None, "asesor", "reviewer")


def _closed_periods(session) -> list[Period]:
    return [p for p in session.query(Period).all() if p.status == "closed"]


def test_the_totals_equal_the_long_tables_per_indicator_mean_and_share(demo_engine):
    with read_session(demo_engine) as session:
        periods = _closed_periods(session)
        assert periods
        for period in periods:
            framework = load_framework_version(session, period.framework_version_id)
            names = {ind.code: ind.label("id") for ind in framework.indicators}
            long = gaps.indicator_gaps(session, actor=MINISTRY, period_id=period.id)
            by_indicator, mean, share = gaps.indicator_gap_totals(
                session, actor=MINISTRY, period_id=period.id, names=names
            )
            expected = gaps.gaps_by_indicator(long, names)
            assert list(by_indicator["indicator"]) == list(expected["indicator"]), period.year
            assert list(by_indicator["agencies"]) == list(expected["agencies"])
            assert list(by_indicator["indicator_name"]) == list(expected["indicator_name"])
            for got, want in zip(by_indicator.itertuples(), expected.itertuples(), strict=True):
                assert math.isclose(got.mean_gap, want.mean_gap, abs_tol=1e-12)
                assert math.isclose(got.over_share, want.over_share, abs_tol=1e-12)
            assert long.empty or math.isclose(mean or 0, float(long["gap"].mean()), abs_tol=1e-12)
            assert long.empty or math.isclose(share or 0, float((long["gap"] > 0).mean()), abs_tol=1e-12)


def test_a_period_without_any_pair_of_levels_has_no_totals(engine):
    with read_session(engine) as session:  # migrated, nothing assessed
        by_indicator, mean, share = gaps.indicator_gap_totals(session, actor=MINISTRY, period_id=1, names={})
    assert by_indicator.empty and mean is None and share is None


@pytest.mark.parametrize("role", ["operator", "coordinator"])
def test_agency_roles_are_refused_the_national_totals(demo_engine, role):
    with read_session(demo_engine) as session, pytest.raises(PermissionDenied):
        period = _closed_periods(session)[0]
        gaps.indicator_gap_totals(
            session, actor=Actor(None, "x", role, agency_id=1), period_id=period.id, names={}
        )


# --- a closed period's totals kept in the database (gap_totals.py, beside its scoring) -----------------


def _server(url: str) -> Engine:
    """An engine with an empty scoring cache of its own, as a restarted or second app server."""
    engine = make_engine(url)
    scoring_cache.attach(engine)
    return engine


def _totals(engine: Engine, period_id: int) -> gap_totals.GapTotals:
    with read_session(engine) as session:
        return gap_totals.period_gap_totals(session, period_id)


def _stored(engine: Engine, period_id: int) -> list[str]:
    query = select(col(PeriodScoring.payload)).where(
        col(PeriodScoring.period_id) == period_id, col(PeriodScoring.level_kind) == gap_totals.KIND
    )
    with read_session(engine) as session:
        return list(session.connection().execute(query).scalars())


def test_a_closed_periods_totals_are_stored_and_a_new_server_reads_them_until_the_period_changes(demo_db_url):
    plain = make_engine(demo_db_url)  # no cache: always summed from the scores
    servers: list[Engine] = []
    try:
        with read_session(plain) as session:
            period = _closed_periods(session)[-1]
        summed = _totals(plain, period.id)
        assert summed.pairs > 0 and _stored(plain, period.id) == []
        servers.append(_server(demo_db_url))
        assert _totals(servers[-1], period.id) == summed
        [text_] = _stored(plain, period.id)
        assert gap_totals.decode(text_) == summed
        # a new server reads the row, not the scores: a row changed behind its back shows through
        marked = gap_totals.GapTotals(by_indicator={"X": (1.0, 1, 1)}, by_agency={})
        with write_session(plain) as session:
            session.connection().execute(
                update(PeriodScoring)
                .where(col(PeriodScoring.period_id) == period.id, col(PeriodScoring.level_kind) == "gap")
                .values(payload=gap_totals.encode(marked), token="changed-behind-its-back")
            )
        servers.append(_server(demo_db_url))
        assert _totals(servers[-1], period.id) == marked
        # reopening the period (any write into it) forgets the row in the same transaction
        with write_session(plain) as session:
            session.connection().execute(
                update(Period).where(col(Period.id) == period.id).values(status="open")
            )
            data_version.bump(session.connection())
        assert _stored(plain, period.id) == []
        servers.append(_server(demo_db_url))
        assert _totals(servers[-1], period.id) == summed
        assert _stored(plain, period.id) == []  # an open period stores nothing
    finally:
        for engine in (plain, *servers):
            scoring_cache.detach(engine)
            engine.dispose()
