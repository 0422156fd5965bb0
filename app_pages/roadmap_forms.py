"""The roadmap page's form for a new activity (issue 13), saved through the same service as the
activities sheet, and the save button of the agency's and the national target forms; kept apart so that
the pages hold only their own flow."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import streamlit as st

from app_pages import roadmap_edits as edits
from app_pages.widgets.writes import written
from evaluation.formats import DASH
from evaluation.i18n import t, tp
from evaluation.models import ACTIVITY_STATUSES
from evaluation.services.roadmap import save_activity, save_target


def target_saved(lang: str, **target: Any) -> bool:
    """The save button of a target form: True once pressed with a target value typed (`target_value` not
    None) and the target saved through save_target(**target); a refusal is shown and gives False."""
    return bool(
        st.form_submit_button(t("rm.save_target", lang), type="primary")
        and target["target_value"] is not None
        and written(save_target, **target)
    )


def activity_form(
    fw: Any, actor: Any, agency_id: int | None, today: date, lang: str, *, expanded: bool
) -> None:
    """Title, owner, planned dates, indicators, intended level, status and notes of a new activity on
    `fw`'s framework; a refusal is shown, a saved activity reruns the page with a flash."""
    with st.expander(t("rm.add_activity", lang), expanded=expanded), st.form("rm_activity_form"):
        halves = st.columns(2)
        title = halves[0].text_input(t("rm.title_field", lang), key="rm_a_title")
        owner = halves[1].text_input(t("rm.owner", lang), key="rm_a_owner")
        starts = halves[0].date_input(
            tp("input", "rm.starts", lang), today, key="rm_a_start", format="DD/MM/YYYY"
        )
        due = halves[1].date_input(
            tp("input", "rm.due", lang), today + timedelta(days=90), key="rm_a_due", format="DD/MM/YYYY"
        )
        codes = st.multiselect(
            t("rm.indicators", lang),
            list(fw.indicator_by_code),
            key="rm_a_codes",
            format_func=edits.code_label(fw, lang),
            placeholder=t("up.choose", lang),
        )
        level = halves[0].selectbox(
            t("rm.intended", lang),
            [None, 1, 2, 3, 4, 5],
            key="rm_a_level",
            format_func=lambda v: DASH if v is None else str(v),
        )
        status = halves[1].selectbox(
            t("rm.status", lang),
            ACTIVITY_STATUSES,
            key="rm_a_status",
            format_func=lambda s: t(f"activity.{s}", lang),
        )
        notes = st.text_input(t("rm.notes", lang), key="rm_a_notes")
        if st.form_submit_button(t("rm.add_activity", lang), type="primary") and written(
            save_activity,
            actor=actor,
            agency_id=agency_id,
            framework_id=fw.id,
            title=title,
            owner=owner,
            starts_on=starts,
            due_on=due,
            indicators=codes,
            status=status,
            intended_level=level,
            notes=notes,
        ):
            edits.flash_and_rerun("rm.saved", lang)
