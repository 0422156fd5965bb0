"""The agency's recommendations and their follow-up (issue 12), for its operators and coordinators: the
reviewers' recommendations by period, each answered with what is done, by whom and when, evidence
(uploaded here or chosen from the agency's files) and a roadmap activity; then marked done for the next
period's reviewer to check."""

from __future__ import annotations

from itertools import groupby
from typing import Any

import streamlit as st

from app_pages import components as c
from app_pages import widgets as w
from app_pages.recommendation_panels import ERRORS, FLASH, card, show_flash
from app_pages.uploads import file_input
from evaluation.db import read_session, write_session
from evaluation.formats import framework_label
from evaluation.i18n import N_, t
from evaluation.models import RECOMMENDATION_STATUSES
from evaluation.services.evidence import agency_documents
from evaluation.services.recommendations import (
    RecommendationView,
    mark_done,
    recommendations_of_agency,
    record_followup,
    upload_followup_evidence,
)
from evaluation.services.recommendations.export import recommendations_file
from evaluation.services.roadmap import list_activities
from evaluation.settings import evidence_max_bytes
from evaluation.storage import default_store
from evaluation.workflow import AGENCY_ROLES

UPLOAD_TYPES = ["pdf", "png", "jpg", "jpeg", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "odt", "ods", "odp"]

lang = c.current_lang()
actor = c.actor()
st.title(t("rc.title", lang))
w.require_roles(actor, *AGENCY_ROLES, agency=True, message=N_("rc.agency_empty"))
st.caption(t("rc.agency_intro", lang))
show_flash()

with read_session(c.engine()) as session:
    recs = recommendations_of_agency(session, actor=actor, agency_id=actor.agency_id)
    documents = agency_documents(session, actor=actor, agency_id=actor.agency_id)
    activities = list_activities(session, actor=actor, agency_id=actor.agency_id)
    export = recommendations_file(session, actor=actor, lang=lang) if recs else b""
if not recs:
    st.info(t("rc.agency_empty", lang))
    st.stop()

st.download_button(
    t("rc.download", lang),
    export,
    file_name="rekomendasi.xlsx" if lang == "id" else "recommendations.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    key="rc_download",
)
shown = st.multiselect(
    t("rc.filter_status", lang),
    RECOMMENDATION_STATUSES,
    default=list(RECOMMENDATION_STATUSES),
    format_func=lambda s: t(f"rc.status.{s}", lang),
    key="rc_statuses",
    placeholder=t("up.choose", lang),
)
doc_names = {d.id: d.filename for d in documents}
activity_names = {a.id: f"{a.title} ({a.due_on.isoformat()})" for a in activities}


def save_followup(rec: RecommendationView, values: dict[str, Any], upload: Any) -> None:
    """Store an uploaded document (if any) and the follow-up in one transaction: both or neither."""
    try:
        with write_session(c.engine()) as session:
            evidence_id = values.pop("evidence_id")
            if upload is not None:
                evidence_id = upload_followup_evidence(
                    session,
                    actor=actor,
                    store=default_store(),
                    recommendation_id=rec.id,
                    filename=upload.name,
                    data=upload.getvalue(),
                )
            record_followup(
                session,
                actor=actor,
                recommendation_id=rec.id,
                expected_version=rec.version,
                evidence_id=evidence_id,
                **values,
            )
    except ERRORS as exc:
        w.show_error(exc)
        return
    st.session_state[FLASH] = t("rc.followup_saved", lang)
    st.rerun()


def one_or_none(label: str, names: dict[int, str], current: int | None, none: str, key: str) -> int | None:
    """A selectbox of `names` (id -> text) after the text `none` for no choice; `current` chosen at first
    when it is one of them. Returns the chosen id or None."""
    options: list[int | None] = [None, *names]
    return st.selectbox(
        label,
        options,
        index=options.index(current) if current in options else 0,
        format_func=lambda i: none if i is None else names[i],
        key=key,
    )


def followup_form(rec: RecommendationView) -> None:
    with st.form(f"rc_followup_{rec.id}"):
        key = f"rc_followup_{rec.id}"
        action = st.text_area(
            t("rc.action", lang), value=rec.followup_action or "", max_chars=4000, key=f"{key}_action"
        )
        cols = st.columns(2)
        owner = cols[0].text_input(
            t("rc.owner", lang), value=rec.followup_owner or "", max_chars=200, key=f"{key}_owner"
        )
        due = cols[1].date_input(
            t("rc.followup_due", lang),
            value=rec.followup_due_on or rec.due_on,
            format="DD/MM/YYYY",
            key=f"{key}_due",
        )
        upload = file_input(
            t("rc.upload", lang),
            key=f"rc_upload_{rec.id}",
            types=UPLOAD_TYPES,
            lang=lang,
            limit_bytes=evidence_max_bytes(),
        )
        evidence_id = one_or_none(
            t("rc.existing_doc", lang), doc_names, rec.evidence_id, t("rc.no_doc", lang), f"{key}_doc"
        )
        activity_id = one_or_none(
            t("rc.activity", lang),
            activity_names,
            rec.activity_id,
            t("rc.no_activity", lang),
            f"{key}_activity",
        )
        sent = st.form_submit_button(t("rc.save_followup", lang), type="primary", key=f"{key}_submit")
    if sent:
        values = {"action": action, "owner": owner, "due_on": due, "evidence_id": evidence_id}
        save_followup(rec, {**values, "activity_id": activity_id}, upload)


def done_button(rec: RecommendationView) -> None:
    if not st.button(t("rc.mark_done", lang), key=f"rc_done_{rec.id}", icon=":material/task_alt:"):
        return
    try:
        with write_session(c.engine()) as session:
            mark_done(session, actor=actor, recommendation_id=rec.id, expected_version=rec.version)
    except ERRORS as exc:
        w.show_error(exc)
        return
    st.session_state[FLASH] = t("rc.done_saved", lang)
    st.rerun()


by_period = sorted(recs, key=lambda r: (-r.year, r.framework_id))  # stable: keeps the priority order
for (year, framework_id), group in groupby(by_period, key=lambda r: (r.year, r.framework_id)):
    items = [r for r in group if r.status in shown]
    if not items:
        continue
    st.subheader(t("rc.period", lang, year=year, framework=framework_label(framework_id, lang)))
    for rec in items:
        with st.container(border=True):
            card(rec, lang)
            if rec.status not in ("open", "reopened"):
                continue
            with st.expander(t("rc.answer", lang), expanded=rec.status == "reopened"):
                followup_form(rec)
            if rec.followup_action:
                done_button(rec)
