"""Scoring a whole period at once (issue 17): the stored levels of every assessment as rows, scored in numpy.

The rows go into one (assessments x indicators) grid of level x integer weight; a matrix product with the
plan's membership gives every group's integer sum, so no Python object is built per value. Each sum then
becomes its exact value and band through the memo of `levels._exact` / `levels._band` (one shared
Fraction per distinct sum): the result of every assessment equals `score_levels` on its levels. An
assessment with anything the whole-level path does not take (an indicator marked not applicable, a
fractional or out-of-scale level, an unknown code) is scored by `score_levels` itself, as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from fractions import Fraction
from itertools import repeat
from operator import itemgetter
from typing import Any

import numpy as np

from evaluation.scoring.levels import _band, _exact, score_levels
from evaluation.scoring.plan import Plan, plan_of
from evaluation.scoring.values import Rounding, ScoreResult
from indicators.schema import Framework

Row = Sequence[Any]  # (assessment id, indicator code, level or None, not applicable)


def score_rows(
    framework: Framework, assessment_ids: Iterable[int], rows: Sequence[Row], *, rounding: Rounding | None
) -> dict[int, ScoreResult]:
    """Every assessment's result from its stored rows: {assessment id: ScoreResult}, one per id given
    (an assessment without rows has every indicator missing). Raises ScoringInputError like `score_levels`
    for levels it cannot score."""
    rule: Rounding = rounding or framework.predicate.rounding
    plan = plan_of(framework)
    wanted = list(dict.fromkeys(assessment_ids))
    if not plan.fits_int64 or not rows or not wanted:
        return score_each(framework, wanted, rows, rule)
    ids, codes, raw_levels, not_applicable = (list(map(itemgetter(n), rows)) for n in range(4))
    try:
        level = np.array(raw_levels, dtype=np.float64)  # None -> nan: not given
    except (TypeError, ValueError):
        return score_each(framework, wanted, rows, rule)
    column = np.fromiter(map(plan.column.get, codes, repeat(-1)), dtype=np.int64, count=len(codes))
    order = np.array(wanted, dtype=np.int64)
    by_id = np.argsort(order)
    assessment = np.array(ids, dtype=np.int64)
    found = np.minimum(np.searchsorted(order, assessment, sorter=by_id), len(wanted) - 1)
    row_of = np.where(order[by_id[found]] == assessment, by_id[found], -1)
    given = ~np.isnan(level)
    whole = np.zeros(len(rows), dtype=bool)
    offset = np.where(given, level, plan.lowest) - plan.lowest
    inside = (column >= 0) & (offset >= 0) & (offset < plan.allowed.shape[1]) & (offset == np.floor(offset))
    whole[inside] = plan.allowed[column[inside], offset[inside].astype(np.int64)]
    fine = (column >= 0) & ~np.array(not_applicable, dtype=bool) & (whole | ~given)
    others = set(np.unique(row_of[~fine & (row_of >= 0)]).tolist())
    taken = fine & given & (row_of >= 0)
    points = np.zeros((len(wanted), len(plan.column)), dtype=np.int64)
    present = np.zeros((len(wanted), len(plan.column)), dtype=np.int64)
    cells = (row_of[taken], column[taken])
    points[cells] = (offset[taken].astype(np.int64) + plan.lowest) * plan.weights[column[taken]]
    present[cells] = 1
    out = _results(framework, plan, wanted, points, present, others, rule)
    rest = {wanted[n] for n in others}
    if rest:
        out.update(score_each(framework, sorted(rest), [r for r in rows if r[0] in rest], rule))
    return {aid: out[aid] for aid in wanted}


def _exact_column(plan: Plan, sums: Any, weight: int) -> list[Fraction]:
    """Each integer sum over `weight` as its exact value, one shared Fraction per distinct sum."""
    distinct, where = np.unique(sums, return_inverse=True)
    values = np.empty(len(distinct), dtype=object)
    values[:] = [_exact(plan, total, weight) for total in distinct.tolist()]
    return values[where.reshape(-1)].tolist()


def _results(
    framework: Framework,
    plan: Plan,
    wanted: list[int],
    points: Any,
    present: Any,
    others: set[int],
    rule: Rounding,
) -> dict[int, ScoreResult]:
    """ScoreResults of the whole-level assessments from their grids of level x weight and of presence."""
    sums, counts = points @ plan.member, present @ plan.member
    codes = list(plan.group_members)
    sizes = np.array([len(members) for members in plan.group_members.values()], dtype=np.int64)
    values = list(
        zip(
            *(_exact_column(plan, sums[:, g], plan.group_weight[c]) for g, c in enumerate(codes)), strict=True
        )
    )
    complete = (counts == sizes).tolist()
    whole_groups = [all(row) for row in complete]
    given = present.sum(axis=1) == len(plan.codes)
    indices = _exact_column(plan, points.sum(axis=1), plan.total_weight)
    bands = {
        id(v): _band(plan, framework, v, rule)
        for v, full in zip(indices, given.tolist(), strict=True)
        if full
    }
    out: dict[int, ScoreResult] = {}
    for n, (aid, full) in enumerate(zip(wanted, given.tolist(), strict=True)):
        if n in others:
            continue
        if whole_groups[n]:
            groups = dict(zip(codes, values[n], strict=True))
        else:
            groups = {code: v for code, v, done in zip(codes, values[n], complete[n], strict=True) if done}
        index = indices[n] if full else None
        out[aid] = ScoreResult(
            framework_id=framework.id,
            index=index,
            groups=groups,
            group_kind=plan.group_kind,
            predicate=bands[id(index)] if index is not None else None,
            rounding=rule,
            missing=() if full else tuple(plan.codes[j] for j in np.flatnonzero(present[n] == 0).tolist()),
        )
    return out


def score_each(
    framework: Framework, wanted: list[int], rows: Sequence[Row], rule: Rounding
) -> dict[int, ScoreResult]:
    """`score_levels` per assessment on dictionaries of its rows (stored not-applicable marks apart): the
    path for what the whole-period grid does not take, and the baseline of bench/scale_scoring.py."""
    levels_by: dict[int, dict[str, Any]] = defaultdict(dict)
    na_by: dict[int, list[str]] = defaultdict(list)
    for aid, indicator, level, na in rows:
        if na:
            na_by[aid].append(indicator)
        else:
            levels_by[aid][indicator] = level
    return {
        aid: score_levels(framework, levels_by[aid], not_applicable=na_by[aid], rounding=rule)
        for aid in wanted
    }
