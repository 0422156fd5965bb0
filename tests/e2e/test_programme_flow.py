"""In a real browser, the coordinator of the demo's provincial programme on the founding framework
(koordinator-program, PROV-001) sets a medium-term target on a step, sees it on the chart, and sees the
official indicators the step moves; the home page's programme view shows the ten steps."""

from __future__ import annotations

import re

import pytest

from evaluation.demo.data import DEMO_USERS
from tests.e2e.conftest import wait_for_app
from tests.e2e.test_assessment_flow import settle, sign_out
from tests.e2e.test_roadmap_flow import open_section

pytestmark = pytest.mark.e2e

USER = "koordinator-program"
PASSWORD = next(password for name, *_rest, password in DEMO_USERS if name == USER)
ADD_TARGET = "Tambah atau nyatakan ulang target"
STEP = "V09"  # left unplanned in the demo's roadmap of the runner (demo_programme.UNPLANNED_STEPS_OF_RUNNER)


def sign_in(page, app_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/masuk")
    wait_for_app(page)
    page.get_by_label("Nama pengguna").fill(USER)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile("/penilaian$"), timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_text(f"· {USER}").first).to_be_visible()


def choose_in(page, scope, label: str, option: str, name: re.Pattern[str] | None = None) -> None:
    """Pick an option of an st.selectbox inside `scope` (a form) by typing `option`; the options open on
    the page and the one whose name is `option` (or matches `name`) is taken."""
    target = (
        page.get_by_role("option", name=name) if name else page.get_by_role("option", name=option, exact=True)
    )
    for attempt in range(3):  # on a loaded machine a rerun can redraw the box and close its list: again
        wait_for_app(page)
        box = scope.get_by_role("combobox", name=label, exact=True)
        box.click()
        box.fill(option)
        try:
            target.first.wait_for(state="visible", timeout=10_000)
        except Exception:  # playwright's TimeoutError: the list closed before the option showed
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            continue
        target.first.click()
        break
    page.wait_for_timeout(300)


def test_the_programme_coordinator_plans_a_step_and_sees_the_official_indicators_it_moves(
    browser, app_url, shots
):
    from playwright.sync_api import expect

    page = browser.new_context(viewport={"width": 1400, "height": 5600}, locale="id-ID").new_page()
    page.set_default_timeout(30_000)
    sign_in(page, app_url)
    page.goto(f"{app_url}/peta-rencana")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Peta Rencana SPBE")).to_be_visible()
    choose_in(page, page, "Kerangka", "Dari Visi ke Evaluasi")
    settle(page)
    bridge = page.get_by_role("heading", name="Jembatan ke indeks resmi")
    expect(bridge).to_be_visible()
    levels_chart = page.locator('[data-testid="stPlotlyChart"]').filter(
        has_text="Nilai terakhir dan target per domain"
    )
    expect(levels_chart.get_by_text(STEP, exact=True)).to_have_count(0)  # not planned yet
    page.screenshot(path=str(shots / "01-before.png"), full_page=True)

    open_section(page, ADD_TARGET)
    form = page.locator("details").filter(has=page.locator("summary").filter(has_text=ADD_TARGET)).first
    choose_in(page, form, "Jangka", "Jangka menengah")
    choose_in(page, form, "Jenis target", "Domain/aspek")
    # the step itself (V09, perhaps labelled "V09 · ..."), not its indicators V09.1, V09.2
    choose_in(page, form, "Domain/aspek/indikator", STEP, re.compile(rf"^{STEP}(?![.\d])"))
    value = form.get_by_role("textbox", name="Nilai target")
    value.fill("3,60")  # the reader's decimal comma
    value.press("Tab")
    form.get_by_role("button", name="Simpan target").click()
    settle(page)
    expect(page.get_by_text("Tersimpan.")).to_be_visible()

    expect(levels_chart.get_by_text(STEP, exact=True).first).to_be_visible()  # the step on the chart
    table = (
        page.get_by_test_id("stDataFrame")
        .filter(has_text="Indikator resmi yang digerakkan")
        .first.locator("table[role=grid]")
    )
    expect(table).to_contain_text(f"{STEP} Uji Coba")
    expect(table).to_contain_text("I02 ")  # V09 prepares pemdi-2026 I02 and I20
    expect(table).to_contain_text("I20 ")
    expect(page.get_by_text("Asumsi: menaikkan indikator kerangka pendiri", exact=False)).to_be_visible()
    page.screenshot(path=str(shots / "02-step-planned-and-bridged.png"), full_page=True)

    page.goto(app_url)
    wait_for_app(page)
    page.get_by_test_id("stRadio").get_by_text("Program (Dari Visi ke Evaluasi)").click()
    settle(page)
    radar = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="Sepuluh langkah")
    expect(radar.first).to_be_visible()
    expect(page.get_by_text("Langkah yang paling sering tertinggal").first).to_be_visible()
    page.screenshot(path=str(shots / "03-programme-view.png"), full_page=True)
    sign_out(page)
    page.context.close()
