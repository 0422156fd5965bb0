"""Errors carry a message id, never a ready sentence (issue 15): an AST scan of the covered modules fails on
an exception built from a string that is not a catalogue key (an "Indonesian. / English." sentence, an
f-string, a concatenation, an English-only text), on a `Message("...")` whose key no catalogue has, and on
a function returning a sentence with " / " in it.

Helpers converting other modules append their paths to COVERED."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from evaluation.i18n import known

ROOT = Path(__file__).resolve().parents[2]

COVERED: list[str] = [
    # W2: the workflow services
    "evaluation/services/review.py",
    "evaluation/services/review_queue.py",
    "evaluation/services/reviewers.py",
    "evaluation/services/reviewer_sheet.py",
    "evaluation/services/reviewer_roster.py",
    "evaluation/services/self_assessment.py",
    "evaluation/services/assessment_state.py",
    "evaluation/services/assessment_view.py",
    "evaluation/services/score_versions.py",
    "evaluation/services/delegation.py",
    "evaluation/services/delegation_flow.py",
    "evaluation/services/threads.py",
    "evaluation/services/periods.py",
    "evaluation/services/period_schedule.py",
    "evaluation/services/agency_admin.py",
    "evaluation/services/agencies.py",
    "evaluation/services/stage_rules.py",
    "evaluation/services/stage_minutes.py",
    "evaluation/services/objections.py",
    "evaluation/services/objection_reads.py",
    "evaluation/services/recommendations/__init__.py",
    "evaluation/services/recommendations/export.py",
    "evaluation/services/recommendations/followup.py",
    "evaluation/services/recommendations/overview.py",
    "evaluation/services/recommendations/reads.py",
    "evaluation/services/recommendations/reminders.py",
    "evaluation/services/recommendations/rules.py",
    "evaluation/services/recommendations/writes.py",
    "evaluation/services/evidence.py",
    "evaluation/services/evidence_puts.py",
    "evaluation/services/notifications.py",
    "evaluation/services/notification_email.py",
    "evaluation/services/deadline_reminders.py",
    "evaluation/services/text_rules.py",
    "evaluation/services/actors.py",
    "evaluation/services/audit_fields.py",
    # W3: admin, roadmap, account and storage services, reports and every command-line module
    "evaluation/services/roadmap/__init__.py",
    "evaluation/services/roadmap/activities.py",
    "evaluation/services/roadmap/edits.py",
    "evaluation/services/roadmap/levels.py",
    "evaluation/services/roadmap/observed.py",
    "evaluation/services/roadmap/targets.py",
    "evaluation/services/users.py",
    "evaluation/services/passwords.py",
    "evaluation/services/mfa.py",
    "evaluation/services/auth.py",
    "evaluation/services/auth_throttle.py",
    "evaluation/services/sessions.py",
    "evaluation/services/programmes.py",
    "evaluation/services/programme_admin.py",
    "evaluation/services/trends.py",
    "evaluation/services/results.py",
    "evaluation/services/gaps.py",
    "evaluation/services/comparison.py",
    "evaluation/services/rollups.py",
    "evaluation/services/dashboard.py",
    "evaluation/services/frameworks.py",
    "evaluation/services/bridge_levels.py",
    "evaluation/services/scoring_cache.py",
    "evaluation/services/audit.py",
    "evaluation/services/audit_chain.py",
    "evaluation/storage.py",
    "evaluation/s3_store.py",
    "evaluation/score_cli.py",
    "evaluation/services/agency_checks.py",
    "evaluation/charts/hover.py",
    "evaluation/scoring/batch.py",
    "evaluation/scoring/not_applicable.py",
    "evaluation/scoring/plan.py",
    "evaluation/services/scoring_store.py",
    "evaluation/services/gap_totals.py",
    "evaluation/backup.py",
    "evaluation/bench.py",
    "evaluation/services/assessment_lock.py",
    "evaluation/evidence_checks.py",
    "evaluation/filetypes.py",
    "evaluation/reports/__init__.py",
    "evaluation/reports/agency_data.py",
    "evaluation/reports/agency_pdf.py",
    "evaluation/reports/cli.py",
    "evaluation/reports/minute_pdf.py",
    "evaluation/reports/national.py",
    "evaluation/reports/pdf_base.py",
    "evaluation/reports/programme_pdf.py",
    "evaluation/reports/recommendation_section.py",
    "evaluation/__main__.py",
    "evaluation/export_cli.py",
    "evaluation/admin_cli.py",
    "evaluation/evidence_cli.py",
    "evaluation/programme_cli.py",
    "evaluation/period_cli.py",
    "evaluation/reviewer_cli.py",
    "evaluation/notify_cli.py",
    "evaluation/cli_output.py",
    # W4: Excel problems, file checks, the score file and the scoring's input errors
    "evaluation/excel_io/cells.py",
    "evaluation/excel_io/guard.py",
    "evaluation/excel_io/lengths.py",
    "evaluation/excel_io/limits.py",
    "evaluation/excel_io/provenance.py",
    "evaluation/excel_io/reader.py",
    "evaluation/excel_io/table.py",
    "evaluation/excel_io/writer.py",
    "evaluation/excel_io/xml_scan.py",
    "evaluation/excel_io/cell_refs.py",
    "evaluation/services/bulk/activities_sheet.py",
    "evaluation/services/bulk/agencies_sheet.py",
    "evaluation/services/bulk/assessment_conflicts.py",
    "evaluation/services/bulk/assessment_context.py",
    "evaluation/services/bulk/assessment_file.py",
    "evaluation/services/bulk/assessment_import.py",
    "evaluation/services/bulk/assessment_plan.py",
    "evaluation/services/bulk/assessment_rows.py",
    "evaluation/services/bulk/assessment_sheet.py",
    "evaluation/services/bulk/imports.py",
    "evaluation/services/bulk/keyed_import.py",
    "evaluation/services/bulk/keyed_three_way.py",
    "evaluation/services/bulk/national_matrix.py",
    "evaluation/services/bulk/plan.py",
    "evaluation/services/bulk/published_plan.py",
    "evaluation/services/bulk/published_results.py",
    "evaluation/services/bulk/targets_checks.py",
    "evaluation/services/bulk/targets_sheet.py",
    "evaluation/score_file.py",
    "evaluation/scoring/values.py",
    "evaluation/scoring/levels.py",
    "evaluation/scoring/published.py",
    # W7: every other module of evaluation/
    "evaluation/__init__.py",
    "evaluation/bootstrap.py",
    "evaluation/bridge.py",
    "evaluation/charts/__init__.py",
    "evaluation/charts/comparison.py",
    "evaluation/charts/figures.py",
    "evaluation/charts/gap.py",
    "evaluation/charts/programme.py",
    "evaluation/charts/recommendations.py",
    "evaluation/charts/roadmap.py",
    "evaluation/charts/trend.py",
    "evaluation/data_version.py",
    "evaluation/db.py",
    "evaluation/db_roles.py",
    "evaluation/demo/__init__.py",
    "evaluation/demo/data.py",
    "evaluation/demo/programme.py",
    "evaluation/demo/recommendations.py",
    "evaluation/demo/reviewers.py",
    "evaluation/demo/schedule.py",
    "evaluation/demo/targets.py",
    "evaluation/excel_io/__init__.py",
    "evaluation/formats.py",
    "evaluation/models.py",
    "evaluation/readiness.py",
    "evaluation/roadmap_math.py",
    "evaluation/scoring/__init__.py",
    "evaluation/services/__init__.py",
    "evaluation/services/bulk/__init__.py",
    "evaluation/settings.py",
    "evaluation/translatable.py",
    "evaluation/workflow.py",
]
NOT_COVERED = {
    # the catalogue lookup itself: its KeyError for an unknown language cannot come from the catalogue
    "evaluation/i18n.py",
}

KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
ERROR_SUFFIXES = (
    "Error",
    "Denied",
    "NotFound",
    "InvalidInput",
    "Closed",
    "Conflict",
    "Refused",
    "Unavailable",
)
ERROR_PREFIXES = ("Stale", "Incomplete")


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_error(name: str) -> bool:
    return name.endswith(ERROR_SUFFIXES) or name.startswith(ERROR_PREFIXES)


def _is_text(node: ast.expr) -> bool:
    """A literal text: a string, an f-string, or a concatenation or conditional with one in it."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.IfExp):
        return _is_text(node.body) or _is_text(node.orelse)
    return False


def _keys(node: ast.expr) -> list[str] | None:
    """The catalogue keys a literal argument names (both branches of a conditional), None when it is text
    that is no key."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if KEY.match(node.value) else None
    if isinstance(node, ast.IfExp):
        body, orelse = _keys(node.body), _keys(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def _sentence(node: ast.expr) -> bool:
    """A string literal or f-string with " / " in its literal parts (an "Indonesian / English" pair)."""
    parts = node.values if isinstance(node, ast.JoinedStr) else [node]
    return any(isinstance(p, ast.Constant) and isinstance(p.value, str) and " / " in p.value for p in parts)


def violations(source: str, where: str = "<source>") -> list[str]:
    """Every place in `source` that builds an error or a message from a sentence instead of a key."""
    found: list[tuple[int, str]] = []
    tree = ast.parse(source)
    for_logs = {  # `str(exc)` is "Indonesian / English" for logs and tests, by design
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef) and function.name == "__str__"
        for node in ast.walk(function)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            name, first = _name(node.func), node.args[0]
            if (_is_error(name) or name == "Message") and _is_text(first):
                keys = _keys(first)
                if keys is None:
                    found.append((node.lineno, f"{name}() built from a text, not a message id"))
                else:
                    found += [
                        (node.lineno, f"{name}({key!r}): no catalogue has this key")
                        for key in keys
                        if not known(key, "id") or not known(key, "en")
                    ]
        if isinstance(node, ast.Return) and node.value is not None and id(node) not in for_logs:
            values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
            if any(_sentence(v) for v in values):
                found.append((node.lineno, "returns an 'Indonesian / English' sentence"))
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            first = node.exc.args[0]
            if _is_text(first) and _keys(first) is None and not _is_error(_name(node.exc.func)):
                found.append((node.lineno, f"raise {_name(node.exc.func)}() with a sentence"))
    return [f"{where}:{line}: {why}" for line, why in sorted(found)]


def test_the_scan_finds_sentences_and_unknown_keys():
    bad = """
def f(code, lang):
    if code:
        raise WorkflowError("Penilaian tidak ada. / Assessment does not exist.")
    if lang:
        raise LookupError(f"{code}: unknown field")
    raise PermissionDenied("Hanya asesor" + (" (x)" if code else "") + ". / Only reviewers.")

def g(code):
    error = StaleMinute("ew.no_such_key_anywhere")
    return f"{code} ditolak. / {code} refused.", Message("ew.unknown_indicator", code=code)
"""
    found = violations(bad)
    assert [line.split(": ", 1)[0] for line in found] == [
        "<source>:4",
        "<source>:6",
        "<source>:7",
        "<source>:10",
        "<source>:11",
    ], found


def test_keys_and_variables_pass():
    good = """
def f(code, lead, problem):
    if code:
        raise WorkflowError("ew.unknown_indicator", code=code)
    if problem:
        raise error(problem)
    raise PermissionDenied("ew.perm_lead_decides_no_lead" if lead is None else "ew.perm_lead_decides")
"""
    assert violations(good) == []


def test_every_module_of_evaluation_is_covered():
    modules = {str(p.relative_to(ROOT)) for p in (ROOT / "evaluation").rglob("*.py")}
    assert sorted(modules - set(COVERED) - NOT_COVERED) == []


@pytest.mark.parametrize("path", COVERED)
def test_a_covered_module_raises_message_ids_only(path):
    file = ROOT / path
    assert file.exists(), f"{path} is listed but does not exist"
    assert violations(file.read_text(encoding="utf-8"), path) == []
