"""Setting a national target (ministry): the national index by a year, or the share of a category's agencies
at a predicate or better. The same service as the Excel targets sheet; audited there."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from app_pages import components as c
from app_pages.roadmap_forms import target_saved
from app_pages.widgets.decimal_cells import decimal_input
from evaluation.db import database_url
from evaluation.i18n import t
from evaluation.models import HORIZONS
from evaluation.services.dashboard import CATEGORY_ORDER


def national_target_form(actor: Any, framework_id: str, lang: str) -> None:
    if not actor.is_ministry:
        return
    versions = [v for v in c.framework_versions(database_url()) if v.framework_id == framework_id]
    if not versions:
        return
    bands = [b.name for b in c.framework(database_url(), versions[-1].version_id).predicate.bands]
    today = date.today()
    with st.expander(t("nr.add", lang)), st.form("nr_target_form"):
        cols = st.columns(3)
        kind = cols[0].selectbox(
            t("rm.kind", lang), ["index", "share"], format_func=lambda k: t(f"kind.{k}", lang), key="nr_kind"
        )
        horizon = cols[1].selectbox(
            t("rm.horizon", lang), HORIZONS, format_func=lambda h: t(f"horizon.{h}", lang), key="nr_horizon"
        )
        category = cols[2].selectbox(t("word.category", lang), CATEGORY_ORDER, key="nr_category")
        baseline_year = cols[0].number_input(t("rm.baseline_year", lang), 2018, 2100, today.year, key="nr_by")
        target_year = cols[1].number_input(t("rm.target_year", lang), 2018, 2100, today.year + 1, key="nr_ty")
        predicate = cols[2].selectbox(
            t("word.predicate", lang), bands, index=min(2, len(bands) - 1), key="nr_predicate"
        )
        value = decimal_input(
            cols[0], t("nr.value", lang), 3.0, lang, key="nr_value", help=t("nr.value_help", lang)
        )
        note = st.text_input(t("rm.notes", lang), key="nr_note")
        st.caption(t("nr.caption", lang))
        share = kind == "share"
        if target_saved(
            lang,
            actor=actor,
            agency_id=None,
            framework_id=framework_id,
            horizon=horizon,
            baseline_year=int(baseline_year),
            target_year=int(target_year),
            target_value=None if value is None else float(value) / 100 if share else float(value),
            target_kind=kind,
            category=category if share else None,
            predicate=predicate if share else None,
            note=note or None,
        ):
            st.cache_data.clear()
            st.toast(t("rm.saved", lang))
            st.rerun()
