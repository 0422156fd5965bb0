"""Agency teamwork in a real browser (issue 13): the coordinator creates a unit, places the operator in
it and assigns two indicators to it; the unit's operator cannot change another indicator, fills one of
theirs and asks a question in its thread; the reviewer answers in the thread; the operator enters 2.5 on
a Pemdi indicator; the coordinator submits. Runs on a server and database of its own (the shared demo
server's 2026 assessment belongs to test_assessment_flow). A screenshot per step."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from sqlmodel import select

from tests.conftest import _copy_of
from tests.e2e.conftest import streamlit_server, wait_for_app
from tests.e2e.test_assessment_flow import AGENCY, settle, sign_out

pytestmark = pytest.mark.e2e
QUESTION = "Apakah SK Walikota 2025 cukup sebagai bukti tingkat 3?"
ANSWER = "Cukup, asalkan SK itu berlaku untuk semua perangkat daerah."


@pytest.fixture(scope="module")
def own_app(
    templates: dict[tuple[str, bool], str], tmp_path_factory: pytest.TempPathFactory, browser: object
) -> Iterator[tuple[str, str]]:
    """(url, database url) of a `streamlit run app.py` on a copy of the small demo of its own."""
    folder = tmp_path_factory.mktemp("teamwork")
    db_url, _drop = _copy_of("sqlite", templates[("sqlite", True)], folder)
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "SPBE_DEMO": "1",
        "SPBE_EVIDENCE_DIR": str(folder / "evidence"),
    }
    with streamlit_server(folder, env) as url:
        yield url, db_url


def _prefill(db_url: str) -> int:
    """The demo agency's 2026 assessment, every indicator but I01 and I02 filled by the coordinator."""
    from evaluation.db import make_engine, read_session, write_session
    from evaluation.models import Period, User
    from evaluation.services.auth import actor_of
    from evaluation.services.score_versions import score_versions
    from evaluation.services.self_assessment import open_assessment, save_self_assessment

    engine = make_engine(db_url)
    try:
        with read_session(engine) as session:
            coordinator = actor_of(session.exec(select(User).where(User.username == "koordinator")).one())
            period_id = session.exec(
                select(Period.id).where(
                    Period.year == 2026, Period.status == "open", Period.kind == "official"
                )
            ).one()
        with write_session(engine) as session:
            assessment_id = open_assessment(
                session, actor=coordinator, agency_id=coordinator.agency_id or 0, period_id=period_id
            )
            entries = {
                f"I{n:02d}": {"level": 3, "justification": f"Fakta: Perwal Nomor {n} Tahun 2025."}
                for n in range(3, 21)
            }
            read = score_versions(session, assessment_id)
            save_self_assessment(
                session,
                actor=coordinator,
                assessment_id=assessment_id,
                versions={code: read.get(code, 0) for code in entries},
                entries=entries,
            )
        return assessment_id
    finally:
        engine.dispose()


def _state(db_url: str, assessment_id: int) -> tuple[str, float | None, list[str], dict[str, int | None]]:
    from evaluation.db import make_engine, read_session
    from evaluation.models import Assessment, IndicatorAssignment, IndicatorScore, ThreadMessage

    engine = make_engine(db_url)
    try:
        with read_session(engine) as session:
            assessment = session.get(Assessment, assessment_id)
            level = session.exec(
                select(IndicatorScore.self_level).where(
                    IndicatorScore.assessment_id == assessment_id, IndicatorScore.indicator_code == "I01"
                )
            ).first()
            texts = list(session.exec(select(ThreadMessage.text).order_by(ThreadMessage.id)))  # type: ignore[arg-type]
            held = {
                row.indicator_code: row.unit_id
                for row in session.exec(
                    select(IndicatorAssignment).where(IndicatorAssignment.assessment_id == assessment_id)
                )
            }
            return (assessment.status if assessment else "?"), level, texts, held
    finally:
        engine.dispose()


def sign_in(page, app_url: str, username: str, password: str, landing: str) -> None:
    """Sign in on the login page and wait for the role's landing page."""
    page.goto(f"{app_url}/masuk")
    wait_for_app(page)
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(f"{landing}$"), timeout=30_000)
    wait_for_app(page)


def choose(page, label: str, option: str) -> None:
    """Pick one option of an st.selectbox or st.multiselect (labelled exactly `label`) by typing it."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    settle(page)


def choose_many(page, label: str, option: str) -> None:
    """`choose` for an st.multiselect, whose options stay open over what follows until Escape."""
    choose(page, label, option)
    page.keyboard.press("Escape")
    settle(page)


def test_a_unit_fills_its_indicators_talks_with_the_reviewer_and_the_coordinator_submits(
    browser, own_app, shots
):
    from playwright.sync_api import expect

    url, db_url = own_app
    page = browser.new_context(viewport={"width": 1400, "height": 2600}, locale="id-ID").new_page()  # type: ignore[attr-defined]
    page.set_default_timeout(30_000)
    page.goto(url)
    wait_for_app(page)  # the first run migrates and loads the demo data
    assessment_id = _prefill(db_url)

    # 1. The coordinator creates a unit, places the operator in it and assigns I01 and I02 to it.
    sign_in(page, url, "koordinator", "pengaju-demo-2026", "/penilaian")
    page.get_by_text("Pembagian tugas", exact=True).click()
    page.get_by_role("textbox", name="Unit baru").fill("Bidang Data")
    page.get_by_role("button", name="Tambah unit").click()
    settle(page)
    choose(page, "Anggota", "Operator Demo")
    choose(page, "Unit anggota", "Bidang Data")
    page.get_by_role("button", name="Tempatkan").click()
    settle(page)
    choose_many(page, "Indikator yang ditugaskan", "I01 ·")
    choose_many(page, "Indikator yang ditugaskan", "I02 ·")
    choose(page, "Kepada unit", "Bidang Data")
    page.get_by_role("button", name="Tugaskan").click()
    settle(page)
    errors = page.get_by_test_id("stAlertContentError").all_inner_texts()
    assert errors == []
    _status, _level, _texts, held = _state(db_url, assessment_id)
    assert set(held) == {"I01", "I02"} and len(set(held.values())) == 1
    page.screenshot(path=str(shots / "01-coordinator-assigned.png"), full_page=True)
    sign_out(page)

    # 2. The unit's operator may not change I03, fills I02 and asks a question in its thread.
    sign_in(page, url, "operator", "pengisi-demo-2026", "/penilaian")
    choose(page, "Indikator", "I03 ·")
    expect(page.get_by_text("ditugaskan kepada unit atau orang lain").first).to_be_visible()
    choose(page, "Indikator", "I02 ·")
    page.get_by_test_id("stRadioGroup").get_by_text("3 Berkembang", exact=True).click()
    settle(page)
    area = page.get_by_role("textbox", name="Penjelasan")
    area.fill("Fakta: SK Walikota Nomor 7 Tahun 2025 tentang Satu Data.")
    area.press("Tab")
    settle(page)
    page.get_by_role("textbox", name="Pesan").fill(QUESTION)
    page.get_by_role("button", name="Kirim").click()
    settle(page)
    expect(page.get_by_text(QUESTION)).to_be_visible()
    page.screenshot(path=str(shots / "02-operator-asked.png"), full_page=True)
    sign_out(page)

    # 3. The reviewer reads the question on the assessment page and answers in the thread.
    sign_in(page, url, "asesor", "penilai-demo-2026", "/verifikasi")
    page.goto(f"{url}/penilaian")
    wait_for_app(page)
    choose(page, "Instansi", AGENCY)
    choose(page, "Indikator", "I02 ·")
    expect(page.get_by_text(QUESTION)).to_be_visible()
    page.get_by_role("textbox", name="Pesan").fill(ANSWER)
    page.get_by_role("button", name="Kirim").click()
    settle(page)
    expect(page.get_by_text(ANSWER)).to_be_visible()
    page.screenshot(path=str(shots / "03-reviewer-answered.png"), full_page=True)
    sign_out(page)

    # 4. The operator sees the answer and enters 2.5 on the Pemdi indicator I01.
    sign_in(page, url, "operator", "pengisi-demo-2026", "/penilaian")
    choose(page, "Indikator", "I02 ·")
    expect(page.get_by_text(ANSWER)).to_be_visible()
    choose(page, "Indikator", "I01 ·")
    exact = page.get_by_role("textbox", name="Tingkat (nilai tepat)")
    exact.fill("2,5")  # the reader's decimal comma
    exact.press("Enter")
    settle(page)
    area = page.get_by_role("textbox", name="Penjelasan")
    area.fill("Fakta: arsitektur SPBE ditetapkan, sebagian perangkat daerah menerapkan.")
    area.press("Tab")
    settle(page)
    expect(exact).to_have_value("2,5")
    expect(page.get_by_text("Di antara 2 Membangun dan 3 Berkembang")).to_be_visible()
    page.screenshot(path=str(shots / "04-operator-fractional.png"), full_page=True)
    sign_out(page)

    # 5. The coordinator submits the whole assessment.
    sign_in(page, url, "koordinator", "pengaju-demo-2026", "/penilaian")
    page.get_by_role("button", name="Ajukan ke kementerian").click()
    settle(page)
    page.get_by_role("button", name="Ya, ajukan ke kementerian").click()  # the page asks first
    settle(page)
    expect(page.get_by_text("Diajukan").first).to_be_visible()
    page.screenshot(path=str(shots / "05-coordinator-submitted.png"), full_page=True)
    status, level, texts, _held = _state(db_url, assessment_id)
    assert (status, level, texts) == ("submitted", 2.5, [QUESTION, ANSWER])
    page.context.close()
