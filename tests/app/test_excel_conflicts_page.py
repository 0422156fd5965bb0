"""The import page's preview of an offline file (issue 10): each changed cell old -> new, conflicts with
both values, who and when, a choice per row (or for all), nothing applied while a conflict is open, and a
refused apply listing its problems by sheet, row and column."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlmodel import col

from evaluation.db import write_session
from evaluation.models import IndicatorScore
from tests.app.signed_in import assessment_of, fill_all, fresh_agency, opened, save, scores_of, signed_in_page
from tests.app.test_excel_page import apply_button, template_of, upload, with_cells

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


@pytest.fixture
def offline(demo_engine):
    """A fresh agency with level 3 everywhere; its operator's template; then the coordinator sets I03 to 4."""
    agency = fresh_agency(demo_engine)
    assessment_id = opened(demo_engine, agency)
    fill_all(demo_engine, agency, assessment_id, level=3)
    template = template_of(demo_engine, agency.operator)
    save(demo_engine, agency.coordinator, assessment_id, {"I03": {"level": 4}})
    return agency, assessment_id, template


def test_the_preview_lists_each_changed_cell_old_to_new(demo_engine, offline):
    agency, _assessment_id, template = offline
    at = upload(signed_in_page(demo_engine, agency.operator, "excel.py"), with_cells(template, {"F5": 1}))
    assert not at.exception and not at.error
    [changes] = [d.value for d in at.dataframe]
    assert changes.to_dict("records") == [
        {
            "Baris": 5,
            "Kolom": "F",
            "Data": f"{agency.code} · 2026 · I04",
            "Isian": "Tingkat mandiri",
            "Sekarang": "3",
            "Menjadi": "1",
        }
    ]
    assert any("lebih baru di aplikasi" in i.value for i in at.info)  # I03: the app's value stays
    assert len(apply_button(at)) == 1


def test_the_preview_writes_a_fractional_level_with_the_readers_decimal_mark(demo_engine, offline):
    agency, _assessment_id, template = offline
    at = upload(signed_in_page(demo_engine, agency.operator, "excel.py"), with_cells(template, {"F5": 1.5}))
    assert not at.exception and not at.error
    [changes] = [d.value for d in at.dataframe]
    assert [(r["Sekarang"], r["Menjadi"]) for r in changes.to_dict("records")] == [("3", "1,5")]


def test_a_conflict_shows_both_values_who_and_when_and_blocks_the_apply_until_chosen(demo_engine, offline):
    agency, assessment_id, template = offline
    at = upload(
        signed_in_page(demo_engine, agency.operator, "excel.py"), with_cells(template, {"F4": 5, "F5": 1})
    )
    assert not at.exception
    [conflict] = at.dataframe[-1].value.to_dict("records")  # the data editor of the conflicts
    assert conflict["Data"] == f"{agency.code} · 2026 · I03" and conflict["Isian"] == "Tingkat mandiri"
    assert (conflict["Nilai berkas"], conflict["Nilai basis data"]) == ("5", "4")
    assert conflict["Diubah oleh"] == agency.coordinator and conflict["Waktu (UTC)"] is not None
    assert [w.value for w in at.warning] == [
        "1 baris berkonflik belum dipilih; pilih nilai berkas atau basis data untuk setiap baris."
    ]
    assert apply_button(at) == []
    at.radio(key="xl_choose_all").set_value("database").run()
    assert not at.exception and all("berkonflik" not in w.value for w in at.warning)
    [button] = apply_button(at)
    at = button.click().run()
    assert not at.exception and not at.error
    stored = scores_of(demo_engine, assessment_id)
    assert (stored["I03"].self_level, stored["I04"].self_level) == (4.0, 1.0)


def test_a_row_changed_between_preview_and_apply_is_refused_with_its_problems_listed(demo_engine, offline):
    agency, assessment_id, template = offline
    at = upload(signed_in_page(demo_engine, agency.operator, "excel.py"), with_cells(template, {"F5": 1}))
    [button] = apply_button(at)
    with write_session(demo_engine) as session:  # someone saves I04 meanwhile
        session.execute(
            update(IndicatorScore)
            .where(
                col(IndicatorScore.assessment_id) == assessment_id,
                col(IndicatorScore.indicator_code) == "I04",
            )
            .values(justification="Baru", version=IndicatorScore.version + 1)
        )
    at = button.click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Impor ditolak, tidak ada yang berubah: 1 masalah di bawah."]
    table = at.dataframe[-1].value
    assert table.to_dict("records")[0]["Baris"] == 5
    assert "sejak pratinjau" in table.to_dict("records")[0]["Alasan"]
    assert scores_of(demo_engine, assessment_id)["I04"].self_level == 3.0
    assert assessment_of(demo_engine, agency.id) is not None


def test_a_choice_per_row_in_the_table_settles_that_row(demo_engine, offline):
    agency, assessment_id, template = offline
    at = upload(signed_in_page(demo_engine, agency.operator, "excel.py"), with_cells(template, {"F4": 5}))
    assert apply_button(at) == []
    at.session_state["xl_conflicts"] = {
        "edited_rows": {0: {"Pakai": "nilai berkas"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at = at.run()
    assert not at.exception
    [button] = apply_button(at)
    at = button.click().run()
    assert not at.exception and not at.error
    assert scores_of(demo_engine, assessment_id)["I03"].self_level == 5.0
