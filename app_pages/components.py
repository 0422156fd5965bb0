"""What every page needs that is not a widget: the start-up step, the signed-in user, the language, the
redirect; the engine and the cached read models live in app_pages/read_models.py and are re-exported here.
Widgets (pickers, the permission guard, error display, confirmations) live in app_pages/widgets/."""

from __future__ import annotations

import threading
from typing import Any

import pandas as pd
import streamlit as st

from app_pages.read_models import (  # noqa: F401  (re-exported: pages call c.periods(url) and so on)
    _engine,
    agency_codes,
    agency_gaps,
    agency_options,
    agency_profile,
    engine,
    framework,
    framework_versions,
    gap_by_year,
    gap_tables,
    index_history,
    periods,
    predicate_counts,
    ranking,
    scored_agencies,
    status_counts,
    trend,
    versioned,
)
from app_pages.run_memo import once_per_run
from evaluation.bootstrap import ensure_database
from evaluation.db import database_url, read_session
from evaluation.i18n import LANGUAGES, t
from evaluation.translatable import message_of


@st.cache_resource(show_spinner=False)
def _bootstrap_state(url: str) -> dict[str, Any]:
    return {"ready": False, "lock": threading.Lock()}


def ensure_ready(lang: str) -> None:
    """Once per server process: check the evidence store setting (a bad one stops here with the reason),
    then migrate, register frameworks and, only with SPBE_DEMO=1, load demo data (under the database's
    start-up lock, so several servers may start at once). While the database has no user, say how to
    create the first admin."""
    from app_pages.widgets.progress import reporting_to
    from evaluation.settings import demo_agency_limit, demo_enabled
    from evaluation.storage import StoreConfigError, default_store

    state = _bootstrap_state(database_url())
    if not state["ready"]:
        with state["lock"]:
            if not state["ready"]:
                try:
                    default_store()
                except StoreConfigError as exc:
                    st.error(message_of(exc, lang), icon=":material/error:")
                    st.stop()
                bar = st.progress(0.0, text=t("app.loading_demo", lang))
                ensure_database(
                    engine(),
                    demo=demo_enabled(),
                    demo_limit=demo_agency_limit(),
                    progress=reporting_to(bar, lang),
                )
                bar.empty()
                from app_pages import collector
                from evaluation.settings import collector_freeze_seconds

                collector.start(collector_freeze_seconds())  # one full collection per interval (issue 17)
                state["ready"] = True
    if not state.get("has_users"):
        from evaluation.readiness import any_user

        with read_session(engine()) as session:
            state["has_users"] = any_user(session)
        if not state["has_users"]:
            st.info(t("deploy.no_users", lang), icon=":material/person_add:")


def language_selector() -> None:
    if "lang" not in st.session_state:
        st.session_state["lang"] = "en" if st.query_params.get("lang") == "en" else "id"
    st.sidebar.selectbox(
        "Bahasa / Language", options=list(LANGUAGES), format_func=LANGUAGES.__getitem__, key="lang"
    )


def current_lang() -> str:
    return str(st.session_state.get("lang", "id"))


def current_user() -> Any:
    """The signed-in user: from this browser tab's login, or from the session cookie (any app server)."""
    import time

    from evaluation.db import write_session
    from evaluation.services.auth import ACTIVITY_GRANULARITY, COOKIE_NAME, touch_session

    token = st.session_state.get("session_token") or st.context.cookies.get(COOKIE_NAME)
    if not isinstance(token, str) or not token:
        return None
    user = once_per_run(("user", token), lambda: _user_of(token))
    if user is None:
        st.session_state.pop("session_token", None)
        return None
    if time.monotonic() - st.session_state.get("session_touched", 0.0) > ACTIVITY_GRANULARITY.total_seconds():
        with write_session(engine()) as session:
            touch_session(session, token=token)
        st.session_state["session_touched"] = time.monotonic()
    return user


def _user_of(token: str) -> Any:
    from evaluation.services.auth import user_for_token

    with read_session(engine()) as session:  # every run reads; no write lock on this hot path
        user = user_for_token(session, token=token, touch=False)
        if user is not None:
            session.expunge(user)
    return user


def browser_nonce() -> str | None:
    """This browser's pre-sign-in nonce (the HttpOnly cookie set on its first page load), or None."""
    from evaluation.services.auth import NONCE_COOKIE

    value = st.context.cookies.get(NONCE_COOKIE)
    return value if isinstance(value, str) and value else None


def client_address() -> str:
    """The client's address for sign-in throttling: the connection's, or (SPBE_CLIENT_IP_HEADER set,
    behind a proxy that writes that header) the last address in that header."""
    from evaluation.settings import client_ip_header

    header = client_ip_header()
    if header:
        forwarded = [part.strip() for part in str(st.context.headers.get(header) or "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1][:64]
    return str(st.context.ip_address or "unknown")[:64]


def actor() -> Any:
    from evaluation.services.auth import actor_of

    user = current_user()
    if user is None:
        st.stop()
    return actor_of(user)


def redirect(url: str) -> None:
    """Send the browser to `url` (used for the cookie routes, which must be real page loads)."""
    import html

    from app_pages.security_headers import REDIRECT_SCRIPT  # the only inline script the CSP allows

    link = f'<a id="spbe-redirect" href="{html.escape(url)}" hidden></a>'
    st.html(f"{link}<script>{REDIRECT_SCRIPT}</script>", unsafe_allow_javascript=True)


def user_sidebar(user: Any, lang: str) -> None:
    from evaluation.db import write_session
    from evaluation.services.auth import COOKIE_NAME, logout

    st.sidebar.divider()
    from app_pages.plain import md

    st.sidebar.markdown(f"**{md(user.full_name)}**  \n{t('role.' + user.role, lang)} · {md(user.username)}")
    from app_pages.notification_badge import badge

    badge(user, lang)
    if st.sidebar.button(t("auth.logout", lang), key="logout", icon=":material/logout:"):
        with write_session(engine()) as session:
            logout(session, token=st.session_state.pop("session_token", None))
            logout(session, token=st.context.cookies.get(COOKIE_NAME))
        st.session_state["logged_out"] = True
        redirect("/auth/logout")
        st.stop()


def as_published(frame: pd.DataFrame, columns: Any) -> pd.DataFrame:
    """The frame with index-like columns rounded half up to 2 decimals, as the PDFs and results print them
    (the grid's own %.2f would round the binary float: 3.005 would show as 3.00)."""
    from evaluation.i18n import half_up

    out = frame.copy()
    for column in columns:
        if column in out.columns:
            out[column] = [float(half_up(v)) if v == v and v is not None else None for v in out[column]]
    return out


SEPARATORS = {"id": ",.", "en": ".,"}  # plotly: decimal mark, then thousands mark


def chart(fig: Any, *, width: Any = "stretch") -> None:
    """A plotly figure with the reader's decimal and thousands marks (3,05 in Indonesian), as Babel formats
    the numbers around it."""
    from app_pages.plain import inert_figure

    fig.update_layout(separators=SEPARATORS.get(current_lang(), ".,"))
    st.plotly_chart(inert_figure(fig), width=width)
