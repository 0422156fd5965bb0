"""The import & export page in AppTest: uploading a file shows the dry run (Baru / Diubah / Tetap /
Masalah), a file with problems shows where they are and cannot be applied, a clean file with changes is
applied by one button. Download bytes are not exposed to AppTest: the builders are tested elsewhere
(tests/integration/test_excel_export.py); here only which downloads are offered."""

from __future__ import annotations

import io

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from evaluation.db import read_session
from evaluation.services.bulk.assessment_sheet import period_workbook
from tests.app.signed_in import (
    actor,
    assessment_of,
    demo_agency_id,
    fresh_agency,
    open_period_id,
    scores_of,
    signed_in_page,
)

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
METRICS = ["Baru", "Diubah", "Tetap", "Masalah"]


def template_of(engine, username: str) -> bytes:
    with read_session(engine) as session:
        return period_workbook(session, actor=actor(engine, username), period_id=open_period_id(engine))


def with_cells(data: bytes, cells: dict[str, object]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    for cell, value in cells.items():
        book["Penilaian"][cell] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(at: AppTest, data: bytes, name: str = "penilaian-2026.xlsx", mime: str = XLSX) -> AppTest:
    at.file_uploader(key="xl_file").set_value((name, data, mime))
    return at.run()


def metrics(at: AppTest) -> dict[str, int]:
    return {m.label: int(m.value) for m in at.metric if m.label in METRICS}


def apply_button(at: AppTest) -> list:
    return [b for b in at.button if b.key == "xl_apply"]


def test_the_page_offers_the_agency_its_template_and_export_but_not_the_national_matrix(demo_engine):
    at = signed_in_page(demo_engine, "operator", "excel.py")
    assert not at.exception
    assert at.title[0].value == "Impor & Ekspor Excel"
    keys = {d.key for d in at.get("download_button")}
    assert {"xl_template", "xl_csv"} <= keys
    assert not keys & {"xl_matrix", "xl_published"}
    assert metrics(at) == {}  # nothing uploaded yet


def test_the_ministry_is_offered_the_national_matrix_and_the_published_template(demo_engine):
    at = signed_in_page(demo_engine, "asesor", "excel.py")
    assert not at.exception
    assert {"xl_matrix", "xl_published"} <= {d.key for d in at.get("download_button")}


def test_uploading_the_operator_s_own_template_shows_the_dry_run_with_nothing_to_apply(demo_engine):
    at = upload(signed_in_page(demo_engine, "operator", "excel.py"), template_of(demo_engine, "operator"))
    assert not at.exception and not at.error
    assert metrics(at) == {"Baru": 0, "Diubah": 0, "Tetap": 20, "Masalah": 0}
    assert [i.value for i in at.info] == ["Tidak ada perubahan dibanding data saat ini."]
    assert apply_button(at) == []


def test_a_file_with_problems_shows_where_they_are_and_cannot_be_applied(demo_engine):
    data = with_cells(template_of(demo_engine, "operator"), {"F3": 7, "F5": "abc", "C6": "dua ribu"})
    at = upload(signed_in_page(demo_engine, "operator", "excel.py"), data)
    assert not at.exception
    assert metrics(at)["Masalah"] == 3
    assert [e.value for e in at.error] == [
        "Berkas ini tidak dapat diterapkan; perbaiki masalah di bawah lalu unggah lagi. "
        "Tidak ada yang berubah."
    ]
    table = at.dataframe[0].value
    assert list(table.columns) == ["Lembar", "Baris", "Kolom", "Alasan"]
    assert sorted(zip(table["Baris"], table["Kolom"], strict=True)) == [(3, "F"), (5, "F"), (6, "C")]
    assert set(table["Lembar"]) == {"Penilaian"}
    assert apply_button(at) == []
    assert assessment_of(demo_engine, demo_agency_id(demo_engine)) is None  # KOTA-001 still has no 2026 draft


def test_an_unreadable_upload_is_refused_with_a_message(demo_engine):
    at = upload(signed_in_page(demo_engine, "operator", "excel.py"), bytes(range(256)) * 8, "rusak.xlsx")
    assert not at.exception
    assert len(at.error) == 1 and "bukan berkas XLSX" in at.error[0].value
    assert metrics(at) == {}


def test_a_clean_file_with_changes_is_applied_by_the_button(demo_engine):
    agency = fresh_agency(demo_engine)
    levels = {f"F{n}": 1 + n % 5 for n in range(2, 22)}
    notes = {f"G{n}": f"Dokumen {n}" for n in range(2, 22)}
    data = with_cells(template_of(demo_engine, agency.operator), levels | notes)
    at = upload(signed_in_page(demo_engine, agency.operator, "excel.py"), data)
    assert not at.exception and not at.error
    assert metrics(at) == {"Baru": 20, "Diubah": 0, "Tetap": 0, "Masalah": 0}
    [button] = apply_button(at)
    assert button.label == "Terapkan semua perubahan"
    assert assessment_of(demo_engine, agency.id) is None  # the dry run changed nothing
    at = button.click().run()
    assert not at.exception and not at.error
    assert "Diterapkan: 20 baru, 0 diubah." in [s.value for s in at.success]
    found = assessment_of(demo_engine, agency.id)
    assert found is not None
    stored = scores_of(demo_engine, found.id)
    assert {c: (s.self_level, s.justification) for c, s in stored.items()} == {
        f"I{n - 1:02d}": (float(1 + n % 5), f"Dokumen {n}") for n in range(2, 22)
    }


def test_the_dry_run_is_shown_in_english_on_request(demo_engine):
    at = signed_in_page(demo_engine, "operator", "excel.py")
    at.selectbox(key="lang").set_value("en").run()
    at = upload(at, with_cells(template_of(demo_engine, "operator"), {"F2": 9}))
    assert not at.exception
    labels = {m.label: int(m.value) for m in at.metric}
    assert labels["Problems"] == 1 and labels["Unchanged"] == 19
    assert at.dataframe[0].value["Reason"].tolist() == ["level 9 is outside the scale 1-5"]
