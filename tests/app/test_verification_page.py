"""The verification page in AppTest, as the demo reviewer: the queue, starting a review, final levels and
notes through the data editor, returning and finalizing. Each test submits an assessment of its own."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.signed_in import scores_of, shown, signed_in_page, status_of, submitted

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


def reviewing(engine, assessment_id: int) -> AppTest:
    """The reviewer's verification page with `assessment_id` picked in the queue."""
    at = signed_in_page(engine, "asesor", "verification.py")
    at.selectbox(key="rv_pick").set_value(assessment_id).run()
    assert at.selectbox(key="rv_pick").value == assessment_id
    return at


def queued(at: AppTest, agency_name: str) -> list[str]:
    return [
        option for option in at.selectbox(key="rv_pick").options if option.startswith(agency_name + " · ")
    ]


def editor_key(at: AppTest, assessment_id: int) -> str:
    """verification.py keys its data editor by assessment and the score versions it read, so a save starts
    a clean editor; the key is kept with what the grid read."""
    return at.session_state[f"rv_base_{assessment_id}"]["key"]


def edit(at: AppTest, key: str, rows: dict[int, dict[str, object]]) -> AppTest:
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    return at.run()


def test_the_queue_lists_submitted_and_in_review_assessments(demo_engine):
    agency, _ = submitted(demo_engine)
    at = signed_in_page(demo_engine, "asesor", "verification.py")
    assert not at.exception
    assert at.title[0].value == "Verifikasi"
    queue = at.dataframe[0].value
    assert set(queue["Status"]) <= {"Diajukan", "Dalam verifikasi"}
    assert {"Diajukan", "Dalam verifikasi"} <= set(queue["Status"])  # the demo has both
    row = queue[queue["Instansi"] == agency.name]
    assert row["Status"].tolist() == ["Diajukan"] and row["Tahun"].tolist() == [2026]
    assert len(at.selectbox(key="rv_pick").options) == len(queue)
    assert len(queued(at, agency.name)) == 1


def test_starting_the_review_of_a_submitted_assessment_moves_it_into_review(demo_engine):
    _, assessment_id = submitted(demo_engine)
    at = reviewing(demo_engine, assessment_id)
    assert [b.key for b in at.button if b.key != "logout"] == ["rv_start"]  # nothing else before starting
    at.button(key="rv_start").click().run()
    assert not at.exception and not at.error
    assert status_of(demo_engine, assessment_id) == "in_review"
    assert at.radio(key=f"rv_stage_{assessment_id}").value == "document"
    assert at.button(key="rv_save") and at.button(key="rv_finalize")


def test_final_levels_and_notes_edited_in_the_table_are_saved(demo_engine):
    _, assessment_id = submitted(demo_engine, in_review=True)
    at = reviewing(demo_engine, assessment_id)
    edit(
        at,
        editor_key(at, assessment_id),
        {0: {"final": 2, "note": "SK belum ditandatangani."}, 4: {"final": 4}},
    )
    at.button(key="rv_save").click().run()
    assert not at.exception and not at.error
    scores = scores_of(demo_engine, assessment_id)
    assert (scores["I01"].final_level, scores["I01"].reviewer_note) == (2, "SK belum ditandatangani.")
    assert scores["I05"].final_level == 4
    assert scores["I02"].final_level is None
    assert scores["I01"].self_level == 3  # the agency's own level is never touched
    assert status_of(demo_engine, assessment_id) == "in_review"


def test_returning_without_a_note_is_refused(demo_engine):
    _, assessment_id = submitted(demo_engine, in_review=True)
    at = reviewing(demo_engine, assessment_id)
    at.button(key="rv_return").click().run()
    assert "(belum ada catatan)" in [x.value for x in at.text]  # the box asks first, showing the note
    at.button(key="rv_return_confirm").click().run()
    assert [shown(e.value) for e in at.error] == ["Tuliskan catatan untuk instansi."]
    assert status_of(demo_engine, assessment_id) == "in_review"


def test_returning_with_a_note_sends_it_back_to_the_agency(demo_engine):
    agency, assessment_id = submitted(demo_engine, in_review=True)
    at = reviewing(demo_engine, assessment_id)
    at.text_area(key="rv_return_note").input("Lengkapi bukti dukung I03.")
    at.button(key="rv_return").click().run()
    assert status_of(demo_engine, assessment_id) == "in_review"  # asked first: nothing happened yet
    assert "Lengkapi bukti dukung I03." in [x.value for x in at.text]
    assert any("dikembalikan ke koordinator dan operator" in shown(m.value) for m in at.markdown)
    at.button(key="rv_return_confirm").click().run()
    assert not at.exception and not at.error
    assert status_of(demo_engine, assessment_id) == "returned"
    assert f"Dikembalikan: {agency.name} · 2026" in [s.value for s in at.success]
    assert queued(at, agency.name) == []

    page = signed_in_page(demo_engine, agency.coordinator, "assessment.py")
    assert any("Lengkapi bukti dukung I03." in shown(w.value) for w in page.warning)
    assert not page.radio(key="f_level_I01").disabled  # editable again


def test_finalizing_needs_the_interview_stage_then_publishes_the_result(demo_engine):
    agency, assessment_id = submitted(demo_engine, in_review=True)
    at = reviewing(demo_engine, assessment_id)
    edit(at, editor_key(at, assessment_id), {row: {"final": 3} for row in range(20)})
    at.button(key="rv_save").click().run()
    assert all(s.final_level == 3 for s in scores_of(demo_engine, assessment_id).values())

    at.button(key="rv_finalize").click().run()
    at.button(key="rv_finalize_confirm").click().run()
    assert [shown(e.value) for e in at.error] == [
        "Tahap interviu belum dilalui: pindahkan penilaian ke tahap interviu sebelum menetapkan hasil akhir."
    ]
    at.radio(key=f"rv_stage_{assessment_id}").set_value("interview").run()
    at.button(key="rv_stage_save").click().run()
    assert not at.error
    at.button(key="rv_finalize").click().run()
    assert status_of(demo_engine, assessment_id) == "in_review"  # asked first
    at.button(key="rv_finalize_confirm").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [f"Hasil akhir ditetapkan. {agency.name} · 2026"]
    assert status_of(demo_engine, assessment_id) == "final"
    at.button(key="rv_back_to_queue").click().run()  # the finished result first, then the queue
    assert queued(at, agency.name) == []
