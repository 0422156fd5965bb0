"""Meta-tests on the bridge: every founding (vision-to-evaluation) indicator declares the official
indicators it prepares, and every declared code exists in the shipped framework it names. Computed from
the raw YAML, independent of the loader."""

from __future__ import annotations

from functools import cache

import pytest
import yaml

from indicators.loader import SHIPPED_DIR, parse_framework

FOUNDING = SHIPPED_DIR / "vision-to-evaluation.yaml"


@cache
def raw(framework_id: str) -> dict:
    return yaml.safe_load((SHIPPED_DIR / f"{framework_id}.yaml").read_text(encoding="utf-8"))


def codes(framework_id: str) -> set[str]:
    found: set[str] = set()

    def walk(groups: list[dict]) -> None:
        for group in groups:
            walk(group.get("groups") or [])
            found.update(ind["code"] for ind in group.get("indicators") or [])

    walk(raw(framework_id)["groups"])
    return found


def founding_indicators() -> list[dict]:
    return [ind for group in raw("vision-to-evaluation")["groups"] for ind in group["indicators"]]


@pytest.mark.parametrize("indicator", founding_indicators(), ids=lambda i: i["code"])
def test_every_founding_indicator_prepares_at_least_one_pemdi_2026_indicator(indicator):
    assert indicator.get("prepares", {}).get("pemdi-2026"), indicator["code"]


@pytest.mark.parametrize("indicator", founding_indicators(), ids=lambda i: i["code"])
def test_every_bridged_code_exists_in_the_shipped_framework_it_names(indicator):
    for framework_id, targets in indicator["prepares"].items():
        assert framework_id in {"pemdi-2026", "spbe-2020"}, framework_id
        unknown = set(targets) - codes(framework_id)
        assert not unknown, f"{indicator['code']} -> {framework_id}: {sorted(unknown)}"
        assert len(targets) == len(set(targets)), f"{indicator['code']}: a code named twice"


def test_the_bridge_reaches_most_of_the_official_index():
    """The founding steps prepare 18 of pemdi-2026's 20 indicators; geospatial information (I06) and
    statistics (I07) are outside the ten steps (README: the bridge and its limits)."""
    reached = {code for ind in founding_indicators() for code in ind["prepares"]["pemdi-2026"]}
    assert codes("pemdi-2026") - reached == {"I06", "I07"}


def test_a_bridged_code_that_does_not_exist_fails_the_check():
    """The check above can fail: a file naming I99 is caught by the same comparison."""
    broken = FOUNDING.read_text(encoding="utf-8").replace("pemdi-2026: [I01]", "pemdi-2026: [I99]", 1)
    parsed = parse_framework(broken)  # the loader accepts it (a file is parsed on its own) ...
    bad = [
        code
        for ind in parsed.indicators
        for code in ind.prepares.get("pemdi-2026", [])
        if code not in codes("pemdi-2026")
    ]
    assert bad == ["I99"]  # ... and the meta-test's comparison finds it


def test_the_bridge_is_part_of_the_content_so_it_changed_the_version():
    data = raw("vision-to-evaluation")
    assert data["version"] == "2.0"
    assert data["effective_years"]["from"] == 2024
