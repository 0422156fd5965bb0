"""Closing and reopening evaluation periods (admin): a closed period is read-only for everyone until it is
reopened; each change is audited. The service is `evaluation.services.periods.set_period_status`."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages import components as c
from evaluation.db import database_url, write_session
from evaluation.i18n import t
from evaluation.services.actors import PermissionDenied
from evaluation.services.auth import actor_of
from evaluation.services.periods import set_period_status


def period_status_form(user: Any, lang: str) -> None:
    """An expander listing every period with its status and one button to close or reopen the chosen one."""
    periods = c.periods(database_url())
    if not periods:
        return
    with st.expander(t("period.admin", lang), icon=":material/lock:"):
        st.caption(t("period.admin_help", lang))
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("home.period", lang): f"{p.year} · {p.framework_id}",
                        t("period.status", lang): t(f"period.{p.status}", lang),
                    }
                    for p in periods
                ]
            ),
            hide_index=True,
        )
        by_id = {p.id: p for p in periods}
        chosen_id = st.selectbox(
            t("home.period", lang),
            list(by_id),
            format_func=lambda i: f"{by_id[i].year} · {by_id[i].framework_id}",
            key="period_admin_choice",
        )
        chosen = by_id[chosen_id]
        target = "open" if chosen.status == "closed" else "closed"
        label = t("period.reopen" if target == "open" else "period.close", lang)
        if st.button(label, key="period_admin_apply"):
            try:
                with write_session(c.engine()) as session:
                    set_period_status(session, actor=actor_of(user), period_id=chosen.id, status=target)
            except PermissionDenied as exc:
                st.error(str(exc))
                return
            st.cache_data.clear()
            st.success(t("period.reopened" if target == "open" else "period.closed_done", lang))
