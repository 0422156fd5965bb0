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
    elif latest_year >= line.target_year or current_year > line.target_year:
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
    from_level: int
    to_level: int
    gain: Fraction  # exact rise of the overall index


def threshold_for(framework: Framework, predicate: str, rounding: str | None = None) -> tuple[Fraction, bool]:
    """The least index that earns `predicate`: (value, strict). Under `round2` the index is rounded first."""
    band = next((b for b in framework.predicate.bands if b.name.lower() == predicate.lower()), None)
    if band is None:
        raise ValueError(f"unknown predicate '{predicate}' in {framework.id}")
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
    levels: Mapping[str, int],
    target: Fraction | float,
    *,
    strict: bool = False,
    not_applicable: Sequence[str] = (),
    max_steps_per_indicator: int | None = None,
) -> list[Step] | None:
    """The fewest one-level steps that lift the index to `target` (above it when `strict`), largest gains
    first; None when even every allowed step is not enough. `levels` must cover every applicable indicator.

    Each step on an indicator raises the index by the same amount (its weight's share), so taking the
    largest gains first needs the fewest steps (an exchange argument; tests check it against brute force).
    """
    goal = Fraction(str(target)) if isinstance(target, float) else Fraction(target)
    result = score_levels(framework, levels, not_applicable=not_applicable)
    if result.index is None:
        raise ValueError(f"levels missing for {', '.join(result.missing)}")
    current = result.index
    applicable = [i for i in framework.indicators if i.code not in set(not_applicable)]
    gains = _step_gains(framework, levels, not_applicable)
    options: list[tuple[Fraction, int, str, int]] = []
    for order, indicator in enumerate(applicable):
        level = int(levels[indicator.code])
        room = framework.scale_of(indicator).maximum - level
        if max_steps_per_indicator is not None:
            room = min(room, max_steps_per_indicator)
        options.extend((gains[indicator.code], order, indicator.code, level + k) for k in range(room))
    options.sort(key=lambda o: (-o[0], o[1], o[3]))

    def reached(value: Fraction) -> bool:
        return value > goal if strict else value >= goal

    steps: list[Step] = []
    value = current
    for gain, _order, code, from_level in options:
        if reached(value):
            break
        steps.append(Step(code, from_level, from_level + 1, gain))
        value += gain
    return steps if reached(value) else None


def _step_gains(
    framework: Framework, levels: Mapping[str, int], not_applicable: Sequence[str]
) -> dict[str, Fraction]:
    """How much one level more on each indicator raises the overall index (measured, exactly)."""
    base = score_levels(framework, levels, not_applicable=not_applicable).index
    assert base is not None
    gains: dict[str, Fraction] = {}
    for indicator in framework.indicators:
        if (
            indicator.code in set(not_applicable)
            or int(levels[indicator.code]) >= framework.scale_of(indicator).maximum
        ):
            continue  # no step left to take here
        raised = dict(levels)
        raised[indicator.code] = int(levels[indicator.code]) + 1
        lifted = score_levels(framework, raised, not_applicable=not_applicable).index
        assert lifted is not None
        gains[indicator.code] = lifted - base
    return gains


def index_after(framework: Framework, levels: Mapping[str, int], steps: Sequence[Step]) -> Fraction | None:
    changed = dict(levels)
    for step in steps:
        changed[step.indicator] = step.to_level
    return score_levels(framework, changed).index


def display_value(value: Fraction) -> float:
    return float(round_half_up(value, 2))
