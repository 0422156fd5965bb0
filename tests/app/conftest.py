"""AppTest fixtures: the app runs against a prepared demo database named by DATABASE_URL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from evaluation.db import make_engine

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture(scope="module")
def demo_engine(
    templates: dict[tuple[str, bool], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """Pages are tested on SQLite only: what they show comes from services whose database behaviour the
    integration tests check on every backend."""
    from tests.conftest import _copy_of

    url, drop = _copy_of("sqlite", templates[("sqlite", True)], tmp_path_factory.mktemp("demo"))
    eng = make_engine(url)
    yield eng
    eng.dispose()
    drop()


@pytest.fixture
def app(demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., AppTest]]:
    """A factory: `app(lang="en")` returns a run AppTest of the home page."""
    monkeypatch.setenv("DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("SPBE_DEMO", "0")
    # admins must enrol in two-step verification first; the pages' own tests sign them in without it
    # (tests/app/test_account_page.py turns the rule back on)
    monkeypatch.setenv("SPBE_MFA_REQUIRED_ROLES", "")
    st.cache_data.clear()
    st.cache_resource.clear()

    def make(lang: str = "id") -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        if lang == "en":
            at.query_params["lang"] = "en"
        return at.run()

    yield make
    st.cache_data.clear()
    st.cache_resource.clear()
