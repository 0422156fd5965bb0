"""The verification page's last two actions, each behind a confirmation that says what will happen:
return for revision (to whom, with which note) and finalize (the index and predicate that will be
published, the counts, what the stages still miss). A finalized assessment is remembered so the page
shows its finished result next (`finished_result`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from app_pages.finished_result import FINISHED
from app_pages.plain import md
from app_pages.stage_steps import missing_notes
from app_pages.widgets.confirmations import ask, confirm_box, counts_fact, result_fact
from evaluation.i18n import fmt_number, t
from evaluation.services.review import finalize, return_for_revision
from evaluation.services.stage_rules import Step


def return_and_finalize(
    view: Any, act: Callable[..., bool], *, questions: int, steps: list[Step], lang: str
) -> None:
    """`act(service, **kwargs)` runs a status change on `view` and shows a refusal (False)."""
    left, right = st.columns(2)
    with left:
        note = st.text_area(t("rv.return_note", lang), key="rv_return_note")
        if ask("rv_return", t("rv.return", lang)):
            facts = [
                t("sg.return_what", lang, agency=md(view.agency_name), year=view.year),
                result_fact(view, "final", lang),
                counts_fact(view, lang, questions, reviewer=True),
            ]
            body = note.strip() or t("sg.return_no_note", lang)
            if confirm_box("rv_return", facts, t("sg.return_confirm", lang), lang, body=body) and act(
                return_for_revision, note=note
            ):
                st.session_state["rv_flash"] = (
                    f"{t('status.returned', lang)}: {md(view.agency_name)} · {view.year}"
                )
                st.rerun()
    with right:
        preview = view.result("final")
        if preview.complete:
            st.metric(
                t("word.index", lang),
                fmt_number(preview.index_value, lang),
                preview.predicate.label(lang) if preview.predicate else None,
                delta_color="off",
                delta_arrow="off",
            )
        if ask("rv_finalize", t("rv.finalize", lang), type="primary"):
            facts = [
                t("sg.finalize_what", lang, agency=md(view.agency_name), year=view.year),
                result_fact(view, "final", lang),
                counts_fact(view, lang, questions, reviewer=True),
                *(f":material/warning: {line}" for line in missing_notes(steps, view, lang)),
            ]
            if confirm_box("rv_finalize", facts, t("sg.finalize_confirm", lang), lang) and act(finalize):
                st.session_state["rv_flash"] = (
                    f"{t('rv.finalized', lang)} {md(view.agency_name)} · {view.year}"
                )
                st.session_state[FINISHED] = view.id  # the page shows this result next, not the next agency
                st.cache_data.clear()  # dashboards read the published results
                st.rerun()
