"""Issue 17: no page scores a period twice in one run, and a rerun with no write in between scores nothing
(the app's engine keeps one scoring per period and level kind per data version)."""

from __future__ import annotations

from collections import Counter

import pytest
import streamlit as st

from evaluation import data_version
from evaluation.db import write_session
from evaluation.services import scoring_cache
from tests.app.signed_in import signed_in_page

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]

PAGES = ["home.py", "national_roadmap.py", "compare.py", "trends.py", "gaps.py", "rollups.py"]


def scored_during(run) -> Counter:
    before = Counter(scoring_cache.SCORINGS)
    at = run()
    assert not at.exception
    return scoring_cache.SCORINGS - before


@pytest.mark.parametrize("page", PAGES)
def test_a_page_run_on_empty_caches_scores_each_period_and_kind_at_most_once(demo_engine, page):
    at = signed_in_page(demo_engine, "asesor", page)
    st.cache_data.clear()
    st.cache_resource.clear()  # the app's engine gets a fresh, empty scoring cache
    scored = scored_during(at.run)
    assert scored, "the page read no scoring at all"
    assert max(scored.values()) == 1, dict(scored)


@pytest.mark.parametrize("page", PAGES)
def test_a_rerun_without_a_write_scores_nothing(demo_engine, page):
    at = signed_in_page(demo_engine, "asesor", page)
    st.cache_data.clear()  # even with the pages' own caches empty, the scorings are reused
    assert scored_during(at.run) == Counter()


def test_a_write_on_any_server_makes_the_next_run_score_afresh_once(demo_engine):
    at = signed_in_page(demo_engine, "asesor", "national_roadmap.py")
    with write_session(demo_engine) as session:  # as another server's audited write would
        data_version.bump(session.connection())
    scored = scored_during(at.run)
    assert scored and max(scored.values()) == 1, dict(scored)
