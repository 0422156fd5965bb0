"""Broken, accidental and hostile files through the real importers and commands: refused with the limit
or the row named, never a traceback or a database error, and nothing written (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.__main__ import main
from evaluation.db import read_session
from evaluation.excel_io.reader import UnreadableFile
from evaluation.services.bulk import imports
from evaluation.services.bulk.assessment_import import ImportRefused
from tests.hostile_workbooks import HOSTILE
from tests.integration.excel_fixtures import Bench, apply, csv_bytes, db_state, plan, row, workbook

pytestmark = pytest.mark.db
CASES = Path(__file__).resolve().parents[1] / "fixtures" / "cases"


def refused_unchanged(bench: Bench, actor, data: bytes, filename: str):
    """The dry run lists problems, apply raises ImportRefused with the same ones, no row changed."""
    before = db_state(bench.engine)
    checked = plan(bench, actor, data, filename)
    assert not checked.ok
    with pytest.raises(ImportRefused) as refused:
        apply(bench, actor, data, filename)
    assert refused.value.plan.problems == checked.problems
    assert db_state(bench.engine) == before
    return checked


def test_the_comma_decimal_assessment_csv_names_each_long_row_in_the_dry_run(bench):
    own = bench.agency()
    data = (CASES / "comma_dec_Penilaian.csv").read_bytes().replace(b"KOTA-001", own.code.encode())
    checked = refused_unchanged(bench, own.coordinator, data, "comma_dec_Penilaian.csv")
    long_rows = [p for p in checked.problems if "quote it" in p.reason("en")]
    assert [(p.row, p.column) for p in long_rows] == [(2, "F"), (3, "F")]
    assert '"1,75"' in long_rows[0].reason("en") and "; as the separator" in long_rows[0].reason("en")


def test_a_quoted_decimal_comma_is_read_as_one_cell(bench):
    own = bench.agency()
    data = f'Kode instansi,Tahun,Kode indikator,Tingkat mandiri,Penjelasan\n{own.code},2026,I03,"1,5",SK\n'
    checked = plan(bench, own.coordinator, data.encode(), "p.csv")
    assert not [p for p in checked.problems if "quote it" in p.reason("en")]


def test_a_workbook_value_beyond_the_last_header_is_a_problem_not_dropped(bench):
    own = bench.agency()
    cells = [*row(own.code, "I01", 2, "Ada"), "", "", "stray"]  # the header has 10 columns
    data = workbook([cells])
    checked = refused_unchanged(bench, own.coordinator, data, "p.xlsx")
    assert [(p.row, p.column) for p in checked.problems if "no header" in p.reason("en")] == [(2, "M")]


@pytest.mark.parametrize("shape", list(HOSTILE))
def test_each_hostile_workbook_is_refused_by_the_import_and_nothing_is_written(bench, shape):
    data = HOSTILE[shape]()
    before = db_state(bench.engine)
    with read_session(bench.engine) as session, pytest.raises(UnreadableFile) as refused:
        imports.plan(session, actor=bench.admin, data=data, filename="hostile.xlsx")
    assert "over the limit of" in str(refused.value) and "melebihi batas" in str(refused.value)
    assert db_state(bench.engine) == before


@pytest.mark.parametrize("name", ["stray_XFD1048576.xlsx", "stray_A1048576.xlsx"])
def test_the_stray_cell_field_cases_are_refused_by_the_import_command(bench, name, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", bench.engine.url.render_as_string(hide_password=False))
    before = db_state(bench.engine)
    assert main(["import", str(CASES / name), "--as", "admin-uji"]) == 2
    err = capsys.readouterr().err
    assert "1.048.576" in err and "200.000" in err and "Traceback" not in err  # Indonesian, the default
    assert "melebihi batas" in err and "over the limit" not in err
    assert db_state(bench.engine) == before


@pytest.mark.parametrize(
    ("value", "column"),
    [("Bukti\x00tersembunyi", "G"), ("Bukti\x1b[31m", "G"), ("x" * 10_001, "G")],
)
def test_control_characters_and_overlong_text_in_a_cell_are_located_problems(bench, value, column):
    own = bench.agency()
    data = csv_bytes([row(own.code, "I01", 2, value)])
    checked = refused_unchanged(bench, own.coordinator, data, "p.csv")
    assert [(p.row, p.column) for p in checked.problems] == [(2, column)]
    assert "control character" in checked.problems[0].reason("en") or "over the limit" in (
        checked.problems[0].reason("en")
    )


def test_an_agency_code_longer_than_its_database_column_is_a_located_problem(bench):
    own = bench.agency()
    data = csv_bytes([row(own.code + "X" * 40, "I01", 2, "Ada")])
    checked = refused_unchanged(bench, own.coordinator, data, "p.csv")
    assert any(p.column == "A" and "over the limit of 32" in p.reason("en") for p in checked.problems)


def test_tabs_and_line_breaks_stay_allowed_in_a_justification(bench):
    own = bench.agency()
    data = csv_bytes([row(own.code, "I01", 2, "Baris satu\nBaris\tdua")])
    assert plan(bench, own.coordinator, data, "p.csv").ok


def test_the_comma_decimal_score_file_exits_2_naming_the_rows(capsys):
    assert (
        main(["score", str(CASES / "comma_dec_score.csv"), "--framework", "pemdi-2026", "--lang", "en"]) == 2
    )
    err = capsys.readouterr().err
    assert "row 2, column 'C'" in err and "quote it" in err and "row 3, column 'C'" in err
    assert "row 4" not in err  # A3,1 is a whole row of two cells


def test_the_stray_cell_score_file_exits_2_naming_the_limit(capsys):
    assert (
        main(
            ["score", str(CASES / "score_stray_XFD1048576.xlsx"), "--framework", "pemdi-2026", "--lang", "en"]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "XFD1048576" in err and "200,000" in err
    assert err.count("score_stray_XFD1048576.xlsx") == 1 and "melebihi" not in err  # named once, in English


def test_the_comma_decimal_score_file_names_the_rows_in_indonesian_by_default(capsys):
    assert main(["score", str(CASES / "comma_dec_score.csv"), "--framework", "pemdi-2026"]) == 2
    err = capsys.readouterr().err
    assert "baris 2, kolom 'C'" in err and "beri tanda kutip" in err and "quote it" not in err
