"""Results read models: indices recomputed from stored levels, the national trend, published results."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from evaluation.db import read_session, write_session
from evaluation.models import Agency, Assessment, IndicatorScore, Period, PublishedResult
from evaluation.scoring import score_levels
from evaluation.services.frameworks import framework_of, latest_version
from evaluation.services.results import list_periods, national_trend, period_results, published_results

pytestmark = pytest.mark.db

SPBE_DOMAINS = {"D1": 3.7, "D2": 3.4, "D3": 3.0, "D4": 3.2}  # PermenPANRB 59/2020 worked example: 3.282


def period_of(session, year: int):
    return next(p for p in list_periods(session) if p.year == year)


def stored_levels(session, period_id: int, agency_code: str, column=IndicatorScore.final_level) -> dict:
    rows = session.exec(
        select(IndicatorScore.indicator_code, column)
        .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
        .join(Agency, col(Agency.id) == col(Assessment.agency_id))
        .where(Assessment.period_id == period_id, Agency.code == agency_code)
    ).all()
    return dict(rows)


# --- period results (small demo) -------------------------------------------------------------------


@pytest.mark.parametrize("year", [2021, 2023, 2024, 2026])
def test_period_results_equal_scoring_the_stored_final_levels_directly(demo_engine, year):
    with read_session(demo_engine) as session:
        period = period_of(session, year)
        version = latest_version(session, period.framework_id)
        assert version is not None
        framework = framework_of(version)
        results = {r.agency_code: r.result for r in period_results(session, period.id)}
        picked = sorted(results)[:: max(1, len(results) // 4)]
        assert len(picked) >= 3
        for code in picked:
            direct = score_levels(
                framework, stored_levels(session, period.id, code), rounding=period.rounding
            )
            assert results[code].index == direct.index, code
            assert results[code].groups == direct.groups, code
            assert results[code].predicate == direct.predicate, code


def test_period_results_count_only_final_assessments_by_default(demo_engine):
    with read_session(demo_engine) as session:
        period = period_of(session, 2026)
        final_ids = set(
            session.exec(
                select(Assessment.agency_id).where(
                    Assessment.period_id == period.id, Assessment.status == "final"
                )
            ).all()
        )
        results = period_results(session, period.id)
    assert final_ids and {r.agency_id for r in results} == final_ids
    assert {r.status for r in results} == {"final"}


def test_period_results_of_self_levels_score_the_self_assessment(demo_engine):
    with read_session(demo_engine) as session:
        period = period_of(session, 2024)
        framework = framework_of(latest_version(session, "spbe-2020"))
        result = period_results(session, period.id, levels="self")[0]
        own = stored_levels(session, period.id, result.agency_code, IndicatorScore.self_level)
    assert result.source == "self"
    assert result.result.index == score_levels(framework, own, rounding=period.rounding).index


def test_period_results_apply_the_periods_predicate_rounding(demo_engine):
    with read_session(demo_engine) as session:
        rules = {
            year: {r.result.rounding for r in period_results(session, period_of(session, year).id)}
            for year in (2023, 2024)
        }
    assert rules == {2023: {"round2"}, 2024: {"raw"}}


def test_period_results_of_an_unknown_period_raise_lookup_error(demo_engine):
    with read_session(demo_engine) as session, pytest.raises(LookupError):
        period_results(session, 999_999)


# --- the national trend (small demo) ---------------------------------------------------------------


def test_national_trend_has_one_point_per_year_with_its_framework(demo_engine):
    with read_session(demo_engine) as session:
        points = national_trend(session)
    expected = [(year, "spbe-2020") for year in range(2021, 2026)] + [(2026, "pemdi-2026")]
    assert [(p.year, p.framework_id) for p in points] == expected


def test_a_national_point_is_the_plain_mean_of_the_agencies_final_indices(demo_engine):
    with read_session(demo_engine) as session:
        indices = [r.result.index_value for r in period_results(session, period_of(session, 2024).id)]
        point = next(p for p in national_trend(session) if p.year == 2024)
    assert point.agencies == len(indices)
    assert point.index == pytest.approx(sum(indices) / len(indices))


# --- published results -----------------------------------------------------------------------------


def add_agency(session, code: str = "KOTA-001") -> Agency:
    agency = Agency(code=code, name=f"Kota {code}", category="Kota", province="Jawa Tengah")
    session.add(agency)
    session.flush()
    return agency


def publish(engine, year: int, values: dict[str, float], agency_code: str = "KOTA-001") -> None:
    with write_session(engine) as session:
        agency = session.exec(select(Agency).where(Agency.code == agency_code)).first() or add_agency(
            session, agency_code
        )
        version = latest_version(session, "spbe-2020")
        session.add(
            PublishedResult(
                agency_id=agency.id,
                year=year,
                framework_version_id=version.id,
                group_kind="domain",
                group_values=values,
                source="test",
            )
        )


def test_a_published_result_is_scored_from_its_four_domain_values(engine):
    publish(engine, 2020, SPBE_DOMAINS)
    with read_session(engine) as session:
        [result] = published_results(session, 2020)
    assert result.result.index_value == pytest.approx(3.282, abs=1e-12)
    assert result.result.index_display == "3.28"
    assert result.result.predicate is not None and result.result.predicate.name == "Baik"
    assert (result.agency_code, result.source, result.framework_id) == ("KOTA-001", "published", "spbe-2020")


def test_published_results_are_filtered_by_year(engine):
    publish(engine, 2020, SPBE_DOMAINS)
    with read_session(engine) as session:
        assert published_results(session, 2021) == []


def test_a_published_year_without_assessments_joins_the_national_trend(engine):
    publish(engine, 2020, SPBE_DOMAINS)
    publish(engine, 2020, {"D1": 2.0, "D2": 2.0, "D3": 2.0, "D4": 2.0}, agency_code="KOTA-002")
    with read_session(engine) as session:
        points = national_trend(session)
    assert [(p.year, p.source, p.agencies) for p in points] == [(2020, "published", 2)]
    assert points[0].index == pytest.approx((3.282 + 2.0) / 2)


def test_a_year_with_final_assessments_ignores_published_results_in_the_trend(engine):
    publish(engine, 2024, {"D1": 1.0, "D2": 1.0, "D3": 1.0, "D4": 1.0})
    with write_session(engine) as session:
        version = latest_version(session, "spbe-2020")
        framework = framework_of(version)
        agency = add_agency(session, "KOTA-002")
        period = Period(
            year=2024, framework_version_id=version.id, evaluation_type="evaluasi", status="closed"
        )
        session.add(period)
        session.flush()
        assessment = Assessment(
            agency_id=agency.id, period_id=period.id, framework_version_id=version.id, status="final"
        )
        session.add(assessment)
        session.flush()
        session.add_all(
            [
                IndicatorScore(assessment_id=assessment.id, indicator_code=i.code, final_level=4)
                for i in framework.indicators
            ]
        )
    with read_session(engine) as session:
        points = national_trend(session)
    assert [(p.year, p.source, p.agencies, p.index) for p in points] == [(2024, "final", 1, 4.0)]
