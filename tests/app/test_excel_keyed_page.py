"""The import & export page with the keyed sheets: the activities field case shows both problems with their
reasons and cannot be applied; an exported activities file edited while a colleague changed the same cell
in the app shows the conflict with both values and who, and is applied with the value the user keeps."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from evaluation.db import read_session, write_session
from evaluation.models import Activity
from evaluation.services.bulk.activities_sheet import activities_file
from evaluation.services.roadmap import save_activity
from tests.app.signed_in import actor, demo_agency_id, signed_in_page

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]
CASE = Path(__file__).resolve().parents[1] / "fixtures" / "cases" / "kegiatan_apply_refused.csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE = "Uji halaman: arsitektur"


def upload(at: AppTest, data: bytes, name: str, mime: str) -> AppTest:
    at.file_uploader(key="xl_file").set_value((name, data, mime))
    return at.run()


def owner_of(engine) -> str:
    with read_session(engine) as session:
        return session.exec(select(Activity).where(Activity.title == TITLE)).one().owner


def saved(engine, username: str, owner: str) -> None:
    with write_session(engine) as session:
        found = session.exec(select(Activity).where(Activity.title == TITLE)).first()
        save_activity(
            session,
            actor=actor(engine, username),
            agency_id=demo_agency_id(engine),
            framework_id="pemdi-2026",
            title=TITLE,
            owner=owner,
            starts_on=date(2026, 1, 5),
            due_on=date(2026, 6, 30),
            indicators=["I01"],
            activity_id=found.id if found else None,
        )


def test_the_activities_field_case_lists_both_problems_and_offers_no_apply(demo_engine):
    at = signed_in_page(demo_engine, "koordinator", "excel.py")
    at = upload(at, CASE.read_bytes(), CASE.name, "text/csv")
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 2
    reasons = " ".join(str(v) for v in table.to_numpy().ravel())
    assert "sebelum tanggal mulai" in reasons and "I99" in reasons
    assert not [b for b in at.button if b.key == "xl_apply"]


def test_a_conflict_on_an_activity_is_shown_with_both_values_and_applied_as_the_user_chooses(demo_engine):
    saved(demo_engine, "koordinator", "Bidang Aptika")
    with read_session(demo_engine) as session:
        data = activities_file(session, actor=actor(demo_engine, "koordinator"))
    saved(demo_engine, "operator", "Bidang Statistik")  # a colleague, in the app, after the download
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["Kegiatan"]
    header = [c.value for c in ws[1]]
    [row] = [
        r for r in range(2, ws.max_row + 1) if ws.cell(r, header.index("Nama kegiatan") + 1).value == TITLE
    ]
    ws.cell(row, header.index("Penanggung jawab") + 1).value = "Bappeda"
    buffer = io.BytesIO()
    book.save(buffer)

    at = upload(signed_in_page(demo_engine, "koordinator", "excel.py"), buffer.getvalue(), "k.xlsx", XLSX)
    assert not at.exception
    assert {m.label: int(m.value) for m in at.metric}["Konflik"] == 1
    shown = " ".join(str(v) for frame in at.dataframe for v in frame.value.to_numpy().ravel())
    assert "Bappeda" in shown and "Bidang Statistik" in shown and "operator" in shown
    assert "Penanggung jawab" in shown  # the sheet's header, not the stored field's name
    at.radio(key="xl_choose_all").set_value("file").run()
    at.button(key="xl_apply").click().run()
    assert not at.exception and at.success
    assert owner_of(demo_engine) == "Bappeda"
