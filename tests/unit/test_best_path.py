"""The best path to a target index: the fewest one-level steps, largest gains first.

Small frameworks built here (parsed from YAML text, like a framework file) let every combination of
level raises be enumerated, so the step count is checked against brute force, not against itself.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest

from evaluation.roadmap_math import Step, best_path, index_after, threshold_for
from evaluation.scoring import score_levels
from indicators.loader import parse_framework, shipped_frameworks

SPBE = shipped_frameworks()["spbe-2020"]
PEMDI = shipped_frameworks()["pemdi-2026"]
VISION = shipped_frameworks()["vision-to-evaluation"]

SPBE_BANDS = """
  rounding: round2
  bands:
    - {name: Kurang, name_en: Poor, min: 1, min_inclusive: true, max: 1.8, max_inclusive: false}
    - {name: Cukup, name_en: Fair, min: 1.8, min_inclusive: true, max: 2.6, max_inclusive: false}
    - {name: Baik, name_en: Good, min: 2.6, min_inclusive: true, max: 3.5, max_inclusive: false}
    - {name: Sangat Baik, name_en: Very good, min: 3.5, min_inclusive: true, max: 4.2, max_inclusive: false}
    - {name: Memuaskan, name_en: Excellent, min: 4.2, min_inclusive: true, max: 5, max_inclusive: true}
"""
PEMDI_BANDS = """
  rounding: raw
  bands:
    - {name: Kurang, name_en: Poor, min: 1, min_inclusive: true, max: 1.5, max_inclusive: true}
    - {name: Cukup, name_en: Fair, min: 1.5, min_inclusive: false, max: 2.5, max_inclusive: true}
    - {name: Baik, name_en: Good, min: 2.5, min_inclusive: false, max: 3.5, max_inclusive: true}
    - {name: Sangat Baik, name_en: Very good, min: 3.5, min_inclusive: false, max: 4.0, max_inclusive: true}
    - {name: Memuaskan, name_en: Excellent, min: 4.0, min_inclusive: false, max: 5, max_inclusive: true}
"""


def small_framework(framework_id: str, aspects: dict[str, dict[str, str]], bands: str, na: bool = False):
    """A one-layer framework (aspects of indicators, scale 1-5) written as framework-file text and parsed."""
    scale_levels = "".join(
        f"      - {{level: {n}, name: L{n}, name_en: L{n}, description: T{n}, description_en: T{n}}}\n"
        for n in range(1, 6)
    )
    criteria = "".join(f"          - {{level: {n}, id: K{n}, en: C{n}}}\n" for n in range(1, 6))
    groups, number = "", 0
    for code, indicators in aspects.items():
        weight = sum(Fraction(w) for w in indicators.values())
        groups += f"  - code: {code}\n    name: {code}\n    name_en: {code}\n    weight: '{weight}'\n"
        groups += "    indicators:\n"
        for indicator, w in indicators.items():
            number += 1
            groups += (
                f"      - code: {indicator}\n        number: {number}\n        name: {indicator}\n"
                f"        name_en: {indicator}\n        weight: '{w}'\n        scale: s\n"
                f"        criteria:\n{criteria}"
            )
    renormalise = "\n  renormalise: parent" if na else ""
    text = f"""
id: {framework_id}
version: "1"
name: {framework_id}
name_en: {framework_id}
effective_years: {{from: 2020}}
hierarchy: [aspect]
total_weight: 100
not_applicable:
  allowed: {"true" if na else "false"}{renormalise}
predicate:{bands}
scales:
  s:
    name: Skala
    name_en: Scale
    levels:
{scale_levels}
groups:
{groups}"""
    return parse_framework(text, source=f"{framework_id}.yaml")


# Two aspects of unequal weight; two indicators share a weight (ties), gains differ otherwise.
TWO_ASPECTS = small_framework(
    "two-aspects",
    {"P": {"P1": "25", "P2": "15"}, "L": {"L1": "35", "L2": "25"}},
    SPBE_BANDS,
)
# Pemdi-style strict bands, weights in thirds, and 'not applicable' allowed (shared within the aspect).
STRICT_THIRDS = small_framework(
    "strict-thirds",
    {"A": {"X1": "10/3", "X2": "20/3", "X3": "20"}, "B": {"X4": "70"}},
    PEMDI_BANDS,
    na=True,
)
CASES = 200


def brute_force_minimum(framework, levels, goal, *, strict, not_applicable=(), cap=None) -> int | None:
    """Every combination of raises per applicable indicator: the fewest steps that reach the goal."""
    codes = [i.code for i in framework.indicators if i.code not in not_applicable]
    rooms = [min(5 - levels[c], 5 if cap is None else cap) for c in codes]
    best = None
    for raises in itertools.product(*(range(r + 1) for r in rooms)):
        steps = sum(raises)
        if best is not None and steps >= best:
            continue
        raised = {**levels, **{c: levels[c] + r for c, r in zip(codes, raises, strict=True)}}
        index = score_levels(framework, raised, not_applicable=not_applicable).index
        assert index is not None
        if index > goal if strict else index >= goal:
            best = steps
    return best


def index_with(framework, levels, steps, not_applicable=()) -> Fraction:
    raised = dict(levels)
    for step in steps:
        raised[step.indicator] = step.to_level
    index = score_levels(framework, raised, not_applicable=not_applicable).index
    assert index is not None
    return index


def random_case(rng: random.Random, framework, *, with_na: bool):
    """Start levels, a target (often exactly a reachable index: the boundary), strictness, cap, N/A."""
    levels = {i.code: rng.randint(1, 5) for i in framework.indicators}
    codes = list(levels)
    na = tuple(rng.sample(codes, 1)) if with_na and rng.random() < 0.5 else ()
    cap = rng.choice([None, None, 1, 2])
    if rng.random() < 0.5:
        raised = {c: rng.randint(levels[c], 5) for c in codes}
        goal = score_levels(framework, raised, not_applicable=na).index
    else:
        goal = Fraction(rng.randint(100, 500), 100)
    return levels, goal, rng.random() < 0.5, cap, na


def generated_cases(seed: int):
    rng = random.Random(seed)
    for n in range(CASES):
        framework = TWO_ASPECTS if n % 2 else STRICT_THIRDS
        yield framework, *random_case(rng, framework, with_na=framework is STRICT_THIRDS)


ALL_CASES = list(generated_cases(2024))


def path_of(case):
    framework, levels, goal, strict, cap, na = case
    return best_path(framework, levels, goal, strict=strict, not_applicable=na, max_steps_per_indicator=cap)


# --- proven optimal against brute force ------------------------------------------------------------


def test_the_best_path_takes_the_fewest_steps_any_combination_of_raises_needs():
    mismatches = []
    for case in ALL_CASES:
        framework, levels, goal, strict, cap, na = case
        path = path_of(case)
        minimum = brute_force_minimum(framework, levels, goal, strict=strict, not_applicable=na, cap=cap)
        if minimum is not None and (path is None or len(path) != minimum):
            mismatches.append((framework.id, levels, goal, strict, cap, na, path and len(path), minimum))
    assert mismatches == []


def test_the_best_path_is_none_exactly_when_no_combination_of_raises_reaches_the_target():
    mismatches = []
    for case in ALL_CASES:
        framework, levels, goal, strict, cap, na = case
        minimum = brute_force_minimum(framework, levels, goal, strict=strict, not_applicable=na, cap=cap)
        if (path_of(case) is None) != (minimum is None):
            mismatches.append((framework.id, levels, goal, strict, cap, na, minimum))
    assert mismatches == []


def test_the_cases_cover_reachable_unreachable_strict_capped_and_not_applicable_targets():
    paths = [(case, path_of(case)) for case in ALL_CASES]
    assert sum(p is None for _, p in paths) >= 20
    assert sum(p is not None and len(p) > 0 for _, p in paths) >= 50
    assert sum(p == [] for _, p in paths) >= 5
    assert sum(c[3] and p is not None for c, p in paths) >= 20
    assert sum(c[4] is not None for c, _ in paths) >= 40
    assert sum(bool(c[5]) for c, _ in paths) >= 20


def test_the_index_after_the_best_path_reaches_the_target():
    for case in ALL_CASES:
        framework, levels, goal, strict, _cap, na = case
        path = path_of(case)
        if path is None or na:
            continue
        index = index_after(framework, levels, path)
        assert index is not None
        assert index > goal if strict else index >= goal


def test_the_best_path_with_not_applicable_indicators_reaches_the_target_once_they_are_left_out():
    for case in ALL_CASES:
        framework, levels, goal, strict, _cap, na = case
        path = path_of(case)
        if path is None or not na:
            continue
        index = index_with(framework, levels, path, na)
        assert index > goal if strict else index >= goal


def test_a_strict_target_at_a_reachable_index_needs_more_than_reaching_it():
    # From all 2: two steps on L1 (0.35 each) reach 2.7 exactly; nothing in two steps goes above it.
    levels = {"P1": 2, "P2": 2, "L1": 2, "L2": 2}
    inclusive = best_path(TWO_ASPECTS, levels, Fraction("2.7"))
    strict = best_path(TWO_ASPECTS, levels, Fraction("2.7"), strict=True)
    assert inclusive is not None and strict is not None
    assert (len(inclusive), len(strict)) == (2, 3)
    assert index_after(TWO_ASPECTS, levels, strict) > Fraction("2.7")


# --- the shape of a path ------------------------------------------------------------------------------


def test_the_steps_are_ordered_by_gain_largest_first():
    for case in ALL_CASES:
        path = path_of(case) or []
        gains = [step.gain for step in path]
        assert gains == sorted(gains, reverse=True)


def test_each_step_raises_one_indicator_by_one_level_from_where_the_last_left_it():
    for case in ALL_CASES:
        _framework, levels, *_ = case
        reached = dict(levels)
        for step in path_of(case) or []:
            assert (step.from_level, step.to_level) == (reached[step.indicator], reached[step.indicator] + 1)
            reached[step.indicator] = step.to_level


def test_no_step_passes_the_scale_maximum():
    for case in ALL_CASES:
        framework = case[0]
        for step in path_of(case) or []:
            assert step.to_level <= framework.scale_of(framework.indicator_by_code[step.indicator]).maximum


def test_no_indicator_takes_more_steps_than_the_cap():
    for case in ALL_CASES:
        cap = case[4]
        if cap is None:
            continue
        counts: dict[str, int] = {}
        for step in path_of(case) or []:
            counts[step.indicator] = counts.get(step.indicator, 0) + 1
        assert max(counts.values(), default=0) <= cap


def test_each_step_gain_is_the_exact_rise_of_the_index():
    levels = {"P1": 1, "P2": 4, "L1": 2, "L2": 3}
    path = best_path(TWO_ASPECTS, levels, 4)
    assert path is not None
    before = score_levels(TWO_ASPECTS, levels).index
    for n, step in enumerate(path):
        after = index_after(TWO_ASPECTS, levels, path[: n + 1])
        assert after - before == step.gain
        before = after


def test_a_target_already_reached_needs_no_step():
    assert best_path(TWO_ASPECTS, {"P1": 4, "P2": 4, "L1": 4, "L2": 4}, Fraction(4)) == []


def test_a_strict_target_equal_to_the_current_index_needs_a_step():
    path = best_path(TWO_ASPECTS, {"P1": 4, "P2": 4, "L1": 4, "L2": 4}, Fraction(4), strict=True)
    assert path == [Step("L1", 4, 5, Fraction(35, 100))]


def test_a_target_above_the_scale_has_no_path():
    assert best_path(TWO_ASPECTS, {"P1": 1, "P2": 1, "L1": 1, "L2": 1}, 5, strict=True) is None


def test_a_float_target_is_read_as_its_decimal():
    # 2.6 as a float is just below 13/5; read as the decimal 2.6 it needs the step that reaches 2.6 exactly.
    levels = {"P1": 2, "P2": 2, "L1": 3, "L2": 3}  # 2.6 exactly
    assert score_levels(TWO_ASPECTS, levels).index == Fraction(13, 5)
    assert best_path(TWO_ASPECTS, levels, 2.6) == []
    assert best_path(TWO_ASPECTS, levels, 2.6, strict=True) is not None


def test_levels_missing_for_an_applicable_indicator_are_refused():
    with pytest.raises(ValueError, match="levels missing for L2"):
        best_path(TWO_ASPECTS, {"P1": 1, "P2": 1, "L1": 1}, 3)


# --- on the real spbe-2020 framework ------------------------------------------------------------------

SPBE_ALL_3 = {i.code: 3 for i in SPBE.indicators}
SERVICES = [f"I{n}" for n in range(42, 48)]  # Layanan Publik: weight 3.00 each, the largest
ADMINISTRATION = [f"I{n}" for n in range(32, 42)]  # Layanan Administrasi: 2.75 each, the next largest


def test_spbe_from_all_3_the_first_steps_are_on_public_services_at_the_largest_gain():
    path = best_path(SPBE, SPBE_ALL_3, 3.5)
    assert path is not None
    first = path[:12]
    assert {step.indicator for step in first} == set(SERVICES)
    assert {step.gain for step in first} == {Fraction(3, 100)}


def test_spbe_from_all_3_after_public_services_reach_5_the_steps_move_to_administration_services():
    path = best_path(SPBE, SPBE_ALL_3, 3.5)
    assert path is not None
    assert {step.indicator for step in path[12:]} <= set(ADMINISTRATION)
    assert {step.gain for step in path[12:]} == {Fraction(275, 10_000)}


def test_spbe_from_all_3_to_3_5_takes_the_fewest_steps_18():
    # I42-I47 can each rise two levels (3 -> 5): 12 steps of 0.03 = 0.36. The remaining 0.14 needs
    # 6 steps of 0.0275 (5 give 0.1375). No 17 steps do: the 17 largest gains sum to 0.4975 < 0.5.
    all_gains = sorted(
        (Fraction(i.weight, 100) for i in SPBE.indicators for _ in range(2)),
        reverse=True,
    )
    assert sum(all_gains[:17]) == Fraction("0.4975")
    assert sum(all_gains[:18]) >= Fraction("0.5")
    path = best_path(SPBE, SPBE_ALL_3, 3.5)
    assert path is not None and len(path) == 18
    assert index_after(SPBE, SPBE_ALL_3, path) == Fraction("3.525")


def test_spbe_the_path_to_baik_stops_at_the_rounded_threshold():
    levels = {i.code: 2 for i in SPBE.indicators}
    threshold, strict = threshold_for(SPBE, "Baik")
    path = best_path(SPBE, levels, threshold, strict=strict)
    assert path is not None
    reached = index_after(SPBE, levels, path)
    assert reached is not None and reached >= Fraction("2.595")
    assert reached - path[-1].gain < Fraction("2.595")


# --- not applicable indicators (vision-to-evaluation allows them) --------------------------------------

VISION_ALL_3 = {i.code: 3 for i in VISION.indicators}


def test_a_not_applicable_indicator_is_never_stepped():
    levels = {c: v for c, v in VISION_ALL_3.items() if c != "V01.1"}
    path = best_path(VISION, levels, 5, not_applicable=["V01.1"])
    assert path is not None
    assert "V01.1" not in {step.indicator for step in path}
    assert len(path) == 2 * (len(VISION.indicators) - 1)


def test_a_step_on_the_sibling_of_a_not_applicable_indicator_gains_its_share_too():
    # V01 weighs 10 (V01.1 and V01.2, 5 each): alone in its aspect, V01.2 carries the whole 10.
    na_path = best_path(VISION, VISION_ALL_3, 5, not_applicable=["V01.1"])
    plain_path = best_path(VISION, VISION_ALL_3, 5)
    assert na_path is not None and plain_path is not None
    na_gain = {step.gain for step in na_path if step.indicator == "V01.2"}
    plain_gain = {step.gain for step in plain_path if step.indicator == "V01.2"}
    assert (na_gain, plain_gain) == ({Fraction(1, 10)}, {Fraction(1, 20)})


def test_the_sibling_of_a_not_applicable_indicator_is_stepped_first():
    path = best_path(VISION, VISION_ALL_3, Fraction("3.2"), not_applicable=["V01.1"])
    assert path is not None
    assert [step.indicator for step in path[:2]] == ["V01.2", "V01.2"]


def test_the_index_after_a_path_with_not_applicable_indicators_can_be_computed():
    levels = {c: v for c, v in VISION_ALL_3.items() if c != "V01.1"}
    path = best_path(VISION, levels, Fraction("3.2"), not_applicable=["V01.1"])
    assert path is not None
    assert index_after(VISION, levels, path, not_applicable=["V01.1"]) == index_with(
        VISION, levels, path, ["V01.1"]
    )


# --- fractional levels (pemdi-2026 allows them) ---------------------------------------------------------


def test_from_fractional_pemdi_levels_the_best_path_takes_the_fewest_steps():
    levels = {i.code: 2.5 for i in PEMDI.indicators}
    path = best_path(PEMDI, levels, 4)
    # Every indicator to 4 (one half step and one whole step each) reaches 4.0 in 40 steps.
    assert path is not None and len(path) <= 40
    assert all(step.from_level == levels[step.indicator] for step in path[:1])
