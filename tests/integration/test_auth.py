"""Password login (argon2id), the one-time handoff code and server-side sessions; user creation.
Throttling: test_sign_in_throttling.py; session lifetime and revocation: test_sessions.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from evaluation.db import make_engine, read_session, write_session
from evaluation.models import User
from evaluation.services.actors import SYSTEM
from evaluation.services.auth import (
    AuthError,
    authenticate,
    create_handoff,
    logout,
    redeem_handoff,
    touch_session,
    user_for_token,
)
from evaluation.services.users import create_user, set_user_active
from evaluation.settings import session_idle_timeout
from tests.integration.workflow_fixtures import PASSWORD, World

pytestmark = pytest.mark.db
NONCE = "nonce-of-this-browser"
IDLE_TIMEOUT = session_idle_timeout()

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def login(world: World, username: str, password: str, now: datetime = T0) -> int:
    with write_session(world.engine) as session:
        user = authenticate(session, username=username, password=password, now=now)
        assert user.id is not None
        return user.id


def refusal(world: World, username: str, password: str, now: datetime = T0) -> str:
    with pytest.raises(AuthError) as refused:
        login(world, username, password, now)
    return str(refused.value)


def handoff(world: World, now: datetime = T0) -> str:
    with write_session(world.engine) as session:
        user = authenticate(session, username="operator", password=PASSWORD, now=now)
        return create_handoff(session, user=user, nonce=NONCE, now=now)


def redeem(world: World, code: str, now: datetime = T0) -> str | None:
    with write_session(world.engine) as session:
        return redeem_handoff(session, code=code, nonce=NONCE, now=now)


def signed_in(world: World, now: datetime = T0) -> str:
    token = redeem(world, handoff(world, now), now)
    assert token is not None
    return token


def holder(world: World, token: str, now: datetime = T0, engine=None) -> str | None:
    with read_session(engine or world.engine) as session:
        user = user_for_token(session, token=token, now=now)
        return user.username if user else None


# --- passwords -------------------------------------------------------------------------------------


def test_passwords_are_stored_as_argon2id_hashes_that_do_not_contain_them(engine):
    with write_session(engine) as session:
        user = create_user(
            session, actor=SYSTEM, username="asesor", full_name="Asesor", password=PASSWORD, role="reviewer"
        )
        stored = user.password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_the_right_password_authenticates_the_user(world):
    assert login(world, " Operator ", PASSWORD) == world.users["operator"]


def test_a_wrong_password_is_refused_with_the_same_message_as_an_unknown_user(world):
    wrong_password = refusal(world, "operator", "bukan-kata-sandinya")
    assert wrong_password == refusal(world, "tidak-ada", PASSWORD)


# --- the handoff code and the session --------------------------------------------------------------


def test_a_handoff_code_can_be_redeemed_only_once(world):
    code = handoff(world)
    assert redeem(world, code) is not None
    assert redeem(world, code) is None


@pytest.mark.parametrize(("seconds", "redeemed"), [(59, True), (61, False)])
def test_a_handoff_code_expires_after_sixty_seconds(world, seconds, redeemed):
    code = handoff(world)
    assert (redeem(world, code, T0 + timedelta(seconds=seconds)) is not None) is redeemed


def test_the_session_token_identifies_its_user(world):
    token = signed_in(world)
    assert holder(world, token, T0 + timedelta(minutes=1)) == "operator"


def test_logout_ends_the_session_for_every_server(world):
    token = signed_in(world)
    other_server = make_engine(world.engine.url.render_as_string(hide_password=False))
    try:
        assert holder(world, token, engine=other_server) == "operator"
        with write_session(world.engine) as session:
            logout(session, token=token)
        assert holder(world, token, engine=other_server) is None
    finally:
        other_server.dispose()


def test_a_session_idle_past_the_timeout_is_over(world):
    token = signed_in(world)
    assert holder(world, token, T0 + IDLE_TIMEOUT + timedelta(seconds=1)) is None


def test_a_deactivated_users_session_is_over(world):
    token = signed_in(world)
    with write_session(world.engine) as session:
        set_user_active(session, actor=world.actors["admin"], user_id=world.users["operator"], active=False)
    assert holder(world, token) is None


# --- creating users --------------------------------------------------------------------------------


def new_user(world: World, **fields: str | None) -> None:
    values = {"username": "baru", "full_name": "Baru", "password": PASSWORD, "role": "reviewer"} | fields
    with write_session(world.engine) as session:
        create_user(session, actor=world.actors["admin"], **values)  # type: ignore[arg-type]


def users(world: World) -> list[str]:
    with read_session(world.engine) as session:
        return list(session.exec(select(User.username).order_by(User.username)))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "complaint"),
    [
        ({"password": "pendek-12"}, "12"),
        ({"username": "Operator"}, "taken"),
        ({"role": "operator", "agency_code": None}, "need an agency"),
        ({"role": "operator", "agency_code": "KOTA-999"}, "KOTA-999"),
        ({"role": "reviewer", "agency_code": "KOTA-901"}, "agency"),
    ],
    ids=[
        "short-password",
        "duplicate-username",
        "operator-without-agency",
        "unknown-agency",
        "reviewer-in-agency",
    ],
)
def test_creating_a_user_is_refused_when_the_account_would_be_invalid(world, fields, complaint):
    before = users(world)
    with pytest.raises(ValueError, match=complaint):
        new_user(world, **fields)
    assert users(world) == before


def test_reading_a_session_without_touch_leaves_its_idle_clock_and_touching_restarts_it(world):
    token = signed_in(world)
    later = T0 + IDLE_TIMEOUT - timedelta(seconds=5)
    with read_session(world.engine) as session:
        assert user_for_token(session, token=token, now=later, touch=False) is not None
    assert holder(world, token, T0 + IDLE_TIMEOUT + timedelta(seconds=1)) is None  # not touched: expired
    with write_session(world.engine) as session:
        touch_session(session, token=token, now=later)
    assert holder(world, token, T0 + IDLE_TIMEOUT + timedelta(seconds=1)) is not None
