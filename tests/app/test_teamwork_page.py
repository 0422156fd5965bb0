"""Agency teamwork on the assessment and verification pages in AppTest (issue 13): the exact fractional
level of a Pemdi indicator, the criteria in full, delegation from the coordinator's panel, an operator
limited to their unit's indicators, the marks in the list, and the conversation of an indicator."""

from __future__ import annotations

import pytest
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.models import Assessment, ThreadMessage, User
from evaluation.services.delegation import assign, assignments, create_unit, list_units, set_user_unit
from evaluation.services.review import start_review
from evaluation.services.self_assessment import submit
from evaluation.services.threads import post_message
from tests.app.signed_in import (
    actor,
    fill_all,
    fresh_agency,
    opened,
    save,
    scores_of,
    signed_in_page,
    submitted,
    version_of,
)

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


def _overview(at) -> dict[str, dict[str, object]]:
    frame = next(d.value for d in at.dataframe if "Kode" in d.value.columns)
    return {row["Kode"]: row for row in frame.to_dict("records")}


def test_an_exact_fractional_level_is_entered_saved_and_shown_as_such(demo_engine):
    agency = fresh_agency(demo_engine)
    assessment_id = opened(demo_engine, agency)
    at = signed_in_page(demo_engine, agency.coordinator, "assessment.py")
    at.text_input(key="f_levelx_I01").input("2,5").run()  # typed with the reader's decimal comma
    assert not at.exception and not at.error
    assert scores_of(demo_engine, assessment_id)["I01"].self_level == 2.5
    assert at.radio(key="f_level_I01").value is None  # never "2" chosen for a 2.5
    again = signed_in_page(demo_engine, agency.coordinator, "assessment.py")
    assert again.text_input(key="f_levelx_I01").value == "2,5"
    assert again.radio(key="f_level_I01").value is None
    assert _overview(again)["I01"]["Tingkat mandiri"] == "2,5"  # written in the reader's locale


def test_choosing_a_whole_level_sets_the_exact_value_too(demo_engine):
    agency = fresh_agency(demo_engine)
    assessment_id = opened(demo_engine, agency)
    at = signed_in_page(demo_engine, agency.coordinator, "assessment.py")
    at.radio(key="f_level_I01").set_value(4).run()
    assert at.text_input(key="f_levelx_I01").value == "4"
    assert scores_of(demo_engine, assessment_id)["I01"].self_level == 4


def test_every_level_criterion_is_readable_in_full(demo_engine):
    agency = fresh_agency(demo_engine)
    opened(demo_engine, agency)
    at = signed_in_page(demo_engine, agency.coordinator, "assessment.py")
    labels = [e.label for e in at.expander]
    assert sum(1 for label in labels if label[:2] in ("1 ", "2 ", "3 ", "4 ", "5 ")) == 5
    texts = " ".join(m.value for m in at.markdown)
    assert len(texts) > 500  # the criteria are there whole, not cut to a table cell


def test_the_coordinator_assigns_indicators_to_a_unit_from_the_panel(demo_engine):
    agency = fresh_agency(demo_engine)
    assessment_id = opened(demo_engine, agency)
    at = signed_in_page(demo_engine, agency.coordinator, "assessment.py")
    assert not [w for w in at.text_input if w.key == "tw_unit_name"]  # the closed panel runs nothing
    at.session_state["tw_delegation"] = True  # the coordinator opens the panel
    at.run()
    at.text_input(key="tw_unit_name").set_value("Bidang Statistik").run()
    at.button(key="tw_unit_add").click().run()
    assert not at.exception and not at.error
    with read_session(demo_engine) as session:
        [(unit_id, _name)] = list_units(
            session, actor=actor(demo_engine, agency.coordinator), agency_id=agency.id
        )
    at.multiselect(key="tw_codes").set_value(["I01", "I02"])
    at.selectbox(key="tw_to_unit").set_value(unit_id)
    at.button(key="tw_assign").click().run()
    assert not at.exception and not at.error
    with read_session(demo_engine) as session:
        held = assignments(session, assessment_id)
    assert {code: row.unit_id for code, row in held.items()} == {"I01": unit_id, "I02": unit_id}
    assert _overview(at)["I02"]["Ditugaskan kepada"] == "Bidang Statistik"
    assert at.toggle(key="tw_edit_all").value is False  # the first assignment ends "everyone edits all"
    at.toggle(key="tw_edit_all").set_value(True).run()
    with read_session(demo_engine) as session:
        assert session.get(Assessment, assessment_id).operators_edit_all is True  # type: ignore[union-attr]


def test_an_operator_edits_only_the_indicators_of_their_unit(demo_engine):
    agency = fresh_agency(demo_engine)
    assessment_id = opened(demo_engine, agency)
    coordinator = actor(demo_engine, agency.coordinator)
    with write_session(demo_engine) as session:
        unit_id = create_unit(session, actor=coordinator, agency_id=agency.id, name="Bidang Data")
        operator_id = session.exec(select(User.id).where(User.username == agency.operator)).one()
        set_user_unit(session, actor=coordinator, user_id=operator_id, unit_id=unit_id)
        assign(session, actor=coordinator, assessment_id=assessment_id, codes=["I01", "I02"], unit_id=unit_id)
    at = signed_in_page(demo_engine, agency.operator, "assessment.py")
    assert not at.radio(key="f_level_I01").disabled
    assert _overview(at)["I01"]["Ditugaskan kepada"] == "Bidang Data"
    at.selectbox(key="as_indicator").set_value("I03").run()
    assert at.radio(key="f_level_I03").disabled
    assert any("ditugaskan kepada unit atau orang lain" in c.value for c in at.caption)


def test_a_message_is_posted_shown_as_plain_text_and_marked_unread_for_the_others(demo_engine):
    agency = fresh_agency(demo_engine)
    assessment_id = opened(demo_engine, agency)
    at = signed_in_page(demo_engine, agency.operator, "assessment.py")
    at.text_area(key="tw_msg_I01").set_value("Apakah **SK** 2025 cukup? <b>x</b>")
    at.button[[b.label for b in at.button].index("Kirim")].click().run()
    assert not at.exception and not at.error
    assert "Apakah **SK** 2025 cukup? <b>x</b>" in [t.value for t in at.text]
    with read_session(demo_engine) as session:
        assert session.exec(select(ThreadMessage.text)).all()[-1] == "Apakah **SK** 2025 cukup? <b>x</b>"
    coordinator = signed_in_page(demo_engine, agency.coordinator, "assessment.py")
    assert "1 pesan baru" in str(_overview(coordinator)["I01"]["Tanda"])
    assert assessment_id


def test_a_reviewer_question_marks_the_indicator_in_the_list(demo_engine):
    agency, assessment_id = submitted(demo_engine, in_review=True)
    with write_session(demo_engine) as session:
        post_message(
            session,
            actor=actor(demo_engine, "asesor"),
            assessment_id=assessment_id,
            indicator_code="I04",
            text="Mohon lampirkan SK.",
            needs_answer=True,
        )
    at = signed_in_page(demo_engine, agency.coordinator, "assessment.py")
    assert "pertanyaan terbuka" in str(_overview(at)["I04"]["Tanda"])


def test_the_verification_detail_shows_the_exact_level_and_the_claimed_criteria(demo_engine):
    agency = fresh_agency(demo_engine)
    assessment_id = opened(demo_engine, agency)
    fill_all(demo_engine, agency, assessment_id)
    save(demo_engine, agency.coordinator, assessment_id, {"I01": {"level": 2.5}})
    with write_session(demo_engine) as session:
        version = submit(
            session,
            actor=actor(demo_engine, agency.coordinator),
            assessment_id=assessment_id,
            expected_version=version_of(demo_engine, assessment_id),
        )
    with write_session(demo_engine) as session:
        start_review(
            session, actor=actor(demo_engine, "asesor"), assessment_id=assessment_id, expected_version=version
        )
    at = signed_in_page(demo_engine, "asesor", "verification.py")
    at.selectbox(key="rv_pick").set_value(assessment_id).run()
    at.selectbox(key="rv_detail").set_value("I01").run()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert any("2,50" in text for text in texts)
    assert any("Kriteria tingkat 2,50" in c.value for c in at.caption)
    [grid] = [d.value for d in at.dataframe if "self" in d.value.columns]
    assert grid.set_index("code").loc["I01", "self"] == "2,5"  # a decimal cell in the reader's locale


def test_a_unit_marks_ready_and_the_coordinator_sends_it_back_with_a_note(demo_engine):
    agency = fresh_agency(demo_engine)
    assessment_id = opened(demo_engine, agency)
    coordinator = actor(demo_engine, agency.coordinator)
    with write_session(demo_engine) as session:
        unit_id = create_unit(session, actor=coordinator, agency_id=agency.id, name="Bidang TI")
        operator_id = session.exec(select(User.id).where(User.username == agency.operator)).one()
        set_user_unit(session, actor=coordinator, user_id=operator_id, unit_id=unit_id)
        assign(session, actor=coordinator, assessment_id=assessment_id, codes=["I01"], unit_id=unit_id)
    at = signed_in_page(demo_engine, agency.operator, "assessment.py")
    at.button(key="tw_ready_I01").click().run()
    assert not at.exception and not at.error
    page = signed_in_page(demo_engine, agency.coordinator, "assessment.py")
    page.session_state["tw_delegation"] = True  # the coordinator opens the delegation panel
    page.run()
    progress_frame = next(d.value for d in page.dataframe if "Siap" in d.value.columns)
    assert progress_frame.to_dict("records")[0]["Siap"] == 1
    page.text_input(key="tw_back_note_I01").set_value("Lengkapi **SK** terbaru")
    page.button(key="tw_back_I01").click().run()
    assert not page.exception and not page.error
    with read_session(demo_engine) as session:
        assert assignments(session, assessment_id)["I01"].status == "returned"
    again = signed_in_page(demo_engine, agency.operator, "assessment.py")
    assert "Lengkapi **SK** terbaru" in [t.value for t in again.text]
    assert "dikembalikan" in str(_overview(again)["I01"]["Tanda"])
