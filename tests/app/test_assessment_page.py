"""The self-assessment page in AppTest: opening a draft, autosave per field, switching indicators,
submission rules and the refusal of a stale save. Every test but the first works on an agency of its own."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.signed_in import (
    FreshAgency,
    assessment_of,
    demo_agency_id,
    fill_all,
    fresh_agency,
    opened,
    save,
    scores_of,
    shown,
    signed_in_page,
    status_of,
)

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


def progress(at: AppTest) -> str:
    return at.get("progress")[0].proto.text


def status(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Status")


@pytest.fixture
def agency(demo_engine) -> FreshAgency:
    return fresh_agency(demo_engine)


@pytest.fixture
def draft_page(demo_engine, agency) -> tuple[AppTest, int]:
    """The coordinator's page on a freshly opened draft of the 2026 assessment."""
    assessment_id = opened(demo_engine, agency)
    return signed_in_page(demo_engine, agency.coordinator, "assessment.py"), assessment_id


def test_the_demo_coordinator_opens_kota_001s_2026_assessment_as_a_draft(demo_engine):
    at = signed_in_page(demo_engine, "koordinator", "assessment.py")
    assert not at.exception
    period = at.selectbox(key="as_period").value
    assert (period.year, period.framework_id, period.status) == (2026, "pemdi-2026", "open")
    assert at.selectbox(key="as_period").index == 0
    assert [i.value for i in at.info] == ["Instansi ini belum membuka penilaian untuk periode ini."]
    assert assessment_of(demo_engine, demo_agency_id(demo_engine)) is None

    at.button(key="as_start").click().run()
    assert not at.exception
    assert status(at) == "Draf"
    assert progress(at) == "0 dari 20 indikator terisi"
    assert assessment_of(demo_engine, demo_agency_id(demo_engine)).status == "draft"


def test_choosing_a_level_saves_it_at_once(draft_page, demo_engine):
    at, assessment_id = draft_page
    at.radio(key="f_level_I01").set_value(3).run()
    assert not at.exception and not at.error
    assert [t.value for t in at.toast] == ["Tersimpan: I01"]
    assert progress(at) == "1 dari 20 indikator terisi"
    assert scores_of(demo_engine, assessment_id)["I01"].self_level == 3


def test_the_justification_is_saved_when_it_changes(draft_page, demo_engine):
    at, assessment_id = draft_page
    at.text_area(key="f_just_I01").input("Perwal No. 12 Tahun 2025, pasal 3.").run()
    assert [t.value for t in at.toast] == ["Tersimpan: I01"]
    assert scores_of(demo_engine, assessment_id)["I01"].justification == "Perwal No. 12 Tahun 2025, pasal 3."
    assert progress(at) == "0 dari 20 indikator terisi"  # a justification alone does not fill an indicator


def test_the_indicator_select_switches_the_editor(draft_page):
    at, _ = draft_page
    assert [r.key for r in at.radio] == ["f_level_I01"]
    at.selectbox(key="as_indicator").set_value("I07").run()
    assert not at.exception
    assert [r.key for r in at.radio] == ["f_level_I07"]
    assert any(m.value.startswith("##### I07 · ") for m in at.markdown)


def test_a_saved_level_is_shown_again_when_the_page_is_reopened(demo_engine, agency):
    assessment_id = opened(demo_engine, agency)
    save(demo_engine, agency.operator, assessment_id, {"I02": {"level": 4, "justification": "Ada SK."}})
    at = signed_in_page(demo_engine, agency.operator, "assessment.py")
    at.selectbox(key="as_indicator").set_value("I02").run()
    assert at.radio(key="f_level_I02").value == 4
    assert at.text_area(key="f_just_I02").value == "Ada SK."
    assert progress(at) == "1 dari 20 indikator terisi"


def test_submitting_an_incomplete_assessment_lists_what_is_missing_and_keeps_the_draft(
    draft_page, demo_engine
):
    at, assessment_id = draft_page
    at.radio(key="f_level_I01").set_value(2).run()
    at.button(key="as_submit").click().run()
    at.button(key="as_submit_confirm").click().run()
    assert not at.exception
    [error] = [shown(e.value) for e in at.error]
    assert error.startswith(
        "Belum lengkap, 39 isian kurang: I01 (penjelasan), I02 (tingkat), I02 (penjelasan)"
    )
    assert status(at) == "Draf"
    assert status_of(demo_engine, assessment_id) == "draft"


def test_a_complete_assessment_is_submitted_and_becomes_read_only(draft_page, demo_engine, agency):
    at, assessment_id = draft_page
    fill_all(demo_engine, agency, assessment_id)
    at.run()
    assert progress(at) == "20 dari 20 indikator terisi"
    at.button(key="as_submit").click().run()
    assert status_of(demo_engine, assessment_id) == "draft"  # the page asks first
    at.button(key="as_submit_confirm").click().run()
    assert not at.exception and not at.error
    assert status(at) == "Diajukan"
    assert "Penilaian diajukan." in [t.value for t in at.toast]
    assert "Hanya baca: penilaian ini tidak dapat Anda ubah pada statusnya sekarang." in [
        c.value for c in at.caption
    ]
    assert at.radio(key="f_level_I01").disabled
    assert not [b for b in at.button if b.key == "as_submit"]
    assert status_of(demo_engine, assessment_id) == "submitted"


def test_an_operator_may_fill_in_but_not_submit(demo_engine, agency):
    opened(demo_engine, agency)
    at = signed_in_page(demo_engine, agency.operator, "assessment.py")
    assert not at.exception
    assert not at.radio(key="f_level_I01").disabled
    assert at.button(key="as_submit").disabled


def test_a_save_of_another_indicator_behind_the_pages_back_does_not_refuse_this_one(
    draft_page, demo_engine, agency
):
    at, assessment_id = draft_page
    save(demo_engine, agency.operator, assessment_id, {"I02": {"level": 1}})  # behind the page's back
    at.radio(key="f_level_I01").set_value(2).run()
    assert not at.exception and not at.error and not at.warning
    assert [t.value for t in at.toast] == ["Tersimpan: I01"]
    assert scores_of(demo_engine, assessment_id)["I01"].self_level == 2
    assert progress(at) == "2 dari 20 indikator terisi"


def test_an_uploaded_file_and_a_link_become_the_indicators_evidence(draft_page, monkeypatch, tmp_path):
    at, _ = draft_page
    monkeypatch.setenv("SPBE_EVIDENCE_DIR", str(tmp_path))
    from tests.integration.workflow_fixtures import MINIMAL_PDF as pdf

    at.get("file_uploader")[0].set_value(("sk-walikota.pdf", pdf, "application/pdf"))
    next(b for b in at.button if b.label == "Unggah").click().run()
    assert not at.exception and not at.error
    assert any(m.value.startswith(":material/description: sk-walikota\\.pdf") for m in at.markdown)
    assert [b.label for b in at.button if (b.key or "").startswith("detach_I01_")] == ["Lepas"]

    at.text_input(key="link_I01").input("https://jdih.example.go.id/perwal-12")
    at.button(key="link_add_I01").click().run()
    assert not at.error
    assert any(b.proto.url == "https://jdih.example.go.id/perwal-12" for b in at.get("link_button"))
    assert at.dataframe[0].value.set_index("Kode").loc["I01", "Data dukung"] == 2
    assert [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()] == [pdf]  # stored once, as sent


def test_submitting_asks_first_saying_what_goes_to_whom_and_cancel_keeps_the_draft(
    draft_page, demo_engine, agency
):
    at, assessment_id = draft_page
    fill_all(demo_engine, agency, assessment_id)
    at.run()
    at.button(key="as_submit").click().run()
    box = [shown(m.value) for m in at.markdown]
    what = f"Penilaian {agency.name} (2026) diajukan ke asesor kementerian untuk diverifikasi"
    assert any(line.startswith(what) for line in box)
    assert "Indeks penilaian mandiri: **3,00** · Baik" in box
    assert "Indikator terisi: 20 dari 20 · Indikator dengan bukti: 0 dari 20 · Pertanyaan terbuka: 0" in box
    at.button(key="as_submit_cancel").click().run()
    assert not [b for b in at.button if b.key == "as_submit_confirm"]
    assert status_of(demo_engine, assessment_id) == "draft"
    assert status(at) == "Draf"


def test_the_national_index_value_is_typed_with_a_decimal_comma_and_a_point_is_refused(
    draft_page, demo_engine
):
    at, assessment_id = draft_page
    at.selectbox(key="as_indicator").set_value("I05").run()  # SDI, a national index from 0 to 100
    box = at.text_input(key="f_ni_value_I05")
    assert box.value == "" and "koma" in box.help and "100" in box.help
    box.input("72,5").run()
    assert not at.exception and not at.error
    assert scores_of(demo_engine, assessment_id)["I05"].national_index_value == 72.5
    assert at.text_input(key="f_ni_value_I05").value == "72,5"

    at.text_input(key="f_ni_value_I05").input("72.5").run()  # the English mark is not read as 725
    assert [shown(e.value) for e in at.error][:1] and "72.5" in shown(at.error[0].value)
    assert scores_of(demo_engine, assessment_id)["I05"].national_index_value == 72.5
