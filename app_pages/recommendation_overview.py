"""The ministry's overview of recommendations (issue 12), for reviewers and admins: open recommendations
(open or reopened) counted by indicator, by agency category and by province, how many are overdue, and
the whole list to download."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages import widgets as w
from evaluation.charts.recommendations import open_recommendations_figure
from evaluation.db import database_url, read_session
from evaluation.formats import framework_label
from evaluation.i18n import t
from evaluation.services.recommendations import OverviewCount, overview
from evaluation.services.recommendations.export import recommendations_file
from evaluation.workflow import MINISTRY_ROLES

lang = c.current_lang()
actor = c.actor()
st.title(t("rc.overview_title", lang))
w.require_roles(actor, *MINISTRY_ROLES)

known = c.periods(database_url())
years = sorted({p.year for p in known}, reverse=True)
frameworks = sorted({p.framework_id for p in known})
cols = st.columns(2)
year = cols[0].selectbox(
    t("rc.year", lang),
    [None, *years],
    format_func=lambda y: t("rc.all_years", lang) if y is None else str(y),
    key="rco_year",
)
framework_id = cols[1].selectbox(
    t("rc.framework", lang),
    [None, *frameworks],
    format_func=lambda f: t("rc.all_frameworks", lang) if f is None else framework_label(f, lang),
    key="rco_framework",
)
with read_session(c.engine()) as session:
    seen = overview(session, actor=actor, year=year, framework_id=framework_id)

open_total = sum(r.open for r in seen.by_category)
metrics = st.columns(4)
metrics[0].metric(t("rc.metric_open", lang), open_total)
metrics[1].metric(t("rc.metric_overdue", lang), sum(r.overdue for r in seen.by_category))
metrics[2].metric(t("rc.metric_agencies", lang), seen.agencies)
metrics[3].metric(t("rc.metric_done", lang), seen.by_status.get("done", 0))

if st.button(t("rc.download", lang), key="rco_prepare", icon=":material/table_view:"):
    with read_session(c.engine()) as session:
        st.session_state["rco_file"] = recommendations_file(session, actor=actor, year=year, lang=lang)
if "rco_file" in st.session_state:
    st.download_button(
        ":material/download: xlsx",
        st.session_state["rco_file"],
        file_name=f"rekomendasi-{year or 'semua'}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="rco_download",
    )

if not open_total:
    st.info(t("rc.overview_empty", lang))
    st.stop()


def indicator_label(row: OverviewCount) -> str:
    if not row.key:
        return f"{t('rc.whole_agency', lang)} ({framework_label(row.framework_id, lang)})"
    return f"{row.key} · {row.name_in(lang) or ''} ({framework_label(row.framework_id, lang)})"


def frame(rows: list[OverviewCount], label_of) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return pd.DataFrame(
        [{"label": label_of(r), "open": r.open, "overdue": r.overdue} for r in rows],
        columns=["label", "open", "overdue"],
    )


parts = {
    "rc.by_indicator": frame(seen.by_indicator, indicator_label),
    "rc.by_category": frame(seen.by_category, lambda r: r.key),
    "rc.by_province": frame(seen.by_province, lambda r: r.key or t("rc.no_province", lang)),
}
for tab, (key, table) in zip(st.tabs([t(k, lang) for k in parts]), parts.items(), strict=True):
    with tab:
        top = table.head(15)
        c.chart(
            open_recommendations_figure(
                top,
                title=t("rc.chart_title", lang) if key == "rc.by_indicator" else t(key, lang),
                within_label=t("rc.within", lang),
                overdue_label=t("rc.overdue_count", lang),
                x_label=t("rc.metric_open", lang),
                lang=lang,
            )
        )
        st.dataframe(
            table.rename(
                columns={
                    "label": t(key, lang),
                    "open": t("rc.open_count", lang),
                    "overdue": t("rc.overdue_count", lang),
                }
            ),
            hide_index=True,
            width="stretch",
        )
