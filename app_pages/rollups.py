"""Province roll-ups (ministry): each province with its regencies and cities, by an aggregation rule the
page states in words."""

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages import read_models as rm
from app_pages import widgets as w
from evaluation.charts import comparison as comparison_charts
from evaluation.charts.figures import PREDICATE_COLOURS
from evaluation.formats import text_columns
from evaluation.i18n import N_, fmt_number, t
from evaluation.scoring.values import exact, predicate_for
from evaluation.services import rollups
from evaluation.services.actors import Actor
from evaluation.services.results import PeriodInfo


@rm.versioned_view(scope=rm.SETTLED)
def rollup_view(
    url: str, actor: Actor, period: PeriodInfo, rule: rollups.Rule, lang: str
) -> tuple[object, pd.DataFrame, list[str]] | None:
    """The provinces by `rule`: the chart, the table as shown, the provinces in order; None without any.
    Built once per data version, rule and language (issue 17)."""
    table = rollups.province_rollup(c.ranking(url, actor, period.id), rule)
    if table.empty:
        return None
    framework = c.framework(url, period.framework_version_id)
    predicates = [
        band.name if (band := predicate_for(framework, exact(v), period.rounding)) else ""
        for v in table["value"]
    ]
    method = rule.method
    figure = comparison_charts.rollup_figure(
        table,
        title=t("ru.chart", lang, method=t(f"ru.{method}", lang).lower()),
        x_label=t("ru.value", lang),
        colours=PREDICATE_COLOURS,
        predicates=predicates,
        lang=lang,
    )
    shown = table.assign(
        predicate=predicates,
        lowest=table["lowest_name"]
        + " ("
        + table["lowest_index"].map(lambda v: fmt_number(v, lang, 2))
        + ")",
    )
    written = text_columns(
        shown[["province", "governments", "province_index", "local_mean", "lowest", "value", "predicate"]],
        ["province_index", "local_mean", "value"],
        lang,
    ).rename(
        columns={
            "province": t("ru.province", lang),
            "governments": t("ru.governments", lang),
            "province_index": t("ru.province_index", lang),
            "local_mean": t("ru.local_mean", lang),
            "lowest": t("ru.lowest", lang),
            "value": t("ru.value", lang),
            "predicate": t("word.predicate", lang),
        }
    )
    return rm.ready_figure(figure, lang), written, list(table["province"])


lang, url, actor = w.page_start(N_("ru.title"))
period = w.period_picker(c.periods(url), lang, key="ru_period")
with w.stop_on_refusal():
    frame = c.ranking(url, actor, period.id)

cols = st.columns([3, 2])
method = cols[0].radio(
    t("ru.method", lang),
    rollups.METHODS,
    key="ru_method",
    horizontal=True,
    format_func=lambda m: t(f"ru.{m}", lang),
)
weight = 0.5
if method == "weighted":
    weight = cols[1].slider(t("ru.weight", lang), 0.0, 1.0, 0.5, 0.05, key="ru_weight")
rule = rollups.Rule(method, weight)
st.info(
    t(
        f"ru.rule_{method}",
        lang,
        w=fmt_number(weight, lang, 2),
        rest=fmt_number(1 - weight, lang, 2),
    ),
    icon=":material/functions:",
)
view = rollup_view(url, actor, period, rule, lang)
if view is None:
    st.info(t("ru.empty", lang))
    st.stop()
figure, table, provinces = view
rm.show_figure(figure)
st.dataframe(table, hide_index=True, width="stretch")

province = st.selectbox(t("ru.members", lang), provinces, key="ru_province")
if province:
    members = rollups.members(frame, province)
    st.dataframe(
        text_columns(members[["rank", "name", "category", "index", "predicate"]], ["index"], lang).rename(
            columns={
                "rank": t("cp.rank", lang),
                "name": t("as.agency", lang),
                "category": t("word.category", lang),
                "index": t("word.index", lang),
                "predicate": t("word.predicate", lang),
            }
        ),
        hide_index=True,
        width="stretch",
    )
