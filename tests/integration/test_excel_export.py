"""Templates and exports of a period's assessments, and the national matrix: the framework version of the
period decides the rows; numbers stay numbers; no text ever becomes a formula; export then import changes
nothing."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlmodel import select

from evaluation.db import read_session
from evaluation.excel_io.cells import FORMULA_STARTS
from evaluation.models import Agency, Assessment, Period, User
from evaluation.services.actors import PermissionDenied
from evaluation.services.auth import actor_of
from evaluation.services.bulk.assessment_sheet import INFO_COLUMNS, period_workbook
from evaluation.services.bulk.national_matrix import matrix_file, matrix_rows
from evaluation.services.frameworks import load_framework_version
from evaluation.services.results import period_results
from indicators.loader import shipped_frameworks
from tests.integration.excel_fixtures import (
    HEADER,
    HEADER_EN,
    PEMDI_CODES,
    Bench,
    apply,
    db_state,
    edited,
    exported,
    plan,
    save,
    scores_of,
)

pytestmark = pytest.mark.db
SPBE = shipped_frameworks()["spbe-2020"]
PEMDI = shipped_frameworks()["pemdi-2026"]
TRICKY = {
    "I01": "=SUM(A1)",
    "I02": "-5 poin",
    "I03": "+62 812 3456",
    "I04": "@pemda",
    "I05": '=HYPERLINK("http://contoh.id","klik")',
    "I06": "Perda 5/2020; Perbup 12/2021, hal. 3",
}


def book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def data_rows(data: bytes) -> list[tuple]:
    return list(book(data)["Penilaian"].iter_rows(min_row=2, values_only=True))


def csv_fields(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def formulas_in(data: bytes) -> list[str]:
    """Every cell a spreadsheet would run, now or once edited: formula cells, and text starting with a
    formula character that is not a string cell with the quote-prefix style."""
    found = []
    for ws in book(data).worksheets:
        for line in ws.iter_rows():
            for cell in line:
                risky = isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)
                if cell.data_type == "f" or (risky and not (cell.data_type == "s" and cell.quotePrefix)):
                    found.append(f"{ws.title}!{cell.coordinate}")
    return found


@pytest.fixture(scope="module")
def tricky(bench: Bench):
    """An agency named like a formula whose justifications start with = + - @, saved through the service."""
    own = bench.agency(name='=HYPERLINK("http://jahat.example","Kota")')
    save(bench, own, {code: {"level": 3, "justification": text} for code, text in TRICKY.items()})
    return own


@pytest.fixture(scope="module")
def demo(demo_engine):
    with read_session(demo_engine) as session:
        users = {u.username: actor_of(u) for u in session.exec(select(User))}
        periods = {p.year: p.id for p in session.exec(select(Period).where(Period.kind == "official"))}
    return demo_engine, users, periods


# --- templates -------------------------------------------------------------------------------------


def test_a_pemdi_template_has_one_row_per_indicator_of_the_period_s_framework_version(bench):
    own = bench.agency()
    rows = data_rows(exported(bench, own.operator))
    assert [r[3] for r in rows] == PEMDI_CODES
    assert [r[4] for r in rows] == [i.name for i in PEMDI.indicators]
    assert {(r[0], r[1], r[2]) for r in rows} == {(own.code, own.name, 2026)}
    assert all(r[5:10] == (None,) * 5 for r in rows)


def test_an_spbe_period_gives_the_47_spbe_indicators(bench):
    own = bench.agency()
    rows = data_rows(exported(bench, bench.admin, [own.id], period_id=bench.spbe))
    assert [r[3] for r in rows] == [i.code for i in SPBE.indicators]
    assert len(rows) == 47 and {r[2] for r in rows} == {2025}


def test_an_spbe_template_has_level_dropdowns_that_refuse_other_values(bench):
    own = bench.agency()
    ws = book(exported(bench, bench.admin, [own.id], period_id=bench.spbe))["Penilaian"]
    rules = ws.data_validations.dataValidation
    assert sorted(str(r.sqref).split(":")[0] for r in rules) == ["F2", "I2"]  # self and final level
    assert all(r.type == "list" and r.showErrorMessage is True for r in rules)
    assert all(r.formula1.startswith("'Kode'!$") for r in rules)
    assert all(int(str(r.sqref).split(":")[1][1:]) >= 48 for r in rules)  # every data row and spare ones


def test_a_pemdi_template_takes_fractional_levels_between_1_and_5(bench):
    own = bench.agency()
    data = exported(bench, own.operator)
    ws = book(data)["Penilaian"]
    rules = ws.data_validations.dataValidation
    assert sorted(str(r.sqref).split(":")[0] for r in rules) == ["F2", "I2"]
    assert all(
        r.type == "decimal" and r.operator in (None, "between") for r in rules
    )  # "between" is the default
    assert all((float(r.formula1), float(r.formula2)) == (1.0, 5.0) for r in rules)
    assert all(r.showErrorMessage is True and "desimal" in r.error for r in rules)
    assert "Kode" not in book(data).sheetnames  # no list to hold


def test_a_template_has_a_hidden_code_sheet_with_the_scale_s_levels(bench):
    own = bench.agency()
    codes = book(exported(bench, bench.admin, [own.id], period_id=bench.spbe))["Kode"]
    assert codes.sheet_state == "hidden"
    assert [c.value for c in codes["A"]] == [1, 2, 3, 4, 5]


def test_a_template_has_a_locked_and_frozen_header_and_open_level_columns(bench):
    own = bench.agency()
    ws = book(exported(bench, own.operator))["Penilaian"]
    assert ws.protection.sheet is True
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == [*HEADER, "_asal"]
    assert all(c.protection.locked for c in ws[1])
    assert all(ws.cell(2, HEADER.index(h) + 1).protection.locked for h in ("Nama instansi", "Nama indikator"))
    locked = {}
    for dimension in ws.column_dimensions.values():
        for number in range(dimension.min, dimension.max + 1):
            locked[number] = dimension.protection.locked
    assert [locked[n] for n in (6, 7, 9, 10)] == [False] * 4  # levels, justification, note: typed in
    assert len(INFO_COLUMNS) == 3 and locked[2] and locked[5] and locked[8]  # names and evidence


def test_the_instruction_sheet_is_in_indonesian_and_in_english_on_request(bench):
    own = bench.agency()
    indonesian = book(exported(bench, own.operator))
    english = book(exported(bench, own.operator, lang="en"))
    assert indonesian.sheetnames == ["Petunjuk", "Penilaian"]  # Pemdi: a range, no code list
    assert english.sheetnames == ["Instructions", "Penilaian"]
    assert "penilaian mandiri" in indonesian["Petunjuk"]["A1"].value
    assert "self-assessment" in english["Instructions"]["A1"].value
    assert [c.value for c in english["Penilaian"][1]] == [*HEADER_EN, "_origin"]


def test_an_agency_user_cannot_export_another_agency(bench):
    own, other = bench.agency(), bench.agency()
    with pytest.raises(PermissionDenied):
        exported(bench, own.operator, [other.id])


def test_an_agency_user_s_export_holds_only_its_own_agency(bench):
    own = bench.agency()
    bench.agency()
    assert {r[0] for r in data_rows(exported(bench, own.operator, template=False))} == {own.code}


# --- exports: numbers and formulas -----------------------------------------------------------------


def test_levels_and_years_are_exported_as_numbers(demo):
    engine, users, periods = demo
    with read_session(engine) as session:
        data = period_workbook(session, actor=users["admin"], period_id=periods[2025], template=False)
        as_csv = period_workbook(session, actor=users["admin"], period_id=periods[2025], fmt="csv")
    rows = data_rows(data)
    levels = [v for r in rows for v in (r[5], r[8]) if v is not None]
    assert len(levels) > 1000
    assert all(type(v) in (int, float) for v in levels)
    assert all(type(r[2]) is int for r in rows)
    fields = csv_fields(as_csv)[1:]
    assert {f[2] for f in fields} == {"2025"}
    assert {f[5] for f in fields} <= {"", "1", "2", "3", "4", "5"}  # 3.0 is written as 3


@pytest.mark.parametrize("template", [True, False], ids=["template", "export"])
def test_an_xlsx_export_holds_no_formula_whatever_the_agency_typed(bench, tricky, template):
    data = exported(bench, tricky.operator, template=template)
    assert formulas_in(data) == []
    rows = {r[3]: r for r in data_rows(data)}
    assert {code: rows[code][6] for code in TRICKY} == TRICKY  # the text people read is what was typed
    assert rows["I01"][1].startswith("=HYPERLINK")
    cells = book(data)["Penilaian"]
    assert [cells.cell(n, 7).quotePrefix for n in range(2, 8)] == [True] * 5 + [False]  # I06 is plain


def test_a_csv_export_has_no_field_a_spreadsheet_would_run(bench, tricky):
    fields = csv_fields(exported(bench, tricky.operator, fmt="csv"))
    assert fields[0] == [*HEADER, "_asal"]
    assert [f for line in fields for f in line if f.startswith(FORMULA_STARTS)] == []
    assert {line[6] for line in fields[1:3]} == {"'=SUM(A1)", "'-5 poin"}


# --- export then import ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "filename"),
    [({}, "templat.xlsx"), ({"template": False}, "ekspor.xlsx"), ({"fmt": "csv"}, "ekspor.csv")],
    ids=["template", "export", "csv"],
)
def test_importing_an_untouched_export_changes_nothing(bench, tricky, options, filename):
    data = exported(bench, tricky.operator, **options)
    assert plan(bench, tricky.operator, data, filename).counts == {"insert": 0, "update": 0, "unchanged": 20}
    before = db_state(bench.engine)
    applied = apply(bench, tricky.operator, data, filename)
    assert applied.ok and applied.counts["insert"] + applied.counts["update"] == 0
    assert db_state(bench.engine) == before


def test_text_that_looks_like_a_formula_survives_export_edit_and_import_unchanged(bench):
    own = bench.agency()
    save(bench, own, {code: {"level": 2, "justification": text} for code, text in TRICKY.items()})

    def raise_i01(ws):
        ws["F2"] = 4

    changed = edited(exported(bench, own.operator), raise_i01)
    result = apply(bench, own.operator, changed)
    assert result.counts == {"insert": 0, "update": 1, "unchanged": 19}
    stored = scores_of(bench.engine, own.id, bench.pemdi)
    assert stored["I01"].self_level == 4
    assert {code: stored[code].justification for code in TRICKY} == TRICKY


def test_a_csv_export_whose_text_lists_documents_with_semicolons_imports_back_unchanged(bench):
    own = bench.agency()
    listing = "; ".join(f"Perbup {n}/2024" for n in range(1, 41))
    save(bench, own, {code: {"level": 3, "justification": listing} for code in PEMDI_CODES[:6]})
    data = exported(bench, own.operator, fmt="csv")
    result = plan(bench, own.operator, data, "ekspor.csv")
    assert result.problems == []
    assert result.counts == {"insert": 0, "update": 0, "unchanged": 20}


def test_a_justification_starting_with_an_apostrophe_survives_the_round_trip(bench):
    own = bench.agency()
    save(bench, own, {"I01": {"level": 3, "justification": "'=kutipan"}})
    assert plan(bench, own.operator, exported(bench, own.operator)).counts["update"] == 0


# --- the national matrix ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix_2025(demo):
    engine, users, periods = demo
    with read_session(engine) as session:
        columns, rows = matrix_rows(session, actor=users["asesor"], period_id=periods[2025])
        data = matrix_file(session, actor=users["asesor"], period_id=periods[2025])
        results = period_results(session, periods[2025])
        final = session.exec(
            select(Assessment.agency_id).where(
                Assessment.period_id == periods[2025], Assessment.status == "final"
            )
        ).all()
        framework = load_framework_version(session, session.get(Period, periods[2025]).framework_version_id)
    return columns, rows, data, results, final, framework


def test_the_matrix_has_one_row_per_verified_agency(matrix_2025):
    _columns, rows, _data, results, final, _framework = matrix_2025
    assert len(rows) == len(final) == len(results) > 30
    assert len({r["agency_code"] for r in rows}) == len(rows)


def test_the_matrix_has_the_47_indicator_levels_then_domains_aspects_index_and_predicate(matrix_2025):
    columns, rows, data, _results, _final, framework = matrix_2025
    keys = [c.key for c in columns]
    groups = list(framework.group_by_code)
    assert keys[5:52] == [f"I{n:02d}" for n in range(1, 48)]
    assert keys[52:] == [*groups, "index", "predicate"]
    assert {"D1", "D4", "A1", "A8"} <= set(groups)
    ws = book(data)["Matriks"]
    header = [c.value for c in ws[1]]
    assert header[5:52] == keys[5:52]
    lines = list(ws.iter_rows(min_row=2, values_only=True))
    assert [line[0] for line in lines] == [r["agency_code"] for r in rows]
    for line in lines:
        assert all(type(v) in (int, float) for v in line[5:52]), line[0]
        assert all(type(v) in (int, float) for v in line[52:65])  # domains, aspects, index
        assert type(line[65]) is str
    assert formulas_in(data) == []


def test_the_matrix_index_and_predicate_equal_the_period_results(matrix_2025):
    _columns, rows, _data, results, _final, _framework = matrix_2025
    by_code = {r["agency_code"]: r for r in rows}
    for result in results:
        row = by_code[result.agency_code]
        assert row["index"] == result.result.index_value
        assert row["predicate"] == result.result.predicate.name
        assert {code: row[code] for code in result.result.groups} == {
            code: float(value) for code, value in result.result.groups.items()
        }


def test_the_matrix_levels_are_the_final_levels(demo, matrix_2025):
    engine, _users, periods = demo
    _columns, rows, *_ = matrix_2025
    row = rows[0]
    with read_session(engine) as session:
        agency_id = session.exec(select(Agency.id).where(Agency.code == row["agency_code"])).one()
    levels = {code: s.final_level for code, s in scores_of(engine, agency_id, periods[2025]).items()}
    assert {f"I{n:02d}": row[f"I{n:02d}"] for n in range(1, 48)} == levels


def test_the_matrix_as_csv_has_plain_numbers(demo):
    engine, users, periods = demo
    with read_session(engine) as session:
        fields = csv_fields(matrix_file(session, actor=users["admin"], period_id=periods[2025], fmt="csv"))
    assert fields[0][5] == "I01"
    assert all(line[5].isdigit() for line in fields[1:])


@pytest.mark.parametrize("username", ["operator", "koordinator"])
def test_agency_users_cannot_export_the_national_matrix(demo, username):
    engine, users, periods = demo
    with read_session(engine) as session, pytest.raises(PermissionDenied):
        matrix_file(session, actor=users[username], period_id=periods[2025])


def test_an_export_carries_each_agencys_self_and_final_index_on_its_own_sheet(demo_engine):
    from evaluation.services.actors import Actor
    from evaluation.services.bulk.assessment_sheet import INDEX_SHEET, period_workbook
    from evaluation.services.results import list_periods, period_results

    reviewer = Actor(user_id=None, username="asesor", role="reviewer")
    with read_session(demo_engine) as session:
        period = next(p for p in list_periods(session) if p.year == 2025)
        data = period_workbook(session, actor=reviewer, period_id=period.id, template=False)
        expected = {r.agency_code: r.result.index_value for r in period_results(session, period.id)}
    sheet = openpyxl.load_workbook(io.BytesIO(data))[INDEX_SHEET]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    finals = {r[0]: r[4] for r in rows if r[3] == "final"}
    assert finals == pytest.approx(expected)
    assert {r[3] for r in rows} == {"mandiri", "final"}
