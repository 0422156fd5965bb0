"""In a real browser, an agency sets a roadmap target and an activity and sees both on the charts."""

from __future__ import annotations

from datetime import date

import pytest

from tests.e2e.conftest import wait_for_app
from tests.e2e.test_assessment_flow import settle, sign_in, sign_out

pytestmark = pytest.mark.e2e


def open_section(page, title: str) -> None:
    """Expand an st.expander unless it is open already."""
    summary = page.locator("summary").filter(has_text=title).first
    details = page.locator("details").filter(has=summary).first
    if details.get_attribute("open") is None:
        summary.click()
        page.wait_for_timeout(300)


def test_an_agency_sets_a_target_and_an_activity_and_sees_them_on_the_charts(browser, app_url, shots):
    from playwright.sync_api import expect

    page = browser.new_context(viewport={"width": 1400, "height": 2600}, locale="id-ID").new_page()
    page.set_default_timeout(30_000)
    sign_in(page, app_url, "koordinator", "pengaju-demo-2026", "/penilaian")
    page.goto(f"{app_url}/peta-rencana")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Peta Rencana SPBE")).to_be_visible()

    open_section(page, "Tambah atau nyatakan ulang target")
    forms = page.locator('[data-testid="stForm"]')
    form = forms.filter(has=page.get_by_role("button", name="Simpan target")).first
    form.get_by_role("textbox", name="Nilai target").fill("3,40")  # the reader's decimal comma
    form.get_by_role("textbox", name="Nilai target").press("Tab")
    form.get_by_role("button", name="Simpan target").click()
    settle(page)
    expect(page.get_by_text("Tersimpan.")).to_be_visible()
    short_year = date.today().year + 1
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    expect(chart.get_by_text(f"Jangka pendek {short_year}").first).to_be_visible()
    page.screenshot(path=str(shots / "01-target-on-chart.png"), full_page=True)

    open_section(page, "Tambah kegiatan")
    activity = forms.filter(has=page.get_by_role("button", name="Tambah kegiatan")).first
    activity.get_by_role("textbox", name="Nama kegiatan").fill("Menyusun Perwal Arsitektur Pemdi")
    activity.get_by_role("textbox", name="Penanggung jawab").fill("Diskominfo")
    activity.get_by_role("combobox", name="Indikator terkait").click()
    page.get_by_role("option", name="I01").click()
    page.keyboard.press("Escape")
    activity.get_by_role("button", name="Tambah kegiatan").click()
    settle(page)
    expect(page.get_by_text("Tersimpan.")).to_be_visible()
    gantt = page.locator('[data-testid="stPlotlyChart"]').nth(1)
    expect(gantt.get_by_text("Menyusun Perwal Arsitektur Pemdi").first).to_be_visible()
    page.screenshot(path=str(shots / "02-activity-on-timeline.png"), full_page=True)
    sign_out(page)
    page.context.close()
