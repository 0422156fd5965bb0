"""The what-if through the bridge (evaluation/bridge.py): raising a founding indicator to level L supports
the official indicators it prepares up to L, never lowering them; the best path in founding terms."""

from __future__ import annotations

from fractions import Fraction
from itertools import product

import pytest

from evaluation import bridge
from evaluation.roadmap_math import threshold_for
from evaluation.scoring import score_levels
from indicators.loader import shipped_frameworks

FRAMEWORKS = shipped_frameworks()
FOUNDING = FRAMEWORKS["vision-to-evaluation"]
PEMDI = FRAMEWORKS["pemdi-2026"]
SPBE = FRAMEWORKS["spbe-2020"]


def flat(framework, level: float) -> dict[str, float]:
    return {ind.code: level for ind in framework.indicators}


# --- the links, read from the framework file ---------------------------------------------------------


def test_links_name_each_founding_indicator_with_its_official_codes():
    linked = bridge.links(FOUNDING, "pemdi-2026")
    assert linked["V08.2"] == ("I10", "I11", "I12")
    assert linked["V10.1"] == ("I03",)
    assert len(linked) == 22


def test_a_founding_indicator_without_spbe_links_is_left_out_of_the_spbe_bridge():
    assert "V02.2" not in bridge.links(FOUNDING, "spbe-2020")


def test_prepared_by_lists_every_founding_indicator_that_prepares_an_official_one():
    reverse = bridge.prepared_by(FOUNDING, PEMDI)
    assert reverse["I01"] == ("V01.1", "V01.2", "V03.1", "V03.2", "V06.1", "V06.2")
    assert "I06" not in reverse and "I07" not in reverse


@pytest.mark.parametrize(
    ("step", "moved"),
    [
        ("V08", ["I05", "I08", "I10", "I11", "I12", "I16", "I18"]),
        ("V10", ["I03", "I19"]),
        ("V05.1", ["I14"]),
        ("V03", ["I01", "I03"]),
    ],
)
def test_a_step_moves_the_official_indicators_its_founding_indicators_prepare(step, moved):
    assert bridge.moved_by_step(FOUNDING, PEMDI, step) == moved


def test_an_unknown_step_is_refused():
    with pytest.raises(KeyError):
        bridge.moved_by_step(FOUNDING, PEMDI, "V11")


# --- expected official levels: a table --------------------------------------------------------------

CASES = [
    # (official now, founding now, founding then) -> expected official levels of I10, I11, I12, I01
    pytest.param({}, {"V08.2": 2}, {"V08.2": 4}, {"I10": 4, "I11": 4, "I12": 4, "I01": 2}, id="raise-lifts"),
    pytest.param(
        {"I10": 5}, {"V08.2": 2}, {"V08.2": 4}, {"I10": 5, "I11": 4, "I12": 4, "I01": 2}, id="never-lowers"
    ),
    pytest.param({}, {"V08.2": 4}, {"V08.2": 4}, {"I10": 2, "I11": 2, "I12": 2, "I01": 2}, id="unchanged"),
    pytest.param({}, {"V08.2": 4}, {"V08.2": 3}, {"I10": 2, "I11": 2, "I12": 2, "I01": 2}, id="lowered"),
    pytest.param(
        {}, {"V08.2": None}, {"V08.2": 3}, {"I10": 3, "I11": 3, "I12": 3, "I01": 2}, id="from-nothing"
    ),
    pytest.param({}, {"V08.2": 2}, {"V08.2": None}, {"I10": 2, "I11": 2, "I12": 2, "I01": 2}, id="to-na"),
    pytest.param(
        {},
        {"V01.1": 1, "V06.2": 1},
        {"V01.1": 3, "V06.2": 4},
        {"I10": 2, "I11": 2, "I12": 2, "I01": 4},
        id="highest-raise-wins",
    ),
    pytest.param(
        {"I01": 1.5}, {"V01.1": 1}, {"V01.1": 2}, {"I10": 2, "I11": 2, "I12": 2, "I01": 2}, id="fractional"
    ),
]


@pytest.mark.parametrize(("official", "now", "then", "expected"), CASES)
def test_expected_official_levels(official, now, then, expected):
    levels = {**flat(PEMDI, 2.0), **official}
    result = bridge.BridgeMove(FOUNDING, PEMDI, levels, now, then).expected_levels()
    assert {code: result[code] for code in expected} == expected
    untouched = (
        set(PEMDI.indicator_by_code) - set(expected) - set(bridge.moved_by_step(FOUNDING, PEMDI, "V01"))
    )
    assert all(result[code] == levels[code] for code in untouched)


def test_an_official_code_absent_from_the_levels_stays_absent():
    levels = {code: 2.0 for code in ("I01", "I02")}
    assert bridge.BridgeMove(FOUNDING, PEMDI, levels, {"V08.2": 1}, {"V08.2": 5}).expected_levels() == levels


@pytest.mark.parametrize(("official_level", "then"), list(product([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])))
def test_the_expected_level_is_the_larger_of_the_official_level_and_the_raised_founding_one(
    official_level, then
):
    levels = flat(PEMDI, float(official_level))
    result = bridge.BridgeMove(FOUNDING, PEMDI, levels, {"V10.1": 1}, {"V10.1": then}).expected_levels()
    assert result["I03"] == max(official_level, then if then > 1 else official_level)


# --- the what-if and its index -----------------------------------------------------------------------


def test_the_what_if_scores_the_official_index_and_predicate_now_and_after():
    official = flat(PEMDI, 2.0)
    founding = flat(FOUNDING, 2.0)
    result = bridge.BridgeMove(FOUNDING, PEMDI, official, founding, {**founding, "V08.2": 4}).what_if()
    assert result.moved == {"I10": (2.0, 4.0), "I11": (2.0, 4.0), "I12": (2.0, 4.0)}
    assert result.now.index == Fraction(2)
    expected = score_levels(PEMDI, {**official, "I10": 4, "I11": 4, "I12": 4}).index
    assert result.then.index == expected and expected > 2
    assert result.then.predicate is not None and result.then.predicate.name == "Cukup"


def test_the_what_if_through_the_spbe_bridge_uses_spbe_codes():
    official = flat(SPBE, 1.0)
    founding = flat(FOUNDING, 1.0)
    result = bridge.BridgeMove(FOUNDING, SPBE, official, founding, {**founding, "V10.1": 3}).what_if()
    assert result.moved == {"I25": (1.0, 3.0)}


def test_a_what_if_that_raises_nothing_changes_nothing():
    official = {**flat(PEMDI, 3.0), "I05": 2.5}
    founding = flat(FOUNDING, 4.0)
    result = bridge.BridgeMove(FOUNDING, PEMDI, official, founding, founding).what_if()
    assert result.moved == {} and result.then.index == result.now.index


# --- the best path in founding terms -----------------------------------------------------------------


def test_the_best_path_reaches_baik_and_each_step_lifts_the_expected_index():
    official = flat(PEMDI, 2.0)
    founding = flat(FOUNDING, 2.0)
    goal, _strict = threshold_for(PEMDI, "Baik", "raw")
    path = bridge.best_founding_path(FOUNDING, PEMDI, official, founding, goal, max_steps_per_indicator=1)
    assert path
    assert path[-1].index_after >= goal
    assert all(step.gain > 0 and step.to_level == 3 for step in path)
    assert [s.index_after for s in path] == sorted(s.index_after for s in path)
    raised = {s.indicator: s.to_level for s in path}
    expected = bridge.BridgeMove(FOUNDING, PEMDI, official, founding, {**founding, **raised}).what_if()
    assert expected.then.index == path[-1].index_after  # the path agrees with the what-if


def test_the_best_path_is_empty_when_the_goal_is_already_reached():
    assert bridge.best_founding_path(FOUNDING, PEMDI, flat(PEMDI, 3), flat(FOUNDING, 1), Fraction(3)) == []


def test_the_best_path_is_none_when_the_founding_steps_cannot_reach_the_goal():
    """I06 and I07 are outside the bridge: with them at 1 an official 5 is out of reach."""
    official = {**flat(PEMDI, 4.0), "I06": 1.0, "I07": 1.0}
    assert bridge.best_founding_path(FOUNDING, PEMDI, official, flat(FOUNDING, 1), Fraction(5)) is None


def test_the_best_path_first_takes_the_step_with_the_largest_gain_per_level():
    official = flat(PEMDI, 1.0)
    founding = flat(FOUNDING, 1.0)
    path = bridge.best_founding_path(FOUNDING, PEMDI, official, founding, Fraction(11, 10))
    assert path is not None and len(path) == 1
    weights = {
        code: score_levels(PEMDI, {**official, **dict.fromkeys(targets, 2.0)}).index
        for code, targets in bridge.links(FOUNDING, "pemdi-2026").items()
    }
    assert path[0].index_after == max(weights.values())
    assert bridge.steps_first(path) == [FOUNDING.parent_of[path[0].indicator]]


def test_incomplete_official_levels_are_refused():
    with pytest.raises(ValueError):
        bridge.best_founding_path(FOUNDING, PEMDI, {"I01": 2}, flat(FOUNDING, 1), Fraction(3))
