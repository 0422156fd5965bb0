"""The reviewer's queue on the verification page in AppTest, as the demo reviewer ("asesor", who leads
the demo agency and some waiting ones): own agencies marked and first, counts per status, the search box
and filters narrowing the table and the picker alike, the overdue filter and its highlight."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from app_pages.review_queue import OVERDUE_STYLE, queue_table
from evaluation.db import read_session, write_session
from evaluation.models import Assessment, Period, utcnow
from evaluation.services.review_queue import reviewer_queue
from evaluation.services.reviewers import assign_reviewer
from tests.app.signed_in import actor, open_period_id, signed_in_page, submitted

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


PEMDI_NAME = "Evaluasi Kinerja Pemerintah Digital (PermenPANRB 8/2026)"  # the queue names the framework


def queue_page(engine, lang: str = "id") -> AppTest:
    at = signed_in_page(engine, "asesor", "verification.py")
    if lang == "en":
        at.query_params["lang"] = "en"
        at.session_state["lang"] = "en"
        at.run()
    assert not at.exception
    return at


def table(at: AppTest):
    return at.dataframe[0].value


def counted(engine, *statuses: str, official_only: bool = False) -> int:
    """Assessments of the open periods (or the official one) in these statuses, counted in the database."""
    query = (
        select(Assessment.id)
        .join(Period, Period.id == Assessment.period_id)
        .where(Period.status == "open", Assessment.status.in_(statuses))  # type: ignore[attr-defined]
    )
    if official_only:
        query = query.where(Period.id == open_period_id(engine))
    with read_session(engine) as session:
        return len(session.exec(query).all())


def test_own_agencies_are_marked_and_listed_first(demo_engine):
    at = queue_page(demo_engine)
    frame = table(at)
    marks = frame["Tugas saya"].tolist()
    own = [m for m in marks if m]
    assert own and set(own) <= {"★ Ketua tim", "★ Anggota"}
    assert marks[: len(own)] == own  # every own agency before the rest
    assert len(at.selectbox(key="rv_pick").options) == len(frame)


def test_the_counts_per_status_match_the_open_periods(demo_engine):
    at = queue_page(demo_engine)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Diajukan"] == str(counted(demo_engine, "submitted"))
    assert metrics["Dalam verifikasi"] == str(counted(demo_engine, "in_review"))
    assert metrics["Instansi tugas saya"] == str(sum(1 for m in table(at)["Tugas saya"] if m))


def test_the_search_box_narrows_the_table_and_the_picker(demo_engine):
    agency, assessment_id = submitted(demo_engine)
    at = queue_page(demo_engine)
    at.text_input(key="rv_q_search").input(agency.code.lower()).run()
    assert table(at)["Instansi"].tolist() == [agency.name]
    assert at.selectbox(key="rv_pick").options == [f"{agency.name} · 2026 · {PEMDI_NAME}"]
    assert at.selectbox(key="rv_pick").value == assessment_id
    at.text_input(key="rv_q_search").input("tidak-ada-instansi-ini").run()
    assert [i.value for i in at.info] == ["Tidak ada penilaian yang cocok dengan saringan ini."]
    assert not at.dataframe and not [s for s in at.selectbox if s.key == "rv_pick"]


def test_status_and_category_filters_narrow_the_table(demo_engine):
    at = queue_page(demo_engine)
    at.multiselect(key="rv_q_status").set_value(["in_review"]).run()
    assert set(table(at)["Status"]) == {"Dalam verifikasi"}
    at.selectbox(key="rv_q_category").set_value("Kementerian").run()
    assert set(table(at)["Kategori"]) <= {"Kementerian"}


def test_an_assessment_newly_assigned_to_the_reviewer_moves_to_the_top(demo_engine):
    agency, _assessment_id = submitted(demo_engine)
    with write_session(demo_engine) as session:
        assign_reviewer(
            session,
            actor=actor(demo_engine, "admin"),
            period_id=open_period_id(demo_engine),
            agency_id=agency.id,
            reviewer_id=actor(demo_engine, "asesor").user_id,
            role="member",
        )
    at = queue_page(demo_engine)
    frame = table(at)
    row = frame[frame["Instansi"] == agency.name]
    assert row["Tugas saya"].tolist() == ["★ Anggota"]
    assert frame.index[frame["Instansi"] == agency.name][0] < frame.index[frame["Tugas saya"] == ""][0]


def test_past_the_verification_end_the_overdue_filter_and_highlight_show(demo_engine):
    with write_session(demo_engine) as session:
        period = session.get(Period, open_period_id(demo_engine))
        kept = period.verification_ends_on
        period.verification_ends_on = utcnow().date() - timedelta(days=2)
        session.add(period)
    try:
        at = queue_page(demo_engine)
        at.checkbox(key="rv_q_overdue").check().run()
        frame = table(at)
        assert len(frame) > 0 and set(frame["Sisa hari"]) == {-2}
        pending = counted(demo_engine, "submitted", "in_review", "returned", official_only=True)
        assert {m.label: m.value for m in at.metric}["Lewat batas"] == str(pending)
        assert len(frame) == counted(demo_engine, "submitted", "in_review", official_only=True)
        with read_session(demo_engine) as session:
            rows = reviewer_queue(session, actor=actor(demo_engine, "asesor"), overdue_only=True).rows
        html = queue_table(rows, "id").to_html()
        assert html.count(OVERDUE_STYLE.split(";")[0]) >= 1
    finally:
        with write_session(demo_engine) as session:
            period = session.get(Period, open_period_id(demo_engine))
            period.verification_ends_on = kept
            session.add(period)


def test_the_queue_reads_in_english(demo_engine):
    at = queue_page(demo_engine, "en")
    frame = table(at)
    assert {"Mine", "Days left", "Status"} <= set(frame.columns)
    assert set(m for m in frame["Mine"] if m) <= {"★ Lead", "★ Member"}
