"""The loader's error reporting: a broken framework file is refused, naming the place and the reason."""

from __future__ import annotations

import pytest
import yaml

from indicators.loader import (
    SHIPPED_DIR,
    FrameworkError,
    load_framework_file,
    parse_framework,
)

SOURCE = "spbe-2020.yaml"
SPBE_TEXT = (SHIPPED_DIR / SOURCE).read_text(encoding="utf-8")
PEMDI_TEXT = (SHIPPED_DIR / "pemdi-2026.yaml").read_text(encoding="utf-8")
BROKEN_YAML_LINE = "total_weight: 100"


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, f"{old!r} not in the shipped file"
    return text.replace(old, new, 1)


def edit(text: str, change) -> str:
    data = yaml.safe_load(text)
    change(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def drop_last_criterion_of_i11(data: dict) -> None:
    data["groups"][1]["groups"][0]["indicators"][0]["criteria"].pop()


def drop_english_of_a_criterion(data: dict) -> None:
    del data["groups"][0]["groups"][0]["indicators"][0]["criteria"][2]["en"]


def problems_of(text: str, source: str = SOURCE) -> FrameworkError:
    with pytest.raises(FrameworkError) as caught:
        parse_framework(text, source)
    return caught.value


@pytest.mark.parametrize("text", [SPBE_TEXT, PEMDI_TEXT], ids=["spbe-2020", "pemdi-2026"])
def test_the_unbroken_text_parses(text):
    assert parse_framework(text, SOURCE).indicators


BROKEN = {
    "invalid yaml": (
        replace_once(SPBE_TEXT, BROKEN_YAML_LINE, "total_weight: 100: 90"),
        f"line {SPBE_TEXT.splitlines().index(BROKEN_YAML_LINE) + 1}, column",
        "not valid YAML",
    ),
    "aspect weights no longer sum": (
        replace_once(SPBE_TEXT, "            weight: 2.5\n", "            weight: 2.4\n"),
        "group A2",
        "weights inside sum to 9.9, not its weight 10",
    ),
    "top weights no longer sum": (
        replace_once(SPBE_TEXT, "total_weight: 100", "total_weight: 90"),
        "groups",
        "not total_weight 90",
    ),
    "duplicated indicator code": (
        replace_once(SPBE_TEXT, "code: I12\n", "code: I11\n"),
        "groups",
        "code 'I11' is used 2 times",
    ),
    "duplicated indicator number": (
        replace_once(SPBE_TEXT, "number: 12\n", "number: 11\n"),
        "groups",
        "indicator number 11 is used 2 times",
    ),
    "criterion missing": (
        edit(SPBE_TEXT, drop_last_criterion_of_i11),
        "indicator I11.criteria",
        "found [1, 2, 3, 4]",
    ),
    "criterion without english": (
        edit(SPBE_TEXT, drop_english_of_a_criterion),
        "(I01).criteria[2].en",
        "Field required",
    ),
    "unknown scale": (
        replace_once(SPBE_TEXT, "scale: process", "scale: procss"),
        "indicator I01.scale",
        "unknown scale 'procss'",
    ),
    "gap between predicate bands": (
        replace_once(
            SPBE_TEXT, "min: 1.8, min_inclusive: true, max: 2.6", "min: 1.9, min_inclusive: true, max: 2.6"
        ),
        "predicate.bands",
        "gap or overlap between band 1",
    ),
    "predicate edge in two bands": (
        replace_once(SPBE_TEXT, "max: 1.8, max_inclusive: false", "max: 1.8, max_inclusive: true"),
        "predicate.bands",
        "both include 1.8",
    ),
    "pemdi predicate edge in two bands": (
        replace_once(PEMDI_TEXT, "min: 2.5, min_inclusive: false", "min: 2.5, min_inclusive: true"),
        "predicate.bands",
        "both include 2.5",
    ),
    "predicate edge in no band": (
        replace_once(SPBE_TEXT, "min: 1.8, min_inclusive: true", "min: 1.8, min_inclusive: false"),
        "predicate.bands",
        "neither includes 1.8",
    ),
    "national index band outside its range": (
        replace_once(
            PEMDI_TEXT,
            "{level: 5, min: 75, min_inclusive: false, max: 100,",
            "{level: 5, min: 75, min_inclusive: false, max: 90,",
        ),
        "indicator I05.national_index.bands",
        "the last band must end at 100",
    ),
    "unknown top-level key": (SPBE_TEXT + "colour: blue\n", "colour", "Extra inputs are not permitted"),
    "weight abc": (
        replace_once(SPBE_TEXT, "weight: 1.3", 'weight: "abc"'),
        "groups[0] (D1).groups[0] (A1).indicators[0] (I01).weight",
        "'abc' is not a number",
    ),
    "weight true": (
        replace_once(SPBE_TEXT, "weight: 1.3", "weight: true"),
        "(I01).weight",
        "not true/false",
    ),
    "unknown rounding rule": (
        replace_once(SPBE_TEXT, "rounding: round2", "rounding: round3"),
        "predicate.rounding",
        "round2",
    ),
    "not a mapping": ("- id: spbe-2020\n", "", "must hold a mapping"),
}


@pytest.mark.parametrize(("text", "place", "reason"), BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_file_is_refused_naming_the_place_and_the_reason(text, place, reason):
    error = problems_of(text)
    assert any(place in path and reason in message for path, message in error.problems), error.problems


@pytest.mark.parametrize("case", ["invalid yaml", "weight abc", "unknown scale", "not a mapping"])
def test_every_line_of_the_message_starts_with_the_source(case):
    lines = str(problems_of(BROKEN[case][0])).splitlines()
    assert lines and all(line.startswith(f"{SOURCE}: ") for line in lines)


def test_the_message_line_reads_source_path_and_reason():
    error = problems_of(replace_once(SPBE_TEXT, "scale: process", "scale: procss"))
    assert str(error) == f"{SOURCE}: indicator I01.scale: unknown scale 'procss' (known: process, service)"


def test_a_framework_error_is_a_value_error():
    assert issubclass(FrameworkError, ValueError)


def test_every_problem_is_reported_at_once():
    text = replace_once(SPBE_TEXT, "scale: process", "scale: procss")
    text = replace_once(text, "            weight: 2.5\n", "            weight: 2.4\n")
    paths = [path for path, _ in problems_of(text).problems]
    assert paths == ["group A2", "indicator I01.scale"]


def test_a_file_larger_than_the_limit_is_refused_before_parsing():
    error = problems_of(SPBE_TEXT + "#" * 2_000_001)
    assert "larger than 2 MB" in str(error)


def test_an_empty_file_is_refused():
    assert "must hold a mapping" in str(problems_of(""))


def test_a_loaded_file_is_reported_under_its_file_name(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(replace_once(SPBE_TEXT, "scale: process", "scale: procss"), encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(path)
    assert str(caught.value).startswith("broken.yaml: indicator I01.scale: ")


def test_a_missing_file_is_reported_as_unreadable(tmp_path):
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(tmp_path / "absent.yaml")
    assert "cannot be read" in str(caught.value)


def test_a_file_that_is_not_utf8_is_reported_as_unreadable(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes('name: "Évaluation"\n'.encode("latin-1"))
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(path)
    assert "cannot be read" in str(caught.value)


def test_a_content_change_changes_the_content_hash():
    original = parse_framework(SPBE_TEXT, SOURCE)
    renamed = parse_framework(replace_once(SPBE_TEXT, 'version: "2020.1"', 'version: "2020.2"'), SOURCE)
    assert original.content_hash != renamed.content_hash


def test_comments_and_layout_do_not_change_the_content_hash():
    original = parse_framework(SPBE_TEXT, SOURCE)
    commented = parse_framework("# another comment\n" + SPBE_TEXT, SOURCE)
    assert original.content_hash == commented.content_hash
