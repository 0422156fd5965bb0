"""Read models cached at the edge, one engine per process, and the data-version key (issue 14).

Every cache here is `st.cache_data` keyed by the database's data version as well as its arguments
(`versioned`): a write on any app server bumps the version, so every server's next rerun reads afresh;
the TTLs only bound memory. Each cache names the version's scope that covers what it shows
(evaluation/data_version.py): SETTLED for what is read from finalized assessments, statuses, the register,
published results and roadmaps (every cache here), so the working saves of unfinished assessments, several
a second in the evaluation weeks, leave them warm (issue 17). The first argument of each is the database
URL. `app_pages.components` re-exports them (pages call `c.periods(url)` and so on).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy.engine import Engine

from evaluation.data_version import EVERYTHING, SETTLED
from evaluation.data_version import current as current_data_version
from evaluation.db import database_url, read_session, shared_engine
from evaluation.services import dashboard
from evaluation.services.agencies import list_agencies
from evaluation.services.results import PeriodInfo, list_periods

F = TypeVar("F", bound=Callable[..., Any])


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    from evaluation.services import scoring_cache

    engine = shared_engine(url)  # one pool per process, shared with the HTTP routes
    scoring_cache.attach(engine)  # each period scored once per data version, for every reader (issue 17)
    return engine


def engine() -> Engine:
    return _engine(database_url())


def versioned(ttl: int, *, scope: int) -> Callable[[F], F]:
    """`st.cache_data` keyed also by the database's data version of `scope` (evaluation/data_version.py:
    EVERYTHING, or SETTLED when what it reads is settled data only): a write on any server changes it, so
    this server's next rerun reads afresh; the TTL only bounds memory. The decorated function's first
    argument is the database URL."""
    return _keyed_by_version(st.cache_data(ttl=ttl, show_spinner=False), scope)


def versioned_shared(ttl: int, *, scope: int) -> Callable[[F], F]:
    """Like `versioned`, but every caller gets the one object kept (`st.cache_resource`), not an unpickled
    copy: for the small read models every page run asks several times (issue 17: copying them was ~8% of an
    assessment page run). Their values are immutable: tuples, frozen dataclasses, read-only mappings."""
    return _keyed_by_version(st.cache_resource(ttl=ttl, max_entries=256, show_spinner=False), scope)


def versioned_view(ttl: int = 300, max_entries: int = 48, *, scope: int) -> Callable[[F], F]:
    """Like `versioned`, for what a page shows rather than what it reads: a figure ready to send
    (`ready_figure`) or a table already written in the reader's locale, built from the cached read models.
    Kept as the one object (`st.cache_resource`: no pickling, no copy) shared by every session of this
    server, so a rerun spends nothing on building, validating or formatting it again (issue 17: 6,520
    agencies' points and cells). Callers never mutate what it returns; `max_entries` bounds memory."""
    return _keyed_by_version(st.cache_resource(ttl=ttl, max_entries=max_entries, show_spinner=False), scope)


def _keyed_by_version(cache: Callable[[Any], Any], scope: int) -> Callable[[F], F]:
    if scope not in (EVERYTHING, SETTLED):
        raise ValueError(f"unknown data version scope {scope!r}")

    def wrap(fn: F) -> F:
        def cached(url: str, version: int, *args: Any, **kwargs: Any) -> Any:
            return fn(url, *args, **kwargs)

        # Streamlit keys a cache by module, qualname and source: the file keeps two pages' views apart (a
        # page runs as __main__)
        cached.__qualname__ = f"{fn.__code__.co_filename}:{fn.__qualname__}.versioned"
        cached.__module__ = fn.__module__
        memo = cache(cached)

        @functools.wraps(fn)
        def call(url: str, *args: Any, **kwargs: Any) -> Any:
            return memo(url, current_data_version(_engine(url), scope), *args, **kwargs)

        call.clear = memo.clear  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]

    return wrap


SEPARATORS = {"id": ",.", "en": ".,"}  # plotly: decimal mark, then thousands mark


class PreparedFigure(go.Figure):
    """A figure whose dictionary is made once. `st.plotly_chart` asks a figure's `to_dict` on every call,
    which deep-copies every point (6,520 agencies' scatter: a third of a warm rerun, issue 17); this one
    hands out the dictionary made when it was prepared, which nothing changes (Streamlit only encodes it)."""

    def to_dict(self) -> dict[str, Any]:
        return self._sent


def ready_figure(fig: go.Figure, lang: str) -> PreparedFigure:
    """`fig` as `components.chart` would send it (the reader's decimal marks, texts made inert), for a
    `versioned_view` to keep; show it with `show_figure`."""
    from app_pages.plain import inert_figure

    fig.update_layout(separators=SEPARATORS.get(lang, ".,"))
    sent = inert_figure(fig).to_dict()
    prepared = PreparedFigure(sent, _validate=False)  # validated already, in inert_figure
    prepared._sent = sent
    return prepared


def show_figure(fig: Any) -> None:
    """A figure from `ready_figure` (shared: never changed here, Streamlit serialises a copy)."""
    st.plotly_chart(fig, width="stretch")


@versioned_shared(ttl=300, scope=SETTLED)
def periods(url: str) -> tuple[PeriodInfo, ...]:
    with read_session(_engine(url)) as session:
        return tuple(list_periods(session))


@versioned(ttl=300, scope=SETTLED)
def trend(url: str) -> pd.DataFrame:
    with read_session(_engine(url)) as session:
        return dashboard.trend_frame(session)


@versioned(ttl=300, scope=SETTLED)
def predicate_counts(url: str, period_id: int) -> pd.DataFrame:
    with read_session(_engine(url)) as session:
        return dashboard.predicate_counts(session, period_id)


@versioned_shared(ttl=60, scope=SETTLED)
def status_counts(url: str, period_id: int) -> Mapping[str, int]:
    with read_session(_engine(url)) as session:
        return MappingProxyType(dashboard.status_counts(session, period_id))


@versioned_shared(ttl=300, scope=SETTLED)
def agency_options(url: str) -> Mapping[int, str]:
    with read_session(_engine(url)) as session:
        return MappingProxyType({a.id or 0: a.name for a in list_agencies(session)})


@versioned_shared(ttl=300, scope=SETTLED)
def scored_agencies(url: str, period_id: int) -> frozenset[int]:
    from evaluation.services.results import period_results

    with read_session(_engine(url)) as session:
        return frozenset(r.agency_id for r in period_results(session, period_id) if r.result.complete)


@versioned_shared(ttl=300, scope=SETTLED)
def agency_profile(url: str, agency_id: int, period_id: int) -> dashboard.AgencyProfile:
    with read_session(_engine(url)) as session:
        return dashboard.agency_profile(session, agency_id, period_id)


@versioned_shared(ttl=300, scope=SETTLED)
def framework_versions(url: str) -> tuple[Any, ...]:
    from evaluation.services.frameworks import list_framework_versions

    with read_session(_engine(url)) as session:
        return tuple(list_framework_versions(session))


@st.cache_resource(show_spinner=False)
def framework(url: str, version_id: int) -> Any:
    from evaluation.services.frameworks import load_framework_version

    with read_session(_engine(url)) as session:
        return load_framework_version(session, version_id)


@versioned_shared(ttl=300, scope=SETTLED)
def agency_codes(url: str) -> Mapping[int, tuple[str, str]]:
    with read_session(_engine(url)) as session:
        return MappingProxyType({a.id or 0: (a.code, a.name) for a in list_agencies(session)})


@versioned(ttl=300, scope=SETTLED)
def index_history(url: str, actor: Any) -> pd.DataFrame:
    """Every agency's index per year (assessed and published); the service checks the actor's role."""
    from evaluation.services.trends import index_history as history

    with read_session(_engine(url)) as session:
        return history(session, actor=actor)


@versioned(ttl=300, scope=SETTLED)
def ranking(url: str, actor: Any, period_id: int) -> pd.DataFrame:
    """The period's ranking (the service checks the actor's role)."""
    from evaluation.services.comparison import ranking as rank

    with read_session(_engine(url)) as session:
        return rank(session, actor=actor, period_id=period_id)


@versioned(ttl=300, scope=SETTLED)
def gap_tables(url: str, actor: Any, period_id: int) -> tuple[Any, pd.DataFrame]:
    """Self vs final: the period's totals (gap_totals.GapTotals) and the per-agency table; the service
    checks the actor. Never a row per indicator score of every agency (issue 17)."""
    from evaluation.services import gaps

    with read_session(_engine(url)) as session:
        totals = gaps.period_totals(session, actor=actor, period_id=period_id)
        return totals, gaps.gaps_by_agency(session, period_id, actor=actor)


@versioned(ttl=300, scope=SETTLED)
def agency_gaps(url: str, actor: Any, period_id: int, agency_id: int) -> pd.DataFrame:
    """One agency's self vs final level per indicator (gaps.indicator_gaps); the service checks the actor."""
    from evaluation.services import gaps

    with read_session(_engine(url)) as session:
        return gaps.indicator_gaps(session, actor=actor, period_id=period_id, agency_id=agency_id)


@versioned(ttl=300, scope=SETTLED)
def gap_by_year(url: str, actor: Any) -> pd.DataFrame:
    from evaluation.services import gaps

    with read_session(_engine(url)) as session:
        return gaps.gap_by_year(session, actor=actor)
