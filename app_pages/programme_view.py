"""The home page's programme view (issue 16): a programme on the founding framework, its ten steps as a
radar against targets, progress per horizon for the programme's agencies, and the step most are stuck on."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import components as c
from evaluation.charts.programme import horizon_progress_figure, steps_radar_figure
from evaluation.db import read_session
from evaluation.i18n import N_, fmt_number, fmt_percent, t
from evaluation.models import HORIZONS
from evaluation.services.programmes import programme_overview, programme_periods
from evaluation.services.results import PeriodInfo


def period_label(period: PeriodInfo, lang: str) -> str:
    """'2026 · vision-to-evaluation · provincial programme': the framework named wherever a period is."""
    return t(
        "pg.period_label",
        lang,
        year=period.year,
        framework=period.framework_id,
        runner=t(f"pg.runner.{period.runner}", lang),
    )


def show(lang: str) -> None:
    """Draw the programme view (a programme period chosen on the page)."""
    with read_session(c.engine()) as session:
        periods = programme_periods(session)
    if not periods:
        st.info(t("pg.none", lang))
        return
    period = st.selectbox(
        t("pg.period", lang),
        periods,
        index=len(periods) - 1,
        format_func=lambda p: period_label(p, lang),
        key="home_programme_period",
    )
    with read_session(c.engine()) as session:
        overview = programme_overview(session, period.id)
    runner = overview.runner_name or t("pg.runner.ministry", lang)
    st.caption(
        f"{t('pg.run_by', lang, runner=runner)} · "
        + t(N_("pg.verified") if period.verified else N_("pg.self_only"), lang)
        + f" · {overview.framework_name_in(lang)}"
    )
    labels = overview.step_labels_in(lang)
    cols = st.columns(3)
    cols[0].metric(t("pg.agencies", lang), fmt_number(overview.agencies, lang, 0))
    stuck = overview.stuck_step
    cols[1].metric(
        t("pg.stuck", lang),
        f"{stuck} {labels.get(stuck, '')}" if stuck else "-",
        t("pg.stuck_count", lang, n=overview.stuck[0][1]) if stuck else None,
        delta_color="off",
        delta_arrow="off",
        help=t("pg.stuck_help", lang),
    )
    cols[2].metric(t("pg.not_applicable", lang), fmt_number(overview.not_applicable, lang, 0))

    horizon = st.radio(
        t("rm.horizon", lang),
        HORIZONS,
        index=1,
        horizontal=True,
        format_func=lambda h: t(f"horizon.{h}", lang),
        key="home_programme_horizon",
    )
    series = {}
    if overview.verified_means:
        series[t("pg.verified_mean", lang)] = overview.verified_means
    series[t("pg.self_mean", lang)] = overview.self_means
    series[t("pg.target_mean", lang, horizon=t(f"horizon.{horizon}", lang))] = overview.target_means[horizon]
    c.chart(steps_radar_figure(series, labels, title=t("pg.radar", lang), lang=lang), width="stretch")

    left, right = st.columns(2)
    with left:
        c.chart(
            horizon_progress_figure(
                [t(f"horizon.{h.horizon}", lang) for h in overview.horizons],
                [h.mean_share for h in overview.horizons],
                [h.reached for h in overview.horizons],
                [h.agencies for h in overview.horizons],
                title=t("pg.horizon_title", lang),
                share_name=t("pg.horizon_share", lang),
                lang=lang,
            ),
            width="stretch",
        )
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("rm.horizon", lang): t(f"horizon.{h.horizon}", lang),
                        t("pg.horizon_agencies", lang): h.agencies,
                        t("pg.horizon_reached", lang): h.reached,
                        t("pg.horizon_share", lang): fmt_percent(h.mean_share, lang),
                    }
                    for h in overview.horizons
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    with right:
        st.markdown(f"##### {t('pg.stuck', lang)}")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("pg.step", lang): f"{code} {labels.get(code, '')}",
                        t("pg.agency_count", lang): n,
                    }
                    for code, n in overview.stuck
                ],
                columns=[t("pg.step", lang), t("pg.agency_count", lang)],
            ),
            hide_index=True,
            width="stretch",
        )
