"""The agency PDF report lists the assessment's recommendations with their follow-up (issue 12), and says
so when there are none."""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader

from evaluation.db import read_session, write_session
from evaluation.reports.agency_data import agency_report
from evaluation.reports.agency_pdf import render_agency_report
from evaluation.services.recommendations import add_recommendation, record_followup
from evaluation.services.review import finalize
from tests.integration.workflow_fixtures import act, prepared


def report_text(world, who: str, lang: str = "id") -> str:
    with read_session(world.engine) as session:
        report = agency_report(
            session, actor=world.actors[who], agency_id=world.agency["a"], period_id=world.spbe
        )
    pdf = render_agency_report(report, lang)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


def test_the_report_shows_each_recommendation_and_its_follow_up(world):
    assessment_id = prepared(world, "a", "finalizable", world.spbe)
    act(world, finalize, "reviewer", assessment_id)
    with write_session(world.engine) as session:
        rec_id = add_recommendation(
            session,
            actor=world.actors["reviewer"],
            assessment_id=assessment_id,
            indicator_code="I04",
            priority="high",
            text="Tetapkan SK tim koordinasi SPBE.",
            due_on=date(2026, 6, 30),
        )
        add_recommendation(
            session,
            actor=world.actors["reviewer"],
            assessment_id=assessment_id,
            indicator_code=None,
            priority="low",
            text="Susun peta rencana SPBE.",
            due_on=None,
        )
    with write_session(world.engine) as session:
        record_followup(
            session,
            actor=world.actors["coordinator"],
            recommendation_id=rec_id,
            action="SK ditetapkan bulan Maret.",
            owner="Bagian Organisasi",
            due_on=date(2026, 3, 31),
            expected_version=1,
        )
    text = report_text(world, "coordinator")
    assert "Rekomendasi dan tindak lanjut" in text
    part = text[text.index("Rekomendasi dan tindak lanjut") :]
    for expected in (
        "I04",
        "Tinggi",
        "Tetapkan SK tim koordinasi SPBE.",
        "30 Juni 2026",
        "Terbuka",
        "SK ditetapkan bulan Maret.",
        "Bagian Organisasi",
        "31 Maret 2026",
        "Seluruh instansi",
        "Susun peta rencana SPBE.",
    ):
        assert expected in part, expected
    english = report_text(world, "reviewer", "en")
    assert "Recommendations and follow-up" in english and "Whole agency" in english


def test_a_report_without_recommendations_says_so(world):
    assessment_id = prepared(world, "a", "finalizable", world.spbe)
    act(world, finalize, "reviewer", assessment_id)
    assert "Tidak ada rekomendasi untuk penilaian ini." in report_text(world, "operator")
