"""Roles and assessment statuses are named through evaluation/workflow.py (issue 15), never as quoted strings
in a comparison: `actor.role == "reviewer"`, `role in ("operator", "coordinator")`, `require_role(actor,
"admin")`, `assessment.status != "final"`. Only the enum module itself and the models' CHECK constraints
spell the stored strings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {"evaluation/workflow.py", "evaluation/models.py"}  # the enums; the CHECK constraints

ROLE = r'"(?:operator|coordinator|reviewer|admin)"'
STATUS = r'"(?:draft|submitted|in_review|returned|final)"'
# the status of an assessment (its row, its view, or a bare `status`); a unit's assignment (`held.status`)
# and a level's source ("final" or "self") have statuses of their own
ASSESSMENT_STATUS = r"(?:(?:assessment|view|Assessment)\.status\)?|(?<![.\w])status)"

ROLE_PATTERNS = [
    re.compile(rf"(?:==|!=)\s*{ROLE}"),
    re.compile(rf"{ROLE}\s*(?:==|!=)"),
    re.compile(rf"\bin\s*[(\[{{]\s*{ROLE}"),
    re.compile(rf"\.in_\(\s*[(\[{{]?\s*{ROLE}"),
    re.compile(rf"require_role\([^)]*{ROLE}"),
    re.compile(rf"roles=\([^)]*{ROLE}"),
]
STATUS_PATTERNS = [
    re.compile(rf"{ASSESSMENT_STATUS}\s*(?:==|!=)\s*{STATUS}"),
    re.compile(rf"{ASSESSMENT_STATUS}\s+(?:not\s+)?in\s*[(\[{{]\s*{STATUS}"),
]

# where roles are checked: everything the app runs; statuses: the pages, the services and the reports
# (the demo generator writes statuses as data)
ROLE_SCOPE = ["app.py", "app_pages", "evaluation"]
STATUS_SCOPE = ["app.py", "app_pages", "evaluation/services", "evaluation/reports"]


def sources(scope: list[str]) -> list[Path]:
    files: list[Path] = []
    for name in scope:
        path = ROOT / name
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return [f for f in files if f.relative_to(ROOT).as_posix() not in ALLOWED]


def literal_uses(patterns: list[re.Pattern[str]], scope: list[str]) -> list[str]:
    found = []
    for path in sources(scope):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            if any(p.search(code) for p in patterns):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


@pytest.mark.parametrize(
    "line",
    [
        'if actor.role == "reviewer":',
        'if "admin" != user.role:',
        'if actor.role not in ("operator", "coordinator"):',
        'if role in {"admin", "reviewer"}:',
        'query.where(col(User.role).in_(["coordinator"]))',
        'require_role(actor, "reviewer", "admin")',
        'notify_agency(session, roles=("coordinator",))',
    ],
)
def test_the_scan_recognises_a_quoted_role_in_a_comparison(line: str) -> None:
    assert any(p.search(line) for p in ROLE_PATTERNS)


@pytest.mark.parametrize(
    "line",
    [
        'if assessment.status != "final":',
        'if view.status in ("draft", "returned"):',
        '.where(col(Assessment.status) == "final")',
        'elif status == "in_review":',
    ],
)
def test_the_scan_recognises_a_quoted_assessment_status_in_a_comparison(line: str) -> None:
    assert any(p.search(line) for p in STATUS_PATTERNS)


@pytest.mark.parametrize(
    "line",
    [
        "if actor.role == Role.REVIEWER:",
        "if view.status in AGENCY_EDITABLE:",
        'if held.status == "returned":',  # a unit's assignment, not the assessment
        'if source == "final":',  # a level's source
        'kind="submitted"',  # a notification's kind
    ],
)
def test_the_scan_leaves_enum_members_and_other_vocabularies_alone(line: str) -> None:
    assert not any(p.search(line) for p in ROLE_PATTERNS + STATUS_PATTERNS)


def test_no_page_or_service_compares_a_role_with_a_quoted_name() -> None:
    assert literal_uses(ROLE_PATTERNS, ROLE_SCOPE) == []


def test_no_page_or_service_compares_an_assessment_status_with_a_quoted_name() -> None:
    assert literal_uses(STATUS_PATTERNS, STATUS_SCOPE) == []
