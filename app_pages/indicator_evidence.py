"""The evidence of one indicator in the agency's form: files, links and the agency's documents to reuse, each
change claimed on the version of the indicator's score the form read (issue 10). A change refused because
someone changed that score since is kept (the file too) and offered again beside who changed it and when."""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from app_pages import components as c
from app_pages import form_state as fs
from app_pages import widgets as w
from app_pages.conflict_panel import who_and_when
from app_pages.evidence_files import evidence_download
from app_pages.plain import md, safe_link
from app_pages.uploads import file_input
from evaluation.db import read_session, write_session
from evaluation.i18n import fmt_number, t
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.assessment_view import AssessmentView
from evaluation.services.evidence import (
    add_link,
    agency_documents,
    set_attached,
    upload_evidence,
)
from evaluation.services.score_versions import ScoreConflict
from evaluation.settings import evidence_max_bytes
from evaluation.storage import default_store

# an evidence change of the form -> (the service, the words naming it in a refusal)
EVIDENCE_ACTIONS: dict[str, tuple[Any, str]] = {
    "upload": (upload_evidence, "cf.ev_upload"),
    "link": (add_link, "cf.ev_link"),
    "reuse": (partial(set_attached, attached=True), "cf.ev_reuse"),
    "detach": (partial(set_attached, attached=False), "cf.ev_detach"),
}


def _refused_evidence(assessment_id: int) -> dict[str, dict[str, Any]]:
    """{code: {"kind", "label", "kwargs", "stored": StoredScore}} of evidence changes refused because the
    score changed since the form read it (issue 10): kept, with the file's bytes, until retried or dropped."""
    return st.session_state.setdefault(f"as_ev_refused_{assessment_id}", {})


def _seen(assessment_id: int) -> dict[str, int]:
    """{code: the score version whose evidence the person last saw}: recorded at the end of each full run
    of the block, so a click carries the version shown before it, not the one the click's run re-read."""
    return st.session_state.setdefault(f"as_ev_seen_{assessment_id}", {})


def _evidence_action(
    kind: str,
    view: AssessmentView,
    code: str,
    lang: str,
    *,
    label: str,
    version: int | None = None,
    **kwargs: Any,
) -> bool:
    """Run one evidence change on the version of the score the person saw (or `version`); True when the
    page should run again (done, or refused by a newer score: the change is kept to retry)."""
    actor = c.actor()  # before the write transaction: it reads the session table itself
    if version is None:
        version = _seen(view.id).get(code, fs.versions(view.id).get(code, view.scores[code].version))
    service = EVIDENCE_ACTIONS[kind][0]
    store = {"store": default_store()} if kind == "upload" else {}
    refused = _refused_evidence(view.id)
    try:
        with write_session(c.engine()) as session:
            service(
                session,
                actor=actor,
                assessment_id=view.id,
                score_version=version,
                indicator_code=code,
                **store,
                **kwargs,
            )
    except ScoreConflict as exc:
        refused[code] = {"kind": kind, "label": label, "kwargs": kwargs, "stored": exc.conflicts[code]}
        return True
    except (WorkflowError, PermissionDenied, LookupError) as exc:
        w.show_error(exc)
        return False
    refused.pop(code, None)
    fs.flash(f"{t('as.saved', lang)}: {code}")
    return True


def _evidence_refusal(view: AssessmentView, code: str, lang: str) -> None:
    """A refused evidence change of `code`: who changed the score and when, and retry or drop it. A retry
    runs on the version the refusal showed (the newer entries are in the form by then)."""
    waiting = _refused_evidence(view.id).get(code)
    if waiting is None:
        return
    who, when = who_and_when(waiting["stored"], lang)
    what = f"{t(EVIDENCE_ACTIONS[waiting['kind']][1], lang)}: {waiting['label']}"
    st.warning(
        t("cf.ev_refused", lang, code=code, who=md(who), when=when, what=md(what)),
        icon=":material/sync_problem:",
    )
    left, right = st.columns(2)
    if left.button(t("cf.ev_retry", lang), key=f"ev_retry_{code}", type="primary") and _evidence_action(
        waiting["kind"],
        view,
        code,
        lang,
        label=waiting["label"],
        version=waiting["stored"].version,
        **waiting["kwargs"],
    ):
        st.rerun()
    if right.button(t("cf.ev_drop", lang), key=f"ev_drop_{code}"):
        _refused_evidence(view.id).pop(code, None)
        st.rerun()


def evidence_block(view: AssessmentView, code: str, *, editable: bool, actor: Actor, lang: str) -> None:
    """The evidence list of `code` with download and remove, then upload, link and reuse when editable."""
    st.markdown(f"**{t('as.evidence', lang)}**")
    score = view.scores[code]
    if editable:
        _evidence_refusal(view, code, lang)
    for ev in score.evidence:
        cols = st.columns([6, 2, 1])
        if ev.kind == "link":
            safe_link(ev.url, ev.filename, lang, where=cols[0])
        else:
            size = fmt_number((ev.size_bytes or 0) / 1024, lang, 0)
            cols[0].markdown(f":material/description: {md(ev.filename)} ({size} KB)")
            evidence_download(
                actor, ev.id, key=f"dl_{code}_{ev.id}", mime=ev.mime_type, named=False, where=cols[1]
            )
        if (
            editable
            and cols[2].button(t("as.detach", lang), key=f"detach_{code}_{ev.id}")
            and _evidence_action("detach", view, code, lang, label=ev.filename, evidence_id=ev.id)
        ):
            st.rerun()
    shown = fs.versions(view.id).get(code, score.version)  # the version whose evidence this run shows
    if not editable:
        _seen(view.id)[code] = shown
        return
    with st.form(f"upload_{code}", clear_on_submit=True):
        upload = file_input(
            t("as.upload", lang),
            key=f"up_{code}",
            lang=lang,
            limit_bytes=evidence_max_bytes(),
            types=[
                "pdf",
                "png",
                "jpg",
                "jpeg",
                "docx",
                "xlsx",
                "pptx",
                "doc",
                "xls",
                "ppt",
                "odt",
                "ods",
                "odp",
            ],
        )
        sent = st.form_submit_button(t("as.upload_button", lang))
    if (
        sent
        and upload is not None
        and _evidence_action(
            "upload", view, code, lang, label=upload.name, filename=upload.name, data=upload.getvalue()
        )
    ):
        st.rerun()
    cols = st.columns([4, 1])
    link = cols[0].text_input(t("as.link", lang), key=f"link_{code}", placeholder="https://")
    if cols[1].button(t("as.link_button", lang), key=f"link_add_{code}") and _evidence_action(
        "link", view, code, lang, label=link, url=link
    ):
        st.rerun()
    with read_session(c.engine()) as session:
        documents = agency_documents(session, actor=actor, agency_id=view.agency_id)
    attached = {ev.id for ev in score.evidence}
    reusable = {d.id: d.filename for d in documents if d.id not in attached}
    if reusable:
        cols = st.columns([4, 1])
        pick = cols[0].selectbox(
            t("as.reuse", lang), list(reusable), format_func=reusable.__getitem__, key=f"reuse_{code}"
        )
        if cols[1].button(t("as.reuse_button", lang), key=f"reuse_add_{code}") and _evidence_action(
            "reuse", view, code, lang, label=reusable[pick], evidence_id=pick
        ):
            st.rerun()
    _seen(view.id)[code] = shown
