"""The period's self-vs-final totals summed in the database (`gaps.indicator_gap_totals`, what the national
PDF prints, issue 17) equal what the page computes from the long table of every score."""

from __future__ import annotations

import math

import pytest

from evaluation.db import read_session
from evaluation.models import Period
from evaluation.services import gaps
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
