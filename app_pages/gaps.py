"""Self-assessment against the final result (ministry): who over-claims, and on which indicators."""

import streamlit as st

from app_pages import components as c
from app_pages import widgets as w
from evaluation.charts import gap as gap_charts
from evaluation.db import database_url
from evaluation.formats import fmt_delta, fmt_share, text_columns
from evaluation.i18n import fmt_number, t
from evaluation.services import gaps

lang = c.current_lang()
url = database_url()
actor = c.actor()
st.title(t("gp.title", lang))
st.caption(t("gp.caption", lang))
period = w.period_picker(c.periods(url), lang, key="gp_period")
framework = c.framework(url, period.framework_version_id)
names = {ind.code: ind.label(lang) for ind in framework.indicators}
with w.stop_on_refusal():
    years = c.gap_by_year(url, actor)
    long, by_agency = c.gap_tables(url, actor, period.id)
if len(years) > 1:  # over the years, whatever the chosen period holds yet
    c.chart(
        gap_charts.gap_by_year_figure(
            years, title=t("gp.by_year", lang), y_label=t("gp.mean_gap", lang), lang=lang
        ),
        width="stretch",
    )
if long.empty:
    st.info(t("gp.empty", lang))
    st.stop()

st.caption(
    t(
        "gp.summary",
        lang,
        over=fmt_number(int((long["gap"] > 0).sum()), lang, 0),
        total=fmt_number(len(long), lang, 0),
        mean=fmt_number(float(long["gap"].mean()), lang, 2),
    )
)
by_indicator = gaps.gaps_by_indicator(long, names)
c.chart(
    gap_charts.indicator_gap_figure(
        by_indicator, title=t("gp.by_indicator", lang), y_label=t("gp.mean_gap", lang)
    ),
    width="stretch",
)
st.dataframe(
    text_columns(
        text_columns(by_indicator, ["mean_gap"], lang, fmt=fmt_delta), ["over_share"], lang, fmt=fmt_share
    ).rename(
        columns={
            "indicator": t("word.code", lang),
            "indicator_name": t("word.indicator", lang),
            "mean_gap": t("gp.mean_gap", lang),
            "over_share": t("gp.over_share", lang),
            "agencies": t("home.agencies", lang),
        }
    ),
    hide_index=True,
    width="stretch",
)

st.markdown(f"#### {t('gp.agencies', lang)}")
agency_names = dict(zip(by_agency["agency_id"], by_agency["name"], strict=True))
chosen = st.selectbox(
    t("gp.agency_detail", lang),
    [None, *agency_names],
    key="gp_agency",
    format_func=lambda i: "-" if i is None else agency_names[i],
)
c.chart(
    gap_charts.self_final_figure(
        by_agency,
        title=t("gp.scatter", lang),
        x_label=t("gp.final_index", lang),
        y_label=t("gp.self_index", lang),
        highlight=chosen,
    ),
    width="stretch",
)
st.dataframe(
    text_columns(text_columns(by_agency, ["self_index", "final_index"], lang), ["index_gap"], lang, fmt_delta)
    .drop(columns=["agency_id", "mean_gap"])
    .fillna({"province": "-"})
    .rename(
        columns={
            "code": t("word.code", lang),
            "name": t("as.agency", lang),
            "category": t("word.category", lang),
            "province": t("ru.province", lang),
            "self_index": t("gp.self_index", lang),
            "final_index": t("gp.final_index", lang),
            "index_gap": t("gp.index_gap", lang),
            "over": t("gp.over", lang),
            "under": t("gp.under", lang),
        }
    ),
    hide_index=True,
    width="stretch",
    height=320,
)
if chosen is not None:
    mine = long[long["agency_id"] == chosen]
    c.chart(
        gap_charts.indicator_gap_figure(
            gaps.gaps_by_indicator(mine, names),
            title=f"{t('gp.by_indicator', lang)} · {agency_names[chosen]}",
            y_label=t("gp.mean_gap", lang),
        ),
        width="stretch",
    )
