"""An assessment's change history from the append-only audit log."""

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages import widgets as w
from evaluation.db import read_session
from evaluation.i18n import N_, fmt_date, t
from evaluation.services.audit import assessment_history
from evaluation.services.self_assessment import find_assessment

lang, url, actor = w.page_start(N_("au.title"), N_("au.caption"))

period = w.period_picker(c.periods(url), lang, key="au_period")
agency_id = w.agency_picker(actor, c.agency_options(url), lang, key="au_agency")

with w.stop_on_refusal(), read_session(c.engine()) as session:
    found = find_assessment(session, actor=actor, agency_id=agency_id, period_id=period.id)
    entries = assessment_history(session, actor=actor, assessment_id=found) if found else []

if not entries:
    st.info(t("au.empty", lang))
    st.stop()
st.dataframe(
    pd.DataFrame(
        [
            {
                t("au.when", lang): fmt_date(e.at, lang),
                t("au.who", lang): e.actor,
                t("au.action", lang): e.action,
                t("au.field", lang): e.field or "",
                t("au.old", lang): e.old_value or "",
                t("au.new", lang): e.new_value or "",
            }
            for e in entries
        ]
    ),
    hide_index=True,
    width="stretch",
)
