"""The reviewer's recommendation panels on the verification page (issue 12): the current assessment's
recommendations (list, add per indicator or for the whole agency, edit or delete until the agency answers),
and the agency's recommendations of earlier periods with their follow-up, to confirm or reopen. The card
that shows one recommendation is shared with the agency's page (app_pages/recommendations.py)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

import streamlit as st

from app_pages import components as c
from app_pages.plain import md, plain_text
from app_pages.widgets.writes import REFUSALS, written
from evaluation.db import read_session
from evaluation.formats import period_text
from evaluation.i18n import N_, fmt_date, t
from evaluation.models import RECOMMENDATION_PRIORITIES
from evaluation.services.recommendations import (
    RecommendationView,
    add_recommendation,
    check_recommendation,
    delete_recommendation,
    edit_recommendation,
    open_recommendations_of_agency,
    recommendations_for_assessment,
)
from evaluation.workflow import AssessmentStatus

ERRORS = REFUSALS  # WorkflowError and StaleRecommendation are ValueErrors
BadgeColour = Literal["red", "orange", "yellow", "blue", "green", "violet", "gray", "grey", "primary"]
STATUS_COLOURS: dict[str, BadgeColour] = {
    "open": "orange",
    "done": "blue",
    "confirmed": "green",
    "reopened": "red",
}
PRIORITY_COLOURS: dict[str, BadgeColour] = {"high": "red", "medium": "orange", "low": "gray"}
FLASH = "rc_flash"


def write(action: Any, done: str, lang: str, **kwargs: Any) -> bool:
    """Run one service call in a write transaction; a refusal is shown in the reader's words, a success
    is remembered for the next run and the page runs again."""
    if not written(action, **kwargs):
        return False
    st.session_state[FLASH] = t(done, lang)
    st.rerun()
    return True  # not reached: st.rerun ends this run


def show_flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def badges(rec: RecommendationView, lang: str, today: date) -> None:
    """Status, priority and, when late, an overdue mark (trusted texts only).

    One line of Markdown badges that wraps as a whole: badges in narrow columns were cut ("lewat teng…").
    """
    status = t(f"rc.status.{rec.status}", lang)
    priority = t(f"rc.priority.{rec.priority}", lang)
    marks = [
        f":{STATUS_COLOURS.get(rec.status, 'gray')}-badge[{status}]",
        f":{PRIORITY_COLOURS.get(rec.priority, 'gray')}-badge[{priority}]",
    ]
    if rec.overdue(today):
        marks.append(f":red-badge[:material/schedule: {t('rc.overdue', lang)}]")
    st.markdown(" ".join(marks))


def card(rec: RecommendationView, lang: str, today: date | None = None) -> None:
    """One recommendation and its follow-up; user text shown as plain text."""
    today = today or date.today()
    badges(rec, lang, today)
    where = rec.indicator_label(lang) or t("rc.whole_agency", lang)
    due = fmt_date(rec.due_on, lang) if rec.due_on else "-"
    st.markdown(f"**{md(where)}** · {t('rc.due', lang)}: {due}")
    plain_text(rec.text)
    if rec.author:
        st.caption(f"{t('rc.by', lang, name=md(rec.author))} · {fmt_date(rec.created_at, lang)}")
    if rec.followup_action:
        st.markdown(f"**{t('rc.followup', lang)}**")
        plain_text(rec.followup_action)
        target = fmt_date(rec.followup_due_on, lang) if rec.followup_due_on else "-"
        details = [
            f"{t('rc.owner', lang)}: {md(rec.followup_owner)}",
            f"{t('rc.followup_due', lang)}: {target}",
        ]
        if rec.evidence_name:
            details.append(f"{t('rc.evidence', lang)}: {md(rec.evidence_name)}")
        if rec.activity_title:
            details.append(f"{t('rc.activity', lang)}: {md(rec.activity_title)}")
        st.caption(" · ".join(details))
    if rec.checked_by:
        st.caption(t("rc.checked_by", lang, name=md(rec.checked_by)))
        if rec.check_note:
            plain_text(rec.check_note, t("rc.check_note", lang))


def _indicator_choices(view: Any, lang: str) -> tuple[list[str | None], Any]:
    framework = view.framework
    options: list[str | None] = [None, *[i.code for i in framework.indicators]]

    def label(code: str | None) -> str:
        if code is None:
            return t("rc.whole_agency", lang)
        return f"{code} · {framework.indicator_by_code[code].label(lang)}"

    return options, label


def _form(view: Any, lang: str, key: str, rec: RecommendationView | None = None) -> dict[str, Any] | None:
    """The fields of a recommendation (empty, or `rec`'s); the values when submitted, else None."""
    options, label = _indicator_choices(view, lang)
    with st.form(key, clear_on_submit=rec is None):
        code = st.selectbox(
            t("rc.indicator", lang),
            options,
            index=options.index(rec.indicator_code) if rec and rec.indicator_code in options else 0,
            format_func=label,
            key=f"{key}_code",
        )
        cols = st.columns(2)
        priority = cols[0].selectbox(
            t("rc.priority", lang),
            RECOMMENDATION_PRIORITIES,
            index=RECOMMENDATION_PRIORITIES.index(rec.priority) if rec else 0,
            format_func=lambda p: t(f"rc.priority.{p}", lang),
            key=f"{key}_priority",
        )
        due = cols[1].date_input(
            t("rc.due", lang), value=rec.due_on if rec else None, format="DD/MM/YYYY", key=f"{key}_due"
        )
        text = st.text_area(
            t("rc.text", lang), value=rec.text if rec else "", max_chars=4000, key=f"{key}_text"
        )
        submitted = st.form_submit_button(
            t(N_("rc.add_button") if rec is None else N_("rc.save"), lang),
            type="primary",
            key=f"{key}_submit",
        )
    if not submitted:
        return None
    return {"indicator_code": code, "priority": priority, "due_on": due or None, "text": text}


def recommendations_panel(view: Any, actor: Any, lang: str) -> None:
    """The current assessment's recommendations on the verification page: the list with edit and delete
    while the agency has not answered, and a form to add one (in review or final)."""
    st.markdown(f"#### {t('rc.section', lang)}")
    show_flash()
    with read_session(c.engine()) as session:
        recs = recommendations_for_assessment(session, actor=actor, assessment_id=view.id)
    if not recs:
        st.caption(t("rc.empty", lang))
    for rec in recs:
        with st.container(border=True):
            card(rec, lang)
            if rec.status != "open" or rec.followup_at is not None:
                st.caption(t("rc.locked", lang))
                continue
            with st.expander(t("rc.edit", lang)):
                values = _form(view, lang, f"rc_edit_{rec.id}", rec)
                if values is not None:
                    write(
                        edit_recommendation,
                        "rc.saved",
                        lang,
                        actor=actor,
                        recommendation_id=rec.id,
                        expected_version=rec.version,
                        **values,
                    )
                if st.button(t("rc.delete", lang), key=f"rc_delete_{rec.id}", icon=":material/delete:"):
                    write(
                        delete_recommendation,
                        "rc.deleted",
                        lang,
                        actor=actor,
                        recommendation_id=rec.id,
                        expected_version=rec.version,
                    )
    if view.status in (AssessmentStatus.IN_REVIEW, AssessmentStatus.FINAL):
        with st.expander(t("rc.add", lang), expanded=not recs):
            st.caption(t("rc.add_help", lang))
            values = _form(view, lang, f"rc_add_{view.id}")
            if values is not None:
                write(add_recommendation, "rc.added", lang, actor=actor, assessment_id=view.id, **values)


def previous_recommendations_panel(view: Any, actor: Any, lang: str) -> None:
    """Beside the indicators: the agency's recommendations of earlier periods that are not confirmed yet,
    with their follow-up; a finished one is confirmed, or reopened with a note."""
    with read_session(c.engine()) as session:
        recs = open_recommendations_of_agency(
            session, actor=actor, agency_id=view.agency_id, before_year=view.year
        )
    with st.expander(
        f"{t('rc.previous', lang)} ({len(recs)})", expanded=any(r.status == "done" for r in recs)
    ):
        if not recs:
            st.caption(t("rc.previous_empty", lang))
            return
        st.caption(t("rc.previous_help", lang))
        for rec in recs:
            with st.container(border=True):
                st.caption(period_text(rec.year, rec.framework_id, lang))
                card(rec, lang)
                if rec.status != "done":
                    st.caption(t("rc.waiting_agency", lang))
                    continue
                note = st.text_area(t("rc.check_note", lang), key=f"rc_check_note_{rec.id}", max_chars=4000)
                confirm, reopen = st.columns(2)
                confirmed: bool | None = None
                if confirm.button(t("rc.confirm", lang), key=f"rc_confirm_{rec.id}", type="primary"):
                    confirmed = True
                if reopen.button(t("rc.reopen", lang), key=f"rc_reopen_{rec.id}"):
                    confirmed = False
                if confirmed is not None:  # the reviewer's check: the follow-up done, or open again
                    write(
                        check_recommendation,
                        N_("rc.confirmed") if confirmed else N_("rc.reopened"),
                        lang,
                        actor=actor,
                        recommendation_id=rec.id,
                        confirmed=confirmed,
                        note=note,
                        expected_version=rec.version,
                    )
