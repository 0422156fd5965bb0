"""Sheet headers and template notes are catalogue entries (domain `sheets`, issue 15): every `Column` of
the app names a key both languages have, and the headers users' files carry stay as they were."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from evaluation.excel_io.provenance import ORIGIN_COLUMN
from evaluation.excel_io.table import Column
from evaluation.i18n import known
from evaluation.services import reviewer_sheet
from evaluation.services.bulk import assessment_sheet, targets_sheet

ROOT = Path(__file__).resolve().parents[2]


def column_keys() -> list[tuple[str, str]]:
    """(where, key) for every literal title and note given to a Column in evaluation/."""
    found = []
    for path in sorted((ROOT / "evaluation").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Column"
            ):
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            verbatim = any(k.arg == "verbatim" for k in node.keywords)
            literals = [node.args[1]] if len(node.args) > 1 and not verbatim else []
            literals += [k.value for k in node.keywords if k.arg == "note"]
            found += [(where, a.value) for a in literals if isinstance(a, ast.Constant)]
    return found


def test_the_scan_sees_the_sheets():
    assert len(column_keys()) > 60


@pytest.mark.parametrize(("where", "key"), column_keys())
def test_every_header_and_note_is_a_key_of_both_languages(where, key):
    assert key.startswith("sh.") and known(key, "id") and known(key, "en"), where


def test_headers_read_as_before_in_each_language():
    assert [c.header("id") for c in assessment_sheet.COLUMNS][:4] == [
        "Kode instansi",
        "Nama instansi",
        "Tahun",
        "Kode indikator",
    ]
    assert [c.header("en") for c in targets_sheet.COLUMNS][:3] == ["Agency code", "Framework", "Horizon"]
    assert ORIGIN_COLUMN.headers() == ("_origin", "_asal", "_origin")
    assert reviewer_sheet.COLUMNS[2].note_text("en") == "lead or member."


def test_an_import_accepts_the_key_or_either_languages_header_and_a_code_column_its_code():
    assert Column("year", "sh.year").headers() == ("year", "Tahun", "Year")
    code = Column("I01", "I01", "level", verbatim=True)
    assert code.headers() == ("I01", "I01", "I01") and code.label().render("en") == "I01"
    assert Column("year", "sh.year").label().render("en") == "Year"
