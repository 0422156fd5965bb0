"""The keyed sheets (targets, activities, agencies, published results): the dry run makes every check the
apply step makes, so a clean preview applies and a refused file names every problem by sheet, row and
column; a record changed in the database after the preview refuses the apply and names the row."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from evaluation.__main__ import main
from evaluation.db import read_session, write_session
from evaluation.models import Activity, Agency, PublishedResult, RoadmapTarget
from evaluation.services.bulk import imports
from evaluation.services.bulk.plan import ImportRefused
from evaluation.services.roadmap import save_activity
from tests.integration.excel_fixtures import Bench, table_rows

pytestmark = pytest.mark.db
CASE = Path(__file__).resolve().parent.parent / "fixtures" / "cases" / "kegiatan_apply_refused.csv"
ACTIVITY_HEADER = ["Kode instansi", "Kerangka", "Nama kegiatan", "Penanggung jawab", "Mulai", "Selesai"]
ACTIVITY_HEADER += ["Status", "Tingkat sasaran", "Indikator terkait"]
TARGET_HEADER = ["Kode instansi", "Kerangka", "Jangka", "Jenis target", "Kode yang ditargetkan"]
TARGET_HEADER += ["Tahun dasar", "Nilai dasar", "Tahun target", "Nilai target"]
AGENCY_HEADER = ["Kode instansi", "Nama instansi", "Kategori", "Provinsi", "Kode induk", "Aktif"]
PUBLISHED_HEADER = ["Kode instansi", "Tahun", "Kerangka", "D1", "D2", "D3", "D4", "Sumber"]


def as_csv(header: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def kota(bench: Bench) -> Bench:
    """The field case names KOTA-001: the bench gets that agency once."""
    with write_session(bench.engine) as session:
        if session.exec(select(Agency).where(Agency.code == "KOTA-001")).first() is None:
            session.add(Agency(code="KOTA-001", name="Kota Satu", category="Kota"))
    return bench


def test_the_field_case_previews_both_problems_with_their_reasons_and_apply_refuses_the_same(kota):
    data = CASE.read_bytes()
    with Session(kota.engine) as session:
        before = table_rows(session)
        preview = imports.plan(session, actor=kota.admin, data=data, filename=CASE.name)
        located = [(p.row, p.column) for p in preview.problems]
        assert located == [(2, "F"), (3, "I")]
        assert "sebelum tanggal mulai" in preview.problems[0].reason("id")
        assert "I99" in preview.problems[1].reason("en")
        with pytest.raises(ImportRefused) as refused:
            imports.apply(session, actor=kota.admin, data=data, filename=CASE.name, preview=preview)
        assert refused.value.plan.problems == preview.problems
        session.rollback()
        assert table_rows(session) == before


def test_the_import_command_lists_each_problem_of_the_field_case(kota, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", kota.engine.url.render_as_string(hide_password=False))
    with write_session(kota.engine) as session:
        if session.exec(select(Agency).where(Agency.code == "KOTA-001")).first() is None:
            pytest.fail("the fixture's agency is missing")
    assert main(["import", str(CASE), "--as", "admin-uji", "--lang", "en"]) == 1
    out, err = capsys.readouterr()
    assert "conflicts with changes made in the app since the file was made cannot be detected" in out
    assert "!F2: The due date is before the start date" in err
    assert "!I3: Choose known indicators of pemdi-2026 (I99)" in err


def test_an_overlong_title_and_an_unknown_status_are_preview_problems_not_database_errors(bench):
    own = bench.agency()
    data = as_csv(
        ACTIVITY_HEADER,
        [
            [own.code, "pemdi-2026", "x" * 201, "Kominfo", "2026-01-01", "2026-02-01", "", "", "I01"],
            [own.code, "pemdi-2026", "Survei", "Kominfo", "2026-01-01", "2026-02-01", "paused", "6", "I01"],
        ],
    )
    with read_session(bench.engine) as session:
        preview = imports.plan(session, actor=own.coordinator, data=data, filename="kegiatan.csv")
    assert [(p.row, p.column) for p in preview.problems] == [(2, "C"), (3, "G"), (3, "H")]


def test_a_target_with_a_baseline_off_the_scale_or_an_unknown_share_category_is_a_preview_problem(bench):
    own = bench.agency()
    data = as_csv(
        [*TARGET_HEADER, "Kategori (target porsi)", "Predikat minimal (target porsi)"],
        [
            [own.code, "pemdi-2026", "pendek", "index", "", 2026, 9, 2027, 3.0, "", ""],
            ["", "pemdi-2026", "pendek", "share", "", 2026, "", 2027, 0.5, "Desa", "Baik"],
            ["", "pemdi-2026", "pendek", "share", "", 2026, "", 2027, 0.5, "Kota", "Luar biasa"],
            [own.code, "pemdi-2026", "pendek", "index", "", 2026, "", 2**40, 3.0, "", ""],
        ],
    )
    with read_session(bench.engine) as session:
        preview = imports.plan(session, actor=bench.admin, data=data, filename="target.csv")
    assert [(p.row, p.column) for p in preview.problems] == [(2, "G"), (3, "J"), (4, "K"), (5, "H")]


def test_an_agency_code_longer_than_its_column_is_a_preview_problem(bench):
    data = as_csv(AGENCY_HEADER, [["K" * 33, "Kota Panjang", "Kota", "", "", "ya"]])
    with read_session(bench.engine) as session:
        preview = imports.plan(session, actor=bench.admin, data=data, filename="instansi.csv")
    assert [(p.row, p.column, "32" in p.reason("en")) for p in preview.problems] == [(2, "A", True)]


def test_a_published_source_longer_than_its_column_is_a_preview_problem(bench):
    own = bench.agency()
    data = as_csv(PUBLISHED_HEADER, [[own.code, 2024, "spbe-2020", 3, 3, 3, 3, "s" * 201]])
    with read_session(bench.engine) as session:
        preview = imports.plan(session, actor=bench.admin, data=data, filename="hasil.csv")
    assert [(p.row, p.column) for p in preview.problems] == [(2, "H")]


# --- the database changed between the preview and the apply -------------------------------------------


def _activity_row(code: str, owner: str) -> list[object]:
    return [code, "pemdi-2026", "Penyusunan arsitektur", owner, "2026-01-01", "2026-06-30", "", "", "I01"]


def test_an_activity_edited_after_the_preview_refuses_the_apply_and_names_its_row(bench):
    own = bench.agency()
    with write_session(bench.engine) as session:
        activity_id = save_activity(
            session,
            actor=own.coordinator,
            agency_id=own.id,
            framework_id="pemdi-2026",
            title="Penyusunan arsitektur",
            owner="Kominfo",
            starts_on=date(2026, 1, 1),
            due_on=date(2026, 6, 30),
            indicators=["I01"],
        )
    data = as_csv(ACTIVITY_HEADER, [_activity_row(own.code, "Bidang Aptika")])
    with read_session(bench.engine) as session:
        preview = imports.plan(session, actor=own.coordinator, data=data, filename="kegiatan.csv")
    assert preview.ok and preview.counts["update"] == 1
    with write_session(bench.engine) as session:  # a colleague edits it in the app meanwhile
        save_activity(
            session,
            actor=own.operator,
            agency_id=own.id,
            framework_id="pemdi-2026",
            title="Penyusunan arsitektur",
            owner="Bidang Statistik",
            starts_on=date(2026, 1, 1),
            due_on=date(2026, 6, 30),
            indicators=["I01"],
            activity_id=activity_id,
        )
    with pytest.raises(ImportRefused) as refused, write_session(bench.engine) as session:
        imports.apply(session, actor=own.coordinator, data=data, filename="kegiatan.csv", preview=preview)
    assert [(p.row, "sejak pratinjau" in p.reason("id")) for p in refused.value.plan.problems] == [(2, True)]
    with read_session(bench.engine) as session:
        assert session.get(Activity, activity_id).owner == "Bidang Statistik"  # type: ignore[union-attr]


def test_a_target_edited_after_the_preview_refuses_the_apply_and_names_its_row(bench):
    own = bench.agency()
    row = [own.code, "pemdi-2026", "pendek", "index", "", 2026, "", 2027, 3.0]
    first = as_csv(TARGET_HEADER, [row])
    with write_session(bench.engine) as session:
        imports.apply(session, actor=own.coordinator, data=first, filename="target.csv")
    changed = as_csv(TARGET_HEADER, [[*row[:-1], 3.5]])
    with read_session(bench.engine) as session:
        preview = imports.plan(session, actor=own.coordinator, data=changed, filename="target.csv")
    assert preview.ok and preview.counts["update"] == 1
    with write_session(bench.engine) as session:
        target = session.exec(select(RoadmapTarget).where(RoadmapTarget.agency_id == own.id)).one()
        target.target_value = 3.2
        session.add(target)
    with pytest.raises(ImportRefused) as refused, write_session(bench.engine) as session:
        imports.apply(session, actor=own.coordinator, data=changed, filename="target.csv", preview=preview)
    assert [p.row for p in refused.value.plan.problems] == [2]


def test_an_agency_edited_after_the_preview_refuses_the_apply_and_names_its_row(bench):
    own = bench.agency()
    data = as_csv(AGENCY_HEADER, [[own.code, "Kota Baru", "Kota", "", "", "ya"]])
    with read_session(bench.engine) as session:
        preview = imports.plan(session, actor=bench.admin, data=data, filename="instansi.csv")
    with write_session(bench.engine) as session:
        agency = session.get(Agency, own.id)
        assert agency is not None
        agency.province = "Jawa Barat"
        session.add(agency)
    with pytest.raises(ImportRefused) as refused, write_session(bench.engine) as session:
        imports.apply(session, actor=bench.admin, data=data, filename="instansi.csv", preview=preview)
    assert [p.row for p in refused.value.plan.problems] == [2]


def test_a_published_result_stored_after_the_preview_refuses_the_apply_and_names_its_row(bench):
    own = bench.agency()
    first = as_csv(PUBLISHED_HEADER, [[own.code, 2024, "spbe-2020", 3, 3, 3, 3, "LKj"]])
    second = as_csv(PUBLISHED_HEADER, [[own.code, 2024, "spbe-2020", 3, 3, 3, 4, "LKj"]])
    with write_session(bench.engine) as session:
        imports.apply(session, actor=bench.admin, data=first, filename="hasil.csv")
    with read_session(bench.engine) as session:
        preview = imports.plan(session, actor=bench.admin, data=second, filename="hasil.csv")
    with write_session(bench.engine) as session:
        stored = session.exec(select(PublishedResult).where(PublishedResult.agency_id == own.id)).one()
        stored.source = "Laporan lain"
        session.add(stored)
    with pytest.raises(ImportRefused) as refused, write_session(bench.engine) as session:
        imports.apply(session, actor=bench.admin, data=second, filename="hasil.csv", preview=preview)
    assert [p.row for p in refused.value.plan.problems] == [2]


def test_without_a_preview_the_apply_takes_the_file_as_planned_then(bench):
    own = bench.agency()
    data = as_csv(ACTIVITY_HEADER, [_activity_row(own.code, "Kominfo")])
    with write_session(bench.engine) as session:
        applied = imports.apply(session, actor=own.coordinator, data=data, filename="kegiatan.csv")
    assert applied.counts["insert"] == 1


# --- the preview lists each changed cell -----------------------------------------------------------------


def test_the_preview_lists_each_changed_target_cell_old_and_new(bench):
    own = bench.agency()
    row = [own.code, "pemdi-2026", "pendek", "index", "", 2026, "", 2027, 3.0]
    with write_session(bench.engine) as session:
        imports.apply(session, actor=own.coordinator, data=as_csv(TARGET_HEADER, [row]), filename="t.csv")
    changed = as_csv(TARGET_HEADER, [[*row[:6], 2.4, 2028, 3.5]])
    with read_session(bench.engine) as session:
        preview = imports.plan(session, actor=own.coordinator, data=changed, filename="t.csv")
    assert [(c.row, c.column, c.key, c.old, c.new) for c in preview.changes()] == [
        (2, "G", "baseline_value", None, 2.4),
        (2, "H", "target_year", 2027, 2028),
        (2, "I", "target_value", 3.0, 3.5),
    ]
    assert preview.changes()[0].label.startswith(own.code)
    assert preview.headers("id")["target_value"] == "Nilai target"
    assert preview.headers("en")["agency_id"] == "Agency code"


def test_the_preview_lists_each_changed_published_value_old_and_new(bench):
    own = bench.agency()
    first = as_csv(PUBLISHED_HEADER, [[own.code, 2024, "spbe-2020", 3, 3, 3, 3, "LKj"]])
    with write_session(bench.engine) as session:
        imports.apply(session, actor=bench.admin, data=first, filename="hasil.csv")
    second = as_csv(PUBLISHED_HEADER, [[own.code, 2024, "spbe-2020", 3, 3, 3, 4, "LKj 2024"]])
    with read_session(bench.engine) as session:
        preview = imports.plan(session, actor=bench.admin, data=second, filename="hasil.csv")
    assert [(c.column, c.key, c.old, c.new) for c in preview.changes()] == [
        ("G", "D4", 3.0, 4.0),
        ("H", "source", "LKj", "LKj 2024"),
    ]
    assert preview.headers("en")["source"] == "Source"


def test_a_new_activity_lists_each_of_its_cells_as_new(bench):
    own = bench.agency()
    data = as_csv(ACTIVITY_HEADER, [_activity_row(own.code, "Kominfo")])
    with read_session(bench.engine) as session:
        preview = imports.plan(session, actor=own.coordinator, data=data, filename="kegiatan.csv")
    changes = {c.key: (c.old, c.new) for c in preview.changes()}
    assert changes["owner"] == (None, "Kominfo") and changes["indicators"] == (None, "I01")
    assert changes["due_on"] == (None, date(2026, 6, 30))
    assert preview.headers("id")["owner"] == "Penanggung jawab"
