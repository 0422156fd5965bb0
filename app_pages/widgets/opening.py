"""The opening a page on the database starts with: who reads it, in which language, and its title."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages import components as c
from evaluation.db import database_url
from evaluation.i18n import t


def page_start(title: str, caption: str | None = None) -> tuple[str, str, Any]:
    """Show the page's `title` (and `caption`): catalogue keys, marked with N_ where they are written.
    Returns (the reader's language, the database URL, the signed-in Actor); without a signed-in user the
    page stops here (components.actor)."""
    lang = c.current_lang()
    url = database_url()
    actor = c.actor()
    st.title(t(title, lang))
    if caption is not None:
        st.caption(t(caption, lang))
    return lang, url, actor
