"""A closed period is read-only for everyone until an admin reopens it (audited); return notes are audited
(issue 11)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.models import AuditEntry, Period
from evaluation.services import evidence
from evaluation.services.actors import PermissionDenied
from evaluation.services.periods import PeriodClosed, set_period_status
from evaluation.services.review import return_for_revision, start_review
from evaluation.services.self_assessment import submit
from tests.integration.workflow_fixtures import (
    MINIMAL_PDF,
    World,
    act,
    audit_rows,
    committed_snapshot,
    fill_all,
    prepared,
)

pytestmark = pytest.mark.db


def set_status(world: World, status: str, who: str = "admin") -> bool:
    with write_session(world.engine) as session:
        return set_period_status(session, actor=world.actors[who], period_id=world.pemdi, status=status)


def period_status(world: World) -> str:
    with read_session(world.engine) as session:
        period = session.get(Period, world.pemdi)
        assert period is not None
        return period.status


def refused(world: World, action) -> None:  # type: ignore[no-untyped-def]
    """The action raises PeriodClosed and leaves every table as it was."""
    before = committed_snapshot(world.engine)
    with pytest.raises(PeriodClosed, match="closed"):
        action()
    assert committed_snapshot(world.engine) == before


def test_only_an_admin_closes_or_reopens_a_period(world):
    for who in ("operator", "coordinator", "reviewer"):
        with pytest.raises(PermissionDenied):
            set_status(world, "closed", who)
    assert period_status(world) == "open"
    assert set_status(world, "closed") is True
    assert set_status(world, "closed") is False
    assert set_status(world, "open") is True and period_status(world) == "open"


def test_closing_and_reopening_are_audited_with_who_and_the_change(world):
    set_status(world, "closed")
    set_status(world, "open")
    with read_session(world.engine) as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.entity == "period")).all()
    assert [(e.action, e.actor, e.old_value, e.new_value, e.entity_id) for e in entries] == [
        ("close_period", "admin", "open", "closed", str(world.pemdi)),
        ("reopen_period", "admin", "closed", "open", str(world.pemdi)),
    ]


def test_the_agency_cannot_save_a_returned_assessment_in_a_closed_period(world):
    aid = prepared(world, "a", "in_review")
    act(world, return_for_revision, "reviewer", aid, note="Lengkapi bukti.")
    set_status(world, "closed")

    def save() -> None:
        with write_session(world.engine) as session:
            fill_all(session, world.actors["coordinator"], aid, level=4)

    refused(world, save)
    refused(world, lambda: act(world, submit, "coordinator", aid))


def test_the_agency_cannot_change_evidence_in_a_closed_period(world):
    aid = prepared(world, "a", "draft")
    set_status(world, "closed")

    def upload() -> None:
        with write_session(world.engine) as session:
            evidence.upload_evidence(
                session,
                actor=world.actors["operator"],
                store=world.store,
                assessment_id=aid,
                score_version=act_version(world, aid),
                indicator_code="I01",
                filename="bukti.pdf",
                data=MINIMAL_PDF,
            )

    def link() -> None:
        with write_session(world.engine) as session:
            evidence.add_link(
                session,
                actor=world.actors["operator"],
                assessment_id=aid,
                score_version=act_version(world, aid),
                indicator_code="I01",
                url="https://example.go.id/sk.pdf",
            )

    refused(world, upload)
    refused(world, link)


def act_version(world: World, aid: int) -> int:
    """The committed version of I01's score (evidence changes claim that score)."""
    from tests.integration.workflow_fixtures import committed_versions

    return committed_versions(world, aid).get("I01", 0)


def test_the_reviewer_cannot_review_or_return_in_a_closed_period(world):
    submitted = prepared(world, "a", "submitted")
    reviewing = prepared(world, "b", "in_review")
    set_status(world, "closed")
    refused(world, lambda: act(world, start_review, "reviewer", submitted))
    refused(world, lambda: act(world, return_for_revision, "reviewer", reviewing, note="x"))


def test_after_reopening_the_agency_can_save_again(world):
    aid = prepared(world, "a", "draft")
    set_status(world, "closed")
    set_status(world, "open")
    with write_session(world.engine) as session:
        fill_all(session, world.actors["coordinator"], aid)
    with read_session(world.engine) as session:
        assert any(e.action == "save_self" for e in audit_rows(session, aid))


def test_a_return_note_is_audited_with_its_text(world):
    aid = prepared(world, "a", "in_review")
    act(world, return_for_revision, "reviewer", aid, note="Lengkapi bukti I01 ![x](http://x.invalid/a.png)")
    with read_session(world.engine) as session:
        notes = [
            (e.action, e.actor, e.new_value) for e in audit_rows(session, aid) if e.field == "return_note"
        ]
    assert notes == [("return_note", "reviewer", "Lengkapi bukti I01 ![x](http://x.invalid/a.png)")]


def test_a_bulk_import_into_a_closed_period_is_refused_where_its_audit_rows_are_chained(world):
    from evaluation.models import utcnow
    from evaluation.services import audit

    aid = prepared(world, "a", "draft")
    set_status(world, "closed")
    row = {"at": utcnow(), "user_id": None, "actor": "x", "change_set": "c", "action": "import",
           "entity": "assessment", "entity_id": str(aid), "field": "I01.self_level", "old_value": None,
           "new_value": "3.0"}  # fmt: skip
    with pytest.raises(PeriodClosed), write_session(world.engine) as session:
        audit.chain_rows(session, [row])
