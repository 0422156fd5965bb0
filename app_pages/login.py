"""Sign in: password (and code) checked server-side; the browser then gets its HttpOnly session cookie
from /auth/session, which only this browser (its pre-sign-in nonce) can use."""

import time

import streamlit as st

from app_pages import components as c
from app_pages import widgets as w
from evaluation.db import read_session, write_session
from evaluation.i18n import t
from evaluation.models import User
from evaluation.services.auth import (
    AuthError,
    SecondFactorRequired,
    authenticate,
    create_handoff,
    verify_second_factor,
)
from evaluation.services.mfa import mfa_enabled, mfa_required
from evaluation.settings import session_max_lifetime

LANDING = {
    "operator": "/penilaian",
    "coordinator": "/penilaian",
    "reviewer": "/verifikasi",
    "admin": "/pengguna",
}
PENDING_SECONDS = 300  # the code must follow the password within five minutes

lang = c.current_lang()
st.title(t("auth.title", lang))
if st.query_params.get("login") == "expired":
    st.warning(t("auth.expired", lang))
nonce = c.browser_nonce()
if not nonce:  # the first page load sets the cookie; without cookies there is no safe sign-in
    st.warning(t("sec.need_cookie", lang))
    st.stop()


def finish(user: User, nonce: str) -> None:
    """Bind a one-time code to this browser's nonce and send the browser to /auth/session."""
    with write_session(c.engine()) as session:
        code = create_handoff(session, user=user, nonce=nonce)
    # a user who must enrol first gets only the account page, which is then the app's main page ("/")
    landing = "/" if mfa_required(user.role) and not mfa_enabled(user) else LANDING[user.role]
    st.session_state.pop("login_pending", None)
    target = f"/auth/session?code={code}&next={landing}"
    st.session_state["login_redirect"] = target
    st.success(t("auth.welcome", lang))
    st.link_button(t("auth.continue", lang), target)
    c.redirect(target)


pending = st.session_state.get("login_pending")
if pending and pending["until"] < time.time():
    st.session_state.pop("login_pending", None)
    pending = None

if pending:
    st.info(t("sec.code_needed", lang))
    with st.form("login_code_form"):
        second = st.text_input(t("sec.code", lang), key="login_second_code", max_chars=20)
        confirmed = st.form_submit_button(t("auth.submit", lang), type="primary")
    if confirmed:
        try:
            with read_session(c.engine()) as session:  # it commits in short steps: no lock over argon2
                user = verify_second_factor(
                    session, user_id=pending["user_id"], code=second, client=c.client_address()
                )
                session.expunge(user)
        except AuthError as exc:
            w.show_error(exc)
        else:
            finish(user, nonce)
    st.stop()

with st.form("login_form"):
    username = st.text_input(t("auth.username", lang), key="login_username")
    password = st.text_input(t("auth.password", lang), type="password", key="login_password")
    code = st.text_input(t("sec.code_optional", lang), key="login_code", max_chars=20)
    submitted = st.form_submit_button(t("auth.submit", lang), type="primary")
st.caption(t("sec.hint", lang, hours=f"{session_max_lifetime().total_seconds() / 3600:g}"))

if submitted:
    try:
        with read_session(c.engine()) as session:  # it commits in short steps: no lock over argon2
            user = authenticate(
                session,
                username=username,
                password=password,
                code=code.strip() or None,
                client=c.client_address(),
            )
            session.expunge(user)
    except AuthError as exc:
        w.show_error(exc)
    except SecondFactorRequired as needed:
        st.session_state["login_pending"] = {
            "user_id": needed.user_id,
            "until": time.time() + PENDING_SECONDS,
        }
        st.rerun()
    else:
        finish(user, nonce)
