"""Home dashboard: national index over the years, agencies by predicate, an agency's radar; or, with the
programme family chosen, a programme on the founding framework (app_pages/programme_view.py)."""

import streamlit as st

from app_pages import components as c
from app_pages import programme_view
from app_pages import read_models as rm
from evaluation.charts import figures as charts
from evaluation.db import database_url
from evaluation.formats import framework_label, period_text
from evaluation.i18n import fmt_number, t
from evaluation.services.dashboard import CATEGORY_ORDER


# The figures, built once per data version and language and shared by sessions (issue 17): building and
# validating them was most of a warm rerun's time.
@rm.versioned_view(scope=rm.SETTLED)
def trend_figure(url: str, lang: str) -> object:
    trend = c.trend(url)
    trend = trend.assign(label=[fmt_number(v, lang) for v in trend["index"]])
    title = t("home.trend", lang)
    figure = charts.national_trend_figure(
        trend, title=title, break_label=t("home.trend_break", lang), y_label=t("word.index", lang), lang=lang
    )
    return rm.ready_figure(figure, lang)


@rm.versioned_view(scope=rm.SETTLED)
def predicate_figure(url: str, period_id: int, framework_version_id: int, lang: str) -> object:
    bands = [b.name for b in c.framework(url, framework_version_id).predicate.bands]
    figure = charts.predicate_bar_figure(
        c.predicate_counts(url, period_id),
        predicates=bands,
        categories=CATEGORY_ORDER,
        title=t("home.by_predicate", lang),
        x_label=t("word.category", lang),
        y_label=t("word.count", lang),
    )
    return rm.ready_figure(figure, lang)


@rm.versioned_view(scope=rm.SETTLED)
def radar(url: str, agency_id: int, period_id: int, lang: str) -> object:
    profile = c.agency_profile(url, agency_id, period_id)
    assert profile.result is not None
    figure = charts.radar_figure(
        profile.result.values_of(profile.kind),
        profile.labels_in(lang),
        title=profile.agency_name,
        compare=profile.national_mean,
        compare_name=t("home.national_index", lang),
        lang=lang,
    )
    return rm.ready_figure(figure, lang)


lang = c.current_lang()
url = database_url()
user = c.current_user()
st.title(t("home.title", lang))
st.caption(t("home.caption", lang))
family = st.radio(
    t("pg.family", lang),
    ["official", "programme"],
    format_func=lambda f: t(f"pg.family_{f}", lang),
    horizontal=True,
    key="home_family",
)
if family == "programme":
    programme_view.show(lang)
    st.stop()

trend = c.trend(url)
periods = [p for p in c.periods(url) if not p.is_programme]  # programmes: the other family
if trend.empty:
    st.info(t("home.empty", lang))
    st.stop()

latest = trend.iloc[-1]
current = periods[-1]
statuses = c.status_counts(url, current.id)
cols = st.columns(4)
cols[0].metric(
    f"{t('home.national_index', lang)} {int(latest['year'])}",
    fmt_number(latest["index"], lang),
    help=framework_label(str(latest["framework_id"]), lang),
)
cols[1].metric(t("home.agencies", lang), fmt_number(sum(statuses.values()), lang, 0))
cols[2].metric(f"{t('home.verified', lang)} {current.year}", fmt_number(statuses.get("final", 0), lang, 0))
previous = trend[trend["framework_id"] == latest["framework_id"]]
if len(previous) < 2:
    earlier = trend[trend["framework_id"] != latest["framework_id"]]
    if not earlier.empty:
        cols[3].metric(
            f"{t('home.national_index', lang)} {int(earlier.iloc[-1]['year'])}",
            fmt_number(earlier.iloc[-1]["index"], lang),
            help=framework_label(str(earlier.iloc[-1]["framework_id"]), lang),
        )

rm.show_figure(trend_figure(url, lang))

left, right = st.columns(2)
with left:
    scored = [p for p in periods if p.year in set(trend["year"])]
    closed = [i for i, p in enumerate(scored) if p.status == "closed"]
    default = closed[-1] if closed else len(scored) - 1
    own = user.agency_id if user is not None else None
    if own is not None:  # an agency's own latest verified result first
        mine = [i for i, p in enumerate(scored) if own in c.scored_agencies(url, p.id)]
        default = mine[-1] if mine else default
    period = st.selectbox(
        t("home.period", lang),
        scored,
        index=default,
        format_func=lambda p: period_text(p.year, p.framework_id, lang),
        key="home_period",
    )
    rm.show_figure(predicate_figure(url, period.id, period.framework_version_id, lang))
    st.caption(
        f"{t('home.status_counts', lang)} ({current.year}): "
        + ", ".join(f"{t('status.' + s, lang)} {fmt_number(n, lang, 0)}" for s, n in sorted(statuses.items()))
    )
with right:
    options = c.agency_options(url)
    scored_ids = c.scored_agencies(url, period.id)
    ids = list(options)
    first_scored = next((i for i, agency in enumerate(ids) if agency in scored_ids), 0)
    if own is not None and own in options:
        first_scored = ids.index(own)
    agency_id = st.selectbox(
        t("home.choose_agency", lang),
        ids,
        index=first_scored,
        format_func=options.__getitem__,
        key="home_agency",
    )
    profile = c.agency_profile(url, agency_id, period.id)
    if profile.result is None:
        st.info(t("home.no_result", lang))
    else:
        st.metric(
            f"{t('word.index', lang)} {profile.year}",
            fmt_number(profile.result.index_value, lang),
            profile.result.predicate.label(lang) if profile.result.predicate else None,
            delta_color="off",
            delta_arrow="off",
        )
        rm.show_figure(radar(url, agency_id, period.id, lang))
