"""Objections in AppTest (issue 12): the coordinator files one on the assessment page of a final result;
the lead reviewer decides on the Keberatan page after a confirmation showing the index before and after;
a reviewer who does not lead the agency sees the objection but cannot decide it."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.models import Agency, Objection, Period, ReviewerAssignment, User
from evaluation.services.auth import hash_password
from evaluation.services.objections import file_objection
from evaluation.services.review import finalize, save_review, set_stage
from evaluation.services.score_versions import score_versions
from tests.app.signed_in import (
    TEST_PASSWORD,
    FreshAgency,
    actor,
    open_period_id,
    scores_of,
    shown,
    signed_in_page,
    submitted,
    version_of,
)

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]
CODES = [f"I{n:02d}" for n in range(1, 21)]


def final_with_lead(engine) -> tuple[FreshAgency, int]:
    """A fresh agency's 2026 result, final at level 3 everywhere, "asesor" its lead reviewer, and the
    period's objection window open for two more weeks."""
    agency, assessment_id = submitted(engine, in_review=True)
    reviewer = actor(engine, "asesor")
    with write_session(engine) as session:
        read = score_versions(session, assessment_id)
        save_review(
            session,
            actor=reviewer,
            assessment_id=assessment_id,
            versions={code: read.get(code, 0) for code in CODES},
            entries={code: {"final_level": 3} for code in CODES},
        )
    for step in ("stage", "finalize"):
        with write_session(engine) as session:
            version = version_of(engine, assessment_id)
            if step == "stage":
                set_stage(
                    session,
                    actor=reviewer,
                    assessment_id=assessment_id,
                    expected_version=version,
                    stage="interview",
                )
            else:
                finalize(session, actor=reviewer, assessment_id=assessment_id, expected_version=version)
    with write_session(engine) as session:
        period = session.get(Period, open_period_id(engine))
        assert period is not None
        period.objections_close_on = date.today() + timedelta(days=14)
        session.add(period)
        session.add(
            ReviewerAssignment(
                period_id=period.id, agency_id=agency.id, reviewer_id=reviewer.user_id, role="lead"
            )
        )
    return agency, assessment_id


def filed(engine, agency: FreshAgency, assessment_id: int, code: str = "I05") -> int:
    with write_session(engine) as session:
        return file_objection(
            session,
            actor=actor(engine, agency.coordinator),
            assessment_id=assessment_id,
            indicator_code=code,
            reason="Dokumen *arsitektur* sudah disahkan [lihat](https://contoh.example).",
            requested_level=5,
        )


def objection_row(engine, objection_id: int) -> Objection:
    with read_session(engine) as session:
        row = session.get(Objection, objection_id)
        assert row is not None
        session.expunge(row)
        return row


def objections_shown(at):
    """The table of filed objections (the one with a "requested" column)."""
    [table] = [d.value for d in at.dataframe if "Diminta" in d.value.columns]
    return table


def test_the_coordinator_files_an_objection_on_the_final_assessment_page(demo_engine):
    agency, assessment_id = final_with_lead(demo_engine)
    at = signed_in_page(demo_engine, agency.coordinator, "assessment.py")
    assert not at.exception
    assert "Keberatan" in [m.value.strip("# ") for m in at.markdown]
    assert any("sisa 15 hari" in c.value for c in at.caption)
    at.selectbox(key="ob_code").set_value("I02").run()
    at.text_input(key="ob_level_I02").input("4")  # pemdi-2026 allows fractional levels, typed as 2,5
    at.text_area(key="ob_reason_I02").input("Bukti rapat koordinasi belum dinilai.")
    at.button(key="ob_submit").click().run()
    assert not at.exception and not at.error
    with read_session(demo_engine) as session:
        rows = session.exec(select(Objection).where(Objection.assessment_id == assessment_id)).all()
    assert [(r.indicator_code, r.requested_level, r.status) for r in rows] == [("I02", 4.0, "pending")]
    table = objections_shown(at)
    assert table["Indikator"].tolist() == ["I02"] and table["Status"].tolist() == ["Menunggu keputusan"]
    assert "I02" not in at.selectbox(key="ob_code").options  # one objection per indicator


def test_an_empty_reason_is_refused_on_the_page_and_nothing_is_filed(demo_engine):
    agency, assessment_id = final_with_lead(demo_engine)
    at = signed_in_page(demo_engine, agency.coordinator, "assessment.py")
    at.button(key="ob_submit").click().run()
    assert "is required" not in " ".join(e.value for e in at.error)  # shown in the reader's language
    assert "wajib diisi" in " ".join(e.value for e in at.error)
    with read_session(demo_engine) as session:
        assert session.exec(select(Objection).where(Objection.assessment_id == assessment_id)).all() == []


def test_the_operator_sees_the_objections_but_no_form(demo_engine):
    agency, assessment_id = final_with_lead(demo_engine)
    filed(demo_engine, agency, assessment_id)
    at = signed_in_page(demo_engine, agency.operator, "assessment.py")
    assert not at.exception
    assert objections_shown(at)["Indikator"].tolist() == ["I05"]
    assert not [b for b in at.button if b.key == "ob_submit"]


def test_the_lead_reviewer_upholds_after_a_confirmation_with_the_index_before_and_after(demo_engine):
    agency, assessment_id = final_with_lead(demo_engine)
    objection_id = filed(demo_engine, agency, assessment_id)
    at = signed_in_page(demo_engine, "asesor", "objections.py")
    assert not at.exception
    assert any(e.label.startswith(agency.name) for e in at.expander)
    assert "Dokumen *arsitektur* sudah disahkan [lihat](https://contoh.example)." in [
        t.value for t in at.text
    ]
    at.text_area(key=f"ob_reason_{objection_id}").input("Dokumen arsitektur sah sejak Maret.")
    at.button(key=f"ob_next_{objection_id}").click().run()
    assert objection_row(demo_engine, objection_id).status == "pending"  # nothing before the confirmation
    [warning] = [shown(w.value) for w in at.warning if "I05" in w.value]
    assert "dari 3 menjadi 5" in warning and "→" in warning
    at.button(key=f"ob_confirm_{objection_id}").click().run()
    assert not at.exception and not at.error
    row = objection_row(demo_engine, objection_id)
    assert (row.status, row.level_before, row.level_after) == ("upheld", 3.0, 5.0)
    assert scores_of(demo_engine, assessment_id)["I05"].final_level == 5.0
    assert any("Dikabulkan" in s.value for s in at.success)


def test_the_lead_reviewer_may_cancel_and_then_reject(demo_engine):
    agency, assessment_id = final_with_lead(demo_engine)
    objection_id = filed(demo_engine, agency, assessment_id, "I07")
    at = signed_in_page(demo_engine, "asesor", "objections.py")
    at.radio(key=f"ob_uphold_{objection_id}").set_value(False)
    at.text_area(key=f"ob_reason_{objection_id}").input("Bukti tidak memenuhi kriteria.")
    at.button(key=f"ob_next_{objection_id}").click().run()
    at.button(key=f"ob_cancel_{objection_id}").click().run()
    assert objection_row(demo_engine, objection_id).status == "pending"
    assert at.text_area(key=f"ob_reason_{objection_id}").value == "Bukti tidak memenuhi kriteria."  # kept
    assert at.radio(key=f"ob_uphold_{objection_id}").value is False
    at.button(key=f"ob_next_{objection_id}").click().run()
    assert any("tidak mengubah" in w.value for w in at.warning)
    at.button(key=f"ob_confirm_{objection_id}").click().run()
    assert not at.exception and not at.error
    row = objection_row(demo_engine, objection_id)
    assert (row.status, row.decision_reason) == ("rejected", "Bukti tidak memenuhi kriteria.")
    assert scores_of(demo_engine, assessment_id)["I07"].final_level == 3.0


def test_a_reviewer_who_does_not_lead_the_agency_cannot_decide(demo_engine):
    agency, assessment_id = final_with_lead(demo_engine)
    objection_id = filed(demo_engine, agency, assessment_id)
    name = f"asesor-lain-{uuid.uuid4().hex[:6]}"
    with write_session(demo_engine) as session:
        session.add(
            User(
                username=name,
                full_name="Asesor Lain",
                password_hash=hash_password(TEST_PASSWORD),
                role="reviewer",
            )
        )
    at = signed_in_page(demo_engine, name, "objections.py")
    assert not at.exception
    assert any("bukan ketua tim" in c.value for c in at.caption)
    assert not [b for b in at.button if b.key == f"ob_next_{objection_id}"]


def test_agency_roles_are_not_offered_the_objections_page(demo_engine):
    from tests.app.signed_in import offers

    agency, _ = final_with_lead(demo_engine)
    at = signed_in_page(demo_engine, agency.coordinator, "assessment.py")
    assert not offers(at, "objections.py")


def test_user_text_on_the_objections_page_is_shown_literally(demo_engine):
    agency, assessment_id = final_with_lead(demo_engine)
    payload = "**tebal** [tautan](https://evil.invalid) :red[merah]"
    with write_session(demo_engine) as session:
        row = session.get(Agency, agency.id)
        assert row is not None
        row.name = f"{agency.name} {payload}"
        session.add(row)
    with write_session(demo_engine) as session:
        objection_id = file_objection(
            session,
            actor=actor(demo_engine, agency.coordinator),
            assessment_id=assessment_id,
            indicator_code="I09",
            reason=payload,
        )
    at = signed_in_page(demo_engine, "asesor", "objections.py")
    assert not at.exception
    [label] = [e.label for e in at.expander if agency.name in shown(e.label)]
    assert payload in shown(label) and "**" not in label and "](" not in label  # escaped Markdown
    assert payload in [t.value for t in at.text]  # the reason as plain text
    at.text_area(key=f"ob_reason_{objection_id}").input("Tidak cukup.")
    at.radio(key=f"ob_uphold_{objection_id}").set_value(False)
    at.button(key=f"ob_next_{objection_id}").click().run()
    at.button(key=f"ob_confirm_{objection_id}").click().run()
    [flash] = [s.value for s in at.success if "I09" in s.value]
    assert payload in shown(flash) and "**" not in flash
