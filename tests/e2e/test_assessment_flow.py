"""The whole assessment in a real browser: the operator fills every indicator and uploads evidence, the
coordinator submits, the reviewer returns it with a note, the agency fixes and resubmits, the reviewer
finalizes, and the final index and predicate show on the agency's dashboard. A screenshot per step."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import wait_for_app
from tests.integration.workflow_fixtures import MINIMAL_PDF

pytestmark = pytest.mark.e2e
AGENCY = "Pemerintah Kota Banda Aceh"  # KOTA-001, the demo users' agency
PDF = MINIMAL_PDF  # a real one-page PDF: evidence must open as what it claims


def settle(page) -> None:
    page.wait_for_timeout(350)
    wait_for_app(page)


def sign_in(page, app_url: str, username: str, password: str, landing: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/masuk")
    wait_for_app(page)
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(f"{landing}$"), timeout=30_000)
    wait_for_app(page)
    # the sidebar names the signed-in user after the role: "Koordinator SPBE · koordinator"
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text(re.compile(rf"· {re.escape(username)}$")).first).to_be_visible()


def sign_out(page) -> None:
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(re.compile(r"/(beranda)?$"), timeout=30_000)
    wait_for_app(page)


def choose(page, label: str, option: str) -> None:
    """Pick an option of an st.selectbox by typing its text."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    settle(page)


def fill_indicator(page, code: str, level_label: str, text: str) -> None:
    choose(page, "Indikator", f"{code} ·")
    page.get_by_test_id("stRadioGroup").get_by_text(level_label, exact=True).click()
    settle(page)
    area = page.get_by_role("textbox", name="Penjelasan")
    area.fill(text)
    area.press("Tab")
    settle(page)


def test_an_assessment_goes_from_draft_to_a_published_result(browser, app_url, shots):
    from playwright.sync_api import expect

    page = browser.new_context(viewport={"width": 1400, "height": 2400}, locale="id-ID").new_page()
    page.set_default_timeout(30_000)

    # 1. The operator opens the 2026 assessment, fills every indicator and uploads evidence.
    sign_in(page, app_url, "operator", "pengisi-demo-2026", "/penilaian")
    page.get_by_role("button", name="Mulai penilaian periode ini").click()
    settle(page)
    for number in range(1, 21):
        fill_indicator(
            page,
            f"I{number:02d}",
            "3 Berkembang",
            f"Fakta: Peraturan Wali Kota Nomor {number} Tahun 2025, pasal 2, halaman 3. "
            "Analisis: kriteria tingkat 3 terpenuhi di semua perangkat daerah.",
        )
    expect(page.get_by_text("20 dari 20 indikator terisi")).to_be_visible()
    choose(page, "Indikator", "I01 ·")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "perwal-arsitektur.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Unggah").click()
    settle(page)
    expect(page.get_by_text("perwal-arsitektur.pdf").first).to_be_visible()
    page.screenshot(path=str(shots / "01-operator-filled.png"), full_page=True)
    sign_out(page)

    # 2. The coordinator submits.
    sign_in(page, app_url, "koordinator", "pengaju-demo-2026", "/penilaian")
    page.get_by_role("button", name="Ajukan ke kementerian").click()
    settle(page)
    page.get_by_role("button", name="Ya, ajukan ke kementerian").click()  # the page asks first
    settle(page)
    expect(page.get_by_text("Diajukan").first).to_be_visible()
    page.screenshot(path=str(shots / "02-coordinator-submitted.png"), full_page=True)
    sign_out(page)

    # 3. The reviewer starts the review and returns it with a note.
    sign_in(page, app_url, "asesor", "penilai-demo-2026", "/verifikasi")
    choose(page, "Pilih penilaian", f"{AGENCY} · 2026 · Evaluasi Kinerja Pemerintah Digital")
    page.get_by_role("button", name="Mulai verifikasi").click()
    settle(page)
    page.get_by_role("textbox", name="Catatan pengembalian untuk instansi").fill(
        "Lampirkan SK Tim Koordinasi untuk I03."
    )
    page.get_by_role("button", name="Kembalikan untuk perbaikan").click()
    settle(page)
    page.get_by_role("button", name="Ya, kembalikan ke instansi").click()
    settle(page)
    expect(page.get_by_text(f"Dikembalikan: {AGENCY}")).to_be_visible()
    page.screenshot(path=str(shots / "03-reviewer-returned.png"), full_page=True)
    sign_out(page)

    # 4. The agency sees the note, fixes I03 and resubmits.
    sign_in(page, app_url, "koordinator", "pengaju-demo-2026", "/penilaian")
    expect(page.get_by_text("Lampirkan SK Tim Koordinasi untuk I03.")).to_be_visible()
    fill_indicator(page, "I03", "4 Melembaga", "Fakta: SK Tim Koordinasi Nomor 12 Tahun 2026 terlampir.")
    page.get_by_role("button", name="Ajukan ke kementerian").click()
    settle(page)
    page.get_by_role("button", name="Ya, ajukan ke kementerian").click()  # the page asks first
    settle(page)
    expect(page.get_by_text("Diajukan").first).to_be_visible()
    page.screenshot(path=str(shots / "04-agency-resubmitted.png"), full_page=True)
    sign_out(page)

    # 5. The reviewer sets final levels, goes through the interview stage and finalizes.
    sign_in(page, app_url, "asesor", "penilai-demo-2026", "/verifikasi")
    choose(page, "Pilih penilaian", f"{AGENCY} · 2026 · Evaluasi Kinerja Pemerintah Digital")
    page.get_by_role("button", name="Mulai verifikasi").click()
    settle(page)
    page.get_by_role("button", name=re.compile("tingkat final yang kosong")).click()
    settle(page)
    page.get_by_test_id("stRadioGroup").get_by_text("Interviu", exact=True).click()
    settle(page)
    page.get_by_role("button", name="Pindah ke tahap ini").click()
    settle(page)
    page.get_by_role("button", name="Tetapkan hasil akhir").click()
    settle(page)
    page.get_by_role("button", name="Ya, tetapkan hasil akhir").click()
    settle(page)
    expect(page.get_by_text(f"Hasil akhir ditetapkan. {AGENCY} · 2026")).to_be_visible()
    page.screenshot(path=str(shots / "05-reviewer-finalized.png"), full_page=True)
    sign_out(page)

    # 6. The agency's dashboard shows the final index and predicate.
    sign_in(page, app_url, "koordinator", "pengaju-demo-2026", "/penilaian")
    expect(page.get_by_text("Hasil verifikasi: Indeks 3,05 · Baik")).to_be_visible()
    page.goto(app_url)
    wait_for_app(page)
    expect(page.get_by_text("Indeks 2026")).to_be_visible()
    expect(page.locator('[data-testid="stMetricValue"]').get_by_text("3,05")).to_be_visible()
    page.screenshot(path=str(shots / "06-agency-dashboard.png"), full_page=True)
    page.context.close()
