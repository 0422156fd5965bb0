"""Reviewer assignment (issue 12): by hand, in bulk and from a file, per role; the one-lead rule; every
change audited and the reviewer notified; a file with any bad row applies nothing. The reviewer's queue:
own agencies first, oldest first, filters, overdue and counts. SQLite, and PostgreSQL when configured."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.excel_io.reader import UnreadableFile
from evaluation.models import Agency, Assessment, AuditEntry, Notification, Period, ReviewerAssignment, utcnow
from evaluation.services.actors import SYSTEM, PermissionDenied
from evaluation.services.auth import actor_of
from evaluation.services.bulk.plan import ImportRefused
from evaluation.services.periods import PeriodClosed, set_period_status
from evaluation.services.review_queue import reviewer_queue
from evaluation.services.reviewer_roster import assignment_table
from evaluation.services.reviewer_sheet import apply_plan, assignment_template, plan_file
from evaluation.services.reviewers import (
    assign_from_rows,
    assign_in_bulk,
    assign_reviewer,
    lead_reviewer_id,
    reviewers_of,
    unassign_reviewer,
)
from evaluation.services.users import create_user
from tests.hostile_workbooks import HOSTILE
from tests.integration.workflow_fixtures import PASSWORD, World

pytestmark = pytest.mark.db
AGENCY_ROLES = ["operator", "coordinator", "operator_b", "coordinator_b"]


@pytest.fixture(name="w")
def more_world(world: World) -> World:
    """The workflow world plus a second reviewer ("reviewer2") and provinces on its two agencies, three
    more agencies (one inactive) to assign in bulk."""
    with write_session(world.engine) as session:
        second = create_user(
            session,
            actor=SYSTEM,
            username="reviewer2",
            full_name="Reviewer Two",
            password=PASSWORD,
            role="reviewer",
        )
        world.users["reviewer2"], world.actors["reviewer2"] = second.id, actor_of(second)
        for key, province in (("a", "Jawa Barat"), ("b", "Jawa Tengah")):
            agency = session.get(Agency, world.agency[key])
            agency.province = province
            session.add(agency)
        for key, code, category, province, active in (
            ("c", "KOTA-903", "Kota", "Jawa Barat", True),
            ("d", "KOTA-904", "Kota", "Jawa Tengah", True),
            ("e", "KOTA-905", "Kota", "Jawa Barat", False),
        ):
            agency = Agency(
                code=code, name=f"Kota {key.upper()}", category=category, province=province, active=active
            )
            session.add(agency)
            session.flush()
            world.agency[key] = agency.id
    return world


def assign(w: World, who: str, agency: str, reviewer: str = "reviewer", role: str = "lead") -> bool:
    with write_session(w.engine) as session:
        return assign_reviewer(
            session,
            actor=w.actors[who],
            period_id=w.pemdi,
            agency_id=w.agency[agency],
            reviewer_id=w.users[reviewer],
            role=role,
        )


def assignments(w: World) -> set[tuple[str, str, str]]:
    """(agency code, reviewer username, role) of every assignment in the Pemdi period."""
    names = {uid: name.replace("_", "-") for name, uid in w.users.items()}
    with read_session(w.engine) as session:
        codes = {a.id: a.code for a in session.exec(select(Agency))}
        rows = session.exec(select(ReviewerAssignment).where(ReviewerAssignment.period_id == w.pemdi))
        return {(codes[r.agency_id], names[r.reviewer_id], r.role) for r in rows}


def assignment_audit(w: World) -> list[AuditEntry]:
    with read_session(w.engine) as session:
        query = select(AuditEntry).where(AuditEntry.entity == "reviewer_assignment").order_by(AuditEntry.id)
        return list(session.exec(query))


def notifications(w: World, reviewer: str = "reviewer") -> list[Notification]:
    with read_session(w.engine) as session:
        return list(session.exec(select(Notification).where(Notification.user_id == w.users[reviewer])))


def counts(w: World) -> tuple[int, int, int]:
    with read_session(w.engine) as session:
        return tuple(  # type: ignore[return-value]
            session.exec(select(func.count()).select_from(model)).one()
            for model in (ReviewerAssignment, AuditEntry, Notification)
        )


# --- by hand ----------------------------------------------------------------------------------------


def test_an_admin_assigns_a_lead_audited_and_the_reviewer_notified(w):
    assert assign(w, "admin", "a") is True
    assert assignments(w) == {("KOTA-901", "reviewer", "lead")}
    with read_session(w.engine) as session:
        assert lead_reviewer_id(session, w.pemdi, w.agency["a"]) == w.users["reviewer"]
    [entry] = assignment_audit(w)
    assert (entry.action, entry.actor, entry.user_id) == ("assign_reviewer", "admin", w.users["admin"])
    assert '"role": "lead"' in (entry.new_value or "")
    [note] = notifications(w)
    assert note.kind == "assigned"
    assert note.params == {"agency": "Kota Contoh", "year": 2026, "role": "lead"}
    assert note.dedupe_key == f"assigned:{w.pemdi}:{w.agency['a']}:{w.users['reviewer']}"


@pytest.mark.parametrize("who", ["reviewer", *AGENCY_ROLES])
def test_only_an_admin_may_assign_and_a_refusal_writes_nothing(w, who):
    before = counts(w)
    with pytest.raises(PermissionDenied):
        assign(w, who, "a")
    with write_session(w.engine) as session, pytest.raises(PermissionDenied):
        assign_in_bulk(
            session,
            actor=w.actors[who],
            period_id=w.pemdi,
            reviewer_id=w.users["reviewer"],
            role="member",
            category="Kota",
        )
    with write_session(w.engine) as session, pytest.raises(PermissionDenied):
        assign_from_rows(
            session, actor=w.actors[who], period_id=w.pemdi, rows=[("KOTA-901", "reviewer", "lead")]
        )
    assert counts(w) == before


def test_a_new_lead_turns_the_old_lead_into_a_member_in_one_change_set(w):
    assign(w, "admin", "a", "reviewer", "lead")
    assign(w, "admin", "a", "reviewer2", "lead")
    assert assignments(w) == {("KOTA-901", "reviewer", "member"), ("KOTA-901", "reviewer2", "lead")}
    with read_session(w.engine) as session:
        assert reviewers_of(session, w.pemdi, w.agency["a"]) == [
            (w.users["reviewer2"], "lead"),
            (w.users["reviewer"], "member"),
        ]
    first, demoted, second = assignment_audit(w)
    assert (demoted.action, demoted.field, demoted.old_value, demoted.new_value) == (
        "demote_lead",
        "role",
        "lead",
        "member",
    )
    assert second.action == "assign_reviewer" and demoted.change_set == second.change_set != first.change_set


def test_assigning_what_is_already_so_changes_and_records_nothing(w):
    assign(w, "admin", "a", role="member")
    before = counts(w)
    assert assign(w, "admin", "a", role="member") is False
    assert counts(w) == before


def test_a_member_made_lead_keeps_one_row_and_the_change_is_audited(w):
    assign(w, "admin", "a", role="member")
    assert assign(w, "admin", "a", role="lead") is True
    assert assignments(w) == {("KOTA-901", "reviewer", "lead")}
    assert [(e.action, e.old_value, e.new_value) for e in assignment_audit(w)][-1] == (
        "change_reviewer_role",
        "member",
        "lead",
    )
    assert len(notifications(w)) == 1  # one notification per agency and period (its dedupe key)


@pytest.mark.parametrize("user", ["admin", "operator", "coordinator"])
def test_only_an_active_reviewer_can_be_assigned(w, user):
    with pytest.raises(ValueError, match="not an active reviewer"):
        assign(w, "admin", "a", reviewer=user)
    assert assignments(w) == set()


def test_an_unknown_role_and_an_inactive_agency_are_refused(w):
    with pytest.raises(ValueError, match="Unknown reviewer role"):
        assign(w, "admin", "a", role="chair")
    with pytest.raises(ValueError, match="not active"):
        assign(w, "admin", "e")
    assert assignments(w) == set()


def test_a_closed_period_takes_no_assignment(w):
    with write_session(w.engine) as session:
        set_period_status(session, actor=w.actors["admin"], period_id=w.pemdi, status="closed")
    before = counts(w)
    with pytest.raises(PeriodClosed):
        assign(w, "admin", "a")
    assert counts(w) == before


def test_unassigning_removes_the_row_audited_and_a_second_time_does_nothing(w):
    assign(w, "admin", "a")
    with write_session(w.engine) as session:
        assert unassign_reviewer(
            session,
            actor=w.actors["admin"],
            period_id=w.pemdi,
            agency_id=w.agency["a"],
            reviewer_id=w.users["reviewer"],
        )
    assert assignments(w) == set()
    assert assignment_audit(w)[-1].action == "unassign_reviewer"
    with write_session(w.engine) as session:
        assert not unassign_reviewer(
            session,
            actor=w.actors["admin"],
            period_id=w.pemdi,
            agency_id=w.agency["a"],
            reviewer_id=w.users["reviewer"],
        )
    with write_session(w.engine) as session, pytest.raises(PermissionDenied):
        unassign_reviewer(
            session,
            actor=w.actors["reviewer"],
            period_id=w.pemdi,
            agency_id=w.agency["a"],
            reviewer_id=w.users["reviewer"],
        )


# --- in bulk ----------------------------------------------------------------------------------------


def bulk(w: World, role: str = "member", **where: str) -> int:
    with write_session(w.engine) as session:
        return assign_in_bulk(
            session,
            actor=w.actors["admin"],
            period_id=w.pemdi,
            reviewer_id=w.users["reviewer"],
            role=role,
            **where,
        )


def test_bulk_by_category_assigns_every_active_agency_of_it_in_one_change_set(w):
    assert bulk(w, category="Kota") == 3  # KOTA-901, -903, -904; KOTA-905 is inactive
    assert {code for code, _r, _role in assignments(w)} == {"KOTA-901", "KOTA-903", "KOTA-904"}
    assert len({e.change_set for e in assignment_audit(w)}) == 1
    assert len(notifications(w)) == 3
    assert bulk(w, category="Kota") == 0  # already so


def test_bulk_by_province_and_category_together_narrows_to_both(w):
    assert bulk(w, role="lead", category="Kota", province="Jawa Barat") == 2
    assert assignments(w) == {("KOTA-901", "reviewer", "lead"), ("KOTA-903", "reviewer", "lead")}
    assert bulk(w, province="Jawa Tengah") == 2  # KAB-902 and KOTA-904


def test_bulk_without_category_or_province_is_refused(w):
    with pytest.raises(ValueError, match="category and/or a province"):
        bulk(w)
    assert assignments(w) == set()


def test_the_assignment_table_lists_agencies_with_lead_and_members(w):
    assign(w, "admin", "a", "reviewer", "lead")
    assign(w, "admin", "a", "reviewer2", "member")
    with read_session(w.engine) as session:
        table = assignment_table(session, actor=w.actors["admin"], period_id=w.pemdi, category="Kota")
        with pytest.raises(PermissionDenied):
            assignment_table(session, actor=w.actors["coordinator"], period_id=w.pemdi)
    assert [row.code for row in table] == ["KOTA-901", "KOTA-903", "KOTA-904"]
    assert table[0].lead is not None and table[0].lead[1] == "reviewer"
    assert [m[1] for m in table[0].members] == ["reviewer2"]
    assert table[1].lead is None and table[1].members == ()


# --- from a file ------------------------------------------------------------------------------------


def test_a_csv_with_indonesian_headers_and_words_is_applied_in_one_change_set(w):
    data = (
        "Kode instansi;Asesor;Peran\n"
        "kota-901;reviewer;ketua\nKOTA-901;Reviewer2;anggota\nKAB-902;reviewer;Anggota\n"
    )
    with write_session(w.engine) as session:
        plan = plan_file(
            session, actor=w.actors["admin"], period_id=w.pemdi, data=data.encode(), filename="t.csv"
        )
        assert plan.ok and plan.counts == {"insert": 3, "update": 0, "unchanged": 0}
        assert apply_plan(session, actor=w.actors["admin"], plan=plan) == 3
    assert assignments(w) == {
        ("KOTA-901", "reviewer", "lead"),
        ("KOTA-901", "reviewer2", "member"),
        ("KAB-902", "reviewer", "member"),
    }
    assert len({e.change_set for e in assignment_audit(w)}) == 1
    assert len(notifications(w)) == 2 and len(notifications(w, "reviewer2")) == 1


def test_rows_given_as_tuples_apply_and_report_what_changed(w):
    assign(w, "admin", "a", "reviewer", "member")
    rows = [
        ("kota-901", "reviewer", "lead"),
        ("KAB-902", "Reviewer2", "member"),
        ("KAB-902", "reviewer", "lead"),
    ]
    with write_session(w.engine) as session:
        assert assign_from_rows(session, actor=w.actors["admin"], period_id=w.pemdi, rows=rows) == 3
    with write_session(w.engine) as session:
        assert assign_from_rows(session, actor=w.actors["admin"], period_id=w.pemdi, rows=rows) == 0
    assert assignments(w) == {
        ("KOTA-901", "reviewer", "lead"),
        ("KAB-902", "reviewer2", "member"),
        ("KAB-902", "reviewer", "lead"),
    }


def test_a_file_with_bad_rows_applies_nothing_and_names_every_row_and_column(w):
    assign(w, "admin", "b", "reviewer2", "lead")
    before, kept = counts(w), assignments(w)
    rows = [
        ("KOTA-901", "reviewer", "lead"),  # 2: fine alone
        ("KOTA-999", "reviewer", "lead"),  # 3: unknown agency
        ("KAB-902", "nobody", "member"),  # 4: unknown user
        ("KAB-902", "operator", "member"),  # 5: not a reviewer
        ("KAB-902", "reviewer", "chair"),  # 6: unknown role
        ("KOTA-901", "reviewer", "member"),  # 7: the same pair again
        ("KOTA-901", "reviewer2", "lead"),  # 8: a second lead for KOTA-901
        ("KOTA-905", "reviewer", "member"),  # 9: inactive agency
    ]
    with write_session(w.engine) as session, pytest.raises(ImportRefused) as refused:
        assign_from_rows(session, actor=w.actors["admin"], period_id=w.pemdi, rows=rows)
    located = [(p.row, p.column) for p in refused.value.plan.problems]
    assert located == [(3, "A"), (4, "B"), (5, "B"), (6, "C"), (7, "B"), (8, "C"), (9, "A")]
    assert "Import refused, nothing changed (7 problems)" in str(refused.value)
    assert counts(w) == before and assignments(w) == kept


def test_an_xlsx_from_the_template_round_trips_with_english_role_words(w):
    data = assignment_template(
        "en", rows=[("KOTA-903", "reviewer2", "lead"), ("KOTA-904", "reviewer2", "member")]
    )
    with write_session(w.engine) as session:
        plan = plan_file(session, actor=w.actors["admin"], period_id=w.pemdi, data=data, filename="t.xlsx")
    assert plan.ok and [(r.agency_code, r.reviewer, r.role) for r in plan.rows] == [
        ("KOTA-903", "reviewer2", "lead"),
        ("KOTA-904", "reviewer2", "member"),
    ]
    assert [r.number for r in plan.rows] == [2, 3]


def test_a_file_missing_a_column_is_a_problem_on_its_header(w):
    with read_session(w.engine) as session:
        plan = plan_file(
            session,
            actor=w.actors["admin"],
            period_id=w.pemdi,
            data=b"Agency code,Reviewer\nKOTA-901,reviewer\n",
            filename="t.csv",
        )
    assert [(p.row, p.reason("en")) for p in plan.problems] == [(1, "required columns missing: Peran")]


@pytest.mark.parametrize("shape", list(HOSTILE)[:3])
def test_a_hostile_workbook_is_refused_by_the_upload_guard_and_nothing_is_written(w, shape):
    before = counts(w)
    with read_session(w.engine) as session, pytest.raises(UnreadableFile, match="over the limit of"):
        plan_file(
            session, actor=w.actors["admin"], period_id=w.pemdi, data=HOSTILE[shape](), filename="h.xlsx"
        )
    assert counts(w) == before


# --- the queue --------------------------------------------------------------------------------------


@pytest.fixture(name="queued")
def queued_fixture(w: World) -> World:
    """Assessments in the Pemdi period: a submitted 10 days ago, b in review 20 days ago (interview),
    c submitted 5 days ago, d returned 30 days ago, e (inactive) absent; verification ended 3 days ago.
    The reviewer leads c and is a member on d."""
    now = utcnow()
    with write_session(w.engine) as session:
        period = session.get(Period, w.pemdi)
        period.verification_ends_on = date(2026, 6, 27)
        session.add(period)
        for key, status, stage, days in (
            ("a", "submitted", None, 10),
            ("b", "in_review", "interview", 20),
            ("c", "submitted", None, 5),
            ("d", "returned", None, 30),
        ):
            session.add(
                Assessment(
                    agency_id=w.agency[key],
                    period_id=w.pemdi,
                    framework_version_id=period.framework_version_id,
                    status=status,
                    stage=stage,
                    submitted_at=now - timedelta(days=days),
                )
            )
    assign(w, "admin", "c", "reviewer", "lead")
    assign(w, "admin", "d", "reviewer", "member")
    return w


TODAY = date(2026, 6, 30)


def queue(w: World, who: str = "reviewer", **filters):
    with read_session(w.engine) as session:
        return reviewer_queue(session, actor=w.actors[who], today=TODAY, **filters)


def test_the_queue_puts_own_agencies_first_then_the_oldest_submission(queued):
    result = queue(queued, statuses=("submitted", "in_review", "returned"))
    assert [(r.agency_code, r.my_role) for r in result.rows] == [
        ("KOTA-904", "member"),  # own, 30 days
        ("KOTA-903", "lead"),  # own, 5 days
        ("KAB-902", None),  # 20 days
        ("KOTA-901", None),  # 10 days
    ]
    first = result.rows[0]
    assert (first.age_days, first.days_left, first.overdue, first.province) == (30, -3, True, "Jawa Tengah")


def test_the_default_queue_holds_submitted_and_in_review_and_counts_every_status(queued):
    result = queue(queued)
    assert {r.status for r in result.rows} == {"submitted", "in_review"}
    assert result.counts == {"draft": 0, "submitted": 2, "in_review": 1, "returned": 1, "final": 0}
    assert result.overdue == 4


def test_an_admin_sees_the_queue_without_own_agencies_and_agencies_may_not(queued):
    assert not any(r.mine for r in queue(queued, "admin").rows)
    assert [r.agency_code for r in queue(queued, "admin").rows] == ["KAB-902", "KOTA-901", "KOTA-903"]
    for who in AGENCY_ROLES:
        with pytest.raises(PermissionDenied):
            queue(queued, who)


@pytest.mark.parametrize(
    ("filters", "codes"),
    [
        ({"search": "contoh"}, ["KAB-902", "KOTA-901"]),
        ({"search": "903"}, ["KOTA-903"]),
        ({"stage": "interview"}, ["KAB-902"]),
        ({"category": "Kota"}, ["KOTA-903", "KOTA-901"]),
        ({"province": "Jawa Tengah"}, ["KAB-902"]),
        ({"statuses": ("returned",)}, ["KOTA-904"]),
    ],
)
def test_the_queue_filters_narrow_the_rows(queued, filters, codes):
    assert [r.agency_code for r in queue(queued, **filters).rows] == codes


def test_overdue_only_keeps_what_passed_the_verification_end(queued):
    with write_session(queued.engine) as session:
        period = session.get(Period, queued.pemdi)
        period.verification_ends_on = TODAY + timedelta(days=7)
        session.add(period)
    assert queue(queued, overdue_only=True).rows == []
    assert queue(queued).rows[0].days_left == 7
    with write_session(queued.engine) as session:
        period = session.get(Period, queued.pemdi)
        period.verification_ends_on = TODAY - timedelta(days=1)
        session.add(period)
    result = queue(queued, overdue_only=True, statuses=("submitted", "in_review", "returned", "final"))
    assert [r.days_left for r in result.rows] == [-1, -1, -1, -1] and result.overdue == 4


def test_the_queue_of_a_closed_period_is_read_by_naming_it(queued):
    with write_session(queued.engine) as session:
        set_period_status(session, actor=queued.actors["admin"], period_id=queued.pemdi, status="closed")
    assert queue(queued).rows == []  # only open periods by default
    assert len(queue(queued, period_id=queued.pemdi).rows) == 3


def test_an_unknown_status_filter_is_refused(queued):
    with pytest.raises(ValueError, match="Unknown status: waiting"):
        queue(queued, statuses=("waiting",))
