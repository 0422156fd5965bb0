"""The data version (issue 14): bumped in the same transaction as every write that changes what a cached
read shows, so a write on one app server shows on every other server's next rerun."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evaluation import data_version
from evaluation.db import write_session
from evaluation.services.review import finalize
from evaluation.services.self_assessment import open_assessment
from tests.integration.workflow_fixtures import World, act, prepare, save

ROOT = Path(__file__).resolve().parents[2]
WRITES = re.compile(r"session\.(add|add_all|delete)\(|\.insert\(\)|table\.insert\(|update\([A-Z]\w*\)")
AUDITED = re.compile(r"audit\.record\(|chain_rows\(|apply_keyed\(|write_scores\(|record_change\(")
# every module of evaluation/ that writes rows -> how its writes reach the data version
WRITERS = {
    "evaluation/services/assessment_state.py": "audit",
    "evaluation/services/audit.py": "audit",
    "evaluation/services/auth.py": "audit (users); sessions and handoffs are never cached",
    "evaluation/services/bulk/agencies_sheet.py": "audit (apply_keyed)",
    "evaluation/services/bulk/assessment_import.py": "audit (chain_rows in the bulk insert)",
    "evaluation/services/bulk/keyed_import.py": "audit",
    "evaluation/services/bulk/published_results.py": "audit",
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
    "evaluation/services/programme_admin.py": "audit",
    "evaluation/services/roadmap/edits.py": "audit",
    "evaluation/services/threads.py": "audit",
    "evaluation/demo/data.py": "bootstrap.ensure_database bumps after loading the demo",
    "evaluation/demo/targets.py": "part of the demo load",
    "evaluation/demo/programme.py": "part of the demo load",
    "evaluation/services/sessions.py": "audit (sign-in, sign-out); sessions and handoffs are never cached",
    "evaluation/services/auth_throttle.py": "sign-in throttling slots are never cached",
}
NOT_AUDITED = {
    "evaluation/demo/data.py",
    "evaluation/demo/targets.py",
    "evaluation/demo/programme.py",
    "evaluation/services/auth_throttle.py",
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
