"""The evaluation cycle end to end in a real browser (issue 12, acceptance): the admin opens the next
period with its schedule and assigns its lead reviewer; the coordinator submits this year's assessment;
the reviewer moves it through the stages with an interview minute and finalizes it with two
recommendations; the coordinator objects on one indicator and the lead reviewer upholds it, which changes
the index; the coordinator records the follow-up; the next period's reviewer sees it and confirms it.

Steps the issue does not name are prepared through the services (the operator's self-assessment, the next
period's submission). A screenshot per step in test-output/<test>/. Own server: a fresh demo database,
no TOTP for the admin."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from evaluation.db import make_engine, write_session
from evaluation.models import Agency, FrameworkVersion, Period, User
from evaluation.services.auth import actor_of
from evaluation.services.frameworks import framework_of
from evaluation.services.review import start_review
from evaluation.services.score_versions import score_versions
from evaluation.services.self_assessment import open_assessment, save_self_assessment, submit
from tests.conftest import _copy_of
from tests.e2e.conftest import streamlit_server, wait_for_app

pytestmark = pytest.mark.e2e
AGENCY_CODE, AGENCY = "KOTA-001", "Pemerintah Kota Banda Aceh"  # the demo users' agency
THIS_YEAR, NEXT_YEAR = 2026, 2027
OFFICIAL = "Evaluasi Kinerja"  # the official framework's title, not the province's programme
ADMIN = ("admin", "pengelola-demo-2026")
REVIEWER = ("asesor", "penilai-demo-2026")
COORDINATOR = ("koordinator", "pengaju-demo-2026")
RECOMMENDATIONS = (
    ("I01", "Tetapkan kebijakan tata kelola Pemdi dengan peraturan wali kota dan sosialisasikan."),
    (None, "Susun peta rencana Pemdi kota yang memuat target tahunan per indikator."),
)
FOLLOWUP = "Rancangan peraturan wali kota tentang tata kelola Pemdi disusun bersama Bagian Hukum."
INDEX = re.compile(r"Hasil verifikasi: Indeks (\d+,\d\d) · (\w+)")


@pytest.fixture(scope="module")
def cycle_app(
    templates: dict[tuple[str, bool], str], tmp_path_factory: pytest.TempPathFactory, browser: object
) -> Iterator[tuple[str, str]]:
    """(app URL, database URL) of a demo server of its own, on a copy of the 40-agency demo: the walk
    changes the demo agency."""
    folder = tmp_path_factory.mktemp("cycle")
    database, _drop = _copy_of("sqlite", templates[("sqlite", True)], folder)
    env = {
        **__import__("os").environ,
        "DATABASE_URL": database,
        "SPBE_DEMO": "1",
        "SPBE_EVIDENCE_DIR": str(folder / "evidence"),
        "SPBE_MFA_REQUIRED_ROLES": "",  # the admin signs in without a TOTP code here
    }
    with streamlit_server(folder, env) as url:
        yield url, database


# --- the browser's gestures ---------------------------------------------------------------------------


def settle(page: Any) -> None:
    page.wait_for_timeout(400)
    wait_for_app(page)


def shot(page: Any, folder: Path, name: str) -> None:
    page.wait_for_timeout(800)  # let the last elements paint
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def sign_in(page: Any, url: str, who: tuple[str, str], landing: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{url}/masuk")
    wait_for_app(page)
    page.get_by_label("Nama pengguna").fill(who[0])
    page.get_by_label("Kata sandi").fill(who[1])
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(f"{landing}$"), timeout=60_000)
    wait_for_app(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text(re.compile(rf"· {re.escape(who[0])}$")).first).to_be_visible()


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(re.compile(r"/(beranda)?$"), timeout=60_000)
    wait_for_app(page)


def choose(scope: Any, page: Any, label: str, option: str) -> None:
    """Pick an option of an st.selectbox (inside `scope`) by typing the start of its text."""
    box = scope.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    settle(page)


def type_date(scope: Any, page: Any, label: str, day: date, order: str = "%Y%m%d") -> None:
    """Type a date into an st.date_input, segment by segment in the input's own order."""
    field = scope.get_by_role("group", name=label, exact=True).first
    field.get_by_role("spinbutton").first.click()
    page.keyboard.type(day.strftime(order))
    page.keyboard.press("Tab")
    settle(page)


def fill_text(scope: Any, page: Any, label: str, text: str) -> None:
    field = scope.get_by_role("textbox", name=label, exact=True)
    field.fill(text)
    field.press("Tab")
    settle(page)


def edit_first_cell_of_last_column(page: Any, grid: Any, text: str) -> None:
    """Type into the first row's last column of an st.data_editor (a canvas: click, then double-click),
    until the grid's accessible table holds the text (an edit can be lost to a rerun in flight)."""
    for attempt in range(3):
        grid.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        box = grid.bounding_box()
        x, y = box["x"] + box["width"] - 120, box["y"] + 35 + 17  # header row, then the middle of row one
        page.mouse.click(x, y)  # selects the cell; typing opens its editor
        page.wait_for_timeout(500)
        if attempt:
            page.mouse.dblclick(x, y)
            page.wait_for_timeout(500)
        page.keyboard.type(text, delay=10)
        page.wait_for_timeout(300)
        page.keyboard.press("Enter")
        settle(page)
        page.wait_for_timeout(1000)
        wait_for_app(page)
        if grid.locator("table[role=grid]").get_by_text(text).count():
            return
    raise AssertionError(f"the grid did not take {text!r}")


def agency_index(page: Any, url: str, year: int) -> tuple[str, str]:
    """The coordinator's assessment page for `year`: the verified index and predicate it shows."""
    from playwright.sync_api import expect

    page.goto(f"{url}/penilaian")
    wait_for_app(page)
    choose(page, page, "Periode", f"{year} · Pemdi")
    line = page.get_by_text(INDEX).first
    expect(line).to_be_visible()
    found = INDEX.search(line.inner_text())
    assert found is not None
    return found.group(1), found.group(2)


# --- what the services prepare -----------------------------------------------------------------------


def _ids(session: Any, year: int) -> tuple[int, int]:
    agency = session.exec(select(Agency).where(col(Agency.code) == AGENCY_CODE)).one()
    period = session.exec(
        select(Period).where(col(Period.year) == year, col(Period.kind) == "official")
    ).one()
    return int(agency.id), int(period.id)


def _actor(session: Any, username: str) -> Any:
    return actor_of(session.exec(select(User).where(col(User.username) == username)).one())


def prepare_assessment(database: str, year: int, *, submit_and_start: bool = False) -> None:
    """The operator fills every indicator at level 3 with a justification; with `submit_and_start`, the
    coordinator submits and the reviewer starts the verification too."""
    engine = make_engine(database)
    try:
        with write_session(engine) as session:
            agency_id, period_id = _ids(session, year)
            operator = _actor(session, "operator")
            aid = open_assessment(session, actor=operator, agency_id=agency_id, period_id=period_id)
            version = session.get(FrameworkVersion, session.get(Period, period_id).framework_version_id)
            entries = {
                i.code: {
                    "level": 3,
                    "justification": f"Fakta: dokumen {i.code} tahun {year - 1}, pasal 2. "
                    "Analisis: kriteria tingkat 3 terpenuhi di semua perangkat daerah.",
                }
                for i in framework_of(version).indicators
            }
            read = score_versions(session, aid)
            save_self_assessment(
                session,
                actor=operator,
                assessment_id=aid,
                versions={code: read.get(code, 0) for code in entries},
                entries=entries,
            )
        if submit_and_start:
            with write_session(engine) as session:
                from evaluation.models import Assessment

                version_now = session.get(Assessment, aid).version
                submit(
                    session,
                    actor=_actor(session, "koordinator"),
                    assessment_id=aid,
                    expected_version=version_now,
                )
            with write_session(engine) as session:
                version_now = session.get(Assessment, aid).version
                start_review(
                    session, actor=_actor(session, "asesor"), assessment_id=aid, expected_version=version_now
                )
    finally:
        engine.dispose()


# --- the walk ----------------------------------------------------------------------------------------


def test_the_evaluation_cycle_runs_from_the_period_to_the_next_periods_check(browser, cycle_app, shots):
    page = browser.new_context(viewport={"width": 1400, "height": 2600}, locale="id-ID").new_page()
    page.set_default_timeout(60_000)
    try:
        walk(page, *cycle_app, shots)
    except Exception:
        page.screenshot(path=str(shots / "failed.png"), full_page=True)  # where it stopped
        raise
    finally:
        page.context.close()


def walk(page: Any, url: str, database: str, shots: Path) -> None:
    from playwright.sync_api import expect

    today = date.today()

    # 1. The admin opens the next period with its schedule and assigns the agency's lead reviewer.
    sign_in(page, url, ADMIN, "/pengguna")
    page.goto(f"{url}/periode")
    wait_for_app(page)
    page.get_by_role("spinbutton", name="Tahun").fill(str(NEXT_YEAR))
    page.get_by_role("spinbutton", name="Tahun").press("Enter")
    settle(page)
    for label, days in (
        ("Dibuka", 0),
        ("Penilaian mandiri ditutup", 60),
        ("Verifikasi selesai", 90),
        ("Sanggah ditutup", 120),
    ):
        type_date(page, page, label, today + timedelta(days=days))
    page.get_by_role("button", name="Buat periode").click()
    settle(page)
    expect(page.get_by_text(f"Periode {NEXT_YEAR} · Pemdi 2026 dibuat dan berjalan.")).to_be_visible()
    shot(page, shots, "01-admin-opened-the-next-period")
    page.goto(f"{url}/penugasan-asesor")
    wait_for_app(page)
    choose(page, page, "Periode", f"{NEXT_YEAR} ·")
    choose(page, page, "Instansi", f"{AGENCY_CODE} ·")
    choose(page, page, "Asesor", "Asesor Demo (asesor)")
    page.get_by_role("radiogroup", name="Peran").first.get_by_text("Ketua tim", exact=True).click()
    settle(page)
    page.get_by_role("button", name="Tugaskan", exact=True).click()
    settle(page)
    expect(page.get_by_text("Penugasan disimpan.")).to_be_visible()
    shot(page, shots, "02-admin-assigned-the-lead-reviewer")
    sign_out(page)

    # 2. The operator's self-assessment (prepared), then the coordinator submits this year's.
    prepare_assessment(database, THIS_YEAR)
    sign_in(page, url, COORDINATOR, "/penilaian")
    choose(page, page, "Periode", f"{THIS_YEAR} · Pemdi")
    expect(page.get_by_text("20 dari 20 indikator terisi")).to_be_visible()
    page.get_by_role("button", name="Ajukan ke kementerian").click()
    settle(page)
    page.get_by_role("button", name="Ya, ajukan ke kementerian").click()
    settle(page)
    expect(page.get_by_text("Diajukan").first).to_be_visible()
    shot(page, shots, "03-coordinator-submitted")
    sign_out(page)

    # 3. The reviewer: document review, the interview with its minute, finalize, two recommendations.
    sign_in(page, url, REVIEWER, "/verifikasi")
    choose(page, page, "Pilih penilaian", f"{AGENCY} · {THIS_YEAR} · {OFFICIAL}")
    page.get_by_role("button", name="Mulai verifikasi").click()
    settle(page)
    page.get_by_role("button", name=re.compile("tingkat final yang kosong")).click()
    settle(page)
    page.get_by_role("radiogroup", name="Tahap").get_by_text("Interviu", exact=True).click()
    settle(page)
    page.get_by_role("button", name="Pindah ke tahap ini").click()
    settle(page)
    expect(page.get_by_text("Berita acara interviu belum dibuat")).to_be_visible()
    page.goto(f"{url}/verifikasi")  # back from the queue: the minute's form as the stage opens it
    wait_for_app(page)
    choose(page, page, "Pilih penilaian", f"{AGENCY} · {THIS_YEAR} · {OFFICIAL}")
    minute = page.get_by_test_id("stExpander").filter(has_text="Berita acara Interviu").first
    fill_text(minute, page, "Tempat", "Ruang rapat Dinas Kominfo Kota Banda Aceh")
    fill_text(
        minute,
        page,
        "Peserta",
        "Asesor Demo, ketua tim asesor, Kementerian PANRB\nKoordinator SPBE Demo, Dinas Kominfo",
    )
    fill_text(minute, page, "Perubahan yang disepakati", "Instansi melengkapi SK tim koordinasi.")
    edit_first_cell_of_last_column(
        page,
        minute.get_by_test_id("stDataFrame"),
        "Kebijakan tata kelola ada dalam rancangan; SK tim koordinasi ditunjukkan.",
    )
    minute.get_by_role("button", name="Simpan berita acara").click()
    settle(page)
    expect(minute.get_by_role("button", name="Cetak berita acara (PDF)")).to_be_visible()
    expect(page.get_by_text("Berita acara interviu belum dibuat")).to_have_count(0)
    shot(page, shots, "04-reviewer-interview-minute")
    page.get_by_role("button", name="Tetapkan hasil akhir").click()
    settle(page)
    page.get_by_role("button", name="Ya, tetapkan hasil akhir").click()
    settle(page)
    expect(page.get_by_text(f"Hasil akhir ditetapkan. {AGENCY} · {THIS_YEAR}")).to_be_visible()
    for code, text in RECOMMENDATIONS:
        form = page.get_by_test_id("stForm").filter(has_text="Simpan rekomendasi").first
        if not form.is_visible():  # the adding box closes once there is a recommendation
            page.get_by_test_id("stExpander").filter(has_text="Tambah rekomendasi").first.get_by_text(
                "Tambah rekomendasi"
            ).first.click()
            settle(page)
        if code is not None:
            choose(form, page, "Indikator", f"{code} ·")
        type_date(form, page, "Tenggat", today + timedelta(days=90), order="%d%m%Y")
        form.get_by_role("textbox", name="Rekomendasi").fill(text)
        form.get_by_role("button", name="Simpan rekomendasi").click()
        settle(page)
        expect(page.get_by_text(text, exact=True).first).to_be_visible()
    shot(page, shots, "05-reviewer-finalized-with-two-recommendations")
    sign_out(page)

    # 4. The coordinator reads the index and objects on I01.
    sign_in(page, url, COORDINATOR, "/penilaian")
    before = agency_index(page, url, THIS_YEAR)
    objection = page.get_by_test_id("stExpander").filter(has_text="Ajukan keberatan").first
    objection.get_by_text("Ajukan keberatan").first.click()
    settle(page)
    choose(objection, page, "Indikator", "I01 ·")
    requested = "Tingkat yang diminta (opsional)"
    if objection.get_by_role("combobox", name=requested).count():
        choose(objection, page, requested, "4 ·")
    else:  # a framework with fractional levels asks for a number, typed in the reader's locale
        objection.get_by_role("textbox", name=requested).fill("4")
        objection.get_by_role("textbox", name=requested).press("Enter")
        settle(page)
    fill_text(
        objection,
        page,
        "Alasan keberatan",
        "Peraturan Wali Kota tentang tata kelola Pemdi sudah ditetapkan sebelum interviu.",
    )
    objection.get_by_role("button", name="Ajukan keberatan").click()
    settle(page)
    expect(page.get_by_text("Keberatan atas I01 diajukan.")).to_be_visible()
    shot(page, shots, "06-coordinator-objected")
    sign_out(page)

    # 5. The lead reviewer upholds it: the final level becomes 4.
    sign_in(page, url, REVIEWER, "/verifikasi")
    page.goto(f"{url}/keberatan")
    wait_for_app(page)
    item = page.get_by_test_id("stExpander").filter(has_text=f"{AGENCY} · {THIS_YEAR} · I01").first
    fill_text(item, page, "Alasan keputusan", "Peraturan wali kota terbukti berlaku sebelum interviu.")
    item.get_by_role("button", name="Lanjutkan ke konfirmasi").click()
    settle(page)
    expect(item.get_by_text(re.compile(r"Mengabulkan mengubah I01 dari 3"))).to_be_visible()
    item.get_by_role("button", name="Ya, simpan keputusan").click()
    settle(page)
    expect(page.get_by_text(re.compile(r"Keberatan I01 · .*Dikabulkan", re.IGNORECASE)).first).to_be_visible()
    shot(page, shots, "07-reviewer-upheld")
    sign_out(page)

    # 6. The index changed; the coordinator records the follow-up of the I01 recommendation.
    sign_in(page, url, COORDINATOR, "/penilaian")
    after = agency_index(page, url, THIS_YEAR)
    assert after != before and float(after[0].replace(",", ".")) > float(before[0].replace(",", "."))
    expect(page.get_by_text(re.compile(r"I01: tingkat final berubah 3 → 4"))).to_be_visible()
    shot(page, shots, "08-coordinator-sees-the-changed-index")
    page.goto(f"{url}/rekomendasi")
    wait_for_app(page)
    card = page.get_by_test_id("stVerticalBlock").filter(has_text=RECOMMENDATIONS[0][1]).last
    answer = card.get_by_test_id("stExpander").filter(has_text="Isi tindak lanjut").first
    answer.get_by_text("Isi tindak lanjut").first.click()
    settle(page)
    answer.get_by_role("textbox", name="Apa yang dilakukan").fill(FOLLOWUP)
    answer.get_by_role("textbox", name="Penanggung jawab").fill("Bagian Hukum Setda Kota")
    answer.get_by_role("button", name="Simpan tindak lanjut").click()
    settle(page)
    expect(page.get_by_text("Tindak lanjut disimpan.")).to_be_visible()
    card = page.get_by_test_id("stVerticalBlock").filter(has_text=RECOMMENDATIONS[0][1]).last
    card.get_by_role("button", name="Tandai selesai").click()
    settle(page)
    expect(page.get_by_text("Ditandai selesai; menunggu pemeriksaan asesor.")).to_be_visible()
    shot(page, shots, "09-coordinator-recorded-the-follow-up")
    sign_out(page)

    # 7. Next period (its submission prepared): its reviewer sees the follow-up and confirms it.
    prepare_assessment(database, NEXT_YEAR, submit_and_start=True)
    sign_in(page, url, REVIEWER, "/verifikasi")
    choose(page, page, "Pilih penilaian", f"{AGENCY} · {NEXT_YEAR} · {OFFICIAL}")
    expect(page.get_by_text(re.compile(r"Rekomendasi periode sebelumnya"))).to_be_visible()
    card = page.get_by_test_id("stVerticalBlock").filter(has_text=FOLLOWUP).last
    expect(card.get_by_text(RECOMMENDATIONS[0][1])).to_be_visible()
    expect(card.get_by_text("Selesai (menunggu pemeriksaan)")).to_be_visible()
    card.scroll_into_view_if_needed()  # the main area scrolls on its own: bring the card into the shot
    shot(page, shots, "10-next-reviewer-sees-the-follow-up")
    card.get_by_role("button", name="Konfirmasi").click()
    settle(page)
    expect(page.get_by_text("Tindak lanjut dikonfirmasi.")).to_be_visible()
    page.get_by_text("Tindak lanjut dikonfirmasi.").scroll_into_view_if_needed()
    shot(page, shots, "11-next-reviewer-confirmed")
