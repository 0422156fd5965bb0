"""Recommendations and their follow-up (issue 12): who writes them and when, the agency's follow-up, the
next period's reviewer confirming or reopening, versions, the audit trail, reminders and the overview."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.models import (
    Activity,
    AuditEntry,
    Evidence,
    Notification,
    Period,
    Recommendation,
    ReviewerAssignment,
)
from evaluation.services.actors import PermissionDenied
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.periods import PeriodClosed, set_period_status
from evaluation.services.recommendations import (
    StaleRecommendation,
    add_recommendation,
    check_recommendation,
    delete_recommendation,
    due_reminders,
    edit_recommendation,
    mark_done,
    open_recommendations_of_agency,
    overview,
    recommendations_for_assessment,
    recommendations_of_agency,
    record_followup,
    upload_followup_evidence,
)
from evaluation.services.review import finalize
from evaluation.services.self_assessment import open_assessment
from tests.integration.workflow_fixtures import MINIMAL_PDF, act, prepared

DUE = date(2026, 6, 30)


def _final(world, key="a", period="spbe"):
    """The agency's assessment of the SPBE 2025 period (or Pemdi 2026), finalized by the reviewer."""
    period_id = getattr(world, period)
    assessment_id = prepared(world, key, "finalizable", period_id)
    act(world, finalize, "reviewer", assessment_id)
    return assessment_id


def _add(
    world, assessment_id, who="reviewer", code="I01", priority="high", text="Tetapkan SK tim SPBE.", due=DUE
):
    with write_session(world.engine) as session:
        return add_recommendation(
            session,
            actor=world.actors[who],
            assessment_id=assessment_id,
            indicator_code=code,
            priority=priority,
            text=text,
            due_on=due,
        )


def _rec(world, rec_id) -> Recommendation:
    with read_session(world.engine) as session:
        row = session.get(Recommendation, rec_id)
        assert row is not None
        session.expunge(row)
        return row


def _follow(world, rec_id, who="operator", **extra):
    values = {"action": "SK ditetapkan dan diunggah.", "owner": "Diskominfo", "due_on": date(2026, 5, 1)}
    values.update(extra)
    version = values.pop("expected_version", None) or _rec(world, rec_id).version
    with write_session(world.engine) as session:
        return record_followup(
            session, actor=world.actors[who], recommendation_id=rec_id, expected_version=version, **values
        )


def _done(world, rec_id, who="coordinator"):
    with write_session(world.engine) as session:
        return mark_done(
            session,
            actor=world.actors[who],
            recommendation_id=rec_id,
            expected_version=_rec(world, rec_id).version,
        )


def _check(world, rec_id, who="reviewer", confirmed=True, note=None):
    with write_session(world.engine) as session:
        return check_recommendation(
            session, actor=world.actors[who], recommendation_id=rec_id, confirmed=confirmed, note=note
        )


def _next_period_opened(world, key="a"):
    """The agency opens its Pemdi 2026 assessment: the period after the SPBE 2025 one."""
    with write_session(world.engine) as session:
        return open_assessment(
            session, actor=world.owner(key), agency_id=world.agency[key], period_id=world.pemdi
        )


def _audit(world, rec_id):
    with read_session(world.engine) as session:
        return list(
            session.exec(
                select(AuditEntry)
                .where(AuditEntry.entity == "recommendation", AuditEntry.entity_id == str(rec_id))
                .order_by(AuditEntry.id)  # type: ignore[arg-type]
            )
        )


def test_a_reviewer_writes_recommendations_the_agency_reads_them(world):
    assessment_id = _final(world)
    first = _add(world, assessment_id)
    whole = _add(world, assessment_id, code=None, priority="low", text="Susun peta rencana SPBE.", due=None)
    for who in ("operator", "coordinator", "reviewer", "admin"):
        with read_session(world.engine) as session:
            views = recommendations_for_assessment(
                session, actor=world.actors[who], assessment_id=assessment_id
            )
        assert [(v.id, v.indicator_code, v.priority, v.status) for v in views] == [
            (first, "I01", "high", "open"),
            (whole, None, "low", "open"),
        ]
    assert views[0].author == "Reviewer" and views[0].year == 2025 and views[0].indicator_name
    entries = _audit(world, first)
    assert [(e.action, e.actor) for e in entries] == [("add_recommendation", "reviewer")]
    assert "Tetapkan SK tim SPBE." in (entries[0].new_value or "")


def test_a_recommendation_may_be_written_in_review_too(world):
    assessment_id = prepared(world, "a", "in_review")
    assert _add(world, assessment_id) > 0


@pytest.mark.parametrize("who", ["operator", "coordinator", "admin", "coordinator_b"])
def test_only_reviewers_write_recommendations(world, who):
    assessment_id = _final(world)
    with pytest.raises(PermissionDenied):
        _add(world, assessment_id, who=who)


def test_another_agency_does_not_read_the_recommendations(world):
    assessment_id = _final(world)
    _add(world, assessment_id)
    with pytest.raises(PermissionDenied), read_session(world.engine) as session:
        recommendations_for_assessment(session, actor=world.actors["operator_b"], assessment_id=assessment_id)


@pytest.mark.parametrize("state", ["draft", "submitted"])
def test_no_recommendation_before_review(world, state):
    assessment_id = prepared(world, "a", state)
    with pytest.raises(WorkflowError, match="in review or once final"):
        _add(world, assessment_id)


@pytest.mark.parametrize(
    ("code", "priority", "text", "why"),
    [
        ("X99", "high", "Teks", "unknown indicator"),
        ("I01", "urgent", "Teks", "Unknown priority"),
        ("I01", "high", "   ", "is required"),
        ("I01", "high", "nul\x00char", "Recommendation"),
    ],
)
def test_bad_recommendations_are_refused_and_nothing_is_written(world, code, priority, text, why):
    assessment_id = _final(world)
    with pytest.raises(WorkflowError, match=why):
        _add(world, assessment_id, code=code, priority=priority, text=text)
    with read_session(world.engine) as session:
        assert session.exec(select(Recommendation)).all() == []


def test_a_closed_period_refuses_new_recommendations_but_not_the_follow_up(world):
    assessment_id = _final(world)
    rec_id = _add(world, assessment_id)
    with write_session(world.engine) as session:
        set_period_status(session, actor=world.actors["admin"], period_id=world.spbe, status="closed")
    with pytest.raises(PeriodClosed):
        _add(world, assessment_id)
    _follow(world, rec_id)
    assert _rec(world, rec_id).followup_owner == "Diskominfo"


def test_the_reviewer_edits_and_deletes_until_the_agency_answers(world):
    assessment_id = _final(world)
    rec_id = _add(world, assessment_id)
    with write_session(world.engine) as session:
        version = edit_recommendation(
            session,
            actor=world.actors["reviewer"],
            recommendation_id=rec_id,
            expected_version=1,
            indicator_code="I02",
            priority="medium",
            text="Teks baru",
            due_on=DUE,
        )
    assert version == 2
    row = _rec(world, rec_id)
    assert (row.indicator_code, row.priority, row.text) == ("I02", "medium", "Teks baru")
    assert {e.field for e in _audit(world, rec_id) if e.action == "edit_recommendation"} == {
        "indicator_code",
        "priority",
        "text",
    }
    with pytest.raises(StaleRecommendation), write_session(world.engine) as session:
        delete_recommendation(
            session, actor=world.actors["reviewer"], recommendation_id=rec_id, expected_version=1
        )
    other = _add(world, assessment_id, text="Hapus saya")
    with write_session(world.engine) as session:
        delete_recommendation(
            session, actor=world.actors["reviewer"], recommendation_id=other, expected_version=1
        )
    assert _audit(world, other)[-1].action == "delete_recommendation"
    _follow(world, rec_id)
    with (
        pytest.raises(WorkflowError, match="followed this recommendation up"),
        write_session(world.engine) as s,
    ):
        delete_recommendation(s, actor=world.actors["reviewer"], recommendation_id=rec_id, expected_version=3)


def test_the_whole_life_open_done_confirmed_by_the_next_periods_reviewer(world):
    assessment_id = _final(world)
    rec_id = _add(world, assessment_id)
    with write_session(world.engine) as session:
        activity = Activity(
            agency_id=world.agency["a"],
            framework_id="pemdi-2026",
            title="Penyusunan SK",
            owner="Bagian Hukum",
            starts_on=date(2026, 1, 1),
            due_on=date(2026, 3, 1),
        )
        session.add(activity)
        session.flush()
        activity_id = activity.id
    with write_session(world.engine) as session:
        evidence_id = upload_followup_evidence(
            session,
            actor=world.actors["operator"],
            store=world.store,
            recommendation_id=rec_id,
            filename="sk.pdf",
            data=MINIMAL_PDF,
        )
    assert _follow(world, rec_id, evidence_id=evidence_id, activity_id=activity_id) == 2
    assert _done(world, rec_id) == 3
    with pytest.raises(WorkflowError, match="no assessment after 2025"):
        _check(world, rec_id)
    next_id = _next_period_opened(world)
    with read_session(world.engine) as session:
        pending = open_recommendations_of_agency(
            session, actor=world.actors["reviewer"], agency_id=world.agency["a"], before_year=2026
        )
        evidence = session.get(Evidence, evidence_id)
    assert [(v.id, v.status, v.followup_owner, v.evidence_name, v.activity_title) for v in pending] == [
        (rec_id, "done", "Diskominfo", "sk.pdf", "Penyusunan SK")
    ]
    assert evidence is not None and evidence.agency_id == world.agency["a"]
    assert next_id
    assert _check(world, rec_id, note="Sesuai bukti.") == 4
    row = _rec(world, rec_id)
    assert (row.status, row.checked_by, row.check_note) == (
        "confirmed",
        world.users["reviewer"],
        "Sesuai bukti.",
    )
    with read_session(world.engine) as session:
        assert (
            open_recommendations_of_agency(
                session, actor=world.actors["reviewer"], agency_id=world.agency["a"], before_year=2026
            )
            == []
        )
    status_changes = [
        (e.action, e.old_value, e.new_value) for e in _audit(world, rec_id) if e.field == "status"
    ]
    assert status_changes == [("mark_done", "open", "done"), ("check_recommendation", "done", "confirmed")]


def test_a_reopened_recommendation_goes_back_to_the_agency(world):
    rec_id = _add(world, _final(world))
    _follow(world, rec_id)
    _done(world, rec_id)
    _next_period_opened(world)
    with pytest.raises(WorkflowError, match="Note is required"):
        _check(world, rec_id, confirmed=False, note=" ")
    _check(world, rec_id, confirmed=False, note="Bukti belum memadai.")
    row = _rec(world, rec_id)
    assert (row.status, row.check_note, row.done_at) == ("reopened", "Bukti belum memadai.", None)
    with pytest.raises(WorkflowError, match="Only a finished follow-up"):
        _check(world, rec_id)
    _follow(world, rec_id, action="SK direvisi.")
    _done(world, rec_id)
    _check(world, rec_id)
    assert _rec(world, rec_id).status == "confirmed"
    with pytest.raises(WorkflowError, match="follow-up is finished"):
        _follow(world, rec_id)


def test_only_a_reviewer_assigned_to_the_later_period_checks_when_there_are_assignments(world):
    rec_id = _add(world, _final(world))
    _follow(world, rec_id)
    _done(world, rec_id)
    _next_period_opened(world)
    with write_session(world.engine) as session:
        session.add(
            ReviewerAssignment(
                period_id=world.pemdi,
                agency_id=world.agency["a"],
                reviewer_id=world.users["admin"],
                role="lead",
            )
        )
    with pytest.raises(PermissionDenied, match="not assigned"):
        _check(world, rec_id)
    for who in ("coordinator", "operator", "admin"):
        with pytest.raises(PermissionDenied):
            _check(world, rec_id, who=who)
    assert _rec(world, rec_id).status == "done"


@pytest.mark.parametrize("who", ["reviewer", "admin", "operator_b", "coordinator_b"])
def test_only_the_agency_follows_up(world, who):
    rec_id = _add(world, _final(world))
    with pytest.raises(PermissionDenied):
        _follow(world, rec_id, who=who)
    with pytest.raises(PermissionDenied), write_session(world.engine) as session:
        mark_done(session, actor=world.actors[who], recommendation_id=rec_id, expected_version=1)


def test_a_roadmap_activity_or_a_document_of_another_agency_is_refused(world):
    rec_id = _add(world, _final(world))
    with write_session(world.engine) as session:
        foreign = Activity(
            agency_id=world.agency["b"],
            framework_id="pemdi-2026",
            title="Kegiatan lain",
            owner="Lain",
            starts_on=date(2026, 1, 1),
            due_on=date(2026, 3, 1),
        )
        document = Evidence(
            kind="link", filename="lain", url="https://contoh.go.id", agency_id=world.agency["b"]
        )
        session.add_all([foreign, document])
        session.flush()
        activity_id, evidence_id = foreign.id, document.id
    with pytest.raises(WorkflowError, match="activity is not this agency's"):
        _follow(world, rec_id, activity_id=activity_id)
    with pytest.raises(WorkflowError, match="document is not this agency's"):
        _follow(world, rec_id, evidence_id=evidence_id)
    row = _rec(world, rec_id)
    assert (row.version, row.followup_action, row.activity_id) == (1, None, None)
    assert [e.action for e in _audit(world, rec_id)] == ["add_recommendation"]


def test_a_stale_follow_up_is_refused_and_done_needs_a_follow_up(world):
    rec_id = _add(world, _final(world))
    with pytest.raises(WorkflowError, match="Record the follow-up"):
        _done(world, rec_id)
    _follow(world, rec_id)
    with pytest.raises(StaleRecommendation):
        _follow(world, rec_id, who="coordinator", action="Versi lama", expected_version=1)
    assert _rec(world, rec_id).followup_action == "SK ditetapkan dan diunggah."
    with pytest.raises(WorkflowError, match="Owner is required"):
        _follow(world, rec_id, owner="")


def test_the_agency_page_lists_every_period_newest_first(world):
    old = _add(world, _final(world))
    new = _add(world, _final(world, period="pemdi"), code="I03")
    with read_session(world.engine) as session:
        views = recommendations_of_agency(
            session, actor=world.actors["operator"], agency_id=world.agency["a"]
        )
        with pytest.raises(PermissionDenied):
            recommendations_of_agency(session, actor=world.actors["operator_b"], agency_id=world.agency["a"])
    assert [(v.id, v.year) for v in views] == [(new, 2026), (old, 2025)]


def test_the_overview_counts_open_recommendations_by_indicator_category_and_province(world):
    a = _final(world, "a")
    b = _final(world, "b")
    _add(world, a, code="I01", due=date(2020, 1, 1))  # overdue
    _add(world, a, code=None)
    _add(world, b, code="I01")
    done = _add(world, b, code="I02")
    _follow(world, done, who="operator_b")
    _done(world, done, who="coordinator_b")
    with read_session(world.engine) as session:
        seen = overview(session, actor=world.actors["admin"], today=date(2026, 1, 1))
        only_2026 = overview(session, actor=world.actors["reviewer"], year=2026)
        with pytest.raises(PermissionDenied):
            overview(session, actor=world.actors["coordinator"])
    assert [(r.framework_id, r.key, r.open, r.overdue) for r in seen.by_indicator] == [
        ("spbe-2020", "I01", 2, 1),
        ("spbe-2020", "", 1, 0),
    ]
    assert seen.by_indicator[0].name
    assert {(r.key, r.open, r.overdue) for r in seen.by_category} == {("Kota", 2, 1), ("Kabupaten", 1, 0)}
    assert [(r.key, r.open) for r in seen.by_province] == [("", 3)]
    assert seen.by_status == {"open": 3, "done": 1} and seen.agencies == 2
    assert only_2026.by_indicator == [] and only_2026.by_status == {}


def test_due_reminders_reach_the_coordinators_once_per_due_date(world):
    assessment_id = _final(world)
    soon = _add(world, assessment_id, due=date(2026, 6, 5))
    _add(world, assessment_id, due=date(2026, 9, 1))  # too far
    _add(world, assessment_id, due=date(2026, 5, 1))  # already overdue
    today = date(2026, 6, 1)
    with write_session(world.engine) as session:
        assert due_reminders(session, today, (7, 3, 1)) == 1
    with write_session(world.engine) as session:
        assert due_reminders(session, today, (7, 3, 1)) == 0  # the daily run again: nothing new
        notes = [
            (n.user_id, n.kind, n.dedupe_key, n.params)
            for n in session.exec(select(Notification).where(Notification.kind == "recommendation_due"))
        ]
    assert [(*n[:3], n[3]["days"]) for n in notes] == [
        (world.users["coordinator"], "recommendation_due", f"rec-due:{soon}:2026-06-05", 4)
    ]
    assert notes[0][3]["agency"] == "Kota Contoh" and notes[0][3]["indicator"] == "I01"


def test_follow_up_evidence_is_checked_like_every_upload(world):
    rec_id = _add(world, _final(world))
    with pytest.raises(WorkflowError, match="not an allowed type"), write_session(world.engine) as session:
        upload_followup_evidence(
            session,
            actor=world.actors["operator"],
            store=world.store,
            recommendation_id=rec_id,
            filename="sk.pdf",
            data=b"not a pdf at all",
        )
    with pytest.raises(PermissionDenied), write_session(world.engine) as session:
        upload_followup_evidence(
            session,
            actor=world.actors["operator_b"],
            store=world.store,
            recommendation_id=rec_id,
            filename="sk.pdf",
            data=MINIMAL_PDF,
        )
    with read_session(world.engine) as session:
        assert session.exec(select(Evidence)).all() == []
        assert session.get(Period, world.spbe) is not None


@pytest.mark.parametrize("who", ["operator", "coordinator", "admin"])
def test_only_reviewers_edit_or_delete(world, who):
    rec_id = _add(world, _final(world))
    with pytest.raises(PermissionDenied), write_session(world.engine) as session:
        edit_recommendation(
            session,
            actor=world.actors[who],
            recommendation_id=rec_id,
            expected_version=1,
            indicator_code=None,
            priority="low",
            text="Diubah",
            due_on=None,
        )
    with pytest.raises(PermissionDenied), write_session(world.engine) as session:
        delete_recommendation(session, actor=world.actors[who], recommendation_id=rec_id, expected_version=1)
    assert (_rec(world, rec_id).text, _rec(world, rec_id).version) == ("Tetapkan SK tim SPBE.", 1)


def test_with_reviewers_assigned_only_they_write_the_agencys_recommendations(world):
    assessment_id = _final(world)
    with write_session(world.engine) as session:
        session.add(
            ReviewerAssignment(
                period_id=world.spbe,
                agency_id=world.agency["a"],
                reviewer_id=world.users["admin"],
                role="lead",
            )
        )
    with pytest.raises(PermissionDenied, match="not assigned"):
        _add(world, assessment_id)
    assert _add(world, _final(world, "b")) > 0  # agency b has nobody assigned: any reviewer
