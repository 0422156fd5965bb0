"""The demo data: shaped like the published national picture (SPBE.md), deterministic, loaded only once."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from evaluation.bootstrap import ensure_database, ensure_schema
from evaluation.db import make_engine, read_session, write_session
from evaluation.demo.data import load_demo
from evaluation.models import AGENCY_CATEGORIES, Agency, Assessment, IndicatorScore, Period, RoadmapTarget
from evaluation.services.results import list_periods, national_trend, period_results
from tests.conftest import BACKENDS, DEMO_AGENCIES, _copy_of

pytestmark = pytest.mark.db

# SPBE.md: national index 2021-2024 (PermenPANRB 59/2020 framework).
PUBLISHED_NATIONAL = {2021: 2.24, 2022: 2.34, 2023: 2.79, 2024: 3.12}
ALL_AGENCIES = 649  # rows of data/agencies.csv


@pytest.fixture(scope="module")
def full_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The full-scale demo (every agency), built once for this module on SQLite (~10 s)."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('full-demo') / 'demo.db'}")
    ensure_schema(engine)
    with write_session(engine) as session:
        load_demo(session)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def full_trend(full_engine):
    with read_session(full_engine) as session:
        return {point.year: point for point in national_trend(session)}


def count(engine, model) -> int:
    with read_session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def period_of(session, year: int):
    return next(p for p in list_periods(session) if p.year == year)


# --- the full-scale picture ------------------------------------------------------------------------


def test_the_full_demo_holds_every_reference_agency(full_engine):
    assert count(full_engine, Agency) == ALL_AGENCIES


@pytest.mark.parametrize("year", sorted(PUBLISHED_NATIONAL))
def test_the_national_index_is_close_to_the_published_figure(full_trend, year):
    assert full_trend[year].index == pytest.approx(PUBLISHED_NATIONAL[year], abs=0.05)


@pytest.mark.parametrize("year", [2021, 2022, 2023, 2024, 2025])
def test_every_agency_has_a_final_result_in_each_spbe_year(full_trend, year):
    point = full_trend[year]
    assert (point.framework_id, point.agencies, point.source) == ("spbe-2020", ALL_AGENCIES, "final")


def test_the_national_index_rises_from_2021_to_2024(full_trend):
    values = [full_trend[year].index for year in sorted(PUBLISHED_NATIONAL)]
    assert values == sorted(values)


def test_2024_category_means_put_ministries_first_and_regencies_last(full_engine):
    with read_session(full_engine) as session:
        results = period_results(session, period_of(session, 2024).id)
    by_category: dict[str, list[float]] = defaultdict(list)
    for r in results:
        by_category[r.category].append(r.result.index_value)
    means = {category: sum(v) / len(v) for category, v in by_category.items()}
    assert set(means) == set(AGENCY_CATEGORIES)
    assert max(means, key=means.__getitem__) == "Kementerian"
    assert min(means, key=means.__getitem__) == "Kabupaten"


def test_self_assessed_levels_run_higher_than_final_levels_in_every_year(full_engine):
    with read_session(full_engine) as session:
        rows = session.exec(
            select(Period.year, func.avg(IndicatorScore.self_level), func.avg(IndicatorScore.final_level))
            .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
            .join(Period, col(Period.id) == col(Assessment.period_id))
            .where(col(IndicatorScore.self_level).is_not(None), col(IndicatorScore.final_level).is_not(None))
            .group_by(col(Period.year))
        ).all()
    assert {year for year, _, _ in rows} == {2021, 2022, 2023, 2024, 2025, 2026}
    assert [year for year, own, final in rows if not own > final] == []


def test_2026_is_an_open_pemdi_period_with_assessments_in_every_stage(full_engine):
    with read_session(full_engine) as session:
        period = period_of(session, 2026)
        statuses = set(session.exec(select(Assessment.status).where(Assessment.period_id == period.id)).all())
    assert (period.framework_id, period.status) == ("pemdi-2026", "open")
    assert {"draft", "submitted", "in_review", "final"} <= statuses


def test_years_before_2026_are_closed_spbe_periods(full_engine):
    with read_session(full_engine) as session:
        closed = {
            (p.year, p.framework_id, p.status)
            for p in list_periods(session)
            if p.year < 2026 and not p.is_programme  # the programme's years: test_programme_demo.py
        }
    assert closed == {(year, "spbe-2020", "closed") for year in range(2021, 2026)}


def test_every_regency_and_city_has_its_province_as_parent(full_engine):
    with read_session(full_engine) as session:
        by_id = {a.id: a for a in session.exec(select(Agency))}
    wrong = [
        a.code
        for a in by_id.values()
        if a.category in ("Kabupaten", "Kota")
        and not (
            a.parent_id in by_id
            and by_id[a.parent_id].category == "Provinsi"
            and by_id[a.parent_id].province == a.province
        )
    ]
    assert wrong == []


def test_some_agencies_have_short_medium_and_long_roadmap_targets(full_engine):
    with read_session(full_engine) as session:
        rows = session.exec(
            select(RoadmapTarget.agency_id, RoadmapTarget.horizon).where(
                col(RoadmapTarget.agency_id).is_not(None)
            )
        ).all()
    horizons: dict[int, set[str]] = defaultdict(set)
    for agency_id, horizon in rows:
        horizons[agency_id].add(horizon)
    complete = [a for a, h in horizons.items() if h == {"short", "medium", "long"}]
    assert 0 < len(complete) < ALL_AGENCIES


# --- the small demo (conftest's demo_engine) -------------------------------------------------------


def test_the_small_demo_keeps_every_category(demo_engine):
    with read_session(demo_engine) as session:
        categories = set(session.exec(select(Agency.category)).all())
    assert count(demo_engine, Agency) == DEMO_AGENCIES
    assert categories == set(AGENCY_CATEGORIES)


def test_closed_periods_score_every_indicator_of_every_assessment(demo_engine):
    with read_session(demo_engine) as session:
        for period in list_periods(session):
            if period.status != "closed" or period.is_programme:  # programmes: test_programme_demo.py
                continue
            results = period_results(session, period.id)
            assert len(results) == DEMO_AGENCIES
            assert all(r.result.complete for r in results), period.year


def test_draft_assessments_have_no_final_levels(demo_engine):
    with read_session(demo_engine) as session:
        finals = session.exec(
            select(func.count())
            .select_from(IndicatorScore)
            .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
            .where(Assessment.status == "draft", col(IndicatorScore.final_level).is_not(None))
        ).one()
    assert finals == 0


# --- determinism and loading only once -------------------------------------------------------------


def demo_rows(templates, backend: str, tmp_path, seed: int) -> list[tuple]:
    """(agency code, year, indicator, self, final) of a 12-agency demo in a fresh copy of the migrated
    database."""
    folder = tmp_path / uuid.uuid4().hex
    folder.mkdir()
    url, drop = _copy_of(backend, templates[(backend, False)], folder)
    engine = make_engine(url)
    try:
        with write_session(engine) as session:
            load_demo(session, limit=12, seed=seed)
        with read_session(engine) as session:
            return list(
                session.exec(
                    select(
                        Agency.code,
                        Period.year,
                        IndicatorScore.indicator_code,
                        IndicatorScore.self_level,
                        IndicatorScore.final_level,
                    )
                    .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
                    .join(Agency, col(Agency.id) == col(Assessment.agency_id))
                    .join(Period, col(Period.id) == col(Assessment.period_id))
                    .order_by(col(Agency.code), col(Period.year), col(IndicatorScore.indicator_code))
                ).all()
            )
    finally:
        engine.dispose()
        drop()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_same_seed_gives_the_same_demo_in_two_databases(backend, templates, tmp_path):
    first = demo_rows(templates, backend, tmp_path, seed=2026)
    second = demo_rows(templates, backend, tmp_path, seed=2026)
    assert len(first) > 0 and first == second


@pytest.mark.parametrize("backend", BACKENDS)
def test_another_seed_gives_other_levels(backend, templates, tmp_path):
    first = demo_rows(templates, backend, tmp_path, seed=2026)
    other = demo_rows(templates, backend, tmp_path, seed=7)
    assert [r[:3] for r in first] == [r[:3] for r in other]
    assert first != other


def test_loading_the_demo_into_a_database_with_agencies_raises_and_changes_nothing(engine):
    with write_session(engine) as session:
        session.add(Agency(code="KEM-999", name="Kementerian Contoh", category="Kementerian"))
    with pytest.raises(RuntimeError, match="already holds agencies"), write_session(engine) as session:
        load_demo(session, limit=5)
    counts = [count(engine, model) for model in (Agency, Period, Assessment, IndicatorScore, RoadmapTarget)]
    assert counts == [1, 0, 0, 0, 0]


def test_ensure_database_leaves_a_database_with_agencies_as_it_is(engine):
    with write_session(engine) as session:
        session.add(Agency(code="KEM-999", name="Kementerian Contoh", category="Kementerian"))
    assert ensure_database(engine, demo=True, demo_limit=5) is None
    assert (count(engine, Agency), count(engine, Period)) == (1, 0)
