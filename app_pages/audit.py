"""An assessment's change history from the append-only audit log."""

import pandas as pd
import streamlit as st

from app_pages import components as c
from evaluation.db import database_url, read_session
from evaluation.i18n import fmt_date, t
from evaluation.services.actors import PermissionDenied
from evaluation.services.audit import assessment_history
from evaluation.services.self_assessment import find_assessment

lang = c.current_lang()
url = database_url()
actor = c.actor()
st.title(t("au.title", lang))
st.caption(t("au.caption", lang))

periods = sorted(c.periods(url), key=lambda p: -p.year)
period = st.selectbox(
    t("as.period", lang), periods, key="au_period", format_func=lambda p: f"{p.year} · {p.framework_id}"
)
if actor.agency_id is not None:
    agency_id = actor.agency_id
else:
    options = c.agency_options(url)
    agency_id = st.selectbox(
        t("as.agency", lang), list(options), format_func=options.__getitem__, key="au_agency"
    )

try:
    with read_session(c.engine()) as session:
        found = find_assessment(session, actor=actor, agency_id=agency_id, period_id=period.id)
        entries = assessment_history(session, actor=actor, assessment_id=found) if found else []
except PermissionDenied as exc:
    c.show_error(exc)
    st.stop()

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
