"""Scoring with indicators marked not applicable: their weight is shared by what remains, as the framework
declares (`not_applicable.renormalise`: `parent` or `overall`). Exact fractions throughout."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from indicators.schema import Framework, Group

Exact = int | Fraction


def score_with_na(
    framework: Framework, present: Mapping[str, Exact], na: set[str]
) -> tuple[dict[str, Fraction], Fraction | None]:
    """Not-applicable indicators: their weight is shared by what remains, as the framework declares.

    `parent`: each group is the weighted mean of its applicable children, a wholly not-applicable group
    drops out of its parent. `overall`: every group and the index are weighted means of their applicable
    indicators directly.
    """
    mode = framework.not_applicable.renormalise or "parent"
    groups: dict[str, Fraction] = {}

    def group_value(group: Group) -> tuple[Exact | None, bool]:
        """(value, complete); value None with complete True means wholly not applicable."""
        pairs: list[tuple[Exact, Fraction]] = []
        complete = True
        for child in group.children:
            if isinstance(child, Group):
                value, child_complete = group_value(child)
                complete = complete and child_complete
                if value is not None:
                    pairs.append((value, child.weight))
            elif child.code in present:
                pairs.append((present[child.code], child.weight))
            elif child.code not in na:
                complete = False
        if mode == "overall":
            pairs = _indicator_pairs(group, present)
        if not complete or not pairs:
            return None, complete
        value = _weighted_mean(pairs)
        groups[group.code] = value
        return value, True

    tops: list[tuple[Exact, Fraction]] = []
    complete = True
    for group in framework.groups:
        value, group_complete = group_value(group)
        complete = complete and group_complete
        if value is not None:
            tops.append((value, group.weight))
    if mode == "overall":
        tops = [(present[i.code], i.weight) for i in framework.indicators if i.code in present]
    index = _weighted_mean(tops) if complete and tops else None
    ordered = {code: groups[code] for code in framework.group_by_code if code in groups}
    return ordered, index


def _indicator_pairs(group: Group, present: Mapping[str, Exact]) -> list[tuple[Exact, Fraction]]:
    pairs: list[tuple[Exact, Fraction]] = []
    for child in group.children:
        if isinstance(child, Group):
            pairs += _indicator_pairs(child, present)
        elif child.code in present:
            pairs.append((present[child.code], child.weight))
    return pairs


def _weighted_mean(pairs: list[tuple[Exact, Fraction]]) -> Fraction:
    return Fraction(sum(v * w for v, w in pairs)) / sum(w for _, w in pairs)
