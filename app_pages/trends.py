"""Index trends (ministry): national and per-category lines over the years, one agency against its category
and the nation; framework changes shown as breaks unless an admin-defined crosswalk maps the values."""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages import read_models as rm
from app_pages import widgets as w
from app_pages.plain import md
from app_pages.widgets.decimal_cells import decimal_input
from evaluation.charts.trend import trend_lines_figure
from evaluation.db import read_session, write_session
from evaluation.formats import framework_label
from evaluation.i18n import N_, fmt_number, t
from evaluation.services import trends
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.dashboard import CATEGORY_ORDER
from evaluation.services.trends import CrosswalkInfo
from evaluation.workflow import Role


@dataclass(frozen=True)
class TrendView:
    """What the page shows before an agency is chosen, built once per data version and language (issue 17:
    the history holds every agency's index per year, 52,160 rows at 10x)."""

    national: object
    by_category: object
    names: dict[int, str]  # the agencies to choose from, by name
    categories: dict[int, str]
    crosswalks: list[CrosswalkInfo]


def _figure(lines: pd.DataFrame, title: str, lang: str) -> object:
    figure = trend_lines_figure(
        lines,
        title=title,
        y_label=t("word.index", lang),
        break_label=t("tr.break", lang),
        mapped_suffix=t("tr.mapped", lang),
        mapped_note=t("tr.mapped_note", lang),
        published_label=t("tr.published", lang),
        lang=lang,
    )
    return rm.ready_figure(figure, lang)


def _history(url: str, actor: Actor) -> tuple[pd.DataFrame, list[CrosswalkInfo]]:
    history = c.index_history(url, actor)
    with read_session(rm.engine()) as session:
        crosswalks = trends.active_crosswalks(session)
    return trends.with_crosswalks(history, crosswalks), crosswalks  # each agency mapped, then the means


@rm.versioned_view(scope=rm.SETTLED)
def trend_view(url: str, actor: Actor, lang: str) -> TrendView | None:
    """The national and per-category lines, the agencies to choose from and the crosswalks in force; None
    without any history."""
    history, crosswalks = _history(url, actor)
    if history.empty:
        return None
    national = trends.mean_lines(history, label=t("tr.national", lang))
    by_category = trends.mean_lines(history, by="category")
    by_category = by_category.sort_values(
        "series", key=lambda s: s.map({c_: i for i, c_ in enumerate(CATEGORY_ORDER)}), kind="stable"
    )
    latest = history[~history["mapped"]].sort_values("year").drop_duplicates("agency_id", keep="last")
    names = dict(zip(latest["agency_id"], latest["name"], strict=True))
    return TrendView(
        national=_figure(national, t("tr.national_title", lang), lang),
        by_category=_figure(by_category, t("tr.category_title", lang), lang),
        names={i: names[i] for i in sorted(names, key=names.__getitem__)},
        categories=dict(zip(latest["agency_id"], latest["category"], strict=True)),
        crosswalks=crosswalks,
    )


@rm.versioned_view(scope=rm.SETTLED)
def agency_figure(url: str, actor: Actor, agency_id: int, name: str, category: str, lang: str) -> object:
    """One agency's line against its category's and the nation's."""
    history, _crosswalks = _history(url, actor)
    lines = pd.concat(
        [
            trends.agency_line(history, agency_id, name),
            trends.mean_lines(history[history["category"] == category], label=category),
            trends.mean_lines(history, label=t("tr.national", lang)),
        ],
        ignore_index=True,
    )
    return _figure(lines, t("tr.agency_title", lang, name=name, category=category), lang)


lang, url, actor = w.page_start(N_("tr.title"))
with w.stop_on_refusal():
    view = trend_view(url, actor, lang)
if view is None:
    st.info(t("tr.empty", lang))
    st.stop()
st.caption(t("tr.caption", lang))
crosswalks = view.crosswalks
rm.show_figure(view.national)
rm.show_figure(view.by_category)

names = view.names
chosen = st.selectbox(
    t("tr.choose_agency", lang),
    list(names),
    key="tr_agency",
    format_func=names.__getitem__,
)
if chosen is not None:
    category = view.categories[chosen]
    rm.show_figure(agency_figure(url, actor, int(chosen), names[chosen], category, lang))

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
        # decimals typed in the reader's locale (1,1 / 1.1); a text that is not one is said under it
        factor = decimal_input(cols[0], t("tr.factor", lang), 1.0, lang, key="tr_factor")
        offset = decimal_input(cols[1], t("tr.offset", lang), 0.0, lang, key="tr_offset")
        basis = st.text_area(t("tr.basis", lang), key="tr_basis")
        if st.form_submit_button(t("tr.save", lang)) and factor is not None and offset is not None:
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
