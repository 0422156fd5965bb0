"""Pages on several servers (issue 14): read caches keyed by the data version show another server's write
on the next rerun; a production start on an empty database creates no users and says how to make one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st
from sqlmodel import func, select
from streamlit.testing.v1 import AppTest

from evaluation.db import make_engine, read_session, write_session
from evaluation.demo.data import DEMO_AGENCY_CODE
from evaluation.models import Agency, User
from evaluation.services.auth import actor_of
from evaluation.services.results import list_periods
from evaluation.services.self_assessment import open_assessment
from tests.app.conftest import APP

pytestmark = pytest.mark.app


def test_a_write_by_another_server_shows_on_the_next_read_without_waiting_for_the_ttl(app, demo_engine):
    from app_pages import components as c

    url = demo_engine.url.render_as_string(hide_password=False)
    with read_session(demo_engine) as session:
        period = next(p for p in list_periods(session) if p.framework_id == "pemdi-2026")
    before = c.status_counts(url, period.id)
    assert c.status_counts(url, period.id) is not None  # cached now (TTL 60 s)
    # another server's write: its own engine and transaction; no cache is cleared here
    other = make_engine(url)
    with write_session(other) as session:
        coordinator = session.exec(select(User).where(User.username == "koordinator")).one()
        agency = session.exec(select(Agency).where(Agency.code == DEMO_AGENCY_CODE)).one()
        open_assessment(session, actor=actor_of(coordinator), agency_id=agency.id or 0, period_id=period.id)
    other.dispose()
    after = c.status_counts(url, period.id)
    assert after.get("draft", 0) == before.get("draft", 0) + 1


def test_the_cached_reads_are_not_read_again_while_nothing_is_written(app, demo_engine, monkeypatch):
    from app_pages import components as c
    from evaluation.services import dashboard

    url = demo_engine.url.render_as_string(hide_password=False)
    calls = []
    original = dashboard.status_counts
    monkeypatch.setattr(dashboard, "status_counts", lambda s, p: calls.append(p) or original(s, p))
    with read_session(demo_engine) as session:
        period = list_periods(session)[0]
    c.status_counts(url, period.id)
    c.status_counts(url, period.id)
    assert calls == [period.id]


@pytest.fixture
def empty_app(engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    """app.py on a migrated database without demo data or users, SPBE_DEMO unset (a production start)."""
    if engine.dialect.name != "sqlite":
        pytest.skip("pages are tested on SQLite")
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.delenv("SPBE_DEMO", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield AppTest.from_file(str(APP), default_timeout=60).run()
    st.cache_data.clear()
    st.cache_resource.clear()


def test_a_production_start_on_an_empty_database_creates_no_users_and_says_how(empty_app, engine):
    assert not empty_app.exception
    assert any("python -m evaluation create-user" in i.value for i in empty_app.info)
    with read_session(engine) as session:
        assert session.exec(select(func.count()).select_from(User)).one() == 0
