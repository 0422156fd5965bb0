"""A framework's scoring plan: integer weights (scaled once per framework), each group's indicators and
the scale's whole levels, as dictionaries for one assessment and as numpy arrays for a whole period.

Because a framework's child weights sum to their parent's (checked on load), the sum of level x integer
weight over a group's indicators, divided by the group's integer weight, equals the regulation's nested
formula (aspect -> domain -> index) exactly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from fractions import Fraction
from math import lcm
from typing import Any

import numpy as np

from indicators.schema import Framework, Group, PredicateBand

INT64_SAFE = 2**62  # integer sums of a period stay below this in numpy's int64, else exact Python ints


@dataclass(frozen=True)
class Plan:
    """Per framework: integer weights, each group's indicators, the scale's whole levels."""

    whole: dict[str, dict[float, int]]  # indicator code -> {level value: level} for the scale's levels
    weighted: dict[str, dict[float, int]]  # indicator code -> {level value: level x integer weight}
    codes: tuple[str, ...]  # every indicator code in framework order
    bounds: dict[str, tuple[int, int]]
    weight: dict[str, int]  # indicator code -> weight x scale factor
    group_members: dict[str, tuple[str, ...]]  # group code -> indicator codes below it
    group_weight: dict[str, int]
    home: dict[str, str]  # indicator code -> the group that holds it
    rollup: tuple[tuple[str, str], ...]  # (group, parent group), deepest first
    total_weight: int
    group_kind: dict[str, str]
    # numpy form (issue 17): column of each code; indicator x group membership; the whole levels allowed
    # per column as a table over [lowest, highest] of every scale
    column: dict[str, int]
    member: Any  # (indicators x groups) int64, 1 where the indicator is below the group
    weights: Any  # (indicators,) int64
    allowed: Any  # (indicators x levels) bool: level (lowest + j) is a whole level of the column's scale
    lowest: int
    fits_int64: bool  # every sum of a period fits numpy's int64
    # exact values and bands memoised per distinct integer sum: a national period repeats the same few
    # hundred sums per group thousands of times, so scoring builds no Fraction per value (issue 17)
    exact: dict[tuple[int, int], Fraction] = field(default_factory=dict)
    banded: dict[tuple[str, int], PredicateBand | None] = field(default_factory=dict)


_plans: dict[str, Plan] = {}


def plan_of(framework: Framework) -> Plan:
    """The framework's plan, built once per content (frameworks from the loader carry the hash of their
    file; one built in code is hashed here)."""
    key = framework.content_hash or hashlib.sha256(framework.model_dump_json().encode()).hexdigest()
    plan = _plans.get(key)
    if plan is None:
        plan = _plans[key] = _build(framework)
    return plan


def _members(group: Group) -> tuple[str, ...]:
    if group.groups is not None:
        return tuple(code for child in group.groups for code in _members(child))
    return tuple(i.code for i in group.indicators or [])


def _build(framework: Framework) -> Plan:
    weights = [i.weight for i in framework.indicators] + [g.weight for g in framework.group_by_code.values()]
    factor = lcm(*(w.denominator for w in [*weights, framework.total_weight]))
    whole: dict[str, dict[float, int]] = {}
    bounds: dict[str, tuple[int, int]] = {}
    for ind in framework.indicators:
        scale = framework.scale_of(ind)
        whole[ind.code] = {float(lv.level): lv.level for lv in scale.levels}
        bounds[ind.code] = (scale.minimum, scale.maximum)
    weight = {i.code: int(i.weight * factor) for i in framework.indicators}
    group_members = {g.code: _members(g) for g in framework.group_by_code.values()}
    column = {code: n for n, code in enumerate(weight)}
    member = np.zeros((len(column), len(group_members)), dtype=np.int64)
    for g, codes in enumerate(group_members.values()):
        for code in codes:
            member[column[code], g] = 1
    lowest = min((min(levels.values()) for levels in whole.values() if levels), default=0)
    highest = max((max(levels.values()) for levels in whole.values() if levels), default=0)
    allowed = np.zeros((len(column), highest - lowest + 1), dtype=bool)
    for code, levels in whole.items():
        for level in levels.values():
            allowed[column[code], level - lowest] = True
    total_weight = int(framework.total_weight * factor)
    largest = max(abs(lowest), abs(highest), 1) * sum(weight.values())
    return Plan(
        whole=whole,
        weighted={
            code: {raw: lv * weight[code] for raw, lv in levels.items()} for code, levels in whole.items()
        },
        codes=tuple(weight),
        bounds=bounds,
        weight=weight,
        group_members=group_members,
        group_weight={g.code: int(g.weight * factor) for g in framework.group_by_code.values()},
        home={i.code: framework.parent_of[i.code] for i in framework.indicators},
        rollup=tuple(
            (code, framework.parent_of[code])
            for code in reversed(list(framework.group_by_code))
            if code in framework.parent_of
        ),
        total_weight=total_weight,
        group_kind=dict(framework.group_kind),
        column=column,
        member=member,
        weights=np.array([weight[c] for c in column], dtype=np.int64),
        allowed=allowed,
        lowest=lowest,
        fits_int64=max(largest, total_weight) < INT64_SAFE,
    )
