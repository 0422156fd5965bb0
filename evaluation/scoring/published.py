"""The overall index from published group indices alone (results printed only per domain or aspect)."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from evaluation.scoring.values import (
    Number,
    Rounding,
    ScoreResult,
    ScoringInputError,
    exact_or_problem,
    kind_name,
    predicate_for,
)
from evaluation.translatable import Message
from indicators.schema import Framework, Group


def score_group_values(
    framework: Framework,
    kind: str,
    values: Mapping[str, Number],
    *,
    rounding: Rounding | None = None,
) -> ScoreResult:
    """Overall index from published group indices alone (e.g. the four SPBE domain indices).

    Values at a lower level (aspects under domains) are aggregated upwards first.
    """
    if kind not in framework.hierarchy:
        levels = [kind_name(k) for k in framework.hierarchy]
        raise ScoringInputError({kind: Message("pr.sc_no_such_level", kind=kind_name(kind), levels=levels)})
    expected = [g.code for g in framework.groups_of_kind(kind)]
    problems: dict[str, Message] = {}
    given: dict[str, Fraction] = {}
    low = min(s.minimum for s in framework.scales.values())
    high = max(s.maximum for s in framework.scales.values())
    for code, raw in values.items():
        if code not in expected:
            problems[code] = Message("pr.sc_unknown_group", kind=kind_name(kind), expected=expected)
            continue
        value = exact_or_problem(raw)
        if isinstance(value, Message):
            problems[code] = value
        elif not low <= value <= high:
            problems[code] = Message("pr.sc_index_outside", value=raw, low=low, high=high)
        else:
            given[code] = value
    if problems:
        raise ScoringInputError(problems)
    missing = tuple(code for code in expected if code not in given)
    groups: dict[str, Fraction] = dict(given)

    def up(group: Group) -> Fraction | None:
        if group.code in groups:
            return groups[group.code]
        if group.groups is None:
            return None
        parts = [(up(child), child.weight) for child in group.groups]
        if any(v is None for v, _ in parts):
            return None
        value = sum((v * w for v, w in parts if v is not None), Fraction(0)) / group.weight
        groups[group.code] = value
        return value

    tops = [(up(g), g.weight) for g in framework.groups]
    index = None
    if not missing and all(v is not None for v, _ in tops):
        index = sum((v * w for v, w in tops if v is not None), Fraction(0)) / framework.total_weight
    rule: Rounding = rounding or framework.predicate.rounding
    return ScoreResult(
        framework_id=framework.id,
        index=index,
        groups={code: groups[code] for code in framework.group_by_code if code in groups},
        group_kind=dict(framework.group_kind),
        predicate=predicate_for(framework, index, rule) if index is not None else None,
        rounding=rule,
        missing=missing,
    )
