"""The account security page and the sign-in page with two-step verification, in AppTest: enrolment by a
locally drawn QR code, recovery codes shown once, admins sent to enrolment first, the code step of the
sign-in, and a user's own password change."""

from __future__ import annotations

import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from app_pages import components
from evaluation.db import read_session, write_session
from evaluation.models import User, utcnow
from evaluation.services.actors import SYSTEM
from evaluation.services.auth import actor_of, user_for_token
from evaluation.services.mfa import enable_mfa
from evaluation.services.users import create_user
from tests.app.signed_in import TEST_PASSWORD, offers, open_page, sign_in, token_for

pytestmark = pytest.mark.app
NONCE = "nonce-of-the-test-browser"


@pytest.fixture(autouse=True)
def rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Admins must use two-step verification (the default), and this browser has its nonce cookie."""
    monkeypatch.setattr(components, "browser_nonce", lambda: NONCE)


def new_user(engine, role: str = "admin") -> str:
    name = f"akun-{uuid.uuid4().hex[:6]}"
    with write_session(engine) as session:
        create_user(session, actor=SYSTEM, username=name, full_name="Uji", password=TEST_PASSWORD, role=role)
    return name


def with_mfa(engine, name: str) -> str:
    secret = pyotp.random_base32()
    past = utcnow() - timedelta(minutes=2)
    with write_session(engine) as session:
        user = session.exec(select(User).where(User.username == name)).one()
        enable_mfa(session, actor=actor_of(user), secret=secret, code=pyotp.TOTP(secret).at(past), now=past)
    return secret


def mfa_on(engine, name: str) -> bool:
    with read_session(engine) as session:
        return session.exec(select(User.mfa_enabled_at).where(User.username == name)).one() is not None


def test_an_admin_without_two_step_verification_is_offered_only_the_account_page(
    app, demo_engine, monkeypatch
):
    monkeypatch.setenv("SPBE_MFA_REQUIRED_ROLES", "admin")
    at = sign_in(app(), demo_engine, new_user(demo_engine))
    assert not at.exception
    assert offers(at, "account.py") and not offers(at, "users.py") and not offers(at, "home.py")
    assert "verifikasi dua langkah" in at.warning[0].value


def test_enrolment_shows_a_local_qr_code_and_the_key_then_turns_on_with_a_code(app, demo_engine, monkeypatch):
    monkeypatch.setenv("SPBE_MFA_REQUIRED_ROLES", "admin")
    name = new_user(demo_engine)
    at = sign_in(app(), demo_engine, name)
    at = at.button(key="mfa_start").click().run()
    assert not at.exception
    secret = at.session_state["mfa_setup_secret"]
    (qr,) = at.html
    assert 'src="data:image/png;base64,' in qr.proto.body and "http" not in qr.proto.body
    assert any(secret in text.value for text in at.text)
    at.text_input(key="mfa_code").input("000000")
    at = at.form_submit_button[0].click().run()
    assert at.error and not mfa_on(demo_engine, name)
    at.text_input(key="mfa_code").input(pyotp.TOTP(secret).now())
    at = at.form_submit_button[0].click().run()
    assert not at.exception and mfa_on(demo_engine, name)
    codes = at.code[0].value.split("\n")
    assert len(codes) == 10
    assert offers(at, "users.py")  # enrolled: the admin's pages are back
    at = open_page(at, "account.py")
    assert not at.code  # the recovery codes were shown once


def test_signing_in_with_two_step_verification_asks_for_the_code_then_redirects(app, demo_engine):
    name = new_user(demo_engine, role="reviewer")
    secret = with_mfa(demo_engine, name)
    at = open_page(app(), "login.py")
    at.text_input(key="login_username").input(name)
    at.text_input(key="login_password").input(TEST_PASSWORD)
    at = at.form_submit_button[0].click().run()
    assert not at.exception and "login_redirect" not in at.session_state
    assert [box.key for box in at.text_input] == ["login_second_code"]
    at.text_input(key="login_second_code").input("000000")
    at = at.form_submit_button[0].click().run()
    assert at.error and "login_redirect" not in at.session_state
    at.text_input(key="login_second_code").input(pyotp.TOTP(secret).now())
    at = at.form_submit_button[0].click().run()
    assert not at.exception
    query = parse_qs(urlsplit(at.session_state["login_redirect"]).query)
    assert query["next"] == ["/verifikasi"]


def test_changing_ones_password_needs_the_current_one_and_a_strong_new_one_and_ends_the_session(
    app, demo_engine
):
    name = new_user(demo_engine, role="reviewer")
    token = token_for(demo_engine, name)
    at = open_page(sign_in(app(), demo_engine, name), "account.py")

    def change(current: str, new: str) -> AppTest:
        at.text_input(key="pw_current").input(current)
        at.text_input(key="pw_new").input(new)
        at.text_input(key="pw_repeat").input(new)
        return at.form_submit_button[-1].click().run()

    at = change("bukan-sandi-ini", "lumbung-padi-di-lereng-9")
    assert [e.value.replace("\\", "") for e in at.error] == ["Kata sandi saat ini salah."]
    at = change(TEST_PASSWORD, "password1234")
    assert "mudah ditebak" in at.error[0].value
    at = change(TEST_PASSWORD, "lumbung-padi-di-lereng-9")
    assert not at.exception and at.success
    with read_session(demo_engine) as session:
        assert user_for_token(session, token=token, touch=False) is None
