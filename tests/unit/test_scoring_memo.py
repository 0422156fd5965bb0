"""Issue 17: the whole-level fast path builds no Fraction per value (exact values and bands are memoised
per distinct integer sum); what it returns stays equal to the nested formula and the direct banding."""

from __future__ import annotations

import random

import pytest

from evaluation.scoring import levels as scoring_levels
from evaluation.scoring import predicate_for, score_levels
from indicators.loader import shipped_frameworks

FRAMEWORKS = shipped_frameworks()


def random_levels(framework, rng: random.Random, *, holes: float = 0.0) -> dict[str, object]:
    out: dict[str, object] = {}
    for indicator in framework.indicators:
        if rng.random() < holes:
            continue
        scale = framework.scale_of(indicator)
        level = rng.choice([lv.level for lv in scale.levels])
        out[indicator.code] = float(level) if rng.random() < 0.5 else level  # the database gives floats
    return out


@pytest.mark.parametrize("framework", FRAMEWORKS.values(), ids=list(FRAMEWORKS))
@pytest.mark.parametrize("rounding", ["round2", "raw"])
def test_the_fast_path_equals_the_nested_formula_and_the_direct_banding(framework, rounding):
    rng = random.Random(17)
    for n in range(400):
        given = random_levels(framework, rng, holes=0.05 if n % 4 == 0 else 0.0)
        fast = score_levels(framework, given, rounding=rounding)
        checked = scoring_levels.check_levels(framework, given)
        present = {code: v for code, v in checked.items() if v is not None}
        groups, index = scoring_levels._score_nested(framework, present, complete=not fast.missing)
        assert fast.groups == groups
        assert fast.index == index
        expected = predicate_for(framework, index, rounding) if index is not None else None
        assert fast.predicate == expected
        assert fast.missing == tuple(i.code for i in framework.indicators if i.code not in present)


def test_equal_sums_share_one_exact_value_and_the_memo_stays_bounded(monkeypatch):
    framework = next(iter(FRAMEWORKS.values()))
    monkeypatch.setattr(scoring_levels, "MEMO_LIMIT", 50)
    plan = scoring_levels._plan(framework)
    plan.exact.clear()
    rng = random.Random(3)
    for _ in range(300):
        score_levels(framework, random_levels(framework, rng))
        assert len(plan.exact) <= 51 + len(plan.group_members) + 1
    same = random_levels(framework, rng)
    first, again = score_levels(framework, same), score_levels(framework, dict(same))
    assert first.index is again.index  # one shared immutable Fraction, not a new one per agency
