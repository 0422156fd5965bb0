"""An agency's roadmap: actual index against its target paths, targets with status, activities as a
timeline, the what-if simulator and the best path to a target."""

from datetime import date

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages import roadmap_bridge, roadmap_forms, roadmap_tools
from app_pages import roadmap_edits as edits
from app_pages import widgets as w
from app_pages.target_paths import index_path_figure
from app_pages.widgets.decimal_cells import decimal_input
from evaluation.charts import roadmap as roadmap_charts
from evaluation.db import read_session
from evaluation.formats import framework_label
from evaluation.i18n import N_, fmt_date, fmt_number, t, tp
from evaluation.models import ACTIVITY_STATUSES, HORIZONS
from evaluation.services.roadmap import (
    TargetView,
    horizon_years,
    list_activities,
    list_targets,
    series,
)

lang, url, actor = w.page_start(N_("rm.title"))
flash = st.session_state.pop("rm_flash", None)
if flash:
    st.success(flash)

agency_id = w.agency_picker(actor, c.agency_options(url), lang, key="rm_agency")
frameworks = ["pemdi-2026", "spbe-2020", "vision-to-evaluation"]
framework_id = st.selectbox(
    t("rm.framework", lang), frameworks, key="rm_framework", format_func=lambda f: framework_label(f, lang)
)
fw = [c.framework(url, v.version_id) for v in c.framework_versions(url) if v.framework_id == framework_id][-1]
today = date.today()

with w.stop_on_refusal(), read_session(c.engine()) as session:
    targets = list_targets(session, actor=actor, agency_id=agency_id, current_year=today.year)
    activities = list_activities(session, actor=actor, agency_id=agency_id, today=today)

live = [tv for tv in targets if not tv.superseded and tv.framework_id == framework_id]
with read_session(c.engine()) as session:
    observed = series(session, agency_id=agency_id, framework_id=framework_id)
c.chart(
    index_path_figure(observed, live, title=t("rm.path", lang), lang=lang, baselines=observed),
    width="stretch",
)


def target_rows(views: list[TargetView]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("rm.horizon", lang): t(f"horizon.{tv.horizon}", lang),
                t("rm.kind", lang): t(f"kind.{tv.target_kind}", lang),
                t("rm.code", lang): tv.target_code or "",
                t("word.framework", lang): framework_label(tv.framework_id, lang),
                t("rm.baseline_year", lang): tv.baseline_year,
                t("rm.target_year", lang): tv.target_year,
                t("rm.target_value", lang): fmt_number(tv.target_value, lang),
                t("rm.latest", lang): fmt_number(tv.assessment.latest_value, lang) if tv.assessment else "-",
                t("rm.status", lang): t(f"status.{tv.assessment.status}", lang) if tv.assessment else "-",
                t("rm.projected", lang): (tv.assessment.projected_year if tv.assessment else None) or "-",
                t("tw.note", lang): tv.note or "",
            }
            for tv in views
        ]
    )


st.markdown(f"#### {t('rm.targets', lang)}")
if live:
    st.dataframe(target_rows(live), hide_index=True, width="stretch")
    edits.target_editor(live, actor, lang)  # issue 13: change or delete a target
focused = [tv for tv in live if tv.target_kind in ("group", "indicator") and tv.target_code]
if focused:  # current against target, per domain, aspect or indicator that has a target
    latest_of = {
        tv.target_code or "": (tv.assessment.latest_value if tv.assessment else None) or 0.0 for tv in focused
    }
    c.chart(
        roadmap_charts.levels_figure(
            latest_of,
            {tv.target_code or "": tv.target_value for tv in focused},
            labels={
                code: (
                    fw.group_by_code[code].label(lang)
                    if code in fw.group_by_code
                    else fw.indicator_by_code[code].label(lang)
                )
                for code in latest_of
            },
            current_name=t("rm.latest", lang),
            planned_name=t("rm.targets", lang),
            title=t("rm.levels", lang),
            lang=lang,
        ),
        width="stretch",
    )
started = {
    v.framework_id: c.framework(url, v.version_id).effective_years.start for v in c.framework_versions(url)
}
history = [tv for tv in targets if tv.superseded or tv.framework_id != framework_id]
if history:
    with st.expander(t("rm.history", lang)):
        st.dataframe(target_rows(history), hide_index=True, width="stretch")

with st.expander(t("rm.add_target", lang), expanded=not live), st.form("rm_target_form"):
    cols = st.columns(3)
    horizon = cols[0].selectbox(
        t("rm.horizon", lang), HORIZONS, format_func=lambda h: t(f"horizon.{h}", lang), key="rm_horizon"
    )
    kind = cols[1].selectbox(
        t("rm.kind", lang),
        ["index", "group", "indicator"],
        format_func=lambda k: t(f"kind.{k}", lang),
        key="rm_kind",
    )
    code = cols[2].selectbox(
        t("rm.code", lang),
        [None, *fw.group_by_code, *fw.indicator_by_code],
        key="rm_code",
        format_func=edits.code_label(fw, lang),
    )
    baseline_year = int(
        cols[0].number_input(
            t("rm.baseline_year", lang), 2018, 2100, edits.default_baseline_year(fw, today), key="rm_by"
        )
    )
    latest = observed.get(max(observed)) if observed else None
    baseline_value = decimal_input(
        cols[1], t("rm.baseline_value", lang), float(latest or 2.5), lang, key=f"rm_bv_{framework_id}"
    )
    target_value = decimal_input(
        cols[2], t("rm.target_value", lang), edits.default_target(latest), lang, key="rm_tv"
    )
    target_year = cols[0].number_input(
        t("rm.target_year", lang),
        2018,
        2100,
        None,
        key="rm_ty",
        help=", ".join(f"{t('horizon.' + h, lang)}: {y}" for h, y in horizon_years(today.year).items()),
    )
    older = {  # targets on an earlier framework can be restated on this one, never the other way
        tv.id: tv
        for tv in targets
        if not tv.superseded and started.get(tv.framework_id, 0) < started.get(framework_id, 0)
    }
    replaces = cols[1].selectbox(
        t("rm.replaces", lang),
        [None, *older],
        key="rm_replaces",
        format_func=lambda i: (
            "-"
            if i is None
            else f"{framework_label(older[i].framework_id, lang)} · "
            f"{t('horizon.' + older[i].horizon, lang)} · {older[i].target_year} · "
            f"{fmt_number(older[i].target_value, lang)}"
        ),
    )
    note = st.text_input(t("rm.notes", lang), key="rm_note")
    if roadmap_forms.target_saved(
        lang,
        actor=actor,
        agency_id=agency_id,
        framework_id=framework_id,
        horizon=horizon,
        baseline_year=baseline_year,
        baseline_value=baseline_value,
        target_year=int(target_year) if target_year else horizon_years(baseline_year)[horizon],
        target_value=target_value,
        target_kind=kind,
        target_code=code if kind != "index" else None,
        note=note or None,
        replaces=replaces,
    ):
        edits.flash_and_rerun("rm.saved", lang)

st.markdown(f"#### {t('rm.activities', lang)}")
mine = [a for a in activities if a.framework_id == framework_id]
if mine:
    gantt = pd.DataFrame(
        [
            {
                "title": a.title,
                "starts_on": a.starts_on,
                "due_on": a.due_on,
                "status": a.status,
                "overdue": a.overdue,
            }
            for a in mine
        ]
    )
    c.chart(
        roadmap_charts.gantt_figure(
            gantt,
            title=t("rm.activities", lang),
            today=today,
            today_label=t("rm.today", lang),
            lang=lang,
            status_names={s: t(f"activity.{s}", lang) for s in ACTIVITY_STATUSES},
        ),
        width="stretch",
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("rm.title_field", lang): ("⚠ " if a.overdue else "") + a.title,
                    t("rm.owner", lang): a.owner,
                    tp("column", "rm.starts", lang): fmt_date(a.starts_on, lang),
                    tp("column", "rm.due", lang): fmt_date(a.due_on, lang),
                    t("rm.status", lang): t(f"activity.{a.status}", lang),
                    t("tw.progress_pct", lang): a.progress,
                    t("rm.indicators", lang): ", ".join(a.indicators),
                    t("rm.intended", lang): a.intended_level,
                    t("rm.overdue", lang): "ya" if a.overdue else "",
                }
                for a in mine
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    edits.activity_editor(mine, actor, lang)  # issue 13: status, progress, actual dates; delete
roadmap_forms.activity_form(fw, actor, agency_id, today, lang, expanded=not mine)

roadmap_tools.what_if_and_best_path(actor, agency_id, fw, lang)
if framework_id == "vision-to-evaluation":  # the founding framework: its bridge to the official index
    roadmap_bridge.bridge_section(actor, agency_id, fw, live, mine, lang)
