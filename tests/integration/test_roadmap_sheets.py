"""Roadmap targets, activities and the agency register through Excel: round trips, located problems,
permissions, and applications that write everything or nothing."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.demo.data import DEMO_USERS
from evaluation.models import Activity, ActivityIndicator, Agency, AuditEntry, RoadmapTarget
from evaluation.services.actors import PermissionDenied
from evaluation.services.auth import actor_of, authenticate
from evaluation.services.bulk import imports
from evaluation.services.bulk.activities_sheet import activities_file
from evaluation.services.bulk.agencies_sheet import agencies_file
from evaluation.services.bulk.assessment_import import ImportRefused
from evaluation.services.bulk.targets_sheet import targets_file
from evaluation.services.roadmap import save_activity

pytestmark = pytest.mark.db
DEMO_PASSWORDS = {username: password for username, *_rest, password in DEMO_USERS}


def actor(engine, name):
    with write_session(engine) as session:
        return actor_of(authenticate(session, username=name, password=DEMO_PASSWORDS[name]))


def build(engine, who, builder):
    with read_session(engine) as session:
        return builder(session, actor=who)


def plan(engine, who, data, name="file.xlsx"):
    with read_session(engine) as session:
        return imports.plan(session, actor=who, data=data, filename=name)


def edited(data, sheet, rows):
    book = openpyxl.load_workbook(io.BytesIO(data))
    for row in rows:
        book[sheet].append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def count(engine, model):
    with read_session(engine) as session:
        return len(session.exec(select(model)).all())


@pytest.mark.parametrize(
    ("who", "builder"),
    [
        ("admin", targets_file),
        ("koordinator", targets_file),
        ("admin", agencies_file),
        ("koordinator", activities_file),
    ],
)
def test_an_export_imported_again_changes_nothing(demo_engine, who, builder):
    person = actor(demo_engine, who)
    checked = plan(demo_engine, person, build(demo_engine, person, builder))
    assert checked.problems == []
    assert checked.counts["insert"] == checked.counts["update"] == 0


def test_an_agency_cannot_import_another_agencys_target_and_a_value_outside_the_scale_is_located(demo_engine):
    person = actor(demo_engine, "koordinator")
    data = edited(
        build(demo_engine, person, targets_file),
        "Target",
        [
            ["KAB-001", "pemdi-2026", "pendek", "index", None, None, None, 2026, 2.5, 2027, 3.0],
            ["KOTA-001", "pemdi-2026", "panjang", "index", None, None, None, 2026, 2.5, 2031, 9],
        ],
    )
    before = count(demo_engine, RoadmapTarget)
    checked = plan(demo_engine, person, data)
    assert [(p.column, "Anda" in p.reason("id") or "1-5" in p.reason("id")) for p in checked.problems] == [
        ("A", True),
        ("K", True),
    ]
    with pytest.raises(ImportRefused), write_session(demo_engine) as session:
        imports.apply(session, actor=person, data=data, filename="file.xlsx")
    assert count(demo_engine, RoadmapTarget) == before


def test_a_new_national_target_from_the_ministry_is_applied_in_one_change_set(demo_engine):
    person = actor(demo_engine, "asesor")
    data = edited(
        build(demo_engine, person, targets_file),
        "Target",
        [
            [None, "pemdi-2026", "menengah", "index", None, None, None, 2026, 2.8, 2029, 3.3, "nasional"],
        ],
    )
    with write_session(demo_engine) as session:
        applied = imports.apply(session, actor=person, data=data, filename="file.xlsx")
    assert applied.counts["insert"] == 1
    with read_session(demo_engine) as session:
        stored = session.exec(select(RoadmapTarget).where(RoadmapTarget.note == "nasional")).one()
        entries = session.exec(
            select(AuditEntry).where(
                AuditEntry.entity == "roadmap_target", AuditEntry.entity_id == str(stored.id)
            )
        ).all()
    assert (stored.agency_id, stored.target_year, stored.target_value) == (None, 2029, 3.3)
    assert len({e.change_set for e in entries}) == 1


def test_activities_import_with_dates_as_typed_and_their_indicator_links(demo_engine):
    person = actor(demo_engine, "koordinator")
    data = edited(
        build(demo_engine, person, activities_file),
        "Kegiatan",
        [
            [
                "kota-001",
                "pemdi-2026",
                "Pelatihan ASN digital",
                "BKPSDM",
                "01/04/2026",
                date(2026, 6, 30),
                "in_progress",
                3,
                "I03, i04",
            ],
        ],
    )
    with write_session(demo_engine) as session:
        imports.apply(session, actor=person, data=data, filename="file.xlsx")
    with read_session(demo_engine) as session:
        stored = session.exec(select(Activity).where(Activity.title == "Pelatihan ASN digital")).one()
        codes = sorted(
            link.indicator_code
            for link in session.exec(
                select(ActivityIndicator).where(ActivityIndicator.activity_id == stored.id)
            )
        )
    assert (stored.starts_on, stored.due_on, stored.status, codes) == (
        date(2026, 4, 1),
        date(2026, 6, 30),
        "in_progress",
        ["I03", "I04"],
    )


def test_a_bad_date_and_a_duplicate_activity_are_located_and_nothing_is_saved(demo_engine):
    person = actor(demo_engine, "koordinator")
    with write_session(demo_engine) as session:
        save_activity(
            session,
            actor=person,
            agency_id=person.agency_id,
            framework_id="pemdi-2026",
            title="Perwal arsitektur",
            owner="Kominfo",
            starts_on=date(2026, 1, 5),
            due_on=date(2026, 3, 1),
            indicators=["I01"],
        )
    data = edited(
        build(demo_engine, person, activities_file),
        "Kegiatan",
        [
            [
                "KOTA-001",
                "pemdi-2026",
                "Sosialisasi",
                "Kominfo",
                "31/13/2026",
                "2026-06-30",
                None,
                None,
                "I01",
            ],
            [
                "KOTA-001",
                "pemdi-2026",
                "Perwal arsitektur",
                "Kominfo",
                "2026-01-05",
                "2026-03-01",
                None,
                None,
                "I01",
            ],
        ],
    )
    before = count(demo_engine, Activity)
    problems = plan(demo_engine, person, data).problems
    assert sorted(p.column for p in problems) == ["C", "E"]
    assert count(demo_engine, Activity) == before


def test_the_agency_register_takes_a_new_regency_under_a_new_province_in_one_file(demo_engine):
    person = actor(demo_engine, "admin")
    data = edited(
        build(demo_engine, person, agencies_file),
        "Instansi",
        [
            ["KAB-901", "Pemerintah Kab. Contoh", "Kabupaten", None, "Papua Contoh", "PROV-901", "ya"],
            ["PROV-901", "Pemerintah Provinsi Papua Contoh", "provinsi", None, "Papua Contoh", None, "ya"],
        ],
    )
    with write_session(demo_engine) as session:
        imports.apply(session, actor=person, data=data, filename="file.xlsx")
    with read_session(demo_engine) as session:
        regency = session.exec(select(Agency).where(Agency.code == "KAB-901")).one()
        province = session.exec(select(Agency).where(Agency.code == "PROV-901")).one()
    assert (regency.parent_id, province.category) == (province.id, "Provinsi")


def test_an_unknown_category_is_located_and_only_the_admin_imports_agencies(demo_engine):
    admin = actor(demo_engine, "admin")
    data = edited(
        build(demo_engine, admin, agencies_file),
        "Instansi",
        [
            ["DESA-001", "Desa Contoh", "Desa", None, None, None, "ya"],
        ],
    )
    assert [(p.column, "Desa" in p.reason("id")) for p in plan(demo_engine, admin, data).problems] == [
        ("C", True)
    ]
    with pytest.raises(PermissionDenied):
        plan(demo_engine, actor(demo_engine, "koordinator"), data)
