"""A thread per indicator (issue 13): who may post and read, plain text kept as written, never edited,
unread counts, a reviewer's question that blocks finalization until the agency answers, the audit."""

from __future__ import annotations

import pytest
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.models import AuditEntry, ThreadMessage
from evaluation.services.actors import PermissionDenied
from evaluation.services.assessment_state import IncompleteAssessment, WorkflowError
from evaluation.services.review import finalize
from evaluation.services.threads import mark_read, open_questions, post_message, thread, unread_counts
from tests.integration.workflow_fixtures import current, prepared


def _post(world, who, assessment_id, text="Apakah SK sudah ditetapkan?", code="I01", **extra):
    with write_session(world.engine) as session:
        return post_message(
            session,
            actor=world.actors[who],
            assessment_id=assessment_id,
            indicator_code=code,
            text=text,
            **extra,
        )


@pytest.mark.parametrize("who", ["operator", "coordinator", "reviewer"])
def test_the_agency_and_the_reviewers_post_and_read(world, who):
    assessment_id = prepared(world, "a", "draft")
    message_id = _post(world, who, assessment_id, text="**tebal** <b>x</b>")
    with read_session(world.engine) as session:
        messages = thread(session, actor=world.actors[who], assessment_id=assessment_id, indicator_code="I01")
    assert [(m.id, m.text) for m in messages] == [(message_id, "**tebal** <b>x</b>")]


@pytest.mark.parametrize("who", ["operator_b", "coordinator_b", "admin"])
def test_another_agency_and_admins_may_not_post(world, who):
    assessment_id = prepared(world, "a", "draft")
    with pytest.raises(PermissionDenied):
        _post(world, who, assessment_id)


def test_another_agency_may_not_read_a_thread(world):
    assessment_id = prepared(world, "a", "draft")
    _post(world, "operator", assessment_id)
    with pytest.raises(PermissionDenied), read_session(world.engine) as session:
        thread(session, actor=world.actors["operator_b"], assessment_id=assessment_id, indicator_code="I01")


def test_only_a_reviewer_asks_for_an_answer_and_empty_messages_are_refused(world):
    assessment_id = prepared(world, "a", "draft")
    with pytest.raises(PermissionDenied):
        _post(world, "coordinator", assessment_id, needs_answer=True)
    with pytest.raises(WorkflowError):
        _post(world, "operator", assessment_id, text="   ")
    with pytest.raises(WorkflowError):
        _post(world, "operator", assessment_id, code="X99")


def test_unread_counts_count_others_messages_until_read(world):
    assessment_id = prepared(world, "a", "draft")
    _post(world, "reviewer", assessment_id)
    _post(world, "reviewer", assessment_id, text="Lampirkan SK.")
    _post(world, "reviewer", assessment_id, code="I02")
    _post(world, "operator", assessment_id, code="I03")
    with write_session(world.engine) as session:
        actor = world.actors["operator"]
        assert unread_counts(session, actor=actor, assessment_id=assessment_id) == {"I01": 2, "I02": 1}
        mark_read(session, actor=actor, assessment_id=assessment_id, indicator_code="I01")
        assert unread_counts(session, actor=actor, assessment_id=assessment_id) == {"I02": 1}


def test_an_open_question_blocks_finalization_until_the_agency_answers(world):
    assessment_id = prepared(world, "a", "finalizable")
    _post(world, "reviewer", assessment_id, code="I04", needs_answer=True)
    with pytest.raises(IncompleteAssessment, match="I04"), write_session(world.engine) as session:
        finalize(
            session,
            actor=world.actors["reviewer"],
            assessment_id=assessment_id,
            expected_version=current(world, assessment_id),
        )
    _post(world, "reviewer", assessment_id, code="I04", text="Tambahan dari asesor.")
    with read_session(world.engine) as session:
        assert open_questions(session, assessment_id) == {"I04": 1}
    _post(world, "operator", assessment_id, code="I04", text="SK terlampir.")
    with write_session(world.engine) as session:
        assert open_questions(session, assessment_id) == {}
        finalize(
            session,
            actor=world.actors["reviewer"],
            assessment_id=assessment_id,
            expected_version=current(world, assessment_id),
        )


def test_a_post_is_audited_and_the_service_offers_no_edit(world):
    import evaluation.services.threads as threads

    assessment_id = prepared(world, "a", "draft")
    message_id = _post(world, "operator", assessment_id, text="Koreksi: SK nomor 12.")
    with read_session(world.engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "post_message")).one()
        stored = session.get(ThreadMessage, message_id)
    assert (entry.entity_id, entry.field) == (str(assessment_id), "I01.thread")
    assert "Koreksi: SK nomor 12." in (entry.new_value or "")
    assert stored is not None and stored.author_side == "agency"
    assert not [name for name in dir(threads) if name.startswith(("edit", "update", "delete"))]
