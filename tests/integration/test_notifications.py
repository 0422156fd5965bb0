"""Notifications in the app (issue 12): who gets a row for which event, reminders before the deadlines
(once per user and occasion), each user reads and marks only their own, texts in both languages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.models import Assessment, AuditEntry, Notification, Period, ReviewerAssignment, User
from evaluation.services.actors import SYSTEM, PermissionDenied
from evaluation.services.deadline_reminders import send_reminders
from evaluation.services.notifications import (
    mark_read,
    notification_text,
    notifications_for,
    notify,
    unread_count,
)
from evaluation.services.review import finalize, return_for_revision
from evaluation.services.self_assessment import submit
from evaluation.services.users import set_email
from tests.integration.workflow_fixtures import act, prepared

TODAY = date(2026, 6, 1)


def rows(world, kind=None):
    with read_session(world.engine) as session:
        query = select(Notification).order_by(Notification.id)  # type: ignore[arg-type]
        if kind:
            query = query.where(Notification.kind == kind)
        return list(session.exec(query))


def recipients(world, kind):
    names = {uid: name for name, uid in world.users.items()}
    return sorted(names[row.user_id] for row in rows(world, kind))


def test_a_return_for_revision_notifies_the_agencys_coordinator_and_operator(world):
    aid = prepared(world, "a", "in_review")
    act(world, return_for_revision, "reviewer", aid, note="Lengkapi bukti I01.")
    assert recipients(world, "returned") == ["coordinator", "operator"]
    row = rows(world, "returned")[0]
    assert row.assessment_id == aid
    assert row.params == {"agency": "Kota Contoh", "year": 2026}


def test_finalizing_notifies_the_agencys_coordinators_only_with_the_index(world):
    aid = prepared(world, "a", "finalizable")
    act(world, finalize, "reviewer", aid)
    assert recipients(world, "finalized") == ["coordinator"]
    params = rows(world, "finalized")[0].params
    with read_session(world.engine) as session:
        snapshot = session.get(Assessment, aid).final_snapshot  # type: ignore[union-attr]
    assert params["index"] == snapshot["index_display"] and params["predicate"] == snapshot["predicate"]


def _assign(world, agency_key, period_id, role="lead", user="reviewer"):
    with write_session(world.engine) as session:
        session.add(
            ReviewerAssignment(
                period_id=period_id,
                agency_id=world.agency[agency_key],
                reviewer_id=world.users[user],
                role=role,
            )
        )


def test_submitting_notifies_the_reviewers_assigned_to_the_agency_for_that_period(world):
    aid = prepared(world, "a", "complete")
    _assign(world, "a", world.pemdi)
    _assign(world, "b", world.pemdi, user="admin")  # another agency's team hears nothing
    _assign(world, "a", world.spbe, user="admin")  # nor the agency's team of another period
    act(world, submit, "coordinator", aid)
    assert recipients(world, "submitted") == ["reviewer"]
    row = rows(world, "submitted")[0]
    assert row.assessment_id == aid and row.params == {"agency": "Kota Contoh", "year": 2026}
    assert "Kota Contoh" in notification_text("submitted", row.params, "id")


def test_submitting_with_no_reviewer_assigned_notifies_nobody_and_a_refused_submit_neither(world):
    aid = prepared(world, "a", "complete")
    _assign(world, "a", world.pemdi)
    with pytest.raises(PermissionDenied):
        act(world, submit, "operator", aid)
    assert rows(world, "submitted") == []
    with write_session(world.engine) as session:
        for row in session.exec(select(ReviewerAssignment)):
            session.delete(row)
    act(world, submit, "coordinator", aid)
    assert rows(world, "submitted") == []


def test_a_refused_action_notifies_nobody(world):
    aid = prepared(world, "a", "in_review")
    with pytest.raises(PermissionDenied):
        act(world, return_for_revision, "coordinator", aid, note="x")
    with pytest.raises(ValueError):
        act(world, return_for_revision, "reviewer", aid, note="  ")
    assert rows(world) == []


def test_a_rolled_back_transaction_leaves_no_notification(world):
    with pytest.raises(RuntimeError), write_session(world.engine) as session:
        notify(session, user_ids=[world.users["coordinator"]], kind="returned", params={"agency": "x"})
        raise RuntimeError("the change failed after notifying")
    assert rows(world) == []


def test_a_dedupe_key_keeps_one_notification_per_user(world):
    users = [world.users["coordinator"], world.users["operator"], None, world.users["operator"]]
    with write_session(world.engine) as session:
        first = notify(session, user_ids=users, kind="deadline", dedupe_key="k1")
        again = notify(session, user_ids=users, kind="deadline", dedupe_key="k1")
        third = notify(session, user_ids=[world.users["reviewer"], *users], kind="deadline", dedupe_key="k1")
    assert (first, again, third) == (2, 0, 1)
    assert len(rows(world)) == 3


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(ValueError), write_session(world.engine) as session:
        notify(session, user_ids=[world.users["admin"]], kind="gossip")


def _two_each(world):
    with write_session(world.engine) as session:
        for name in ("operator", "operator_b"):
            for year in (2025, 2026):
                notify(session, user_ids=[world.users[name]], kind="assigned", params={"year": year})


@pytest.mark.parametrize("who", ["operator", "coordinator", "reviewer", "admin"])
def test_every_role_reads_only_its_own_newest_first(world, who):
    with write_session(world.engine) as session:
        for year in (2024, 2025, 2026):
            for name in (who, "operator_b"):
                notify(session, user_ids=[world.users[name]], kind="assigned", params={"year": year})
    with read_session(world.engine) as session:
        mine = notifications_for(session, actor=world.actors[who])
        count = unread_count(session, actor=world.actors[who])
    assert [item.params["year"] for item in mine] == [2026, 2025, 2024]
    assert count == 3 and not any(item.read for item in mine)
    with read_session(world.engine) as session:
        own_ids = {
            r.id for r in session.exec(select(Notification).where(Notification.user_id == world.users[who]))
        }
    assert {item.id for item in mine} == own_ids


def test_marking_read_touches_only_ones_own_notifications(world):
    _two_each(world)
    theirs = [r.id for r in rows(world) if r.user_id == world.users["operator_b"]]
    mine = [r.id for r in rows(world) if r.user_id == world.users["operator"]]
    with write_session(world.engine) as session:
        changed = mark_read(session, actor=world.actors["operator"], ids=[*theirs, mine[0]])
    assert changed == 1
    with read_session(world.engine) as session:
        assert unread_count(session, actor=world.actors["operator"]) == 1
        assert unread_count(session, actor=world.actors["operator_b"]) == 2
        only_unread = notifications_for(session, actor=world.actors["operator"], only_unread=True)
    assert [item.id for item in only_unread] == [mine[1]]


def test_mark_all_read_marks_every_own_unread_one_and_nothing_else(world):
    _two_each(world)
    with write_session(world.engine) as session:
        assert mark_read(session, actor=world.actors["operator"], all=True) == 2
        assert mark_read(session, actor=world.actors["operator"], all=True) == 0
        assert mark_read(session, actor=world.actors["operator"], ids=[]) == 0
    with read_session(world.engine) as session:
        assert unread_count(session, actor=world.actors["operator"]) == 0
        assert unread_count(session, actor=world.actors["operator_b"]) == 2


def test_reads_and_marks_need_a_signed_in_user(world):
    with pytest.raises(PermissionDenied), read_session(world.engine) as session:
        unread_count(session, actor=SYSTEM)
    with pytest.raises(PermissionDenied), write_session(world.engine) as session:
        mark_read(session, actor=SYSTEM, all=True)


# --- reminders ---------------------------------------------------------------------------------------


def _schedule(world, **dates):
    with write_session(world.engine) as session:
        period = session.get(Period, world.pemdi)
        for name, value in dates.items():
            setattr(period, name, value)
        session.add(period)


def _remind(world, today):
    with write_session(world.engine) as session:
        return send_reminders(session, today)


def test_agency_users_are_reminded_before_the_self_assessment_closes_while_draft_or_returned(world):
    prepared(world, "a", "draft")
    prepared(world, "b", "submitted")
    _schedule(world, self_assessment_closes_on=TODAY + timedelta(days=3))
    assert _remind(world, TODAY - timedelta(days=5))["self_assessment"] == 0  # 8 days: too early
    assert _remind(world, TODAY)["self_assessment"] == 2
    assert recipients(world, "deadline") == ["coordinator", "operator"]
    params = rows(world, "deadline")[0].params
    assert params == {
        "stage": "self_assessment",
        "agency": "Kota Contoh",
        "year": 2026,
        "date": "2026-06-04",
        "days": 3,
    }
    assert _remind(world, TODAY)["self_assessment"] == 0  # the same day again: nothing new
    assert _remind(world, TODAY + timedelta(days=1))["self_assessment"] == 0  # 2 days: still threshold 3
    assert _remind(world, TODAY + timedelta(days=2))["self_assessment"] == 2  # 1 day left
    assert _remind(world, TODAY + timedelta(days=4))["self_assessment"] == 0  # past the date


def test_a_missed_day_still_reminds_at_the_next_run(world):
    prepared(world, "a", "draft")
    _schedule(world, self_assessment_closes_on=TODAY + timedelta(days=5))
    assert _remind(world, TODAY)["self_assessment"] == 2  # 5 days left: the 7-day reminder
    assert rows(world, "deadline")[0].params["days"] == 5


def test_reviewers_are_reminded_once_per_period_for_their_unfinished_assessments(world):
    prepared(world, "a", "in_review")
    prepared(world, "b", "draft")
    with write_session(world.engine) as session:
        for key in ("a", "b"):
            session.add(
                ReviewerAssignment(
                    period_id=world.pemdi, agency_id=world.agency[key], reviewer_id=world.users["reviewer"]
                )
            )
    _schedule(world, verification_ends_on=TODAY + timedelta(days=7))
    counts = _remind(world, TODAY)
    assert counts["verification"] == 1
    row = rows(world, "deadline")
    assert [r.user_id for r in row] == [world.users["reviewer"]]
    assert row[0].params["count"] == 2 and row[0].params["stage"] == "verification"
    assert _remind(world, TODAY)["verification"] == 0


def test_closed_periods_and_final_assessments_remind_nobody(world):
    aid = prepared(world, "a", "draft")
    with write_session(world.engine) as session:
        session.add(
            ReviewerAssignment(
                period_id=world.pemdi, agency_id=world.agency["a"], reviewer_id=world.users["reviewer"]
            )
        )
        assessment = session.get(Assessment, aid)
        assessment.status = "final"  # type: ignore[union-attr]
        session.add(assessment)
    _schedule(world, verification_ends_on=TODAY + timedelta(days=1), self_assessment_closes_on=TODAY)
    assert _remind(world, TODAY) == {"self_assessment": 0, "verification": 0, "recommendation_due": 0}
    with write_session(world.engine) as session:
        assessment = session.get(Assessment, aid)
        assessment.status = "draft"  # type: ignore[union-attr]
        session.add(assessment)
    _schedule(world, status="closed")
    assert _remind(world, TODAY) == {"self_assessment": 0, "verification": 0, "recommendation_due": 0}


# --- texts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "params", "indonesian", "english"),
    [
        ("returned", {"agency": "Kota X", "year": 2026}, "Kota X periode 2026 dikembalikan", "returned"),
        ("finalized", {"agency": "Kota X", "year": 2026, "index": "3,10"}, "indeks 3,10", "index 3,10"),
        ("objection_decided", {"indicator": "I05", "decision": "upheld"}, "I05", "was upheld"),
        ("objection_decided", {"indicator": "I05", "upheld": False}, "ditolak", "was rejected"),
        ("assigned", {"agency": "Kota X", "year": 2026, "role": "lead"}, "sebagai ketua", "as lead"),
        ("assigned", {"agency": "Kota X", "year": 2026, "role": "member"}, "sebagai anggota", "as member"),
        ("submitted", {"agency": "Kota X", "year": 2026}, "Kota X telah mengajukan", "Kota X has submitted"),
        (
            "deadline",
            {"stage": "verification", "date": "2026-06-04", "days": 3},
            "4 Juni 2026",
            "4 June 2026",
        ),
        ("recommendation_due", {"indicator": "", "due": "2026-07-01"}, "seluruh instansi", "whole agency"),
    ],
)
def test_texts_are_made_in_the_readers_language(kind, params, indonesian, english):
    assert indonesian in notification_text(kind, params, "id")
    assert english in notification_text(kind, params, "en")


def test_missing_params_show_a_dash_and_bookkeeping_params_never_show():
    text = notification_text("returned", {"_email_attempts": 3}, "en")
    assert text.startswith("The - assessment for -") and "3" not in text


def test_only_param_values_pass_through_the_escape():
    text = notification_text(
        "returned", {"agency": "**Kota**", "year": 2026}, "id", escape=lambda v: f"<{v}>"
    )
    assert "<**Kota**>" in text and "<2026>" in text and "**" not in text.replace("<**Kota**>", "")


# --- the address emails go to ------------------------------------------------------------------------


def _email(world, user):
    with read_session(world.engine) as session:
        return session.get(User, world.users[user]).email  # type: ignore[union-attr]


@pytest.mark.parametrize("who", ["operator", "coordinator", "reviewer", "admin"])
def test_every_user_sets_their_own_email_audited(world, who):
    with write_session(world.engine) as session:
        set_email(session, actor=world.actors[who], user_id=world.users[who], email=" nama@instansi.go.id ")
    assert _email(world, who) == "nama@instansi.go.id"
    with read_session(world.engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "set_email")).one()
    assert (entry.field, entry.new_value, entry.entity_id) == (
        "email",
        "nama@instansi.go.id",
        str(world.users[who]),
    )
    with write_session(world.engine) as session:
        set_email(session, actor=world.actors[who], user_id=world.users[who], email="")
    assert _email(world, who) is None


@pytest.mark.parametrize("who", ["operator", "coordinator", "reviewer"])
def test_only_an_admin_sets_someone_elses_email(world, who):
    with pytest.raises(PermissionDenied), write_session(world.engine) as session:
        set_email(session, actor=world.actors[who], user_id=world.users["operator_b"], email="x@y.go.id")
    with write_session(world.engine) as session:
        set_email(session, actor=world.actors["admin"], user_id=world.users["operator_b"], email="x@y.go.id")
    assert _email(world, "operator_b") == "x@y.go.id"


@pytest.mark.parametrize(
    "bad",
    [
        "tanpa-at",
        "a@b",
        "a b@c.go.id",
        "a@c.go.id\nBcc: x@y.id",
        "Nama <a@b.go.id>",
        "a@-x.id",
        "a" * 250 + "@b.id",
    ],
)
def test_an_address_that_is_not_a_plain_mailbox_is_refused(world, bad):
    with pytest.raises(ValueError), write_session(world.engine) as session:
        set_email(session, actor=world.actors["operator"], user_id=world.users["operator"], email=bad)
    assert _email(world, "operator") is None
