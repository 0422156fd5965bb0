"""Roadmap maths: the straight line to a target, the trend, when it reaches a value, a target's status,
and the least index that earns a predicate. Figures are SPBE's (national 2.34 in 2022, 2.85 for 2024)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from evaluation.roadmap_math import TargetLine, assess, projected_year, threshold_for, trend
from evaluation.scoring import predicate_for
from indicators.loader import shipped_frameworks

SPBE = shipped_frameworks()["spbe-2020"]
PEMDI = shipped_frameworks()["pemdi-2026"]
NATIONAL_2024 = TargetLine(baseline_year=2022, baseline_value=2.34, target_year=2024, target_value=2.85)


# --- the straight line from baseline to target --------------------------------------------------------

EXPECTED = {
    "before the baseline it is the baseline": (2021, 2.34),
    "at the baseline it is the baseline": (2022, 2.34),
    "midway it is halfway between": (2023, 2.595),
    "a quarter of the way along": (2022.5, 2.4675),
    "at the target year it is the target": (2024, 2.85),
    "after the target year it stays flat": (2027, 2.85),
}


@pytest.mark.parametrize(("year", "value"), EXPECTED.values(), ids=EXPECTED.keys())
def test_the_expected_value_follows_the_straight_line_from_baseline_to_target(year, value):
    assert NATIONAL_2024.expected(year) == pytest.approx(value)


@pytest.mark.parametrize("year", [2020, 2024, 2026])
def test_a_target_set_for_its_own_baseline_year_expects_the_target_value_at_any_year(year):
    line = TargetLine(baseline_year=2024, baseline_value=2.34, target_year=2024, target_value=2.85)
    assert line.expected(year) == 2.85


# --- the trend ----------------------------------------------------------------------------------------


def test_the_trend_through_collinear_points_is_their_exact_line():
    slope, intercept = trend([(2022, 2.34), (2023, 2.59), (2024, 2.84), (2025, 3.09)])
    assert slope == pytest.approx(0.25)
    assert slope * 2022 + intercept == pytest.approx(2.34)


def test_the_trend_is_the_least_squares_line_when_points_scatter():
    # x -1, 0, 1 around 2023; y mean 2.6; sxy = 0.26 + 0.02 = 0.28 over sxx = 2.
    slope, intercept = trend([(2022, 2.34), (2023, 2.84), (2024, 2.62)])
    assert slope == pytest.approx(0.14)
    assert slope * 2023 + intercept == pytest.approx(2.6)


@pytest.mark.parametrize(
    "points",
    [[], [(2023, 2.6)], [(2023, 2.6), (2023, 2.7)]],
    ids=["no point", "one point", "two values in one year"],
)
def test_there_is_no_trend_with_fewer_than_two_years(points):
    assert trend(points) is None


PROJECTIONS = {
    "on the line at a whole year": ([(2022, 2.0), (2023, 2.25)], 2.5, 2024),
    "between two years rounds up to the next": ([(2022, 2.0), (2023, 2.3)], 2.65, 2025),
    "already reached gives the latest year": ([(2022, 2.34), (2023, 2.79)], 2.60, 2023),
    "already reached even on a falling trend": ([(2022, 3.0), (2023, 2.9)], 2.85, 2023),
    "never earlier than the latest year": ([(2022, 2.0), (2023, 3.0), (2024, 2.2)], 2.35, 2024),
    "flat trend never gets there": ([(2022, 2.5), (2023, 2.5)], 2.6, None),
    "falling trend never gets there": ([(2022, 2.5), (2023, 2.4)], 2.6, None),
    "one year only": ([(2022, 2.34)], 2.6, None),
}


@pytest.mark.parametrize(("points", "value", "year"), PROJECTIONS.values(), ids=PROJECTIONS.keys())
def test_the_projected_year_is_the_first_whole_year_the_trend_reaches_the_value(points, value, year):
    assert projected_year(points, value) == year


# --- the status of a target -----------------------------------------------------------------------------


def line(baseline_year, baseline_value, target_year, target_value):
    return TargetLine(baseline_year, baseline_value, target_year, target_value)


ON_2025 = line(2022, 2.34, 2025, 2.85)
# (line, observations, current year, status). National: 2.34 in 2022; 2.79 in 2023, 3.12 in 2024.
STATUS_RULES = {
    "achieved: the latest value reaches the target after its year": (
        NATIONAL_2024,
        {2023: 2.79, 2024: 3.12},
        2025,
        "achieved",
    ),
    "achieved: the latest value reaches the target before its year": (
        NATIONAL_2024,
        {2023: 2.90},
        2023,
        "achieved",
    ),
    "achieved: exactly the target": (NATIONAL_2024, {2023: 2.85}, 2023, "achieved"),
    "on track: above the straight line": (NATIONAL_2024, {2023: 2.79}, 2023, "on_track"),
    "on track: exactly on the straight line": (NATIONAL_2024, {2023: 2.595}, 2023, "on_track"),
    "on track: below the line but the trend reaches it in time": (
        ON_2025,
        {2023: 2.84, 2024: 2.62},
        2024,
        "on_track",
    ),
    "at risk: the trend reaches it exactly one year late": (
        line(2022, 2.34, 2026, 3.00),
        {2023: 2.60, 2024: 2.64},
        2024,
        "at_risk",
    ),
    "off track: the trend reaches it two years late": (
        line(2022, 2.34, 2025, 3.00),
        {2023: 2.60, 2024: 2.64},
        2024,
        "off_track",
    ),
    "off track: the trend falls": (ON_2025, {2023: 2.30, 2024: 2.25}, 2024, "off_track"),
    "off track: the trend is flat": (ON_2025, {2023: 2.34, 2024: 2.34}, 2024, "off_track"),
    "off track: the target year's value falls short": (
        NATIONAL_2024,
        {2023: 2.79, 2024: 2.80},
        2024,
        "off_track",
    ),
    "off track: the target year passed without reaching it": (NATIONAL_2024, {2023: 2.79}, 2025, "off_track"),
    "off track: nothing observed after the baseline once the target year passed": (
        NATIONAL_2024,
        {},
        2025,
        "off_track",
    ),
    "off track: only years before the baseline once the target year passed": (
        NATIONAL_2024,
        {2021: 2.24},
        2025,
        "off_track",
    ),
    "on track: nothing observed yet before the target year": (NATIONAL_2024, {}, 2023, "on_track"),
    "on track: only years before the baseline, before the target year": (
        NATIONAL_2024,
        {2020: 2.26, 2021: 2.24},
        2023,
        "on_track",
    ),
}


@pytest.mark.parametrize(
    ("target", "observations", "current_year", "status"), STATUS_RULES.values(), ids=STATUS_RULES.keys()
)
def test_a_target_has_the_status_its_rules_give(target, observations, current_year, status):
    assert assess(target, observations, current_year=current_year).status == status


def test_a_falling_trend_is_off_track_even_when_the_latest_value_is_above_the_line():
    # From 2.04 (2022) to 2.15 by 2028; 2.11, 1.63, 2.12: the least-squares slope is -0.024.
    result = assess(line(2022, 2.04, 2028, 2.15), {2023: 2.11, 2024: 1.63, 2025: 2.12}, current_year=2025)
    assert result.slope is not None and result.slope < 0
    assert result.latest_value is not None and result.expected_value is not None
    assert result.latest_value > result.expected_value
    assert result.status == "off_track"


def test_the_assessment_reports_the_latest_value_its_expected_value_and_the_projection():
    result = assess(line(2022, 2.34, 2026, 3.00), {2023: 2.60, 2024: 2.64}, current_year=2024)
    assert (result.latest_year, result.latest_value) == (2024, 2.64)
    assert result.expected_value == pytest.approx(2.67)
    assert result.projected_year == 2027
    assert result.slope == pytest.approx(0.15)


def test_the_assessment_without_observations_reports_no_latest_value():
    result = assess(NATIONAL_2024, {}, current_year=2023)
    assert (result.latest_year, result.latest_value, result.expected_value, result.projected_year) == (
        None,
        None,
        None,
        None,
    )


def test_the_trend_starts_from_the_baseline_value_not_from_an_observation_in_the_baseline_year():
    # Observed 3.0 in the baseline year is ignored in the trend: from 2.34, 2.60 in 2023 rises (+0.26).
    result = assess(NATIONAL_2024, {2022: 3.0, 2023: 2.60}, current_year=2023)
    assert result.slope == pytest.approx(0.26)


def test_years_before_the_baseline_are_not_part_of_the_trend():
    with_history = assess(NATIONAL_2024, {2019: 1.0, 2023: 2.60}, current_year=2023)
    without = assess(NATIONAL_2024, {2023: 2.60}, current_year=2023)
    assert with_history == without


# --- the least index that earns a predicate ------------------------------------------------------------

THRESHOLDS = {
    "spbe-2020 Baik, rounded to 2 decimals first": (SPBE, "Baik", "round2", (Fraction("2.595"), False)),
    "spbe-2020 Baik, unrounded": (SPBE, "Baik", "raw", (Fraction("2.6"), False)),
    "spbe-2020 Baik, its own rule (round2)": (SPBE, "Baik", None, (Fraction("2.595"), False)),
    "spbe-2020 Sangat Baik, unrounded": (SPBE, "Sangat Baik", "raw", (Fraction("3.5"), False)),
    "pemdi-2026 Baik, unrounded (above 2.5)": (PEMDI, "Baik", "raw", (Fraction("2.5"), True)),
    "pemdi-2026 Baik, its own rule (raw)": (PEMDI, "Baik", None, (Fraction("2.5"), True)),
    "pemdi-2026 Baik, rounded to 2 decimals first": (PEMDI, "Baik", "round2", (Fraction("2.505"), False)),
    "the name is matched without case": (SPBE, "baik", "raw", (Fraction("2.6"), False)),
}


@pytest.mark.parametrize(
    ("framework", "predicate", "rounding", "expected"), THRESHOLDS.values(), ids=THRESHOLDS.keys()
)
def test_the_threshold_is_the_least_index_earning_the_predicate(framework, predicate, rounding, expected):
    assert threshold_for(framework, predicate, rounding) == expected


BANDING = {
    "spbe-2020 round2": (SPBE, "round2"),
    "spbe-2020 raw": (SPBE, "raw"),
    "pemdi-2026 round2": (PEMDI, "round2"),
    "pemdi-2026 raw": (PEMDI, "raw"),
}


@pytest.mark.parametrize(("framework", "rounding"), BANDING.values(), ids=BANDING.keys())
def test_the_threshold_agrees_with_the_banding_just_below_at_and_just_above_it(framework, rounding):
    value, strict = threshold_for(framework, "Baik", rounding)
    baik = next(b for b in framework.predicate.bands if b.name == "Baik")
    tiny = Fraction(1, 100_000)

    def baik_or_better(index: Fraction) -> bool:
        band = predicate_for(framework, index, rounding)
        return band is not None and band.min >= baik.min

    assert not baik_or_better(value - tiny)
    assert baik_or_better(value) is not strict
    assert baik_or_better(value + tiny)


def test_an_unknown_predicate_has_no_threshold():
    with pytest.raises(ValueError, match="unknown predicate 'Istimewa'"):
        threshold_for(SPBE, "Istimewa")
