"""Index trends (ministry): national and per-category lines over the years, one agency against its category
and the nation; framework changes shown as breaks unless an admin-defined crosswalk maps the values."""

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages import widgets as w
from app_pages.plain import md
from evaluation.charts.trend import trend_lines_figure
from evaluation.db import database_url, read_session, write_session
from evaluation.formats import framework_label
from evaluation.i18n import fmt_number, t
from evaluation.services import trends
from evaluation.services.actors import PermissionDenied
from evaluation.services.dashboard import CATEGORY_ORDER
from evaluation.workflow import Role

lang = c.current_lang()
url = database_url()
actor = c.actor()
st.title(t("tr.title", lang))
with w.stop_on_refusal():
    history = c.index_history(url, actor)
if history.empty:
    st.info(t("tr.empty", lang))
    st.stop()
st.caption(t("tr.caption", lang))
with read_session(c.engine()) as session:
    crosswalks = trends.active_crosswalks(session)
history = trends.with_crosswalks(history, crosswalks)  # each agency mapped, then the means


def figure(lines: pd.DataFrame, title: str) -> None:
    c.chart(
        trend_lines_figure(
            lines,
            title=title,
            y_label=t("word.index", lang),
            break_label=t("tr.break", lang),
            mapped_suffix=t("tr.mapped", lang),
            mapped_note=t("tr.mapped_note", lang),
            published_label=t("tr.published", lang),
            lang=lang,
        ),
        width="stretch",
    )


national = trends.mean_lines(history, label=t("tr.national", lang))
figure(national, t("tr.national_title", lang))
by_category = trends.mean_lines(history, by="category")
by_category = by_category.sort_values(
    "series", key=lambda s: s.map({c_: i for i, c_ in enumerate(CATEGORY_ORDER)}), kind="stable"
)
figure(by_category, t("tr.category_title", lang))

latest = history[~history["mapped"]].sort_values("year").drop_duplicates("agency_id", keep="last")
names = dict(zip(latest["agency_id"], latest["name"], strict=True))
categories = dict(zip(latest["agency_id"], latest["category"], strict=True))
chosen = st.selectbox(
    t("tr.choose_agency", lang),
    sorted(names, key=names.__getitem__),
    key="tr_agency",
    format_func=names.__getitem__,
)
if chosen is not None:
    category = categories[chosen]
    lines = pd.concat(
        [
            trends.agency_line(history, chosen, names[chosen]),
            trends.mean_lines(history[history["category"] == category], label=category),
            national,
        ],
        ignore_index=True,
    )
    figure(lines, t("tr.agency_title", lang, name=names[chosen], category=category))

st.markdown(f"#### {t('tr.crosswalks', lang)}")
if not crosswalks:
    st.caption(t("tr.no_crosswalk", lang))
for crosswalk in crosswalks:
    st.caption(
        t(
            "tr.crosswalk_line",
            lang,
            source=md(framework_label(crosswalk.from_framework_id, lang)),
            target=md(framework_label(crosswalk.to_framework_id, lang)),
            offset=fmt_number(crosswalk.offset, lang, 2),
            factor=fmt_number(crosswalk.factor, lang, 2),
            basis=md(crosswalk.basis),
        )
    )
    if actor.role == Role.ADMIN and st.button(
        t("tr.withdraw", lang, id=crosswalk.id), key=f"tr_withdraw_{crosswalk.id}"
    ):
        try:
            with write_session(c.engine()) as session:
                trends.withdraw_crosswalk(session, actor=actor, crosswalk_id=crosswalk.id)
        except (trends.CrosswalkError, PermissionDenied) as exc:
            w.show_error(exc)
        else:
            st.toast(t("tr.withdrawn", lang))
            st.rerun()

if actor.role == Role.ADMIN:
    frameworks = sorted({v.framework_id for v in c.framework_versions(url)})
    with st.expander(t("tr.define", lang)), st.form("tr_crosswalk"):
        cols = st.columns(2)
        # the break people ask about: SPBE 2020 onto Pemdi 2026
        old = frameworks.index("spbe-2020") if "spbe-2020" in frameworks else 0
        new = frameworks.index("pemdi-2026") if "pemdi-2026" in frameworks else len(frameworks) - 1

        def named(framework_id: str) -> str:
            return framework_label(framework_id, lang)

        source = cols[0].selectbox(t("tr.from", lang), frameworks, old, format_func=named, key="tr_from")
        target = cols[1].selectbox(t("tr.to", lang), frameworks, new, format_func=named, key="tr_to")
        factor = cols[0].number_input(t("tr.factor", lang), value=1.0, step=0.05, key="tr_factor")
        offset = cols[1].number_input(t("tr.offset", lang), value=0.0, step=0.05, key="tr_offset")
        basis = st.text_area(t("tr.basis", lang), key="tr_basis")
        if st.form_submit_button(t("tr.save", lang)):
            try:
                with write_session(c.engine()) as session:
                    trends.define_crosswalk(
                        session,
                        actor=actor,
                        from_framework_id=source,
                        to_framework_id=target,
                        factor=float(factor),
                        offset=float(offset),
                        basis=basis,
                    )
            except (trends.CrosswalkError, PermissionDenied) as exc:
                w.show_error(exc)
            else:
                st.toast(t("tr.saved", lang))
                st.rerun()
