"""Decimal cells in the reader's locale (issue 15): the reviewer grid of a framework with fractional levels
(pemdi-2026) shows a final level as 2,5 in Indonesian and 2.5 in English, reads what the reviewer types in
that form, and refuses the other locale's form instead of reading "2.5" as 25."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.widgets.decimal_cells import PATTERNS, decimal_cell, read_decimal
from evaluation.translatable import InvalidInput
from tests.app.signed_in import scores_of, signed_in_page, submitted

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


def reviewing(engine, assessment_id: int, lang: str = "id") -> AppTest:
    at = signed_in_page(engine, "asesor", "verification.py")
    if lang != "id":
        at.session_state["lang"] = lang
        at.run()
    at.selectbox(key="rv_pick").set_value(assessment_id).run()
    return at


def type_final(at: AppTest, assessment_id: int, text: str) -> AppTest:
    key = at.session_state[f"rv_base_{assessment_id}"]["key"]
    at.session_state[key] = {"edited_rows": {0: {"final": text}}, "added_rows": [], "deleted_rows": []}
    at.run()
    return at.button(key="rv_save").click().run()


def grid_finals(at: AppTest) -> list[object]:
    [grid] = [d.value for d in at.dataframe if "final" in d.value.columns]
    return grid["final"].tolist()


def test_a_final_level_typed_with_a_decimal_comma_is_saved_and_shown_in_each_locale(demo_engine):
    _, assessment_id = submitted(demo_engine, in_review=True)
    at = type_final(reviewing(demo_engine, assessment_id), assessment_id, "2,5")
    assert not at.exception and not at.error
    assert scores_of(demo_engine, assessment_id)["I01"].final_level == 2.5
    assert grid_finals(reviewing(demo_engine, assessment_id))[0] == "2,5"
    assert grid_finals(reviewing(demo_engine, assessment_id, "en"))[0] == "2.5"


def test_the_other_locales_decimal_mark_is_refused_not_read_as_another_number(demo_engine):
    _, assessment_id = submitted(demo_engine, in_review=True)
    at = type_final(reviewing(demo_engine, assessment_id), assessment_id, "2.5")
    assert not at.exception
    assert "bukan angka" in at.error[0].value and "2,5" in at.error[0].value
    assert scores_of(demo_engine, assessment_id)["I01"].final_level is None
    at = type_final(reviewing(demo_engine, assessment_id, "en"), assessment_id, "3.75")
    assert not at.exception and not at.error
    assert scores_of(demo_engine, assessment_id)["I01"].final_level == 3.75


def test_cells_are_written_half_up_with_only_the_decimals_they_need():
    assert [decimal_cell(v, "id") for v in (3.0, 2.5, 2.675, None)] == ["3", "2,5", "2,68", ""]
    assert [decimal_cell(v, "en") for v in (3.0, 2.5, 2.675)] == ["3", "2.5", "2.68"]
    assert (read_decimal("2,5", "id"), read_decimal("2.5", "en"), read_decimal(" ", "id")) == (2.5, 2.5, None)
    with pytest.raises(InvalidInput):
        read_decimal("2.5", "id")
    with pytest.raises(InvalidInput):
        read_decimal("2,5", "en")


def test_the_browser_pattern_takes_the_locales_form_only():
    import re

    assert re.fullmatch(PATTERNS["id"], "2,5") and re.fullmatch(PATTERNS["id"], "")
    assert not re.fullmatch(PATTERNS["id"], "2.5") and not re.fullmatch(PATTERNS["id"], "2,555")
    assert re.fullmatch(PATTERNS["en"], "2.5") and not re.fullmatch(PATTERNS["en"], "2,5")


def _decimal_input_app(lang: str) -> None:
    import streamlit as st

    from app_pages.widgets.decimal_cells import decimal_input

    st.session_state["read"] = decimal_input(st, "Nilai", 2.5, lang, key="value")


@pytest.mark.parametrize(
    ("lang", "shown", "typed", "read"), [("id", "2,5", "3,75", 3.75), ("en", "2.5", "3.75", 3.75)]
)
def test_a_decimal_input_shows_and_reads_the_readers_form(lang, shown, typed, read):
    at = AppTest.from_function(_decimal_input_app, args=(lang,)).run()
    assert at.text_input(key="value").value == shown and at.session_state["read"] == 2.5
    at.text_input(key="value").input(typed).run()
    assert at.session_state["read"] == read and not at.error


def test_a_decimal_input_refuses_the_other_locales_mark_with_the_readers_words():
    at = AppTest.from_function(_decimal_input_app, args=("id",)).run()
    at.text_input(key="value").input("3.75").run()
    assert at.session_state["read"] is None
    assert "bukan angka" in at.error[0].value


def test_an_exact_level_in_the_english_form_is_refused_in_indonesian_and_nothing_saved(demo_engine):
    from tests.app.signed_in import fresh_agency, opened

    agency = fresh_agency(demo_engine)
    assessment_id = opened(demo_engine, agency)
    at = signed_in_page(demo_engine, agency.coordinator, "assessment.py")
    at.text_input(key="f_levelx_I01").input("2.5").run()
    assert not at.exception
    assert "bukan angka" in at.error[0].value
    assert scores_of(demo_engine, assessment_id).get("I01") is None or (
        scores_of(demo_engine, assessment_id)["I01"].self_level is None
    )
