"""Reviewer assignment, for the administrator (issue 12): per period the agencies with their lead and
members; assign or remove by hand, assign in bulk by category and/or province (after a confirmation
naming how many agencies), or upload a CSV/XLSX (preview with every problem, then apply all or nothing).
Services: evaluation/services/reviewers.py, reviewer_roster.py, reviewer_sheet.py."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages import widgets as w
from app_pages.plain import md
from app_pages.uploads import file_input
from evaluation.db import database_url, read_session, write_session
from evaluation.excel_io.limits import max_upload_bytes
from evaluation.formats import period_text
from evaluation.i18n import t
from evaluation.models import AGENCY_CATEGORIES, REVIEWER_ROLES
from evaluation.services.actors import PermissionDenied
from evaluation.services.bulk.plan import ImportRefused
from evaluation.services.reviewer_roster import active_reviewers, assignment_table
from evaluation.services.reviewer_sheet import apply_plan, assignment_template, plan_file
from evaluation.services.reviewers import (
    assign_in_bulk,
    assign_reviewer,
    matching_agencies,
    unassign_reviewer,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

lang = c.current_lang()
actor = c.actor()
st.title(t("ra.title", lang))
st.caption(t("ra.caption", lang))
if st.session_state.get("ra_flash"):
    st.success(st.session_state.pop("ra_flash"))

periods = c.periods(database_url())
if not periods:
    st.info(t("ra.no_periods", lang))
    st.stop()
by_id = {p.id: p for p in periods}
default = next((i for i, p in enumerate(periods) if p.status == "open"), 0)
period_id = st.selectbox(
    t("ra.period", lang),
    list(by_id),
    index=default,
    format_func=lambda i: (
        f"{period_text(by_id[i].year, by_id[i].framework_id, lang)} ({t('period.' + by_id[i].status, lang)})"
    ),
    key="ra_period",
)
period = by_id[period_id]
closed = period.status == "closed"
if closed:
    st.warning(t("ra.closed", lang), icon=":material/lock:")


def role_label(role: str) -> str:
    return t(f"ra.role.{role}", lang)


def run(action: Any, done: str, **kwargs: Any) -> None:
    """Call a write service as this admin; a refusal is shown, a success reruns with a message."""
    try:
        with write_session(c.engine()) as session:
            result = action(session, actor=actor, period_id=period_id, **kwargs)
    except (ValueError, LookupError, PermissionDenied) as exc:
        w.show_error(exc)
        return
    if result is False or result == 0:
        st.session_state["ra_flash"] = t("ra.unchanged", lang)
    elif isinstance(result, bool):
        st.session_state["ra_flash"] = t(done, lang)
    else:
        st.session_state["ra_flash"] = t("ra.changed", lang, count=result)
    st.cache_data.clear()
    st.rerun()


with w.stop_on_refusal(), read_session(c.engine()) as session:
    reviewers = {u.id or 0: u for u in active_reviewers(session)}
    provinces = sorted({a.province for a in matching_agencies(session) if a.province})


def agency_filter(category_key: str, province_key: str) -> tuple[str, str]:
    """A category and a province chosen side by side, each "" for any."""
    left, right = st.columns(2)
    any_label = t("ra.any", lang)
    category = left.selectbox(
        t("word.category", lang),
        ["", *AGENCY_CATEGORIES],
        format_func=lambda s: s or any_label,
        key=category_key,
    )
    province = right.selectbox(
        t("ra.province", lang), ["", *provinces], format_func=lambda s: s or any_label, key=province_key
    )
    return category, province


# --- the table of agencies and their reviewers ------------------------------------------------------
st.markdown(f"#### {t('ra.table', lang)}")
category, province = agency_filter("ra_category", "ra_province")
with w.stop_on_refusal(), read_session(c.engine()) as session:
    table = assignment_table(
        session, actor=actor, period_id=period_id, category=category or None, province=province or None
    )
st.dataframe(
    pd.DataFrame(
        [
            {
                t("word.code", lang): row.code,
                t("ra.agency", lang): row.name,
                t("word.category", lang): row.category,
                t("ra.province", lang): row.province or "",
                t("ra.lead", lang): row.lead[1] if row.lead else "",
                t("ra.members", lang): ", ".join(m[1] for m in row.members),
            }
            for row in table
        ],
        columns=[
            t(k, lang)
            for k in ("word.code", "ra.agency", "word.category", "ra.province", "ra.lead", "ra.members")
        ],
    ),
    hide_index=True,
    width="stretch",
    height=300,
)
without_lead = sum(1 for row in table if row.lead is None)
if without_lead:
    st.caption(t("ra.without_lead", lang, count=without_lead))
if closed:
    st.stop()
if not reviewers:
    st.info(t("ra.no_reviewers", lang))
    st.stop()


def reviewer_label(user_id: int) -> str:
    user = reviewers[user_id]
    return f"{user.full_name} ({user.username})"


# --- one agency by hand -----------------------------------------------------------------------------
with st.expander(t("ra.by_hand", lang), icon=":material/person_add:", expanded=True):
    agencies = {row.agency_id: row for row in table}
    if agencies:
        agency_id = st.selectbox(
            t("ra.agency", lang),
            list(agencies),
            format_func=lambda i: f"{agencies[i].code} · {agencies[i].name}",
            key="ra_agency",
        )
        reviewer_id = st.selectbox(
            t("ra.reviewer", lang), list(reviewers), format_func=reviewer_label, key="ra_rev"
        )
        role = st.radio(
            t("ra.role", lang), REVIEWER_ROLES, format_func=role_label, key="ra_role", horizontal=True
        )
        one, two = st.columns(2)
        if one.button(t("ra.assign", lang), type="primary", key="ra_assign"):
            run(assign_reviewer, "ra.saved", agency_id=agency_id, reviewer_id=reviewer_id, role=role)
        if two.button(t("ra.unassign", lang), key="ra_unassign"):
            run(unassign_reviewer, "ra.removed", agency_id=agency_id, reviewer_id=reviewer_id)

# --- in bulk by category and/or province ------------------------------------------------------------
with st.expander(t("ra.bulk", lang), icon=":material/group_add:"):
    st.caption(t("ra.bulk_help", lang))
    bulk_category, bulk_province = agency_filter("ra_b_cat", "ra_b_prov")
    bulk_reviewer = st.selectbox(
        t("ra.reviewer", lang), list(reviewers), format_func=reviewer_label, key="ra_b_rev"
    )
    bulk_role = st.radio(
        t("ra.role", lang), REVIEWER_ROLES, format_func=role_label, key="ra_b_role", horizontal=True
    )
    if not bulk_category and not bulk_province:
        st.caption(t("ra.bulk_pick", lang))
    else:
        with read_session(c.engine()) as session:
            count = len(
                matching_agencies(session, category=bulk_category or None, province=bulk_province or None)
            )
        st.caption(t("ra.bulk_count", lang, count=count))
        sure = st.checkbox(
            md(
                t(
                    "ra.bulk_confirm",
                    lang,
                    reviewer=reviewers[bulk_reviewer].username,
                    role=role_label(bulk_role).lower(),
                    count=count,
                )
            ),
            key="ra_b_sure",
        )
        if st.button(t("ra.bulk_apply", lang), key="ra_b_apply", disabled=not sure or count == 0):
            run(
                assign_in_bulk,
                "ra.saved",
                reviewer_id=bulk_reviewer,
                role=bulk_role,
                category=bulk_category or None,
                province=bulk_province or None,
            )

# --- from a file ------------------------------------------------------------------------------------
with st.expander(t("ra.upload", lang), icon=":material/upload_file:"):
    st.caption(t("ra.upload_help", lang))
    st.download_button(
        t("ra.template", lang),
        assignment_template(lang),
        "penugasan-asesor.xlsx",
        XLSX,
        key="ra_template",
        icon=":material/table_view:",
    )
    upload = file_input(
        t("ra.upload", lang), key="ra_file", types=["xlsx", "csv"], lang=lang, limit_bytes=max_upload_bytes()
    )
    if upload is not None:
        data = upload.getvalue()
        try:
            with read_session(c.engine()) as session:
                plan = plan_file(session, actor=actor, period_id=period_id, data=data, filename=upload.name)
        except (ValueError, LookupError, PermissionDenied) as exc:
            w.show_error(exc)
        else:
            counts = plan.counts
            st.write(t("ra.preview", lang, problems=len(plan.problems), **counts))
            if plan.problems:
                w.problems_table(plan.problems, lang)
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            t("ra.row", lang): row.number,
                            t("word.code", lang): row.agency_code,
                            t("ra.agency", lang): row.agency_name,
                            t("ra.reviewer", lang): row.reviewer,
                            t("ra.role", lang): role_label(row.role),
                            t("ra.action", lang): t(f"ra.action.{row.action}", lang),
                        }
                        for row in plan.rows
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
            if st.button(t("ra.apply", lang), type="primary", key="ra_apply", disabled=bool(plan.problems)):
                try:
                    with write_session(c.engine()) as session:  # planned again inside the write
                        fresh = plan_file(
                            session, actor=actor, period_id=period_id, data=data, filename=upload.name
                        )
                        changed = apply_plan(session, actor=actor, plan=fresh)
                except (ImportRefused, ValueError, LookupError, PermissionDenied) as exc:
                    w.show_error(exc)
                else:
                    st.session_state["ra_flash"] = t("ra.changed", lang, count=changed)
                    st.cache_data.clear()
                    st.rerun()
