"""Read models for comparing agencies in a period: the ranking (with the change from the last period on
the same framework), the heatmap matrix, and where an agency stands among its category's peers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import pandas as pd
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from evaluation import data_version
from evaluation.models import Assessment, IndicatorScore
from evaluation.services import scoring_cache
from evaluation.services.actors import Actor, require_role
from evaluation.services.results import PeriodInfo, list_periods, period_results
from evaluation.workflow import AssessmentStatus, Role


def previous_period(session: Session, period_id: int) -> PeriodInfo | None:
    """The latest earlier period on the same framework (indices are comparable only within one)."""
    periods = list_periods(session)
    current = next(p for p in periods if p.id == period_id)
    earlier = [p for p in periods if p.framework_id == current.framework_id and p.year < current.year]
    return max(earlier, key=lambda p: p.year) if earlier else None


def ranking(session: Session, *, actor: Actor, period_id: int) -> pd.DataFrame:
    """One row per verified agency: index, predicate, group indices, change from the last period, rank."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    before = previous_period(session, period_id)
    earlier = {}
    if before is not None:
        earlier = {
            r.agency_id: r.result.index_value for r in period_results(session, before.id) if r.result.complete
        }
    rows = []
    for r in period_results(session, period_id):
        if not r.result.complete:
            continue
        previous = earlier.get(r.agency_id)
        rows.append(
            {
                "agency_id": r.agency_id,
                "code": r.agency_code,
                "name": r.agency_name,
                "category": r.category,
                "province": r.province,
                "index": r.result.index_value,
                "predicate": r.result.predicate.name if r.result.predicate else None,
                "change": None
                if previous is None or r.result.index_value is None
                else r.result.index_value - previous,
                **{code: float(value) for code, value in r.result.groups.items()},
            }
        )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame = frame.sort_values("index", ascending=False).reset_index(drop=True)
    frame.insert(0, "rank", frame["index"].rank(ascending=False, method="min").astype(int))
    return frame


def filter_ranking(
    frame: pd.DataFrame,
    *,
    categories: list[str] | None = None,
    province: str | None = None,
    predicates: list[str] | None = None,
    search: str = "",
) -> pd.DataFrame:
    """Narrow the ranking: categories, a province (its own government with its regencies and cities, which
    carry the province's name), predicates, and a name or code search."""
    if frame.empty:
        return frame
    keep = pd.Series(True, index=frame.index)
    if categories:
        keep &= frame["category"].isin(categories)
    if province:
        keep &= frame["province"] == province
    if predicates:
        keep &= frame["predicate"].isin(predicates)
    if search.strip():
        needle = search.strip().lower()
        keep &= frame["name"].str.lower().str.contains(needle, regex=False) | frame[
            "code"
        ].str.lower().str.contains(needle, regex=False)
    return frame[keep]


def level_matrix(session: Session, *, actor: Actor, period_id: int, agency_ids: list[int]) -> pd.DataFrame:
    """Final levels per agency (rows) and indicator (columns) for the heatmap."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    if not agency_ids:
        return pd.DataFrame()
    levels: dict[int, dict[str, float]] = defaultdict(dict)
    for agency_id, by_code in final_levels(session, period_id, agency_ids).items():
        for code, level in by_code.items():
            if level is not None:
                levels[agency_id][code] = float(level)
    return pd.DataFrame.from_dict(levels, orient="index").reindex(agency_ids)


def final_levels(
    session: Session, period_id: int, agency_ids: list[int] | None = None
) -> Mapping[int, Mapping[str, float | None]]:
    """The final levels of the period's finalized assessments as stored: {agency id: {indicator code:
    level, None where none is set}}; only the agencies in `agency_ids` when given. On an engine with a
    scoring cache the whole period is read once per SETTLED data version and shared (read-only): the
    national matrix export reads it beside the cached scoring (issue 17)."""
    cache = scoring_cache.cache_for(session.get_bind())
    connection = session.connection()
    if cache is None or scoring_cache.has_written(connection):
        return _read_final_levels(session, period_id, agency_ids)
    version = data_version.current(connection, data_version.SETTLED)  # finalized assessments only
    every = cache.get_or_compute(
        (period_id, "final-levels", version), lambda: _read_final_levels(session, period_id, None)
    )
    if agency_ids is None:
        return every
    return {agency_id: every[agency_id] for agency_id in agency_ids if agency_id in every}


def _read_final_levels(
    session: Session, period_id: int, agency_ids: list[int] | None
) -> dict[int, dict[str, float | None]]:
    query = (
        sa_select(
            col(Assessment.agency_id), col(IndicatorScore.indicator_code), col(IndicatorScore.final_level)
        )
        .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
        .where(col(Assessment.period_id) == period_id, col(Assessment.status) == AssessmentStatus.FINAL)
    )
    if agency_ids is not None:
        query = query.where(col(Assessment.agency_id).in_(agency_ids))
    levels: dict[int, dict[str, float | None]] = {}
    # the driver's own rows (no Row objects): a national period is 306,440 of them at 10x (issue 17)
    with scoring_cache.collector_paused():
        for agency_id, code, level in session.connection().execute(query).cursor.fetchall():
            by_code = levels.get(agency_id)
            if by_code is None:
                by_code = levels[int(agency_id)] = {}
            by_code[code] = level
    return levels


def percentile_in_category(frame: pd.DataFrame, agency_id: int) -> float | None:
    """The share of the agency's category peers whose index is at or below its own (0-100)."""
    row = frame[frame["agency_id"] == agency_id]
    if row.empty:
        return None
    peers = frame[frame["category"] == row.iloc[0]["category"]]["index"]
    return float((peers <= row.iloc[0]["index"]).mean() * 100)
