"""Sessions (issue 11): an absolute lifetime besides the idle timeout; every session of a user ends on a
password change or reset, a role change, deactivation and an MFA reset; the handoff code works only in
the browser that signed in (its nonce cookie); the cookie routes; migration 0006 up and down."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import inspect
from starlette.requests import Request

from app_pages import auth_routes
from evaluation.db import alembic_config, make_engine, read_session, write_session
from evaluation.services.auth import (
    COOKIE_NAME,
    NONCE_COOKIE,
    AuthError,
    authenticate,
    create_handoff,
    redeem_handoff,
    touch_session,
    user_for_token,
)
from evaluation.services.mfa import enable_mfa, reset_mfa
from evaluation.services.users import change_own_password, reset_password, set_user_active, set_user_role
from tests.integration.workflow_fixtures import PASSWORD, World
from tests.own_thread import in_own_thread

pytestmark = pytest.mark.db

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
NONCE = "nonce-of-the-browser-that-signed-in"
NEW_PASSWORD = "jembatan-kayu-berlumut-7"


def handoff(world: World, name: str = "operator", now: datetime = T0) -> str:
    with write_session(world.engine) as session:
        user = authenticate(session, username=name, password=PASSWORD, now=now)
        return create_handoff(session, user=user, nonce=NONCE, now=now)


def signed_in(world: World, name: str = "operator", now: datetime = T0) -> str:
    code = handoff(world, name, now)
    with write_session(world.engine) as session:
        token = redeem_handoff(session, code=code, nonce=NONCE, now=now)
    assert token is not None
    return token


def holder(world: World, token: str, now: datetime = T0) -> str | None:
    with read_session(world.engine) as session:
        user = user_for_token(session, token=token, now=now, touch=False)
        return user.username if user else None


# --- lifetime -------------------------------------------------------------------------------------


def test_a_session_kept_busy_still_ends_after_its_absolute_lifetime(world):
    token = signed_in(world)
    moment = T0
    while moment < T0 + timedelta(hours=12) - timedelta(minutes=10):
        moment += timedelta(minutes=10)
        with write_session(world.engine) as session:
            touch_session(session, token=token, now=moment)
        assert holder(world, token, moment) == "operator"
    assert holder(world, token, T0 + timedelta(hours=12, seconds=1)) is None


def test_the_absolute_lifetime_is_a_setting(world, monkeypatch):
    monkeypatch.setenv("SPBE_SESSION_MAX_HOURS", "1")
    token = signed_in(world)
    with write_session(world.engine) as session:
        touch_session(session, token=token, now=T0 + timedelta(minutes=59))
    assert holder(world, token, T0 + timedelta(minutes=59)) == "operator"
    assert holder(world, token, T0 + timedelta(minutes=61)) is None


def test_the_idle_timeout_is_read_when_used(world, monkeypatch):
    token = signed_in(world)
    monkeypatch.setenv("SPBE_SESSION_IDLE_MINUTES", "5")
    assert holder(world, token, T0 + timedelta(minutes=6)) is None


# --- revocation -----------------------------------------------------------------------------------


def two_sessions(world: World) -> list[str]:
    return [signed_in(world), signed_in(world)]


def still_signed_in(world: World, tokens: list[str]) -> list[bool]:
    return [holder(world, token) is not None for token in tokens]


def test_an_admin_resetting_the_password_ends_every_session_of_the_user(world):
    tokens = two_sessions(world)
    with write_session(world.engine) as session:
        reset_password(
            session, actor=world.actors["admin"], user_id=world.users["operator"], password=NEW_PASSWORD
        )
    assert still_signed_in(world, tokens) == [False, False]


def test_changing_ones_own_password_ends_every_session_and_needs_the_current_one(world):
    tokens = two_sessions(world)
    with write_session(world.engine) as session, pytest.raises(AuthError):
        change_own_password(
            session,
            actor=world.actors["operator"],
            current_password="salah-salah-salah",
            new_password=NEW_PASSWORD,
        )
    assert still_signed_in(world, tokens) == [True, True]
    with write_session(world.engine) as session:
        change_own_password(
            session, actor=world.actors["operator"], current_password=PASSWORD, new_password=NEW_PASSWORD
        )
    assert still_signed_in(world, tokens) == [False, False]
    with write_session(world.engine) as session:
        assert authenticate(session, username="operator", password=NEW_PASSWORD).username == "operator"


def test_guessing_the_current_password_through_a_borrowed_session_is_throttled(world):
    for _ in range(5):
        with write_session(world.engine) as session, pytest.raises(AuthError):
            change_own_password(
                session,
                actor=world.actors["operator"],
                current_password="tebakan-salah-2026",
                new_password=NEW_PASSWORD,
            )
    with write_session(world.engine) as session, pytest.raises(AuthError):  # right, but too soon
        change_own_password(
            session, actor=world.actors["operator"], current_password=PASSWORD, new_password=NEW_PASSWORD
        )


def test_a_role_change_ends_every_session_of_the_user(world):
    tokens = two_sessions(world)
    with write_session(world.engine) as session:
        set_user_role(
            session,
            actor=world.actors["admin"],
            user_id=world.users["operator"],
            role="coordinator",
            agency_code="KOTA-901",
        )
    assert still_signed_in(world, tokens) == [False, False]


def test_deactivation_ends_every_session_of_the_user(world):
    tokens = two_sessions(world)
    with write_session(world.engine) as session:
        set_user_active(session, actor=world.actors["admin"], user_id=world.users["operator"], active=False)
    assert still_signed_in(world, tokens) == [False, False]


def test_an_mfa_reset_ends_every_session_of_the_user_and_leaves_others_alone(world):
    secret = pyotp.random_base32()
    with write_session(world.engine) as session:
        recovery = enable_mfa(
            session, actor=world.actors["operator"], secret=secret, code=pyotp.TOTP(secret).at(T0), now=T0
        )
    tokens = []
    for code in recovery[:2]:
        with write_session(world.engine) as session:
            user = authenticate(session, username="operator", password=PASSWORD, code=code, now=T0)
            handed = create_handoff(session, user=user, nonce=NONCE, now=T0)
            tokens.append(redeem_handoff(session, code=handed, nonce=NONCE, now=T0))
    other = signed_in(world, "reviewer")
    assert still_signed_in(world, tokens) == [True, True]
    with write_session(world.engine) as session:
        reset_mfa(session, actor=world.actors["admin"], user_id=world.users["operator"])
    assert still_signed_in(world, tokens) == [False, False]
    assert holder(world, other) == "reviewer"


def test_other_users_sessions_survive_a_password_reset(world):
    other = signed_in(world, "reviewer")
    with write_session(world.engine) as session:
        reset_password(
            session, actor=world.actors["admin"], user_id=world.users["operator"], password=NEW_PASSWORD
        )
    assert holder(world, other) == "reviewer"


# --- the code is bound to the browser -------------------------------------------------------------


def test_a_handoff_code_opened_in_another_browser_does_nothing_and_stays_usable(world):
    code = handoff(world)
    with write_session(world.engine) as session:
        assert redeem_handoff(session, code=code, nonce="another-browsers-nonce", now=T0) is None
        assert redeem_handoff(session, code=code, nonce=None, now=T0) is None
        assert redeem_handoff(session, code=code, nonce=NONCE, now=T0) is not None


def test_a_handoff_needs_a_nonce():
    with pytest.raises(ValueError, match="nonce"):
        create_handoff(None, user=None, nonce="")  # type: ignore[arg-type]


def request(path: str, cookies: dict[str, str], scheme: str = "http") -> Request:
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return Request(
        {
            "type": "http",
            "method": "GET",
            "scheme": scheme,
            "server": ("testserver", 80),
            "path": path.split("?")[0],
            "query_string": (path.split("?", 1)[1] if "?" in path else "").encode(),
            "headers": [(b"cookie", cookie.encode())] if cookie else [],
        }
    )


def set_cookies(response) -> list[str]:
    return [v.decode() for k, v in response.raw_headers if k == b"set-cookie"]


@pytest.fixture
def route_db(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("DATABASE_URL", world.engine.url.render_as_string(hide_password=False))
    return world


def test_the_session_route_sets_the_cookie_only_for_the_browser_with_the_nonce(route_db):
    code = handoff(route_db, now=datetime.now(UTC))
    elsewhere = auth_routes.session_route(
        request(f"/auth/session?code={code}&next=/penilaian", {NONCE_COOKIE: "x"})
    )
    assert elsewhere.headers["location"] == "/?login=expired" and not set_cookies(elsewhere)
    here = auth_routes.session_route(
        request(f"/auth/session?code={code}&next=/\\example.invalid/x", {NONCE_COOKIE: NONCE})
    )
    assert here.headers["location"] == "/"
    session_cookie = next(c for c in set_cookies(here) if c.startswith(COOKIE_NAME + "="))
    assert (
        "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie and "Secure" not in session_cookie
    )
    assert "Max-Age=43200" in session_cookie
    fresh_nonce = next(c for c in set_cookies(here) if c.startswith(NONCE_COOKIE + "="))
    assert NONCE not in fresh_nonce


def test_the_secure_flag_can_be_forced_behind_a_tls_proxy(route_db, monkeypatch):
    monkeypatch.setenv("SPBE_COOKIE_SECURE", "1")
    code = handoff(route_db, now=datetime.now(UTC))
    response = auth_routes.session_route(request(f"/auth/session?code={code}", {NONCE_COOKIE: NONCE}))
    assert all("Secure" in cookie for cookie in set_cookies(response))


def run_middleware(cookies: dict[str, str]) -> list[str]:
    sent: list[dict] = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def send(message):
        sent.append(message)

    scope = request("/masuk", cookies).scope
    in_own_thread(lambda: asyncio.run(auth_routes.NonceCookieMiddleware(app)(scope, None, send)))
    return [v.decode() for k, v in sent[0]["headers"] if k == b"set-cookie"]


def test_a_page_load_without_a_nonce_gets_one_and_a_browser_with_one_keeps_it():
    (cookie,) = run_middleware({})
    assert cookie.startswith(NONCE_COOKIE + "=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert run_middleware({NONCE_COOKIE: "already"}) == []


# --- migration ------------------------------------------------------------------------------------


def test_migration_0006_goes_down_and_up_again(db_url):
    from alembic import command

    engine = make_engine(db_url)
    try:
        cfg = alembic_config(db_url)
        command.upgrade(cfg, "0006")
        command.downgrade(cfg, "0005")
        tables = inspect(engine).get_table_names()
        assert "sign_in_throttle" not in tables and "recovery_code" not in tables
        assert "failed_logins" in {c["name"] for c in inspect(engine).get_columns("user_account")}
        command.upgrade(cfg, "0006")
        columns = {c["name"] for c in inspect(engine).get_columns("user_account")}
        assert {"mfa_secret", "mfa_enabled_at", "mfa_last_step"} <= columns and "failed_logins" not in columns
        assert "nonce_hash" in {c["name"] for c in inspect(engine).get_columns("login_handoff")}
    finally:
        engine.dispose()
