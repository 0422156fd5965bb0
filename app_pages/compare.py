"""Comparing agencies (ministry): the ranking with filters, a heatmap of final levels, and the index
distribution by category with one agency placed among its peers."""

import pyarrow as pa
import streamlit as st

from app_pages import components as c
from app_pages import read_models as rm
from app_pages import widgets as w
from app_pages.plain import md
from app_pages.report_buttons import agency_report_button, national_report_button
from evaluation.charts import comparison as comparison_charts
from evaluation.charts.figures import PREDICATE_COLOURS
from evaluation.db import read_session
from evaluation.formats import fmt_delta, text_columns
from evaluation.i18n import N_, fmt_number, t
from evaluation.services.actors import Actor
from evaluation.services.comparison import (
    filter_ranking,
    level_matrix,
    percentile_in_category,
    previous_period,
)
from evaluation.services.dashboard import CATEGORY_ORDER
from evaluation.services.results import PeriodInfo

FIXED = ("rank", "agency_id", "code", "name", "category", "province", "index", "predicate", "change")


@rm.versioned_view(scope=rm.SETTLED)
def ranking_table(url: str, actor: Actor, period_id: int, lang: str) -> tuple[pa.Table, PeriodInfo | None]:
    """The whole ranking as the grid shows it (text in the reader's locale, columns named, as Arrow), in
    the row order of `c.ranking`, so a filter picks its rows; and the period the change is counted from."""
    frame = c.ranking(url, actor, period_id)
    with read_session(rm.engine()) as session:
        before = previous_period(session, period_id)
    groups = [code for code in frame.columns if code not in FIXED]
    change_label = t("cp.change", lang, year=before.year if before else "-")
    predicate_label, province_label = t("word.predicate", lang), t("cp.province", lang)
    table = frame.drop(columns=["agency_id"] + ([] if before else ["change"])).rename(
        columns={
            "rank": t("cp.rank", lang),
            "code": t("word.code", lang),
            "name": t("as.agency", lang),
            "category": t("word.category", lang),
            "province": province_label,
            "index": t("word.index", lang),
            "predicate": predicate_label,
            "change": change_label,
        }
    )
    # Coloured predicate labels through a read-only multiselect column: cheap to send, unlike a Styler
    # over every cell.
    table[predicate_label] = [[p] if isinstance(p, str) else [] for p in table[predicate_label]]
    table[province_label] = table[province_label].fillna("-")
    # text in the reader's locale (a grid's number format cannot write 3,28); rows are already ranked
    table = text_columns(table, [t("word.index", lang), *groups], lang)
    table = text_columns(table, [change_label], lang, fmt=fmt_delta)
    # as Arrow, which the grid is sent as: converting 6,520 rows on every rerun cost more than the rest
    return pa.Table.from_pandas(table, preserve_index=False), before


@rm.versioned_view(scope=rm.SETTLED)
def heatmap(url: str, actor: Actor, period_id: int, top: tuple[tuple[int, str], ...], lang: str) -> object:
    """The final levels of the `top` agencies (id, name) as a heatmap ready to send; None without any."""
    with read_session(rm.engine()) as session:
        matrix = level_matrix(session, actor=actor, period_id=period_id, agency_ids=[i for i, _ in top])
    if matrix.empty:
        return None
    figure = comparison_charts.heatmap_figure(
        matrix, dict(top), title=t("cp.heatmap", lang), colour_label=t("cp.level", lang), lang=lang
    )
    return rm.ready_figure(figure, lang)


@rm.versioned_view(max_entries=8, scope=rm.SETTLED)  # a 6,520-point figure per highlighted agency
def distribution(
    url: str, actor: Actor, period_id: int, highlight: tuple[str, str, float] | None, lang: str
) -> object:
    """The index by category, with one agency (category, name, index) placed among its peers."""
    figure = comparison_charts.distribution_figure(
        c.ranking(url, actor, period_id),
        categories=CATEGORY_ORDER,
        title=t("cp.distribution", lang),
        y_label=t("word.index", lang),
        highlight=highlight,
        lang=lang,
    )
    return rm.ready_figure(figure, lang)


lang, url, actor = w.page_start(N_("cp.title"))
period = w.period_picker(c.periods(url), lang, key="cp_period")
with w.stop_on_refusal():
    frame = c.ranking(url, actor, period.id)
if frame.empty:
    st.info(t("cp.empty", lang))
    st.stop()

cols = st.columns([2, 2, 2, 3])
categories = cols[0].multiselect(
    t("cp.categories", lang), CATEGORY_ORDER, key="cp_categories", placeholder=t("cp.all", lang)
)
provinces = sorted(p for p in frame["province"].dropna().unique())
province = cols[1].selectbox(
    t("cp.province", lang),
    [None, *provinces],
    help=t("cp.province_help", lang),
    key="cp_province",
    format_func=lambda p: t("cp.all", lang) if p is None else p,
)
bands = [b.name for b in c.framework(url, period.framework_version_id).predicate.bands]
predicates = cols[2].multiselect(
    t("cp.predicates", lang), bands, key="cp_predicates", placeholder=t("cp.all", lang)
)
search = cols[3].text_input(t("cp.search", lang), key="cp_search")
shown = filter_ranking(frame, categories=categories, province=province, predicates=predicates, search=search)
st.caption(t("cp.count", lang, shown=len(shown), total=len(frame)))

whole, before = ranking_table(url, actor, period.id, lang)
# the ranking's rows are labelled 0..n-1 in order, so a label is the row's position in `whole`
table = whole if len(shown) == len(frame) else whole.take(pa.array(shown.index, type=pa.int64()))
predicate_label = t("word.predicate", lang)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height=380,
    column_config={
        predicate_label: st.column_config.MultiselectColumn(
            options=bands, color=[PREDICATE_COLOURS.get(b, "#7f8c8d") for b in bands]
        ),
    },
)

st.markdown(f"#### {t('cp.heatmap', lang)}")
rows = len(shown)
if len(shown) > 5:  # a slider needs room to slide
    rows = st.slider(t("cp.heatmap_rows", lang), 5, min(200, len(shown)), min(40, len(shown)), key="cp_rows")
top = shown.head(rows)
figure = heatmap(
    url, actor, period.id, tuple(zip((int(i) for i in top["agency_id"]), top["name"], strict=True)), lang
)
if figure is not None:
    rm.show_figure(figure)
else:
    st.info(t("cp.no_match", lang))

st.markdown(f"#### {t('cp.distribution', lang)}")
options = dict(zip(frame["agency_id"], frame["name"], strict=True))
chosen = st.selectbox(
    t("cp.highlight", lang),
    [None, *options],
    key="cp_highlight",
    format_func=lambda i: "-" if i is None else options[i],
)
highlight = None
if chosen is not None:
    row = frame[frame["agency_id"] == chosen].iloc[0]
    highlight = (row["category"], row["name"], float(row["index"]))
    st.caption(
        t(
            "cp.percentile",
            lang,
            name=md(row["name"]),
            category=md(row["category"]),
            percentile=fmt_number(percentile_in_category(frame, chosen), lang, 0),
        )
    )
rm.show_figure(distribution(url, actor, period.id, highlight, lang))

st.markdown(f"#### {t('rp.section', lang)}")
cols = st.columns([3, 2])
listed = dict(zip(shown["agency_id"], shown["name"], strict=True))
if len(listed) == 1 and st.session_state.get("cp_report_agency") not in listed:
    st.session_state["cp_report_agency"] = next(iter(listed))  # one match left: it is the one meant
with cols[0]:
    report_for = st.selectbox(
        t("rp.choose", lang),
        list(listed),
        key="cp_report_agency",
        format_func=lambda i: listed[i],
        index=None,
        placeholder="-",
    )
    if report_for is not None:
        agency_report_button(actor, int(report_for), period, lang, key="cp_report")
with cols[1]:
    national_report_button(actor, period, lang, key="cp_national")
