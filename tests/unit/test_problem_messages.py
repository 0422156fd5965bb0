"""Located problems speak in message ids (issue 15): no module that builds Excel or score-file problems
passes a ready sentence to `Problem`, `FileProblem` or `Wording`, every `pr.` key the code names is in the
`problems` catalogues, and every entry there is used. tests/unit/test_error_keys.py scans the same
modules' exceptions and `Message` calls."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from evaluation.i18n import LOCALE_DIR, known
from tests.unit.test_error_keys import COVERED, _is_text

ROOT = Path(__file__).resolve().parents[2]
PROBLEM_MODULES = [p for p in COVERED if "/excel_io/" in p or "/bulk/" in p or "scor" in p] + [
    "evaluation/services/reviewer_sheet.py",
    "evaluation/__main__.py",
]
KEY = re.compile(r"""["'](pr\.[a-z0-9_]+|up\.[a-z0-9_]+)["']""")
SOURCES = ["app.py", *(str(p.relative_to(ROOT)) for p in (ROOT / "app_pages").rglob("*.py"))] + [
    str(p.relative_to(ROOT)) for p in (ROOT / "evaluation").rglob("*.py")
]


def built_from_text(source: str) -> list[int]:
    """Lines where a Problem/FileProblem gets a literal text as its message, or a Wording literal texts."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name == "Problem" and len(node.args) >= 4 and _is_text(node.args[3]):
            lines.append(node.lineno)
        if name == "Problem" and len(node.args) > 4:  # the old (sheet, row, column, id, en) form
            lines.append(node.lineno)
        if name == "FileProblem" and len(node.args) >= 3 and _is_text(node.args[2]):
            lines.append(node.lineno)
        if name == "Wording" and any(_is_text(arg) for arg in node.args):
            lines.append(node.lineno)
    return sorted(set(lines))


@pytest.mark.parametrize("path", PROBLEM_MODULES)
def test_problems_are_built_from_message_ids_not_sentences(path):
    assert built_from_text((ROOT / path).read_text(encoding="utf-8")) == []


def test_the_scan_finds_a_sentence_given_to_a_problem():
    bad = """
Problem(sheet, 3, "F", "lembar kosong", "the sheet is empty")
Problem(sheet, 3, "F", f"'{raw}' is not a number")
FileProblem(2, "level", "level is empty")
Wording("Tingkat", "Level")
Problem(sheet, 3, "F", Message("pr.sheet_empty"))
"""
    assert built_from_text(bad) == [2, 3, 4, 5]


def used_keys() -> set[str]:
    found: set[str] = set()
    for path in SOURCES:
        found |= set(KEY.findall((ROOT / path).read_text(encoding="utf-8")))
    return found


def catalogue_keys() -> set[str]:
    text = (LOCALE_DIR / "id" / "LC_MESSAGES" / "problems.po").read_text(encoding="utf-8")
    return set(re.findall(r'^msgid "([^"]+)"', text, re.MULTILINE))


def test_every_problem_key_the_code_names_is_in_both_catalogues():
    missing = sorted(key for key in used_keys() if not (known(key, "id") and known(key, "en")))
    assert missing == []


def test_every_entry_of_the_problems_catalogue_is_used_by_the_code():
    assert sorted(catalogue_keys() - used_keys()) == []
