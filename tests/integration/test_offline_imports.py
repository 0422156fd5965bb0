"""Spreadsheets filled offline (issue 10): the origin column, the three-way rule on import, conflicts with
both values and who changed the database, the user's choice per row, skipped rows, preview equals apply,
and the field case of a stale operator's file."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import update
from sqlmodel import col

from evaluation.db import write_session
from evaluation.excel_io.provenance import ORIGIN_HEADERS
from evaluation.models import Agency, IndicatorScore
from evaluation.services.bulk import imports
from evaluation.services.bulk.assessment_import import ImportRefused, apply_assessment_import
from evaluation.services.score_versions import score_versions
from evaluation.services.self_assessment import save_self_assessment
from tests.integration.excel_fixtures import (
    LETTER,
    PEMDI_CODES,
    Bench,
    Own,
    apply,
    db_state,
    edited,
    exported,
    in_review,
    opened,
    plan,
    save,
    scores_of,
)

pytestmark = pytest.mark.db
FIELD_CASE = Path("/work/shared/cases/stale_operator.xlsx")
ROW = {code: n for n, code in enumerate(PEMDI_CODES, start=2)}  # an agency template's row per indicator


def change_in_app(bench: Bench, own: Own, actor, entries: dict) -> None:
    """A colleague's save in the app (the form's service, on the score versions it reads)."""
    assessment_id = opened(bench, own)
    with write_session(bench.engine) as session:
        read = score_versions(session, assessment_id)
        save_self_assessment(
            session,
            actor=actor,
            assessment_id=assessment_id,
            versions={code: read.get(code, 0) for code in entries},
            entries=entries,
        )


def set_cells(data: bytes, cells: dict[str, object]) -> bytes:
    def edit(ws):
        for ref, value in cells.items():
            ws[ref] = value

    return edited(data, edit)


@pytest.fixture
def offline(bench: Bench):
    """An agency with levels 2 everywhere, and the operator's template exported before anything else."""
    own = bench.agency()
    save(bench, own, {c: {"level": 2, "justification": f"Awal {c}"} for c in PEMDI_CODES})
    return own, exported(bench, own.operator)


# --- the offline sequence ------------------------------------------------------------------------


def test_a_cell_the_file_did_not_change_keeps_the_colleague_s_newer_value(bench, offline):
    own, template = offline
    change_in_app(bench, own, own.coordinator, {"I03": {"level": 4, "justification": "Koordinator"}})
    data = set_cells(template, {f"{LETTER['self_level']}{ROW['I04']}": 3})
    checked = plan(bench, own.operator, data)
    assert checked.problems == [] and checked.conflicts == []
    assert checked.kept == 2  # I03's level and justification: the database's newer values stay
    assert [(c.indicator, c.key, c.old, c.new) for c in checked.changes()] == [
        ("I04", "self_level", 2.0, 3.0)
    ]
    apply(bench, own.operator, data)
    stored = scores_of(bench.engine, own.id, bench.pemdi)
    assert (stored["I03"].self_level, stored["I03"].justification) == (4.0, "Koordinator")
    assert stored["I04"].self_level == 3.0


def test_a_cell_changed_in_the_file_and_in_the_app_is_a_conflict_with_both_values_who_and_when(
    bench, offline
):
    own, template = offline
    change_in_app(bench, own, own.coordinator, {"I03": {"level": 4}})
    data = set_cells(template, {f"{LETTER['self_level']}{ROW['I03']}": 5})
    checked = plan(bench, own.operator, data)
    assert checked.problems == []
    [conflict] = checked.conflicts
    assert (conflict.row, conflict.column, conflict.indicator, conflict.key) == (
        ROW["I03"],
        LETTER["self_level"],
        "I03",
        "self_level",
    )
    assert (conflict.file_value, conflict.db_value) == (5.0, 4.0)
    assert conflict.changed_by == own.coordinator.username and conflict.changed_at is not None
    assert checked.changes() == []  # nothing is written for a conflict until the user chooses


def test_an_unsettled_conflict_refuses_the_import_naming_the_cell_and_changes_nothing(bench, offline):
    own, template = offline
    change_in_app(bench, own, own.coordinator, {"I03": {"level": 4}})
    data = set_cells(
        template, {f"{LETTER['self_level']}{ROW['I03']}": 5, f"{LETTER['self_level']}{ROW['I05']}": 1}
    )
    before = db_state(bench.engine)
    with pytest.raises(ImportRefused) as refused:
        apply(bench, own.operator, data)
    assert [(p.row, p.column) for p in refused.value.plan.problems] == [(ROW["I03"], LETTER["self_level"])]
    assert f"Penilaian!F{ROW['I03']}" in str(refused.value)  # the message lists it, not only a count
    assert db_state(bench.engine) == before


@pytest.mark.parametrize(("choice", "expected"), [("file", 5.0), ("database", 4.0)])
def test_the_user_keeps_the_file_s_or_the_database_s_value_per_row(bench, offline, choice, expected):
    own, template = offline
    change_in_app(bench, own, own.coordinator, {"I03": {"level": 4}})
    data = set_cells(
        template, {f"{LETTER['self_level']}{ROW['I03']}": 5, f"{LETTER['self_level']}{ROW['I05']}": 1}
    )
    with write_session(bench.engine) as session:
        applied = apply_assessment_import(
            session, actor=own.operator, data=data, filename="t.xlsx", choices={ROW["I03"]: choice}
        )
    assert applied.ok
    stored = scores_of(bench.engine, own.id, bench.pemdi)
    assert stored["I03"].self_level == expected
    assert stored["I05"].self_level == 1.0


def test_a_file_changed_to_what_the_app_already_holds_is_no_conflict(bench, offline):
    own, template = offline
    change_in_app(bench, own, own.coordinator, {"I03": {"level": 4}})
    checked = plan(bench, own.operator, set_cells(template, {f"{LETTER['self_level']}{ROW['I03']}": 4}))
    assert checked.conflicts == [] and checked.counts["update"] == 0


def test_a_csv_export_carries_the_origin_as_its_visible_last_column_and_follows_the_same_rule(bench, offline):
    own, _template = offline
    data = exported(bench, own.operator, fmt="csv")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[-1] == ORIGIN_HEADERS[0]
    change_in_app(bench, own, own.coordinator, {"I03": {"level": 4}})
    checked = plan(bench, own.operator, data, "ekspor.csv")
    assert checked.problems == [] and checked.conflicts == [] and checked.counts["update"] == 0
    assert checked.kept == 1


# --- files without the origin column, damaged tokens ---------------------------------------------


def test_a_hand_made_file_without_the_origin_column_imports_and_says_conflicts_cannot_be_detected(
    bench, offline
):
    own, template = offline

    def drop_origin(ws):
        ws.delete_cols(11)

    data = edited(set_cells(template, {f"{LETTER['self_level']}{ROW['I04']}": 3}), drop_origin)
    checked = plan(bench, own.operator, data)
    assert checked.has_origin is False and checked.problems == []
    apply(bench, own.operator, data)
    assert scores_of(bench.engine, own.id, bench.pemdi)["I04"].self_level == 3.0


def test_a_damaged_origin_token_on_a_changed_row_is_a_located_problem_not_a_crash(bench, offline):
    own, template = offline
    level = f"{LETTER['self_level']}{ROW['I02']}"
    data = set_cells(template, {f"K{ROW['I02']}": "P1;self_level=rusak;xxxxxxxx", level: 4})
    checked = plan(bench, own.operator, data)
    assert [(p.row, p.column) for p in checked.problems] == [(ROW["I02"], "K")]
    assert "_asal" in checked.problems[0].reason("id")


def test_an_origin_token_copied_onto_another_changed_row_is_refused(bench, offline):
    own, template = offline
    sheet = openpyxl.load_workbook(io.BytesIO(template))["Penilaian"]
    level = f"{LETTER['self_level']}{ROW['I02']}"
    data = set_cells(template, {f"K{ROW['I02']}": sheet[f"K{ROW['I01']}"].value, level: 4})
    assert [(p.row, p.column) for p in plan(bench, own.operator, data).problems] == [(ROW["I02"], "K")]


# --- the field case ------------------------------------------------------------------------------


def test_the_stale_operator_file_does_not_put_the_colleague_s_i03_back(bench):
    """/work/shared/cases/stale_operator.xlsx: KOTA-001's 2026 template (no origin column, made before this
    work), only I04 changed in it; a colleague changed I03 in the app since. The agency's state when the
    file was made is the file's values with I04 as it was; the colleague's change is a form save."""
    field_file = FIELD_CASE.read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(field_file))["Penilaian"]
    values = {
        line[3]: {"level": line[5], "justification": line[6]}
        for line in sheet.iter_rows(min_row=2, values_only=True)
    }
    values["I04"] = {"level": 1.0, "justification": values["I04"]["justification"]}  # before the file
    with write_session(bench.engine) as session:
        session.add(Agency(code="KOTA-001", name="Pemerintah Kota Banda Aceh", category="Kota"))
    own = bench_agency_by_code(bench, "KOTA-001")
    save(bench, own, {c: {k: v for k, v in e.items() if v is not None} for c, e in values.items()})
    change_in_app(bench, own, own.coordinator, {"I03": {"level": 3.0}})

    checked = plan(bench, own.operator, field_file)
    assert checked.has_origin is False
    assert [(c.indicator, c.file_value, c.db_value) for c in checked.conflicts] == [("I03", 1.26, 3.0)]
    assert checked.conflicts[0].changed_by == own.coordinator.username
    assert [(c.indicator, c.new) for c in checked.changes()] == [("I04", 1.5)]
    with pytest.raises(ImportRefused):
        apply(bench, own.operator, field_file)
    with write_session(bench.engine) as session:
        imports.apply(
            session,
            actor=own.operator,
            data=field_file,
            filename="stale_operator.xlsx",
            default_choice="database",
        )
    stored = scores_of(bench.engine, own.id, bench.pemdi)
    assert stored["I03"].self_level == 3.0  # the colleague's value
    assert stored["I04"].self_level == 1.5


def bench_agency_by_code(bench: Bench, code: str) -> Own:
    """Users for an agency made outside `bench.agency()` (the field case needs its real code)."""
    from evaluation.models import User
    from evaluation.services.auth import actor_of
    from tests.integration.excel_fixtures import NO_HASH

    with write_session(bench.engine) as session:
        agency = session.exec(__import__("sqlmodel").select(Agency).where(Agency.code == code)).one()
        actors = {}
        for role in ("operator", "coordinator"):
            user = User(
                username=f"{role}-{code.lower()}",
                full_name=role,
                password_hash=NO_HASH,
                role=role,
                agency_id=agency.id,
            )
            session.add(user)
            session.flush()
            actors[role] = actor_of(user)
        return Own(agency.id or 0, code, agency.name, actors["operator"], actors["coordinator"])


# --- the reviewer's national template ------------------------------------------------------------


def test_rows_a_reviewer_may_not_change_and_did_not_change_are_skipped_not_problems(bench):
    reviewing, draft = bench.agency(), bench.agency()
    in_review(bench, reviewing, level=3)
    save(bench, draft, {"I01": {"level": 2}})
    national = exported(bench, bench.reviewer, [reviewing.id, draft.id])
    sheet = openpyxl.load_workbook(io.BytesIO(national))["Penilaian"]
    target = next(r for r in range(2, sheet.max_row + 1) if sheet[f"A{r}"].value == reviewing.code)
    data = set_cells(national, {f"{LETTER['final_level']}{target}": 4})
    checked = plan(bench, bench.reviewer, data)
    assert checked.problems == []
    assert checked.skipped == len(PEMDI_CODES)  # the draft agency's rows
    assert [(c.agency_code, c.indicator, c.new) for c in checked.changes()] == [(reviewing.code, "I01", 4.0)]


def test_a_row_a_reviewer_may_not_change_but_did_is_still_a_problem(bench):
    reviewing, draft = bench.agency(), bench.agency()
    in_review(bench, reviewing, level=3)
    save(bench, draft, {"I01": {"level": 2}})
    national = exported(bench, bench.reviewer, [reviewing.id, draft.id])
    sheet = openpyxl.load_workbook(io.BytesIO(national))["Penilaian"]
    target = next(r for r in range(2, sheet.max_row + 1) if sheet[f"A{r}"].value == draft.code)
    checked = plan(bench, bench.reviewer, set_cells(national, {f"{LETTER['final_level']}{target}": 4}))
    assert [(p.row, p.reason("en")) for p in checked.problems] == [
        (target, "this assessment is not in review")
    ]


# --- preview equals apply ------------------------------------------------------------------------


def test_a_row_changed_in_the_database_between_preview_and_apply_is_refused_by_name(bench, offline):
    own, template = offline
    data = set_cells(
        template, {f"{LETTER['self_level']}{ROW['I04']}": 3, f"{LETTER['self_level']}{ROW['I05']}": 3}
    )
    preview = plan(bench, own.operator, data)
    assert preview.ok and preview.counts["update"] == 2
    with write_session(bench.engine) as session:  # someone writes I05's justification meanwhile
        session.execute(
            update(IndicatorScore)
            .where(
                col(IndicatorScore.indicator_code) == "I05", col(IndicatorScore.justification) == "Awal I05"
            )
            .values(justification="Baru")
        )
    before = db_state(bench.engine)
    with pytest.raises(ImportRefused) as refused, write_session(bench.engine) as session:
        imports.apply(session, actor=own.operator, data=data, filename="t.xlsx", preview=preview)
    assert [p.row for p in refused.value.plan.problems] == [ROW["I05"]]
    assert "since the preview" in refused.value.plan.problems[0].reason("en")
    assert db_state(bench.engine) == before


def test_the_cli_lists_changes_conflicts_and_a_refusal_s_problems_by_sheet_row_and_column(
    bench, offline, tmp_path, capsys, monkeypatch
):
    from evaluation.__main__ import main

    own, template = offline
    change_in_app(bench, own, own.coordinator, {"I03": {"level": 4}})
    path = tmp_path / "offline.xlsx"
    cell = f"{LETTER['self_level']}{ROW['I03']}"
    path.write_bytes(set_cells(template, {cell: 5, f"{LETTER['self_level']}{ROW['I05']}": 1}))
    monkeypatch.setenv("DATABASE_URL", bench.engine.url.render_as_string(hide_password=False))
    assert main(["import", str(path), "--as", own.operator.username, "--lang", "en"]) == 1
    out = capsys.readouterr()
    assert (
        f"Penilaian!{LETTER['self_level']}{ROW['I05']} {own.code} · 2026 · I05 self_level: 2 -> 1" in out.out
    )
    assert f"Penilaian!{cell} {own.code} · 2026 · I03 self_level: CONFLICT file 5, database 4" in out.out
    assert f"changed by {own.coordinator.username}" in out.out
    assert f"Penilaian!{cell}: changed in the file and in the app" in out.err
    assert scores_of(bench.engine, own.id, bench.pemdi)["I05"].self_level == 2.0  # nothing applied
    assert main(["import", str(path), "--as", own.operator.username, "--keep", "database"]) == 0
    stored = scores_of(bench.engine, own.id, bench.pemdi)
    assert (stored["I03"].self_level, stored["I05"].self_level) == (4.0, 1.0)


def test_a_change_in_a_closed_period_is_a_problem_in_the_preview_already_and_unchanged_rows_are_skipped(
    bench,
):
    from evaluation.models import Assessment, Period
    from tests.integration.excel_fixtures import row, workbook

    own = bench.agency()
    with write_session(bench.engine) as session:
        period = session.get(Period, bench.spbe)
        assert period is not None and period.status == "closed"
        session.add(
            Assessment(
                agency_id=own.id,
                period_id=bench.spbe,
                framework_version_id=period.framework_version_id,
                status="in_review",
            )
        )
    data = workbook([row(own.code, "I01", year=2025, final_level=3), row(own.code, "I02", year=2025)])
    checked = plan(bench, bench.reviewer, data)
    assert [(p.row, p.reason("en")) for p in checked.problems] == [
        (2, "the 2025 period is closed; it is read-only")
    ]
    assert checked.skipped == 1
    before = db_state(bench.engine)
    with pytest.raises(ImportRefused):
        apply(bench, bench.reviewer, data)
    assert db_state(bench.engine) == before


def test_a_damaged_origin_token_on_a_row_the_file_leaves_as_stored_decides_nothing_and_is_no_problem(
    bench, offline
):
    own, template = offline
    checked = plan(bench, own.operator, set_cells(template, {f"K{ROW['I02']}": "rusak"}))
    assert checked.problems == [] and checked.counts["unchanged"] == len(PEMDI_CODES)
