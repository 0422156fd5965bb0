"""A real browser loads the app on a fresh database and finds the dashboard and the framework browser."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e


def test_fresh_app_loads_demo_data_and_shows_the_dashboard(page, app_url, shots):
    from playwright.sync_api import expect

    page.goto(app_url)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Dasbor Nasional")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Indeks nasional 2025")).to_be_visible()
    expect(page.locator('[data-testid="stPlotlyChart"]').first).to_be_visible()
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(3, timeout=30_000)
    page.screenshot(path=str(shots / "01-dashboard.png"), full_page=True)


def test_framework_browser_shows_level_criteria(page, app_url, shots):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/kerangka")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Kerangka Penilaian")).to_be_visible(timeout=60_000)
    page.get_by_label("Cari indikator").fill("geospasial")
    page.get_by_label("Cari indikator").press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("Penyelenggaraan Informasi Geospasial").first).to_be_visible()
    page.screenshot(path=str(shots / "02-frameworks.png"), full_page=True)
