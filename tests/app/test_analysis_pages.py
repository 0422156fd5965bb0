"""The ministry's analysis pages in AppTest (trends, self vs final, province roll-ups), on demo data."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.signed_in import APP, offers, signed_in_page, token_for

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


@pytest.mark.parametrize("page", ["trends.py", "gaps.py", "rollups.py"])
def test_each_page_renders_for_a_reviewer_with_charts(demo_engine, page):
    at = signed_in_page(demo_engine, "asesor", page)
    assert not at.exception, at.exception
    assert at.get("plotly_chart")


@pytest.mark.parametrize("page", ["trends.py", "gaps.py", "rollups.py"])
def test_agency_users_are_not_offered_the_pages(demo_engine, page):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["session_token"] = token_for(demo_engine, "operator")
    assert not offers(at.run(), page)
