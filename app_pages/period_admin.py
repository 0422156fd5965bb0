"""Closing and reopening evaluation periods (admin): a closed period is read-only for everyone until it is
reopened; each change is audited. The service is `evaluation.services.periods.set_period_status`.
Also the periods page's shared pieces (app_pages/periods.py): a write with its message, a two-step
confirmation, and the agency register section (`evaluation.services.agency_admin`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages import widgets as w
from app_pages.plain import md
from evaluation.db import database_url, read_session, write_session
from evaluation.formats import period_text
from evaluation.i18n import N_, t
from evaluation.models import AGENCY_CATEGORIES
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.agency_admin import (
    RegisterRow,
    add_agency,
    edit_agency,
    search_register,
    set_agency_active,
)
from evaluation.services.auth import actor_of
from evaluation.services.periods import set_period_status


def period_status_form(user: Any, lang: str) -> None:
    """An expander listing every period with its status and one button to close or reopen the chosen one."""
    periods = c.periods(database_url())
    if not periods:
        return
    with st.expander(t("period.admin", lang), icon=":material/lock:"):
        st.caption(t("period.admin_help", lang))
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("home.period", lang): period_text(p.year, p.framework_id, lang),
                        t("period.status", lang): t(f"period.{p.status}", lang),
                    }
                    for p in periods
                ]
            ),
            hide_index=True,
        )
        by_id = {p.id: p for p in periods}
        chosen_id = st.selectbox(
            t("home.period", lang),
            list(by_id),
            format_func=lambda i: period_text(by_id[i].year, by_id[i].framework_id, lang),
            key="period_admin_choice",
        )
        chosen = by_id[chosen_id]
        target = "open" if chosen.status == "closed" else "closed"
        label = t(N_("period.reopen") if target == "open" else N_("period.close"), lang)
        if st.button(label, key="period_admin_apply"):
            try:
                with write_session(c.engine()) as session:
                    set_period_status(session, actor=actor_of(user), period_id=chosen.id, status=target)
            except PermissionDenied as exc:
                w.show_error(exc)
                return
            st.cache_data.clear()
            st.success(t(N_("period.reopened") if target == "open" else N_("period.closed_done"), lang))


# --- shared by the periods page (app_pages/periods.py) ------------------------------------------------

CONFIRM = "pa_confirm"  # session key: the confirmation box now open


def run_write(action: Callable[..., Any], done: Callable[[Any], str], **arguments: Any) -> None:
    """Call a service in one write transaction; on success remember `done(result)` as the message to show
    and rerun (the lists show the change); a refusal is shown in the user's language."""
    try:
        with write_session(c.engine()) as session:
            result = action(session, **arguments)
    except (ValueError, LookupError, PermissionDenied) as exc:
        w.show_error(exc)
        return
    st.session_state["pa_flash"] = done(result)
    st.rerun()


@dataclass(frozen=True)
class Toggle:
    """The texts of one direction of a two-state change (close / reopen a period, deactivate / reactivate
    an agency): the button, what will happen, the confirm button and the done message."""

    ask: str
    what: str
    confirm: str
    done: str


CLOSE = Toggle(N_("pa.close"), N_("pa.close_what"), N_("pa.confirm_close"), N_("pa.closed_done"))
REOPEN = Toggle(N_("pa.reopen"), N_("pa.reopen_what"), N_("pa.confirm_reopen"), N_("pa.reopened_done"))
DEACTIVATE = Toggle(
    N_("pa.deactivate"), N_("pa.deactivate_what"), N_("pa.confirm_deactivate"), N_("pa.deactivated")
)
REACTIVATE = Toggle(
    N_("pa.reactivate"), N_("pa.reactivate_what"), N_("pa.confirm_reactivate"), N_("pa.reactivated")
)


def confirmed_toggle(
    key: str,
    texts: Toggle,
    lang: str,
    action: Callable[..., Any],
    *,
    what: dict[str, Any],
    done: dict[str, Any],
    **arguments: Any,
) -> None:
    """A two-state change behind a confirmation box (`confirmed`): `action(session, **arguments)` once
    confirmed, its done text (with `done`) as the flash; `what` fills the box's text."""
    if confirmed(key, t(texts.ask, lang), t(texts.what, lang, **what), t(texts.confirm, lang), lang):
        run_write(action, lambda _changed: t(texts.done, lang, **done), **arguments)


def confirmed(key: str, ask_label: str, what: str, confirm_label: str, lang: str) -> bool:
    """A two-step action: the button `key` opens a box saying `what` will happen (Markdown from page
    texts, user text escaped by the caller); True once its confirm button (`<key>_yes`) is clicked."""
    if st.button(ask_label, key=key):
        st.session_state[CONFIRM] = key
    if st.session_state.get(CONFIRM) != key:
        return False
    with st.container(border=True, key=f"{key}_box"):
        st.warning(what, icon=":material/warning:")
        left, right = st.columns(2)
        yes = left.button(confirm_label, key=f"{key}_yes", type="primary")
        if right.button(t("pa.cancel", lang), key=f"{key}_no"):
            st.session_state.pop(CONFIRM, None)
            st.rerun()
    if yes:
        st.session_state.pop(CONFIRM, None)
    return yes


def agency_register(actor: Actor, lang: str) -> None:
    """The agency register: a searchable table (inactive agencies too), a form to add an agency, and for
    the chosen agency an edit form and deactivate / reactivate after confirming."""
    with read_session(c.engine()) as session:
        everything = search_register(session, actor=actor)
        text = st.text_input(t("pa.search", lang), key="pa_search")
        shown = search_register(session, actor=actor, text=text) if text else everything
    st.caption(t("pa.shown", lang, n=len(shown), total=len(everything)))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("pa.code", lang): r.code,
                    t("pa.name", lang): r.name,
                    t("pa.category", lang): r.category,
                    t("pa.subcategory", lang): r.subcategory or "",
                    t("pa.province", lang): r.province or "",
                    t("pa.parent", lang): r.parent_code or "",
                    t("pa.active", lang): r.active,
                    t("pa.col_assessments", lang): r.assessments,
                }
                for r in shown
            ],
            columns=[t(k, lang) for k in REGISTER_COLUMNS],
        ),
        hide_index=True,
        width="stretch",
    )
    codes = [r.code for r in everything]
    _add_form(actor, lang, codes)
    if everything:
        _edit_form(actor, lang, everything, codes)


REGISTER_COLUMNS = (
    "pa.code",
    "pa.name",
    "pa.category",
    "pa.subcategory",
    "pa.province",
    "pa.parent",
    "pa.active",
    "pa.col_assessments",
)


def _add_form(actor: Actor, lang: str, codes: list[str]) -> None:
    with st.form("pa_add_form", clear_on_submit=True):
        st.markdown(f"#### {t('pa.add', lang)}")
        cols = st.columns(2)
        code = cols[0].text_input(t("pa.code", lang), key="pa_add_code", max_chars=32)
        name = cols[1].text_input(t("pa.name", lang), key="pa_add_name", max_chars=200)
        category = cols[0].selectbox(t("pa.category", lang), AGENCY_CATEGORIES, key="pa_add_category")
        subcategory = cols[1].text_input(t("pa.subcategory", lang), key="pa_add_subcategory", max_chars=60)
        province = cols[0].text_input(t("pa.province", lang), key="pa_add_province", max_chars=80)
        parent = cols[1].selectbox(
            t("pa.parent", lang),
            [None, *codes],
            format_func=lambda v: "-" if v is None else v,
            key="pa_add_parent",
            help=t("pa.parent_help", lang),
        )
        if st.form_submit_button(t("pa.add", lang), type="primary"):
            run_write(
                add_agency,
                lambda _id: t("pa.added", lang, code=md(code.strip().upper())),
                actor=actor,
                code=code,
                name=name,
                category=category,
                subcategory=subcategory,
                province=province,
                parent_code=parent,
            )


def _edit_form(actor: Actor, lang: str, rows: list[RegisterRow], codes: list[str]) -> None:
    st.markdown(f"#### {t('pa.edit', lang)}")
    by_id = {r.id: r for r in rows}
    pick = st.selectbox(
        t("pa.pick", lang),
        list(by_id),
        format_func=lambda i: f"{by_id[i].code} · {by_id[i].name}",
        key="pa_edit_pick",
    )
    row = by_id[pick]
    cols = st.columns(2)
    name = cols[0].text_input(t("pa.name", lang), value=row.name, key=f"pa_edit_name_{pick}", max_chars=200)
    category = cols[1].selectbox(
        t("pa.category", lang),
        AGENCY_CATEGORIES,
        index=AGENCY_CATEGORIES.index(row.category),
        key=f"pa_edit_category_{pick}",
    )
    subcategory = cols[0].text_input(
        t("pa.subcategory", lang), value=row.subcategory or "", key=f"pa_edit_sub_{pick}", max_chars=60
    )
    province = cols[1].text_input(
        t("pa.province", lang), value=row.province or "", key=f"pa_edit_province_{pick}", max_chars=80
    )
    parents = [None, *(c for c in codes if c != row.code)]
    parent = cols[0].selectbox(
        t("pa.parent", lang),
        parents,
        index=parents.index(row.parent_code) if row.parent_code in parents else 0,
        format_func=lambda v: "-" if v is None else v,
        key=f"pa_edit_parent_{pick}",
    )
    if st.button(t("pa.edit_save", lang), key="pa_edit_save"):
        run_write(
            edit_agency,
            lambda changed: t("pa.edited", lang, code=md(row.code), n=len(changed)),
            actor=actor,
            agency_id=pick,
            name=name,
            category=category,
            subcategory=subcategory,
            province=province,
            parent_code=parent,
        )
    confirmed_toggle(
        f"pa_active_{pick}",
        DEACTIVATE if row.active else REACTIVATE,
        lang,
        set_agency_active,
        what={"agency": md(f"{row.code} · {row.name}"), "n": row.assessments},
        done={"code": md(row.code)},
        actor=actor,
        agency_id=pick,
        active=not row.active,
    )
