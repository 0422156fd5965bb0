"""Property: the three-way rule on an exported activities, targets or agencies file. Whatever a colleague
changes in the app after the download and whatever the user changes in the file, after the import each
cell holds: the database's value where the file did not change it; the file's value where only the file
changed it; and where both changed it differently, the value the user chose for the row.

The database is built once for the module; each example runs inside a transaction that is rolled back.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, SQLModel

from evaluation.db import write_session
from evaluation.models import Activity, Agency, RoadmapTarget
from evaluation.services.actors import Actor
from evaluation.services.bulk import imports
from evaluation.services.bulk.activities_sheet import activities_file
from evaluation.services.bulk.agencies_sheet import agencies_file
from evaluation.services.bulk.targets_sheet import targets_file
from evaluation.services.roadmap import save_activity
from tests.integration.excel_fixtures import Bench

pytestmark = pytest.mark.db
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass
class Kind:
    """One keyed sheet under test: its sheet, builder, record, and per field the column header, the value
    the record is exported with and the values either side may change it to."""

    sheet: str
    builder: Callable[..., bytes]
    model: type[SQLModel]
    headers: dict[str, str]
    original: dict[str, Any]
    values: dict[str, list[Any]]
    in_file: Callable[[Any], Any] = lambda value: value.isoformat() if isinstance(value, date) else value
    record_id: int = 0
    code: str = ""
    actor: Actor | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def edits(self) -> st.SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries({}, optional={k: st.sampled_from(v) for k, v in self.values.items()})


ACTIVITY = Kind(
    "Kegiatan",
    activities_file,
    Activity,
    {"owner": "Penanggung jawab", "due_on": "Selesai", "status": "Status", "notes": "Catatan"},
    {"owner": "Kominfo", "due_on": date(2026, 6, 30), "status": "planned", "notes": None},
    {
        "owner": ["Kominfo", "Bappeda", "Diskominfo"],
        "due_on": [date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)],
        "status": ["planned", "in_progress", "done"],
        "notes": [None, "catatan a", "catatan b"],
    },
)
TARGET = Kind(
    "Target",
    targets_file,
    RoadmapTarget,
    {
        "baseline_value": "Nilai dasar",
        "target_year": "Tahun target",
        "target_value": "Nilai target",
        "note": "Catatan",
    },
    {"baseline_value": None, "target_year": 2027, "target_value": 3.0, "note": None},
    {
        "baseline_value": [None, 2.5, 2.75],
        "target_year": [2027, 2028, 2029],
        "target_value": [3.0, 3.5, 4.0],
        "note": [None, "n a", "n b"],
    },
)
AGENCY = Kind(
    "Instansi",
    agencies_file,
    Agency,
    {"name": "Nama instansi", "province": "Provinsi", "subcategory": "Subkategori", "active": "Aktif"},
    {"name": "Kota Sifat", "province": None, "subcategory": None, "active": True},
    {
        "name": ["Kota Sifat", "Kota Sifat Baru", "Kota Sifat Lain"],
        "province": [None, "Jawa Barat", "Jawa Timur"],
        "subcategory": [None, "s a", "s b"],
        "active": [True, False],
    },
    in_file=lambda value: ("ya" if value else "tidak") if isinstance(value, bool) else value,
)


@pytest.fixture(scope="module")
def kinds(bench: Bench) -> dict[str, Kind]:
    """The records each kind's examples work on, made once."""
    own = bench.agency()
    with write_session(bench.engine) as session:
        ACTIVITY.record_id = save_activity(
            session,
            actor=own.coordinator,
            agency_id=own.id,
            framework_id="pemdi-2026",
            title="Arsitektur",
            owner="Kominfo",
            starts_on=date(2026, 1, 5),
            due_on=date(2026, 6, 30),
            indicators=["I01"],
        )
        target = RoadmapTarget(
            agency_id=own.id,
            framework_id="pemdi-2026",
            horizon="short",
            baseline_year=2026,
            target_year=2027,
            target_value=3.0,
        )
        agency = Agency(code="UJ-SIFAT", name="Kota Sifat", category="Kota")
        session.add_all([target, agency])
        session.flush()
        TARGET.record_id, AGENCY.record_id = target.id or 0, agency.id or 0
    ACTIVITY.code = TARGET.code = own.code
    AGENCY.code = "UJ-SIFAT"
    ACTIVITY.actor = TARGET.actor = own.coordinator
    AGENCY.actor = bench.admin
    return {"activities": ACTIVITY, "targets": TARGET, "agencies": AGENCY}


def edited(kind: Kind, data: bytes, cells: dict[str, Any]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[kind.sheet]
    header = [c.value for c in ws[1]]
    [row] = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == kind.code]
    for name, value in cells.items():
        ws.cell(row, header.index(kind.headers[name]) + 1).value = kind.in_file(value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def expected(kind: Kind, name: str, in_db: dict[str, Any], in_file: dict[str, Any], choice: str) -> Any:
    made = kind.original[name]
    db, file = in_db.get(name, made), in_file.get(name, made)
    if file in (made, db):
        return db
    if db == made:
        return file
    return file if choice == "file" else db


def holds(bench: Bench, kind: Kind, in_db: dict[str, Any], in_file: dict[str, Any], choice: str) -> None:
    with Session(bench.engine) as session:
        try:
            data = kind.builder(session, actor=kind.actor)
            record = session.get(kind.model, kind.record_id)
            assert record is not None
            for name, value in in_db.items():  # a colleague, in the app, after the download
                setattr(record, name, value)
            session.add(record)
            session.flush()
            upload = edited(kind, data, in_file)
            preview = imports.plan(session, actor=kind.actor, data=upload, filename="k.xlsx")
            assert preview.ok, preview.problems
            event(f"{len(preview.conflicts)} conflicts")
            imports.apply(session, actor=kind.actor, data=upload, filename="k.xlsx", default_choice=choice)
            session.expire_all()
            stored = session.get(kind.model, kind.record_id)
            for name in kind.values:
                assert getattr(stored, name) == expected(kind, name, in_db, in_file, choice), name
        finally:
            session.rollback()


CHOICES = st.sampled_from(["file", "database"])


@SETTINGS
@given(in_db=ACTIVITY.edits(), in_file=ACTIVITY.edits(), choice=CHOICES)
def test_each_activity_cell_ends_as_the_three_way_rule_says(bench, kinds, in_db, in_file, choice):
    holds(bench, kinds["activities"], in_db, in_file, choice)


@SETTINGS
@given(in_db=TARGET.edits(), in_file=TARGET.edits(), choice=CHOICES)
def test_each_target_cell_ends_as_the_three_way_rule_says(bench, kinds, in_db, in_file, choice):
    holds(bench, kinds["targets"], in_db, in_file, choice)


@SETTINGS
@given(in_db=AGENCY.edits(), in_file=AGENCY.edits(), choice=CHOICES)
def test_each_agency_cell_ends_as_the_three_way_rule_says(bench, kinds, in_db, in_file, choice):
    holds(bench, kinds["agencies"], in_db, in_file, choice)
