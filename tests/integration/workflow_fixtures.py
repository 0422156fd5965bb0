"""A small world for the workflow tests, on every backend: built once per backend into a template
(`world_templates`) that each test copies, as `engine` copies the migrated template.

Two agencies (KOTA-901 = "a", KAB-902 = "b"), an open Pemdi 2026 period and an open SPBE 2025 period, and
one user per role: operator and coordinator of each agency, a reviewer and an admin. Test modules use
`world` (and `fast_hashing`, which it needs) by name: tests/integration/conftest.py provides them.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from evaluation.db import read_session, write_session
from evaluation.models import (
    Agency,
    Assessment,
    AuditEntry,
    Evidence,
    FrameworkVersion,
    IndicatorScore,
    Period,
    ReviewNote,
    ScoreEvidence,
    User,
    UserSession,
)
from evaluation.services import auth
from evaluation.services.actors import SYSTEM, Actor
from evaluation.services.auth import actor_of
from evaluation.services.frameworks import framework_of, latest_version
from evaluation.services.review import save_review, set_stage, start_review
from evaluation.services.score_versions import score_versions
from evaluation.services.self_assessment import open_assessment, save_self_assessment, submit
from evaluation.services.users import create_user
from evaluation.storage import LocalEvidenceStore
from indicators.schema import Framework
from tests.conftest import BACKENDS, Built

AGENCIES = {"a": ("KOTA-901", "Kota Contoh", "Kota"), "b": ("KAB-902", "Kabupaten Contoh", "Kabupaten")}
PASSWORD = "kata-sandi-uji-2026"
# name -> (role, agency key): operator and coordinator of "a", their counterparts in "b", the ministry.
USERS = {
    "operator": ("operator", "a"),
    "coordinator": ("coordinator", "a"),
    "operator_b": ("operator", "b"),
    "coordinator_b": ("coordinator", "b"),
    "reviewer": ("reviewer", None),
    "admin": ("admin", None),
}


def _one_blank_page_pdf() -> bytes:
    """The smallest real PDF: evidence must open as a PDF with a page (evaluation/evidence_checks.py)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


MINIMAL_PDF = _one_blank_page_pdf()
STATES = ("none", "draft", "complete", "submitted", "in_review", "finalizable")


@dataclass
class World:
    engine: Engine
    store: LocalEvidenceStore
    agency: dict[str, int]
    pemdi: int
    spbe: int
    users: dict[str, int]
    actors: dict[str, Actor]

    def owner(self, agency_key: str, role: str = "coordinator") -> Actor:
        """The operator or coordinator of agency "a" or "b"."""
        return self.actors[role if agency_key == "a" else f"{role}_b"]


@pytest.fixture(name="fast_hashing")
def fast_hashing_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2id parameters: the workflow tests need users, not the production hashing cost."""
    _cheap_hashing(monkeypatch)


def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def _build_world(engine: Engine) -> tuple[dict[str, int], dict[str, int], dict[str, int], dict[str, Actor]]:
    """Agencies, the two open periods and the users: (agency ids, period ids, user ids, actors)."""
    with pytest.MonkeyPatch.context() as patch, write_session(engine) as session:
        _cheap_hashing(patch)
        agency = {}
        for key, (code, name, category) in AGENCIES.items():
            row = Agency(code=code, name=name, category=category)
            session.add(row)
            session.flush()
            agency[key] = row.id
        periods = {}
        for framework_id, year, kind in (("pemdi-2026", 2026, "pemdi"), ("spbe-2020", 2025, "evaluasi")):
            version = latest_version(session, framework_id)
            assert version is not None
            period = Period(year=year, framework_version_id=version.id, evaluation_type=kind, status="open")
            session.add(period)
            session.flush()
            periods[framework_id] = period.id
        users, actors = {}, {}
        for name, (role, key) in USERS.items():
            user = create_user(
                session,
                actor=SYSTEM,
                username=name.replace("_", "-"),
                full_name=name.title(),
                password=PASSWORD,
                role=role,
                agency_code=AGENCIES[key][0] if key else None,
            )
            users[name], actors[name] = user.id, actor_of(user)
    return agency, periods, users, actors


@pytest.fixture(name="world", params=BACKENDS)
def world_fixture(
    request: pytest.FixtureRequest, built: Built, tmp_path: Any, fast_hashing: None
) -> Iterator[World]:
    """A copy of the world, built once per backend (building it takes longer than copying it)."""
    engine, drop, ids = built.copy(request.param, "workflow-world", _build_world, tmp_path)
    agency, periods, users, actors = ids  # type: ignore[misc]
    yield World(
        engine=engine,
        store=LocalEvidenceStore(tmp_path / "evidence"),
        agency=dict(agency),
        pemdi=periods["pemdi-2026"],
        spbe=periods["spbe-2020"],
        users=dict(users),
        actors=dict(actors),
    )
    engine.dispose()
    drop()


# --- reading the database --------------------------------------------------------------------------


def framework_for(session: Session, period_id: int) -> Framework:
    period = session.get(Period, period_id)
    assert period is not None
    version = session.get(FrameworkVersion, period.framework_version_id)
    assert version is not None
    return framework_of(version)


def version_of(session: Session, assessment_id: int) -> int:
    """The version as this session sees it (no `refresh`: it would drop the session's pending changes)."""
    assessment = session.get(Assessment, assessment_id)
    assert assessment is not None
    return assessment.version


def audit_rows(session: Session, assessment_id: int | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)  # type: ignore[arg-type]
    if assessment_id is not None:
        query = query.where(AuditEntry.entity == "assessment", AuditEntry.entity_id == str(assessment_id))
    return list(session.exec(query))


def scores(session: Session, assessment_id: int) -> dict[str, IndicatorScore]:
    rows = session.exec(select(IndicatorScore).where(IndicatorScore.assessment_id == assessment_id))
    return {row.indicator_code: row for row in rows}


def snapshot(session: Session) -> dict[str, Any]:
    """Everything a denied or refused action might have touched: row counts and each mutable field."""
    session.flush()
    counts = {
        model.__name__: session.exec(select(func.count()).select_from(model)).one()
        for model in (
            Assessment,
            IndicatorScore,
            Evidence,
            ScoreEvidence,
            AuditEntry,
            ReviewNote,
            User,
            UserSession,
            FrameworkVersion,
        )
    }
    assessments = [
        (a.id, a.status, a.stage, a.version, a.final_snapshot)
        for a in session.exec(select(Assessment).order_by(Assessment.id))  # type: ignore[arg-type]
    ]
    levels = sorted(
        (s.assessment_id, s.indicator_code, s.self_level, s.justification, s.final_level, s.reviewer_note)
        for s in session.exec(select(IndicatorScore))
    )
    users = [(u.id, u.active, u.password_hash) for u in session.exec(select(User).order_by(User.id))]  # type: ignore[arg-type]
    return {"counts": counts, "assessments": assessments, "levels": levels, "users": users}


def committed_snapshot(engine: Engine) -> dict[str, Any]:
    with read_session(engine) as session:
        return snapshot(session)


# --- walking an assessment along its life ----------------------------------------------------------


def all_entries(framework: Framework, level: int = 3) -> dict[str, dict[str, Any]]:
    return {i.code: {"level": level, "justification": f"Bukti {i.code}"} for i in framework.indicators}


def fill_all(session: Session, actor: Actor, assessment_id: int, level: int = 3) -> dict[str, int]:
    """Level `level` and a justification for every indicator, through save_self_assessment; returns the
    score versions."""
    assessment = session.get(Assessment, assessment_id)
    assert assessment is not None
    entries = all_entries(framework_for(session, assessment.period_id), level)
    read = score_versions(session, assessment_id)
    return save_self_assessment(
        session,
        actor=actor,
        assessment_id=assessment_id,
        versions={code: read.get(code, 0) for code in entries},
        entries=entries,
    )


def current(world: World, assessment_id: int) -> int:
    """The committed version."""
    with read_session(world.engine) as session:
        return version_of(session, assessment_id)


def committed_versions(world: World, assessment_id: int) -> dict[str, int]:
    """The committed score versions ({code: version}; a code without a score is absent, i.e. 0)."""
    with read_session(world.engine) as session:
        return score_versions(session, assessment_id)


def save(
    world: World,
    who: str,
    assessment_id: int,
    entries: dict[str, Any],
    versions: dict[str, int] | None = None,
) -> dict[str, int]:
    """save_self_assessment, committed, on the score versions given (default: the committed ones)."""
    read = committed_versions(world, assessment_id) if versions is None else versions
    with write_session(world.engine) as session:
        return save_self_assessment(
            session,
            actor=world.actors[who],
            assessment_id=assessment_id,
            versions={code: read.get(code, 0) for code in entries},
            entries=entries,
        )


def act(world: World, service: Any, who: str, assessment_id: int, **extra: Any) -> Any:
    """Call a service at the current versions, committed: a status change gets the assessment version
    (`expected_version`), a score save (`save_review`) the committed score versions of its entries, an
    evidence change (`score_version`) the committed version of its indicator's score."""
    parameters = inspect.signature(service).parameters
    if "versions" in parameters:
        if "versions" not in extra:
            read = committed_versions(world, assessment_id)
            extra["versions"] = {code: read.get(code, 0) for code in extra.get("entries", {})}
    elif "score_version" in parameters:
        if "score_version" not in extra:
            extra["score_version"] = committed_versions(world, assessment_id).get(extra["indicator_code"], 0)
    else:
        extra.setdefault("expected_version", current(world, assessment_id))
    with write_session(world.engine) as session:
        return service(session, actor=world.actors[who], assessment_id=assessment_id, **extra)


def set_attached(world: World, who: str, aid: int, code: str, evidence_id: int, attached: bool) -> None:
    """Attach the agency's document `evidence_id` to indicator `code` of assessment `aid` (or take it
    off), as `who`, at the committed version of its score (`act`)."""
    from evaluation.services import evidence

    changed = {"indicator_code": code, "evidence_id": evidence_id, "attached": attached}
    act(world, evidence.set_attached, who, aid, **changed)


def prepare(world: World, session: Session, agency_key: str, state: str, period_id: int | None = None) -> int:
    """Bring agency's assessment in the period (default Pemdi 2026) to `state` (see STATES); 0 for none."""
    if state == "none":
        return 0
    period_id = period_id or world.pemdi
    coordinator, reviewer = world.owner(agency_key), world.actors["reviewer"]
    assessment_id = open_assessment(
        session, actor=coordinator, agency_id=world.agency[agency_key], period_id=period_id
    )
    steps = STATES[2 : STATES.index(state) + 1]
    if "complete" in steps:
        fill_all(session, coordinator, assessment_id)
    if "submitted" in steps:
        submit(
            session,
            actor=coordinator,
            assessment_id=assessment_id,
            expected_version=version_of(session, assessment_id),
        )
    if "in_review" in steps:
        start_review(
            session,
            actor=reviewer,
            assessment_id=assessment_id,
            expected_version=version_of(session, assessment_id),
        )
    if "finalizable" in steps:
        framework = framework_for(session, period_id)
        save_review(
            session,
            actor=reviewer,
            assessment_id=assessment_id,
            versions=score_versions(session, assessment_id),
            entries={i.code: {"final_level": 3} for i in framework.indicators},
        )
        set_stage(
            session,
            actor=reviewer,
            assessment_id=assessment_id,
            expected_version=version_of(session, assessment_id),
            stage="interview",
        )
    session.flush()
    return assessment_id


def prepared(world: World, agency_key: str, state: str, period_id: int | None = None) -> int:
    """`prepare`, committed."""
    with write_session(world.engine) as session:
        return prepare(world, session, agency_key, state, period_id)
