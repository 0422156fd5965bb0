"""Showing a refused action in the reader's words, and located problems as a table."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st

from app_pages.components import current_lang
from app_pages.plain import md
from evaluation.i18n import t
from evaluation.services.actors import PermissionDenied
from evaluation.translatable import message_of


def show_error(exc: Exception) -> None:
    """A refused action in the reader's words (a Translatable error's message in their language); a refused
    import (an exception carrying a plan with problems) lists every problem: sheet, row, column, reason."""
    problems = getattr(getattr(exc, "plan", None), "problems", None)
    lang = current_lang()
    if problems:
        st.error(t("xo.refused_list", lang, count=len(problems)), icon=":material/error:")
        problems_table(problems, lang)
        return
    st.error(md(message_of(exc, lang)), icon=":material/error:")


def problems_table(problems: list[Any], lang: str) -> None:
    """Located problems as a table (dataframe cells are not Markdown: file text shows as it is)."""
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("xl.sheet", lang): p.sheet,
                    t("xl.row", lang): p.row,
                    t("xl.column", lang): p.column,
                    t("xl.reason", lang): p.reason(lang),
                }
                for p in problems
            ]
        ),
        hide_index=True,
        width="stretch",
    )


@contextmanager
def stop_on_refusal(*errors: type[Exception]) -> Iterator[None]:
    """Run a page's reads; on PermissionDenied (or any of `errors`) show the reason and stop the page:

    with w.stop_on_refusal():
        frame = c.ranking(url, actor, period.id)
    """
    refusals: tuple[type[Exception], ...] = (PermissionDenied, *errors)
    try:
        yield
    except refusals as exc:
        show_error(exc)
        st.stop()
