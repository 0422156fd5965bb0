"""Scoring indicator levels: validation, the official nested weighted means, and not-applicable handling
(evaluation/scoring/not_applicable.py).

Whole levels with no indicator marked not applicable take a fast path: weights are scaled to integers
once per framework (evaluation/scoring/plan.py), so every group index is one exact fraction of two
integers, memoised per distinct sum (`_exact`, `_band`); a whole period takes the same path in
numpy (evaluation/scoring/batch.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Literal

from evaluation.scoring.not_applicable import score_with_na
from evaluation.scoring.plan import Plan, plan_of
from evaluation.scoring.values import (
    Number,
    Rounding,
    ScoreResult,
    ScoringInputError,
    exact_or_problem,
    predicate_for,
)
from evaluation.translatable import Message
from indicators.schema import Framework, PredicateBand

MEMO_LIMIT = 200_000  # distinct sums kept per framework before the memo starts afresh


_plan = plan_of  # the name tests and older callers use
Exact = int | Fraction


def _score_whole_levels(
    framework: Framework, levels: Mapping[str, Number | None]
) -> tuple[dict[str, Fraction], Fraction | None, tuple[str, ...]] | None:
    """The common case in one pass: every given level a whole level of its scale. None when not that case."""
    plan = _plan(framework)
    sums = dict.fromkeys(plan.group_members, 0)
    counts = dict.fromkeys(plan.group_members, 0)
    total = present = 0
    table, home = plan.weighted, plan.home
    for code, raw in levels.items():
        options = table.get(code)
        if options is None or type(raw) not in (int, float) or raw not in options:
            if raw is None and options is not None:
                continue
            return None
        weighted = options[raw]  # type: ignore[index]
        total += weighted
        group = home[code]
        sums[group] += weighted
        counts[group] += 1
        present += 1
    for group, parent in plan.rollup:
        sums[parent] += sums[group]
        counts[parent] += counts[group]
    groups = {
        code: _exact(plan, sums[code], plan.group_weight[code])
        for code, members in plan.group_members.items()
        if counts[code] == len(members)
    }
    missing = () if present == len(plan.codes) else tuple(c for c in plan.codes if levels.get(c) is None)
    index = None if missing else _exact(plan, total, plan.total_weight)
    return groups, index, missing


def _exact(plan: Plan, numerator: int, denominator: int) -> Fraction:
    """numerator / denominator as a Fraction, one shared (immutable) object per distinct pair."""
    value = plan.exact.get((numerator, denominator))
    if value is None:
        if len(plan.exact) > MEMO_LIMIT:
            plan.exact.clear()
        value = plan.exact[(numerator, denominator)] = Fraction(numerator, denominator)
    return value


def _band(plan: Plan, framework: Framework, index: Fraction, rule: Rounding) -> PredicateBand | None:
    """The index's predicate band, memoised per rule and distinct value (the banding stays exact)."""
    key = (rule, index.numerator * plan.total_weight // index.denominator)
    if index.denominator * key[1] != index.numerator * plan.total_weight:
        return predicate_for(framework, index, rule)  # not a sum over the plan's weights: band directly
    if key not in plan.banded:
        if len(plan.banded) > MEMO_LIMIT:
            plan.banded.clear()
        plan.banded[key] = predicate_for(framework, index, rule)
    return plan.banded[key]


LevelProblem = Literal["outside_scale", "not_whole"]


def level_bounds(framework: Framework, code: str) -> tuple[int, int]:
    """The lowest and highest level of indicator `code`'s scale (memoised per framework; KeyError for a
    code the framework does not have)."""
    return _plan(framework).bounds[code]


def level_problem(framework: Framework, code: str, value: Fraction | int | float) -> LevelProblem | None:
    """Why a numeric level cannot be stored for indicator `code`, or None when it can: "outside_scale"
    (below or above `level_bounds`), "not_whole" (a fraction on a framework without fractional values).
    The one rule for level values: check_levels and the assessment import both ask it."""
    low, high = _plan(framework).bounds[code]
    if not low <= value <= high:
        return "outside_scale"
    whole = value.denominator == 1 if isinstance(value, Fraction) else float(value).is_integer()
    if not whole and not framework.fractional_values:
        return "not_whole"
    return None


def check_levels(framework: Framework, levels: Mapping[str, Number | None]) -> dict[str, Exact | None]:
    """Validate levels against the framework: known codes, inside the scale, whole unless fractional allowed.

    Whole levels come back as int, fractional ones as Fraction: both exact.
    """
    plan = _plan(framework)
    problems: dict[str, Message] = {}
    checked: dict[str, Exact | None] = {}
    for code, raw in levels.items():
        whole = plan.whole.get(code)
        if whole is None:
            problems[code] = Message("pr.sc_unknown_indicator")
            continue
        if raw is None:
            checked[code] = None
            continue
        if type(raw) in (int, float) and raw in whole:
            checked[code] = whole[raw]  # type: ignore[index]
            continue
        value = exact_or_problem(raw)
        if isinstance(value, Message):
            problems[code] = value
            continue
        problem = level_problem(framework, code, value)
        if problem == "outside_scale":
            low, high = plan.bounds[code]
            problems[code] = Message("pr.sc_level_outside", value=raw, low=low, high=high)
        elif problem == "not_whole":
            problems[code] = Message("pr.sc_level_not_whole", value=raw)
        else:
            checked[code] = value.numerator if value.denominator == 1 else value
    if problems:
        raise ScoringInputError(problems)
    return checked


def score_levels(
    framework: Framework,
    levels: Mapping[str, Number | None],
    *,
    not_applicable: Iterable[str] = (),
    rounding: Rounding | None = None,
) -> ScoreResult:
    """Score indicator levels. Missing indicators are reported, never scored as zero or skipped silently."""
    rule: Rounding = rounding or framework.predicate.rounding
    na = set(not_applicable)
    fast = None if na else _score_whole_levels(framework, levels)
    if fast is not None:
        groups, index, missing = fast
        plan = _plan(framework)
        return ScoreResult(
            framework_id=framework.id,
            index=index,
            groups=groups,
            group_kind=plan.group_kind,
            predicate=_band(plan, framework, index, rule) if index is not None else None,
            rounding=rule,
            missing=missing,
        )
    values = check_levels(framework, levels)
    unknown_na = sorted(na - framework.indicator_by_code.keys())
    if unknown_na:
        raise ScoringInputError(dict.fromkeys(unknown_na, Message("pr.sc_unknown_indicator")))
    if na and not framework.not_applicable.allowed:
        raise ScoringInputError(dict.fromkeys(sorted(na), Message("pr.sc_no_not_applicable")))
    if na >= framework.indicator_by_code.keys():
        raise ScoringInputError({"*": Message("pr.sc_all_not_applicable")})
    present = {code: v for code, v in values.items() if v is not None and code not in na}
    missing = tuple(i.code for i in framework.indicators if i.code not in present and i.code not in na)
    if na:
        groups, index = score_with_na(framework, present, na)
    else:
        groups, index = _score_nested(framework, present, complete=not missing)
    return ScoreResult(
        framework_id=framework.id,
        index=index,
        groups=groups,
        group_kind=_plan(framework).group_kind,
        predicate=predicate_for(framework, index, rule) if index is not None else None,
        rounding=rule,
        missing=missing,
        not_applicable=tuple(sorted(na)),
    )


def _score_nested(
    framework: Framework, present: Mapping[str, Exact], *, complete: bool
) -> tuple[dict[str, Fraction], Fraction | None]:
    """Every indicator applicable: group index = sum(level x weight) over its indicators / group weight."""
    plan = _plan(framework)
    weighted = {code: value * plan.weight[code] for code, value in present.items()}
    groups: dict[str, Fraction] = {}
    for code, members in plan.group_members.items():
        if all(m in weighted for m in members):
            groups[code] = Fraction(sum(weighted[m] for m in members), plan.group_weight[code])
    index = Fraction(sum(weighted.values()), plan.total_weight) if complete else None
    return groups, index
