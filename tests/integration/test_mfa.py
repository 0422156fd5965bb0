"""Two-step verification (TOTP, RFC 6238 through pyotp): enrolment confirmed by a code, ten hashed
one-time recovery codes, no replay, the second sign-in step, the per-role requirement. Both databases."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.models import AuditEntry, RecoveryCode, User
from evaluation.services.actors import PermissionDenied
from evaluation.services.auth import AuthError, SecondFactorRequired, authenticate, verify_second_factor
from evaluation.services.mfa import (
    MfaError,
    enable_mfa,
    mfa_required,
    new_secret,
    provisioning_uri,
    qr_data_uri,
    recovery_codes_left,
    reset_mfa,
    verify_code,
)
from evaluation.services.users import turn_off_own_mfa
from tests.integration.workflow_fixtures import PASSWORD, World

T0 = datetime(2026, 3, 2, 8, 0, 10, tzinfo=UTC)  # 10 s into a 30-second step
STEP = timedelta(seconds=30)


def enrol(world: World, name: str = "admin") -> tuple[str, list[str]]:
    secret = new_secret()
    with write_session(world.engine) as session:
        codes = enable_mfa(
            session, actor=world.actors[name], secret=secret, code=pyotp.TOTP(secret).at(T0), now=T0
        )
    return secret, codes


def accepted(world: World, code: str, now: datetime, name: str = "admin") -> bool:
    with write_session(world.engine) as session:
        return verify_code(session, user_id=world.users[name], code=code, now=now)


# --- without a database -----------------------------------------------------------------------------


def test_the_qr_code_is_a_png_drawn_here_for_an_otpauth_uri_naming_the_app():
    secret = new_secret()
    uri = provisioning_uri(secret, "admin")
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri and "issuer=SPBE%20Pemdi" in uri
    data = qr_data_uri(uri)
    assert data.startswith("data:image/png;base64,")
    assert base64.b64decode(data.split(",", 1)[1]).startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize(
    ("setting", "admin", "reviewer"),
    [(None, True, False), ("admin,reviewer", True, True), ("", False, False)],
)
def test_which_roles_need_a_second_factor_is_a_setting(monkeypatch, setting, admin, reviewer):
    if setting is None:
        monkeypatch.delenv("SPBE_MFA_REQUIRED_ROLES", raising=False)
    else:
        monkeypatch.setenv("SPBE_MFA_REQUIRED_ROLES", setting)
    assert (mfa_required("admin"), mfa_required("reviewer")) == (admin, reviewer)


# --- enrolment --------------------------------------------------------------------------------------

db = pytest.mark.db


@db
def test_enrolment_with_a_wrong_code_is_refused_and_stores_nothing(world):
    secret = new_secret()
    with write_session(world.engine) as session, pytest.raises(MfaError, match="does not match"):
        enable_mfa(session, actor=world.actors["admin"], secret=secret, code="000000", now=T0)
    with read_session(world.engine) as session:
        user = session.get(User, world.users["admin"])
        assert user is not None and user.mfa_secret is None and user.mfa_enabled_at is None


@db
def test_enrolment_gives_ten_different_recovery_codes_stored_only_as_hashes(world):
    _secret, codes = enrol(world)
    assert len(set(codes)) == 10
    with read_session(world.engine) as session:
        stored = session.exec(
            select(RecoveryCode.code_hash).where(RecoveryCode.user_id == world.users["admin"])
        ).all()
        assert recovery_codes_left(session, user_id=world.users["admin"]) == 10
    assert len(stored) == 10
    assert not any(code.replace("-", "") in digest for code in codes for digest in stored)


@db
def test_the_secret_never_reaches_the_audit_log(world):
    secret, _codes = enrol(world)
    with read_session(world.engine) as session:
        rows = session.exec(select(AuditEntry)).all()
    assert any(r.action == "mfa_enabled" for r in rows)
    assert not any(secret in f"{r.old_value} {r.new_value} {r.field}" for r in rows)


# --- codes ------------------------------------------------------------------------------------------


@db
def test_a_code_is_accepted_once_and_its_replay_in_the_same_window_is_refused(world):
    secret, _ = enrol(world)
    later = T0 + 2 * STEP
    code = pyotp.TOTP(secret).at(later)
    assert accepted(world, code, later)
    assert not accepted(world, code, later + timedelta(seconds=5))
    assert accepted(world, pyotp.TOTP(secret).at(later + STEP), later + STEP)


@db
def test_the_enrolment_code_cannot_be_replayed_to_sign_in(world):
    secret, _ = enrol(world)
    assert not accepted(world, pyotp.TOTP(secret).at(T0), T0 + timedelta(seconds=5))


@db
@pytest.mark.parametrize(("age", "ok"), [(STEP, True), (3 * STEP, False)])
def test_a_code_from_the_previous_step_is_accepted_older_ones_are_not(world, age, ok):
    secret, _ = enrol(world)
    now = T0 + 10 * STEP
    assert accepted(world, pyotp.TOTP(secret).at(now - age), now) is ok


@db
def test_a_recovery_code_works_once(world):
    _secret, codes = enrol(world)
    assert accepted(world, codes[3].upper(), T0 + STEP)
    assert not accepted(world, codes[3], T0 + 2 * STEP)
    with read_session(world.engine) as session:
        assert recovery_codes_left(session, user_id=world.users["admin"]) == 9


@db
def test_a_user_without_a_second_factor_has_no_valid_code(world):
    assert not accepted(world, "123456", T0, name="reviewer")


# --- signing in -------------------------------------------------------------------------------------


@db
def test_signing_in_asks_for_the_code_after_the_password_and_accepts_it(world):
    secret, _ = enrol(world)
    later = T0 + 4 * STEP
    with write_session(world.engine) as session, pytest.raises(SecondFactorRequired) as needed:
        authenticate(session, username="admin", password=PASSWORD, now=later)
    assert needed.value.user_id == world.users["admin"]
    with write_session(world.engine) as session, pytest.raises(AuthError):
        verify_second_factor(session, user_id=world.users["admin"], code="000000", now=later)
    with write_session(world.engine) as session:
        user = verify_second_factor(
            session, user_id=world.users["admin"], code=pyotp.TOTP(secret).at(later), now=later
        )
        assert user.username == "admin"


@db
def test_wrong_codes_are_throttled_like_passwords(world):
    secret, _ = enrol(world)
    later = T0 + 4 * STEP
    for _ in range(5):
        with write_session(world.engine) as session, pytest.raises(AuthError):
            verify_second_factor(session, user_id=world.users["admin"], code="000000", now=later)
    with write_session(world.engine) as session, pytest.raises(AuthError):
        verify_second_factor(
            session, user_id=world.users["admin"], code=pyotp.TOTP(secret).at(later), now=later
        )


@db
def test_only_the_owner_or_an_admin_may_turn_the_second_factor_off(world):
    enrol(world, "reviewer")
    with write_session(world.engine) as session, pytest.raises(PermissionDenied):
        reset_mfa(session, actor=world.actors["operator"], user_id=world.users["reviewer"])
    with write_session(world.engine) as session:
        reset_mfa(session, actor=world.actors["reviewer"], user_id=world.users["reviewer"])
    with write_session(world.engine) as session:
        assert authenticate(session, username="reviewer", password=PASSWORD).username == "reviewer"


@db
def test_turning_ones_own_second_factor_off_needs_the_current_password(world):
    enrol(world, "reviewer")
    with write_session(world.engine) as session, pytest.raises(AuthError, match="current password"):
        turn_off_own_mfa(session, actor=world.actors["reviewer"], current_password="bukan-sandinya-2026")
    with read_session(world.engine) as session:
        assert session.get(User, world.users["reviewer"]).mfa_secret is not None
    with write_session(world.engine) as session:
        turn_off_own_mfa(session, actor=world.actors["reviewer"], current_password=PASSWORD)
    with read_session(world.engine) as session:
        assert session.get(User, world.users["reviewer"]).mfa_secret is None
