"""The savers benchmark's own pieces: its 50-indicator framework and its percentile."""

from __future__ import annotations

import pytest

from bench.savers import SAVERS, bench_framework_text, percentile
from indicators.loader import parse_framework


def test_the_bench_framework_has_one_indicator_per_saver_of_equal_weight():
    framework = parse_framework(bench_framework_text(), source="bench")
    assert [i.code for i in framework.indicators] == [f"B{n:02d}" for n in range(1, SAVERS + 1)]
    assert {float(i.weight) for i in framework.indicators} == {100 / SAVERS}


@pytest.mark.parametrize(
    ("values", "pct", "expected"),
    [([], 95, None), ([7.0], 95, 7.0), (list(map(float, range(1, 101))), 95, 95.05), ([1.0, 3.0], 50, 2.0)],
)
def test_percentile_interpolates_inclusively(values, pct, expected):
    result = percentile(values, pct)
    assert (result != result) if expected is None else result == pytest.approx(expected)
