"""Users, for the administrator: create, activate or deactivate, change a role, reset a password or
two-step verification (each of these ends the user's sessions)."""

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages import widgets as w
from app_pages.widgets.writes import written
from evaluation.db import database_url, read_session
from evaluation.i18n import t
from evaluation.models import ROLES
from evaluation.services.mfa import mfa_enabled, reset_mfa
from evaluation.services.users import (
    create_user,
    list_users,
    reset_password,
    set_email,
    set_user_active,
    set_user_role,
)

lang = c.current_lang()
actor = c.actor()
st.title(t("us.title", lang))
agencies = c.agency_codes(database_url())
if st.session_state.get("us_flash"):
    st.success(st.session_state.pop("us_flash"))

with w.stop_on_refusal(), read_session(c.engine()) as session:
    users = list_users(session, actor=actor)

names = {a_id: name for a_id, (_code, name) in agencies.items()}
st.dataframe(
    pd.DataFrame(
        [
            {
                t("auth.username", lang): u.username,
                t("us.full_name", lang): u.full_name,
                t("us.role", lang): t(f"role.{u.role}", lang),
                t("as.agency", lang): names.get(u.agency_id or -1, ""),
                t("us.active", lang): u.active,
                t("us.mfa", lang): mfa_enabled(u),
                t("nt.email", lang): u.email or "",
            }
            for u in users
        ]
    ),
    hide_index=True,
    width="stretch",
)


def run(action, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if written(action, actor=actor, **kwargs):
        st.session_state["us_flash"] = t("us.done", lang)
        st.rerun()  # the list above shows the change


def role_and_agency(cols: Sequence[Any], key: str) -> tuple[str, str | None]:
    """A role and an agency (or none) side by side in `cols`: (the role, the agency's code or None)."""
    role = cols[0].selectbox(
        t("us.role", lang), ROLES, format_func=lambda r: t(f"role.{r}", lang), key=f"{key}_role"
    )
    agency = cols[1].selectbox(
        t("us.agency", lang),
        [None, *agencies],
        key=f"{key}_agency",
        format_func=lambda a: "-" if a is None else f"{agencies[a][0]} · {agencies[a][1]}",
    )
    return role, agencies[agency][0] if agency is not None else None


with st.form("us_create", clear_on_submit=True):
    st.markdown(f"#### {t('us.create', lang)}")
    cols = st.columns(2)
    username = cols[0].text_input(t("auth.username", lang), key="us_username")
    full_name = cols[1].text_input(t("us.full_name", lang), key="us_full_name")
    role, agency_code = role_and_agency(cols, "us")
    password = st.text_input(t("auth.password", lang), type="password", key="us_password")
    if st.form_submit_button(t("us.create", lang), type="primary"):
        run(
            create_user,
            username=username,
            full_name=full_name,
            password=password,
            role=role,
            agency_code=agency_code,
        )

by_id = {u.id: u for u in users}
pick = st.selectbox(t("us.pick", lang), list(by_id), format_func=lambda i: by_id[i].username, key="us_pick")
cols = st.columns(2)
if cols[0].button(t("us.toggle", lang), key="us_toggle"):
    run(set_user_active, user_id=pick, active=not by_id[pick].active)
new_password = cols[1].text_input(t("us.new_password", lang), type="password", key="us_new_password")
if cols[1].button(t("us.reset", lang), key="us_reset"):
    run(reset_password, user_id=pick, password=new_password)
if cols[0].button(t("us.mfa_reset", lang), key="us_mfa_reset", disabled=not mfa_enabled(by_id[pick])):
    run(reset_mfa, user_id=pick)
new_role, new_agency_code = role_and_agency(cols, "us_new")
if cols[0].button(t("us.role_change", lang), key="us_role_change"):
    run(set_user_role, user_id=pick, role=new_role, agency_code=new_agency_code)
new_email = cols[1].text_input(
    t("nt.email", lang), value=by_id[pick].email or "", key=f"us_email_{pick}", help=t("nt.email_help", lang)
)
if cols[1].button(t("nt.email_save", lang), key="us_email_save"):
    run(set_email, user_id=pick, email=new_email)
