"""The national roadmap, for the ministry: the national index against its targets, per category the share
of agencies at a predicate or better against its target, and which agencies are off track."""

from dataclasses import dataclass
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from app_pages import read_models as rm
from app_pages import widgets as w
from app_pages.national_target_form import national_target_form
from app_pages.target_paths import index_path_figure
from evaluation.charts import roadmap as roadmap_charts
from evaluation.db import read_session
from evaluation.formats import framework_label
from evaluation.i18n import N_, fmt_number, t
from evaluation.services.actors import Actor
from evaluation.services.dashboard import CATEGORY_ORDER
from evaluation.services.roadmap import agency_names, list_targets, off_track_targets, series


@dataclass(frozen=True)
class NationalRoadmapView:
    """What the page shows of one framework's national roadmap, built once per data version, day and
    language (issue 17: the targets' series and the off-track check read every agency's results)."""

    index_figure: object
    share_figure: object | None
    targets: pd.DataFrame | None
    lagging: pd.DataFrame | None


@rm.versioned_view(scope=rm.SETTLED)
def roadmap_view(url: str, actor: Actor, framework_id: str, today: date, lang: str) -> NationalRoadmapView:
    """The national index against its targets, the shares per category, the targets and the agencies off
    track; the services check the actor's role."""
    with read_session(rm.engine()) as session:
        read: dict = {}  # the framework's results per year, read once for the targets and series below
        targets = [
            tv
            for tv in list_targets(session, actor=actor, agency_id=None, current_year=today.year, cache=read)
            if tv.framework_id == framework_id
        ]
        national = partial(series, session, agency_id=None, framework_id=framework_id, cache=read)
        observed = national()
        shares = [tv for tv in targets if tv.target_kind == "share"]
        predicate = shares[0].predicate if shares else "Baik"
        share_rows = [
            {"category": category, "year": year, "share": value}
            for category in CATEGORY_ORDER
            for year, value in national(kind="share", category=category, predicate=predicate).items()
        ]
        lagging = off_track_targets(session, actor=actor, current_year=today.year, cache=read)
        names = agency_names(session, (tv.agency_id for tv in lagging if tv.agency_id is not None))

    index_figure = index_path_figure(observed, targets, title=t("rm.national_index", lang), lang=lang)
    share_figure = (
        roadmap_charts.share_figure(
            pd.DataFrame(share_rows),
            [(tv.category or "", tv.target_value) for tv in shares],
            title=t("rm.shares", lang, predicate=predicate),
            y_label=t("rm.share", lang),
            lang=lang,
        )
        if share_rows
        else None
    )
    return NationalRoadmapView(
        index_figure=rm.ready_figure(index_figure, lang),
        share_figure=None if share_figure is None else rm.ready_figure(share_figure, lang),
        targets=_targets_table(targets, lang) if targets else None,
        lagging=_lagging_table(lagging, names, lang) if lagging else None,
    )


def _targets_table(targets: list, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("rm.kind", lang): t(f"kind.{tv.target_kind}", lang),
                t("word.category", lang): tv.category or "",
                t("rm.target_year", lang): tv.target_year,
                t("rm.target_value", lang): fmt_number(
                    tv.target_value * (100 if tv.target_kind == "share" else 1), lang
                ),
                t("rm.latest", lang): fmt_number(
                    (tv.assessment.latest_value or 0) * (100 if tv.target_kind == "share" else 1), lang
                )
                if tv.assessment and tv.assessment.latest_value is not None
                else "-",
                t("rm.status", lang): t(f"status.{tv.assessment.status}", lang) if tv.assessment else "-",
            }
            for tv in targets
        ]
    )


def _lagging_table(lagging: list, names: dict[int, str], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("as.agency", lang): names.get(tv.agency_id or 0, "?"),
                t("word.framework", lang): framework_label(tv.framework_id, lang),
                t("rm.horizon", lang): t(f"horizon.{tv.horizon}", lang),
                t("rm.target_year", lang): tv.target_year,
                t("rm.target_value", lang): fmt_number(tv.target_value, lang),
                t("rm.latest", lang): fmt_number(tv.assessment.latest_value, lang) if tv.assessment else "-",
                t("rm.status", lang): t(f"status.{tv.assessment.status}", lang) if tv.assessment else "-",
            }
            for tv in lagging
        ]
    )


lang, url, actor = w.page_start(N_("rm.national_title"))
framework_id = st.selectbox(
    t("rm.framework", lang),
    ["spbe-2020", "pemdi-2026"],
    key="nr_framework",
    format_func=lambda f: framework_label(f, lang),
)
with w.stop_on_refusal():
    view = roadmap_view(url, actor, framework_id, date.today(), lang)
rm.show_figure(view.index_figure)
if view.share_figure is not None:
    rm.show_figure(view.share_figure)
if view.targets is not None:
    st.dataframe(view.targets, hide_index=True, width="stretch")

national_target_form(actor, framework_id, lang)

st.markdown(f"#### {t('rm.off_track', lang)}")
if view.lagging is None:
    st.info(t("rm.none_off", lang))
else:
    st.dataframe(view.lagging, hide_index=True, width="stretch")
