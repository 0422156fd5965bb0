"""Two-step buttons for the actions that cannot be undone from the page (submit, return, finalize): the
first click opens a box that says what will happen (the index and predicate that will result, the counts,
to whom it goes); only its confirm button acts. One box open at a time per session."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from app_pages import components as c
from app_pages.plain import md
from evaluation.db import read_session
from evaluation.i18n import N_, fmt_number, t
from evaluation.services.threads import open_questions

OPEN = "confirm_open"  # session key: the key of the box now open


def ask(key: str, label: str, **button: Any) -> bool:
    """The first step: a button (`key`) that opens its confirmation box. True while the box is open."""
    if st.button(label, key=key, **button):
        st.session_state[OPEN] = key
    return bool(st.session_state.get(OPEN) == key)


def close() -> None:
    st.session_state.pop(OPEN, None)


def confirm_box(
    key: str, facts: Sequence[str], confirm_label: str, lang: str, *, body: str | None = None
) -> bool:
    """The open box of `key`: the facts (Markdown built from page texts; user text escaped by the caller)
    with `body` as plain text after the first one, then confirm (key `<key>_confirm`) and cancel
    (`<key>_cancel`). True once confirmed; the box closes on either button."""
    with st.container(border=True, key=f"{key}_box"):
        st.markdown(f"**{t('sg.confirm_title', lang)}**")
        for n, fact in enumerate(facts):
            st.markdown(fact)
            if n == 0 and body is not None:  # the user's own text follows what will happen
                st.text(body)
        left, right = st.columns(2)
        confirmed = left.button(confirm_label, key=f"{key}_confirm", type="primary")
        if right.button(t("sg.confirm_cancel", lang), key=f"{key}_cancel"):
            close()
            st.rerun()
    if confirmed:
        close()
    return confirmed


def result_fact(view: Any, which: str, lang: str) -> str:
    """'Index from the final levels: 3,05 · Baik' (or what is still missing) for `view.result(which)`."""
    result = view.result(which)
    label = t(N_("sg.result_final") if which == "final" else N_("sg.result_self"), lang)
    if not result.complete:
        return f"{label}: {t('sg.result_incomplete', lang, n=len(result.missing))}"
    predicate = result.predicate.label(lang) if result.predicate else "-"
    return f"{label}: **{fmt_number(result.index_value, lang)}** · {md(predicate)}"


def counts_fact(view: Any, lang: str, questions: int, *, reviewer: bool) -> str:
    """Counts of what the action carries: filled indicators (and evidence), or final levels and notes;
    open questions either way."""
    total = view.total
    scores = view.scores.values()
    parts = [f"{t('sg.count_filled', lang)}: {t('sg.of_total', lang, n=view.filled, total=total)}"]
    if reviewer:
        finals = sum(1 for s in scores if s.final_level is not None or s.not_applicable)
        notes = sum(1 for s in scores if s.reviewer_note)
        parts += [
            f"{t('sg.count_final', lang)}: {t('sg.of_total', lang, n=finals, total=total)}",
            f"{t('sg.count_notes', lang)}: {notes}",
        ]
    else:
        evidenced = sum(1 for s in scores if s.evidence)
        parts.append(f"{t('sg.count_evidence', lang)}: {t('sg.of_total', lang, n=evidenced, total=total)}")
    parts.append(f"{t('sg.count_questions', lang)}: {questions}")
    return " · ".join(parts)


def open_question_count(assessment_id: int) -> int:
    """Reviewers' questions on this assessment still waiting for the agency's answer."""
    with read_session(c.engine()) as session:
        return sum(open_questions(session, assessment_id).values())
