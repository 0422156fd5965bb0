"""Pure scoring: indicator levels (or published group indices) -> aspect, domain and overall index, predicate.

Every regulation here uses the same weighted mean at each level of its hierarchy:
group index = sum(child value x child weight) / group weight, and the overall index likewise over the
top groups / total weight. Arithmetic is exact (fractions), aggregated from unrounded values; rounding
happens only for display and, where the framework says `round2`, before banding the predicate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

from indicators.schema import Framework, Group, PredicateBand

Number = int | float | str | Decimal | Fraction
Rounding = Literal["round2", "raw"]


class ScoringInputError(ValueError):
    """Levels or group values that the framework cannot score; `problems` maps a code to what is wrong."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(f"{code}: {msg}" for code, msg in problems.items()))


def exact(value: Number) -> Fraction:
    """An exact value from user input: `2.6` means 13/5, not the nearest binary float."""
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(str(value).strip())


def round_half_up(value: Fraction, places: int = 2) -> Fraction:
    scale = 10**places
    scaled = value * scale
    floor = scaled.numerator // scaled.denominator
    return Fraction(floor + (1 if scaled - floor >= Fraction(1, 2) else 0), scale)


def display(value: Fraction | None, places: int = 2) -> str | None:
    """The value as printed in results: half-up to `places` decimals, with a point (`3.28`)."""
    if value is None:
        return None
    rounded = round_half_up(value, places)
    return f"{Decimal(rounded.numerator) / Decimal(rounded.denominator):.{places}f}"


def predicate_for(framework: Framework, index: Fraction, rounding: Rounding | None = None) -> PredicateBand | None:
    """The band the index falls in, after the framework's (or the given) rounding rule."""
    rule = rounding or framework.predicate.rounding
    banded = round_half_up(index, 2) if rule == "round2" else index
    return next((band for band in framework.predicate.bands if band.contains(banded)), None)


@dataclass(frozen=True)
class ScoreResult:
    framework_id: str
    index: Fraction | None
    groups: dict[str, Fraction]
    group_kind: dict[str, str]
    predicate: PredicateBand | None
    rounding: Rounding
    missing: tuple[str, ...] = ()
    not_applicable: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.index is not None

    @property
    def index_value(self) -> float | None:
        return float(self.index) if self.index is not None else None

    @property
    def index_display(self) -> str | None:
        return display(self.index)

    def values_of(self, kind: str) -> dict[str, float]:
        """Unrounded group indices of one kind (`domain` or `aspect`) as floats, in framework order."""
        return {code: float(v) for code, v in self.groups.items() if self.group_kind.get(code) == kind}

    def as_dict(self, agency: str | None = None) -> dict[str, object]:
        return {
            "agency": agency,
            "framework": self.framework_id,
            "index": self.index_value,
            "index_display": self.index_display,
            "predicate": self.predicate.name if self.predicate else None,
            "domains": self.values_of("domain"),
            "aspects": self.values_of("aspect"),
            "missing": list(self.missing),
        }


def check_levels(framework: Framework, levels: Mapping[str, Number | None]) -> dict[str, Fraction | None]:
    """Validate levels against the framework: known codes, inside the scale, whole unless fractional allowed."""
    problems: dict[str, str] = {}
    checked: dict[str, Fraction | None] = {}
    for code, raw in levels.items():
        indicator = framework.indicator_by_code.get(code)
        if indicator is None:
            problems[code] = "unknown indicator code"
            continue
        if raw is None:
            checked[code] = None
            continue
        try:
            value = exact(raw)
        except (ValueError, ZeroDivisionError):
            problems[code] = f"'{raw}' is not a number"
            continue
        scale = framework.scale_of(indicator)
        if not scale.minimum <= value <= scale.maximum:
            problems[code] = f"level {raw} is outside the scale {scale.minimum}-{scale.maximum}"
        elif value.denominator != 1 and not framework.fractional_values:
            problems[code] = f"level {raw} must be a whole number on this framework"
        else:
            checked[code] = value
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
    values = check_levels(framework, levels)
    na = set(not_applicable)
    unknown_na = sorted(na - framework.indicator_by_code.keys())
    if unknown_na:
        raise ScoringInputError(dict.fromkeys(unknown_na, "unknown indicator code"))
    if na and not framework.not_applicable.allowed:
        raise ScoringInputError(dict.fromkeys(sorted(na), "this framework does not allow 'not applicable'"))
    missing = tuple(
        ind.code for ind in framework.indicators if values.get(ind.code) is None and ind.code not in na
    )
    present = {code: v for code, v in values.items() if v is not None and code not in na}
    mode = framework.not_applicable.renormalise or "parent"
    groups: dict[str, Fraction] = {}
    tops: dict[str, Fraction] = {}
    for group in framework.groups:
        value = _group_from_levels(group, present, na, mode, groups)
        if value is not None:
            tops[group.code] = value
    index: Fraction | None = None
    if not missing:
        index = _overall(framework, tops, present, na, mode)
    rule: Rounding = rounding or framework.predicate.rounding
    return ScoreResult(
        framework_id=framework.id,
        index=index,
        groups={code: groups[code] for code in framework.group_by_code if code in groups},
        group_kind=dict(framework.group_kind),
        predicate=predicate_for(framework, index, rule) if index is not None else None,
        rounding=rule,
        missing=missing,
        not_applicable=tuple(sorted(na)),
    )


def _descendant_levels(group: Group, present: Mapping[str, Fraction], na: set[str]) -> list[tuple[Fraction, Fraction]]:
    pairs: list[tuple[Fraction, Fraction]] = []
    for child in group.children:
        if isinstance(child, Group):
            pairs += _descendant_levels(child, present, na)
        elif child.code not in na:
            pairs.append((present[child.code], child.weight))
    return pairs


def _group_from_levels(
    group: Group, present: Mapping[str, Fraction], na: set[str], mode: str, out: dict[str, Fraction]
) -> Fraction | None:
    """Index of one group, or None when it is not applicable at all or has missing indicators."""
    pairs: list[tuple[Fraction, Fraction]] = []
    incomplete = False
    for child in group.children:
        if isinstance(child, Group):
            value = _group_from_levels(child, present, na, mode, out)
            if value is not None:
                pairs.append((value, child.weight))
            elif not _wholly_na(child, na):
                incomplete = True
        elif child.code in na:
            continue
        elif child.code in present:
            pairs.append((present[child.code], child.weight))
        else:
            incomplete = True
    if incomplete or not pairs:
        return None
    if mode == "overall":
        pairs = _descendant_levels(group, present, na)
    value = sum((v * w for v, w in pairs), Fraction(0)) / sum((w for _, w in pairs), Fraction(0))
    out[group.code] = value
    return value


def _wholly_na(group: Group, na: set[str]) -> bool:
    return all(
        _wholly_na(child, na) if isinstance(child, Group) else child.code in na for child in group.children
    )


def _overall(
    framework: Framework, tops: Mapping[str, Fraction], present: Mapping[str, Fraction], na: set[str], mode: str
) -> Fraction | None:
    if mode == "overall" and na:
        pairs = [(present[i.code], i.weight) for i in framework.indicators if i.code not in na]
    else:
        pairs = [(tops[g.code], g.weight) for g in framework.groups if g.code in tops]
    if not pairs:
        return None
    weight = sum((w for _, w in pairs), Fraction(0))
    return sum((v * w for v, w in pairs), Fraction(0)) / weight


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
        raise ScoringInputError({kind: f"this framework has no {kind} level (it has {', '.join(framework.hierarchy)})"})
    expected = [g.code for g in framework.groups_of_kind(kind)]
    problems: dict[str, str] = {}
    given: dict[str, Fraction] = {}
    low = min(s.minimum for s in framework.scales.values())
    high = max(s.maximum for s in framework.scales.values())
    for code, raw in values.items():
        if code not in expected:
            problems[code] = f"unknown {kind} code (expected one of {', '.join(expected)})"
            continue
        try:
            value = exact(raw)
        except (ValueError, ZeroDivisionError):
            problems[code] = f"'{raw}' is not a number"
            continue
        if not low <= value <= high:
            problems[code] = f"index {raw} is outside {low}-{high}"
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
