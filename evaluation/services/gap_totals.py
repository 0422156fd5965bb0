"""A period's self-assessment against final result, summed per indicator and per agency (issue 17).

The Mandiri vs Final page, the gap over the years and the national PDF need sums, not a row per indicator
score of every agency (306,440 rows for one period at 10x). `period_gap_totals` sums in the database: the
gap (self minus final level), how many levels were claimed higher and lower than confirmed, and how many
pairs of levels there are, over the finalized assessments' applicable indicators with both levels.

A closed period's totals are kept beside its scoring in `period_scoring` (level kind "gap";
evaluation/services/scoring_store.py, whose triggers forget them in the same transaction as any write into
the period), so a restarted or second server reads one row; an engine with a scoring cache keeps them per
data version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, case, cast, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from evaluation.data_version import current as current_data_version
from evaluation.data_version import scope_of
from evaluation.models import Assessment, IndicatorScore, Period
from evaluation.services import scoring_cache, scoring_store
from evaluation.workflow import AssessmentStatus

KIND = "gap"  # the level kind of the stored row
STATUSES = (AssessmentStatus.FINAL.value,)


@dataclass(frozen=True)
class GapTotals:
    """Sums over a period's pairs of levels. `by_indicator`: code -> (sum of gaps, claimed higher, pairs);
    `by_agency`: agency id -> (sum of gaps, claimed higher, claimed lower, pairs). Gaps in levels."""

    by_indicator: dict[str, tuple[float, int, int]]
    by_agency: dict[int, tuple[float, int, int, int]]

    @property
    def pairs(self) -> int:
        """How many indicator scores have both levels."""
        return sum(n for _gap, _over, n in self.by_indicator.values())

    @property
    def over(self) -> int:
        """How many indicator scores were claimed higher than confirmed."""
        return sum(over for _gap, over, _n in self.by_indicator.values())

    @property
    def mean_gap(self) -> float | None:
        """The mean gap over every pair of levels; None without any."""
        pairs = self.pairs
        return sum(gap for gap, _over, _n in self.by_indicator.values()) / pairs if pairs else None

    @property
    def over_share(self) -> float | None:
        """The share of pairs claimed higher (0 to 1); None without any."""
        pairs = self.pairs
        return self.over / pairs if pairs else None


def period_gap_totals(session: Session, period_id: int) -> GapTotals:
    """The period's gap totals (see the module). No permission check: callers check the actor. Unknown
    periods have empty totals."""
    cache = scoring_cache.cache_for(session.get_bind())
    connection = session.connection()
    if cache is None or scoring_cache.has_written(connection):
        return _summed(session, period_id)
    version = current_data_version(connection, scope_of(STATUSES))  # finalized only: SETTLED
    return cache.get_or_compute((period_id, KIND, version), lambda: _read(session, cache, period_id, version))


def _read(session: Session, cache: scoring_cache.ScoringCache, period_id: int, version: int) -> GapTotals:
    status = session.connection().execute(sa_select(col(Period.status)).where(col(Period.id) == period_id))
    if status.scalar() != "closed" or not scoring_store.usable(session.get_bind()):
        return _summed(session, period_id)
    payload = scoring_store.stored_payload(
        session,
        period_id=period_id,
        levels=KIND,
        statuses=STATUSES,
        version=version,
        compute=lambda: encode(_summed(session, period_id)),
    )
    return cache.get_or_compute(("stored-gap", payload.token), lambda: decode(payload.text))


def encode(totals: GapTotals) -> str:
    """The totals as the stored row's JSON text (`decode` reverses it)."""
    return json.dumps(
        {"i": totals.by_indicator, "a": {str(k): v for k, v in totals.by_agency.items()}},
        separators=(",", ":"),
    )


def decode(text: str) -> GapTotals:
    """The totals `encode` wrote. Raises ValueError (json.JSONDecodeError) on text it did not write."""
    data: dict[str, Any] = json.loads(text)
    return GapTotals(
        by_indicator={code: (float(g), int(o), int(n)) for code, (g, o, n) in data["i"].items()},
        by_agency={int(k): (float(g), int(o), int(u), int(n)) for k, (g, o, u, n) in data["a"].items()},
    )


def _summed(session: Session, period_id: int) -> GapTotals:
    """Two sums in the database over the period's pairs of levels: per indicator and per agency."""
    own, final = col(IndicatorScore.self_level), col(IndicatorScore.final_level)
    gap = cast(own - final, Float)

    def summed(key: Any, *counts: Any) -> list[Any]:
        query = (
            sa_select(key, func.sum(gap), *counts, func.count())
            .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
            .where(
                col(Assessment.period_id) == period_id,
                col(Assessment.status) == AssessmentStatus.FINAL,
                own.is_not(None),
                final.is_not(None),
                col(IndicatorScore.not_applicable).is_(False),
            )
            .group_by(key)
        )
        return list(session.connection().execute(query).fetchall())

    higher = func.sum(case((own > final, 1), else_=0))
    lower = func.sum(case((own < final, 1), else_=0))
    return GapTotals(
        by_indicator={
            str(code): (float(g), int(o), int(n))
            for code, g, o, n in summed(col(IndicatorScore.indicator_code), higher)
        },
        by_agency={
            int(agency): (float(g), int(o), int(u), int(n))
            for agency, g, o, u, n in summed(col(Assessment.agency_id), higher, lower)
        },
    )
