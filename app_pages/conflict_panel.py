"""A refused save keeps what the person typed (issue 10): the newer stored value beside theirs, who saved it
and when, and two ways on: "Simpan milik saya / Keep mine" (save again on the newer version) and "Ambil versi
terbaru / Take theirs". Shared by the agency's indicator form and the reviewer's grid."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from app_pages.plain import md
from evaluation.i18n import N_, fmt_date, fmt_number, t
from evaluation.services.score_versions import StoredScore


def who_and_when(stored: StoredScore, lang: str) -> tuple[str, str]:
    """Who saved the newer value (full name, or "someone else") and when (the reader's date format)."""
    who = stored.updated_by or t("cf.someone", lang)
    when = fmt_date(stored.updated_at, lang) if stored.updated_at else t("cf.unknown_time", lang)
    return who, when


def shown(value: Any, lang: str) -> str:
    """One value as a cell shows it: empty, yes/no, a level or index in the reader's number format, a date."""
    if value is None or value == "":
        return t("cf.empty", lang)
    if isinstance(value, bool):
        return t(N_("cf.yes") if value else N_("cf.no"), lang)
    if isinstance(value, int | float):
        return fmt_number(float(value), lang, 0 if float(value).is_integer() else 2)
    if isinstance(value, datetime | date):
        return fmt_date(value, lang)
    return str(value)


def conflict_panel(
    *,
    code: str,
    stored: StoredScore,
    rows: list[tuple[str, Any, Any]],
    lang: str,
    key: str,
    keep_mine: Callable[[], None],
    take_theirs: Callable[[], None],
    take_help: str | None = None,
) -> None:
    """The refusal of one indicator's save: `rows` are (field label, the person's value, the stored value);
    the buttons run `keep_mine` / `take_theirs` as callbacks (before the next run draws the widgets)."""
    who, when = who_and_when(stored, lang)
    # alerts render Markdown: the name (typed by an admin) is escaped
    st.warning(t("cf.refused", lang, code=code, who=md(who), when=when), icon=":material/sync_problem:")
    st.dataframe(  # cells are not Markdown: what people typed is shown as typed
        pd.DataFrame(
            [(label, shown(mine, lang), shown(theirs, lang)) for label, mine, theirs in rows],
            columns=[t("cf.field", lang), t("cf.yours", lang), f"{t('cf.theirs', lang)} ({who}, {when})"],
        ),
        hide_index=True,
        width="stretch",
    )
    left, right = st.columns(2)
    left.button(t("cf.keep_mine", lang), key=f"{key}_keep", type="primary", on_click=keep_mine)
    right.button(t("cf.take_theirs", lang), key=f"{key}_take", on_click=take_theirs, help=take_help)
