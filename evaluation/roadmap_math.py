"""Pure roadmap maths: where a target stands (achieved, on track, at risk, off track), when the trend
reaches it, and the best path to a target index: the fewest one-level steps, largest gains first.

Status rules, for a target to reach `target_value` by `target_year` from `baseline_value` in
`baseline_year`, given the observed values per year:
- achieved: the latest observed value reaches the target;
- off track: the target year has passed without it, or there is nothing observed after the baseline
  and the target year is reached, or the trend does not rise;
- on track: the latest value is on or above the straight line from baseline to target at its year,
  or the trend reaches the target by the target year;
- at risk: below the line and the trend reaches the target at most one year late;
- off track: otherwise.
The trend is the least-squares line through the baseline and every observation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from evaluation.scoring import round_half_up, score_levels
from evaluation.translatable import InvalidInput
from indicators.schema import Framework

Status = Literal["achieved", "on_track", "at_risk", "off_track"]
STATUSES: tuple[Status, ...] = ("achieved", "on_track", "at_risk", "off_track")
LATE_TOLERANCE_YEARS = 1


@dataclass(frozen=True)
class TargetLine:
    baseline_year: int
    baseline_value: float
    target_year: int
    target_value: float

    def expected(self, year: float) -> float:
        """The straight line from the baseline to the target (flat after the target year)."""
        if self.target_year == self.baseline_year or year >= self.target_year:
            return self.target_value
        if year <= self.baseline_year:
            return self.baseline_value
        share = (year - self.baseline_year) / (self.target_year - self.baseline_year)
        return self.baseline_value + share * (self.target_value - self.baseline_value)


@dataclass(frozen=True)
class Assessment:
    status: Status
    latest_year: int | None
    latest_value: float | None
    expected_value: float | None
    projected_year: int | None
    slope: float | None


def trend(points: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    """Least-squares (slope, intercept) through (year, value) points; None with fewer than two years."""
    if len({x for x, _ in points}) < 2:
        return None
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    slope = sxy / sxx
    return slope, mean_y - slope * mean_x


def projected_year(points: Sequence[tuple[float, float]], value: float) -> int | None:
    """The first whole year in which the trend reaches `value`; None if the trend does not rise."""
    fitted = trend(points)
    if fitted is None:
        return None
    slope, intercept = fitted
    latest_year, latest_value = max(points)
    if latest_value >= value:
        return int(latest_year)
    if slope <= 0:
        return None
    return max(int(latest_year), math.ceil((value - intercept) / slope - 1e-9))


def assess(line: TargetLine, observations: Mapping[int, float], *, current_year: int) -> Assessment:
    """The status of one target from the values observed per year (see the module's rules)."""
    after = sorted((y, v) for y, v in observations.items() if y >= line.baseline_year)
    points = [(float(line.baseline_year), line.baseline_value)] + [
        (float(y), v) for y, v in after if y != line.baseline_year
    ]
    fitted = trend(points)
    slope = fitted[0] if fitted else None
    if not after:
        status: Status = "off_track" if current_year > line.target_year else "on_track"
        return Assessment(status, None, None, None, None, slope)
    latest_year, latest_value = after[-1]
    expected = line.expected(latest_year)
    projection = projected_year(points, line.target_value)
    if latest_value >= line.target_value:
        status = "achieved"
    elif (
        latest_year >= line.target_year
        or current_year > line.target_year
        or (slope is not None and slope <= 0)
    ):
        status = "off_track"
    elif latest_value >= expected or (projection is not None and projection <= line.target_year):
        status = "on_track"
    elif projection is not None and projection <= line.target_year + LATE_TOLERANCE_YEARS:
        status = "at_risk"
    else:
        status = "off_track"
    return Assessment(status, latest_year, latest_value, expected, projection, slope)


@dataclass(frozen=True)
class Step:
    indicator: str
    from_level: float  # 2.5 when a fractional Pemdi value is the start
    to_level: int
    gain: Fraction  # exact rise of the overall index


def threshold_for(framework: Framework, predicate: str, rounding: str | None = None) -> tuple[Fraction, bool]:
    """The least index that earns `predicate`: (value, strict). Under `round2` the index is rounded first."""
    band = next((b for b in framework.predicate.bands if b.name.lower() == predicate.lower()), None)
    if band is None:
        raise InvalidInput("error.unknown_predicate", predicate=predicate, framework=framework.id)
    rule = rounding or framework.predicate.rounding
    if rule == "round2":
        # round_half_up(x, 2) >= m  <=>  x >= m - 0.005 (inclusive bound); exclusive: above m once rounded
        return (
            (band.min - Fraction(1, 200), False)
            if band.min_inclusive
            else (band.min + Fraction(1, 200), False)
        )
    return band.min, not band.min_inclusive


def best_path(
    framework: Framework,
    levels: Mapping[str, float],
    target: Fraction | float,
    *,
    strict: bool = False,
    not_applicable: Sequence[str] = (),
    max_steps_per_indicator: int | None = None,
) -> list[Step] | None:
    """The fewest one-level steps that lift the index to `target` (above it when `strict`), listed largest
    gain first; None when even every allowed step is not enough. `levels` must cover every applicable
    indicator. A step goes to the next whole level (from 2.5 the first step is to 3).

    The index is linear in the levels, so a plan is a number of steps per indicator; a table over the
    total number of steps keeps the largest gain each total can buy (tests check it against brute force).
    """
    goal = Fraction(str(target)) if isinstance(target, float) else Fraction(target)
    result = score_levels(framework, levels, not_applicable=not_applicable)
    if result.index is None:
        raise InvalidInput("error.levels_missing", codes=list(result.missing))
    need = goal - result.index

    def reached(gain: Fraction) -> bool:
        return gain > need if strict else gain >= need

    if reached(Fraction(0)):
        return []
    weights = _weights(framework, levels, not_applicable)
    paths: dict[str, list[Step]] = {}
    for indicator in framework.indicators:
        if indicator.code not in weights:
            continue
        level = Fraction(str(levels[indicator.code]))
        path: list[Step] = []
        while level < framework.scale_of(indicator).maximum:
            if max_steps_per_indicator is not None and len(path) >= max_steps_per_indicator:
                break
            nxt = Fraction(math.floor(level) + 1)
            start = int(level) if level.denominator == 1 else float(level)
            path.append(Step(indicator.code, start, int(nxt), (nxt - level) * weights[indicator.code]))
            level = nxt
        if path:
            paths[indicator.code] = path
    best: dict[int, tuple[Fraction, tuple[tuple[str, int], ...]]] = {0: (Fraction(0), ())}
    for code, path in paths.items():
        prefix = [sum((s.gain for s in path[:k]), Fraction(0)) for k in range(len(path) + 1)]
        grown = dict(best)
        for total, (gain, plan) in best.items():
            for k in range(1, len(path) + 1):
                candidate = (gain + prefix[k], (*plan, (code, k)))
                if total + k not in grown or candidate[0] > grown[total + k][0]:
                    grown[total + k] = candidate
        best = grown
    order = {ind.code: n for n, ind in enumerate(framework.indicators)}
    for total in sorted(best):
        gain, plan = best[total]
        if reached(gain):
            steps = [step for code, k in plan for step in paths[code][:k]]
            ranked = sorted(steps, key=lambda s: (-s.gain, order[s.indicator], s.from_level))
            # largest gains first, but an indicator's own steps stay in the order they are climbed
            climbing = {code: iter(paths[code][:k]) for code, k in plan}
            return [next(climbing[step.indicator]) for step in ranked]
    return None


def _weights(
    framework: Framework, levels: Mapping[str, float], not_applicable: Sequence[str]
) -> dict[str, Fraction]:
    """How much one whole level on each applicable indicator moves the overall index (measured exactly,
    so not-applicable renormalisation is included; the index is linear in each level)."""
    skip = set(not_applicable)
    base = score_levels(framework, levels, not_applicable=not_applicable).index
    assert base is not None
    weights: dict[str, Fraction] = {}
    for indicator in framework.indicators:
        if indicator.code in skip:
            continue
        level = Fraction(str(levels[indicator.code]))
        probe = level - 1 if level >= framework.scale_of(indicator).maximum else level + 1
        changed: dict[str, float | Fraction] = {**levels, indicator.code: probe}
        moved = score_levels(framework, changed, not_applicable=not_applicable).index
        assert moved is not None
        weights[indicator.code] = abs(moved - base)
    return weights


def index_after(
    framework: Framework,
    levels: Mapping[str, float],
    steps: Sequence[Step],
    *,
    not_applicable: Sequence[str] = (),
) -> Fraction | None:
    changed: dict[str, float] = dict(levels)
    for step in steps:  # listed by gain, not in the order they are climbed: keep the highest level reached
        changed[step.indicator] = max(changed[step.indicator], step.to_level)
    return score_levels(framework, changed, not_applicable=not_applicable).index


def display_value(value: Fraction) -> float:
    return float(round_half_up(value, 2))
