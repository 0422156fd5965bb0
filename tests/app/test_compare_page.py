"""The comparison page in AppTest, for a ministry reviewer on demo data."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.signed_in import APP, offers, signed_in_page, token_for

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


def test_the_ranking_lists_every_verified_agency_with_rank_and_predicate(demo_engine):
    at = signed_in_page(demo_engine, "asesor", "compare.py")
    assert not at.exception
    assert at.title[0].value == "Perbandingan Instansi"
    table = at.dataframe[0].value
    total = int(at.caption[0].value.split(" dari ")[1].split()[0])
    assert len(table) == total > 0
    assert list(table["Peringkat"])[:1] == [1]
    predicates = [label for labels in table["Predikat"] for label in labels]
    assert len(predicates) == len(table)
    assert set(predicates) <= {"Kurang", "Cukup", "Baik", "Sangat Baik", "Memuaskan"}


def test_filtering_to_a_province_narrows_the_ranking_and_the_heatmap(demo_engine):
    at = signed_in_page(demo_engine, "asesor", "compare.py")
    province = at.selectbox(key="cp_province").options[1]
    at = at.selectbox(key="cp_province").set_value(province).run()
    table = at.dataframe[0].value
    assert len(table) >= 1
    assert set(table["Provinsi"]) == {province}
    assert len(at.get("plotly_chart")) == 2  # the heatmap and the distribution


def test_highlighting_an_agency_states_its_percentile_among_its_category(demo_engine):
    at = signed_in_page(demo_engine, "asesor", "compare.py")
    at = at.selectbox(key="cp_highlight").select_index(1).run()
    assert any("persentil" in caption.value for caption in at.caption)
    assert not at.exception


def test_agency_users_are_not_offered_the_page(demo_engine):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["session_token"] = token_for(demo_engine, "koordinator")
    assert not offers(at.run(), "compare.py")


def test_a_search_without_a_match_says_so_instead_of_an_empty_heatmap(demo_engine):
    at = signed_in_page(demo_engine, "asesor", "compare.py")
    at = at.text_input(key="cp_search").input("zzz-tidak-ada").run()
    assert not at.exception
    assert at.caption[0].value.startswith("0 dari ")
    assert [i.value for i in at.info] == ["Tidak ada instansi yang cocok dengan saringan ini."]
