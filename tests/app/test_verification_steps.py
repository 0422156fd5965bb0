"""The verification page tells the reviewer where they are (issue 12): a header naming the agency and the
period, the stages as steps with what each still lacks, the interview minute written on the page, and a
finalize that asks first and then shows the finished result of the same agency."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from evaluation.db import write_session
from evaluation.services.review import save_review, set_stage
from evaluation.services.score_versions import score_versions
from evaluation.services.stage_minutes import save_minute
from tests.app.signed_in import actor, shown, signed_in_page, status_of, submitted, version_of

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


def reviewing(engine, assessment_id: int, lang: str = "id") -> AppTest:
    at = signed_in_page(engine, "asesor", "verification.py")
    if lang == "en":
        at.selectbox(key="lang").set_value("en").run()
    at.selectbox(key="rv_pick").set_value(assessment_id).run()
    return at


def all_final(engine, assessment_id: int) -> None:
    with write_session(engine) as session:
        save_review(
            session,
            actor=actor(engine, "asesor"),
            assessment_id=assessment_id,
            versions=score_versions(session, assessment_id),
            entries={f"I{n:02d}": {"final_level": 3} for n in range(1, 21)},
        )


def to_interview(engine, assessment_id: int) -> None:
    with write_session(engine) as session:
        set_stage(
            session,
            actor=actor(engine, "asesor"),
            assessment_id=assessment_id,
            expected_version=version_of(engine, assessment_id),
            stage="interview",
        )


def texts(at: AppTest) -> list[str]:
    return [shown(m.value) for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]


def test_the_header_names_the_agency_and_the_period_under_review(demo_engine):
    agency, assessment_id = submitted(demo_engine, in_review=True)
    at = reviewing(demo_engine, assessment_id)
    assert not at.exception
    seen = texts(at)
    assert f"### {agency.name}" in seen
    framework = "Evaluasi Kinerja Pemerintah Digital (PermenPANRB 8/2026)"  # its name, never its id
    assert any(s.startswith(f"{agency.code} · Kota · 2026 · ") and s.endswith(framework) for s in seen)
    assert "Status: **Dalam verifikasi** · Tahap: **Penilaian dokumen**" in seen


def test_a_submitted_assessment_shows_its_header_and_every_step_still_to_do(demo_engine):
    agency, assessment_id = submitted(demo_engine)
    at = reviewing(demo_engine, assessment_id)
    seen = texts(at)
    assert f"### {agency.name}" in seen
    assert seen.count("Belum") == 3 and "Tahap sekarang" not in seen
    assert at.button(key="rv_start")


def test_the_steps_say_what_each_stage_needs_and_lacks(demo_engine):
    _, assessment_id = submitted(demo_engine, in_review=True)
    at = reviewing(demo_engine, assessment_id)
    seen = texts(at)
    assert "Tahap sekarang" in seen
    assert "Perlu: tingkat final setiap indikator" in seen
    assert "Perlu: berita acara interviu dengan temuan" in seen
    assert "Perlu: berita acara visitasi" in seen
    assert "20 indikator belum bertingkat final" in seen
    assert any("**Visitasi** (opsional)" in s for s in seen)
    assert any("**Interviu** (wajib)" in s for s in seen)

    all_final(demo_engine, assessment_id)
    to_interview(demo_engine, assessment_id)
    at.run()
    seen = texts(at)
    assert "20 indikator belum bertingkat final" not in seen
    assert "Berita acara interviu belum dibuat" in seen


def test_the_interview_minute_is_written_on_the_page_and_clears_the_step(demo_engine):
    agency, assessment_id = submitted(demo_engine, in_review=True)
    to_interview(demo_engine, assessment_id)
    at = reviewing(demo_engine, assessment_id)
    prefix = f"sg_{assessment_id}_interview_0"
    at.session_state[f"{prefix}_findings"] = {  # the grid (AppTest has no data editor element)
        "edited_rows": {0: {"finding": "SK belum ditandatangani."}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    # the fields are in one form: what is typed is sent with the save button, as in the browser
    at.text_input(key=f"{prefix}_place").input("Ruang rapat Bappeda")
    at.text_area(key=f"{prefix}_people").input("Budi, Kepala Dinas\nSiti, Asesor")
    at.button(key=f"sg_save_{assessment_id}_interview").click().run()
    assert not at.exception and not at.error
    assert "Berita acara disimpan." in [x.value for x in at.toast]
    assert "Berita acara interviu belum dibuat" not in texts(at)
    assert at.text_input(key=f"sg_{assessment_id}_interview_1_place").value == "Ruang rapat Bappeda"

    page = signed_in_page(demo_engine, agency.coordinator, "assessment.py")  # the agency reads it
    assert "Budi, Kepala Dinas\nSiti, Asesor" in [x.value for x in page.text]


def test_a_minute_refused_for_its_date_keeps_the_input(demo_engine):
    _, assessment_id = submitted(demo_engine, in_review=True)
    to_interview(demo_engine, assessment_id)
    at = reviewing(demo_engine, assessment_id)
    prefix = f"sg_{assessment_id}_interview_0"
    at.text_input(key=f"{prefix}_place").input("Aula")
    at.text_area(key=f"{prefix}_people").input("Budi")
    at.button(key=f"sg_save_{assessment_id}_interview").click().run()
    assert [shown(e.value) for e in at.error] == [
        "Berita acara interviu memuat temuan pada paling sedikit satu indikator."
    ]
    assert at.text_input(key=f"{prefix}_place").value == "Aula"


def test_finalizing_asks_first_then_shows_the_finished_result_of_the_same_agency(demo_engine):
    agency, assessment_id = submitted(demo_engine, in_review=True)
    all_final(demo_engine, assessment_id)
    to_interview(demo_engine, assessment_id)
    at = reviewing(demo_engine, assessment_id)
    at.button(key="rv_finalize").click().run()
    assert status_of(demo_engine, assessment_id) == "in_review"
    box = texts(at)
    assert any(s.startswith(f"Hasil akhir {agency.name} (2026) ditetapkan dari tingkat final") for s in box)
    assert "Indeks dari tingkat final: **3,00** · Baik" in box
    assert (
        "Indikator terisi: 20 dari 20 · Tingkat final: 20 dari 20 · Catatan asesor: 0 · Pertanyaan terbuka: 0"
        in box
    )
    assert ":material/warning: Interviu: Berita acara interviu belum dibuat" in box

    at.button(key="rv_finalize_confirm").click().run()
    assert not at.exception and not at.error
    assert status_of(demo_engine, assessment_id) == "final"
    seen = texts(at)
    assert f"### {agency.name}" in seen and "Status: **Final** · Tahap: **Final**" in seen
    assert "#### :material/verified: Hasil akhir ditetapkan" in seen
    assert [m.value for m in at.metric] == ["3,00"]
    groups = at.dataframe[0].value
    assert list(groups.columns) == ["Jenis", "Kode", "Domain/aspek", "Indeks"]
    assert set(groups["Indeks"]) == {"3,00"}
    assert at.get("download_button")  # the report
    assert not [b for b in at.button if b.key in ("rv_save", "rv_finalize")]  # no other agency's grid


def test_cancel_closes_the_finalize_box_and_changes_nothing(demo_engine):
    _, assessment_id = submitted(demo_engine, in_review=True)
    at = reviewing(demo_engine, assessment_id)
    at.button(key="rv_finalize").click().run()
    at.button(key="rv_finalize_cancel").click().run()
    assert not [b for b in at.button if b.key == "rv_finalize_confirm"]
    assert status_of(demo_engine, assessment_id) == "in_review"


def test_the_header_and_steps_read_in_english(demo_engine):
    _, assessment_id = submitted(demo_engine, in_review=True)
    with write_session(demo_engine) as session:
        set_stage(
            session,
            actor=actor(demo_engine, "asesor"),
            assessment_id=assessment_id,
            expected_version=version_of(demo_engine, assessment_id),
            stage="interview",
        )
        save_minute(
            session,
            actor=actor(demo_engine, "asesor"),
            assessment_id=assessment_id,
            stage="interview",
            held_on=date.today(),
            place="Hall",
            participants="Budi",
            findings={"I02": "Checked."},
            agreed_changes=None,
            expected_version=0,
        )
    at = reviewing(demo_engine, assessment_id, lang="en")
    seen = texts(at)
    assert "Status: **In review** · Stage: **Interview**" in seen
    assert "Needs: an interview minute with findings" in seen
    assert "The interview minute is not written yet" not in seen
    assert any("**Site visit** (optional)" in s for s in seen)


def test_on_finalizing_the_reviewer_writes_recommendations_on_the_finished_result(demo_engine):
    _, assessment_id = submitted(demo_engine, in_review=True)
    all_final(demo_engine, assessment_id)
    to_interview(demo_engine, assessment_id)
    at = reviewing(demo_engine, assessment_id)
    at.button(key="rv_finalize").click().run()
    at.button(key="rv_finalize_confirm").click().run()
    assert status_of(demo_engine, assessment_id) == "final"
    key = f"rc_add_{assessment_id}"
    at.selectbox(key=f"{key}_code").set_value("I05")
    at.text_area(key=f"{key}_text").input("Tetapkan SOP layanan digital.")
    at.button(key=f"{key}_submit").click().run()
    assert not at.exception and not at.error
    assert "Rekomendasi disimpan." in [s.value for s in at.success]
    assert "Tetapkan SOP layanan digital." in [x.value for x in at.text]
    assert "#### :material/verified: Hasil akhir ditetapkan" in texts(at)  # still the finished result
