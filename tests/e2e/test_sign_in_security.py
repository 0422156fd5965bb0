"""In a real browser: the demo admin is sent to enrol in two-step verification, enrols with a code computed
by pyotp from the key the page shows, signs out, signs in again with a fresh TOTP code; the sign-in link
that carries the one-time code, opened in a second browser, does nothing there and still works in the
browser that signed in (login CSRF)."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from evaluation.demo.data import DEMO_USERS
from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e
PASSWORD = {username: password for username, *_rest, password in DEMO_USERS}["admin"]


def next_step_code(secret: str) -> str:
    """The code of the TOTP step after the current one: a code is accepted only once, and the server
    takes one step of clock drift either way (evaluation/services/mfa.py), so this is a fresh code that
    needs no wait for the next 30-second step."""
    return str(pyotp.TOTP(secret).at(time.time() + 30))


def test_admin_enrols_signs_in_with_a_code_and_the_link_does_nothing_in_another_browser(browser, app_url):
    from playwright.sync_api import expect

    first = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="id-ID")  # type: ignore[attr-defined]
    other = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="id-ID")  # type: ignore[attr-defined]
    try:
        page = first.new_page()
        page.goto(f"{app_url}/masuk")
        wait_for_app(page)
        page.get_by_label("Nama pengguna").fill("admin")
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(re.compile(r"/$"), timeout=30_000)  # enrolment before anything else
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Keamanan akun")).to_be_visible()
        page.get_by_role("button", name="Siapkan verifikasi dua langkah").click()
        key = page.get_by_text(re.compile(r"Kunci untuk dimasukkan manual: [A-Z2-7]{32}"))
        expect(key).to_be_visible(timeout=30_000)
        expect(page.locator('img[src^="data:image/png;base64,"]')).to_be_visible()
        secret = key.inner_text().rsplit(" ", 1)[1]
        page.get_by_label("Kode autentikator atau kode pemulihan").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Aktifkan").click()
        expect(page.get_by_text("Verifikasi dua langkah aktif.")).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="Keluar").click()
        page.wait_for_url(re.compile(r"/(beranda)?$"), timeout=30_000)
        wait_for_app(page)

        # sign in again; hold the browser's visit to the one-time link and open it elsewhere first
        held: list[str] = []
        page.route("**/auth/session?**", lambda route: (held.append(route.request.url), route.abort()))
        page.goto(f"{app_url}/masuk")
        wait_for_app(page)
        page.get_by_label("Nama pengguna").fill("admin")
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        code_box = page.get_by_label("Kode autentikator atau kode pemulihan")
        expect(code_box).to_be_visible(timeout=30_000)
        code_box.fill(next_step_code(secret))
        page.get_by_role("button", name="Masuk").click()
        deadline = time.monotonic() + 30
        while not held and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        assert held, "the page did not go to the sign-in link"
        link = held[0]

        stranger = other.new_page()
        stranger.goto(link)
        stranger.wait_for_url(re.compile(r"login=expired"), timeout=30_000)
        wait_for_app(stranger)
        expect(stranger.get_by_role("button", name="Keluar")).to_have_count(0)
        assert not [c for c in other.cookies() if c["name"] == "spbe_session"]

        page.unroute("**/auth/session?**")
        page.goto(link)
        page.wait_for_url(re.compile(r"/pengguna$"), timeout=30_000)
        wait_for_app(page)
        expect(page.get_by_role("button", name="Keluar")).to_be_visible()
        session_cookie = next(c for c in first.cookies() if c["name"] == "spbe_session")
        assert session_cookie["httpOnly"] and session_cookie["sameSite"] == "Lax"
    finally:
        first.close()
        other.close()
