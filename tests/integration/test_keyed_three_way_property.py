"""Property: the three-way rule on an exported activities file. Whatever a colleague changes in the app
after the download and whatever the user changes in the file, after the import each cell holds: the
database's value where the file did not change it; the file's value where only the file changed it; and
where both changed it differently, the value the user chose for the row. Nothing else moves.

The database is built once for the module; each example runs inside a transaction that is rolled back.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from evaluation.db import write_session
from evaluation.models import Activity
from evaluation.services.bulk import imports
from evaluation.services.bulk.activities_sheet import activities_file
from evaluation.services.roadmap import save_activity
from tests.integration.excel_fixtures import (
    Bench,
    Own,
    bench_fixture,  # noqa: F401  (module-scoped database)
)

pytestmark = pytest.mark.db
HEADERS = {"owner": "Penanggung jawab", "due_on": "Selesai", "status": "Status", "notes": "Catatan"}
ORIGINAL = {"owner": "Kominfo", "due_on": date(2026, 6, 30), "status": "planned", "notes": None}
VALUES = {
    "owner": ["Kominfo", "Bappeda", "Diskominfo"],
    "due_on": [date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)],
    "status": ["planned", "in_progress", "done"],
    "notes": [None, "catatan a", "catatan b"],
}
edits = st.fixed_dictionaries({}, optional={name: st.sampled_from(pool) for name, pool in VALUES.items()})


@pytest.fixture(scope="module")
def activity(bench: Bench) -> tuple[Own, int]:
    own = bench.agency()
    with write_session(bench.engine) as session:
        activity_id = save_activity(
            session,
            actor=own.coordinator,
            agency_id=own.id,
            framework_id="pemdi-2026",
            title="Arsitektur",
            owner=ORIGINAL["owner"],
            starts_on=date(2026, 1, 5),
            due_on=ORIGINAL["due_on"],
            indicators=["I01"],
        )
    return own, activity_id


def edited(data: bytes, cells: dict[str, Any]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["Kegiatan"]
    header = [c.value for c in ws[1]]
    for name, value in cells.items():
        ws.cell(2, header.index(HEADERS[name]) + 1).value = (
            value.isoformat() if isinstance(value, date) else value
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def expected(name: str, in_db: dict[str, Any], in_file: dict[str, Any], choice: str) -> Any:
    made, db, file = ORIGINAL[name], in_db.get(name, ORIGINAL[name]), in_file.get(name, ORIGINAL[name])
    if file in (made, db):
        return db
    if db == made:
        return file
    return file if choice == "file" else db


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(in_db=edits, in_file=edits, choice=st.sampled_from(["file", "database"]))
def test_each_cell_ends_as_the_three_way_rule_says(bench, activity, in_db, in_file, choice):
    own, activity_id = activity
    with Session(bench.engine) as session:
        try:
            data = activities_file(session, actor=own.coordinator)
            record = session.get(Activity, activity_id)
            assert record is not None
            for name, value in in_db.items():  # a colleague, in the app, after the download
                setattr(record, name, value)
            session.add(record)
            session.flush()
            upload = edited(data, in_file)
            preview = imports.plan(session, actor=own.coordinator, data=upload, filename="k.xlsx")
            assert preview.ok, preview.problems
            event(f"{len(preview.conflicts)} conflicts")
            imports.apply(
                session, actor=own.coordinator, data=upload, filename="k.xlsx", default_choice=choice
            )
            session.expire_all()
            stored = session.get(Activity, activity_id)
            assert stored is not None
            for name in VALUES:
                assert getattr(stored, name) == expected(name, in_db, in_file, choice), name
        finally:
            session.rollback()
