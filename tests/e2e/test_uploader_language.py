"""In a real browser: the Excel page's file input draws Streamlit's uploader texts (button, limit line,
drop hint) in Indonesian, with the app's own limit, and the originals are hidden. Only the browser applies
the style, so only a browser test can see what a person sees."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import wait_for_app
from tests.e2e.test_hostile_upload import PASSWORD, server  # noqa: F401  (the module's server fixture)

pytestmark = pytest.mark.e2e

DRAWN = """(selector) => {
    const el = document.querySelector(selector);
    if (!el) return null;
    return {
        after: getComputedStyle(el, '::after').content,
        size: getComputedStyle(el).fontSize,
        visible: el.getBoundingClientRect().width > 0,
    };
}"""
ZONE = ".st-key-xl_file [data-testid='stFileUploaderDropzone']"


def test_the_excel_uploader_speaks_indonesian_and_names_the_apps_limit(page, server, shots):  # noqa: F811
    from playwright.sync_api import expect

    page.goto(f"{server}/masuk")
    wait_for_app(page)
    page.get_by_label("Nama pengguna").fill("koordinator")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible(timeout=60_000)
    page.goto(f"{server}/excel")
    wait_for_app(page)
    expect(page.locator(ZONE)).to_be_visible(timeout=60_000)

    button = page.evaluate(DRAWN, f"{ZONE} button [data-testid='stMarkdownContainer'] p")
    limit = page.evaluate(DRAWN, f"{ZONE} [data-testid='stFileUploaderDropzoneInstructions'] span")
    assert button == {"after": '"Pilih berkas"', "size": "0px", "visible": True}
    assert limit is not None and limit["after"] == '"Batas 50 MB per berkas • XLSX, CSV"'
    assert limit["size"] == "0px"  # Streamlit's own "50MB per file" is not shown

    dragged = page.evaluate_handle(
        "() => { const d = new DataTransfer(); d.items.add(new File(['x'], 'a.csv')); return d; }"
    )
    page.locator(ZONE).dispatch_event("dragenter", {"dataTransfer": dragged})
    expect(page.locator(f"{ZONE} > div:not([data-testid]) > span")).to_have_count(1, timeout=10_000)
    drop = page.evaluate(DRAWN, f"{ZONE} > div:not([data-testid]) > span")
    assert drop is not None and drop["after"] == '"Seret dan lepas berkas di sini"' and drop["size"] == "0px"
    page.screenshot(path=str(shots / "01-uploader-while-dragging.png"), full_page=True)
