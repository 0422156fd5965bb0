"""The data version (issue 14): bumped in the same transaction as every write that changes what a cached
read shows, so a write on one app server shows on every other server's next rerun."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from evaluation import data_version
from evaluation.db import write_session
from evaluation.services.agency_admin import add_agency
from evaluation.services.objections import file_objection
from evaluation.services.period_schedule import update_schedule
from evaluation.services.recommendations import add_recommendation
from evaluation.services.review import finalize
from evaluation.services.reviewers import assign_reviewer
from evaluation.services.self_assessment import open_assessment
from tests.integration.workflow_fixtures import World, act, prepare, save

ROOT = Path(__file__).resolve().parents[2]
WRITES = re.compile(r"session\.(add|add_all|delete)\(|\.insert\(\)|table\.insert\(|update\([A-Z]\w*\)")
AUDITED = re.compile(
    r"audit\.record\(|chain_rows\(|apply_keyed\(|write_scores\(|record_change\(|record_changes\(|record_created\("
    r"|record_on_assessment\("  # evaluation/services/audit_fields.py: each writes through audit.record
)
# every module of evaluation/ that writes rows -> how its writes reach the data version
WRITERS = {
    "evaluation/services/assessment_state.py": "audit",
    "evaluation/services/audit.py": "audit",
    "evaluation/services/auth.py": "audit (users); sessions and handoffs are never cached",
    "evaluation/services/bulk/agencies_sheet.py": "audit (apply_keyed)",
    "evaluation/services/bulk/assessment_import.py": "audit (chain_rows in the bulk insert)",
    "evaluation/services/bulk/plan.py": "audit (ImportLog: the keyed sheets and the published results)",
    "evaluation/services/evidence.py": "audit",
    "evaluation/services/frameworks.py": "audit",
    "evaluation/services/mfa.py": "audit; MFA secrets are never cached",
    "evaluation/services/periods.py": "audit",
    "evaluation/services/review.py": "audit",
    "evaluation/services/roadmap/activities.py": "audit",
    "evaluation/services/roadmap/targets.py": "audit",
    "evaluation/services/score_versions.py": "audit (write_scores runs inside audited saves)",
    "evaluation/services/self_assessment.py": "audit",
    "evaluation/services/trends.py": "audit",
    "evaluation/services/users.py": "audit",
    "evaluation/services/delegation.py": "audit",
    "evaluation/services/delegation_flow.py": "audit",
    "evaluation/services/roadmap/edits.py": "audit",
    "evaluation/services/threads.py": "audit",
    "evaluation/demo/data.py": "bootstrap.ensure_database bumps after loading the demo",
    "evaluation/demo/targets.py": "part of the demo load",
    "evaluation/demo/programme.py": "part of the demo load",
    "evaluation/services/sessions.py": "audit (sign-in, sign-out); sessions and handoffs are never cached",
    "evaluation/services/auth_throttle.py": "sign-in throttling slots are never cached",
    # the evaluation cycle (issue 12)
    "evaluation/services/agency_admin.py": "audit",
    "evaluation/services/period_schedule.py": "audit",
    "evaluation/services/reviewers.py": "audit",
    "evaluation/services/stage_minutes.py": "audit",
    "evaluation/services/recommendations/rules.py": "audit",
    "evaluation/services/recommendations/writes.py": "audit",
    "evaluation/services/objections.py": "audit",
    "evaluation/services/notifications.py": "rows written inside the audited change that caused them; "
    "read state is the reader's own and read uncached",
    "evaluation/services/notification_email.py": "email delivery state, never cached",
    "evaluation/demo/recommendations.py": "part of the demo load",
    "evaluation/demo/schedule.py": "part of the demo load",
}
NOT_AUDITED = {
    "evaluation/demo/data.py",
    "evaluation/demo/targets.py",
    "evaluation/demo/programme.py",
    "evaluation/demo/recommendations.py",
    "evaluation/demo/schedule.py",
    "evaluation/services/auth_throttle.py",
    "evaluation/services/notifications.py",
    "evaluation/services/notification_email.py",
}


def _writing_modules() -> set[str]:
    found = set()
    for path in (ROOT / "evaluation").rglob("*.py"):
        if WRITES.search(path.read_text(encoding="utf-8")):
            found.add(path.relative_to(ROOT).as_posix())
    return found


def test_every_module_that_writes_rows_is_listed_with_how_it_bumps_the_data_version():
    writers = _writing_modules()
    assert writers - set(WRITERS) == set(), "a new writer: make it audit its writes, then list it here"
    assert set(WRITERS) - writers == set(), "a listed writer writes no more: drop it from WRITERS"


@pytest.mark.parametrize("module", sorted(set(WRITERS) - NOT_AUDITED))
def test_each_listed_writer_writes_through_the_audit_log(module):
    text = (ROOT / module).read_text(encoding="utf-8")
    assert AUDITED.search(text) or module.endswith(("audit.py", "score_versions.py")), module


def test_the_audit_chain_bumps_the_data_version_once_per_writing_transaction(world: World):
    before = data_version.current(world.engine)
    with write_session(world.engine) as session:
        assessment_id = open_assessment(
            session, actor=world.owner("a"), agency_id=world.agency["a"], period_id=world.pemdi
        )
    after_open = data_version.current(world.engine)
    assert after_open == before + 1
    save(world, "coordinator", assessment_id, {"I01": {"level": 3}, "I02": {"level": 4}})
    assert data_version.current(world.engine) == after_open + 1


def test_a_rolled_back_write_leaves_the_data_version_as_it_was(world: World):
    before = data_version.current(world.engine)
    with pytest.raises(RuntimeError), write_session(world.engine) as session:
        open_assessment(session, actor=world.owner("a"), agency_id=world.agency["a"], period_id=world.pemdi)
        raise RuntimeError("the request failed after the write")
    assert data_version.current(world.engine) == before


def test_a_finalization_bumps_the_data_version(world: World):
    with write_session(world.engine) as session:
        assessment_id = prepare(world, session, "a", "finalizable")
    before = data_version.current(world.engine)
    act(world, finalize, "reviewer", assessment_id)
    assert data_version.current(world.engine) > before


def _bumps(world: World, write) -> bool:  # type: ignore[no-untyped-def]
    before = data_version.current(world.engine)
    with write_session(world.engine) as session:
        write(session)
    return data_version.current(world.engine) == before + 1


def _lead_assigned(world: World):  # type: ignore[no-untyped-def]
    """The write making the world's reviewer lead reviewer of agency "a" in the PEMDI period."""
    return lambda s: assign_reviewer(
        s,
        actor=world.actors["admin"],
        period_id=world.pemdi,
        agency_id=world.agency["a"],
        reviewer_id=world.users["reviewer"],
        role="lead",
    )


def _objections_closing(world: World, on: date):  # type: ignore[no-untyped-def]
    """The write setting the PEMDI period's objection window to close `on`."""
    return lambda s: update_schedule(
        s, actor=world.actors["admin"], period_id=world.pemdi, changes={"objections_close_on": on}
    )


def test_the_cycles_admin_writes_bump_the_data_version_once_each(world: World):
    admin = world.actors["admin"]
    assert _bumps(world, _lead_assigned(world))
    assert _bumps(world, _objections_closing(world, date(2026, 12, 31)))
    assert _bumps(
        world,
        lambda s: add_agency(s, actor=admin, code="KOTA-903", name="Kota Baru", category="Kota"),
    )


def test_a_recommendation_and_an_objection_bump_the_data_version(world: World):
    assessment_id = prepare_committed(world, "finalizable")
    with write_session(world.engine) as session:
        _lead_assigned(world)(session)
        _objections_closing(world, date.today() + timedelta(days=30))(session)
    act(world, finalize, "reviewer", assessment_id)
    assert _bumps(
        world,
        lambda s: add_recommendation(
            s,
            actor=world.actors["reviewer"],
            assessment_id=assessment_id,
            indicator_code="I01",
            priority="high",
            text="Tetapkan kebijakan tata kelola.",
            due_on=None,
        ),
    )
    assert _bumps(
        world,
        lambda s: file_objection(
            s,
            actor=world.actors["coordinator"],
            assessment_id=assessment_id,
            indicator_code="I01",
            reason="Kebijakan sudah ditetapkan sebelum interviu.",
        ),
    )


def prepare_committed(world: World, state: str) -> int:
    with write_session(world.engine) as session:
        return prepare(world, session, "a", state)


def test_loading_the_demo_bumps_the_data_version(db_url):
    from evaluation.bootstrap import ensure_database
    from evaluation.db import make_engine

    engine = make_engine(db_url)
    try:
        ensure_database(engine)
        before = data_version.current(engine)
        assert ensure_database(engine, demo=True, demo_limit=3) is not None
        assert data_version.current(engine) > before
    finally:
        engine.dispose()
