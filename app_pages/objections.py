"""Keberatan (issue 12): the objections awaiting a decision, those of the agencies the reviewer leads
first; per objection the current and requested level, the reason and the evidence; the lead reviewer
upholds or rejects with a reason after a confirmation that shows the index before and after."""

from typing import Any

import streamlit as st

from app_pages import components as c
from app_pages import widgets as w
from app_pages.evidence_files import evidence_download
from app_pages.level_input import fmt_level
from app_pages.objection_panels import objections_table
from app_pages.plain import md, plain_text, safe_link
from app_pages.widgets.decimal_cells import decimal_input
from app_pages.widgets.writes import written
from evaluation.db import read_session
from evaluation.i18n import N_, fmt_date, fmt_number, t
from evaluation.services.actors import PermissionDenied
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.objections import ObjectionView, decide_objection, decision_preview, objection_queue

lang = c.current_lang()
actor = c.actor()
st.title(t("ob.title", lang))
flash = st.session_state.pop("ob_flash", None)
if flash:
    st.success(flash, icon=":material/check_circle:")
st.caption(t("ob.queue_intro", lang))

with w.stop_on_refusal(), read_session(c.engine()) as session:
    pending = objection_queue(session, actor=actor)
    decided = objection_queue(session, actor=actor, statuses=("upheld", "rejected"))


def _evidence(item: ObjectionView) -> None:
    if item.evidence_id is None:
        return
    if item.evidence_kind == "link":
        safe_link(item.evidence_url, item.evidence_name, lang)
        return
    evidence_download(actor, item.evidence_id, key=f"ob_dl_{item.id}_{item.evidence_id}")


def _result(preview: Any, which: str) -> tuple[str, str]:
    result = getattr(preview, which)
    index = fmt_number(result.index_value, lang) if result.complete else "-"
    return index, result.predicate.label(lang) if result.predicate else "-"


def _confirm(item: ObjectionView, choice: dict[str, Any]) -> None:
    """The confirmation: what the decision publishes, then save or cancel."""
    try:
        with read_session(c.engine()) as session:
            preview = decision_preview(
                session,
                actor=actor,
                objection_id=item.id,
                new_level=choice["level"] if choice["uphold"] else item.current_level,
            )
    except (WorkflowError, PermissionDenied, LookupError) as exc:
        w.show_error(exc)
        st.session_state.pop("ob_pending", None)
        return
    index_before, predicate_before = _result(preview, "before")
    if choice["uphold"]:
        index_after, predicate_after = _result(preview, "after")
        text = t(
            "ob.confirm_uphold",
            lang,
            code=item.indicator_code,
            before=fmt_level(preview.level_before, lang),
            after=fmt_level(preview.level_after, lang),
            index_before=index_before,
            predicate_before=predicate_before,
            index_after=index_after,
            predicate_after=predicate_after,
        )
    else:
        text = t("ob.confirm_reject", lang, index_before=index_before, predicate_before=predicate_before)
    st.warning(text, icon=":material/help:")
    left, right = st.columns(2)
    if left.button(t("ob.confirm", lang), type="primary", key=f"ob_confirm_{item.id}") and written(
        decide_objection,
        actor=actor,
        objection_id=item.id,
        uphold=choice["uphold"],
        reason=choice["reason"],
        new_level=choice["level"] if choice["uphold"] else None,
    ):
        decision = t(N_("ob.status.upheld") if choice["uphold"] else N_("ob.status.rejected"), lang)
        st.session_state.pop("ob_pending", None)
        st.session_state["ob_flash"] = t(
            "ob.decided", lang, code=item.indicator_code, agency=md(item.agency_name), decision=decision
        )
        st.rerun()
    if right.button(t("ob.cancel", lang), key=f"ob_cancel_{item.id}"):
        st.session_state.pop("ob_pending", None)
        # the form was not drawn while confirming, so Streamlit dropped its values: give them back
        st.session_state[f"ob_uphold_{item.id}"] = choice["uphold"]
        st.session_state[f"ob_reason_{item.id}"] = choice["reason"]
        if choice["uphold"]:
            st.session_state[f"ob_new_level_{item.id}"] = choice["level"]
        st.rerun()


def _decision_form(item: ObjectionView) -> None:
    uphold = st.radio(
        t("ob.decision", lang),
        [True, False],
        format_func=lambda yes: t(N_("ob.uphold") if yes else N_("ob.reject"), lang),
        horizontal=True,
        key=f"ob_uphold_{item.id}",
    )
    level = None
    if uphold:
        level = decimal_input(  # in the reader's locale (2,5 / 2.5); the service checks the scale
            st,
            t("ob.new_level", lang),
            item.requested_level,
            lang,
            key=f"ob_new_level_{item.id}",
            required=False,
        )
    reason = st.text_area(t("ob.decision_reason", lang), key=f"ob_reason_{item.id}", max_chars=5_000)
    if st.button(t("ob.next", lang), key=f"ob_next_{item.id}"):
        st.session_state["ob_pending"] = {"id": item.id, "uphold": uphold, "level": level, "reason": reason}
        st.rerun()


if not pending:
    st.info(t("ob.queue_empty", lang))
for item in pending:
    mine = item.lead_reviewer_id == actor.user_id
    title = f"{md(item.agency_name)} · {item.year} · {item.indicator_code}"
    with st.expander(f"{title} · {t('ob.yours', lang)}" if mine else title, expanded=mine):
        cols = st.columns(2)
        cols[0].metric(t("ob.current", lang), fmt_level(item.current_level, lang))
        cols[1].metric(t("ob.requested_short", lang), fmt_level(item.requested_level, lang))
        st.caption(t("ob.filed_by", lang, who=md(item.filed_by or "-"), when=fmt_date(item.filed_at, lang)))
        plain_text(item.reason, t("ob.reason", lang))
        _evidence(item)
        if item.lead_reviewer_id is None:
            st.caption(t("ob.no_lead", lang))
        elif not mine:
            st.caption(t("ob.not_lead", lang))
        else:
            waiting = st.session_state.get("ob_pending")
            if waiting and waiting["id"] == item.id:
                _confirm(item, waiting)
            else:
                _decision_form(item)

if decided:
    st.markdown(f"#### {t('ob.decided_list', lang)}")
    st.dataframe(objections_table(decided, lang, agency=True), hide_index=True, width="stretch")
