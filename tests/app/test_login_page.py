"""The sign-in page in AppTest: the form, refusals, the one-time code, and the pages each role is offered."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import components
from evaluation.db import write_session
from evaluation.services.auth import redeem_handoff, user_for_token
from tests.app.signed_in import PAGES, PASSWORDS, offers, open_page, sign_in

pytestmark = pytest.mark.app
NONCE = "nonce-set-by-the-first-page-load"


@pytest.fixture(autouse=True)
def browser_with_nonce(monkeypatch: pytest.MonkeyPatch) -> None:
    """AppTest cannot send cookies: the page reads this browser's pre-sign-in nonce from here instead."""
    monkeypatch.setattr(components, "browser_nonce", lambda: NONCE)


def submit_login(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    return at.button[0].click().run()


def test_the_login_page_shows_a_form_with_indonesian_labels(app):
    at = open_page(app(), "login.py")
    assert not at.exception
    assert at.title[0].value == "Masuk"
    assert [box.label for box in at.text_input] == [
        "Nama pengguna",
        "Kata sandi",
        "Kode autentikator (jika diaktifkan)",
    ]
    assert (
        at.text_input(key="login_password").proto.type == at.text_input(key="login_password").proto.PASSWORD
    )
    assert [b.label for b in at.button] == ["Masuk"]


def test_the_login_page_in_english_asks_for_a_username(app):
    at = open_page(app(lang="en"), "login.py")
    assert at.title[0].value == "Sign in"
    assert [box.label for box in at.text_input][:2] == ["Username", "Password"]


def test_a_wrong_password_is_refused_without_a_redirect(app):
    at = submit_login(open_page(app(), "login.py"), "koordinator", "bukan-kata-sandinya")
    assert not at.exception
    assert [e.value.replace("\\", "") for e in at.error] == ["Nama pengguna atau kata sandi salah."]
    assert "login_redirect" not in at.session_state
    assert not at.success and not at.get("link_button")


def test_an_unknown_user_gets_the_same_refusal_as_a_wrong_password(app):
    at = submit_login(open_page(app(), "login.py"), "tidak-ada", "apa-saja-boleh")
    assert [e.value.replace("\\", "") for e in at.error] == ["Nama pengguna atau kata sandi salah."]


def test_the_right_password_stores_a_redirect_whose_code_works_exactly_once(app, demo_engine):
    at = submit_login(open_page(app(), "login.py"), " Operator ", PASSWORDS["operator"])
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Berhasil masuk. Mengalihkan..."]
    target = at.session_state["login_redirect"]
    parts = urlsplit(target)
    assert parts.path == "/auth/session"
    query = parse_qs(parts.query)
    assert query["next"] == ["/penilaian"]
    assert at.get("link_button")[0].proto.url == target
    with write_session(demo_engine) as session:
        elsewhere = redeem_handoff(session, code=query["code"][0], nonce="another-browsers-nonce")
        token = redeem_handoff(session, code=query["code"][0], nonce=NONCE)
        again = redeem_handoff(session, code=query["code"][0], nonce=NONCE)
        user = user_for_token(session, token=token)
        assert user is not None and user.username == "operator"
    assert elsewhere is None and token and again is None


def test_a_reviewer_is_sent_to_the_verification_page(app):
    at = submit_login(open_page(app(), "login.py"), "asesor", PASSWORDS["asesor"])
    assert parse_qs(urlsplit(at.session_state["login_redirect"]).query)["next"] == ["/verifikasi"]


@pytest.mark.parametrize(
    ("username", "offered", "withheld"),
    [
        ("operator", ["assessment.py", "audit.py"], ["verification.py", "users.py", "login.py"]),
        ("koordinator", ["assessment.py", "audit.py"], ["verification.py", "users.py"]),
        ("asesor", ["verification.py", "assessment.py", "audit.py"], ["users.py", "login.py"]),
        ("admin", ["users.py", "audit.py"], ["assessment.py", "verification.py", "login.py"]),
    ],
)
def test_after_sign_in_the_navigation_offers_the_roles_pages(app, demo_engine, username, offered, withheld):
    at = sign_in(app(), demo_engine, username)
    assert not at.exception
    assert isinstance(at.session_state["session_token"], str)
    assert [name for name in offered if offers(at, name)] == offered
    assert [name for name in withheld if offers(at, name)] == []
    assert any(m.value.startswith("**") and username in m.value for m in at.sidebar.markdown)


def test_switching_to_an_offered_page_runs_it(app, demo_engine):
    at = open_page(sign_in(app(), demo_engine, "asesor"), "verification.py")
    assert not at.exception
    assert at.title[0].value == "Verifikasi"


def test_an_anonymous_visitor_is_offered_no_work_pages(app):
    at = app()
    assert offers(at, "login.py")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/assessment.py")


@pytest.mark.usefixtures("app")  # for DATABASE_URL and clean caches
def test_the_assessment_page_run_directly_without_a_session_stops_before_showing_anything():
    at = AppTest.from_file(str(PAGES / "assessment.py"), default_timeout=60).run()
    assert not at.exception
    assert not at.title and not at.selectbox and not at.button


def test_an_unknown_session_token_is_dropped_and_the_login_page_comes_back(app):
    at = app()
    at.session_state["session_token"] = "tidak-pernah-diterbitkan"
    at.run()
    assert "session_token" not in at.session_state
    assert offers(at, "login.py") and not offers(at, "assessment.py")


def test_without_the_nonce_cookie_the_page_asks_for_cookies_and_shows_no_form(app, monkeypatch):
    monkeypatch.setattr(components, "browser_nonce", lambda: None)
    at = open_page(app(), "login.py")
    assert not at.exception
    assert not at.text_input and "cookie" in at.warning[0].value
