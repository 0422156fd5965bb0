"""Minutes (berita acara) of the interview and the site visit on the pages: the reviewer's form per stage
(date, place, participants one per line, findings per indicator in a small table, agreed changes), the
read-only minutes the agency sees, and the printable PDF of each. A refused save (someone saved the
minute since) keeps the reviewer's input and offers to load the newer minute instead."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages.plain import md, plain_text
from app_pages.report_buttons import pdf_download
from app_pages.widgets.writes import written
from evaluation.db import read_session
from evaluation.i18n import fmt_date, t
from evaluation.models import MINUTE_STAGES
from evaluation.services.stage_minutes import MinuteView, minute_context, minutes_of, save_minute


def read_minutes(actor: Any, assessment_id: int) -> dict[str, MinuteView]:
    with read_session(c.engine()) as session:
        return minutes_of(session, actor=actor, assessment_id=assessment_id)


def pdf_button(actor: Any, view: Any, stage: str, lang: str, key: str) -> None:
    """'Cetak berita acara (PDF)': built when pressed, on its own session (the PDF stack imported then)."""
    engine = c.engine()

    def build() -> bytes:
        from evaluation.reports.minute_pdf import render_minute

        with read_session(engine) as session:
            minute = minutes_of(session, actor=actor, assessment_id=view.id)[stage]
            context = minute_context(session, actor=actor, assessment_id=view.id)
        return render_minute(minute, context, lang)

    pdf_download(
        t("sg.minute_pdf", lang),
        build,
        f"berita-acara-{stage}-{view.agency_code}-{view.year}-{lang}.pdf",
        key,
    )


def minute_readonly(actor: Any, view: Any, minute: MinuteView, lang: str, key: str) -> None:
    """One saved minute as text a reader cannot mistake for page markup, with its PDF."""
    st.markdown(f"**{t('sg.held_on', lang)}:** {fmt_date(minute.held_on, lang)}")
    plain_text(minute.place, f"{t('sg.place', lang)}:")
    plain_text("\n".join(minute.participants), f"{t('sg.participants', lang)}:")
    if minute.findings:
        st.dataframe(
            pd.DataFrame(
                [{t("word.code", lang): k, t("sg.finding", lang): v} for k, v in minute.findings.items()]
            ),
            hide_index=True,
            width="stretch",
        )
    plain_text(minute.agreed_changes, f"{t('sg.agreed', lang)}:")
    if minute.written_by:
        st.caption(
            t("sg.written_by", lang, name=md(minute.written_by), when=fmt_date(minute.updated_at, lang))
        )
    pdf_button(actor, view, minute.stage, lang, key=f"{key}_pdf_{minute.stage}")


def minutes_expander(actor: Any, view: Any, lang: str, key: str) -> None:
    """The saved minutes of an assessment, read-only (the agency's page, a finished result)."""
    minutes = read_minutes(actor, view.id)
    if not minutes:
        return
    with st.expander(t("sg.minutes", lang)):
        for stage, minute in minutes.items():
            st.markdown(f"##### {t('sg.minute_of', lang, stage=t(f'stage.{stage}', lang))}")
            minute_readonly(actor, view, minute, lang, key)


def _base(view: Any, stage: str, minute: MinuteView | None) -> dict[str, Any]:
    """The minute as this reviewer read it (kept until their save succeeds, so a refused save keeps the
    input and still carries the version read)."""
    key = f"sg_base_{view.id}_{stage}"
    if key not in st.session_state:
        st.session_state[key] = {"version": minute.version if minute else 0, "minute": minute}
    return st.session_state[key]


def minute_form(actor: Any, view: Any, stage: str, minute: MinuteView | None, lang: str) -> None:
    base = _base(view, stage, minute)
    read: MinuteView | None = base["minute"]
    k = f"sg_{view.id}_{stage}_{base['version']}"
    # One form: typing in a field or a grid cell sends nothing until the reviewer saves, so no rerun in
    # flight can reset the findings grid under an edit (a data editor loses an edit made during a rerun).
    form = st.form(f"{k}_form", border=False)
    held_on = form.date_input(
        t("sg.held_on", lang),
        value=read.held_on if read else date.today(),
        key=f"{k}_date",
        format="DD/MM/YYYY",
    )
    place = form.text_input(
        t("sg.place", lang), value=read.place if read else "", key=f"{k}_place", max_chars=200
    )
    people = form.text_area(
        t("sg.participants", lang),
        value="\n".join(read.participants) if read else "",
        key=f"{k}_people",
        help=t("sg.participants_help", lang),
    )
    found = read.findings if read else {}
    table = pd.DataFrame(
        [
            {"code": i.code, "name": i.label(lang), "finding": found.get(i.code, "")}
            for i in view.framework.indicators
        ]
    )
    form.markdown(f"**{t('sg.findings', lang)}**")
    edited = form.data_editor(
        table,
        key=f"{k}_findings",
        hide_index=True,
        width="stretch",
        disabled=["code", "name"],
        column_config={
            "code": t("word.code", lang),
            "name": t("word.indicator", lang),
            "finding": st.column_config.TextColumn(t("sg.finding", lang), width="large"),
        },
    )
    agreed = form.text_area(
        t("sg.agreed", lang), value=(read.agreed_changes or "") if read else "", key=f"{k}_agreed"
    )
    if form.form_submit_button(t("sg.minute_save", lang), key=f"sg_save_{view.id}_{stage}", type="primary"):
        findings = {  # a cleared cell reads as None or NaN
            row["code"]: row["finding"] if isinstance(row["finding"], str) else ""
            for _, row in edited.iterrows()
        }
        if written(
            save_minute,
            actor=actor,
            assessment_id=view.id,
            stage=stage,
            expected_version=base["version"],  # the minute as read; then what it says now
            held_on=held_on,
            place=place,
            participants=people,
            findings=findings,
            agreed_changes=agreed,
        ):
            st.session_state.pop(f"sg_base_{view.id}_{stage}", None)
            st.session_state["sg_saved"] = True
            st.rerun()
    stale = minute is not None and minute.version != base["version"]  # saved by someone since it was read
    if stale and st.button(t("sg.minute_reload", lang), key=f"sg_reload_{view.id}_{stage}"):
        st.session_state.pop(f"sg_base_{view.id}_{stage}", None)
        st.rerun()
    if minute is not None:
        pdf_button(actor, view, stage, lang, key=f"sg_pdf_{view.id}_{stage}")


def minute_forms(actor: Any, view: Any, minutes: dict[str, MinuteView], lang: str) -> None:
    """An expander per minute stage of the period: the form once the assessment has reached the stage."""
    if st.session_state.pop("sg_saved", False):
        st.toast(t("sg.minute_saved", lang), icon=":material/check_circle:")
    order = list(view.stages)
    position = order.index(view.stage) if view.stage in order else 0
    for stage in (s for s in order if s in MINUTE_STAGES):
        name = t(f"stage.{stage}", lang)
        with st.expander(t("sg.minute_of", lang, stage=name), expanded=view.stage == stage):
            if order.index(stage) > position:
                st.caption(t("sg.minute_not_yet", lang, stage=name.lower()))
                continue
            minute_form(actor, view, stage, minutes.get(stage), lang)
