"""Importing the assessment sheet and published results: step 1 checks everything and names every problem
by sheet, row and column without changing anything; step 2 applies all of it in one transaction or none;
the services' permissions hold; the command line runs the same two steps."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import select

from evaluation.__main__ import main
from evaluation.db import read_session, write_session
from evaluation.models import PublishedResult, ReviewNote
from evaluation.scoring import score_group_values
from evaluation.services.actors import PermissionDenied
from evaluation.services.bulk import imports
from evaluation.services.bulk import published_results as published
from evaluation.services.bulk.assessment_import import ImportRefused
from evaluation.services.results import published_results
from evaluation.services.review import set_stage
from evaluation.services.self_assessment import MAX_JUSTIFICATION
from indicators.loader import shipped_frameworks
from tests.integration.excel_fixtures import (
    PEMDI_CODES,
    Bench,
    Own,
    apply,
    assessment_of,
    audit_of,
    csv_bytes,
    db_state,
    edited,
    exported,
    in_review,
    located,
    max_audit_id,
    opened,
    plan,
    row,
    save,
    scores_of,
    workbook,
)

pytestmark = pytest.mark.db
SPBE = shipped_frameworks()["spbe-2020"]


@pytest.fixture(scope="module")
def mine(bench: Bench) -> Own:
    """An agency whose 2026 draft holds I01 (level 2, 'Lama'): the bad files are checked against it."""
    save(bench, own := bench.agency(), {"I01": {"level": 2, "justification": "Lama"}})
    return own


def refused_without_change(bench: Bench, actor, data: bytes, filename: str = "penilaian.xlsx"):
    """Plan, then apply: the plan has problems, apply raises ImportRefused, and no row anywhere changed."""
    before = db_state(bench.engine)
    checked = plan(bench, actor, data, filename)
    assert not checked.ok
    assert db_state(bench.engine) == before
    with pytest.raises(ImportRefused) as refused:
        apply(bench, actor, data, filename)
    assert refused.value.plan.problems == checked.problems
    assert db_state(bench.engine) == before
    return checked


# --- step 1: every problem, located ----------------------------------------------------------------


def bad_files(code: str) -> dict[str, tuple[list[list], object, tuple[int, str], str]]:
    """kind -> (rows, edit, (row, column) of the problem, a fragment of its Indonesian message)."""
    good = row(code, "I01", 3, "Perda 1")

    def put(cell, value):
        def edit(ws):
            ws[cell] = value

        return edit

    return {
        "unknown agency": ([good, row("KOTA-999", "I02", 3)], None, (3, "A"), "'KOTA-999' tidak dikenal"),
        "unknown indicator": ([good, row(code, "I99", 3)], None, (3, "D"), "'I99' tidak ada di pemdi-2026"),
        "level 7": ([good, row(code, "I02", 7)], None, (3, "F"), "tingkat 7 di luar skala 1-5"),
        "level 0": ([good, row(code, "I02", 0)], None, (3, "F"), "tingkat 0 di luar skala 1-5"),
        "duplicate": ([good, row(code, "i01", 4)], None, (3, "D"), "baris ganda"),
        "year without a period": ([good, row(code, "I02", 3, year=2019)], None, (3, "C"), "tahun 2019"),
        "formula": ([good, row(code, "I02", None)], put("F3", "=1+2"), (3, "F"), "rumus"),
        "text as level": ([good, row(code, "I02", "abc")], None, (3, "F"), "'abc' bukan tingkat"),
        "text as year": (
            [good, row(code, "I02", 3, year="dua ribu")],
            None,
            (3, "C"),
            "'dua ribu' bukan angka",
        ),
        "fraction in spbe": ([good, row(code, "I02", 2.5, year=2025)], None, (3, "F"), "bilangan bulat"),
        "final level by the agency": (
            [good, row(code, "I02", 3, final_level=4)],
            None,
            (3, "I"),
            "tidak boleh",
        ),
        "blank code": ([good, row(None, "I02", 3)], None, (3, "A"), "wajib diisi"),
    }


KINDS = list(bad_files("X"))


@pytest.mark.parametrize("kind", KINDS)
def test_a_bad_cell_is_reported_at_its_sheet_row_and_column_and_nothing_changes(bench, mine, kind):
    rows, edit, (number, column), fragment = bad_files(mine.code)[kind]
    checked = refused_without_change(bench, mine.operator, workbook(rows, edit=edit))
    assert located(checked) == [("Penilaian", number, column)]
    [problem] = checked.problems
    assert fragment in problem.reason("id")
    assert problem.text().startswith(f"Penilaian!{column}{number}: ")
    assert problem.reason("en") and problem.text("en") != problem.text()
    assert [r.code for r in checked.rows] == ["I01"]  # the good row was checked too


def test_a_merged_cell_in_a_data_row_is_refused_on_its_row_and_nothing_changes(bench, mine):
    data = workbook(
        [row(mine.code, "I01", 3, "Perda 1"), row(mine.code, "I02", 3, "Perda 2")],
        edit=lambda ws: ws.merge_cells("F3:G3"),
    )
    checked = refused_without_change(bench, mine.operator, data)
    assert [(p.sheet, p.row) for p in checked.problems] == [("Penilaian", 3)]
    assert "gabungan" in checked.problems[0].reason("id")


def test_a_merged_cell_problem_names_the_cell(bench, mine):
    data = workbook(
        [row(mine.code, "I01", 3, "Perda 1"), row(mine.code, "I02", 3, "Perda 2")],
        edit=lambda ws: ws.merge_cells("F3:G3"),
    )
    assert located(plan(bench, mine.operator, data)) == [("Penilaian", 3, "F")]


def test_a_formula_on_an_otherwise_empty_row_is_a_problem(bench, mine):
    data = workbook([row(mine.code, "I01", 3, "Perda 1")], edit=lambda ws: ws.__setitem__("F5", "=2+1"))
    assert located(plan(bench, mine.operator, data)) == [("Penilaian", 5, "F")]


def test_every_bad_row_is_reported_not_only_the_first(bench, mine):
    kinds = bad_files(mine.code)
    rows = [row(mine.code, "I01", 3, "Perda 1")]
    rows += [kinds[k][0][1] for k in ("unknown agency", "level 7", "text as level", "text as year")]
    checked = refused_without_change(bench, mine.operator, workbook(rows))
    assert sorted(located(checked)) == [
        ("Penilaian", 3, "A"),
        ("Penilaian", 4, "F"),
        ("Penilaian", 5, "F"),
        ("Penilaian", 6, "C"),
    ]


def test_a_file_without_the_required_columns_is_one_problem_on_the_header(bench, mine):
    data = workbook([[mine.code, "I01", 3]], header=["Kode instansi", "Kode indikator", "Tingkat mandiri"])
    checked = refused_without_change(bench, mine.operator, data)
    assert located(checked) == [("Penilaian", 1, "")]
    assert "Tahun" in checked.problems[0].reason("id")


def test_the_dry_run_counts_inserts_updates_and_unchanged_rows(bench, mine):
    data = workbook(
        [
            row(mine.code, "I01", 2, "Lama"),  # as stored
            row(mine.code, "I02", 4, "Baru"),  # nothing stored yet
            row(mine.code, "I03", None, None),  # blank and blank
        ]
    )
    before = db_state(bench.engine)
    checked = plan(bench, mine.operator, data)
    assert checked.ok and checked.mode == "agency"
    assert checked.counts == {"insert": 1, "update": 0, "unchanged": 2}
    changed = edited(data, lambda ws: ws.__setitem__("F2", 3))
    assert plan(bench, mine.operator, changed).counts == {"insert": 1, "update": 1, "unchanged": 1}
    assert db_state(bench.engine) == before


# --- tolerance -------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [3, 3.0, "3", " 3 ", "3,0", "3.0", "Level 3", "Tingkat 3", "tingkat 3"])
def test_a_level_is_accepted_as_people_type_it(bench, mine, typed):
    checked = plan(bench, mine.operator, workbook([row(mine.code, "I05", typed, "Ada")]))
    assert checked.problems == []
    assert checked.rows[0].new["self_level"] == 3.0


def test_codes_in_any_case_with_spaces_bare_numbers_reordered_columns_and_blank_rows_are_accepted(bench):
    own = bench.agency()
    header = ["Justification", " tingkat mandiri ", "KODE INDIKATOR", "tahun", "Agency code"]
    rows = [
        ["Satu", "Level 3", " i01 ", " 2026 ", f"  {own.code.lower()}  "],
        ["Dua", "3,0", "2", 2026.0, own.code.lower()],
        ["Tujuh", "Tingkat 3", "7", 2026, own.code],
        ["Delapan", 3.0, "I08", 2026, own.code],
        [None, None, None, None, None],
        ["", "  ", "", None, " "],
    ]
    checked = plan(bench, own.operator, workbook(rows, header=header))
    assert checked.problems == []
    assert [r.code for r in checked.rows] == ["I01", "I02", "I07", "I08"]
    apply(bench, own.operator, workbook(rows, header=header))
    stored = scores_of(bench.engine, own.id, bench.pemdi)
    assert {c: (s.self_level, s.justification) for c, s in stored.items()} == {
        "I01": (3.0, "Satu"),
        "I02": (3.0, "Dua"),
        "I07": (3.0, "Tujuh"),
        "I08": (3.0, "Delapan"),
    }


def test_a_csv_with_semicolons_and_decimal_commas_is_accepted(bench):
    own = bench.agency()
    data = csv_bytes(
        [row(own.code, "I01", "3,0", "Perda; hal. 2"), row(own.code, "I02", "2,5", "Ada")], sep=";"
    )
    checked = plan(bench, own.operator, data, "penilaian.csv")
    assert checked.problems == []
    assert [(r.code, r.new["self_level"]) for r in checked.rows] == [("I01", 3.0), ("I02", 2.5)]
    apply(bench, own.operator, data, "penilaian.csv")
    assert scores_of(bench.engine, own.id, bench.pemdi)["I01"].justification == "Perda; hal. 2"


# --- step 2: all or nothing ------------------------------------------------------------------------


def full_file(own: Own, level=4, **replace) -> bytes:
    rows = [row(own.code, code, replace.get(code, level), f"Bukti {code}") for code in PEMDI_CODES]
    return workbook(rows)


def test_one_bad_row_among_many_good_ones_changes_nothing(bench, mine):
    checked = refused_without_change(bench, mine.operator, full_file(mine, I17=9))
    assert located(checked) == [("Penilaian", 18, "F")]
    assert len(checked.rows) == 19


def test_a_clean_file_writes_every_row_in_one_audited_change_set_and_bumps_each_score_version(bench):
    own = bench.agency()
    assessment_id = save(bench, own, {"I01": {"level": 1, "justification": "Lama"}})
    version = assessment_of(bench.engine, own.id, bench.pemdi).version
    score_version = scores_of(bench.engine, own.id, bench.pemdi)["I01"].version
    since = max_audit_id(bench.engine)
    applied = apply(bench, own.operator, full_file(own))
    assert applied.counts == {"insert": 19, "update": 1, "unchanged": 0}
    stored = scores_of(bench.engine, own.id, bench.pemdi)
    assert {c: (s.self_level, s.justification) for c, s in stored.items()} == {
        c: (4.0, f"Bukti {c}") for c in PEMDI_CODES
    }
    entries = [e for e in audit_of(bench.engine, assessment_id) if e.id > since]
    assert len(entries) == 40  # a level and a justification for each of 20 indicators
    assert len({e.change_set for e in entries}) == 1
    assert {e.action for e in entries} == {"import"} and {e.actor for e in entries} == {own.operator.username}
    old = next(e for e in entries if e.field == "I01.self_level")
    assert (old.old_value, old.new_value) == ("1.0", "4.0")
    assert stored["I01"].version == score_version + 1  # per-score claims: the assessment's version stays
    assert {s.version for c, s in stored.items() if c != "I01"} == {1}
    assert {s.updated_by for s in stored.values()} == {own.operator.user_id}
    assert assessment_of(bench.engine, own.id, bench.pemdi).version == version


def test_the_first_import_of_an_agency_opens_its_assessment(bench):
    own = bench.agency()
    assert assessment_of(bench.engine, own.id, bench.pemdi) is None
    apply(bench, own.operator, full_file(own))
    found = assessment_of(bench.engine, own.id, bench.pemdi)
    assert found is not None and found.status == "draft"
    assert len(scores_of(bench.engine, own.id, bench.pemdi)) == 20


def test_the_first_import_of_an_agency_is_one_change_set(bench):
    own = bench.agency()
    since = max_audit_id(bench.engine)
    apply(bench, own.operator, full_file(own))
    assessment_id = assessment_of(bench.engine, own.id, bench.pemdi).id
    assert len({e.change_set for e in audit_of(bench.engine, assessment_id) if e.id > since}) == 1


def test_importing_the_same_file_twice_changes_nothing_the_second_time(bench):
    own = bench.agency()
    apply(bench, own.operator, full_file(own))
    before = db_state(bench.engine)
    again = apply(bench, own.operator, full_file(own))
    assert again.counts == {"insert": 0, "update": 0, "unchanged": 20}
    assert db_state(bench.engine) == before  # no version bump, no audit entry


# --- permissions -----------------------------------------------------------------------------------


def test_an_operator_importing_another_agency_gets_a_problem_per_row_and_nothing_changes(bench, mine):
    other = bench.agency()
    data = edited(
        exported(bench, bench.admin, [other.id]), lambda ws: [ws.__setitem__(f"F{n}", 3) for n in (2, 3)]
    )
    checked = refused_without_change(bench, mine.operator, data)
    assert located(checked) == [("Penilaian", n, "A") for n in range(2, 22)]
    assert all("bukan instansi Anda" in p.reason("id") for p in checked.problems)


def test_an_admin_may_not_import_assessments(bench, mine):
    before = db_state(bench.engine)
    data = full_file(mine)
    with pytest.raises(PermissionDenied):
        plan(bench, bench.admin, data)
    with pytest.raises(PermissionDenied):
        apply(bench, bench.admin, data)
    assert db_state(bench.engine) == before


def test_an_agency_cannot_import_into_a_submitted_assessment(bench):
    own = bench.agency()
    in_review(bench, own)
    checked = refused_without_change(bench, own.operator, full_file(own, level=5))
    assert len(checked.problems) == 20
    assert "tidak dapat diubah instansi" in checked.problems[0].reason("id")


def test_a_reviewer_imports_final_levels_and_notes_of_assessments_in_review(bench):
    own = bench.agency()
    assessment_id = in_review(bench, own, level=3)
    version = assessment_of(bench.engine, own.id, bench.pemdi).version

    def review(ws):
        for n in range(2, 22):
            ws[f"I{n}"] = 2
        ws["J2"] = "SK belum ditandatangani"

    data = edited(exported(bench, bench.reviewer, [own.id]), review)
    applied = apply(bench, bench.reviewer, data)
    assert applied.mode == "reviewer"
    assert applied.counts == {"insert": 20, "update": 0, "unchanged": 0}  # no final level before
    stored = scores_of(bench.engine, own.id, bench.pemdi)
    assert {s.final_level for s in stored.values()} == {2.0}
    assert {s.self_level for s in stored.values()} == {3.0}  # the agency's levels are untouched
    assert stored["I01"].reviewer_note == "SK belum ditandatangani"
    with read_session(bench.engine) as session:
        notes = session.exec(select(ReviewNote).where(ReviewNote.assessment_id == assessment_id)).all()
    assert [(n.indicator_code, n.text) for n in notes] == [("I01", "SK belum ditandatangani")]
    assert assessment_of(bench.engine, own.id, bench.pemdi).version == version  # a status change would wait
    assert {s.updated_by for s in stored.values()} == {bench.reviewer.user_id}


def test_a_reviewer_cannot_set_final_levels_of_an_assessment_not_in_review(bench):
    draft, reviewing = bench.agency(), bench.agency()
    save(bench, draft, {"I01": {"level": 3}})
    in_review(bench, reviewing)
    data = workbook(
        [row(reviewing.code, "I01", 3, "Bukti I01", final_level=4), row(draft.code, "I01", 3, final_level=4)]
    )
    checked = refused_without_change(bench, bench.reviewer, data)
    assert [p.row for p in checked.problems] == [3]
    assert "tidak sedang diverifikasi" in checked.problems[0].reason("id")


def test_a_reviewer_cannot_change_self_levels(bench):
    own = bench.agency()
    in_review(bench, own, level=3)
    data = workbook([row(own.code, "I01", 5, "Bukti I01", final_level=4)])
    checked = refused_without_change(bench, bench.reviewer, data)
    assert located(checked) == [("Penilaian", 2, "F")]
    assert checked.problems[0].reason("id") == "kolom ini tidak boleh Anda ubah"


def test_a_reviewer_import_bumps_only_the_scores_it_changes(bench):
    changed, untouched = bench.agency(), bench.agency()
    for own in (changed, untouched):
        in_review(bench, own, level=3)
    versions = {o.id: scores_of(bench.engine, o.id, bench.pemdi)["I01"].version for o in (changed, untouched)}
    rows = [
        row(changed.code, "I01", 3, "Bukti I01", final_level=2),
        row(untouched.code, "I01", 3, "Bukti I01"),
    ]
    assert apply(bench, bench.reviewer, workbook(rows)).counts == {"insert": 1, "update": 0, "unchanged": 1}
    assert scores_of(bench.engine, changed.id, bench.pemdi)["I01"].version == versions[changed.id] + 1
    assert scores_of(bench.engine, untouched.id, bench.pemdi)["I01"].version == versions[untouched.id]


# --- published results -----------------------------------------------------------------------------

PUBLISHED_HEADER = [c.header("id") for c in published.COLUMNS]
PUBLISHED_LETTER = {c.key: chr(65 + i) for i, c in enumerate(published.COLUMNS)}


def published_row(
    code: str, year=2022, domains=(3.7, 3.4, 3.0, 3.2), index=None, predicate=None, source=None
):
    values = dict(zip(("D1", "D2", "D3", "D4"), domains, strict=False))
    by_key = {
        "agency_code": code,
        "year": year,
        "index": index,
        "predicate": predicate,
        "source": source,
        **values,
    }
    return [by_key.get(c.key) for c in published.COLUMNS]


def published_file(rows) -> bytes:
    return workbook(rows, header=PUBLISHED_HEADER, sheet=published.SHEET)


def test_the_published_template_has_the_published_columns(bench):
    ws = openpyxl.load_workbook(io.BytesIO(published.template()))[published.SHEET]
    assert [c.value for c in ws[1]] == PUBLISHED_HEADER
    assert ws.freeze_panes == "A2" and ws.protection.sheet is True


def test_published_domain_values_import_and_their_index_is_recomputed(bench):
    one, two = bench.agency(), bench.agency()
    data = published_file(
        [
            published_row(one.code, index=3.28, predicate="Baik", source="KemenPANRB 2022"),
            published_row(two.code),
        ]
    )
    assert imports.kind_of(data, "hasil.xlsx") == "published"
    with read_session(bench.engine) as session:
        checked = imports.plan(session, actor=bench.reviewer, data=data, filename="hasil.xlsx")
    assert checked.ok and checked.counts == {"insert": 2, "update": 0, "unchanged": 0}
    assert imports.warnings(checked) == []
    with write_session(bench.engine) as session:
        imports.apply(session, actor=bench.reviewer, data=data, filename="hasil.xlsx")
    expected = score_group_values(SPBE, "domain", {"D1": 3.7, "D2": 3.4, "D3": 3.0, "D4": 3.2})
    with read_session(bench.engine) as session:
        stored = session.exec(select(PublishedResult).where(PublishedResult.agency_id == one.id)).one()
        results = {r.agency_code: r for r in published_results(session, year=2022)}
    assert (stored.year, stored.group_kind, stored.group_values) == (
        2022,
        "domain",
        {"D1": 3.7, "D2": 3.4, "D3": 3.0, "D4": 3.2},
    )
    assert (stored.published_index, stored.published_predicate, stored.source) == (
        3.28,
        "Baik",
        "KemenPANRB 2022",
    )
    for own in (one, two):
        assert results[own.code].result.index_value == expected.index_value == pytest.approx(3.282)
        assert results[own.code].result.predicate.name == "Baik"


def test_a_published_index_or_predicate_that_disagrees_is_a_warning_not_a_refusal(bench):
    own, other = bench.agency(), bench.agency()
    data = published_file(
        [published_row(own.code, index=3.50), published_row(other.code, predicate="Memuaskan")]
    )
    with read_session(bench.engine) as session:
        checked = published.plan_published_import(
            session, actor=bench.admin, data=data, filename="hasil.xlsx"
        )
    assert checked.ok
    assert [len(r.warnings) for r in checked.rows] == [1, 1]
    index_warning = checked.rows[0].warnings[0]
    assert index_warning.key == "pr.index_disagrees"
    assert "3.50" in index_warning.render("en") and "3.28" in index_warning.render("en")
    assert "3,50" in index_warning.render("id") and "3,28" in index_warning.render("id")
    predicate_warning = checked.rows[1].warnings[0].render("id")
    assert "Memuaskan" in predicate_warning and "Baik" in predicate_warning
    assert imports.warnings(checked, "en")[0].startswith("row ")
    with write_session(bench.engine) as session:
        published.apply_published_import(session, actor=bench.admin, data=data, filename="hasil.xlsx")
    with read_session(bench.engine) as session:
        stored = session.exec(select(PublishedResult).where(PublishedResult.agency_id == own.id)).one()
    assert stored.published_index == 3.50  # kept as published


@pytest.mark.parametrize(
    ("domains", "column", "fragment"),
    [((3.7, 3.4, 3.0), "D4", "D4 wajib diisi"), ((3.7, 9, 3.0, 3.2), "D2", "di luar 1-5")],
    ids=["missing D4", "value 9"],
)
def test_a_missing_or_impossible_published_value_is_a_problem_at_its_cell(bench, domains, column, fragment):
    own = bench.agency()
    data = published_file([published_row(own.code, domains=domains)])
    before = db_state(bench.engine)
    with read_session(bench.engine) as session:
        checked = published.plan_published_import(
            session, actor=bench.reviewer, data=data, filename="hasil.xlsx"
        )
    assert [(p.sheet, p.row, p.column) for p in checked.problems] == [("Hasil", 2, PUBLISHED_LETTER[column])]
    assert fragment in checked.problems[0].reason("id")
    with write_session(bench.engine) as session, pytest.raises(ImportRefused):
        published.apply_published_import(session, actor=bench.reviewer, data=data, filename="hasil.xlsx")
    assert db_state(bench.engine) == before


def test_importing_the_same_published_file_again_is_all_unchanged(bench):
    rows = [published_row(bench.agency().code, index=3.28, predicate="Baik") for _ in range(3)]
    data = published_file(rows)
    with write_session(bench.engine) as session:
        published.apply_published_import(session, actor=bench.reviewer, data=data, filename="hasil.xlsx")
    before = db_state(bench.engine)
    with write_session(bench.engine) as session:
        again = published.apply_published_import(
            session, actor=bench.reviewer, data=data, filename="hasil.xlsx"
        )
    assert again.counts == {"insert": 0, "update": 0, "unchanged": 3}
    assert db_state(bench.engine) == before


def test_a_changed_published_source_is_an_update(bench):
    code = bench.agency().code
    with write_session(bench.engine) as session:
        first = published_file([published_row(code, source="Draf")])
        published.apply_published_import(session, actor=bench.reviewer, data=first, filename="hasil.xlsx")
    with read_session(bench.engine) as session:
        second = published_file([published_row(code, source="KemenPANRB 2022")])
        checked = published.plan_published_import(
            session, actor=bench.reviewer, data=second, filename="x.xlsx"
        )
    assert checked.counts["update"] == 1


@pytest.mark.parametrize("role", ["operator", "coordinator"])
def test_agency_users_cannot_import_published_results(bench, role):
    own = bench.agency()
    data = published_file([published_row(own.code)])
    with read_session(bench.engine) as session, pytest.raises(PermissionDenied):
        imports.plan(session, actor=getattr(own, role), data=data, filename="hasil.xlsx")
    with write_session(bench.engine) as session, pytest.raises(PermissionDenied):
        published.apply_published_import(session, actor=getattr(own, role), data=data, filename="hasil.xlsx")


# --- the command line ------------------------------------------------------------------------------


@pytest.fixture
def cli(bench: Bench, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Write a file and run `python -m evaluation import FILE --as USER [options]` in-process."""
    monkeypatch.setenv("DATABASE_URL", bench.engine.url.render_as_string(hide_password=False))

    def run(data: bytes, user: str, *options: str, name: str = "penilaian.xlsx") -> int:
        path = tmp_path / name
        path.write_bytes(data)
        return main(["import", str(path), "--as", user, *options])

    return run


def test_a_dry_run_prints_the_counts_and_changes_nothing(bench, cli, capsys):
    own = bench.agency()
    opened(bench, own)
    before = db_state(bench.engine)
    assert cli(full_file(own), own.operator.username, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "sisip 20, ubah 0, tetap 0, masalah 0" in out
    assert "Diterapkan" not in out
    assert db_state(bench.engine) == before


def test_the_command_applies_a_clean_file(bench, cli, capsys):
    own = bench.agency()
    assert cli(full_file(own), own.operator.username) == 0
    assert "Diterapkan." in capsys.readouterr().out
    assert {s.self_level for s in scores_of(bench.engine, own.id, bench.pemdi).values()} == {4.0}


def test_a_bad_file_exits_1_with_the_problems_on_stderr(bench, mine, cli, capsys):
    before = db_state(bench.engine)
    assert cli(full_file(mine, I05="abc"), mine.operator.username) == 1
    captured = capsys.readouterr()
    assert "Penilaian!F6: 'abc' bukan tingkat" in captured.err
    assert "masalah 1" in captured.out
    assert db_state(bench.engine) == before


def test_a_bad_file_is_explained_in_english_on_request(mine, cli, capsys):
    assert cli(full_file(mine, I05=7), mine.operator.username, "--dry-run", "--lang", "en") == 1
    assert "Penilaian!F6: level 7 is outside the scale 1-5" in capsys.readouterr().err


def test_an_unknown_user_exits_2(mine, cli, capsys):
    assert cli(full_file(mine), "tidak-ada", "--dry-run") == 2
    assert "tidak-ada" in capsys.readouterr().err


def test_an_unreadable_file_exits_2(mine, cli, capsys):
    assert cli(b"\x00\x01 bukan xlsx", mine.operator.username, "--dry-run") == 2
    assert "bukan berkas XLSX" in capsys.readouterr().err


def test_a_csv_import_through_the_command_line(bench, cli, capsys):
    own = bench.agency()
    data = csv_bytes([row(own.code, "I03", "Tingkat 2", "Ada")])
    assert cli(data, own.operator.username, name="penilaian.csv") == 0
    assert scores_of(bench.engine, own.id, bench.pemdi)["I03"].self_level == 2.0


def test_a_justification_longer_than_the_form_allows_is_a_problem(bench, mine):
    data = workbook([row(mine.code, "I04", 3, "x" * (MAX_JUSTIFICATION + 1))])
    assert located(plan(bench, mine.operator, data)) == [("Penilaian", 2, "G")]


def test_a_reviewer_note_imported_during_the_interview_is_filed_under_the_interview(bench):
    own = bench.agency()
    assessment_id = in_review(bench, own)
    version = assessment_of(bench.engine, own.id, bench.pemdi).version
    with write_session(bench.engine) as session:
        set_stage(
            session,
            actor=bench.reviewer,
            assessment_id=assessment_id,
            expected_version=version,
            stage="interview",
        )
    apply(bench, bench.reviewer, workbook([row(own.code, "I01", 3, "Bukti I01", note="Wawancara: belum")]))
    with read_session(bench.engine) as session:
        note = session.exec(select(ReviewNote).where(ReviewNote.assessment_id == assessment_id)).one()
    assert note.stage == "interview"
