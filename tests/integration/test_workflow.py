"""The assessment's life: draft -> submitted -> in review (stages) -> returned -> ... -> final, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from evaluation.db import read_session, write_session
from evaluation.models import Assessment, AuditEntry
from evaluation.scoring import score_levels
from evaluation.services.assessment_state import (
    IncompleteAssessment,
    StaleAssessment,
    WorkflowError,
)
from evaluation.services.assessment_view import view_assessment
from evaluation.services.review import finalize, return_for_revision, save_review, set_stage, start_review
from evaluation.services.self_assessment import open_assessment, submit
from evaluation.translatable import Message
from tests.integration.workflow_fixtures import (
    World,
    act,
    audit_rows,
    committed_snapshot,
    current,
    fill_all,
    framework_for,
    prepared,
    save,
    scores,
)

pytestmark = pytest.mark.db


def status(world: World, assessment_id: int) -> tuple[str, str | None]:
    with read_session(world.engine) as session:
        row = session.get(Assessment, assessment_id)
        assert row is not None
        return row.status, row.stage


def final_levels(world: World, leave_out: str = "") -> dict[str, int]:
    with read_session(world.engine) as session:
        framework = framework_for(session, world.pemdi)
    return {i.code: n % 5 + 1 for n, i in enumerate(framework.indicators) if i.code != leave_out}


# --- the agency fills in and submits ---------------------------------------------------------------


def test_the_agency_opens_a_draft_and_each_save_raises_its_score_version_by_one(world):
    with write_session(world.engine) as session:
        aid = open_assessment(
            session, actor=world.actors["operator"], agency_id=world.agency["a"], period_id=world.pemdi
        )
    assert status(world, aid) == ("draft", None) and current(world, aid) == 1
    assert save(world, "operator", aid, {"I01": {"level": 2}}) == {"I01": 1}
    assert save(world, "coordinator", aid, {"I01": {"level": 3, "justification": "SK Wali Kota"}}) == {
        "I01": 2
    }
    assert current(world, aid) == 1  # the assessment's version moves with status changes only


def test_submitting_an_incomplete_assessment_lists_what_is_missing_and_changes_nothing(world):
    aid = prepared(world, "a", "draft")
    save(world, "operator", aid, {"I01": {"level": 3, "justification": "Ada"}, "I02": {"level": 2}})
    before = committed_snapshot(world.engine)
    with pytest.raises(IncompleteAssessment) as refused:
        act(world, submit, "coordinator", aid)
    missing = dict.fromkeys(code for code, _what in refused.value.missing)
    assert "I01" not in missing and "I02" in missing and "I20" in missing and len(missing) == 19
    assert ("I02", Message("ew.missing_justification")) in refused.value.missing
    assert refused.value.message("en").startswith("Incomplete, ")
    assert "I02 (justification)" in refused.value.message("en")
    assert "I02 (penjelasan)" in refused.value.message("id")
    assert committed_snapshot(world.engine) == before


def test_a_complete_assessment_is_submitted_and_the_agency_can_no_longer_save(world):
    aid = prepared(world, "a", "complete")
    act(world, submit, "coordinator", aid)
    assert status(world, aid) == ("submitted", None)
    before = committed_snapshot(world.engine)
    with pytest.raises(WorkflowError):
        save(world, "operator", aid, {"I01": {"level": 1}})
    assert committed_snapshot(world.engine) == before


# --- the reviewer verifies -------------------------------------------------------------------------


def test_starting_the_review_puts_the_assessment_in_the_document_stage(world):
    aid = prepared(world, "a", "submitted")
    act(world, start_review, "reviewer", aid)
    assert status(world, aid) == ("in_review", "document")


def test_the_review_stores_final_levels_and_notes_and_leaves_self_levels_alone(world):
    aid = prepared(world, "a", "in_review")
    act(
        world,
        save_review,
        "reviewer",
        aid,
        entries={"I01": {"final_level": 2, "note": "SK belum ditetapkan"}},
    )
    with read_session(world.engine) as session:
        row = scores(session, aid)["I01"]
        notes = view_assessment(session, actor=world.actors["reviewer"], assessment_id=aid).notes
    assert (row.self_level, row.final_level, row.reviewer_note) == (3.0, 2.0, "SK belum ditetapkan")
    assert [(n.indicator_code, n.stage, n.text) for n in notes] == [
        ("I01", "document", "SK belum ditetapkan")
    ]


@pytest.mark.parametrize("note", ["", "   "])
def test_returning_for_revision_needs_a_note(world, note):
    aid = prepared(world, "a", "in_review")
    before = committed_snapshot(world.engine)
    with pytest.raises(WorkflowError, match="note"):
        act(world, return_for_revision, "reviewer", aid, note=note)
    assert committed_snapshot(world.engine) == before


def test_a_returned_assessment_is_edited_resubmitted_and_reviewed_again(world):
    aid = prepared(world, "a", "in_review")
    act(world, return_for_revision, "reviewer", aid, note="Lengkapi bukti I01.")
    assert status(world, aid)[0] == "returned"
    save(world, "operator", aid, {"I01": {"level": 4, "justification": "SK terbaru"}})
    act(world, submit, "coordinator", aid)
    act(world, start_review, "reviewer", aid)
    with read_session(world.engine) as session:
        view = view_assessment(session, actor=world.actors["coordinator"], assessment_id=aid)
    assert (view.status, view.stage, view.scores["I01"].self_level) == ("in_review", "document", 4.0)
    assert [(n.kind, n.text) for n in view.notes] == [("return", "Lengkapi bukti I01.")]


def test_finalizing_is_refused_while_a_final_level_is_missing(world):
    aid = prepared(world, "a", "in_review")
    act(
        world,
        save_review,
        "reviewer",
        aid,
        entries={c: {"final_level": v} for c, v in final_levels(world, "I20").items()},
    )
    act(world, set_stage, "reviewer", aid, stage="interview")
    before = committed_snapshot(world.engine)
    with pytest.raises(IncompleteAssessment) as refused:
        act(world, finalize, "reviewer", aid)
    assert [code for code, _ in refused.value.missing] == ["I20"]
    assert committed_snapshot(world.engine) == before


def test_finalizing_a_pemdi_assessment_is_refused_before_the_interview_stage(world):
    aid = prepared(world, "a", "in_review")
    act(
        world,
        save_review,
        "reviewer",
        aid,
        entries={c: {"final_level": v} for c, v in final_levels(world).items()},
    )
    before = committed_snapshot(world.engine)
    with pytest.raises(WorkflowError, match="interview") as refused:
        act(world, finalize, "reviewer", aid)
    assert not isinstance(refused.value, IncompleteAssessment)
    assert committed_snapshot(world.engine) == before


def test_finalizing_stores_the_score_of_the_final_levels_as_a_snapshot(world):
    aid = prepared(world, "a", "in_review")
    levels = final_levels(world)
    act(world, save_review, "reviewer", aid, entries={c: {"final_level": v} for c, v in levels.items()})
    act(world, set_stage, "reviewer", aid, stage="interview")
    act(world, finalize, "reviewer", aid)
    with read_session(world.engine) as session:
        expected = score_levels(framework_for(session, world.pemdi), levels)
        row = session.get(Assessment, aid)
        assert row is not None
    assert (row.status, row.stage) == ("final", "final")
    assert row.final_snapshot is not None and expected.predicate is not None
    assert row.final_snapshot["index"] == str(expected.index)
    assert row.final_snapshot["predicate"] == expected.predicate.name


# --- what a save refuses ---------------------------------------------------------------------------


@pytest.mark.parametrize("level", [7, 0, "abc"])
@pytest.mark.parametrize("side", ["self", "final"])
def test_a_level_outside_the_scale_is_refused_naming_the_indicator_and_changes_nothing(world, side, level):
    aid = prepared(world, "a", "in_review" if side == "final" else "draft")
    before = committed_snapshot(world.engine)
    with pytest.raises(WorkflowError, match="I07"):
        if side == "self":
            save(world, "operator", aid, {"I01": {"level": 2}, "I07": {"level": level}})
        else:
            act(
                world,
                save_review,
                "reviewer",
                aid,
                entries={"I01": {"final_level": 2}, "I07": {"final_level": level}},
            )
    assert committed_snapshot(world.engine) == before


def test_an_unknown_indicator_code_is_refused(world):
    aid = prepared(world, "a", "draft")
    before = committed_snapshot(world.engine)
    with pytest.raises(WorkflowError, match="I99"):
        save(world, "operator", aid, {"I99": {"level": 2}})
    assert committed_snapshot(world.engine) == before


def test_a_save_based_on_a_stale_score_version_is_refused_and_the_first_save_stays(world):
    aid = prepared(world, "a", "draft")
    read_by_both = {"I01": 0, "I02": 0}
    save(world, "operator", aid, {"I01": {"level": 2}}, versions=read_by_both)
    with pytest.raises(StaleAssessment):
        save(world, "coordinator", aid, {"I01": {"level": 4}, "I02": {"level": 5}}, versions=read_by_both)
    with read_session(world.engine) as session:
        rows = scores(session, aid)
        assert (rows["I01"].self_level, rows["I01"].version, "I02" in rows) == (2.0, 1, False)


def test_the_national_index_value_proposes_a_level_and_the_chosen_level_stays(world):
    aid = prepared(world, "a", "draft")
    save(world, "operator", aid, {"I05": {"level": 2, "national_index_value": 50}})
    with read_session(world.engine) as session:
        row = scores(session, aid)["I05"]
    assert (row.national_index_value, row.proposed_level, row.self_level) == (50.0, 3, 2.0)


def test_a_national_index_value_outside_0_to_100_is_refused(world):
    aid = prepared(world, "a", "draft")
    before = committed_snapshot(world.engine)
    with pytest.raises(WorkflowError, match="I05"):
        save(world, "operator", aid, {"I05": {"national_index_value": 120}})
    assert committed_snapshot(world.engine) == before


def test_not_applicable_is_refused_on_pemdi_2026(world):
    aid = prepared(world, "a", "draft")
    before = committed_snapshot(world.engine)
    with pytest.raises(WorkflowError, match="I01"):
        save(world, "operator", aid, {"I01": {"not_applicable": True}})
    assert committed_snapshot(world.engine) == before


# --- the audit log ---------------------------------------------------------------------------------


def test_each_field_change_is_audited_with_who_which_field_and_old_and_new_values(world):
    aid = prepared(world, "a", "draft")
    save(world, "operator", aid, {"I01": {"level": 3}})
    save(world, "coordinator", aid, {"I01": {"level": 4}})
    with read_session(world.engine) as session:
        rows = [
            (e.actor, e.user_id, e.old_value, e.new_value)
            for e in audit_rows(session, aid)
            if e.field == "I01.self_level"
        ]
    users = world.users
    assert rows == [
        ("operator", users["operator"], None, "3.0"),
        ("coordinator", users["coordinator"], "3.0", "4.0"),
    ]


def test_every_transition_is_audited_in_order(world):
    aid = prepared(world, "a", "finalizable")
    act(world, finalize, "reviewer", aid)
    with read_session(world.engine) as session:
        actions = [e.action for e in audit_rows(session, aid)]
    transitions = [a for a in actions if a not in ("save_self", "save_review")]
    assert transitions == ["open", "submit", "start_review", "set_stage", "finalize"]


def test_a_rolled_back_save_leaves_neither_the_change_nor_its_audit_entry(world):
    aid = prepared(world, "a", "draft")
    before = committed_snapshot(world.engine)
    with pytest.raises(RuntimeError), write_session(world.engine) as session:
        fill_all(session, world.actors["operator"], aid)
        raise RuntimeError("the request failed after the save")
    assert committed_snapshot(world.engine) == before


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_entry SET new_value = 'x' WHERE id = :id", "DELETE FROM audit_entry WHERE id = :id"],
)
def test_the_database_refuses_to_change_or_delete_an_audit_entry(world, statement):
    aid = prepared(world, "a", "draft")
    with read_session(world.engine) as session:
        entry = audit_rows(session, aid)[0]
    # the trigger (as the owner) or the missing privilege (as the app's role, tests/conftest.py) refuses it
    with (
        pytest.raises(DBAPIError, match=r"append-only|permission denied"),
        world.engine.begin() as connection,
    ):
        connection.execute(text(statement), {"id": entry.id})
    with read_session(world.engine) as session:
        again = session.get(AuditEntry, entry.id)
        assert again is not None and (again.action, again.new_value) == (entry.action, entry.new_value)
