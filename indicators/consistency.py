"""Rules a framework must keep beyond its shape: each returns (path, message) problems, empty when sound."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from fractions import Fraction

from indicators.schema import Framework, Group, Interval

Problem = tuple[str, str]


def _fmt(value: Fraction) -> str:
    return f"{float(value):g}" if value.denominator in (1, 2, 4, 5, 8, 10, 20, 25, 50, 100) else str(value)


def check_framework(fw: Framework) -> list[Problem]:
    problems: list[Problem] = []
    problems += list(_check_hierarchy(fw.groups, fw.hierarchy, "groups", 0))
    problems += _check_codes(fw)
    problems += _check_weights(fw)
    problems += _check_scales_and_criteria(fw)
    low = min(s.minimum for s in fw.scales.values())
    high = max(s.maximum for s in fw.scales.values())
    problems += [
        ("predicate.bands", m) for m in bands_cover(fw.predicate.bands, Fraction(low), Fraction(high))
    ]
    if fw.not_applicable.allowed and fw.not_applicable.renormalise is None:
        problems.append(("not_applicable.renormalise", "is required when not_applicable.allowed is true"))
    if len(set(fw.hierarchy)) != len(fw.hierarchy):
        problems.append(("hierarchy", "a kind of group appears twice"))
    return problems


def _check_hierarchy(
    groups: list[Group], hierarchy: Sequence[str], path: str, depth: int
) -> Iterator[Problem]:
    last = depth == len(hierarchy) - 1
    for i, group in enumerate(groups):
        here = f"{path}[{i}] ({group.code})"
        if last and (group.indicators is None or group.groups is not None):
            yield here, f"a {hierarchy[depth]} must list 'indicators' (it is the last level of the hierarchy)"
        elif not last and (group.groups is None or group.indicators is not None):
            yield here, f"a {hierarchy[depth]} must list 'groups' of {hierarchy[depth + 1]}s"
        if group.children == []:
            yield here, "has no indicators or groups"
        if group.groups:
            yield from _check_hierarchy(group.groups, hierarchy, f"{here}.groups", depth + 1)


def _check_codes(fw: Framework) -> list[Problem]:
    problems: list[Problem] = []
    codes = Counter([ind.code for ind in fw.indicators] + _all_group_codes(fw.groups))
    problems += [("groups", f"code '{code}' is used {n} times") for code, n in codes.items() if n > 1]
    numbers = Counter(ind.number for ind in fw.indicators)
    problems += [
        ("groups", f"indicator number {num} is used {n} times") for num, n in numbers.items() if n > 1
    ]
    return problems


def _all_group_codes(groups: list[Group]) -> list[str]:
    codes: list[str] = []
    for group in groups:
        codes.append(group.code)
        codes += _all_group_codes(group.groups or [])
    return codes


def _check_weights(fw: Framework) -> list[Problem]:
    problems: list[Problem] = []
    top = sum((g.weight for g in fw.groups), Fraction(0))
    if top != fw.total_weight:
        problems.append(
            ("groups", f"top-level weights sum to {_fmt(top)}, not total_weight {_fmt(fw.total_weight)}")
        )
    for group in fw.group_by_code.values():
        children = sum((c.weight for c in group.children), Fraction(0))
        if children != group.weight:
            problems.append(
                (
                    f"group {group.code}",
                    f"weights inside sum to {_fmt(children)}, not its weight {_fmt(group.weight)}",
                )
            )
        problems += [
            (f"{group.code}.{c.code}", "weight must be above zero") for c in group.children if c.weight <= 0
        ]
    return problems


def _check_scales_and_criteria(fw: Framework) -> list[Problem]:
    problems: list[Problem] = []
    for sid, scale in fw.scales.items():
        numbers = [lv.level for lv in scale.levels]
        if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
            problems.append((f"scales.{sid}", "levels must be consecutive whole numbers in order"))
    for ind in fw.indicators:
        here = f"indicator {ind.code}"
        found = fw.scales.get(ind.scale)
        if found is None:
            problems.append((f"{here}.scale", f"unknown scale '{ind.scale}' (known: {', '.join(fw.scales)})"))
            continue
        scale = found
        levels = [c.level for c in ind.criteria]
        expected = [lv.level for lv in scale.levels]
        if levels != expected:
            problems.append((f"{here}.criteria", f"needs one criterion per level {expected}, found {levels}"))
        if ind.national_index and ind.national_index.bands:
            ni = ind.national_index
            for band in ni.bands:
                if band.level not in expected:
                    problems.append(
                        (f"{here}.national_index", f"band for level {band.level} is outside the scale")
                    )
            if ni.min is not None and ni.max is not None:
                messages = bands_cover(
                    sorted(ni.bands, key=lambda b: b.min), ni.min, ni.max, ends_strict=False
                )
                problems += [(f"{here}.national_index.bands", m) for m in messages]
    return problems


def bands_cover(
    bands: Sequence[Interval], low: Fraction, high: Fraction, *, ends_strict: bool = True
) -> list[str]:
    """Bands must run from `low` to `high` in order, each meeting the next with exactly one side closed.

    With `ends_strict`, `low` and `high` themselves must fall inside the first and last band; national
    indices printed with an open outer end (SJIG's "1 < x") are read with `ends_strict=False`.
    """
    problems: list[str] = []
    if not bands:
        return ["no bands"]
    first, last = bands[0], bands[-1]
    if first.min != low or (ends_strict and not first.min_inclusive):
        problems.append(
            f"the first band must start at {_fmt(low)} (inclusive), it starts at {first.describe()}"
        )
    if last.max != high or (ends_strict and not last.max_inclusive):
        problems.append(f"the last band must end at {_fmt(high)} (inclusive), it ends at {last.describe()}")
    for i, (left, right) in enumerate(itertools.pairwise(bands)):
        if left.min >= left.max:
            problems.append(f"band {i + 1} {left.describe()} is empty or reversed")
        if left.max != right.min:
            problems.append(
                f"gap or overlap between band {i + 1} {left.describe()} and band {i + 2} {right.describe()}"
            )
        elif left.max_inclusive == right.min_inclusive:
            both = "both include" if left.max_inclusive else "neither includes"
            problems.append(f"bands {i + 1} and {i + 2} {both} {_fmt(left.max)}")
    return problems
