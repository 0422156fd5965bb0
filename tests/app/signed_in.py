"""Helpers for AppTest pages behind the login: session tokens, actors, and assessments built through the
services, so each test can make the state it needs on the shared (module-scoped) demo database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from evaluation.db import read_session, write_session
from evaluation.demo.data import DEMO_AGENCY_CODE, DEMO_USERS
from evaluation.models import Agency, Assessment, IndicatorScore, Period, User
from evaluation.services.actors import Actor
from evaluation.services.auth import (
    actor_of,
    authenticate,
    create_handoff,
    hash_password,
    redeem_handoff,
    user_for_token,
)
from evaluation.services.review import start_review
from evaluation.services.score_versions import score_versions
from evaluation.services.self_assessment import open_assessment, save_self_assessment, submit

PASSWORDS = {username: password for username, _name, _role, _agency, password in DEMO_USERS}
TEST_PASSWORD = "sandi-uji-yang-panjang"
APP = Path(__file__).resolve().parents[2] / "app.py"
PAGES = APP.parent / "app_pages"
_TOKENS: dict[tuple[str, str], str] = {}


def token_for(engine: Engine, username: str) -> str:
    """A live session token, obtained the way the login page and the /auth/session route do.

    Tokens depend only on the database, so one per user and database is reused while it stays valid
    (argon2 makes each sign-in cost a few tenths of a second)."""
    key = (engine.url.render_as_string(hide_password=False), username)
    with write_session(engine) as session:
        if key in _TOKENS and user_for_token(session, token=_TOKENS[key]) is not None:
            return _TOKENS[key]
        user = authenticate(session, username=username, password=PASSWORDS.get(username, TEST_PASSWORD))
        code = create_handoff(session, user=user, nonce="nonce-of-the-test-browser")
        token = redeem_handoff(session, code=code, nonce="nonce-of-the-test-browser")
    assert token is not None
    _TOKENS[key] = token
    return token


def sign_in(at: AppTest, engine: Engine, username: str) -> AppTest:
    """Put a user's session into an AppTest and run it (the navigation then offers the role's pages)."""
    at.session_state["session_token"] = token_for(engine, username)
    return at.run()


def signed_in_page(engine: Engine, username: str, page: str) -> AppTest:
    """A user's AppTest on `page`, signed in from its first run. Needs the `app` fixture's environment."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["session_token"] = token_for(engine, username)
    return open_page(at.run(), page)


def page_path(name: str) -> str:
    """The page path as app.py registers it (what `AppTest.switch_page` expects)."""
    assert (PAGES / name).is_file(), name
    return f"app_pages/{name}"


def open_page(at: AppTest, name: str) -> AppTest:
    """Switch to a page; AppTest raises ValueError when the navigation does not offer it."""
    return at.switch_page(page_path(name)).run()


def offers(at: AppTest, name: str) -> bool:
    try:
        at.switch_page(page_path(name))
    except ValueError:
        return False
    return True


def actor(engine: Engine, username: str) -> Actor:
    with read_session(engine) as session:
        return actor_of(session.exec(select(User).where(User.username == username)).one())


def demo_agency_id(engine: Engine) -> int:
    with read_session(engine) as session:
        return session.exec(select(Agency.id).where(Agency.code == DEMO_AGENCY_CODE)).one()


def open_period_id(engine: Engine) -> int:
    with read_session(engine) as session:
        return session.exec(select(Period.id).where(Period.status == "open", Period.kind == "official")).one()


@cache
def _test_hash() -> str:
    return hash_password(TEST_PASSWORD)


@dataclass(frozen=True)
class FreshAgency:
    """An agency of its own (no assessment in any period) with a coordinator and an operator."""

    id: int
    code: str
    name: str
    coordinator: str
    operator: str


def fresh_agency(engine: Engine) -> FreshAgency:
    tag = uuid.uuid4().hex[:8]
    code, name = f"UJI-{tag.upper()}", f"Pemerintah Kota Uji {tag}"
    with write_session(engine) as session:
        agency = Agency(code=code, name=name, category="Kota")
        session.add(agency)
        session.flush()
        agency_id = agency.id or 0
        for role in ("coordinator", "operator"):  # one argon2 hash for all: create_user hashes each time
            session.add(
                User(
                    username=f"{role}-{tag}",
                    full_name=f"{role} {tag}",
                    password_hash=_test_hash(),
                    role=role,
                    agency_id=agency_id,
                )
            )
    return FreshAgency(agency_id, code, name, f"coordinator-{tag}", f"operator-{tag}")


def assessment_of(engine: Engine, agency_id: int) -> Assessment | None:
    """The agency's assessment in the open (2026) period, detached from its session."""
    with read_session(engine) as session:
        found = session.exec(
            select(Assessment).where(
                Assessment.agency_id == agency_id, Assessment.period_id == open_period_id(engine)
            )
        ).first()
        if found is not None:
            session.expunge(found)
        return found


def scores_of(engine: Engine, assessment_id: int) -> dict[str, IndicatorScore]:
    with read_session(engine) as session:
        rows = list(session.exec(select(IndicatorScore).where(IndicatorScore.assessment_id == assessment_id)))
        for row in rows:
            session.expunge(row)
    return {row.indicator_code: row for row in rows}


def opened(engine: Engine, agency: FreshAgency) -> int:
    with write_session(engine) as session:
        return open_assessment(
            session,
            actor=actor(engine, agency.coordinator),
            agency_id=agency.id,
            period_id=open_period_id(engine),
        )


def save(
    engine: Engine, username: str, assessment_id: int, entries: dict[str, dict[str, object]]
) -> dict[str, int]:
    """Save self-assessment entries through the service at the current score versions; returns the new
    ones (what another person saving between a page's load and its save does)."""
    who = actor(engine, username)
    with write_session(engine) as session:
        read = score_versions(session, assessment_id)
        return save_self_assessment(
            session,
            actor=who,
            assessment_id=assessment_id,
            versions={code: read.get(code, 0) for code in entries},
            entries=entries,
        )


def fill_all(engine: Engine, agency: FreshAgency, assessment_id: int, level: int = 3) -> dict[str, int]:
    codes = [f"I{n:02d}" for n in range(1, 21)]
    entries = {code: {"level": level, "justification": f"Dokumen uji {code}"} for code in codes}
    return save(engine, agency.operator, assessment_id, entries)


def submitted(engine: Engine, *, in_review: bool = False) -> tuple[FreshAgency, int]:
    """A fresh agency's complete 2026 assessment, submitted by its coordinator (and taken into review)."""
    agency = fresh_agency(engine)
    assessment_id = opened(engine, agency)
    fill_all(engine, agency, assessment_id)
    version = version_of(engine, assessment_id)
    with write_session(engine) as session:
        version = submit(
            session,
            actor=actor(engine, agency.coordinator),
            assessment_id=assessment_id,
            expected_version=version,
        )
    if in_review:
        with write_session(engine) as session:
            start_review(
                session, actor=actor(engine, "asesor"), assessment_id=assessment_id, expected_version=version
            )
    return agency, assessment_id


def version_of(engine: Engine, assessment_id: int) -> int:
    with read_session(engine) as session:
        return session.get(Assessment, assessment_id).version  # type: ignore[union-attr]


def status_of(engine: Engine, assessment_id: int) -> str:
    with read_session(engine) as session:
        return session.get(Assessment, assessment_id).status  # type: ignore[union-attr]


def shown(markdown: str) -> str:
    """What a reader sees of a Markdown element's source that escapes user text (app_pages/plain.md):
    backslash escapes and the zero-width breaks inside URLs removed. Tests compare this, not the source."""
    import re

    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u200b", "")
