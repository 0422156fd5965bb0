"""What was observed for a target: an agency's or the national value per year, an indicator's
verified level, or the share of a category's agencies at a predicate or better."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, TypeAlias

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from evaluation.models import (
    Assessment,
    FrameworkVersion,
    IndicatorScore,
    Period,
    RoadmapTarget,
)
from evaluation.services.frameworks import framework_of, latest_version
from evaluation.services.results import AgencyResult, list_periods, period_results, published_results
from evaluation.translatable import InvalidInput
from evaluation.workflow import AssessmentStatus

# One page build's reading: a framework's results per year under its id (`_results_by_year`), and what is
# derived from them under keys with "#" (per agency, per category, national series already computed).
ResultsCache: TypeAlias = dict[str, Any]


def _results_by_year(session: Session, framework_id: str) -> dict[int, list[AgencyResult]]:
    """Verified results per year on a framework; published results fill the years not assessed here."""
    by_year: dict[int, list[AgencyResult]] = {}
    for period in list_periods(session):
        if period.framework_id == framework_id:
            by_year[period.year] = [r for r in period_results(session, period.id) if r.result.complete]
    assessed = set(by_year)
    for result in published_results(session):
        if result.framework_id == framework_id and result.year not in assessed:
            by_year.setdefault(result.year, []).append(result)
    return by_year


def _value(result: AgencyResult, kind: str, code: str | None) -> float | None:
    if kind == "index":
        return result.result.index_value
    if kind == "group" and code in result.result.groups:
        return float(result.result.groups[code])
    return None


def series(
    session: Session,
    *,
    agency_id: int | None,
    framework_id: str,
    kind: str = "index",
    code: str | None = None,
    category: str | None = None,
    predicate: str | None = None,
    cache: ResultsCache | None = None,
) -> dict[int, float]:
    """Observed values per year: an agency's (or, with agency_id None, the mean over agencies), or for
    kind "share" the share of a category's agencies at `predicate` or better. With a `cache` shared by
    the calls of one page build, the results are read once and each national series computed once (the
    national roadmap asks for the national index once for the chart and once per national target)."""
    cache = cache if cache is not None else {}
    if framework_id not in cache:
        cache[framework_id] = _results_by_year(session, framework_id)
    if kind == "indicator":
        return _indicator_series(session, agency_id=agency_id, framework_id=framework_id, code=code or "")
    if agency_id is not None:
        return _series(session, cache, agency_id, framework_id, kind, code, category, predicate)
    memo = f"{framework_id}#national#{kind}#{code}#{category}#{predicate}"
    if memo not in cache:
        cache[memo] = _series(session, cache, None, framework_id, kind, code, category, predicate)
    return dict(cache[memo])


def _series(
    session: Session,
    cache: ResultsCache,
    agency_id: int | None,
    framework_id: str,
    kind: str,
    code: str | None,
    category: str | None,
    predicate: str | None,
) -> dict[int, float]:
    rank: dict[str, int] = {}
    if kind == "share":
        version = latest_version(session, framework_id)
        assert version is not None
        bands = [b.name for b in framework_of(version).predicate.bands]
        if predicate not in bands:
            raise InvalidInput("ea.unknown_predicate", predicate=predicate)
        rank = {name: n for n, name in enumerate(bands)}
    values_by_year: dict[int, float] = {}
    by_year = cache[framework_id]
    if agency_id is not None and kind != "share":  # one agency: its own results, indexed once per cache
        by_year = _agency_results(cache, framework_id, agency_id)
    if kind == "share":
        by_year = _category_results(cache, framework_id, category)
    for year, results in by_year.items():
        if kind == "share":
            # each result's own predicate, banded by its period's rounding rule
            members = [r.result.predicate.name for r in results if r.result.predicate]
            if members:
                good = sum(1 for name in members if rank[name] >= rank[predicate or ""])
                values_by_year[year] = good / len(members)
            continue
        values = [
            v
            for r in results
            if (agency_id is None or r.agency_id == agency_id) and (v := _value(r, kind, code)) is not None
        ]
        if values:
            values_by_year[year] = sum(values) / len(values)
    return values_by_year


def _agency_results(cache: ResultsCache, framework_id: str, agency_id: int) -> dict[int, list[AgencyResult]]:
    """An agency's results per year on a framework; the first call indexes every agency into the cache
    (keys `framework#agency`), so off-track checks over many agencies do not rescan every result."""
    marker = f"{framework_id}#indexed"
    if marker not in cache:
        for year, results in cache[framework_id].items():
            for result in results:
                cache.setdefault(f"{framework_id}#{result.agency_id}", {}).setdefault(year, []).append(result)
        cache[marker] = {}
    return cache.get(f"{framework_id}#{agency_id}", {})


def _category_results(
    cache: ResultsCache, framework_id: str, category: str | None
) -> dict[int, list[AgencyResult]]:
    """The results per year of one category's agencies; the first call groups every category (keys
    `framework#category#name`), so the shares of all categories scan the results once."""
    marker = f"{framework_id}#categories"
    if marker not in cache:
        for year, results in cache[framework_id].items():
            for result in results:
                key = f"{framework_id}#category#{result.category}"
                cache.setdefault(key, {}).setdefault(year, []).append(result)
        cache[marker] = {}
    return {
        year: found
        for year in cache[framework_id]
        if (found := cache.get(f"{framework_id}#category#{category}", {}).get(year)) is not None
    }


def _indicator_series(
    session: Session, *, agency_id: int | None, framework_id: str, code: str
) -> dict[int, float]:
    """An indicator's verified level per year (the mean over agencies when agency_id is None)."""
    query = (
        sa_select(col(Period.year), col(IndicatorScore.final_level))
        .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
        .join(Period, col(Period.id) == col(Assessment.period_id))
        .join(FrameworkVersion, col(FrameworkVersion.id) == col(Period.framework_version_id))
        .where(
            col(FrameworkVersion.framework_id) == framework_id,
            col(Assessment.status) == AssessmentStatus.FINAL,
            col(IndicatorScore.indicator_code) == code,
            col(IndicatorScore.final_level).is_not(None),
        )
    )
    if agency_id is not None:
        query = query.where(col(Assessment.agency_id) == agency_id)
    by_year: dict[int, list[float]] = defaultdict(list)
    for year, level in session.connection().execute(query).fetchall():
        by_year[int(year)].append(float(level or 0))
    return {year: sum(values) / len(values) for year, values in by_year.items()}


def observations(
    session: Session, target: RoadmapTarget, cache: ResultsCache | None = None
) -> dict[int, float]:
    """What was observed per year for a target."""
    return series(
        session,
        agency_id=target.agency_id,
        framework_id=target.framework_id,
        kind=target.target_kind,
        code=target.target_code,
        category=target.category,
        predicate=target.predicate,
        cache=cache,
    )
