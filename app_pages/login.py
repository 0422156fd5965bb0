"""Sign in: password checked server-side; the browser then gets its HttpOnly session cookie."""

import streamlit as st

from app_pages import components as c
from evaluation.db import write_session
from evaluation.i18n import t
from evaluation.services.auth import AuthError, authenticate, create_handoff

LANDING = {
    "operator": "/penilaian",
    "coordinator": "/penilaian",
    "reviewer": "/verifikasi",
    "admin": "/pengguna",
}

lang = c.current_lang()
st.title(t("auth.title", lang))
if st.query_params.get("login") == "expired":
    st.warning(t("auth.expired", lang))

with st.form("login_form"):
    username = st.text_input(t("auth.username", lang), key="login_username")
    password = st.text_input(t("auth.password", lang), type="password", key="login_password")
    submitted = st.form_submit_button(t("auth.submit", lang), type="primary")
st.caption(t("auth.hint", lang))

if submitted:
    try:
        with write_session(c.engine()) as session:
            user = authenticate(session, username=username, password=password)
            code = create_handoff(session, user=user)
            landing = LANDING[user.role]
    except AuthError as exc:
        c.show_error(exc)
    else:
        target = f"/auth/session?code={code}&next={landing}"
        st.session_state["login_redirect"] = target
        st.success(t("auth.welcome", lang))
        st.link_button(t("auth.continue", lang), target)
        c.redirect(target)
