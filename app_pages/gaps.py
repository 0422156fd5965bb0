"""Self-assessment against the final result (ministry): who over-claims, and on which indicators."""

from dataclasses import dataclass

import pyarrow as pa
import streamlit as st

from app_pages import components as c
from app_pages import read_models as rm
from app_pages import widgets as w
from evaluation.charts import gap as gap_charts
from evaluation.formats import fmt_delta, fmt_share, text_columns
from evaluation.i18n import N_, fmt_number, t
from evaluation.services import gaps
from evaluation.services.actors import Actor
from evaluation.services.results import PeriodInfo


@dataclass(frozen=True)
class GapView:
    """What the page shows of a period, built once per data version and language from the period's totals
    (issue 17: never a row per indicator score of every agency, 306,440 at 10x)."""

    summary: str
    indicator_figure: object
    indicator_table: pa.Table
    agency_names: dict[int, str]
    agency_table: pa.Table


def _indicator_names(url: str, period: PeriodInfo, lang: str) -> dict[str, str]:
    return {ind.code: ind.label(lang) for ind in c.framework(url, period.framework_version_id).indicators}


@rm.versioned_view(scope=rm.SETTLED)
def year_figure(url: str, actor: Actor, lang: str) -> object:
    """The mean gap per year, over the years; None with fewer than two."""
    years = c.gap_by_year(url, actor)
    if len(years) <= 1:
        return None
    figure = gap_charts.gap_by_year_figure(
        years, title=t("gp.by_year", lang), y_label=t("gp.mean_gap", lang), lang=lang
    )
    return rm.ready_figure(figure, lang)


@rm.versioned_view(scope=rm.SETTLED)
def gap_view(url: str, actor: Actor, period: PeriodInfo, lang: str) -> GapView | None:
    """The period's summary, per-indicator chart and table, and per-agency table; None when empty."""
    totals, by_agency = c.gap_tables(url, actor, period.id)
    if not totals.pairs:
        return None
    summary = t(
        "gp.summary",
        lang,
        over=fmt_number(totals.over, lang, 0),
        total=fmt_number(totals.pairs, lang, 0),
        mean=fmt_number(totals.mean_gap, lang, 2),
    )
    by_indicator = gaps.indicator_frame(totals, _indicator_names(url, period, lang))
    figure = gap_charts.indicator_gap_figure(
        by_indicator, title=t("gp.by_indicator", lang), y_label=t("gp.mean_gap", lang), lang=lang
    )
    indicator_table = text_columns(
        text_columns(by_indicator, ["mean_gap"], lang, fmt=fmt_delta), ["over_share"], lang, fmt=fmt_share
    ).rename(
        columns={
            "indicator": t("word.code", lang),
            "indicator_name": t("word.indicator", lang),
            "mean_gap": t("gp.mean_gap", lang),
            "over_share": t("gp.over_share", lang),
            "agencies": t("home.agencies", lang),
        }
    )
    agency_table = (
        text_columns(
            text_columns(by_agency, ["self_index", "final_index"], lang), ["index_gap"], lang, fmt_delta
        )
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
        )
    )
    return GapView(
        summary=summary,
        indicator_figure=rm.ready_figure(figure, lang),
        indicator_table=pa.Table.from_pandas(indicator_table, preserve_index=False),
        agency_names=dict(zip(by_agency["agency_id"], by_agency["name"], strict=True)),
        agency_table=pa.Table.from_pandas(agency_table, preserve_index=False),
    )


@rm.versioned_view(max_entries=8, scope=rm.SETTLED)  # a 6,520-point figure per chosen agency: ~2.4 MB each
def scatter(url: str, actor: Actor, period_id: int, chosen: int | None, lang: str) -> object:
    """Self index against final index per agency, `chosen` highlighted."""
    _totals, by_agency = c.gap_tables(url, actor, period_id)
    figure = gap_charts.self_final_figure(
        by_agency,
        title=t("gp.scatter", lang),
        x_label=t("gp.final_index", lang),
        y_label=t("gp.self_index", lang),
        highlight=chosen,
        lang=lang,
    )
    return rm.ready_figure(figure, lang)


@rm.versioned_view(scope=rm.SETTLED)
def agency_figure(url: str, actor: Actor, period: PeriodInfo, chosen: int, name: str, lang: str) -> object:
    """One agency's gap per indicator."""
    figure = gap_charts.indicator_gap_figure(
        gaps.gaps_by_indicator(
            c.agency_gaps(url, actor, period.id, chosen), _indicator_names(url, period, lang)
        ),
        title=f"{t('gp.by_indicator', lang)} · {name}",
        y_label=t("gp.mean_gap", lang),
        lang=lang,
    )
    return rm.ready_figure(figure, lang)


lang, url, actor = w.page_start(N_("gp.title"), N_("gp.caption"))
period = w.period_picker(c.periods(url), lang, key="gp_period")
with w.stop_on_refusal():
    years = year_figure(url, actor, lang)
    view = gap_view(url, actor, period, lang)
if years is not None:  # over the years, whatever the chosen period holds yet
    rm.show_figure(years)
if view is None:
    st.info(t("gp.empty", lang))
    st.stop()

st.caption(view.summary)
rm.show_figure(view.indicator_figure)
st.dataframe(view.indicator_table, hide_index=True, width="stretch")

st.markdown(f"#### {t('gp.agencies', lang)}")
agency_names = view.agency_names
chosen = st.selectbox(
    t("gp.agency_detail", lang),
    [None, *agency_names],
    key="gp_agency",
    format_func=lambda i: "-" if i is None else agency_names[i],
)
rm.show_figure(scatter(url, actor, period.id, chosen, lang))
st.dataframe(view.agency_table, hide_index=True, width="stretch", height=320)
if chosen is not None:
    rm.show_figure(agency_figure(url, actor, period, int(chosen), agency_names[chosen], lang))
