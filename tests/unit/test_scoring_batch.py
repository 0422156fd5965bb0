"""Issue 17: a whole period scored at once in numpy (evaluation/scoring/batch.py) gives every assessment
exactly what `score_levels` gives its levels: same exact values, group order, band and missing codes,
whatever the rows hold (holes, None, not applicable, fractional or out-of-scale levels, rows of other
assessments)."""

from __future__ import annotations

import random

import pytest

from evaluation.scoring import ScoringInputError, score_levels
from evaluation.scoring.batch import score_rows
from indicators.loader import shipped_frameworks

FRAMEWORKS = shipped_frameworks()


def period_rows(framework, rng: random.Random, assessments: int, *, odd: bool) -> list[tuple]:
    rows: list[tuple] = []
    for aid in range(1, assessments + 1):
        kind = rng.random() if odd else 1.0
        for indicator in framework.indicators:
            levels = [lv.level for lv in framework.scale_of(indicator).levels]
            if kind < 0.1 and rng.random() < 0.2:
                continue  # a hole: the indicator has no row
            level: object = float(rng.choice(levels))
            if kind < 0.15 and rng.random() < 0.1:
                level = None
            elif 0.15 <= kind < 0.2 and rng.random() < 0.1 and framework.fractional_values:
                level = level - 0.5 if level > min(levels) else level  # type: ignore[operator]
            na = 0.2 <= kind < 0.25 and framework.not_applicable.allowed and rng.random() < 0.1
            rows.append((aid, indicator.code, None if na else level, na))
    rng.shuffle(rows)
    return rows


def one_by_one(framework, wanted, rows, rounding):
    out = {}
    for aid in wanted:
        levels = {code: level for a, code, level, na in rows if a == aid and not na}
        na = [code for a, code, _, flag in rows if a == aid and flag]
        out[aid] = score_levels(framework, levels, not_applicable=na, rounding=rounding)
    return out


@pytest.mark.parametrize("framework", FRAMEWORKS.values(), ids=list(FRAMEWORKS))
@pytest.mark.parametrize("rounding", ["round2", "raw", None])
@pytest.mark.parametrize("odd", [False, True], ids=["whole", "mixed"])
def test_a_period_at_once_equals_each_assessment_scored_alone(framework, rounding, odd):
    rng = random.Random(17)
    rows = period_rows(framework, rng, 60, odd=odd)
    wanted = [*range(60, 0, -1), 99]  # 99 has no rows at all; rows of none of these are left out below
    rows = [r for r in rows if r[0] != 7] + [(500, framework.indicators[0].code, 1.0, False)]
    batch = score_rows(framework, wanted, rows, rounding=rounding)
    plain = one_by_one(framework, wanted, rows, rounding)
    assert list(batch) == wanted
    assert batch == plain
    for aid in wanted:
        assert list(batch[aid].groups) == list(plain[aid].groups)
        assert batch[aid].missing == plain[aid].missing
    assert batch[99].index is None and batch[7].index is None


def test_levels_it_cannot_score_raise_as_score_levels_does():
    framework = next(iter(FRAMEWORKS.values()))
    code = framework.indicators[0].code
    for bad in [(1, "NO-SUCH-CODE", 3.0, False), (1, code, 9.0, False)]:
        with pytest.raises(ScoringInputError):
            score_rows(framework, [1], [bad], rounding=None)
    assert score_rows(framework, [], [(1, code, 3.0, False)], rounding=None) == {}
