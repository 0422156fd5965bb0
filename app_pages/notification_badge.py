"""The notification badge in the sidebar, the navigation entry carrying the unread count, and the
delivery of pending emails in the background (issue 12).

Emails are sent after the commit that wrote them, never inside a page's request: `deliver_soon` starts
one background thread per server process (none while one runs) that calls
`evaluation.services.notification_email.deliver_pending` until nothing is due. The badge calls it on
every rerun of a signed-in user, but it only starts a thread when the database's data version changed
since its last look (every write that notifies is audited, which bumps it) or a few minutes passed, so
an idle app does no mail work; the timer (`python -m evaluation notify send`) is the backstop.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import streamlit as st
from sqlalchemy.engine import Engine

from app_pages import components as c
from app_pages.run_memo import once_per_run
from evaluation.data_version import current as current_data_version
from evaluation.db import read_session
from evaluation.i18n import t
from evaluation.services.auth import actor_of
from evaluation.services.notifications import unread_count

PAGE = "app_pages/notifications.py"
RECHECK_SECONDS = 300  # without any write, look for due emails (retries) this often
BATCH = 50
log = logging.getLogger(__name__)


def _unread(user: Any) -> int:
    """The user's unread count, read once per script run (the navigation and the sidebar both show it)."""

    def read() -> int:
        with read_session(c.engine()) as session:
            return unread_count(session, actor=actor_of(user))

    return once_per_run(("unread", user.id), read)


def nav_page(user: Any, lang: str) -> st.Page:
    """The "Notifikasi" page for app.py's navigation, its title carrying the unread count."""
    count = _unread(user)
    title = t("nt.nav_count", lang, count=count) if count else t("nt.nav", lang)
    return st.Page(PAGE, title=title, icon=":material/notifications:", url_path="notifikasi")


def badge(user: Any, lang: str) -> None:
    """The unread count in the sidebar (called by components.user_sidebar), then `deliver_soon`."""
    count = _unread(user)
    if count:
        st.sidebar.markdown(f":material/notifications_active: {t('nt.badge', lang, count=count)}")
    else:
        st.sidebar.caption(f":material/notifications: {t('nt.badge_none', lang)}")
    deliver_soon()


@st.cache_resource(show_spinner=False)
def _sender(url: str) -> dict[str, Any]:
    """This process's delivery state for one database: the running thread, what it last looked at."""
    return {"lock": threading.Lock(), "thread": None, "version": None, "at": 0.0}


def _deliver_all(engine: Engine) -> None:
    from evaluation.services.notification_email import deliver_pending

    try:
        for _ in range(100):  # at most 5,000 emails per start; the rest on the next one
            if deliver_pending(engine, BATCH).claimed < BATCH:
                return
    except Exception:  # a background thread has no page to show it on; the timer retries
        log.exception("notification emails: delivery failed")


def deliver_soon(force: bool = False) -> bool:
    """Start sending due notification emails in a background thread, unless email is off, a thread is
    already sending, or (without `force`) nothing was written since the last look and it is recent.
    Pages that notify may call it with force=True right after their write. Returns whether it started."""
    from evaluation.settings import mail_settings

    if mail_settings() is None:
        return False
    engine = c.engine()
    state = _sender(str(engine.url))
    with state["lock"]:
        running = state["thread"]
        if running is not None and running.is_alive():
            return False
        version = current_data_version(engine)
        now = time.monotonic()
        if not force and version == state["version"] and now - state["at"] < RECHECK_SECONDS:
            return False
        state["version"], state["at"] = version, now
        thread = threading.Thread(target=_deliver_all, args=(engine,), name="spbe-mail", daemon=True)
        state["thread"] = thread
        thread.start()
    return True
