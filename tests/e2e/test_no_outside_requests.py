"""No request leaves the server (issue 15): in a real browser, every page of the navigation, signed in as a
role that sees it, loads everything -- scripts, styles, fonts, the favicon and the icons of the navigation
-- from the app's own host. A material icon or an emoji favicon would make the browser ask another host.
The admin visits the pages only an admin sees (the ministry pages they share with the reviewer are the
same pages, visited by the reviewer)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.app.signed_in import PASSWORDS
from tests.conftest import _copy_of
from tests.e2e.conftest import streamlit_server, wait_for_app

pytestmark = pytest.mark.e2e

ANONYMOUS = ["/", "/kerangka", "/masuk"]
AGENCY = ["/penilaian", "/peta-rencana", "/rekomendasi", "/excel", "/riwayat", "/notifikasi", "/akun"]
MINISTRY = ["/perbandingan", "/rekomendasi-nasional", "/tren", "/selisih", "/rekap-provinsi"]
MINISTRY += ["/peta-rencana-nasional", "/excel", "/riwayat", "/notifikasi", "/akun"]
VISITS = {
    "koordinator": AGENCY,
    "asesor": ["/verifikasi", "/keberatan", "/penilaian", "/peta-rencana", *MINISTRY],
    "admin": ["/pengguna", "/periode", "/penugasan-asesor", "/perbandingan"],
}


@pytest.fixture(scope="module")
def demo_app(templates, tmp_path_factory, browser) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A streamlit server on a copy of the demo database (admins sign in without two-step verification)."""
    folder = tmp_path_factory.mktemp("requests")
    url, _drop = _copy_of("sqlite", templates[("sqlite", True)], folder)
    env = {**os.environ, "DATABASE_URL": url, "SPBE_DEMO": "0", "SPBE_MFA_REQUIRED_ROLES": ""}
    env["SPBE_EVIDENCE_DIR"] = str(folder / "evidence")
    with streamlit_server(folder, env) as base:
        yield base


def visit(page: Any, base: str, path: str) -> None:
    page.goto(base + path)
    wait_for_app(page)
    page.wait_for_timeout(500)  # late requests: icons, fonts, the favicon


def sign_in(page: Any, base: str, username: str) -> None:
    visit(page, base, "/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORDS[username])
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda u: "/masuk" not in u, timeout=30_000)
    wait_for_app(page)


@pytest.mark.parametrize("who", [None, *VISITS])
def test_every_page_loads_only_from_the_apps_own_host(browser, demo_app, who):
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(60_000)
    requests: list[tuple[str, str]] = []
    where = {"path": "/"}
    page.on("request", lambda r: requests.append((where["path"], r.url)))
    try:
        if who is not None:
            sign_in(page, demo_app, who)
        for path in VISITS.get(who or "", ANONYMOUS):
            where["path"] = path
            visit(page, demo_app, path)
            assert "404" not in page.title(), path
    finally:
        context.close()
    host = demo_app.removeprefix("http://")
    assert {path for path, _ in requests} >= set(VISITS.get(who or "", ANONYMOUS))  # every page was asked
    assert [(path, url) for path, url in requests if url.split("/")[2] != host] == []
    assert any("favicon" in url or url.endswith(".png") for _, url in requests), "the favicon was loaded"
