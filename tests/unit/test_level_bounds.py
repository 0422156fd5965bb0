"""Issue 15: level bounds are one rule per concept. A framework's scales may use only the levels the
database stores (1..5, its CHECK constraint), refused on load otherwise; level values are checked by the
scoring's `level_problem`, which `check_levels` and the assessment import both ask."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
import yaml

from evaluation.models import IndicatorScore
from evaluation.scoring import ScoringInputError, check_levels, level_bounds, level_problem
from indicators.loader import (
    SHIPPED_DIR,
    FrameworkError,
    load_framework_file,
    parse_framework,
    shipped_framework_paths,
)
from indicators.schema import HIGHEST_LEVEL, LOWEST_LEVEL

PATHS = shipped_framework_paths()
SPBE_TEXT = (SHIPPED_DIR / "spbe-2020.yaml").read_text(encoding="utf-8")


def with_first_level(value: int) -> str:
    data = yaml.safe_load(SPBE_TEXT)
    data["scales"]["process"]["levels"][0]["level"] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_the_schema_allows_exactly_the_levels_the_database_checks():
    checks = [
        str(c.sqltext)
        for c in IndicatorScore.__table__.constraints
        if getattr(c, "name", "") == "ck_self_level_scale"
    ]
    assert len(checks) == 1
    low, high = (int(n) for n in re.findall(r"[<>]= (\d+)", checks[0]))
    assert (low, high) == (LOWEST_LEVEL, HIGHEST_LEVEL)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_every_shipped_scale_uses_only_stored_levels(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    levels = {lv["level"] for scale in data["scales"].values() for lv in scale["levels"]}
    assert levels <= set(range(LOWEST_LEVEL, HIGHEST_LEVEL + 1))


@pytest.mark.parametrize("value", [0, 6, 10, -1])
def test_a_scale_level_outside_the_stored_range_is_refused_on_load(value):
    with pytest.raises(FrameworkError) as caught:
        parse_framework(with_first_level(value), "spbe-2020.yaml")
    assert any(
        path == "scales.process.levels[0].level" and f"level {value} is outside 1-5" in message
        for path, message in caught.value.problems
    ), caught.value.problems


@pytest.fixture(scope="module")
def spbe():
    return load_framework_file(SHIPPED_DIR / "spbe-2020.yaml")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, None),
        (5, None),
        (3.0, None),
        (Fraction(3), None),
        (0, "outside_scale"),
        (5.01, "outside_scale"),
        (6, "outside_scale"),
        (Fraction(-1, 2), "outside_scale"),
        (2.5, "not_whole"),
        (Fraction(7, 2), "not_whole"),
    ],
)
def test_level_problem_names_why_a_value_cannot_be_stored(spbe, value, expected):
    assert level_bounds(spbe, "I01") == (1, 5)
    assert level_problem(spbe, "I01", value) == expected


def test_a_fraction_is_allowed_on_a_framework_with_fractional_values(spbe):
    fractional = spbe.model_copy(update={"fractional_values": True, "content_hash": "fractional-copy"})
    assert level_problem(fractional, "I01", 2.5) is None
    assert level_problem(fractional, "I01", 5.5) == "outside_scale"


@pytest.mark.parametrize("value", [0, 1, 2.5, 5, 6])
def test_check_levels_refuses_exactly_what_level_problem_names(spbe, value):
    problem = level_problem(spbe, "I01", value)
    if problem is None:
        assert check_levels(spbe, {"I01": value}) == {"I01": int(value)}
    else:
        with pytest.raises(ScoringInputError):
            check_levels(spbe, {"I01": value})
