"""The PDF download buttons on the comparison and assessment pages. AppTest cannot press a download button
(the PDF is built by a callable only when clicked), so the integration tests check the documents; here
the buttons are offered where and when they should be."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.signed_in import APP, open_page, signed_in_page, token_for

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]
AGENCY_REPORT = "Unduh laporan PDF"
NATIONAL = "Unduh ringkasan nasional (PDF)"


def buttons(at: AppTest) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


def english_page(engine, username: str, page: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = "en"
    at.session_state["session_token"] = token_for(engine, username)
    return open_page(at.run(), page)


def test_the_comparison_page_offers_the_national_summary_and_an_agency_report_once_one_is_chosen(demo_engine):
    at = signed_in_page(demo_engine, "asesor", "compare.py")
    assert not at.exception
    assert buttons(at) == [NATIONAL]
    choice = at.selectbox(key="cp_report_agency")
    assert choice.value is None and len(choice.options) == int(
        at.caption[0].value.split(" dari ")[1].split()[0]
    )
    at = choice.select_index(0).run()
    assert not at.exception
    assert sorted(buttons(at)) == sorted([AGENCY_REPORT, NATIONAL])


def test_the_agency_choice_lists_only_the_agencies_the_filters_leave(demo_engine):
    at = signed_in_page(demo_engine, "asesor", "compare.py")
    names = at.selectbox(key="cp_report_agency").options
    assert names == list(at.dataframe[0].value["Instansi"])
    at = at.text_input(key="cp_search").input(names[1]).run()
    assert at.selectbox(key="cp_report_agency").options == [names[1]]


def test_a_chosen_agency_filtered_away_gives_way_to_the_one_left(demo_engine):
    at = signed_in_page(demo_engine, "asesor", "compare.py")
    at = at.selectbox(key="cp_report_agency").select_index(0).run()
    names = at.selectbox(key="cp_report_agency").options
    at = at.text_input(key="cp_search").input(names[1]).run()
    assert not at.exception
    choice = at.selectbox(key="cp_report_agency")
    assert choice.options == [names[1]] and choice.value is not None
    assert sorted(buttons(at)) == sorted([AGENCY_REPORT, NATIONAL])


def test_a_search_leaving_one_agency_chooses_it_for_the_report(demo_engine):
    at = signed_in_page(demo_engine, "asesor", "compare.py")
    name = at.selectbox(key="cp_report_agency").options[1]
    at = at.text_input(key="cp_search").input(name).run()
    choice = at.selectbox(key="cp_report_agency")
    assert choice.options == [name]
    assert choice.value is not None
    assert sorted(buttons(at)) == sorted([AGENCY_REPORT, NATIONAL])


def test_the_comparison_page_buttons_in_english(demo_engine):
    at = english_page(demo_engine, "asesor", "compare.py")
    assert not at.exception
    assert buttons(at) == ["Download the national summary (PDF)"]
    at = at.selectbox(key="cp_report_agency").select_index(1).run()
    assert sorted(buttons(at)) == ["Download the PDF report", "Download the national summary (PDF)"]


def test_the_assessment_page_offers_the_coordinator_its_report_when_there_is_an_assessment(demo_engine):
    at = signed_in_page(demo_engine, "koordinator", "assessment.py")
    assert not at.exception
    period = at.selectbox(key="as_period")
    assert period.value.year == 2026 and period.value.status == "open"
    assert buttons(at) == []  # the demo agency has not opened its 2026 assessment: nothing to report
    # open periods first (the official 2026 and the Aceh programme's 2026), then the latest closed one
    closed_2025 = next(i for i, o in enumerate(period.options) if o.startswith("2025 · SPBE 2020"))
    assert all("berjalan" in o or "open" in o for o in period.options[:closed_2025])
    at = period.select_index(closed_2025).run()
    assert not at.exception
    assert at.selectbox(key="as_period").value.year == 2025
    assert buttons(at) == [AGENCY_REPORT]


def test_the_assessment_page_offers_the_reviewer_the_report_of_the_chosen_agency(demo_engine):
    at = signed_in_page(demo_engine, "asesor", "assessment.py")
    options = at.selectbox(key="as_period").options
    at = (
        at.selectbox(key="as_period")
        .select_index(options.index(next(o for o in options if o.startswith("2025 · SPBE 2020"))))
        .run()
    )
    assert not at.exception
    assert buttons(at) == [AGENCY_REPORT]


def test_pages_with_report_buttons_leave_the_pdf_stack_unimported_until_a_button_is_pressed(demo_engine):
    """Importing fpdf and the report modules takes ~350 ms, which the first page with a button paid after
    every server start (issue 17, cold pages): a fresh process renders the buttons without them."""
    import os
    import subprocess
    import sys
    import textwrap

    url = demo_engine.url.render_as_string(hide_password=False)
    script = textwrap.dedent(
        f"""
        import sys
        from evaluation.db import make_engine
        from tests.app.signed_in import signed_in_page
        at = signed_in_page(make_engine({url!r}), "asesor", "compare.py")
        at = at.selectbox(key="cp_report_agency").select_index(0).run()
        assert not at.exception, at.exception
        print(len(at.get("download_button")))
        print(sorted(m for m in sys.modules if m.startswith(("fpdf", "evaluation.reports"))))
        """
    )
    env = {**os.environ, "DATABASE_URL": url, "SPBE_DEMO": "0", "SPBE_MFA_REQUIRED_ROLES": ""}
    root = APP.parent
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-2:] == ["2", "[]"]  # both buttons shown, nothing of the PDF stack imported
