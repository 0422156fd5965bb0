"""In a real browser, the ministry reviewer filters the comparison to one province and downloads an
agency's PDF report; the report's first page is rendered to PNG (pdftoppm) next to the screenshots and
its text names the agency and shows the same index as the ranking."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from decimal import ROUND_HALF_EVEN, Decimal

import pytest

from tests.e2e.conftest import wait_for_app
from tests.e2e.test_assessment_flow import settle, sign_in, sign_out

pytestmark = pytest.mark.e2e
PROVINCE_LABEL = "Provinsi"
COUNT = re.compile(r"(\d+) dari (\d+) instansi terverifikasi")


def _pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if not found:
        reason = "pdftoppm is not installed (apt-get install poppler-utils)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"the PDF check cannot run under CI: {reason}")
        pytest.skip(reason)
    return found


def _count(page) -> tuple[int, int]:
    from playwright.sync_api import expect

    caption = page.get_by_text(COUNT)
    expect(caption).to_be_visible()
    shown, total = COUNT.search(caption.inner_text()).groups()
    return int(shown), int(total)


def _ranking_rows(page) -> list[dict[str, str]]:
    """The ranking's rows as the grid's accessible table lists them (the rows in view), by header."""
    table = page.get_by_test_id("stDataFrame").locator("table[role=grid]").first
    headers = table.locator("thead th").all_inner_texts()
    rows = []
    for row in table.locator("tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        rows.append(dict(zip(headers, (c.strip() for c in cells), strict=False)))
    return rows


def _index_text(value: str) -> str:
    """A ranking cell's index (written in the Indonesian locale: decimal comma) as the report prints it:
    two places, decimal comma."""
    exact = Decimal(value.replace(",", "."))
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)).replace(".", ",")


def _download(page, button_name: str, path) -> None:
    from playwright.sync_api import expect

    button = page.get_by_role("button", name=button_name)
    expect(button).to_be_visible(timeout=30_000)
    with page.expect_download(timeout=90_000) as info:
        button.click()
    info.value.save_as(str(path))
    assert path.read_bytes().startswith(b"%PDF"), f"{path.name} is not a PDF"


def _first_page_text(path) -> str:
    from pypdf import PdfReader

    return " ".join(PdfReader(str(path)).pages[0].extract_text().split())


def test_a_reviewer_filters_to_a_province_and_downloads_an_agency_report(browser, app_url, shots):
    from playwright.sync_api import expect

    pdftoppm = _pdftoppm()
    page = browser.new_context(viewport={"width": 1400, "height": 2600}, locale="id-ID").new_page()
    page.set_default_timeout(30_000)

    # 1. The reviewer opens the comparison: every verified agency is listed.
    sign_in(page, app_url, "asesor", "penilai-demo-2026", "/verifikasi")
    page.goto(f"{app_url}/perbandingan")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Perbandingan Instansi")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame")).to_be_visible()
    shown_all, total = _count(page)
    assert shown_all == total > 1
    page.screenshot(path=str(shots / "01-comparison.png"), full_page=True)

    # 2. Filter to one province (the first in the list): fewer agencies, all of that province.
    box = page.get_by_role("combobox", name=PROVINCE_LABEL)
    box.click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    names = [n.strip() for n in options.all_inner_texts()]
    assert names[0] == "Semua" and len(names) > 1, names
    province = names[1]
    options.nth(1).click()
    settle(page)
    expect(box).to_have_value(province)
    expect(page.get_by_text(COUNT)).not_to_have_text(f"{total} dari {total} instansi terverifikasi")
    shown, still_total = _count(page)
    assert still_total == total and 0 < shown < total, (shown, total)
    expect(page.get_by_test_id("stDataFrame").locator("table[role=grid]").first).to_have_attribute(
        "aria-rowcount", str(shown + 1)
    )
    rows = _ranking_rows(page)
    assert rows, "the ranking lists no rows"
    if shown <= 8:  # all rows fit into the grid's view
        assert len(rows) == shown, rows
    assert {row["Provinsi"] for row in rows} == {province}, rows
    page.screenshot(path=str(shots / "02-filtered-to-province.png"), full_page=True)

    # 3. Choose an agency of the filtered list for the report and download its PDF.
    agency = rows[0]
    report_box = page.get_by_role("combobox", name="Laporan instansi")
    report_box.scroll_into_view_if_needed()
    report_box.click()
    listed = page.get_by_role("option")
    expect(listed.first).to_be_visible()
    in_list = sorted(n.strip() for n in listed.all_inner_texts())
    if len(rows) == shown:
        assert in_list == sorted(r["Instansi"] for r in rows), in_list
    else:
        assert {r["Instansi"] for r in rows} <= set(in_list), in_list  # the dropdown may list only some
    page.get_by_role("option", name=agency["Instansi"], exact=True).click()
    settle(page)
    report = shots / "report.pdf"
    report.unlink(missing_ok=True)
    _download(page, "Unduh laporan PDF", report)
    page.screenshot(path=str(shots / "03-report-downloaded.png"), full_page=True)

    # 4. The first page, rendered to PNG for a person to look at.
    png = shots / "report-page1.png"
    png.unlink(missing_ok=True)
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(report),
            str(png.with_suffix("")),
        ],
        check=True,
        timeout=60,
    )
    assert png.exists() and png.stat().st_size > 10_000, png

    # 5. Its text names the agency and shows the index the ranking shows.
    text = _first_page_text(report)
    assert agency["Instansi"] in text, text[:500]
    found = re.search(r"Indeks\s+(\d,\d\d)", text)
    assert found, text[:800]
    assert found.group(1) == _index_text(agency["Indeks"]), (found.group(1), agency)

    # 6. The national summary downloads too.
    summary = shots / "national-summary.pdf"
    summary.unlink(missing_ok=True)
    _download(page, "Unduh ringkasan nasional (PDF)", summary)
    assert "Ringkasan Evaluasi Nasional" in _first_page_text(summary)

    sign_out(page)
    page.context.close()
