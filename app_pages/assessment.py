"""Self-assessment: per indicator a level against the criteria, a justification, evidence; autosaved."""

from typing import Any

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages import form_state, objection_panels, teamwork
from app_pages import indicator_form as form
from app_pages import widgets as w
from app_pages.minute_form import minutes_expander
from app_pages.plain import md
from app_pages.report_buttons import agency_report_button
from app_pages.widgets.confirmations import ask, confirm_box, counts_fact, open_question_count, result_fact
from app_pages.widgets.index_metric import index_metric
from evaluation.db import read_session, write_session
from evaluation.formats import fmt_short, text_columns
from evaluation.i18n import N_, fmt_number, t, tn
from evaluation.services.actors import PermissionDenied
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.assessment_view import view_assessment
from evaluation.services.self_assessment import find_assessment, open_assessment, submit
from evaluation.workflow import AGENCY_EDITABLE, AGENCY_ROLES, AssessmentStatus, Role

lang, url, actor = w.page_start(N_("as.title"))

period = w.period_picker(c.periods(url), lang, key="as_period", open_first=True, with_status=True)
agency_id = w.agency_picker(actor, c.agency_options(url), lang, key="as_agency")

with w.stop_on_refusal(), read_session(c.engine()) as session:
    found = find_assessment(session, actor=actor, agency_id=agency_id, period_id=period.id)

if found is None:
    st.info(t("as.none", lang))
    can_open = actor.role in AGENCY_ROLES and period.status == "open"
    if can_open and st.button(t("as.start", lang), type="primary", key="as_start"):
        try:
            with write_session(c.engine()) as session:
                open_assessment(session, actor=actor, agency_id=agency_id, period_id=period.id)
        except (WorkflowError, PermissionDenied) as exc:
            w.show_error(exc)
        else:
            st.rerun()
    st.stop()

with read_session(c.engine()) as session:
    view = view_assessment(session, actor=actor, assessment_id=found)
form_state.remember_version(view)
editable = actor.role in AGENCY_ROLES and view.status in AGENCY_EDITABLE

st.subheader(md(view.agency_name))
head = st.columns([1, 1, 2])
head[0].metric(t("as.status", lang), t(f"status.{view.status}", lang))
preview = view.result("self")
if preview.complete:
    index_metric(head[1], t("as.would_be", lang), preview, lang)
else:
    head[1].metric(
        t("as.would_be", lang),
        "-",
        tn("as.missing_n", len(preview.missing), lang),
        delta_color="off",
        delta_arrow="off",
    )
with head[2]:
    st.progress(view.filled / view.total, text=t("as.progress", lang, filled=view.filled, total=view.total))
if view.status == AssessmentStatus.FINAL:
    final = view.result("final")
    st.success(
        f"{t('as.final', lang)}: {t('word.index', lang)} {fmt_number(final.index_value, lang)} · "
        f"{final.predicate.label(lang) if final.predicate else '-'}"
    )
for note in [n for n in view.notes if n.kind == "return"][-1:]:
    if view.status == AssessmentStatus.RETURNED:
        st.warning(f"**{t('as.returned', lang)}** — {md(note.text)}", icon=":material/undo:")
if not editable:
    st.caption(t("as.readonly", lang))
minutes_expander(actor, view, lang, key="as_minutes")  # the interview and site visit minutes, read-only
agency_report_button(actor, agency_id, period, lang, key="as_report")
teamwork.delegation_panel(view, actor, lang)  # issue 13: units, assignments, progress
objection_panels.objection_panel(view, actor, lang)  # issue 12: objections to a final result
form_state.show_flash(lang)
mine = teamwork.mine(view, actor)
marks, held, unread = teamwork.marks(view, actor, lang)

st.markdown(f"#### {t('as.overview', lang)}")
rows: list[dict[str, Any]] = []
fw = view.framework


def group_path(code: str) -> str:
    """The domain and aspect an indicator sits in, e.g. 'D2 › A3'."""
    path = []
    while code in fw.parent_of:
        code = fw.parent_of[code]
        path.append(code)
    return " › ".join(reversed(path))


for indicator in view.framework.indicators:
    score = view.scores[indicator.code]
    rows.append(
        {
            t("as.group", lang): group_path(indicator.code),
            t("word.code", lang): indicator.code,
            t("word.indicator", lang): indicator.label(lang),
            t("rv.self", lang): score.self_level,
            t("as.justification", lang): "✓" if score.justification else "",
            t("as.evidence", lang): len(score.evidence),
            t("rv.final", lang): score.final_level,
            t("tw.assigned_to", lang): held[indicator.code].holder if indicator.code in held else "",
            t("tw.marks", lang): marks[indicator.code],
        }
    )
# levels as text in the reader's locale (2,5 on a fractional scale), a dash when empty, never "None"
overview = text_columns(pd.DataFrame(rows), [t("rv.self", lang), t("rv.final", lang)], lang, fmt=fmt_short)
st.dataframe(overview, hide_index=True, width="stretch", height=260)

codes = [i.code for i in view.framework.indicators]
code = st.selectbox(
    t("as.pick", lang),
    codes,
    key="as_indicator",
    format_func=lambda k: f"{group_path(k)} › {k} · {view.framework.indicator_by_code[k].label(lang)}",
)
own = editable and (mine is None or code in mine)
if editable and not own:
    st.caption(t("tw.not_yours", lang))
form.indicator_editor(view, code, editable=own, actor=actor, lang=lang)
teamwork.unit_actions(view, code, actor, held.get(code), own, lang)
teamwork.thread_panel(view, code, actor, lang, unread.get(code, 0))

if editable:
    st.divider()
    if ask(
        "as_submit",
        t("as.submit", lang),
        type="primary",
        help=t("as.submit_help", lang),
        disabled=actor.role != Role.COORDINATOR,
    ) and confirm_box(  # issue 12: what will be submitted, and to whom, before it goes
        "as_submit",
        [
            t("sg.submit_what", lang, agency=md(view.agency_name), year=view.year),
            result_fact(view, "self", lang),
            counts_fact(view, lang, open_question_count(view.id), reviewer=False),
        ],
        t("sg.submit_confirm", lang),
        lang,
    ):
        try:
            with write_session(c.engine()) as session:
                submit(
                    session, actor=actor, assessment_id=view.id, expected_version=form_state.version_of(view)
                )
        except (WorkflowError, PermissionDenied) as exc:
            w.show_error(exc)
        else:
            form_state.flash(t("as.submitted", lang))
            st.rerun()
