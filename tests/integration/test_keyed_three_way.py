"""The three-way rule on the keyed sheets: an exported targets, activities or agencies file carries each
row's origin; on import a cell the file did not change never overwrites the database, a cell changed on
both sides is a conflict the user settles per row, and a hand-made file is compared two ways."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.models import Activity, Agency, RoadmapTarget
from evaluation.services.bulk import imports
from evaluation.services.bulk.activities_sheet import activities_file
from evaluation.services.bulk.agencies_sheet import agencies_file
from evaluation.services.bulk.plan import ImportRefused
from evaluation.services.bulk.targets_sheet import targets_file
from evaluation.services.roadmap import save_activity
from tests.integration.excel_fixtures import Bench, Own

pytestmark = pytest.mark.db


def changed(data: bytes, sheet: str, match: tuple[str, str], cells: dict[str, object]) -> bytes:
    """The workbook with `cells` (header -> value) set on the row whose `match[0]` column is `match[1]`."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[sheet]
    header = {cell.value: cell.column for cell in ws[1]}
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, header[match[0]]).value == match[1]]
    assert len(rows) == 1, rows
    for name, value in cells.items():
        ws.cell(rows[0], header[name]).value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def without_origin(data: bytes, sheet: str) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[sheet]
    ws.delete_cols(ws.max_column)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plan_of(bench: Bench, who, data: bytes):
    with read_session(bench.engine) as session:
        return imports.plan(session, actor=who, data=data, filename="file.xlsx")


def apply(bench: Bench, who, data: bytes, **options):
    with write_session(bench.engine) as session:
        return imports.apply(session, actor=who, data=data, filename="file.xlsx", **options)


def save(bench: Bench, own: Own, who, title: str, owner: str, due: date, activity_id=None) -> int:
    with write_session(bench.engine) as session:
        return save_activity(
            session,
            actor=who,
            agency_id=own.id,
            framework_id="pemdi-2026",
            title=title,
            owner=owner,
            starts_on=date(2026, 1, 5),
            due_on=due,
            indicators=["I01", "I03"],
            activity_id=activity_id,
        )


def stored_activity(bench: Bench, activity_id: int) -> Activity:
    with read_session(bench.engine) as session:
        found = session.get(Activity, activity_id)
        assert found is not None
        session.expunge(found)
        return found


@pytest.fixture
def exported(bench: Bench) -> tuple[Own, int, bytes]:
    """An agency's activity, and the activities file its coordinator downloaded."""
    own = bench.agency()
    activity_id = save(bench, own, own.coordinator, "Arsitektur Pemdi", "Bidang Aptika", date(2026, 6, 30))
    with read_session(bench.engine) as session:
        data = activities_file(session, actor=own.coordinator)
    return own, activity_id, data


def test_a_cell_the_file_did_not_change_never_overwrites_a_newer_database_value(bench, exported):
    own, activity_id, data = exported
    save(bench, own, own.operator, "Arsitektur Pemdi", "Bidang Statistik", date(2026, 6, 30), activity_id)
    upload = changed(data, "Kegiatan", ("Nama kegiatan", "Arsitektur Pemdi"), {"Selesai": "2026-09-30"})
    preview = plan_of(bench, own.coordinator, upload)
    assert preview.ok and preview.has_origin and preview.conflicts == []
    assert [(c.key, c.old, c.new) for c in preview.changes()] == [
        ("due_on", date(2026, 6, 30), date(2026, 9, 30))
    ]
    assert preview.kept == 1
    apply(bench, own.coordinator, upload, preview=preview)
    stored = stored_activity(bench, activity_id)
    assert (stored.owner, stored.due_on) == ("Bidang Statistik", date(2026, 9, 30))


def test_a_cell_changed_in_the_file_and_in_the_database_is_a_conflict_with_both_values_and_who(
    bench, exported
):
    own, activity_id, data = exported
    save(bench, own, own.operator, "Arsitektur Pemdi", "Bidang Statistik", date(2026, 6, 30), activity_id)
    upload = changed(data, "Kegiatan", ("Nama kegiatan", "Arsitektur Pemdi"), {"Penanggung jawab": "Bappeda"})
    preview = plan_of(bench, own.coordinator, upload)
    [conflict] = preview.conflicts
    assert (conflict.row, conflict.column, conflict.key) == (2, "D", "owner")
    assert (conflict.file_value, conflict.db_value) == ("Bappeda", "Bidang Statistik")
    assert conflict.changed_by == own.operator.username and conflict.changed_at is not None
    with pytest.raises(ImportRefused) as refused:
        apply(bench, own.coordinator, upload)
    assert [(p.row, p.column) for p in refused.value.plan.problems] == [(2, "D")]
    assert stored_activity(bench, activity_id).owner == "Bidang Statistik"


@pytest.mark.parametrize(("choice", "owner"), [("database", "Bidang Statistik"), ("file", "Bappeda")])
def test_the_user_keeps_the_files_or_the_databases_value_per_row(bench, exported, choice, owner):
    own, activity_id, data = exported
    save(bench, own, own.operator, "Arsitektur Pemdi", "Bidang Statistik", date(2026, 6, 30), activity_id)
    upload = changed(
        data,
        "Kegiatan",
        ("Nama kegiatan", "Arsitektur Pemdi"),
        {"Penanggung jawab": "Bappeda", "Catatan": "dipercepat"},
    )
    apply(bench, own.coordinator, upload, choices={2: choice})
    stored = stored_activity(bench, activity_id)
    assert (stored.owner, stored.notes) == (owner, "dipercepat")


def test_a_hand_made_file_without_the_origin_column_imports_two_ways(bench, exported):
    own, activity_id, data = exported
    save(bench, own, own.operator, "Arsitektur Pemdi", "Bidang Statistik", date(2026, 6, 30), activity_id)
    upload = without_origin(
        changed(data, "Kegiatan", ("Nama kegiatan", "Arsitektur Pemdi"), {"Catatan": "x"}), "Kegiatan"
    )
    preview = plan_of(bench, own.coordinator, upload)
    assert not preview.has_origin and preview.conflicts == []
    apply(bench, own.coordinator, upload)
    assert stored_activity(bench, activity_id).owner == "Bidang Aptika"  # the file's, as before the rule


def test_a_damaged_origin_cell_is_a_located_problem(bench, exported):
    own, _activity_id, data = exported
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["Kegiatan"]
    ws.cell(2, ws.max_column).value = "P1;owner=AAAAAAAA;BBBBBBBB"
    buffer = io.BytesIO()
    book.save(buffer)
    preview = plan_of(bench, own.coordinator, buffer.getvalue())
    assert [(p.row, p.column) for p in preview.problems] == [
        (2, openpyxl.utils.get_column_letter(ws.max_column))
    ]


def test_a_target_value_the_file_did_not_change_stays_as_the_database_has_it(bench):
    own = bench.agency()
    with write_session(bench.engine) as session:
        session.add(
            RoadmapTarget(
                agency_id=own.id,
                framework_id="pemdi-2026",
                horizon="short",
                baseline_year=2026,
                target_year=2027,
                target_value=3.0,
            )
        )
    with read_session(bench.engine) as session:
        data = targets_file(session, actor=own.coordinator)
    with write_session(bench.engine) as session:
        target = session.exec(select(RoadmapTarget).where(RoadmapTarget.agency_id == own.id)).one()
        target.target_value = 3.4
        session.add(target)
    upload = changed(data, "Target", ("Kode instansi", own.code), {"Catatan": "disepakati"})
    apply(bench, own.coordinator, upload)
    with read_session(bench.engine) as session:
        target = session.exec(select(RoadmapTarget).where(RoadmapTarget.agency_id == own.id)).one()
    assert (target.target_value, target.note) == (3.4, "disepakati")


def test_an_agency_name_changed_on_both_sides_is_a_conflict_and_its_province_is_kept(bench):
    own = bench.agency()
    with read_session(bench.engine) as session:
        data = agencies_file(session, actor=bench.admin)
    with write_session(bench.engine) as session:
        agency = session.get(Agency, own.id)
        assert agency is not None
        agency.name, agency.province = "Kota Uji Baru", "Jawa Tengah"
        session.add(agency)
    upload = changed(data, "Instansi", ("Kode instansi", own.code), {"Nama instansi": "Kota Uji Lain"})
    preview = plan_of(bench, bench.admin, upload)
    assert [(c.key, c.file_value, c.db_value) for c in preview.conflicts] == [
        ("name", "Kota Uji Lain", "Kota Uji Baru")
    ]
    parent = changed(data, "Instansi", ("Kode instansi", own.code), {"Kode induk": "UJ-INDUK"})
    with write_session(bench.engine) as session:
        session.add(Agency(code="UJ-INDUK", name="Provinsi Induk", category="Provinsi"))
    assert [(c.key, c.old, c.new) for c in plan_of(bench, bench.admin, parent).changes()] == [
        ("parent_id", None, "UJ-INDUK")  # codes, as people know them, not row ids
    ]
    apply(bench, bench.admin, upload, default_choice="file")
    with read_session(bench.engine) as session:
        agency = session.get(Agency, own.id)
        assert agency is not None
        assert (agency.name, agency.province) == ("Kota Uji Lain", "Jawa Tengah")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("builder", [targets_file, activities_file, agencies_file])
def test_every_keyed_export_imported_again_changes_nothing_and_carries_its_origin(bench, builder, fmt):
    own = bench.agency()
    save(bench, own, own.coordinator, "=Rumus yang bukan rumus", "+62 812", date(2026, 6, 30))
    with write_session(bench.engine) as session:
        session.add(
            RoadmapTarget(
                agency_id=own.id,
                framework_id="pemdi-2026",
                horizon="medium",
                baseline_year=2026,
                baseline_value=2.25,
                target_year=2029,
                target_value=3.5,
                note="- Perwal No. 12/2025",
            )
        )
    with read_session(bench.engine) as session:
        data = builder(session, actor=bench.admin, fmt=fmt)
    with read_session(bench.engine) as session:
        preview = imports.plan(session, actor=bench.admin, data=data, filename=f"file.{fmt}")
    assert preview.problems == [] and preview.has_origin and preview.rows_without_origin == 0
    assert preview.counts["insert"] == preview.counts["update"] == 0 and preview.changes() == []


def test_a_row_whose_record_was_renamed_in_the_app_since_the_export_is_a_problem_not_a_new_record(
    bench, exported
):
    own, activity_id, data = exported
    with write_session(bench.engine) as session:
        activity = session.get(Activity, activity_id)
        assert activity is not None
        activity.title = "Arsitektur Pemdi Kota"
        session.add(activity)
    preview = plan_of(bench, own.coordinator, data)
    assert [(p.row, "diganti nama" in p.reason("id")) for p in preview.problems] == [(2, True)]
    cleared = changed(data, "Kegiatan", ("Nama kegiatan", "Arsitektur Pemdi"), {"_asal": None})
    assert plan_of(bench, own.coordinator, cleared).counts["insert"] == 1  # a new record, knowingly
