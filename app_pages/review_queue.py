"""The reviewer's queue on the verification page (issue 12): search, filters, counts per status, the table
(own agencies marked and first, age, days left with the overdue highlighted) and the picker. The service
is evaluation.services.review_queue.reviewer_queue."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages import components as c
from evaluation.db import read_session
from evaluation.i18n import N_, fmt_date, t
from evaluation.models import ASSESSMENT_STATUSES, REVIEW_STAGES
from evaluation.services.review_queue import DEFAULT_STATUSES, QueueRow, queue_choices, reviewer_queue

OVERDUE_STYLE = "background-color: #fde2e1; color: #9b1c1c; font-weight: 600"


def _filters(actor: Any, lang: str) -> dict[str, Any]:
    """The search box and filters, their values as reviewer_queue's keywords."""
    with read_session(c.engine()) as session:
        choices = queue_choices(session, actor=actor)
    any_label = t("ra.any", lang)
    search = st.text_input(t("ra.q_search", lang), key="rv_q_search")
    left, middle, right = st.columns(3)
    statuses = left.multiselect(
        t("ra.q_status", lang),
        list(ASSESSMENT_STATUSES),
        default=list(DEFAULT_STATUSES),
        format_func=lambda s: t(f"status.{s}", lang),
        key="rv_q_status",
        placeholder=t("up.choose", lang),
    )
    stage = middle.selectbox(
        t("ra.q_stage", lang),
        ["", *REVIEW_STAGES],
        format_func=lambda s: t(f"stage.{s}", lang) if s else any_label,
        key="rv_q_stage",
    )
    overdue = right.checkbox(t("ra.q_overdue", lang), key="rv_q_overdue")
    left, middle = st.columns(2)
    category = left.selectbox(
        t("ra.q_category", lang),
        ["", *choices["category"]],
        format_func=lambda s: s or any_label,
        key="rv_q_category",
    )
    province = middle.selectbox(
        t("ra.q_province", lang),
        ["", *choices["province"]],
        format_func=lambda s: s or any_label,
        key="rv_q_province",
    )
    return {
        "search": search or None,
        "statuses": statuses or list(DEFAULT_STATUSES),
        "stage": stage or None,
        "category": category or None,
        "province": province or None,
        "overdue_only": overdue,
    }


def _mine_label(row: QueueRow, lang: str) -> str:
    return f"★ {t(f'ra.role.{row.my_role}', lang)}" if row.my_role else ""


def queue_table(rows: list[QueueRow], lang: str) -> Any:
    """The queue as a styled frame: one row per assessment, the days-left cell red when overdue."""
    days = t("ra.q_days_left", lang)
    frame = pd.DataFrame(
        [
            {
                t("ra.q_mine", lang): _mine_label(row, lang),
                t("as.agency", lang): row.agency_name,
                t("word.category", lang): row.category,
                t("ra.q_province", lang): row.province or "",
                t("word.year", lang): row.year,
                t("as.status", lang): t(f"status.{row.status}", lang),
                t("rv.stage", lang): t(f"stage.{row.stage}", lang) if row.stage else "",
                t("status.submitted", lang): fmt_date(row.submitted_at, lang) if row.submitted_at else "",
                t("rv.age", lang): row.age_days,
                days: row.days_left,
            }
            for row in rows
        ]
    )
    late = [row.overdue for row in rows]
    return frame.style.apply(lambda column: [OVERDUE_STYLE if x else "" for x in late], subset=[days])


def queue_panel(actor: Any, lang: str) -> int | None:
    """Draw the queue and return the assessment picked (session key "rv_pick"), or None when nothing is
    waiting or nothing matches the filters (a note says which)."""
    st.markdown(f"#### {t('rv.queue', lang)}")
    wanted = _filters(actor, lang)
    with read_session(c.engine()) as session:
        queue = reviewer_queue(session, actor=actor, **wanted)
    shown = [s for s in ASSESSMENT_STATUSES if s != "draft"]
    cells = st.columns(len(shown) + 2)
    for cell, status in zip(cells, shown, strict=False):
        cell.metric(t(f"status.{status}", lang), queue.counts.get(status, 0))
    cells[-2].metric(t("ra.q_overdue_count", lang), queue.overdue)
    cells[-1].metric(t("ra.q_mine_count", lang), sum(1 for row in queue.rows if row.mine))
    if not queue.rows:
        filtered = set(wanted["statuses"]) != set(DEFAULT_STATUSES) or any(
            wanted[k] for k in ("search", "stage", "category", "province", "overdue_only")
        )
        st.info(t(N_("ra.q_no_match") if filtered else N_("rv.empty"), lang))
        return None
    st.dataframe(queue_table(queue.rows, lang), hide_index=True, width="stretch", height=240)
    choices = {row.assessment_id: row for row in queue.rows}
    picked: int | None = st.selectbox(
        t("rv.pick", lang),
        list(choices),
        key="rv_pick",
        # a label that does not change with the status, so the choice survives the review's own steps
        # with the framework: an agency may have an official and a programme period in one year
        format_func=lambda i: f"{choices[i].agency_name} · {choices[i].year} · {choices[i].framework_name}",
    )
    return picked
