"""Pure scoring: indicator levels (or published group indices) -> aspect, domain and overall index, predicate.

Every regulation here uses the same weighted mean at each level of its hierarchy:
group index = sum(child value x child weight) / group weight, and the overall index likewise over the
top groups / total weight. Arithmetic is exact (fractions), aggregated from unrounded values; rounding
happens only for display and, where the framework says `round2`, before banding the predicate.
"""

from evaluation.scoring.levels import LevelProblem, check_levels, level_bounds, level_problem, score_levels
from evaluation.scoring.published import score_group_values
from evaluation.scoring.values import (
    Number,
    Rounding,
    ScoreResult,
    ScoringInputError,
    display,
    exact,
    predicate_for,
    round_half_up,
)

__all__ = [
    "LevelProblem",
    "Number",
    "Rounding",
    "ScoreResult",
    "ScoringInputError",
    "check_levels",
    "display",
    "exact",
    "level_bounds",
    "level_problem",
    "predicate_for",
    "round_half_up",
    "score_group_values",
    "score_levels",
]
