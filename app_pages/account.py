"""Account security, for every signed-in user: two-step verification (TOTP) and the password."""

import html

import streamlit as st

from app_pages import components as c
from app_pages import widgets as w
from evaluation.db import read_session, write_session
from evaluation.i18n import fmt_date, t
from evaluation.services.auth import AuthError
from evaluation.services.mfa import (
    MfaError,
    enable_mfa,
    mfa_enabled,
    mfa_required,
    new_secret,
    provisioning_uri,
    qr_data_uri,
    recovery_codes_left,
)
from evaluation.services.passwords import MAX_LENGTH, PasswordRejected
from evaluation.services.users import change_own_password, set_email, turn_off_own_mfa

lang = c.current_lang()
user = c.current_user()
if user is None:
    st.stop()
actor = c.actor()
st.title(t("sec.title", lang))
enrolled = mfa_enabled(user)
if mfa_required(user.role) and not enrolled:
    st.warning(t("sec.must_enrol", lang), icon=":material/lock:")


def signed_out(message_key: str) -> None:
    """Every session of the user has ended: say so, then clear the cookie through /auth/logout."""
    st.success(t(message_key, lang))
    st.session_state.pop("session_token", None)
    c.redirect("/auth/logout")
    st.stop()


st.subheader(t("sec.mfa", lang))
codes = st.session_state.pop("mfa_recovery_codes", None)
if codes:  # shown once, right after enrolment
    st.success(t("sec.enabled", lang))
    st.warning(t("sec.recovery", lang))
    st.code("\n".join(codes), language=None)
if enrolled:
    with read_session(c.engine()) as session:
        left = recovery_codes_left(session, user_id=user.id)
    st.write(t("sec.mfa_on", lang, since=fmt_date(user.mfa_enabled_at, lang), left=left))
    with st.form("mfa_off"):
        current = st.text_input(t("sec.current", lang), type="password", key="mfa_off_password")
        if st.form_submit_button(t("sec.disable", lang)):
            try:
                with write_session(c.engine()) as session:
                    turn_off_own_mfa(
                        session, actor=actor, current_password=current, client=c.client_address()
                    )
            except AuthError as exc:
                w.show_error(exc)
            else:
                signed_out("sec.disabled")
else:
    st.caption(t("sec.mfa_off", lang))
    if st.button(t("sec.start", lang), key="mfa_start"):
        st.session_state["mfa_setup_secret"] = new_secret()
    secret = st.session_state.get("mfa_setup_secret")
    if secret:
        st.caption(t("sec.scan", lang))
        qr = qr_data_uri(provisioning_uri(secret, user.username))
        st.html(f'<img alt="QR" src="{html.escape(qr)}" width="220" height="220">')
        st.text(f"{t('sec.secret', lang)}: {secret}")
        with st.form("mfa_confirm"):
            first_code = st.text_input(t("sec.code", lang), key="mfa_code", max_chars=8)
            if st.form_submit_button(t("sec.enable", lang), type="primary"):
                try:
                    with write_session(c.engine()) as session:
                        new_codes = enable_mfa(session, actor=actor, secret=secret, code=first_code)
                except MfaError as exc:
                    w.show_error(exc)
                else:
                    st.session_state.pop("mfa_setup_secret", None)
                    st.session_state["mfa_recovery_codes"] = new_codes
                    st.rerun()

st.subheader(t("nt.email", lang))
if st.session_state.pop("nt_email_saved", False):
    st.success(t("nt.email_saved", lang))
with st.form("own_email"):
    email = st.text_input(
        t("nt.email", lang), value=user.email or "", key="own_email", help=t("nt.email_help", lang)
    )
    if st.form_submit_button(t("nt.email_save", lang)):
        try:
            with write_session(c.engine()) as session:
                set_email(session, actor=actor, user_id=user.id, email=email)
        except ValueError as exc:
            w.show_error(exc)
        else:
            st.session_state["nt_email_saved"] = True
            st.rerun()

st.subheader(t("sec.password", lang))
st.caption(t("sec.password_rules", lang))
with st.form("password_change", clear_on_submit=True):
    current = st.text_input(t("sec.current", lang), type="password", key="pw_current")
    new = st.text_input(t("sec.new", lang), type="password", key="pw_new", max_chars=MAX_LENGTH)
    repeat = st.text_input(t("sec.repeat", lang), type="password", key="pw_repeat", max_chars=MAX_LENGTH)
    if st.form_submit_button(t("sec.password", lang), type="primary"):
        if new != repeat:
            st.error(t("sec.mismatch", lang))
        else:
            try:
                with write_session(c.engine()) as session:
                    change_own_password(
                        session,
                        actor=actor,
                        current_password=current,
                        new_password=new,
                        client=c.client_address(),
                    )
            except (AuthError, PasswordRejected) as exc:
                w.show_error(exc)
            else:
                signed_out("sec.changed")
