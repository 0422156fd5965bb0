"""Objections (keberatan, issue 12): the coordinator files one per indicator of a final result within the
window; the lead reviewer upholds it (final level, snapshot and every published read change) or rejects
it (nothing but the objection changes). Per role, allowed and refused."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest
from pypdf import PdfReader
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.models import (
    Assessment,
    AuditEntry,
    Evidence,
    Notification,
    Objection,
    Period,
    ReviewerAssignment,
)
from evaluation.reports.agency_data import agency_report
from evaluation.reports.agency_pdf import render_agency_report
from evaluation.services import scoring_cache
from evaluation.services.actors import SYSTEM, Actor, PermissionDenied
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.auth import actor_of
from evaluation.services.comparison import ranking
from evaluation.services.dashboard import agency_profile
from evaluation.services.objections import (
    decide_objection,
    decision_preview,
    file_objection,
    objection_queue,
    objection_window,
    objections_of,
)
from evaluation.services.periods import PeriodClosed, set_period_status
from evaluation.services.results import period_results
from evaluation.services.review import finalize
from evaluation.services.users import create_user
from tests.integration.workflow_fixtures import PASSWORD, World, act, committed_snapshot, prepared, scores

pytestmark = pytest.mark.db
TODAY = date.today()


def _member(world: World) -> Actor:
    with write_session(world.engine) as session:
        user = create_user(
            session,
            actor=SYSTEM,
            username="member-reviewer",
            full_name="Member Reviewer",
            password=PASSWORD,
            role="reviewer",
        )
        return actor_of(user)


def _assign(world: World, reviewer: Actor, role: str, agency: str = "a") -> None:
    with write_session(world.engine) as session:
        session.add(
            ReviewerAssignment(
                period_id=world.pemdi, agency_id=world.agency[agency], reviewer_id=reviewer.user_id, role=role
            )
        )


def _window(world: World, closes_on: date | None) -> None:
    with write_session(world.engine) as session:
        period = session.get(Period, world.pemdi)
        assert period is not None
        period.objections_close_on = closes_on
        session.add(period)


def _final(world: World, agency: str = "a", closes_on: date | None = TODAY + timedelta(days=14)) -> int:
    assessment_id = prepared(world, agency, "finalizable")
    act(world, finalize, "reviewer", assessment_id)
    _window(world, closes_on)
    return assessment_id


@pytest.fixture
def led(world: World) -> dict[str, Any]:
    """Agency "a" final with an open window, the world's reviewer its lead and another a member."""
    member = _member(world)
    _assign(world, world.actors["reviewer"], "lead")
    _assign(world, member, "member")
    return {"assessment": _final(world), "member": member}


def _file(world: World, who: Actor | str, assessment_id: int, code: str = "I01", **extra: Any) -> int:
    actor = world.actors[who] if isinstance(who, str) else who
    extra.setdefault("reason", "Dokumen kebijakan sudah ditetapkan sebelum penilaian.")
    extra.setdefault("requested_level", 4)
    with write_session(world.engine) as session:
        return file_objection(session, actor=actor, assessment_id=assessment_id, indicator_code=code, **extra)


def _decide(world: World, who: Actor | str, objection_id: int, **extra: Any) -> None:
    actor = world.actors[who] if isinstance(who, str) else who
    extra.setdefault("reason", "Bukti mendukung tingkat yang diminta.")
    with write_session(world.engine) as session:
        decide_objection(session, actor=actor, objection_id=objection_id, **extra)


def _notified(world: World, kind: str) -> list[tuple[int, dict[str, Any]]]:
    with read_session(world.engine) as session:
        rows = session.exec(select(Notification).where(Notification.kind == kind)).all()
        return sorted((n.user_id, n.params) for n in rows)


def _entries(world: World, entity: str, action: str) -> list[AuditEntry]:
    with read_session(world.engine) as session:
        query = select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.action == action)
        return list(session.exec(query))


# --- filing --------------------------------------------------------------------------------------------


def test_the_coordinator_files_an_objection_audited_and_the_lead_is_notified(world, led):
    objection_id = _file(world, "coordinator", led["assessment"], evidence_id=None)
    with read_session(world.engine) as session:
        row = session.get(Objection, objection_id)
        assert row is not None
        assert (row.status, row.indicator_code, row.requested_level) == ("pending", "I01", 4.0)
        assert row.filed_by == world.users["coordinator"]
    [entry] = _entries(world, "objection", "file_objection")
    assert entry.entity_id == str(objection_id) and entry.user_id == world.users["coordinator"]
    assert _notified(world, "objection_filed") == [
        (world.users["reviewer"], {"agency": "Kota Contoh", "year": 2026, "indicator": "I01"})
    ]


def test_without_a_lead_every_assigned_reviewer_is_notified_and_without_any_nobody(world):
    assessment_id = _final(world)
    _file(world, "coordinator", assessment_id, "I01")
    assert _notified(world, "objection_filed") == []
    member = _member(world)
    _assign(world, member, "member")
    _assign(world, world.actors["reviewer"], "member")
    _file(world, "coordinator", assessment_id, "I02")
    assert [uid for uid, _ in _notified(world, "objection_filed")] == sorted(
        [member.user_id, world.users["reviewer"]]
    )


@pytest.mark.parametrize("who", ["operator", "coordinator_b", "reviewer", "admin"])
def test_only_the_agencys_coordinator_may_file(world, led, who):
    before = committed_snapshot(world.engine)
    with pytest.raises(PermissionDenied):
        _file(world, who, led["assessment"])
    assert committed_snapshot(world.engine) == before
    with read_session(world.engine) as session:
        assert session.exec(select(Objection)).all() == []


def test_an_assessment_that_is_not_final_takes_no_objection(world):
    assessment_id = prepared(world, "a", "in_review")
    _window(world, TODAY + timedelta(days=5))
    with pytest.raises(WorkflowError, match="final"):
        _file(world, "coordinator", assessment_id)


def test_after_the_window_closes_nothing_can_be_filed(world, led):
    _window(world, TODAY - timedelta(days=1))
    with pytest.raises(WorkflowError, match="window has closed"):
        _file(world, "coordinator", led["assessment"])


def test_the_last_day_of_the_window_still_counts(world, led):
    _window(world, TODAY)
    assert _file(world, "coordinator", led["assessment"]) > 0


def test_without_a_window_set_by_the_ministry_nothing_can_be_filed(world, led):
    _window(world, None)
    with pytest.raises(WorkflowError, match="has not set an objection window"):
        _file(world, "coordinator", led["assessment"])


def test_a_second_objection_to_the_same_indicator_is_refused(world, led):
    _file(world, "coordinator", led["assessment"], "I03")
    with pytest.raises(WorkflowError, match="already been filed"):
        _file(world, "coordinator", led["assessment"], "I03", reason="Lagi.")
    assert _file(world, "coordinator", led["assessment"], "I04") > 0  # another indicator is fine


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"reason": "   "}, "is required"),
        ({"reason": "a\x00b"}, "reason"),
        ({"requested_level": 9}, "outside the scale"),
        ({"requested_level": 3}, "equals the final level"),
    ],
)
def test_a_bad_reason_or_level_is_refused(world, led, extra, message):
    with pytest.raises(WorkflowError, match=message):
        _file(world, "coordinator", led["assessment"], **extra)


def test_evidence_must_be_one_of_the_agencys_documents(world, led):
    with write_session(world.engine) as session:
        mine = Evidence(kind="link", filename="SK", url="https://a.example/sk", agency_id=world.agency["a"])
        theirs = Evidence(kind="link", filename="SK", url="https://b.example/sk", agency_id=world.agency["b"])
        session.add_all([mine, theirs])
        session.flush()
        ids = mine.id, theirs.id
    with pytest.raises(WorkflowError, match="not one of this agency's documents"):
        _file(world, "coordinator", led["assessment"], evidence_id=ids[1])
    objection_id = _file(world, "coordinator", led["assessment"], evidence_id=ids[0])
    with read_session(world.engine) as session:
        [view] = objections_of(session, actor=world.actors["operator"], assessment_id=led["assessment"])
    assert (view.id, view.evidence_name, view.evidence_url) == (objection_id, "SK", "https://a.example/sk")


# --- deciding ------------------------------------------------------------------------------------------


def _published(world: World, assessment_id: int) -> dict[str, Any]:
    """What every reader of the published result shows for agency "a": snapshot, scored results, the
    ranking and the dashboard profile (the last three through a scoring cache keyed on the data version)."""
    with read_session(world.engine) as session:
        assessment = session.get(Assessment, assessment_id)
        assert assessment is not None
        [mine] = [r for r in period_results(session, world.pemdi) if r.agency_id == world.agency["a"]]
        frame = ranking(session, actor=world.actors["admin"], period_id=world.pemdi)
        profile = agency_profile(session, world.agency["a"], world.pemdi)
        assert profile.result is not None
        return {
            "snapshot": assessment.final_snapshot["index"] if assessment.final_snapshot else None,
            "results": mine.result.index_value,
            "ranking": float(frame.loc[frame["agency_id"] == world.agency["a"], "index"].iloc[0]),
            "dashboard": profile.result.index_value,
        }


def test_the_lead_upholds_and_the_final_level_snapshot_ranking_and_dashboard_follow(world, led):
    cache = scoring_cache.attach(world.engine)
    try:
        objection_id = _file(world, "coordinator", led["assessment"], "I01", requested_level=5)
        before = _published(world, led["assessment"])
        with read_session(world.engine) as session:
            preview = decision_preview(session, actor=world.actors["reviewer"], objection_id=objection_id)
        assert preview.level_before == 3.0 and preview.level_after == 5.0
        assert preview.before.index_value == pytest.approx(before["results"])
        _decide(world, "reviewer", objection_id, uphold=True)
        after = _published(world, led["assessment"])
    finally:
        scoring_cache.detach(world.engine)
    assert cache.hits + cache.misses > 0
    assert after["results"] > before["results"]
    assert after["results"] == pytest.approx(preview.after.index_value)
    assert float(Fraction(after["snapshot"])) == pytest.approx(after["results"])
    assert float(Fraction(before["snapshot"])) == pytest.approx(before["results"])
    assert after["ranking"] == pytest.approx(after["results"])
    assert after["dashboard"] == pytest.approx(after["results"])
    with read_session(world.engine) as session:
        assert scores(session, led["assessment"])["I01"].final_level == 5.0
        row = session.get(Objection, objection_id)
        assert row is not None
        assert (row.status, row.level_before, row.level_after) == ("upheld", 3.0, 5.0)
        assert row.decided_by == world.users["reviewer"] and row.decision_reason
        assessment = session.get(Assessment, led["assessment"])
        assert assessment is not None and assessment.status == "final"


def test_an_upheld_objection_is_audited_in_one_change_set_and_the_coordinator_is_notified(world, led):
    objection_id = _file(world, "coordinator", led["assessment"], "I02", requested_level=4)
    _decide(world, "reviewer", objection_id, uphold=True, new_level=5)  # the lead may grant another level
    score_entries = _entries(world, "assessment", "uphold_objection")
    decision = _entries(world, "objection", "decide_objection")
    fields = {e.field: (e.old_value, e.new_value) for e in score_entries}
    assert fields["I02.final_level"] == ("3.0", "5.0")
    assert "final_snapshot" in fields
    assert {e.field for e in decision} == {"status", "decision_reason", "level_after"}
    assert len({e.change_set for e in score_entries + decision}) == 1
    assert _notified(world, "objection_decided") == [
        (
            world.users["coordinator"],
            {"agency": "Kota Contoh", "year": 2026, "indicator": "I02", "decision": "upheld"},
        )
    ]


def test_a_rejected_objection_keeps_levels_and_result_and_stores_the_reason(world, led):
    objection_id = _file(world, "coordinator", led["assessment"])
    before = committed_snapshot(world.engine)
    _decide(world, "reviewer", objection_id, uphold=False, reason="Bukti tidak memenuhi kriteria tingkat 4.")
    after = committed_snapshot(world.engine)
    assert after["levels"] == before["levels"] and after["assessments"] == before["assessments"]
    with read_session(world.engine) as session:
        row = session.get(Objection, objection_id)
        assert row is not None
        assert (row.status, row.decision_reason) == ("rejected", "Bukti tidak memenuhi kriteria tingkat 4.")
        assert (row.level_before, row.level_after) == (None, None)
    assert _entries(world, "assessment", "uphold_objection") == []
    assert [n[1]["decision"] for n in _notified(world, "objection_decided")] == ["rejected"]


@pytest.mark.parametrize("who", ["member", "admin", "coordinator", "operator"])
def test_only_the_lead_reviewer_decides(world, led, who):
    objection_id = _file(world, "coordinator", led["assessment"])
    actor = led["member"] if who == "member" else world.actors[who]
    before = committed_snapshot(world.engine)
    with pytest.raises(PermissionDenied):
        _decide(world, actor, objection_id, uphold=True)
    assert committed_snapshot(world.engine) == before


def test_without_a_lead_nobody_decides(world):
    assessment_id = _final(world)
    objection_id = _file(world, "coordinator", assessment_id)
    with pytest.raises(PermissionDenied, match="no lead has been assigned"):
        _decide(world, "reviewer", objection_id, uphold=False)


def test_an_objection_is_decided_once_and_needs_a_reason(world, led):
    objection_id = _file(world, "coordinator", led["assessment"])
    with pytest.raises(WorkflowError, match="is required"):
        _decide(world, "reviewer", objection_id, uphold=False, reason=" ")
    _decide(world, "reviewer", objection_id, uphold=False)
    with pytest.raises(WorkflowError, match="already been decided"):
        _decide(world, "reviewer", objection_id, uphold=True)


def test_upholding_without_a_level_or_at_the_same_level_is_refused(world, led):
    objection_id = _file(world, "coordinator", led["assessment"], requested_level=None)
    with pytest.raises(WorkflowError, match="state the new level"):
        _decide(world, "reviewer", objection_id, uphold=True)
    with pytest.raises(WorkflowError, match="equals the current final level"):
        _decide(world, "reviewer", objection_id, uphold=True, new_level=3)
    _decide(world, "reviewer", objection_id, uphold=True, new_level=2)  # a level below is possible too
    with read_session(world.engine) as session:
        assert scores(session, led["assessment"])["I01"].final_level == 2.0


def test_a_closed_period_takes_no_decision(world, led):
    objection_id = _file(world, "coordinator", led["assessment"])
    with write_session(world.engine) as session:
        set_period_status(session, actor=world.actors["admin"], period_id=world.pemdi, status="closed")
    with pytest.raises(PeriodClosed):
        _decide(world, "reviewer", objection_id, uphold=False)


# --- reads ---------------------------------------------------------------------------------------------


def test_the_queue_lists_the_leads_own_objections_first_and_is_for_the_ministry(world, led):
    other = _final(world, "b")
    _assign(world, led["member"], "lead", agency="b")
    theirs = _file(world, world.owner("b"), other)
    mine = _file(world, "coordinator", led["assessment"])
    with read_session(world.engine) as session:
        assert [v.id for v in objection_queue(session, actor=world.actors["reviewer"])] == [mine, theirs]
        assert [v.id for v in objection_queue(session, actor=led["member"])] == [theirs, mine]
        with pytest.raises(PermissionDenied):
            objection_queue(session, actor=world.actors["coordinator"])
        with pytest.raises(PermissionDenied):
            objections_of(session, actor=world.actors["coordinator_b"], assessment_id=led["assessment"])


def test_the_window_counts_days_left_including_the_closing_day(world):
    period = Period(year=2026, framework_version_id=1, evaluation_type="pemdi", objections_close_on=TODAY)
    window = objection_window(period, None)
    assert window.is_open(TODAY) and window.days_left(TODAY) == 1
    assert not window.is_open(TODAY + timedelta(days=1)) and window.days_left(TODAY + timedelta(days=3)) == 0
    unset = objection_window(Period(year=2026, framework_version_id=1, evaluation_type="pemdi"), None)
    assert not unset.is_open(TODAY) and unset.days_left(TODAY) is None


# --- the report ----------------------------------------------------------------------------------------


def _report_text(world: World, lang: str = "id") -> str:
    with read_session(world.engine) as session:
        report = agency_report(
            session, actor=world.actors["coordinator"], agency_id=world.agency["a"], period_id=world.pemdi
        )
    pdf = render_agency_report(report, lang)
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def test_the_agency_report_says_which_final_level_changed_on_an_upheld_objection(world, led):
    changed = _file(world, "coordinator", led["assessment"], "I01", requested_level=5)
    refused = _file(world, "coordinator", led["assessment"], "I02", requested_level=5)
    assert "Hasil berubah karena keberatan" not in _report_text(world)
    _decide(world, "reviewer", changed, uphold=True)
    _decide(world, "reviewer", refused, uphold=False)
    text = _report_text(world)
    assert "Hasil berubah karena keberatan" in text
    assert "I01: tingkat final berubah 3 → 5 karena keberatan dikabulkan" in text
    assert "I02: tingkat final" not in text
    assert "I01: final level changed 3 → 5 on an upheld objection" in _report_text(world, "en")
