"""Fractional Pemdi levels (issue 13): a 2.5 saved through the form's service is kept exactly, and the
summary's format and the PDF report show the same value (2,50), never a rounded 3 or a truncated 2."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app_pages.level_input import fmt_level, widget_level
from evaluation.db import read_session
from evaluation.reports.agency_data import agency_report
from evaluation.reports.agency_pdf import render_agency_report
from tests.integration.workflow_fixtures import prepared, save, scores


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [(2.5, "id", "2,50"), (2.5, "en", "2.50"), (3.0, "id", "3"), (2.25, "id", "2,25"), (None, "id", "-")],
)
def test_a_level_is_shown_whole_or_with_its_two_decimals(value, lang, shown):
    assert fmt_level(value, lang) == shown


def test_the_level_choice_of_a_fractional_level_is_empty_and_of_a_whole_one_its_level():
    assert (widget_level(2.5), widget_level(3.0), widget_level(None)) == (None, 3, None)


def test_a_fractional_level_is_kept_and_the_report_shows_it_exactly(world):
    assessment_id = prepared(world, "a", "complete")
    save(world, "coordinator", assessment_id, {"I01": {"level": 2.5}})
    with read_session(world.engine) as session:
        assert scores(session, assessment_id)["I01"].self_level == 2.5
        report = agency_report(
            session, actor=world.actors["coordinator"], agency_id=world.agency["a"], period_id=world.pemdi
        )
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(render_agency_report(report, "id"))).pages
    )
    assert "2,50" not in text.replace(_i01_row(text), "")  # nowhere else: the 2,50 is I01's own
    assert "2,50" in _i01_row(text)


def _i01_row(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("I01"))
