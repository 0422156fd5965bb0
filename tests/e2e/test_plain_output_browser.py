"""In a real browser, pages showing the payload of tests/app/test_plain_output.py load nothing from another
host and show no image, link or formatting made from it (issue 11, ASVS V5.3)."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from evaluation.db import make_engine
from evaluation.storage import LocalEvidenceStore
from tests.app.signed_in import PASSWORDS, TEST_PASSWORD
from tests.app.test_plain_output import MARK, seed_payload
from tests.conftest import _copy_of
from tests.e2e.conftest import ROOT, _free_port, wait_for_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def payload_app(templates, tmp_path_factory, browser) -> Iterator[tuple[str, dict[str, Any]]]:  # type: ignore[no-untyped-def]
    """A streamlit server on a copy of the demo database seeded with the payload."""
    folder = tmp_path_factory.mktemp("payload")
    url, _drop = _copy_of("sqlite", templates[("sqlite", True)], folder)
    engine = make_engine(url)
    store = LocalEvidenceStore(folder / "evidence")
    seeded = seed_payload(engine, store)
    engine.dispose()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "SPBE_DEMO": "0", "SPBE_EVIDENCE_DIR": str(store.root)}
    log = (folder / "streamlit.log").open("w")
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                    break
            except OSError:
                import time

                time.sleep(0.3)
        yield base, seeded
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/masuk")
    wait_for_app(page)
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORDS.get(username, TEST_PASSWORD))
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda u: "/masuk" not in u, timeout=30_000)
    wait_for_app(page)


def check_page(page: Any, base: str) -> dict[str, Any]:
    """What the page shows of the payload: anchors to the payload's host, images, bold 'b', headings 'h'."""
    return page.evaluate(
        """() => ({
            text: document.body.innerText,
            payloadAnchors: [...document.querySelectorAll('a[href="http://evil.invalid"]')].length,
            where: [...document.querySelectorAll('a[href="http://evil.invalid"]')].map(
                a => a.closest('[data-testid]')?.getAttribute('data-testid') + ' ' +
                     (a.closest('[data-testid]')?.parentElement?.outerHTML || '').slice(0, 300)),
            images: [...document.querySelectorAll('img')].map(i => i.getAttribute('src') || ''),
            bold: [...document.querySelectorAll('strong, b')].filter(
                e => e.textContent.trim() === 'b').length,
            headings: [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].filter(
                e => e.textContent.trim() === 'h').length,
        })"""
    )


@pytest.mark.parametrize(
    ("who", "path"),
    [("a.operator", "/penilaian"), ("a.coordinator", "/peta-rencana"), ("asesor", "/verifikasi")],
)
def test_pages_with_the_payload_load_nothing_from_another_host(browser, payload_app, who, path):
    base, seeded = payload_app
    username = who if "." not in who else getattr(seeded["a"], who.split(".")[1])
    context = browser.new_context(viewport={"width": 1400, "height": 2400}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(30_000)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        sign_in(page, base, username)
        page.goto(base + path)
        wait_for_app(page)
        if path == "/verifikasi":  # the review of agency B, whose texts carry the payload
            box = page.get_by_role("combobox", name="Pilih penilaian")
            box.click()
            box.fill(seeded["b"].code)
            page.get_by_role("option").first.click()
            page.wait_for_timeout(350)
            wait_for_app(page)
            page.get_by_text("Rincian indikator").click()  # I01: justification, file and link
            page.wait_for_timeout(350)
        page.wait_for_timeout(800)
        seen = check_page(page, base)
    finally:
        context.close()
    host = base.removeprefix("http://")
    assert [u for u in requests if u.split("/")[2] != host] == []
    assert MARK in seen["text"]
    assert seen["payloadAnchors"] == 0, seen["where"]
    assert seen["bold"] == 0 and seen["headings"] == 0
    assert [src for src in seen["images"] if "127.0.0.1:9" in src or src == "x"] == []


def test_the_payload_test_would_notice_a_rendered_payload(browser, payload_app):
    """The DOM checks above can fail: the same page with the payload rendered as Markdown trips them."""
    base, _seeded = payload_app
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(base + "/_stcore/health")
        page.set_content('<p><a href="http://evil.invalid">a</a> <strong>b</strong></p><h1>h</h1>')
        seen = check_page(page, base)
    finally:
        context.close()
    assert (seen["payloadAnchors"], seen["bold"], seen["headings"]) == (1, 1, 1)
