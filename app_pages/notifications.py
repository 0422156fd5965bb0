"""Notifikasi: the signed-in user's own notifications, newest first, in the reader's language, with a link
to the page concerned; mark one or all read (issue 12)."""

from contextlib import suppress
from pathlib import Path

import streamlit as st

from app_pages import components as c
from app_pages import widgets as w
from app_pages.plain import md
from evaluation.db import read_session, write_session
from evaluation.i18n import fmt_date, t
from evaluation.services.notifications import mark_read, notification_text, notifications_for

PAGES = Path(__file__).resolve().parent
lang = c.current_lang()
actor = c.actor()
st.title(t("nt.title", lang))
if st.session_state.get("nt_flash"):
    st.success(st.session_state.pop("nt_flash"))

only_unread = st.toggle(t("nt.only_unread", lang), key="nt_only_unread")
with w.stop_on_refusal(), read_session(c.engine()) as session:
    items = notifications_for(session, actor=actor, limit=200, only_unread=only_unread)


def marked(**which: object) -> None:
    with write_session(c.engine()) as session:
        count = mark_read(session, actor=actor, **which)  # type: ignore[arg-type]
    st.session_state["nt_flash"] = t("nt.marked", lang, count=count)
    st.rerun()


if any(not item.read for item in items) and st.button(
    t("nt.mark_all", lang), key="nt_mark_all", icon=":material/done_all:"
):
    marked(all=True)
if not items:
    st.info(t("nt.empty", lang), icon=":material/notifications_none:")

for item in items:
    with st.container(border=True, key=f"nt_item_{item.id}"):
        head = fmt_date(item.created_at, lang)
        if not item.read:
            head = f"**:blue-badge[{t('nt.new', lang)}]** {head}"
        st.caption(head)
        # params may carry what users typed (agency names...): escaped, never rendered as Markdown
        st.markdown(notification_text(item.kind, item.params, lang, escape=md))
        cols = st.columns([1, 1, 3])
        if item.page and (PAGES / item.page).is_file():
            with suppress(st.errors.StreamlitAPIException):  # a page not in this role's navigation
                cols[0].page_link(
                    f"app_pages/{item.page}", label=t("nt.open", lang), icon=":material/open_in_new:"
                )
        if not item.read and cols[1].button(t("nt.mark_read", lang), key=f"nt_read_{item.id}"):
            marked(ids=[item.id])
