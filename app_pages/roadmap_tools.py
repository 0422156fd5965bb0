"""The what-if simulator and the best path to a target, shown on the roadmap page."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages.whatif_grid import whatif_levels
from app_pages.widgets.decimal_cells import decimal_cell, decimal_input
from app_pages.widgets.index_metric import index_metric
from evaluation import roadmap_math
from evaluation.charts import roadmap as roadmap_charts
from evaluation.db import read_session
from evaluation.formats import fmt_delta
from evaluation.i18n import N_, fmt_number, t
from evaluation.scoring import score_levels
from evaluation.services.roadmap import latest_levels
from indicators.schema import Framework


def what_if_and_best_path(actor: Any, agency_id: int, fw: Framework, lang: str) -> None:
    with read_session(c.engine()) as session:
        year, levels, source = latest_levels(session, actor=actor, agency_id=agency_id, framework_id=fw.id)
    st.markdown(f"#### {t('rm.whatif', lang)}")
    if not levels:
        st.info(t("rm.no_levels", lang))
        return
    st.caption(
        t(
            "rm.whatif_caption",
            lang,
            source=t(N_("rv.final") if source == "final" else N_("rv.self"), lang).lower(),
            year=year,
        )
    )
    simulated = whatif_levels(
        fw,
        [{"code": i.code, "name": i.label(lang), "now": levels[i.code]} for i in fw.indicators],
        key=f"rm_whatif_{fw.id}_{agency_id}",
        lang=lang,
    )
    now, then = score_levels(fw, levels), score_levels(fw, simulated)
    cols = st.columns(2)
    index_metric(cols[0], t("rm.now", lang), now, lang)
    delta = (then.index_value or 0) - (now.index_value or 0)
    cols[1].metric(
        t("rm.simulated", lang),
        fmt_number(then.index_value, lang),
        f"{fmt_delta(delta, lang)} · {then.predicate.label(lang) if then.predicate else ''}",
    )
    kind = fw.hierarchy[0]
    labels = {g.code: g.label(lang) for g in fw.groups_of_kind(kind)}
    c.chart(
        roadmap_charts.levels_figure(
            now.values_of(kind),
            then.values_of(kind),
            labels=labels,
            current_name=t("rm.now", lang),
            planned_name=t("rm.simulated", lang),
            title=t("rm.whatif", lang),
            lang=lang,
        ),
        width="stretch",
    )
    _best_path(fw, levels, now.index or Fraction(1), lang)


def _next_threshold(fw: Framework, index: Fraction) -> float:
    for band in fw.predicate.bands:
        if band.min > index:
            return float(band.min)
    return 5.0


def _best_path(fw: Framework, levels: dict[str, float], index: Fraction, lang: str) -> None:
    st.markdown(f"#### {t('rm.best', lang)}")
    cols = st.columns(2)
    goal = decimal_input(  # typed in the reader's locale (3,51 / 3.51)
        cols[0], t("rm.best_target", lang), _next_threshold(fw, index), lang, key=f"rm_best_{fw.id}"
    )
    if goal is not None and not 1 <= goal <= 5:
        st.error(t("rm.best_target_range", lang, low=decimal_cell(1, lang), high=decimal_cell(5, lang)))
        goal = None
    cap = cols[1].number_input(t("rm.cap", lang), 0, 4, 0, key=f"rm_cap_{fw.id}")
    if goal is None:  # not a number, or out of range: said under the input
        return
    steps = roadmap_math.best_path(fw, levels, Fraction(str(goal)), max_steps_per_indicator=int(cap) or None)
    if steps is None:
        st.warning(t("rm.best_none", lang))
        return
    after = roadmap_math.index_after(fw, levels, steps)
    st.caption(t("rm.best_steps", lang, n=len(steps), index=fmt_number(float(after or 0), lang)))
    rows = []
    for step in steps:
        indicator = fw.indicator_by_code[step.indicator]
        criterion = indicator.criterion(step.to_level)
        rows.append(
            {
                t("word.code", lang): step.indicator,
                t("word.indicator", lang): indicator.label(lang),
                t("word.level", lang): f"{step.from_level} → {step.to_level}",
                t("rm.step_gain", lang): fmt_delta(float(step.gain), lang),
                t("rm.todo", lang): criterion.text(lang) if criterion else "",
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
