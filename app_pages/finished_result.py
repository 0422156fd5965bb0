"""The finished result of one assessment on the verification page, shown right after it is finalized (and
whenever a final assessment is picked): the header, index and predicate, the index per domain and aspect,
the report, the minutes and the recommendations, which the reviewer writes on finalizing. It names the
assessment just finalized, never the next one in the queue."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages.minute_form import minutes_expander
from app_pages.recommendation_panels import recommendations_panel
from app_pages.report_buttons import agency_report_button
from app_pages.stage_steps import review_header
from evaluation.db import database_url, read_session
from evaluation.i18n import fmt_number, t
from evaluation.services.assessment_view import view_assessment

FINISHED = "rv_finished"  # session key: the id of the assessment this reviewer just finalized


def groups_frame(view: Any, lang: str) -> pd.DataFrame:
    """The final result per domain and aspect, in framework order."""
    fw = view.framework
    result = view.result("final")
    rows = []
    for kind in fw.hierarchy:
        values = result.values_of(kind)
        for group in fw.groups_of_kind(kind):
            rows.append(
                {
                    t("sg.kind", lang): t(f"sg.kind_{kind}", lang),
                    t("word.code", lang): group.code,
                    t("sg.group", lang): group.label(lang),
                    t("word.index", lang): fmt_number(values.get(group.code), lang),
                }
            )
    return pd.DataFrame(rows)


def finished_view(actor: Any, view: Any, lang: str) -> None:
    """The final result of `view` (an assessment with status "final")."""
    review_header(view, lang)
    result = view.result("final")
    predicate = result.predicate.label(lang) if result.predicate else "-"
    with st.container(border=True, key="rv_finished_box"):
        st.markdown(f"#### :material/verified: {t('sg.finished', lang)}")
        st.metric(
            t("word.index", lang),
            fmt_number(result.index_value, lang),
            predicate,
            delta_color="off",
            delta_arrow="off",
        )
        st.markdown(f"**{t('sg.groups', lang)}**")
        st.dataframe(groups_frame(view, lang), hide_index=True, width="stretch")
        period = next((p for p in c.periods(database_url()) if p.id == view.period_id), None)
        if period is not None:
            agency_report_button(actor, view.agency_id, period, lang, key="rv_finished_report")
    minutes_expander(actor, view, lang, key="rv_finished")
    recommendations_panel(view, actor, lang)  # "on finalizing, the reviewer writes recommendations"


def finished_panel(actor: Any, lang: str) -> bool:
    """When this reviewer has just finalized an assessment: its finished result and a way back to the
    queue. True when the panel was shown (the page then shows nothing else)."""
    finished = st.session_state.get(FINISHED)
    if finished is None:
        return False
    with read_session(c.engine()) as session:
        view = view_assessment(session, actor=actor, assessment_id=finished)
    finished_view(actor, view, lang)
    if st.button(t("sg.back_to_queue", lang), key="rv_back_to_queue", icon=":material/list:"):
        st.session_state.pop(FINISHED, None)
        st.rerun()
    return True
