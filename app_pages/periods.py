"""Periods and agencies, for the administrator (issue 12): create a period with its schedule and required
stages, change the schedule of an open one, close or reopen one after saying what that does; the agency
register (search, add, edit, deactivate) is `period_admin.agency_register`. Services:
`evaluation.services.period_schedule`, `periods.set_period_status`, `agency_admin`."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages.period_admin import CLOSE, REOPEN, agency_register, confirmed_toggle, run_write
from app_pages.plain import md
from evaluation.db import database_url, read_session
from evaluation.formats import framework_label, period_text
from evaluation.i18n import fmt_date, t
from evaluation.models import EVALUATION_TYPES
from evaluation.services.assessment_state import REQUIRED_STAGES, STAGES_BY_TYPE
from evaluation.services.period_schedule import (
    SCHEDULE_FIELDS,
    PeriodSchedule,
    create_period,
    list_schedules,
    update_schedule,
)
from evaluation.services.periods import set_period_status

lang = c.current_lang()
actor = c.actor()
st.title(t("pa.title", lang))
if st.session_state.get("pa_flash"):
    st.success(st.session_state.pop("pa_flash"))  # page texts; user parts escaped where it was made


def label(p: PeriodSchedule) -> str:
    kind = f" · {t('pa.programme', lang)}" if p.kind == "programme" else ""
    return f"{period_text(p.year, p.framework_id, lang)} v{p.framework_version}{kind}"


def stage_names(stages: Any) -> str:
    return ", ".join(t(f"pa.stage_{s}", lang) for s in stages)


def shown_date(value: date | None) -> str:
    return fmt_date(value, lang) if value else "-"


def schedule_table(schedules: list[PeriodSchedule]) -> None:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("pa.col_period", lang): label(p),
                    t("pa.col_type", lang): t(f"pa.type_{p.evaluation_type}", lang),
                    t("pa.col_status", lang): t(f"period.{p.status}", lang),
                    t("pa.col_stages", lang): stage_names(p.required_stages),
                    **{t(f"pa.{name}", lang): shown_date(getattr(p, name)) for name in SCHEDULE_FIELDS},
                    t("pa.col_assessments", lang): p.assessments,
                }
                for p in schedules
            ]
        ),
        hide_index=True,
        width="stretch",
    )


def date_inputs(key: str, current: PeriodSchedule | None) -> dict[str, date | None]:
    """One date input per schedule field, two per row, empty allowed."""
    cols = st.columns(2)
    return {
        name: cols[n % 2].date_input(
            t(f"pa.{name}", lang),
            value=getattr(current, name) if current else None,
            key=f"{key}_{name}",
            format="YYYY-MM-DD",
        )
        for n, name in enumerate(SCHEDULE_FIELDS)
    }


def stages_input(key: str, evaluation_type: str, current: tuple[str, ...]) -> list[str]:
    return st.multiselect(
        t("pa.required_stages", lang),
        list(STAGES_BY_TYPE[evaluation_type]),
        default=list(current),
        format_func=lambda s: t(f"pa.stage_{s}", lang),
        key=key,
        help=t("pa.stages_help", lang),
        placeholder=t("up.choose", lang),
    )


def create_form() -> None:
    st.markdown(f"#### {t('pa.create', lang)}")
    st.caption(t("pa.create_help", lang))
    versions = c.framework_versions(database_url())
    frameworks = sorted({v.framework_id for v in versions})
    cols = st.columns(3)
    year = cols[0].number_input(
        t("pa.year", lang), min_value=2000, max_value=2100, value=date.today().year + 1, key="pa_new_year"
    )
    framework_id = cols[1].selectbox(
        t("pa.framework", lang),
        frameworks,
        format_func=lambda f: framework_label(f, lang),
        key="pa_new_framework",
    )
    version = cols[2].selectbox(
        t("pa.version", lang),
        [None, *(v.version for v in versions if v.framework_id == framework_id)],
        format_func=lambda v: "-" if v is None else f"v{v}",
        key=f"pa_new_version_{framework_id}",
    )
    evaluation_type = st.selectbox(
        t("pa.col_type", lang),
        EVALUATION_TYPES,
        index=EVALUATION_TYPES.index("pemdi" if str(framework_id).startswith("pemdi") else "evaluasi"),
        format_func=lambda e: t(f"pa.type_{e}", lang),
        key=f"pa_new_type_{framework_id}",
    )
    stages = stages_input(
        f"pa_new_stages_{evaluation_type}", evaluation_type, REQUIRED_STAGES[evaluation_type]
    )
    dates = date_inputs("pa_new", None)
    if st.button(t("pa.create", lang), key="pa_create", type="primary"):
        run_write(
            create_period,
            lambda _id: t("pa.created", lang, period=md(period_text(int(year), framework_id, lang))),
            actor=actor,
            year=int(year),
            framework_id=framework_id,
            framework_version=version,
            evaluation_type=evaluation_type,
            required_stages=stages,
            **dates,
        )


def schedule_form(schedules: list[PeriodSchedule]) -> None:
    st.markdown(f"#### {t('pa.schedule', lang)}")
    open_ones = {p.id: p for p in schedules if p.status == "open"}
    if not open_ones:
        st.info(t("pa.no_open", lang))
        return
    pick = st.selectbox(
        t("pa.schedule_pick", lang),
        list(open_ones),
        format_func=lambda i: label(open_ones[i]),
        key="pa_sched",
    )
    chosen = open_ones[pick]
    stages = stages_input(f"pa_sched_stages_{pick}", chosen.evaluation_type, chosen.required_stages)
    dates = date_inputs(f"pa_sched_{pick}", chosen)
    if st.button(t("pa.schedule_save", lang), key="pa_schedule_save"):
        run_write(
            update_schedule,
            lambda changed: t("pa.schedule_saved", lang, n=len(changed)),
            actor=actor,
            period_id=pick,
            changes={**dates, "required_stages": stages},
        )


def status_form(schedules: list[PeriodSchedule]) -> None:
    st.markdown(f"#### {t('pa.status', lang)}")
    by_id = {p.id: p for p in schedules}
    pick = st.selectbox(
        t("pa.status_pick", lang), list(by_id), format_func=lambda i: label(by_id[i]), key="pa_status_pick"
    )
    chosen = by_id[pick]
    closing = chosen.status == "open"
    confirmed_toggle(
        f"pa_status_{pick}",
        CLOSE if closing else REOPEN,
        lang,
        set_period_status,
        what={"period": md(label(chosen)), "n": chosen.assessments},
        done={"period": md(label(chosen))},
        actor=actor,
        period_id=pick,
        status="closed" if closing else "open",
    )


periods_tab, agencies_tab = st.tabs([t("pa.tab_periods", lang), t("pa.tab_agencies", lang)])
with periods_tab:
    with read_session(c.engine()) as session:
        schedules = list_schedules(session)
    schedule_table(schedules)
    create_form()
    if schedules:
        schedule_form(schedules)
        status_form(schedules)
with agencies_tab:
    agency_register(actor, lang)
