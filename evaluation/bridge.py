"""Pure maths of the bridge from the founding framework (`vision-to-evaluation`) to an official one.

The founding framework file declares, per founding indicator, the official indicators it prepares
(`prepares: {pemdi-2026: [...], spbe-2020: [...]}`). The what-if through the bridge rests on one stated
assumption (shown on the roadmap page, README "The bridge and its limits"):

    Raising a founding indicator to level L supports each official indicator it prepares up to level L;
    an official level is never lowered, and founding indicators left as they are change nothing.

So the expected official level of indicator `o` is `max(now[o], max(L_f for every raised founding f that
prepares o))`. It is an expectation for planning, never a result: official levels come only from the
official evaluation. Everything here is pure: frameworks and level mappings in, values out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from evaluation.scoring import ScoreResult, score_levels
from evaluation.translatable import InvalidInput
from indicators.schema import Framework


@dataclass(frozen=True)
class BridgeWhatIf:
    """The official picture now and with the founding what-if: `moved` maps each official code whose
    expected level rises to (level now, expected level)."""

    levels: dict[str, float]
    now: ScoreResult
    then: ScoreResult
    moved: dict[str, tuple[float, float]]


@dataclass(frozen=True)
class FoundingStep:
    """One step of a path in founding terms: raise `indicator` (in domain `step`) from one level to
    another; `moves` the official codes it lifts, `index_after` the expected official index after it."""

    indicator: str
    step: str
    from_level: float
    to_level: int
    moves: tuple[str, ...]
    gain: Fraction
    index_after: Fraction


def links(founding: Framework, official_id: str) -> dict[str, tuple[str, ...]]:
    """Founding indicator code -> the official codes it prepares (empty tuples left out)."""
    return {
        ind.code: tuple(ind.prepares[official_id])
        for ind in founding.indicators
        if ind.prepares.get(official_id)
    }


def prepared_by(founding: Framework, official: Framework) -> dict[str, tuple[str, ...]]:
    """Official indicator code -> the founding codes that prepare it, in official framework order."""
    reverse: dict[str, list[str]] = {}
    for code, targets in links(founding, official.id).items():
        for target in targets:
            reverse.setdefault(target, []).append(code)
    return {ind.code: tuple(reverse[ind.code]) for ind in official.indicators if ind.code in reverse}


def moved_by_step(founding: Framework, official: Framework, step_code: str) -> list[str]:
    """The official codes a founding step (domain such as `V03`) or indicator (`V03.1`) moves, in official
    framework order. Raises KeyError for a code the founding framework does not have."""
    if step_code in founding.group_by_code:
        members = [i.code for i in founding.indicators if founding.parent_of.get(i.code) == step_code]
    elif step_code in founding.indicator_by_code:
        members = [step_code]
    else:
        raise KeyError(step_code)
    linked = links(founding, official.id)
    wanted = {code for member in members for code in linked.get(member, ())}
    return [ind.code for ind in official.indicators if ind.code in wanted]


@dataclass(frozen=True)
class BridgeMove:
    """The founding levels moving from `now` to `then` (codes to levels; None for no level), read through
    the bridge onto the official framework, whose levels are `official_levels` now."""

    founding: Framework
    official: Framework
    official_levels: Mapping[str, float]
    now: Mapping[str, float | None]
    then: Mapping[str, float | None]

    def expected_levels(self) -> dict[str, float]:
        """The official levels expected after the move (the assumption in the module docstring): code to
        level. Official codes absent from `official_levels` stay absent."""
        expected = {code: float(level) for code, level in self.official_levels.items()}
        for code, targets in links(self.founding, self.official.id).items():
            before, after = self.now.get(code), self.then.get(code)
            if after is None or (before is not None and after <= before):
                continue
            for target in targets:
                if target in expected and expected[target] < after:
                    expected[target] = float(after)
        return expected

    def what_if(self, *, rounding: str | None = None) -> BridgeWhatIf:
        """The official framework scored now and with the expected levels (`rounding`: the period's
        predicate rounding rule, None for the framework's). `official_levels` should cover every official
        indicator (else both results report the missing ones)."""
        expected = self.expected_levels()
        moved = {
            code: (float(self.official_levels[code]), level)
            for code, level in expected.items()
            if level > float(self.official_levels[code])
        }
        now = score_levels(self.official, self.official_levels, rounding=rounding)  # type: ignore[arg-type]
        then = score_levels(self.official, expected, rounding=rounding)  # type: ignore[arg-type]
        return BridgeWhatIf(expected, now, then, moved)


def best_founding_path(
    founding: Framework,
    official: Framework,
    official_levels: Mapping[str, float],
    founding_levels: Mapping[str, float | None],
    goal: Fraction,
    *,
    strict: bool = False,
    max_steps_per_indicator: int | None = None,
) -> list[FoundingStep] | None:
    """Which founding steps first to reach an official index of `goal` (above it when `strict`): a greedy
    path through the bridge, each move the founding indicator and level with the largest expected official
    gain per level climbed (ties: the smaller climb, then framework order). [] when already reached, None
    when raising every founding indicator to its top level is not enough. A short path, not guaranteed the
    shortest. `max_steps_per_indicator` caps how many levels one founding indicator may climb. Founding
    indicators without a level (None, not applicable) are left out. Raises ValueError
    when the official levels do not cover the official framework."""
    base = score_levels(official, official_levels).index
    if base is None:
        raise InvalidInput("error.official_levels_incomplete")

    def reached(index: Fraction) -> bool:
        return index > goal if strict else index >= goal

    if reached(base):
        return []
    start = {code: level for code, level in founding_levels.items() if level is not None}
    then = dict(start)

    def expected(founding_then: Mapping[str, float | None]) -> dict[str, float]:
        return BridgeMove(founding, official, official_levels, start, founding_then).expected_levels()

    linked = links(founding, official.id)
    order = [i.code for i in founding.indicators if i.code in start and i.code in linked]
    steps: list[FoundingStep] = []
    index = base
    while not reached(index):
        best: tuple[Fraction, int, int, str, Fraction] | None = None  # efficiency, -climb, -pos, code, index
        for position, code in enumerate(order):
            top = founding.scale_of(founding.indicator_by_code[code]).maximum
            if max_steps_per_indicator is not None:
                top = min(top, int(start[code]) + max_steps_per_indicator)
            for level in range(int(then[code]) + 1, top + 1):
                trial = {**then, code: float(level)}
                candidate = score_levels(official, expected(trial)).index
                assert candidate is not None
                climb = level - int(then[code])
                key = ((candidate - index) / climb, -climb, -position, code, candidate)
                if candidate > index and (best is None or key[:3] > best[:3]):
                    best = key
        if best is None:
            return None
        _, minus_climb, _, code, after = best
        before = then[code]
        then[code] = float(int(before) - minus_climb)
        trial_before = {**then, code: before}
        lifted, earlier = expected(then), expected(trial_before)
        moves = tuple(c for c in lifted if lifted[c] > earlier[c])
        steps.append(
            FoundingStep(code, founding.parent_of[code], before, int(then[code]), moves, after - index, after)
        )
        index = after
    return steps


def steps_first(path: Sequence[FoundingStep]) -> list[str]:
    """The founding steps (domains) of a path in the order they are first needed."""
    seen: list[str] = []
    for item in path:
        if item.step not in seen:
            seen.append(item.step)
    return seen
