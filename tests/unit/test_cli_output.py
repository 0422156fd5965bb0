"""The command line's language (issue 15): `--lang` before or after the command, else SPBE_LANG, else
Indonesian; its lines are catalogue entries (every `cli.*`/`ea.*` key the code names exists in both
languages), numbers and dates in the chosen locale."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from evaluation.__main__ import build_parser
from evaluation.cli_output import language_of, text
from evaluation.i18n import known

ROOT = Path(__file__).resolve().parents[2]
CLI_MODULES = [
    "evaluation/__main__.py",
    "evaluation/cli_output.py",
    "evaluation/admin_cli.py",
    "evaluation/evidence_cli.py",
    "evaluation/export_cli.py",
    "evaluation/notify_cli.py",
    "evaluation/period_cli.py",
    "evaluation/programme_cli.py",
    "evaluation/reviewer_cli.py",
    "evaluation/reports/cli.py",
]


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["frameworks"], None, "id"),
        (["--lang", "en", "frameworks"], None, "en"),
        (["frameworks", "--lang", "en"], None, "en"),
        (["frameworks", "--lang=en"], None, "en"),
        (["frameworks"], "en", "en"),
        (["frameworks"], "EN ", "en"),
        (["frameworks"], "fr", "id"),
        (["frameworks", "--lang", "id"], "en", "id"),
    ],
)
def test_the_language_is_the_option_else_spbe_lang_else_indonesian(monkeypatch, argv, env, expected):
    if env is None:
        monkeypatch.delenv("SPBE_LANG", raising=False)
    else:
        monkeypatch.setenv("SPBE_LANG", env)
    assert language_of(argv) == expected
    assert build_parser(language_of(argv)).parse_args(argv).lang == expected


def test_an_unknown_language_stops_the_parser_with_exit_code_2(capsys):
    with pytest.raises(SystemExit) as stopped:
        language_of(["--lang", "fr", "frameworks"])
    assert stopped.value.code == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["notify", "send", "--lang", "en"],
        ["audit", "verify", "--lang", "en"],
        ["period", "close", "--year", "2026", "--framework", "pemdi-2026", "--as", "admin", "--lang", "en"],
        ["export", "targets", "--as", "admin", "--out", "x.xlsx", "--lang", "en"],
        ["import", "x.xlsx", "--as", "admin", "--lang", "en"],
    ],
)
def test_every_command_nested_or_not_accepts_lang_after_it(argv):
    assert build_parser("id").parse_args(argv).lang == "en"


def test_argument_checks_refuse_in_the_chosen_language(capsys):
    for lang, says in (("id", "harus 1 atau lebih"), ("en", "must be 1 or more")):
        with pytest.raises(SystemExit):
            build_parser(lang).parse_args(["notify", "send", "--limit", "0"])
        assert says in capsys.readouterr().err
    with pytest.raises(SystemExit):
        build_parser("en").parse_args(["notify", "remind", "--days", "7,-1"])
    assert "whole numbers >= 0" in capsys.readouterr().err


def test_numbers_and_dates_follow_the_locale():
    counts = {"sent": 10680, "failed": 0}
    assert text("id", "cli.emails_sent", **counts) == "Email terkirim 10.680, gagal 0."
    assert text("en", "cli.emails_sent", **counts) == "Emails sent 10,680, failed 0."
    day = date(2026, 11, 22)
    reminded = {"day": day, "self_assessment": 1, "verification": 2, "recommendation": 3}
    assert text("id", "cli.reminders", **reminded).startswith("Pengingat 22 November 2026: ")
    assert text("en", "cli.reminders", **reminded).startswith("Reminders 22 November 2026: ")


def _named_keys(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    prefixes = {
        id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and id(node) not in prefixes  # f"cli.col_{name}": test_the_column_keys_built_from_names_exist
        and isinstance(node.value, str)
        and node.value.startswith(("cli.", "ea."))
        and " " not in node.value
    }


@pytest.mark.parametrize("path", CLI_MODULES)
def test_every_key_a_command_line_module_names_is_in_both_catalogues(path):
    missing = sorted(key for key in _named_keys(path) if not (known(key, "id") and known(key, "en")))
    assert missing == []


def test_the_column_keys_built_from_names_exist():
    for name in (
        "id",
        "version",
        "indicators",
        "name",
        "year",
        "framework",
        "kind",
        "runner",
        "results",
        "status",
    ):
        assert known(f"cli.col_{name}", "id") and known(f"cli.col_{name}", "en")
