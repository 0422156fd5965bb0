"""The assessment page's objection part (issue 12): on a final result, the window and its days left, what
changed on upheld objections, the objections filed with their decisions, and for the agency's coordinator
a form to file one per indicator. The rules are the service's (evaluation/services/objections.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages import form_state
from app_pages.level_input import fmt_level
from app_pages.widgets.decimal_cells import decimal_input
from app_pages.widgets.writes import written
from evaluation.db import read_session
from evaluation.i18n import fmt_date, t
from evaluation.services.actors import Actor
from evaluation.services.assessment_view import AssessmentView
from evaluation.services.evidence import agency_documents
from evaluation.services.objections import (
    ObjectionView,
    ObjectionWindow,
    changed_lines,
    file_objection,
    objections_of,
    window_of,
)
from evaluation.workflow import AssessmentStatus, Role


def objections_table(objections: list[ObjectionView], lang: str, *, agency: bool = False) -> pd.DataFrame:
    """The objections as a table (dataframe cells are plain text: reasons show as typed)."""
    return pd.DataFrame(
        [
            {
                **({t("ob.col.agency", lang): f"{o.agency_name} · {o.year}"} if agency else {}),
                t("ob.col.code", lang): o.indicator_code,
                t("ob.col.status", lang): t(f"ob.status.{o.status}", lang),
                t("ob.col.requested", lang): fmt_level(o.requested_level, lang),
                t("ob.col.reason", lang): o.reason,
                t("ob.col.filed_at", lang): fmt_date(o.filed_at, lang),
                t("ob.col.decision", lang): o.decision_reason or "",
                t("ob.col.before", lang): fmt_level(o.level_before, lang) if o.status == "upheld" else "",
                t("ob.col.after", lang): fmt_level(o.level_after, lang) if o.status == "upheld" else "",
                t("ob.col.decided_by", lang): o.decided_by or "",
            }
            for o in objections
        ]
    )


def _window_caption(window: ObjectionWindow, today: date, lang: str) -> None:
    if window.closes_on is None:
        st.info(t("ob.window_unset", lang), icon=":material/event_busy:")
    elif window.is_open(today):
        opens = fmt_date(window.opens_on, lang) if window.opens_on else t("ob.window_from_final", lang)
        st.caption(
            t(
                "ob.window",
                lang,
                opens=opens,
                closes=fmt_date(window.closes_on, lang),
                days=window.days_left(today),
            )
        )
    else:
        st.caption(t("ob.window_closed", lang, closes=fmt_date(window.closes_on, lang)))


def objection_panel(view: AssessmentView, actor: Actor, lang: str) -> None:
    """The objection part of a final assessment (nothing on other statuses)."""
    if view.status != AssessmentStatus.FINAL:
        return
    with read_session(c.engine()) as session:
        objections = objections_of(session, actor=actor, assessment_id=view.id)
        window = window_of(session, actor=actor, assessment_id=view.id)
        documents = (
            agency_documents(session, actor=actor, agency_id=view.agency_id)
            if actor.role == Role.COORDINATOR
            else []
        )
    for line in changed_lines(objections, lang):
        st.info(line, icon=":material/gavel:")
    st.markdown(f"#### {t('ob.heading', lang)}")
    today = date.today()
    _window_caption(window, today, lang)
    if objections:
        st.caption(t("ob.list", lang))
        st.dataframe(objections_table(objections, lang), hide_index=True, width="stretch")
    else:
        st.caption(t("ob.none", lang))
    if actor.role == Role.COORDINATOR and actor.agency_id == view.agency_id and window.is_open(today):
        _file_form(view, actor, objections, documents, lang)


def _level_input(view: AssessmentView, code: str, lang: str) -> Any:
    """The requested level: a choice of the scale's levels, or a number on fractional frameworks."""
    framework = view.framework
    scale = framework.scale_of(framework.indicator_by_code[code])
    if framework.fractional_values:
        return decimal_input(st, t("ob.requested", lang), None, lang, key=f"ob_level_{code}", required=False)
    labels = {lv.level: lv.label(lang) for lv in scale.levels}
    options: list[int | None] = [None, *labels]
    return st.selectbox(
        t("ob.requested", lang),
        options,
        format_func=lambda n: t("ob.no_level", lang) if n is None else f"{n} · {labels[n]}",
        key=f"ob_level_{code}",
    )


def _file_form(
    view: AssessmentView, actor: Actor, objections: list[ObjectionView], documents: list[Any], lang: str
) -> None:
    taken = {o.indicator_code for o in objections}
    codes = [
        i.code
        for i in view.framework.indicators
        if i.code not in taken
        and not view.scores[i.code].not_applicable
        and view.scores[i.code].final_level is not None
    ]
    if not codes:
        st.caption(t("ob.all_filed", lang))
        return
    with st.expander(t("ob.file_heading", lang), icon=":material/gavel:"):
        st.caption(t("ob.file_help", lang))
        code = st.selectbox(
            t("ob.indicator", lang),
            codes,
            key="ob_code",
            format_func=lambda k: (
                f"{k} · {view.framework.indicator_by_code[k].label(lang)} · "
                f"{fmt_level(view.scores[k].final_level, lang)}"
            ),
        )
        level = _level_input(view, code, lang)
        reason = st.text_area(t("ob.reason", lang), key=f"ob_reason_{code}", max_chars=5_000)
        names = {d.id: d.filename for d in documents}
        evidence = st.selectbox(
            t("ob.evidence", lang),
            [None, *names],
            format_func=lambda i: (
                t("ob.no_evidence", lang) if i is None else names[i]
            ),  # options are plain text
            key=f"ob_evidence_{code}",
        )
        if st.button(t("ob.submit", lang), type="primary", key="ob_submit") and written(
            file_objection,
            actor=actor,
            assessment_id=view.id,
            indicator_code=code,
            reason=reason,
            requested_level=level,
            evidence_id=evidence,
        ):
            form_state.flash(t("ob.filed", lang, code=code))
            st.rerun()
