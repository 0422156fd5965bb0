"""Shared widgets and edge caches: the engine (one per URL), read models (short TTL), the language."""

from __future__ import annotations

import os
import threading
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from evaluation.bootstrap import ensure_database
from evaluation.db import database_url, make_engine, read_session
from evaluation.i18n import LANGUAGES, t
from evaluation.services import dashboard
from evaluation.services.agencies import list_agencies
from evaluation.services.results import PeriodInfo, list_periods


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    return _engine(database_url())


@st.cache_resource(show_spinner=False)
def _bootstrap_state(url: str) -> dict[str, Any]:
    return {"ready": False, "lock": threading.Lock()}


def ensure_ready(lang: str) -> None:
    """Migrate, register frameworks and (unless SPBE_DEMO=0) load demo data, once per server process."""
    state = _bootstrap_state(database_url())
    if state["ready"]:
        return
    with state["lock"]:
        if state["ready"]:
            return
        bar = st.progress(0.0, text=t("app.loading_demo", lang))
        limit = os.environ.get("SPBE_DEMO_AGENCIES")
        ensure_database(
            engine(),
            demo=os.environ.get("SPBE_DEMO", "1") != "0",
            demo_limit=int(limit) if limit else None,
            progress=lambda fraction, message: bar.progress(min(fraction, 1.0), text=message),
        )
        bar.empty()
        state["ready"] = True


def language_selector() -> None:
    if "lang" not in st.session_state:
        st.session_state["lang"] = "en" if st.query_params.get("lang") == "en" else "id"
    st.sidebar.selectbox(
        "Bahasa / Language", options=list(LANGUAGES), format_func=LANGUAGES.__getitem__, key="lang"
    )


def current_lang() -> str:
    return str(st.session_state.get("lang", "id"))


@st.cache_data(ttl=300, show_spinner=False)
def periods(url: str) -> list[PeriodInfo]:
    with read_session(_engine(url)) as session:
        return list_periods(session)


@st.cache_data(ttl=300, show_spinner=False)
def trend(url: str) -> pd.DataFrame:
    with read_session(_engine(url)) as session:
        return dashboard.trend_frame(session)


@st.cache_data(ttl=300, show_spinner=False)
def predicate_counts(url: str, period_id: int) -> pd.DataFrame:
    with read_session(_engine(url)) as session:
        return dashboard.predicate_counts(session, period_id)


@st.cache_data(ttl=60, show_spinner=False)
def status_counts(url: str, period_id: int) -> dict[str, int]:
    with read_session(_engine(url)) as session:
        return dashboard.status_counts(session, period_id)


@st.cache_data(ttl=300, show_spinner=False)
def agency_options(url: str) -> dict[int, str]:
    with read_session(_engine(url)) as session:
        return {a.id or 0: a.name for a in list_agencies(session)}


@st.cache_data(ttl=300, show_spinner=False)
def scored_agencies(url: str, period_id: int) -> list[int]:
    from evaluation.services.results import period_results

    with read_session(_engine(url)) as session:
        return [r.agency_id for r in period_results(session, period_id) if r.result.complete]


@st.cache_data(ttl=300, show_spinner=False)
def agency_profile(url: str, agency_id: int, period_id: int) -> dashboard.AgencyProfile:
    with read_session(_engine(url)) as session:
        return dashboard.agency_profile(session, agency_id, period_id)


@st.cache_data(ttl=300, show_spinner=False)
def framework_versions(url: str) -> list[Any]:
    from evaluation.services.frameworks import list_framework_versions

    with read_session(_engine(url)) as session:
        return list_framework_versions(session)


@st.cache_resource(show_spinner=False)
def framework(url: str, version_id: int) -> Any:
    from evaluation.services.frameworks import load_framework_version

    with read_session(_engine(url)) as session:
        return load_framework_version(session, version_id)


def current_user() -> Any:
    """The signed-in user: from this browser tab's login, or from the session cookie (any app server)."""
    import time

    from evaluation.db import write_session
    from evaluation.services.auth import ACTIVITY_GRANULARITY, COOKIE_NAME, touch_session, user_for_token

    token = st.session_state.get("session_token") or st.context.cookies.get(COOKIE_NAME)
    if not isinstance(token, str) or not token:
        return None
    with read_session(engine()) as session:  # every rerun reads; no write lock on this hot path
        user = user_for_token(session, token=token, touch=False)
        if user is not None:
            session.expunge(user)
    if user is None:
        st.session_state.pop("session_token", None)
        return None
    if time.monotonic() - st.session_state.get("session_touched", 0.0) > ACTIVITY_GRANULARITY.total_seconds():
        with write_session(engine()) as session:
            touch_session(session, token=token)
        st.session_state["session_touched"] = time.monotonic()
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
    if st.sidebar.button(t("auth.logout", lang), key="logout", icon=":material/logout:"):
        with write_session(engine()) as session:
            logout(session, token=st.session_state.pop("session_token", None))
            logout(session, token=st.context.cookies.get(COOKIE_NAME))
        st.session_state["logged_out"] = True
        redirect("/auth/logout")
        st.stop()


def show_error(exc: Exception) -> None:
    """A refused action in the user's words (services phrase them as 'Indonesian / English'); a refused
    import (an exception carrying a plan with problems) lists every problem: sheet, row, column, reason."""
    problems = getattr(getattr(exc, "plan", None), "problems", None)
    if problems:
        lang = current_lang()
        st.error(t("xo.refused_list", lang, count=len(problems)), icon=":material/error:")
        problems_table(problems, lang)
        return
    from app_pages.plain import md

    st.error(md(in_language(str(exc), current_lang())), icon=":material/error:")


def problems_table(problems: list[Any], lang: str) -> None:
    """Located problems as a table (dataframe cells are not Markdown: file text shows as it is)."""
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("xl.sheet", lang): p.sheet,
                    t("xl.row", lang): p.row,
                    t("xl.column", lang): p.column,
                    t("xl.reason", lang): p.message_en if lang == "en" else p.message_id,
                }
                for p in problems
            ]
        ),
        hide_index=True,
        width="stretch",
    )


def in_language(text: str, lang: str) -> str:
    """Services phrase messages as 'Indonesian. / English.'; keep the reader's half when both are there."""
    if ". / " not in text:
        return text
    indonesian, english = text.split(". / ", 1)
    return english if lang == "en" else indonesian + "."


@st.cache_data(ttl=300, show_spinner=False)
def agency_codes(url: str) -> dict[int, tuple[str, str]]:
    with read_session(_engine(url)) as session:
        return {a.id or 0: (a.code, a.name) for a in list_agencies(session)}


@st.cache_data(ttl=300, show_spinner=False)
def index_history(url: str, actor: Any) -> pd.DataFrame:
    """Every agency's index per year (assessed and published); the service checks the actor's role."""
    from evaluation.services.trends import index_history as history

    with read_session(_engine(url)) as session:
        return history(session, actor=actor)


@st.cache_data(ttl=300, show_spinner=False)
def ranking(url: str, actor: Any, period_id: int) -> pd.DataFrame:
    """The period's ranking (the service checks the actor's role)."""
    from evaluation.services.comparison import ranking as rank

    with read_session(_engine(url)) as session:
        return rank(session, actor=actor, period_id=period_id)


@st.cache_data(ttl=300, show_spinner=False)
def gap_tables(url: str, actor: Any, period_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Self vs final per indicator (long) and per agency; the service checks the actor."""
    from evaluation.services import gaps

    with read_session(_engine(url)) as session:
        long = gaps.indicator_gaps(session, actor=actor, period_id=period_id)
        return long, gaps.gaps_by_agency(session, long, period_id, actor=actor)


@st.cache_data(ttl=300, show_spinner=False)
def gap_by_year(url: str, actor: Any) -> pd.DataFrame:
    from evaluation.services import gaps

    with read_session(_engine(url)) as session:
        return gaps.gap_by_year(session, actor=actor)


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
