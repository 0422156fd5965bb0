"""A refused save keeps what the person typed (issue 10), in AppTest: the agency's indicator form and the
reviewer's grid, each with a concurrent write made through the service between the page's load and its
save. The refusal shows the newer value beside the person's (who, when) and offers "Simpan milik saya" and
"Ambil versi terbaru"."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from evaluation.db import write_session
from evaluation.services.review import save_review
from evaluation.services.score_versions import score_versions
from tests.app.signed_in import (
    FreshAgency,
    actor,
    fresh_agency,
    opened,
    save,
    scores_of,
    signed_in_page,
    submitted,
)

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


@pytest.fixture
def agency(demo_engine) -> FreshAgency:
    return fresh_agency(demo_engine)


@pytest.fixture
def refused(demo_engine, agency) -> tuple[AppTest, int]:
    """The coordinator's form on I01; the operator saves I01 behind its back; the coordinator then picks
    level 2, which is refused."""
    assessment_id = opened(demo_engine, agency)
    at = signed_in_page(demo_engine, agency.coordinator, "assessment.py")
    save(
        demo_engine, agency.operator, assessment_id, {"I01": {"level": 4, "justification": "Versi operator"}}
    )
    at.radio(key="f_level_I01").set_value(2).run()
    assert not at.exception
    return at, assessment_id


def comparison(at: AppTest) -> list[list[str]]:
    """The conflict table's rows: field, the person's value, the newer value."""
    frame = next(d.value for d in at.dataframe if "Isian Anda" in d.value.columns)
    return frame.values.tolist()


# --- the agency's indicator form -------------------------------------------------------------------


def test_a_refused_level_stays_in_the_form_beside_the_newer_one_with_who_and_when(
    refused, demo_engine, agency
):
    at, assessment_id = refused
    [warning] = [w.value for w in at.warning]
    assert warning.startswith(f"I01 baru saja disimpan oleh operator {agency.code[4:].lower()} pada ")
    assert "Isian Anda belum tersimpan dan tetap ada" in warning
    assert at.radio(key="f_level_I01").value == 2  # what the coordinator chose is kept
    assert comparison(at) == [["Tingkat kematangan", "2", "4"]]
    assert [b.label for b in at.button if b.key and b.key.startswith("as_conflict_I01")] == [
        "Simpan milik saya",
        "Ambil versi terbaru",
    ]
    assert scores_of(demo_engine, assessment_id)["I01"].self_level == 4  # nothing overwritten


def test_keep_mine_saves_the_kept_input_on_the_newer_version(refused, demo_engine):
    at, assessment_id = refused
    at.text_area(key="f_just_I01").input("Versi koordinator").run()  # typed while the refusal waits
    assert scores_of(demo_engine, assessment_id)["I01"].justification == "Versi operator"
    at.button(key="as_conflict_I01_keep").click().run()
    assert not at.exception and not at.warning
    row = scores_of(demo_engine, assessment_id)["I01"]
    assert (row.self_level, row.justification, row.version) == (2, "Versi koordinator", 2)
    assert [t.value for t in at.toast] == ["Isian Anda disimpan di atas versi terbaru: I01"]


def test_after_keep_mine_the_fields_not_typed_show_the_newer_values(refused, demo_engine):
    at, assessment_id = refused
    at.button(key="as_conflict_I01_keep").click().run()
    assert at.radio(key="f_level_I01").value == 2
    assert at.text_area(key="f_just_I01").value == "Versi operator"
    row = scores_of(demo_engine, assessment_id)["I01"]
    assert (row.self_level, row.justification) == (2, "Versi operator")


def test_take_theirs_shows_the_newer_score_and_the_next_change_saves_on_it(refused, demo_engine):
    at, assessment_id = refused
    at.button(key="as_conflict_I01_take").click().run()
    assert not at.exception and not at.warning
    assert at.radio(key="f_level_I01").value == 4
    assert at.text_area(key="f_just_I01").value == "Versi operator"
    assert scores_of(demo_engine, assessment_id)["I01"].self_level == 4
    at.radio(key="f_level_I01").set_value(5).run()
    assert not at.warning and [t.value for t in at.toast] == ["Tersimpan: I01"]
    assert scores_of(demo_engine, assessment_id)["I01"].self_level == 5


def test_the_kept_input_survives_switching_to_another_indicator_and_back(refused):
    at, _ = refused
    at.selectbox(key="as_indicator").set_value("I02").run()
    assert not at.warning
    at.selectbox(key="as_indicator").set_value("I01").run()
    assert at.radio(key="f_level_I01").value == 2 and len(at.warning) == 1


def test_the_refusal_reads_in_english_with_keep_mine_and_take_theirs(demo_engine, agency):
    assessment_id = opened(demo_engine, agency)
    at = signed_in_page(demo_engine, agency.coordinator, "assessment.py")
    at.sidebar.selectbox(key="lang").set_value("en").run()
    save(demo_engine, agency.operator, assessment_id, {"I01": {"level": 4}})
    at.radio(key="f_level_I01").set_value(2).run()
    [warning] = [w.value for w in at.warning]
    assert warning.startswith("I01 was just saved by operator ")
    labels = [b.label for b in at.button if b.key and b.key.startswith("as_conflict_I01")]
    assert labels == ["Keep mine", "Take theirs"]


# --- the reviewer's grid ---------------------------------------------------------------------------


def reviewing(engine, assessment_id: int) -> AppTest:
    at = signed_in_page(engine, "asesor", "verification.py")
    at.selectbox(key="rv_pick").set_value(assessment_id).run()
    return at


def edit_and_save(at: AppTest, assessment_id: int, rows: dict[int, dict[str, object]]) -> AppTest:
    key = at.session_state[f"rv_base_{assessment_id}"]["key"]
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="rv_save").click().run()
    assert not at.exception
    return at


def behind_the_grid(engine, assessment_id: int) -> None:
    """Another reviewer's save of I01 made through the service after the grid was read."""
    with write_session(engine) as session:
        read = score_versions(session, assessment_id)
        save_review(
            session,
            actor=actor(engine, "asesor"),
            assessment_id=assessment_id,
            versions={"I01": read["I01"]},
            entries={"I01": {"final_level": 4, "note": "Catatan rekan"}},
        )


@pytest.fixture
def grid_refused(demo_engine) -> tuple[AppTest, int]:
    _, assessment_id = submitted(demo_engine, in_review=True)
    at = reviewing(demo_engine, assessment_id)
    behind_the_grid(demo_engine, assessment_id)
    edit_and_save(at, assessment_id, {0: {"final": 2, "note": "Catatan saya"}, 4: {"final": 3}})
    return at, assessment_id


def test_a_refused_grid_save_keeps_the_edits_and_shows_the_newer_values(grid_refused, demo_engine):
    at, assessment_id = grid_refused
    [error] = [e.value for e in at.error]
    assert error.startswith("Simpanan ditolak: I01 diubah orang lain")
    [warning] = [w.value for w in at.warning]
    assert warning.startswith("I01 baru saja disimpan oleh Asesor Demo pada ")
    assert [row[1:] for row in comparison(at)] == [["2", "4"], ["Catatan saya", "Catatan rekan"]]
    scores = scores_of(demo_engine, assessment_id)
    assert (scores["I01"].final_level, scores["I05"].final_level) == (4, None)  # nothing of the save
    key = at.session_state[f"rv_base_{assessment_id}"]["key"]
    assert at.session_state[key]["edited_rows"] == {0: {"final": 2, "note": "Catatan saya"}, 4: {"final": 3}}


def test_keep_mine_in_the_grid_saves_every_edit(grid_refused, demo_engine):
    at, assessment_id = grid_refused
    at.button(key="rv_conflict_I01_keep").click().run()
    assert not at.exception and not at.error and not at.warning
    scores = scores_of(demo_engine, assessment_id)
    assert (scores["I01"].final_level, scores["I01"].reviewer_note, scores["I05"].final_level) == (
        2,
        "Catatan saya",
        3,
    )


def test_take_theirs_in_the_grid_keeps_the_newer_score_and_saves_the_other_edits(grid_refused, demo_engine):
    at, assessment_id = grid_refused
    at.button(key="rv_conflict_I01_take").click().run()
    assert not at.exception and not at.error and not at.warning
    scores = scores_of(demo_engine, assessment_id)
    assert (scores["I01"].final_level, scores["I01"].reviewer_note, scores["I05"].final_level) == (
        4,
        "Catatan rekan",
        3,
    )
