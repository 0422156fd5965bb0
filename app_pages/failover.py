"""A session that moved to this server (issue 14): its server went away, the load balancer sent the
browser here, and the first run on this server carries the widget values the browser still shows, possibly
with an edit made just now. This server has never drawn those widgets, so Streamlit calls no on_change
for them and the page's "show the stored score" step would overwrite the browser's value: the edit would
be lost. So that run takes the browser's values (the database's where the browser sent none), then saves
what differs from the database on the version read from the database (form_state.adopt_browser_edits).
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx


def _browser_widget_ids() -> list[str]:
    ctx = get_script_run_ctx()
    if ctx is None:
        return []
    state = getattr(ctx.session_state, "_state", None)  # SafeSessionState -> SessionState
    pending = getattr(getattr(state, "_new_widget_state", None), "states", None)
    return list(pending or [])


def browser_holds(key: str) -> bool:
    """True when this run carries a value the browser sent for the widget `key` that this server session
    has not drawn yet (Streamlit names a keyed widget `$$ID-<hash>-<key>`)."""
    if key in st.session_state:
        return False
    return any(widget_id.endswith(f"-{key}") for widget_id in _browser_widget_ids())
