"""Scoring figures of `python -m bench scale` (issue 17): the floor, the path before, a restarted server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from bench.timing import median_ms
from evaluation.db import make_engine, read_session


def floor_of(engine: Engine, period_id: int, framework: Any) -> Callable[[], Any]:
    """The raw fetch of a period's final levels plus numpy weighted sums per group: the floor."""
    import numpy as np
    from sqlalchemy import select
    from sqlmodel import col

    from evaluation.models import Assessment, IndicatorScore
    from evaluation.scoring.plan import plan_of

    plan = plan_of(framework)
    codes = {code: n for n, code in enumerate(plan.weight)}
    weights = np.array([plan.weight[c] for c in plan.weight], dtype=np.int64)
    groups = list(plan.group_members)
    member = np.zeros((len(codes), len(groups)), dtype=np.int64)
    for g, group in enumerate(groups):
        for code in plan.group_members[group]:
            member[codes[code], g] = 1
    query = (
        select(
            col(IndicatorScore.assessment_id),
            col(IndicatorScore.indicator_code),
            col(IndicatorScore.final_level),
        )
        .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
        .where(col(Assessment.period_id) == period_id, col(Assessment.status) == "final")
    )

    def run() -> Any:
        with engine.connect() as connection:
            rows = connection.execute(query).cursor.fetchall()
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        column = np.fromiter((codes.get(r[1], 0) for r in rows), dtype=np.int64, count=len(rows))
        level = np.fromiter((r[2] or 0 for r in rows), dtype=np.int64, count=len(rows))
        agencies, row_of = np.unique(ids, return_inverse=True)
        grid = np.zeros((len(agencies), len(codes)), dtype=np.int64)
        grid[row_of, column] = level
        return (grid * weights) @ member  # exact integer sums per group, as the scoring's fast path

    return run


def per_assessment(engine: Engine, period_id: int, framework: Any) -> Callable[[], Any]:
    """The scoring before the period-at-once path: a dictionary of levels per assessment, `score_levels`
    on each, the collector left on (what `period_results` did until issue 17's second pass)."""

    from sqlalchemy import select
    from sqlmodel import col

    from evaluation.models import Assessment, IndicatorScore
    from evaluation.scoring.batch import score_each

    query = (
        select(
            col(IndicatorScore.assessment_id),
            col(IndicatorScore.indicator_code),
            col(IndicatorScore.final_level),
            col(IndicatorScore.not_applicable),
        )
        .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
        .where(col(Assessment.period_id) == period_id, col(Assessment.status) == "final")
    )

    def run() -> Any:
        with engine.connect() as connection:
            rows = connection.execute(query).cursor.fetchall()
        ids = list(dict.fromkeys(row[0] for row in rows))
        return score_each(framework, ids, rows, framework.predicate.rounding)

    return run


def stored_reads(url: str, runs: int) -> tuple[float, float, int]:
    """Medians (ms) of what a restarted server pays: the latest closed official period read through a new
    engine and scoring cache (its scoring kept in the database), and every period in both level kinds
    (open ones scored) as the home and trend pages read them. Fills the stored scorings first."""
    from evaluation.services import scoring_cache
    from evaluation.services.results import list_periods, period_results

    def read(which: str) -> int:
        engine = make_engine(url)
        scoring_cache.attach(engine)
        with read_session(engine) as session:
            periods = list_periods(session)
            closed = [p for p in periods if p.status == "closed" and not p.is_programme][-1:]
            wanted = [(p.id, kind) for p in periods for kind in ("final", "self")]
            for period_id, kind in wanted if which == "every" else [(closed[0].id, "final")]:
                period_results(session, period_id, levels=kind)
        scoring_cache.detach(engine)
        engine.dispose()
        return len(wanted)

    count = read("every")
    return median_ms(lambda: read("one"), runs), median_ms(lambda: read("every"), runs), count
