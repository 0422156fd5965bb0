"""Scoring: the regulations' worked examples, predicate bands and rounding, incomplete and bad input."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from evaluation.scoring import (
    ScoringInputError,
    display,
    predicate_for,
    round_half_up,
    score_group_values,
    score_levels,
)
from indicators.loader import shipped_frameworks

SPBE = shipped_frameworks()["spbe-2020"]
PEMDI = shipped_frameworks()["pemdi-2026"]
VISION = shipped_frameworks()["vision-to-evaluation"]
PEMDI_ASPECTS = [f"A{n}" for n in range(1, 8)]


def levels_of(framework, spec: str) -> dict[str, int]:
    """Levels per group, one digit per indicator in framework order: "A2=3432 A3=4444"."""
    levels: dict[str, int] = {}
    for part in spec.split():
        code, digits = part.split("=")
        indicators = framework.group_by_code[code].indicators
        assert len(digits) == len(indicators), f"{code} has {len(indicators)} indicators"
        levels.update(zip((ind.code for ind in indicators), map(int, digits), strict=True))
    return levels


def all_levels(framework, level) -> dict[str, object]:
    return {ind.code: level for ind in framework.indicators}


# An SPBE assessment whose index is exactly 1.797 (= 3594/2000).
SPBE_1797 = levels_of(SPBE, "A1=2222111111 A2=1111 A3=1111 A4=11 A5=22222222 A6=332 A7=3333333333 A8=111111")
# Domains 3, 2, 29/11 (2.64), 589/182 (2.79...): the index is 2.5925 but rounded domains give 2.59505.
SPBE_2592 = levels_of(SPBE, "A1=3333333333 A2=2222 A3=2222 A4=22 A5=33333332 A6=222 A7=3222222222 A8=444443")


# --- the regulations' worked examples -------------------------------------------------------------


def test_spbe_aspect_index_is_the_weighted_mean_of_its_indicators():
    result = score_levels(SPBE, {"I11": 3, "I12": 4, "I13": 3, "I14": 2})
    assert result.groups["A2"] == Fraction(3)


def test_spbe_domain_index_is_the_weighted_mean_of_its_aspects():
    result = score_group_values(SPBE, "aspect", {"A2": "3.00", "A3": "4.00", "A4": "3.00"})
    assert result.groups["D2"] == Fraction("3.4")


def test_spbe_domain_index_from_levels_matches_the_regulation_example():
    levels = levels_of(SPBE, "A2=3432 A3=4444 A4=33")
    result = score_levels(SPBE, levels)
    assert (result.groups["A2"], result.groups["A3"], result.groups["A4"]) == (3, 4, 3)
    assert result.groups["D2"] == Fraction("3.4")


def test_spbe_index_from_domain_indices_matches_the_regulation_example():
    result = score_group_values(SPBE, "domain", {"D1": "3.70", "D2": "3.40", "D3": "3.00", "D4": "3.20"})
    assert result.index == Fraction("3.282")
    assert result.index_display == "3.28"


def test_pemdi_aspect_index_matches_the_regulation_example():
    result = score_levels(PEMDI, {"I01": 2, "I02": 3})
    assert result.groups["A1"] == Fraction("2.5")


def test_pemdi_index_from_aspect_indices_matches_the_regulation_example():
    values = dict(zip(PEMDI_ASPECTS, ["2.60", "3.50", "1.20", "3.50", "2.50", "2.40", "3.50"], strict=True))
    result = score_group_values(PEMDI, "aspect", values)
    assert result.index == Fraction("2.8")
    assert result.predicate.name == "Baik"


# --- predicate bands and rounding -------------------------------------------------------------------

# fmt: off
SPBE_EDGES = [
    ("1", "Kurang"), ("1.7999", "Kurang"), ("1.8", "Cukup"), ("2.5999", "Cukup"), ("2.6", "Baik"),
    ("3.4999", "Baik"), ("3.5", "Sangat Baik"), ("4.1999", "Sangat Baik"), ("4.2", "Memuaskan"),
    ("5", "Memuaskan"),
]
PEMDI_EDGES = [
    ("1", "Kurang"), ("1.5", "Kurang"), ("1.5000001", "Cukup"), ("2.5", "Cukup"), ("2.5000001", "Baik"),
    ("3.5", "Baik"), ("3.5000001", "Sangat Baik"), ("4", "Sangat Baik"), ("4.0000001", "Memuaskan"),
    ("5", "Memuaskan"),
]
# fmt: on


@pytest.mark.parametrize(("index", "name"), SPBE_EDGES)
def test_spbe_bands_include_their_lower_edge(index, name):
    assert predicate_for(SPBE, Fraction(index), "raw").name == name


@pytest.mark.parametrize(("index", "name"), PEMDI_EDGES)
def test_pemdi_bands_include_their_upper_edge(index, name):
    assert predicate_for(PEMDI, Fraction(index), "raw").name == name


@pytest.mark.parametrize(
    ("framework", "index", "rounding", "name"),
    [
        (SPBE, "1.797", "round2", "Cukup"),
        (SPBE, "1.797", "raw", "Kurang"),
        (SPBE, "1.7985", "raw", "Kurang"),
        (SPBE, "1.7985", "round2", "Cukup"),
        (SPBE, "1.7949", "round2", "Kurang"),
        (SPBE, "2.595", "round2", "Baik"),
        (SPBE, "4.195", "round2", "Memuaskan"),
        (PEMDI, "2.5", "raw", "Cukup"),
        (PEMDI, "2.5000001", "raw", "Baik"),
    ],
)
def test_predicate_follows_the_rounding_rule(framework, index, rounding, name):
    assert predicate_for(framework, Fraction(index), rounding).name == name


@pytest.mark.parametrize("framework", [SPBE, PEMDI, VISION], ids=lambda fw: fw.id)
def test_the_top_of_the_scale_is_memuaskan(framework):
    assert predicate_for(framework, Fraction(5)).name == "Memuaskan"


@pytest.mark.parametrize("index", ["0.99", "5.01"])
def test_an_index_outside_the_scale_has_no_predicate(index):
    assert predicate_for(SPBE, Fraction(index)) is None


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        ("2.675", "2.68"),
        ("2.595", "2.60"),
        ("2.594999", "2.59"),
        ("1.7985", "1.80"),
        ("3.282", "3.28"),
        ("5", "5.00"),
    ],
)
def test_display_rounds_half_up_to_two_decimals(value, rounded):
    assert round_half_up(Fraction(value), 2) == Fraction(rounded)
    assert display(Fraction(value)) == rounded


def test_spbe_uses_its_round2_rule_by_default_and_accepts_raw_as_an_override():
    assert score_levels(SPBE, SPBE_1797).index == Fraction("1.797")
    assert score_levels(SPBE, SPBE_1797).predicate.name == "Cukup"
    assert score_levels(SPBE, SPBE_1797, rounding="raw").predicate.name == "Kurang"


def test_pemdi_index_of_exactly_2_50_from_fractional_levels_is_cukup():
    result = score_levels(PEMDI, all_levels(PEMDI, "2.5"))
    assert (result.index, result.predicate.name) == (Fraction("2.5"), "Cukup")


# --- aggregation from unrounded values ----------------------------------------------------------------


def test_index_is_aggregated_from_unrounded_domain_values():
    result = score_levels(SPBE, SPBE_2592)
    domains = [display(result.groups[code]) for code in ("D1", "D2", "D3", "D4")]
    assert domains == ["3.00", "2.00", "2.64", "2.79"]
    assert result.index == Fraction("2.5925")
    assert (result.index_display, result.predicate.name) == ("2.59", "Cukup")


def test_the_same_assessment_from_rounded_domain_values_would_display_differently():
    domains = {
        code: display(v) for code, v in score_levels(SPBE, SPBE_2592).groups.items() if code.startswith("D")
    }
    from_rounded = score_group_values(SPBE, "domain", domains)
    assert (from_rounded.index_display, from_rounded.predicate.name) == ("2.60", "Baik")


def random_levels(framework, seed: int) -> dict[str, int | Fraction]:
    rng = random.Random(seed)
    if framework.fractional_values:
        return {ind.code: Fraction(rng.randint(10, 50), 10) for ind in framework.indicators}
    return {ind.code: rng.randint(1, 5) for ind in framework.indicators}


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("framework", [SPBE, PEMDI], ids=lambda fw: fw.id)
def test_index_equals_the_weighted_sum_of_all_indicator_levels(framework, seed):
    levels = random_levels(framework, seed)
    expected = sum(levels[ind.code] * ind.weight for ind in framework.indicators) / 100
    assert score_levels(framework, levels).index == expected


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize(("framework", "kind"), [(SPBE, "domain"), (SPBE, "aspect"), (PEMDI, "aspect")])
def test_index_from_levels_equals_index_from_its_own_unrounded_group_values(framework, kind, seed):
    result = score_levels(framework, random_levels(framework, seed))
    own = {code: v for code, v in result.groups.items() if framework.group_kind[code] == kind}
    assert score_group_values(framework, kind, own).index == result.index


@pytest.mark.parametrize("as_type", [float, str, Fraction], ids=["float", "str", "Fraction"])
@pytest.mark.parametrize("framework", [SPBE, VISION], ids=lambda fw: fw.id)
def test_whole_levels_score_the_same_whatever_their_number_type(framework, as_type):
    levels = random_levels(framework, 7)
    as_int = score_levels(framework, levels)
    converted = score_levels(framework, {code: as_type(level) for code, level in levels.items()})
    assert (converted.groups, converted.index) == (as_int.groups, as_int.index)


# --- incomplete assessments and not applicable ---------------------------------------------------------


def test_a_missing_indicator_leaves_the_index_empty_and_is_listed():
    levels = all_levels(SPBE, 3)
    del levels["I15"]
    result = score_levels(SPBE, levels)
    assert (result.index, result.complete, result.predicate, result.missing) == (None, False, None, ("I15",))


def test_groups_without_missing_indicators_are_still_scored():
    levels = all_levels(SPBE, 3)
    del levels["I15"]
    result = score_levels(SPBE, levels)
    assert {"A3", "D2"}.isdisjoint(result.groups)
    assert result.groups["A2"] == result.groups["D1"] == result.groups["D4"] == 3


def test_a_level_given_as_none_counts_as_missing():
    result = score_levels(PEMDI, {**all_levels(PEMDI, 3), "I07": None})
    assert (result.index, result.missing) == (None, ("I07",))


@pytest.mark.parametrize("framework", [SPBE, PEMDI], ids=lambda fw: fw.id)
def test_frameworks_without_not_applicable_reject_it(framework):
    with pytest.raises(ScoringInputError) as caught:
        score_levels(framework, all_levels(framework, 3), not_applicable=["I02"])
    assert list(caught.value.problems) == ["I02"]


def test_a_not_applicable_indicator_gives_its_weight_to_its_siblings():
    levels = {**all_levels(VISION, 3), "V05.2": 2, "V05.3": 5}
    result = score_levels(VISION, levels, not_applicable=["V05.1"])
    assert result.groups["V05"] == Fraction(7, 2)
    assert result.not_applicable == ("V05.1",)


def test_a_wholly_not_applicable_domain_drops_out_of_the_index():
    levels = {**all_levels(VISION, 3), "V01.1": 5, "V01.2": 5}
    result = score_levels(VISION, levels, not_applicable=["V09.1", "V09.2"])
    assert "V09" not in result.groups
    assert result.index == Fraction(5 + 8 * 3, 9)
    assert result.missing == ()


def test_an_unknown_not_applicable_code_is_rejected():
    with pytest.raises(ScoringInputError) as caught:
        score_levels(VISION, all_levels(VISION, 3), not_applicable=["V99.1"])
    assert list(caught.value.problems) == ["V99.1"]


# --- bad input -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("framework", "code", "level", "reason"),
    [
        (SPBE, "I01", 7, "outside the scale"),
        (SPBE, "I01", 0, "outside the scale"),
        (SPBE, "I01", "abc", "not a number"),
        (SPBE, "I01", True, "not a number"),
        (SPBE, "X99", 3, "unknown indicator"),
        (SPBE, "I20", 2.5, "whole number"),
        (SPBE, "I20", "2.5", "whole number"),
        (PEMDI, "I01", "5.1", "outside the scale"),
        (VISION, "V01.1", 1.5, "whole number"),
    ],
)
def test_a_bad_level_is_rejected_naming_its_code(framework, code, level, reason):
    with pytest.raises(ScoringInputError) as caught:
        score_levels(framework, {**all_levels(framework, 3), code: level})
    assert list(caught.value.problems) == [code]
    assert reason in caught.value.problems[code].render("en")


def test_every_bad_level_is_reported_at_once():
    with pytest.raises(ScoringInputError) as caught:
        score_levels(SPBE, {"I01": 7, "I02": "abc", "I03": 3})
    assert set(caught.value.problems) == {"I01", "I02"}


def test_pemdi_accepts_fractional_levels_exactly():
    result = score_levels(PEMDI, {"I01": 2.6, "I02": 2.6})
    assert result.groups["A1"] == Fraction("2.6")


@pytest.mark.parametrize(
    ("framework", "kind", "values", "bad"),
    [
        (SPBE, "domain", {"D5": 3}, "D5"),
        (SPBE, "aspect", {"A1": "5.5"}, "A1"),
        (SPBE, "aspect", {"A1": "x"}, "A1"),
        (PEMDI, "domain", {"D1": 3}, "domain"),
    ],
)
def test_score_group_values_rejects_bad_values_naming_the_code(framework, kind, values, bad):
    with pytest.raises(ScoringInputError) as caught:
        score_group_values(framework, kind, values)
    assert list(caught.value.problems) == [bad]


def test_as_dict_reports_the_displayed_index_and_predicate():
    row = score_levels(SPBE, SPBE_2592).as_dict("Kab. Contoh")
    reported = (row["agency"], row["framework"], row["index_display"], row["predicate"])
    assert reported == ("Kab. Contoh", "spbe-2020", "2.59", "Cukup")
    assert list(row["domains"]) == ["D1", "D2", "D3", "D4"]
    assert row["missing"] == []
