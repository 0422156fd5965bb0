"""Read models of results: every agency's index in a period, and the national picture over the years.

Indices are always recomputed from the stored levels through `evaluation.scoring`; nothing typed in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from evaluation.data_version import SETTLED, scope_of
from evaluation.data_version import current as current_data_version
from evaluation.models import Agency, Assessment, FrameworkVersion, IndicatorScore, Period, PublishedResult
from evaluation.scoring import Rounding, ScoreResult, score_group_values
from evaluation.scoring.batch import score_rows
from evaluation.services import scoring_cache, scoring_store
from evaluation.services.agencies import AgencyYear, agency_year
from evaluation.services.frameworks import framework_of
from evaluation.translatable import NotFound
from evaluation.workflow import AssessmentStatus
from indicators.schema import Framework

# assessment id -> (status, agency id, code, name, category, province): the period's assessments as scored
Heads = dict[int, tuple[Any, ...]]


@dataclass(frozen=True)
class AgencyResult(AgencyYear):
    framework_id: str
    source: str  # "final", "self" or "published"
    status: str
    result: ScoreResult


@dataclass(frozen=True)
class PeriodInfo:
    id: int
    year: int
    framework_id: str
    framework_version_id: int
    evaluation_type: str
    status: str
    rounding: Rounding | None
    kind: str = "official"  # or "programme" (issue 16): a programme on its own framework, same year
    runner: str = "ministry"  # "ministry", "province" (for its regencies and cities) or "agency"
    runner_agency_id: int | None = None
    verified: bool = True  # False: self-assessed only

    @property
    def is_programme(self) -> bool:
        return self.kind == "programme"


# PeriodInfo's fields read as they are stored on the period row
PERIOD_AS_STORED = ("year", "evaluation_type", "status", "kind", "runner", "runner_agency_id", "verified")


def list_periods(session: Session) -> list[PeriodInfo]:
    rows = session.exec(
        select(Period, FrameworkVersion)
        .join(FrameworkVersion, col(Period.framework_version_id) == col(FrameworkVersion.id))
        .order_by(col(Period.year), col(Period.kind), col(Period.id))  # a year's official period first
    )
    return [
        PeriodInfo(
            id=p.id or 0,
            framework_id=fv.framework_id,
            framework_version_id=fv.id or 0,
            rounding=p.predicate_rounding,  # type: ignore[arg-type]
            **{name: getattr(p, name) for name in PERIOD_AS_STORED},
        )
        for p, fv in rows
    ]


def period_results(
    session: Session,
    period_id: int,
    *,
    levels: str = "final",
    statuses: tuple[str, ...] = (AssessmentStatus.FINAL,),
) -> list[AgencyResult]:
    """Score every assessment of a period from its stored levels (`final` or `self`), sorted by agency name.

    On an engine with a scoring cache (evaluation/services/scoring_cache.py) a period is scored once per
    data version (of `data_version.scope_of(statuses)`) and the same results are shared by every reader (a
    new list each call; treat the results as read-only); a closed period is scored once for every process
    and server (its scoring is kept in the database: evaluation/services/scoring_store.py). Raises
    LookupError for an unknown period."""
    cache = scoring_cache.cache_for(session.get_bind())
    connection = session.connection()
    if cache is None or scoring_cache.has_written(connection):
        return _score_period(session, period_id, levels, statuses)
    # of finalized assessments only (the default): SETTLED, which the saves of unfinished ones leave alone
    version = current_data_version(connection, scope_of(statuses))
    key = (period_id, levels, tuple(statuses), version)
    return list(
        cache.get_or_compute(
            key, lambda: _read_period(session, cache, period_id, levels, tuple(statuses), version)
        )
    )


def _score_period(
    session: Session, period_id: int, levels: str, statuses: tuple[str, ...]
) -> list[AgencyResult]:
    """The period scored from its stored levels, always (no cache, no stored scoring)."""
    return _read_period(session, None, period_id, levels, statuses, 0)


def _read_period(
    session: Session,
    cache: scoring_cache.ScoringCache | None,
    period_id: int,
    levels: str,
    statuses: tuple[str, ...],
    version: int,
) -> list[AgencyResult]:
    """With a cache, a closed period from its stored scoring (scoring_store.py; scored and stored when
    there is none); otherwise scored. Thousands of small objects at 10x: no full collections meanwhile."""
    with scoring_cache.collector_paused():
        period, framework = _period_of(session, period_id)
        heads = _heads(session, period_id, statuses)

        def compute() -> dict[int, ScoreResult]:
            """Every assessment's result from its stored levels; counted in SCORINGS."""
            scoring_cache.SCORINGS[(period.id or 0, levels)] += 1
            rounding: Rounding | None = period.predicate_rounding  # type: ignore[assignment]
            query = _score_query(period_id, levels, statuses)
            # ~300,000 rows for a national period at 10x: the driver's tuples, scored in numpy
            # (scoring/batch.py), with the collector paused around all of this read
            rows = session.connection().execute(query).cursor.fetchall()
            return score_rows(framework, heads, rows, rounding=rounding)

        closed = cache is not None and period.status == "closed" and scoring_store.usable(session.get_bind())
        numbers = (
            scoring_store.closed_numbers(
                session,
                period_id=period_id,
                levels=levels,
                statuses=statuses,
                version=version,
                framework=framework,
                assessment_ids=heads,
                compute=compute,
                cache=cache,  # type: ignore[arg-type]
            )
            if closed
            else compute()
        )
        return _assemble(period, framework, levels, heads, numbers)


def _period_of(session: Session, period_id: int) -> tuple[Period, Framework]:
    period = session.get(Period, period_id)
    if period is None:
        raise NotFound("ea.period_not_found", period_id=str(period_id))
    version = session.get(FrameworkVersion, period.framework_version_id)
    assert version is not None
    return period, framework_of(version)


def _heads(session: Session, period_id: int, statuses: tuple[str, ...]) -> Heads:
    """The period's assessments in `statuses` (see Heads)."""
    query = (
        sa_select(
            col(Assessment.id),
            col(Assessment.status),
            col(Agency.id),
            col(Agency.code),
            col(Agency.name),
            col(Agency.category),
            col(Agency.province),
        )
        .join(Agency, col(Agency.id) == col(Assessment.agency_id))
        .where(col(Assessment.period_id) == period_id, col(Assessment.status).in_(statuses))
    )
    return {int(row[0] or 0): tuple(row[1:]) for row in session.connection().execute(query).cursor.fetchall()}


def _score_query(period_id: int, levels: str, statuses: tuple[str, ...]) -> Any:
    """(assessment id, indicator code, level, not applicable) of every score of the period's assessments in
    `statuses`, the level `final` or `self`."""
    level_column = IndicatorScore.final_level if levels == "final" else IndicatorScore.self_level
    return (
        sa_select(
            col(IndicatorScore.assessment_id),
            col(IndicatorScore.indicator_code),
            col(level_column),
            col(IndicatorScore.not_applicable),
        )
        .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
        .where(col(Assessment.period_id) == period_id, col(Assessment.status).in_(statuses))
    )


def _assemble(
    period: Period,
    framework: Framework,
    levels: str,
    heads: Heads,
    numbers: Mapping[int, ScoreResult],
) -> list[AgencyResult]:
    results = [
        AgencyResult(
            agency_id, code, name, category, province, period.year, framework.id, levels, status, numbers[aid]
        )
        for aid, (status, agency_id, code, name, category, province) in heads.items()
    ]
    results.sort(key=lambda r: r.agency_name)
    return results


def published_results(session: Session, year: int | None = None) -> list[AgencyResult]:
    """Published results (group indices typed from the official publications) scored to an index, for one
    year or all; cached per data version like `period_results` on an engine with a scoring cache."""
    cache = scoring_cache.cache_for(session.get_bind())
    connection = session.connection()
    if cache is None or scoring_cache.has_written(connection):
        return _score_published(session, year)
    key = ("published", year, current_data_version(connection, SETTLED))
    return list(cache.get_or_compute(key, lambda: _score_published(session, year)))


def _score_published(session: Session, year: int | None) -> list[AgencyResult]:
    query = (
        select(PublishedResult, Agency, FrameworkVersion)
        .join(Agency, col(Agency.id) == col(PublishedResult.agency_id))
        .join(FrameworkVersion, col(FrameworkVersion.id) == col(PublishedResult.framework_version_id))
    )
    if year is not None:
        query = query.where(PublishedResult.year == year)
    out = []
    for pub, agency, version in session.exec(query):
        framework = framework_of(version)
        result = score_group_values(framework, pub.group_kind, pub.group_values)
        out.append(
            AgencyResult(
                **agency_year(agency, pub.year),
                framework_id=framework.id,
                source="published",
                status="published",
                result=result,
            )
        )
    return out


@dataclass(frozen=True)
class NationalPoint:
    year: int
    framework_id: str
    index: float
    agencies: int
    source: str


def national_trend(session: Session) -> list[NationalPoint]:
    """The national index per year: the plain mean of the agencies' indices (final levels, or published).
    Programme periods (kind 'programme') are not the national index and are left out."""
    points: list[NationalPoint] = []
    assessed_years: set[int] = set()
    for period in list_periods(session):
        if period.is_programme:
            continue
        scored = [r.result.index_value for r in period_results(session, period.id) if r.result.complete]
        values = [v for v in scored if v is not None]
        if values:
            assessed_years.add(period.year)
            points.append(
                NationalPoint(
                    period.year, period.framework_id, sum(values) / len(values), len(values), "final"
                )
            )
    by_year: dict[tuple[int, str], list[float]] = defaultdict(list)
    for r in published_results(session):
        if r.year not in assessed_years and r.result.index_value is not None:
            by_year[(r.year, r.framework_id)].append(r.result.index_value)
    for (year, framework_id), values in by_year.items():
        points.append(NationalPoint(year, framework_id, sum(values) / len(values), len(values), "published"))
    return sorted(points, key=lambda p: p.year)
