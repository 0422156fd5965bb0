"""Every user-facing text exists in Indonesian and English with the same placeholders, and the pages
use only keys that exist."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from evaluation.messages import MESSAGES, PARTS

ROOT = Path(__file__).resolve().parents[2]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_each_text_has_both_languages_with_the_same_placeholders(key):
    indonesian, english = MESSAGES[key]
    assert indonesian.strip() and english.strip()
    assert placeholders(indonesian) == placeholders(english)


def test_every_literal_key_the_app_asks_for_exists():
    used = set()
    for path in [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]:
        used |= set(re.findall(r'\bt\(\s*"([a-z_]+\.[a-z_0-9]+)"', path.read_text()))
    assert used, "no keys found: the pattern no longer matches the pages"
    assert sorted(used - MESSAGES.keys()) == []


def test_a_key_lives_in_exactly_one_part_so_that_none_is_silently_overridden():
    seen: dict[str, int] = {}
    for number, part in enumerate(PARTS):
        for key in part:
            assert key not in seen, f"{key} is in parts {seen[key]} and {number}"
            seen[key] = number
    assert len(seen) == len(MESSAGES)
