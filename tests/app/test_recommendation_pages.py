"""The recommendation pages in AppTest (issue 12): the reviewer's panels on the verification page (add a
recommendation; confirm a finished follow-up of an earlier period), the agency's page (record the
follow-up, mark it done; another agency sees nothing of it) and the ministry's overview; user text shows
as plain text; each role gets its pages only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.models import Assessment, Period, Recommendation
from tests.app.signed_in import (
    fresh_agency,
    offers,
    shown,
    sign_in,
    signed_in_page,
    submitted,
)

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]
PAYLOAD = "**tebal** [tautan](https://contoh.example) <b>x</b>"


def earlier_recommendation(engine, agency_id: int, *, status: str = "open", text: str = PAYLOAD) -> int:
    """A finalized 2025 assessment of the agency with one recommendation (followed up when not open)."""
    with write_session(engine) as session:
        period = session.exec(select(Period).where(Period.year == 2025, Period.kind == "official")).one()
        assessment = Assessment(
            agency_id=agency_id,
            period_id=period.id,
            framework_version_id=period.framework_version_id,
            status="final",
        )
        session.add(assessment)
        session.flush()
        rec = Recommendation(
            assessment_id=assessment.id,
            indicator_code="I01",
            priority="high",
            text=text,
            due_on=date(2026, 6, 30),
        )
        if status != "open":
            rec.status, rec.followup_action, rec.followup_owner = status, "SK ditetapkan", "Bagian Hukum"
            rec.followup_due_on = date(2026, 3, 1)
        session.add(rec)
        session.flush()
        return rec.id or 0


def stored(engine, rec_id: int) -> Recommendation:
    with read_session(engine) as session:
        row = session.get(Recommendation, rec_id)
        assert row is not None
        session.expunge(row)
        return row


def reviewing(engine, assessment_id: int):
    at = signed_in_page(engine, "asesor", "verification.py")
    at.selectbox(key="rv_pick").set_value(assessment_id).run()
    return at


def test_the_reviewer_adds_a_recommendation_on_the_verification_page(demo_engine):
    _, assessment_id = submitted(demo_engine, in_review=True)
    at = reviewing(demo_engine, assessment_id)
    assert not at.exception
    key = f"rc_add_{assessment_id}"
    at.selectbox(key=f"{key}_code").set_value("I03")
    at.selectbox(key=f"{key}_priority").set_value("medium")
    at.date_input(key=f"{key}_due").set_value(date(2026, 12, 31))
    at.text_area(key=f"{key}_text").input(PAYLOAD)
    at.button(key=f"{key}_submit").click().run()
    assert not at.exception and not at.error
    with read_session(demo_engine) as session:
        rows = session.exec(select(Recommendation).where(Recommendation.assessment_id == assessment_id)).all()
        assert [(r.indicator_code, r.priority, r.due_on, r.text) for r in rows] == [
            ("I03", "medium", date(2026, 12, 31), PAYLOAD)
        ]
    assert "Rekomendasi disimpan." in [s.value for s in at.success]
    assert PAYLOAD in [x.value for x in at.text]  # plain text, never Markdown


def test_an_empty_recommendation_is_refused_on_the_page(demo_engine):
    _, assessment_id = submitted(demo_engine, in_review=True)
    at = reviewing(demo_engine, assessment_id)
    at.button(key=f"rc_add_{assessment_id}_submit").click().run()
    assert [shown(e.value) for e in at.error] == ["Rekomendasi wajib diisi."]


def test_the_reviewer_confirms_an_earlier_periods_finished_follow_up(demo_engine):
    agency, assessment_id = submitted(demo_engine, in_review=True)
    rec_id = earlier_recommendation(demo_engine, agency.id, status="done")
    at = reviewing(demo_engine, assessment_id)
    assert "SK ditetapkan" in [x.value for x in at.text]
    at.text_area(key=f"rc_check_note_{rec_id}").input("Sesuai bukti.")
    at.button(key=f"rc_confirm_{rec_id}").click().run()
    assert not at.exception and not at.error
    row = stored(demo_engine, rec_id)
    assert (row.status, row.check_note) == ("confirmed", "Sesuai bukti.")
    assert "Tindak lanjut dikonfirmasi." in [s.value for s in at.success]


def test_reopening_without_a_note_is_refused(demo_engine):
    agency, assessment_id = submitted(demo_engine, in_review=True)
    rec_id = earlier_recommendation(demo_engine, agency.id, status="done")
    at = reviewing(demo_engine, assessment_id)
    at.button(key=f"rc_reopen_{rec_id}").click().run()
    assert [shown(e.value) for e in at.error] == ["Catatan wajib diisi."]
    assert stored(demo_engine, rec_id).status == "done"


def test_the_agency_records_the_follow_up_and_marks_it_done(demo_engine):
    agency = fresh_agency(demo_engine)
    rec_id = earlier_recommendation(demo_engine, agency.id)
    at = signed_in_page(demo_engine, agency.operator, "recommendations.py")
    assert not at.exception
    assert at.title[0].value == "Rekomendasi & tindak lanjut"
    assert PAYLOAD in [x.value for x in at.text]
    assert not [b for b in at.button if b.key == f"rc_done_{rec_id}"]  # nothing to mark done yet
    key = f"rc_followup_{rec_id}"
    at.text_area(key=f"{key}_action").input("SK tim SPBE ditetapkan.")
    at.text_input(key=f"{key}_owner").input("Bagian Organisasi")
    at.date_input(key=f"{key}_due").set_value(date(2026, 4, 30))
    at.button(key=f"{key}_submit").click().run()
    assert not at.exception and not at.error
    row = stored(demo_engine, rec_id)
    assert (row.followup_action, row.followup_owner, row.followup_due_on, row.status) == (
        "SK tim SPBE ditetapkan.",
        "Bagian Organisasi",
        date(2026, 4, 30),
        "open",
    )
    at.button(key=f"rc_done_{rec_id}").click().run()
    assert not at.exception and not at.error
    assert stored(demo_engine, rec_id).status == "done"
    assert "Ditandai selesai; menunggu pemeriksaan asesor." in [s.value for s in at.success]


def test_an_empty_follow_up_is_refused_and_kept_unchanged(demo_engine):
    agency = fresh_agency(demo_engine)
    rec_id = earlier_recommendation(demo_engine, agency.id)
    at = signed_in_page(demo_engine, agency.coordinator, "recommendations.py")
    at.button(key=f"rc_followup_{rec_id}_submit").click().run()
    assert [shown(e.value) for e in at.error] == ["Tindak lanjut wajib diisi."]
    assert stored(demo_engine, rec_id).version == 1


def test_another_agency_does_not_see_the_recommendations(demo_engine):
    agency, other = fresh_agency(demo_engine), fresh_agency(demo_engine)
    earlier_recommendation(demo_engine, agency.id)
    at = signed_in_page(demo_engine, other.operator, "recommendations.py")
    assert not at.exception
    assert PAYLOAD not in [x.value for x in at.text]
    assert "Instansi Anda belum menerima rekomendasi." in [i.value for i in at.info]


def test_the_overview_counts_open_recommendations_for_the_ministry(demo_engine):
    agency = fresh_agency(demo_engine)
    earlier_recommendation(demo_engine, agency.id)
    at = signed_in_page(demo_engine, "asesor", "recommendation_overview.py")
    assert not at.exception
    assert at.title[0].value == "Rekomendasi perbaikan secara nasional"
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Rekomendasi terbuka"]) >= 1
    by_category = at.dataframe[1].value
    assert "Kota" in set(by_category["Per kategori"])
    at.selectbox(key="rco_year").set_value(2024).run()
    assert not at.exception
    assert int({m.label: m.value for m in at.metric}["Rekomendasi terbuka"]) == 0  # only confirmed in 2024


def test_the_overview_in_english(demo_engine):
    at = signed_in_page(demo_engine, "admin", "recommendation_overview.py")
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Recommendations nationwide"
    assert "By indicator" in [tab.label for tab in at.tabs]


def test_each_role_gets_its_recommendation_pages(demo_engine):
    agency = fresh_agency(demo_engine)
    for username, agency_page, ministry_page in (
        (agency.operator, True, False),
        (agency.coordinator, True, False),
        ("asesor", False, True),
        ("admin", False, True),
    ):
        at = signed_in_page(demo_engine, username, "home.py")
        assert offers(at, "recommendations.py") is agency_page, username
        at = sign_in(at, demo_engine, username)
        assert offers(at, "recommendation_overview.py") is ministry_page, username


def test_the_overdue_mark_shows_its_whole_text_beside_status_and_priority(demo_engine):
    agency = fresh_agency(demo_engine)
    earlier_recommendation(demo_engine, agency.id)  # due 30 June 2026, still open
    at = signed_in_page(demo_engine, agency.operator, "recommendations.py")
    marks = [m.value for m in at.markdown if "-badge[" in m.value]
    assert marks and ":red-badge[:material/schedule: lewat tenggat]" in marks[0]
    assert not at.get("badge")  # no column-bound badge that a narrow column cuts short
