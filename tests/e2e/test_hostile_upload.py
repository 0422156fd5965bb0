"""In a real browser: a signed-in coordinator uploads a hostile workbook (one value at XFD1048576, which
made python-calamine abort the whole server) on the Excel page and sees the refusal naming the limit;
then another browser session loads a page from the same server, which is still serving."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import streamlit_server, wait_for_app
from tests.hostile_workbooks import value_at_xfd1048576

pytestmark = pytest.mark.e2e
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PASSWORD = "Koordinator-uji-2026!"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, browser: object) -> Iterator[str]:
    """`streamlit run app.py` on a database of its own: frameworks, an open period and one coordinator
    (no demo data: the test needs nothing else)."""
    from evaluation.bootstrap import ensure_schema
    from evaluation.db import make_engine, write_session
    from evaluation.models import Agency, Period, User
    from evaluation.services.auth import hash_password
    from evaluation.services.frameworks import latest_version

    folder = tmp_path_factory.mktemp("hostile-e2e")
    url = f"sqlite:///{folder / 'app.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    with write_session(engine) as session:
        version = latest_version(session, "pemdi-2026")
        assert version is not None
        session.add(
            Period(year=2026, framework_version_id=version.id, evaluation_type="pemdi", status="open")
        )
        agency = Agency(code="KOTA-001", name="Kota Uji", category="Kota")
        session.add(agency)
        session.flush()
        session.add(
            User(
                username="koordinator",
                full_name="Koordinator Uji",
                password_hash=hash_password(PASSWORD),
                role="coordinator",
                agency_id=agency.id,
            )
        )
    engine.dispose()
    env = {**os.environ, "DATABASE_URL": url, "SPBE_DEMO": "0", "SPBE_EVIDENCE_DIR": str(folder / "evidence")}
    with streamlit_server(folder, env) as base:
        yield base


def test_a_hostile_workbook_is_refused_and_the_server_keeps_serving_another_session(
    browser, page, server, shots
):
    from playwright.sync_api import expect

    page.goto(f"{server}/masuk")
    wait_for_app(page)
    page.get_by_label("Nama pengguna").fill("koordinator")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    try:
        expect(page.get_by_role("button", name="Keluar")).to_be_visible(timeout=60_000)
    finally:
        page.screenshot(path=str(shots / "00-signed-in.png"), full_page=True)
    page.goto(f"{server}/excel")
    wait_for_app(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": "penilaian.xlsx", "mimeType": XLSX, "buffer": value_at_xfd1048576()}
    )
    refusal = page.get_by_text("mencapai baris 1.048.576 (sel XFD1048576), melebihi batas 200.000")
    expect(refusal).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Traceback")).to_have_count(0)
    page.screenshot(path=str(shots / "01-refused.png"), full_page=True)

    other = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="id-ID")  # type: ignore[attr-defined]
    try:
        tab = other.new_page()
        tab.goto(f"{server}/kerangka")
        wait_for_app(tab)
        expect(tab.get_by_role("heading", name="Kerangka Penilaian")).to_be_visible(timeout=60_000)
        tab.screenshot(path=str(shots / "02-other-session.png"), full_page=True)
    finally:
        other.close()
    page.reload()  # and the first session's server process is the same one, still answering
    wait_for_app(page)
    expect(page.get_by_role("button", name="Keluar")).to_be_visible(timeout=30_000)
