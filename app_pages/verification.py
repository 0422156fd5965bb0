"""Verification by the ministry: the queue, then per indicator self vs evidence vs final level. The grid
keeps what the reviewer read; a refused save keeps their edits and shows the newer scores (issue 10)."""

import hashlib
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages import widgets as w
from app_pages.conflict_panel import conflict_panel
from app_pages.evidence_files import evidence_download
from app_pages.finished_result import finished_panel, finished_view
from app_pages.level_input import claimed_criteria, final_column, fmt_level, grid_changes, level_cell
from app_pages.minute_form import minute_forms, read_minutes
from app_pages.plain import plain_text, safe_link
from app_pages.review_actions import return_and_finalize
from app_pages.review_queue import queue_panel
from app_pages.stage_steps import review_header, steps_panel
from evaluation.db import read_session, write_session
from evaluation.i18n import t
from evaluation.services.actors import PermissionDenied
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.assessment_view import view_assessment
from evaluation.services.review import (
    save_review,
    set_stage,
    start_review,
)
from evaluation.services.score_versions import ScoreConflict
from evaluation.services.threads import open_questions
from evaluation.translatable import InvalidInput
from evaluation.workflow import AssessmentStatus

lang = c.current_lang()
actor = c.actor()
st.title(t("rv.title", lang))
flash = st.session_state.get("rv_flash")  # the last action's outcome stays until the next action
if flash:
    st.success(flash)
if finished_panel(actor, lang):  # the result just finalized, not the next agency's grid
    st.stop()

picked = queue_panel(actor, lang)  # app_pages/review_queue.py: search, filters, counts, table, picker
if picked is None:
    st.stop()
with read_session(c.engine()) as session:
    view = view_assessment(session, actor=actor, assessment_id=picked)
    questions = sum(open_questions(session, view.id).values())
if view.status == AssessmentStatus.FINAL:  # picked while it left the queue: its finished result
    finished_view(actor, view, lang)
    st.stop()
review_header(view, lang)
minutes = read_minutes(actor, view.id)
steps = steps_panel(view, minutes, lang)


def act(action, **kwargs) -> bool:  # type: ignore[no-untyped-def]
    st.session_state.pop("rv_flash", None)
    try:
        with write_session(c.engine()) as session:
            if "versions" not in kwargs:  # a status change: the assessment's own version
                kwargs["expected_version"] = view.version
            action(session, actor=actor, assessment_id=view.id, **kwargs)
    except (WorkflowError, PermissionDenied) as exc:
        w.show_error(exc)
        return False
    return True


if view.status == AssessmentStatus.SUBMITTED:
    if st.button(t("rv.start", lang), type="primary", key="rv_start") and act(start_review):
        st.rerun()
    st.stop()

stage_cols = st.columns([3, 1])
stage = stage_cols[0].radio(
    t("rv.stage", lang),
    view.stages,
    index=view.stages.index(view.stage or "document"),
    format_func=lambda s: t(f"stage.{s}", lang),
    horizontal=True,
    key=f"rv_stage_{view.id}",
)
if (
    stage != view.stage
    and stage_cols[1].button(t("rv.stage_save", lang), key="rv_stage_save")
    and act(set_stage, stage=stage)
):
    st.rerun()
minute_forms(actor, view, minutes, lang)  # berita acara of the interview and the site visit

framework = view.framework
levels = [lv.level for lv in framework.scales[framework.indicators[0].scale].levels]
base_key, conflict_key = f"rv_base_{view.id}", f"rv_conflict_{view.id}"


def grid_base() -> dict[str, Any]:
    """The grid as this reviewer read it: rows, score versions and the editor key. Kept while edits or a
    refused save wait (so edits apply to what was shown, and a save carries the versions read); else
    read again, with a new editor key when the scores changed."""
    base = st.session_state.get(base_key)
    if base is not None and base["status"] == view.version:
        edits = (st.session_state.get(base["key"]) or {}).get("edited_rows")
        if edits or conflict_key in st.session_state:
            return base
    digest = hashlib.sha256(repr(sorted(view.versions.items())).encode()).hexdigest()[:10]
    rows = [
        {
            "code": i.code,
            "name": i.label(lang),
            "self": level_cell(framework, view.scores[i.code].self_level, lang),
            "justification": view.scores[i.code].justification or "",
            "evidence": len(view.scores[i.code].evidence),
            "final": level_cell(framework, view.scores[i.code].final_level, lang),
            "note": view.scores[i.code].reviewer_note or "",
        }
        for i in framework.indicators
    ]
    base = {
        "rows": rows,
        "versions": view.versions,
        "status": view.version,
        "key": f"rv_editor_{view.id}_{digest}",
    }
    st.session_state[base_key] = base
    st.session_state.pop(conflict_key, None)
    return base


def save_grid(entries: dict[str, dict[str, Any]], versions: dict[str, int]) -> None:
    """save_review on the versions read; a refusal keeps the entries and the newer scores for a decision."""
    st.session_state.pop("rv_flash", None)
    try:
        with write_session(c.engine()) as session:
            save_review(session, actor=actor, assessment_id=view.id, versions=versions, entries=entries)
    except ScoreConflict as exc:
        st.session_state[conflict_key] = {"entries": entries, "versions": versions, "stored": exc.conflicts}
    except (WorkflowError, PermissionDenied) as exc:
        st.session_state["rv_error"] = exc
    else:
        st.session_state.pop(conflict_key, None)
        st.session_state.pop(base_key, None)
        st.session_state["rv_saved"] = True


def decide(code: str, keep: bool) -> None:
    """Keep mine (save it on the newer version) or take theirs (drop my change) for one clashing
    indicator; once every clash is decided, the remaining changes are saved."""
    pending = st.session_state[conflict_key]
    stored = pending["stored"].pop(code)
    if keep:
        pending["versions"][code] = stored.version
    else:
        pending["entries"].pop(code)
    if pending["stored"]:
        return
    if pending["entries"]:
        save_grid(pending["entries"], pending["versions"])
    else:
        st.session_state.pop(conflict_key, None)
        st.session_state.pop(base_key, None)


base = grid_base()
table = pd.DataFrame(base["rows"])
edited = st.data_editor(
    table,
    key=base["key"],
    hide_index=True,
    width="stretch",
    disabled=["code", "name", "self", "justification", "evidence"],
    column_config={
        "code": t("word.code", lang),
        "name": t("word.indicator", lang),
        "self": t("rv.self", lang),
        "justification": st.column_config.TextColumn(t("as.justification", lang), width="medium"),
        "evidence": t("as.evidence", lang),
        "final": final_column(framework, levels, t("rv.final", lang), lang),  # issue 13: fractional levels
        "note": st.column_config.TextColumn(t("rv.note", lang), width="medium"),
    },
)
if st.session_state.pop("rv_saved", False):
    st.toast(t("as.saved", lang), icon=":material/check_circle:")
if "rv_error" in st.session_state:
    w.show_error(st.session_state.pop("rv_error"))
pending = st.session_state.get(conflict_key)
if pending:
    st.error(
        t("cf.grid_refused", lang, codes=", ".join(sorted(pending["stored"]))), icon=":material/sync_problem:"
    )
    for code, stored in sorted(pending["stored"].items()):
        mine = pending["entries"][code]
        rows = (
            [(t("rv.final", lang), mine["final_level"], stored.values["final_level"])]
            if "final_level" in mine
            else []
        )
        if "note" in mine:
            rows.append((t("rv.note", lang), mine["note"], stored.values["reviewer_note"]))
        conflict_panel(
            code=code,
            stored=stored,
            rows=rows,
            lang=lang,
            key=f"rv_conflict_{code}",
            keep_mine=partial(decide, code, True),
            take_theirs=partial(decide, code, False),
            take_help=t("cf.grid_take_help", lang),
        )
if st.button(t("rv.save", lang), type="primary", key="rv_save", disabled=bool(pending)):
    try:  # decimal cells in the reader's locale (2,5 / 2.5) when the framework allows fractional levels
        entries = grid_changes(framework, table, edited, lang)
    except InvalidInput as exc:
        w.show_error(exc)
        entries = {}
    if entries:
        save_grid(entries, {code: base["versions"].get(code, 0) for code in entries})
        st.rerun()

unset = {
    code: {"final_level": score.self_level}
    for code, score in view.scores.items()
    if score.final_level is None and score.self_level is not None
}
if (
    unset
    and st.button(t("rv.copy_self", lang, n=len(unset)), key="rv_copy_self")
    and act(save_review, entries=unset, versions={code: view.versions[code] for code in unset})
):
    st.rerun()

with st.expander(t("rv.detail", lang)):
    code = st.selectbox(
        t("as.pick", lang),
        [i.code for i in framework.indicators],
        key="rv_detail",
        format_func=lambda k: f"{k} · {framework.indicator_by_code[k].label(lang)}",
    )
    score = view.scores[code]
    st.markdown(f"**{t('rv.self', lang)}:** {fmt_level(score.self_level, lang)}")
    indicator = framework.indicator_by_code[code]
    claimed_criteria(indicator, framework.scale_of(indicator), lang, score.self_level)
    plain_text(score.justification)
    for ev in score.evidence:
        if ev.kind == "link":
            safe_link(ev.url, ev.filename, lang)
            continue
        evidence_download(actor, ev.id, key=f"rv_dl_{ev.id}", mime=ev.mime_type)

from app_pages.recommendation_panels import previous_recommendations_panel, recommendations_panel  # noqa: E402

previous_recommendations_panel(view, actor, lang)  # issue 12: earlier periods' follow-up to check
recommendations_panel(view, actor, lang)  # this assessment's recommendations: list, add, edit, delete

st.divider()
return_and_finalize(view, act, questions=questions, steps=steps, lang=lang)  # each asks first
