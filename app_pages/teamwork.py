"""Agency teamwork on the assessment page (issue 13): the coordinator's delegation panel (units, members,
assignments, progress per unit and person with its CSV), the marks of each indicator in the list, a
unit's "ready" and the coordinator's "send back", and the indicator's conversation. User text (names,
notes, messages) is shown with st.text / dataframes or escaped with `md`."""

from __future__ import annotations

from typing import Any, NamedTuple

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages.plain import md
from app_pages.widgets.writes import written
from evaluation.db import read_session, write_session
from evaluation.excel_io.cells import neutralise
from evaluation.i18n import fmt_date, t
from evaluation.models import Assessment
from evaluation.services.actors import Actor
from evaluation.services.assessment_view import AssessmentView
from evaluation.services.delegation import (
    assign,
    create_unit,
    editable_codes,
    list_units,
    set_operators_edit_all,
    set_user_unit,
)
from evaluation.services.delegation_flow import Holding, holdings, mark_ready, members, progress, send_back
from evaluation.services.evidence import agency_documents
from evaluation.services.threads import mark_read, open_questions, post_message, thread, unread_counts
from evaluation.workflow import AGENCY_EDITABLE, AGENCY_ROLES, Role


def _nobody_first(nobody: str, named: dict[int, str]) -> dict[int | None, str]:
    """Labels of a picker whose first choice is nobody (None), then `named` {id: label} in its order."""
    labels: dict[int | None, str] = {None: nobody}
    for key, label in named.items():
        labels[key] = label
    return labels


def _write(action: Any, done: str, **kwargs: Any) -> bool:
    if not written(action, **kwargs):
        return False
    st.session_state["as_flash"] = done
    return True


def mine(view: AssessmentView, actor: Actor) -> frozenset[str] | None:
    """The codes this user may edit (None: all; empty for the ministry)."""
    with read_session(c.engine()) as session:
        assessment = session.get(Assessment, view.id)
        return frozenset() if assessment is None else editable_codes(session, actor, assessment)


class Marks(NamedTuple):
    """What the indicator list shows: `labels` {code: the marks}, `held` {code: who holds it}, `unread`
    {code: messages by others this user has not seen} (the thread panel's marker uses it too)."""

    labels: dict[str, str]
    held: dict[str, Holding]
    unread: dict[str, int]


def marks(view: AssessmentView, actor: Actor, lang: str) -> Marks:
    """The marks of every indicator of the list (see Marks), from one read session."""
    with read_session(c.engine()) as session:
        held = holdings(session, actor=actor, assessment_id=view.id)
        unread = unread_counts(session, actor=actor, assessment_id=view.id)
        questions = open_questions(session, view.id)
    result: dict[str, str] = {}
    for code, score in view.scores.items():
        parts = []
        if score.reviewer_note:
            parts.append("📝 " + t("tw.mark_note", lang))
        if code in questions:
            parts.append("❓ " + t("tw.mark_question", lang))
        if code in held and held[code].status == "returned":
            parts.append("↩ " + t("tw.mark_returned", lang))
        if code in held and held[code].status == "ready":
            parts.append("✓ " + t("tw.mark_ready", lang))
        if unread.get(code):
            parts.append("💬 " + t("tw.mark_unread", lang, n=unread[code]))
        result[code] = " · ".join(parts)
    return Marks(result, held, unread)


def progress_table(view: AssessmentView, actor: Actor, lang: str) -> pd.DataFrame:
    """Progress per unit and per person as the page and its CSV show it."""
    with read_session(c.engine()) as session:
        rows = progress(session, actor=actor, assessment_id=view.id)
    return pd.DataFrame(
        [
            {
                t("tw.kind", lang): t(f"tw.kind_{p.kind}", lang),
                t("tw.name", lang): p.name,
                t("tw.count_assigned", lang): p.assigned,
                t("tw.count_filled", lang): p.filled,
                t("tw.count_evidence", lang): p.with_evidence,
                t("tw.count_ready", lang): p.ready,
                t("tw.count_returned", lang): p.returned,
            }
            for p in rows
        ]
    )


def delegation_panel(view: AssessmentView, actor: Actor, lang: str) -> None:
    """Progress for everyone; units, members' units and assignments for the coordinator."""
    coordinator = actor.role == Role.COORDINATOR and actor.agency_id == view.agency_id
    panel = st.expander(t("tw.delegation", lang), key="tw_delegation", on_change="rerun")
    if not panel.open:  # run only when open: its reads and widgets were a fifth of the page's CPU (issue 17)
        return
    with panel:
        table = progress_table(view, actor, lang)
        st.caption(t("tw.progress", lang))
        if not table.empty:
            st.dataframe(table, hide_index=True, width="stretch")
            csv = table.map(neutralise).to_csv(index=False).encode("utf-8")
            st.download_button(
                t("tw.export", lang), csv, file_name="kemajuan.csv", mime="text/csv", key="tw_csv"
            )
        if not coordinator or view.status not in AGENCY_EDITABLE:
            return
        with read_session(c.engine()) as session:
            units = dict(list_units(session, actor=actor, agency_id=view.agency_id))
            people = members(session, actor=actor, agency_id=view.agency_id)
        cols = st.columns([3, 1])
        name = cols[0].text_input(t("tw.new_unit", lang), key="tw_unit_name")
        if cols[1].button(t("tw.add_unit", lang), key="tw_unit_add") and _write(
            create_unit, t("tw.updated", lang), actor=actor, agency_id=view.agency_id, name=name
        ):
            st.rerun()
        label = _nobody_first(t("tw.no_unit", lang), units)
        unit_options = list(label)
        person_names = {p[0]: p[1] for p in people}
        cols = st.columns([2, 2, 1])
        person = cols[0].selectbox(
            t("tw.member", lang),
            list(person_names),
            format_func=lambda user_id: person_names[user_id],
            key="tw_member",
        )
        place = cols[1].selectbox(
            t("tw.member_unit", lang),
            unit_options,
            format_func=lambda unit_id: label[unit_id],
            key="tw_member_unit",
        )
        if cols[2].button(t("tw.place", lang), key="tw_place") and _write(
            set_user_unit, t("tw.updated", lang), actor=actor, user_id=person, unit_id=place
        ):
            st.rerun()
        indicators = {i.code: f"{i.code} · {i.label(lang)}" for i in view.framework.indicators}
        codes = st.multiselect(
            t("tw.assign_codes", lang),
            list(indicators),
            format_func=lambda code: indicators[code],
            key="tw_codes",
            placeholder=t("up.choose", lang),
        )
        cols = st.columns([2, 2, 1])
        unit_id = cols[0].selectbox(
            t("tw.assign_unit", lang), unit_options, format_func=lambda unit: label[unit], key="tw_to_unit"
        )
        names = _nobody_first(t("tw.nobody", lang), person_names)
        user_id = cols[1].selectbox(
            t("tw.assign_person", lang), list(names), format_func=lambda user: names[user], key="tw_to_person"
        )
        if cols[2].button(t("tw.assign", lang), key="tw_assign", type="primary") and _write(
            assign,
            t("tw.assigned", lang, n=len(codes)),
            actor=actor,
            assessment_id=view.id,
            codes=codes,
            unit_id=unit_id,
            user_id=user_id,
        ):
            st.rerun()
        with read_session(c.engine()) as session:
            assessment = session.get(Assessment, view.id)
            edit_all = bool(assessment and assessment.operators_edit_all)
        if st.session_state.get("tw_edit_all_stored") != edit_all:  # the database's value shows
            st.session_state["tw_edit_all_stored"] = st.session_state["tw_edit_all"] = edit_all

        def store_edit_all() -> None:
            _write(
                set_operators_edit_all,
                t("tw.updated", lang),
                actor=actor,
                assessment_id=view.id,
                value=bool(st.session_state["tw_edit_all"]),
            )

        st.toggle(t("tw.edit_all", lang), key="tw_edit_all", on_change=store_edit_all)


def unit_actions(
    view: AssessmentView, code: str, actor: Actor, held: Holding | None, editable: bool, lang: str
) -> None:
    """Who holds the indicator, the coordinator's note when returned, "mark ready" and "send back"."""
    if held is None:
        return
    st.caption(f"{t('tw.assigned_to', lang)}: {md(held.holder)} · {t('tw.status_' + held.status, lang)}")
    if held.status == "returned" and held.note:
        st.caption(t("tw.returned_note", lang))
        st.text(held.note)
    if not editable:
        return
    if (
        held.status != "ready"
        and st.button(t("tw.mark_ready_button", lang), key=f"tw_ready_{code}")
        and _write(
            mark_ready,
            t("tw.marked_ready", lang, code=code),
            actor=actor,
            assessment_id=view.id,
            codes=[code],
        )
    ):
        st.rerun()
    if actor.role == Role.COORDINATOR and held.status == "ready":
        cols = st.columns([4, 1])
        note = cols[0].text_input(t("tw.send_back_note", lang), key=f"tw_back_note_{code}")
        if cols[1].button(t("tw.send_back", lang), key=f"tw_back_{code}") and _write(
            send_back,
            t("tw.sent_back", lang, code=code),
            actor=actor,
            assessment_id=view.id,
            code=code,
            note=note,
        ):
            st.rerun()


def thread_panel(view: AssessmentView, code: str, actor: Actor, lang: str, unread: int) -> None:
    """The indicator's conversation: every message as plain text, then the form to post one. `unread`:
    how many of its messages this user has not seen (`marks(...).unread`), which marks them read."""
    st.markdown(f"**{t('tw.thread', lang)}**")
    with read_session(c.engine()) as session:
        messages = thread(session, actor=actor, assessment_id=view.id, indicator_code=code)
    if unread and actor.user_id is not None:  # a read marker: written only when something new was shown
        with write_session(c.engine()) as session:
            mark_read(session, actor=actor, assessment_id=view.id, indicator_code=code)
    if not messages:
        st.caption(t("tw.thread_empty", lang))
    for m in messages:
        state = ""
        if m.needs_answer:
            state = " · " + (t("tw.answered", lang) if m.answered else "❓ " + t("tw.open_question", lang))
        st.caption(f"{md(m.author)} ({t('tw.side_' + m.side, lang)}) · {fmt_date(m.created_at, lang)}{state}")
        st.text(m.text + (f"\n📎 {m.evidence_name}" if m.evidence_name else ""))
    agency_member = actor.role in AGENCY_ROLES and actor.agency_id == view.agency_id
    if not (agency_member or actor.role == Role.REVIEWER):
        return
    with read_session(c.engine()) as session:
        documents = {
            d.id: d.filename for d in agency_documents(session, actor=actor, agency_id=view.agency_id)
        }
    with st.form(f"tw_thread_{code}", clear_on_submit=True):
        text = st.text_area(t("tw.message", lang), key=f"tw_msg_{code}", height=90)
        reviewer = actor.role == Role.REVIEWER
        needs = st.checkbox(t("tw.needs_answer", lang), key=f"tw_q_{code}") if reviewer else False
        labels = _nobody_first(t("tw.nobody", lang), documents)
        evidence_id = st.selectbox(
            t("tw.attach", lang), list(labels), format_func=lambda doc: labels[doc], key=f"tw_doc_{code}"
        )
        sent = st.form_submit_button(t("tw.post", lang))
    if sent and _write(
        post_message,
        t("tw.posted", lang),
        actor=actor,
        assessment_id=view.id,
        indicator_code=code,
        text=text,
        needs_answer=needs,
        evidence_id=evidence_id,
    ):
        st.rerun()
