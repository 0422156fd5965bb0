"""Who may call which service: every function x role x own/foreign agency, allowed or PermissionDenied.

Each case brings the target assessment to the state the action needs (so a refusal is a permission
denial, not a workflow error), calls the action in one transaction, checks that a denial changed nothing,
then rolls the transaction back so the next case starts from the same world.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from evaluation.services import (
    agency_admin,
    assessment_state,
    assessment_view,
    audit,
    auth,
    evidence,
    frameworks,
    period_schedule,
    review,
    reviewers,
    score_versions,
    self_assessment,
    stage_minutes,
    users,
)
from evaluation.services.actors import Actor, PermissionDenied
from indicators.loader import SHIPPED_DIR
from tests.integration.workflow_fixtures import MINIMAL_PDF, PASSWORD, World, prepare, snapshot, version_of

pytestmark = pytest.mark.db

ROLES = ("operator", "coordinator", "reviewer", "admin")
NEW_FRAMEWORK = (SHIPPED_DIR / "vision-to-evaluation.yaml").read_text(encoding="utf-8")
NEW_FRAMEWORK = NEW_FRAMEWORK.replace('version: "2.0"', 'version: "2.9"', 1)
assert 'version: "2.9"' in NEW_FRAMEWORK


_prepared_state = {"evidence": "draft", "attached": "draft", "interview": "in_review"}


class Case:
    """What an action receives: the world, the session, the actor, the target agency and its assessment."""

    def __init__(self, world: World, session: Session, actor: Actor, key: str, state: str):
        self.w, self.s, self.actor, self.key = world, session, actor, key
        self.agency_id = world.agency[key]
        self.id = prepare(world, session, key, _prepared_state.get(state, state))
        if state == "interview":  # the reviewer has moved it to the interview stage
            review.set_stage(
                session,
                actor=world.actors["reviewer"],
                assessment_id=self.id,
                expected_version=version_of(session, self.id),
                stage="interview",
            )
        self.evidence_id = 0
        if state in ("evidence", "attached"):  # a stored PDF of the target agency, uploaded by its operator
            owner = world.owner(key, "operator")
            self.evidence_id = evidence.upload_evidence(
                session,
                store=world.store,
                **self.kw(actor=owner, indicator_code="I02", filename="sk.pdf", data=MINIMAL_PDF),
            )
            if state == "evidence":
                evidence.set_attached(
                    session,
                    **self.kw(
                        actor=owner, indicator_code="I02", evidence_id=self.evidence_id, attached=False
                    ),
                )

    @property
    def version(self) -> int:
        return version_of(self.s, self.id)

    def kw(self, **extra: Any) -> dict[str, Any]:
        """A call's arguments: an evidence change (it names an indicator) carries the version of that
        indicator's score read now, any other action the assessment's version."""
        if "indicator_code" in extra:
            read = score_versions.score_versions(self.s, self.id).get(extra["indicator_code"], 0)
            return {"actor": self.actor, "assessment_id": self.id, "score_version": read, **extra}
        return {"actor": self.actor, "assessment_id": self.id, "expected_version": self.version, **extra}

    def score_kw(self, entries: dict[str, Any]) -> dict[str, Any]:
        """A score save's arguments: the entries and the score versions read now."""
        read = score_versions.score_versions(self.s, self.id)
        versions = {code: read.get(code, 0) for code in entries}
        return {"actor": self.actor, "assessment_id": self.id, "versions": versions, "entries": entries}


def _user_of_target(c: Case) -> int:
    return c.w.users["operator" if c.key == "a" else "operator_b"]


def _interview(c: Case) -> int:
    """The minute of the interview of the target's assessment (at the interview stage)."""
    return stage_minutes.save_minute(
        c.s,
        actor=c.actor,
        assessment_id=c.id,
        stage="interview",
        held_on=date(2026, 6, 1),
        place="Ruang rapat",
        participants="Asesor\nKoordinator",
        findings={"I01": "SK ditunjukkan."},
        agreed_changes=None,
        expected_version=0,
    )


def rule(own: str, foreign: str = "") -> dict[str, tuple[bool, bool]]:
    """Who may act: roles (space-separated) allowed on their own agency, and on the other agency."""
    return {role: (role in own.split(), role in foreign.split()) for role in ROLES}


AGENCY_OWN = rule(own="operator coordinator")
COORDINATOR_OWN = rule(own="coordinator")
READ_ANY = rule(own="operator coordinator reviewer admin", foreign="reviewer admin")
REVIEWER = rule(own="reviewer", foreign="reviewer")
MINISTRY = rule(own="reviewer admin", foreign="reviewer admin")
ADMIN = rule(own="admin", foreign="admin")

# name -> (state of the target's Pemdi 2026 assessment, the action, who may)
ACTIONS: dict[str, tuple[str, Callable[[Case], Any], dict[str, tuple[bool, bool]]]] = {
    "open_assessment:new": (
        "none",
        lambda c: self_assessment.open_assessment(
            c.s, actor=c.actor, agency_id=c.agency_id, period_id=c.w.pemdi
        ),
        AGENCY_OWN,
    ),
    "open_assessment:existing": (
        "draft",
        lambda c: self_assessment.open_assessment(
            c.s, actor=c.actor, agency_id=c.agency_id, period_id=c.w.pemdi
        ),
        READ_ANY,
    ),
    "find_assessment": (
        "draft",
        lambda c: self_assessment.find_assessment(
            c.s, actor=c.actor, agency_id=c.agency_id, period_id=c.w.pemdi
        ),
        READ_ANY,
    ),
    "view_assessment": (
        "draft",
        lambda c: assessment_view.view_assessment(c.s, actor=c.actor, assessment_id=c.id),
        READ_ANY,
    ),
    "save_self_assessment": (
        "draft",
        lambda c: self_assessment.save_self_assessment(c.s, **c.score_kw({"I01": {"level": 2}})),
        AGENCY_OWN,
    ),
    "submit": ("complete", lambda c: self_assessment.submit(c.s, **c.kw()), COORDINATOR_OWN),
    "upload_evidence": (
        "draft",
        lambda c: evidence.upload_evidence(
            c.s, store=c.w.store, **c.kw(indicator_code="I01", filename="a.pdf", data=MINIMAL_PDF)
        ),
        AGENCY_OWN,
    ),
    "add_link": (
        "draft",
        lambda c: evidence.add_link(c.s, **c.kw(indicator_code="I01", url="https://example.go.id/sk")),
        AGENCY_OWN,
    ),
    "set_attached:attach": (
        "evidence",
        lambda c: evidence.set_attached(
            c.s, **c.kw(indicator_code="I01", evidence_id=c.evidence_id, attached=True)
        ),
        AGENCY_OWN,
    ),
    "set_attached:detach": (
        "attached",
        lambda c: evidence.set_attached(
            c.s, **c.kw(indicator_code="I02", evidence_id=c.evidence_id, attached=False)
        ),
        AGENCY_OWN,
    ),
    "agency_documents": (
        "evidence",
        lambda c: evidence.agency_documents(c.s, actor=c.actor, agency_id=c.agency_id),
        READ_ANY,
    ),
    "read_evidence": (
        "evidence",
        lambda c: evidence.read_evidence(c.s, actor=c.actor, store=c.w.store, evidence_id=c.evidence_id),
        READ_ANY,
    ),
    "open_evidence": (
        "evidence",
        lambda c: evidence.open_evidence(c.s, actor=c.actor, store=c.w.store, evidence_id=c.evidence_id)[
            2
        ].close(),
        READ_ANY,
    ),
    "start_review": ("submitted", lambda c: review.start_review(c.s, **c.kw()), REVIEWER),
    "save_review": (
        "in_review",
        lambda c: review.save_review(c.s, **c.score_kw({"I01": {"final_level": 2, "note": "Cek SK"}})),
        REVIEWER,
    ),
    "set_stage": ("in_review", lambda c: review.set_stage(c.s, **c.kw(stage="interview")), REVIEWER),
    "return_for_revision": (
        "in_review",
        lambda c: review.return_for_revision(c.s, **c.kw(note="Lengkapi bukti I01.")),
        REVIEWER,
    ),
    "finalize": ("finalizable", lambda c: review.finalize(c.s, **c.kw()), REVIEWER),
    "review_queue": ("submitted", lambda c: review.review_queue(c.s, actor=c.actor), MINISTRY),
    "assessment_history": (
        "draft",
        lambda c: audit.assessment_history(c.s, actor=c.actor, assessment_id=c.id),
        READ_ANY,
    ),
    "create_user": (
        "none",
        lambda c: users.create_user(
            c.s,
            actor=c.actor,
            username="operator-baru",
            full_name="Baru",
            password=PASSWORD,
            role="operator",
            agency_code="KOTA-901" if c.key == "a" else "KAB-902",
        ),
        ADMIN,
    ),
    "set_user_active": (
        "none",
        lambda c: users.set_user_active(c.s, actor=c.actor, user_id=_user_of_target(c), active=False),
        ADMIN,
    ),
    "reset_password": (
        "none",
        lambda c: users.reset_password(
            c.s, actor=c.actor, user_id=_user_of_target(c), password="sandi-baru-2026"
        ),
        ADMIN,
    ),
    "list_users": ("none", lambda c: users.list_users(c.s, actor=c.actor), ADMIN),
    "set_user_role": (
        "none",
        lambda c: users.set_user_role(c.s, actor=c.actor, user_id=_user_of_target(c), role="reviewer"),
        ADMIN,
    ),
    "change_own_password": (  # every signed-in user, on their own account only
        "none",
        lambda c: users.change_own_password(
            c.s, actor=c.actor, current_password=PASSWORD, new_password="jembatan-kayu-berlumut-7"
        ),
        rule(own=" ".join(ROLES), foreign=" ".join(ROLES)),
    ),
    "turn_off_own_mfa": (  # every signed-in user, on their own account only
        "none",
        lambda c: users.turn_off_own_mfa(c.s, actor=c.actor, current_password=PASSWORD),
        rule(own=" ".join(ROLES), foreign=" ".join(ROLES)),
    ),
    "add_framework": (
        "none",
        lambda c: frameworks.add_framework(c.s, actor=c.actor, text=NEW_FRAMEWORK, source_name="baru.yaml"),
        ADMIN,
    ),
    "sync_shipped_frameworks": (
        "none",
        lambda c: frameworks.sync_shipped_frameworks(c.s, actor=c.actor),
        ADMIN,
    ),
    "set_email": (  # an admin for anyone, every user for their own account (the target's operator here)
        "none",
        lambda c: users.set_email(c.s, actor=c.actor, user_id=_user_of_target(c), email="op@kota.go.id"),
        rule(own="operator admin", foreign="admin"),
    ),
    # the evaluation cycle (issue 12)
    "create_period": (
        "none",
        lambda c: period_schedule.create_period(
            c.s, actor=c.actor, year=2027, framework_id="pemdi-2026", evaluation_type="pemdi"
        ),
        ADMIN,
    ),
    "update_schedule": (
        "none",
        lambda c: period_schedule.update_schedule(
            c.s, actor=c.actor, period_id=c.w.pemdi, changes={"objections_close_on": date(2026, 12, 31)}
        ),
        ADMIN,
    ),
    "add_agency": (
        "none",
        lambda c: agency_admin.add_agency(
            c.s, actor=c.actor, code="KOTA-909", name="Kota Baru", category="Kota"
        ),
        ADMIN,
    ),
    "edit_agency": (
        "none",
        lambda c: agency_admin.edit_agency(
            c.s, actor=c.actor, agency_id=c.agency_id, name="Kota Contoh Baru", category="Kota"
        ),
        ADMIN,
    ),
    "set_agency_active": (
        "none",
        lambda c: agency_admin.set_agency_active(c.s, actor=c.actor, agency_id=c.agency_id, active=False),
        ADMIN,
    ),
    "search_register": ("none", lambda c: agency_admin.search_register(c.s, actor=c.actor), MINISTRY),
    "assign_reviewer": (
        "none",
        lambda c: reviewers.assign_reviewer(
            c.s,
            actor=c.actor,
            period_id=c.w.pemdi,
            agency_id=c.agency_id,
            reviewer_id=c.w.users["reviewer"],
            role="lead",
        ),
        ADMIN,
    ),
    "unassign_reviewer": (
        "none",
        lambda c: reviewers.unassign_reviewer(
            c.s, actor=c.actor, period_id=c.w.pemdi, agency_id=c.agency_id, reviewer_id=c.w.users["reviewer"]
        ),
        ADMIN,
    ),
    "assign_in_bulk": (
        "none",
        lambda c: reviewers.assign_in_bulk(
            c.s,
            actor=c.actor,
            period_id=c.w.pemdi,
            reviewer_id=c.w.users["reviewer"],
            role="member",
            category="Kota",
        ),
        ADMIN,
    ),
    "assign_from_rows": (
        "none",
        lambda c: reviewers.assign_from_rows(
            c.s, actor=c.actor, period_id=c.w.pemdi, rows=[("KOTA-901", "reviewer", "lead")]
        ),
        ADMIN,
    ),
    "save_minute": ("interview", _interview, REVIEWER),
    "minutes_of": (
        "in_review",
        lambda c: stage_minutes.minutes_of(c.s, actor=c.actor, assessment_id=c.id),
        READ_ANY,
    ),
    "minute_context": (
        "in_review",
        lambda c: stage_minutes.minute_context(c.s, actor=c.actor, assessment_id=c.id),
        READ_ANY,
    ),
}


def outcome(world: World, name: str, role: str, key: str) -> str:
    """'allowed' or 'denied' for one case; a denial must leave the transaction's data as it was."""
    state, action, _expected = ACTIONS[name]
    with Session(world.engine) as session:
        try:
            case = Case(world, session, world.actors[role], key, state)
            before = snapshot(session)
            try:
                action(case)
            except PermissionDenied:
                assert snapshot(session) == before, f"{name} by {role} on {key} changed data before refusing"
                return "denied"
            return "allowed"
        finally:
            session.rollback()


@pytest.mark.parametrize("name", list(ACTIONS))
def test_each_service_allows_exactly_the_roles_and_agencies_it_should(world, name):
    expected = {
        (role, scope): "allowed" if ACTIONS[name][2][role][i] else "denied"
        for role in ROLES
        for i, scope in enumerate(("own", "foreign"))
    }
    actual = {
        (role, scope): outcome(world, name, role, "a" if scope == "own" else "b")
        for role in ROLES
        for scope in ("own", "foreign")
    }
    assert actual == expected


def test_the_table_covers_every_public_service_function_that_takes_an_actor():
    modules = (
        self_assessment,
        assessment_state,
        assessment_view,
        evidence,
        review,
        audit,
        auth,
        users,
        frameworks,
        score_versions,
        period_schedule,
        agency_admin,
        reviewers,
        stage_minutes,
    )
    # audit.record, set_score_fields, move_status and the score version writers write for an action whose
    # permission its caller already checked; so do the reviewer file's `place` and `audited` steps, and
    # evidence's `stored_file` (after the caller's checks), and `add_period`, which stores the period that
    # create_period (in the table) or programme_admin.open_programme (admin only) has checked
    exempt = {"record", "set_score_fields", "move_status", "write_scores", "place", "audited", "stored_file"}
    exempt |= {"add_period"}
    taking_actor = {
        name
        for module in modules
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and not name.startswith(("_", "require_"))
        and "actor" in inspect.signature(function).parameters
        and name not in exempt
    }
    covered = {name.split(":")[0] for name in ACTIONS}
    assert taking_actor == covered
