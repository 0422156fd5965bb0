"""Meta-tests over every shipped framework file, computed here from the raw YAML (independent of
`indicators.consistency`), plus each framework's structure as the regulation or reference prints it."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest
import yaml

from indicators.loader import load_framework_file, shipped_framework_paths

PATHS = shipped_framework_paths()


def exact(value) -> Fraction:
    return Fraction(str(value))


@cache
def raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def raw_by_id(framework_id: str) -> dict:
    return next(raw(p) for p in PATHS if raw(p)["id"] == framework_id)


def walk_groups(groups: list[dict], parent: str | None = None):
    """Yield (group, parent code) for every group, depth first."""
    for group in groups:
        yield group, parent
        yield from walk_groups(group.get("groups") or [], group["code"])


def indicators(data: dict) -> list[dict]:
    return [ind for group, _ in walk_groups(data["groups"]) for ind in group.get("indicators") or []]


def codes_of(items: list[dict]) -> list[str]:
    return [item["code"] for item in items]


per_file = pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)


def test_the_three_frameworks_are_shipped():
    assert sorted(raw(p)["id"] for p in PATHS) == ["pemdi-2026", "spbe-2020", "vision-to-evaluation"]


@per_file
def test_the_file_is_named_after_its_framework_id(path):
    assert path.stem == raw(path)["id"]


@per_file
def test_the_file_loads_without_problems(path):
    assert load_framework_file(path).id == raw(path)["id"]


@per_file
def test_every_group_and_indicator_code_is_unique(path):
    data = raw(path)
    codes = [g["code"] for g, _ in walk_groups(data["groups"])] + codes_of(indicators(data))
    assert [code for code, n in Counter(codes).items() if n > 1] == []


@per_file
def test_indicator_numbers_are_unique_and_run_from_one_in_order(path):
    numbers = [ind["number"] for ind in indicators(raw(path))]
    assert numbers == list(range(1, len(numbers) + 1))


@per_file
def test_the_children_of_every_group_sum_to_its_weight(path):
    wrong = {}
    for group, _ in walk_groups(raw(path)["groups"]):
        children = group.get("groups") or group.get("indicators")
        total = sum((exact(c["weight"]) for c in children), Fraction(0))
        if total != exact(group["weight"]):
            wrong[group["code"]] = (str(total), str(group["weight"]))
    assert wrong == {}


@per_file
def test_the_top_level_weights_sum_to_the_total_weight(path):
    data = raw(path)
    assert sum(exact(g["weight"]) for g in data["groups"]) == exact(data["total_weight"])


@per_file
def test_every_weight_is_above_zero(path):
    data = raw(path)
    weights = [g["weight"] for g, _ in walk_groups(data["groups"])] + [i["weight"] for i in indicators(data)]
    assert all(exact(w) > 0 for w in weights)


@per_file
def test_every_indicator_uses_a_declared_scale_of_levels_one_to_five(path):
    data = raw(path)
    for ind in indicators(data):
        assert [lv["level"] for lv in data["scales"][ind["scale"]]["levels"]] == [1, 2, 3, 4, 5], ind["code"]


@per_file
def test_every_indicator_has_exactly_five_criteria_for_levels_one_to_five(path):
    wrong = {ind["code"]: [c["level"] for c in ind["criteria"]] for ind in indicators(raw(path))}
    assert {code: levels for code, levels in wrong.items() if levels != [1, 2, 3, 4, 5]} == {}


@per_file
def test_every_criterion_is_written_in_both_languages_without_placeholders(path):
    bad = [
        (ind["code"], c["level"], lang)
        for ind in indicators(raw(path))
        for c in ind["criteria"]
        for lang in ("id", "en")
        if not str(c.get(lang) or "").strip() or "TODO" in str(c[lang]).upper()
    ]
    assert bad == []


@per_file
def test_every_name_is_given_in_both_languages(path):
    data = raw(path)
    items = [g for g, _ in walk_groups(data["groups"])] + indicators(data)
    assert [
        i["code"]
        for i in items
        if not str(i.get("name", "")).strip() or not str(i.get("name_en", "")).strip()
    ] == []


def edges_problems(bands: list[dict], low, high, *, closed_ends: bool) -> list[str]:
    """Bands run from low to high, each meeting the next with exactly one side inclusive."""
    problems = []
    if exact(bands[0]["min"]) != low or (closed_ends and not bands[0]["min_inclusive"]):
        problems.append(f"starts at {bands[0]['min']}")
    if exact(bands[-1]["max"]) != high or (closed_ends and not bands[-1]["max_inclusive"]):
        problems.append(f"ends at {bands[-1]['max']}")
    for left, right in pairwise(bands):
        if exact(left["min"]) >= exact(left["max"]):
            problems.append(f"empty band {left}")
        if exact(left["max"]) != exact(right["min"]):
            problems.append(f"gap or overlap at {left['max']}/{right['min']}")
        elif left["max_inclusive"] == right["min_inclusive"]:
            problems.append(f"edge {left['max']} counted twice or never")
    return problems


@per_file
def test_predicate_bands_cover_one_to_five_without_gaps_or_overlaps(path):
    assert edges_problems(raw(path)["predicate"]["bands"], 1, 5, closed_ends=True) == []


def band_contains(band: dict, x: Fraction) -> bool:
    lo, hi = exact(band["min"]), exact(band["max"])
    return (lo <= x if band["min_inclusive"] else lo < x) and (x <= hi if band["max_inclusive"] else x < hi)


@per_file
def test_every_index_from_one_to_five_falls_in_exactly_one_predicate_band(path):
    bands = raw(path)["predicate"]["bands"]
    edges = {exact(b[k]) for b in bands for k in ("min", "max")}
    points = {Fraction(n, 1000) for n in range(1000, 5001)} | edges
    assert [x for x in sorted(points) if sum(band_contains(b, x) for b in bands) != 1] == []


@per_file
def test_national_index_bands_run_in_level_order_without_gaps(path):
    problems = {}
    for ind in indicators(raw(path)):
        national = ind.get("national_index") or {}
        if national.get("bands"):
            bands = national["bands"]
            found = [b["level"] for b in bands] != [1, 2, 3, 4, 5]
            found = found or edges_problems(
                bands, exact(national["min"]), exact(national["max"]), closed_ends=False
            )
            if found:
                problems[ind["code"]] = found
    assert problems == {}


# --- spbe-2020: PermenPANRB 59/2020 as tabulated in SPBE.md ---

SPBE_DOMAINS = {"D1": "13", "D2": "25", "D3": "16.5", "D4": "45.5"}
SPBE_ASPECTS = {  # aspect: (domain, weight, first and last indicator number, weight of each indicator)
    "A1": ("D1", "13", 1, 10, "1.30"),
    "A2": ("D2", "10", 11, 14, "2.50"),
    "A3": ("D2", "10", 15, 18, "2.50"),
    "A4": ("D2", "5", 19, 20, "2.50"),
    "A5": ("D3", "12", 21, 28, "1.50"),
    "A6": ("D3", "4.5", 29, 31, "1.50"),
    "A7": ("D4", "27.5", 32, 41, "2.75"),
    "A8": ("D4", "18", 42, 47, "3.00"),
}


def test_spbe_has_four_domains_with_the_regulation_weights():
    data = raw_by_id("spbe-2020")
    assert {g["code"]: exact(g["weight"]) for g in data["groups"]} == {
        c: exact(w) for c, w in SPBE_DOMAINS.items()
    }


@pytest.mark.parametrize(("aspect", "row"), SPBE_ASPECTS.items())
def test_spbe_aspect_sits_in_its_domain_with_its_weight_and_indicators(aspect, row):
    domain, weight, first, last, each = row
    found = {g["code"]: (g, parent) for g, parent in walk_groups(raw_by_id("spbe-2020")["groups"])}
    group, parent = found[aspect]
    assert (parent, exact(group["weight"])) == (domain, exact(weight))
    assert codes_of(group["indicators"]) == [f"I{n:02d}" for n in range(first, last + 1)]
    assert {exact(ind["weight"]) for ind in group["indicators"]} == {exact(each)}


def test_spbe_has_47_indicators_i01_to_i47_in_order():
    assert codes_of(indicators(raw_by_id("spbe-2020"))) == [f"I{n:02d}" for n in range(1, 48)]


def test_spbe_process_scale_covers_i01_to_i31_and_service_scale_i32_to_i47():
    scales = [ind["scale"] for ind in indicators(raw_by_id("spbe-2020"))]
    assert scales == ["process"] * 31 + ["service"] * 16


# --- pemdi-2026: PermenPANRB 8/2026 as tabulated in PEMDI-2026.md ---

PEMDI_ASPECTS = {"A1": 10, "A2": 10, "A3": 15, "A4": 15, "A5": 10, "A6": 15, "A7": 25}
PEMDI_INDICATOR_WEIGHTS = [5, 5, 5, 5, 5, 3, 3, 4, 4, 4, 3, 4, 5, 5, 4, 4, 4, 3, 10, 15]


def test_pemdi_has_seven_aspects_with_the_regulation_weights():
    groups = raw_by_id("pemdi-2026")["groups"]
    assert {g["code"]: exact(g["weight"]) for g in groups} == {
        c: Fraction(w) for c, w in PEMDI_ASPECTS.items()
    }
    assert all("indicators" in g and "groups" not in g for g in groups)


def test_pemdi_has_20_indicators_with_the_regulation_weights():
    inds = indicators(raw_by_id("pemdi-2026"))
    assert codes_of(inds) == [f"I{n:02d}" for n in range(1, 21)]
    assert [exact(i["weight"]) for i in inds] == [Fraction(w) for w in PEMDI_INDICATOR_WEIGHTS]


def test_pemdi_indicator_13_weighs_five_as_in_the_main_table():
    assert exact(next(i for i in indicators(raw_by_id("pemdi-2026")) if i["code"] == "I13")["weight"]) == 5


@pytest.fixture(scope="module")
def pemdi():
    return load_framework_file(next(p for p in PATHS if p.stem == "pemdi-2026"))


@pytest.mark.parametrize(
    ("code", "index", "value", "level"),
    [
        ("I05", "SDI", "0", 1),
        ("I05", "SDI", "12.5", 1),
        ("I05", "SDI", "12.6", 2),
        ("I05", "SDI", "62.5", 3),
        ("I05", "SDI", "75", 4),
        ("I05", "SDI", "75.1", 5),
        ("I05", "SDI", "100", 5),
        ("I06", "SJIG", "1.5", 1),
        ("I06", "SJIG", "1.51", 2),
        ("I06", "SJIG", "4.0", 4),
        ("I06", "SJIG", "4.01", 5),
        ("I06", "SJIG", "1", None),
        ("I07", "IPS", "1.79", 1),
        ("I07", "IPS", "1.8", 2),
        ("I07", "IPS", "3.49", 3),
        ("I07", "IPS", "4.2", 5),
        ("I07", "IPS", "5", 5),
    ],
)
def test_pemdi_national_index_value_proposes_the_documented_level(pemdi, code, index, value, level):
    national = pemdi.indicator_by_code[code].national_index
    assert national.name == index
    assert national.proposed_level(Fraction(value)) == level


# --- vision-to-evaluation: VISION-TO-EVALUATION.md ---

VISION_INDICATORS = {f"V{d:02d}": 3 if d in (5, 8) else 2 for d in range(1, 11)}


def test_vision_has_ten_domains_of_ten_percent_each():
    groups = raw_by_id("vision-to-evaluation")["groups"]
    assert {g["code"]: exact(g["weight"]) for g in groups} == {
        f"V{d:02d}": Fraction(10) for d in range(1, 11)
    }


def test_vision_has_the_22_indicators_of_the_reference():
    expected = [f"{domain}.{n}" for domain, count in VISION_INDICATORS.items() for n in range(1, count + 1)]
    assert len(expected) == 22
    assert codes_of(indicators(raw_by_id("vision-to-evaluation"))) == expected


def test_vision_domains_share_their_weight_equally_among_their_indicators():
    groups = raw_by_id("vision-to-evaluation")["groups"]
    shares = {g["code"]: {exact(i["weight"]) for i in g["indicators"]} for g in groups}
    assert shares == {code: {Fraction(10, n)} for code, n in VISION_INDICATORS.items()}


def test_vision_predicate_bands_are_those_of_spbe():
    assert (
        raw_by_id("vision-to-evaluation")["predicate"]["bands"]
        == raw_by_id("spbe-2020")["predicate"]["bands"]
    )
