"""Security headers (ASVS V14.4): the app sets them on every response, the shipped HAProxy configuration sets
the same ones, and the app still loads through the proxy in a real browser with no CSP violation."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from app_pages.security_headers import CSP, HEADERS
from tests.e2e.conftest import ROOT, _free_port

pytestmark = pytest.mark.e2e
CONFIG = ROOT / "deploy" / "haproxy.cfg"


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if fetch(url)[0] == 200:
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"nothing answered on {url}")


@pytest.fixture(scope="module")
def proxy_url(app_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """deploy/haproxy.cfg as shipped, in front of the test app (both backend slots on it)."""
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("haproxy is not installed (apt-get install haproxy)")
        pytest.skip("haproxy is not installed (apt-get install haproxy)")
    port = _free_port()
    backend = app_url.removeprefix("http://")
    env = {**os.environ, "SPBE_PROXY_BIND": f"127.0.0.1:{port}", "SPBE_APP1": backend, "SPBE_APP2": backend}
    log_path = tmp_path_factory.mktemp("haproxy") / "haproxy.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [haproxy, "-db", "-f", str(CONFIG)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{url}/_stcore/health")
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.mark.parametrize("path", ["/", "/_stcore/health", "/masuk", "/no-such-page"])
def test_the_app_sets_the_security_headers_on_every_response(app_url, path):
    _status, headers, _body = fetch(app_url + path)
    for name, value in HEADERS.items():
        assert headers.get(name) == value, name
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_the_csp_loads_nothing_from_another_host():
    for directive in CSP.split("; "):
        sources = directive.split()[1:]
        assert not [s for s in sources if s.startswith(("http", "*", "//")) or s in ("https:", "http:")]
    assert "img-src 'self' data: blob:" in CSP and "'unsafe-eval'" not in CSP


@pytest.mark.parametrize("path", ["/", "/_stcore/health"])
def test_the_proxy_sets_the_same_headers_and_an_affinity_cookie(proxy_url, path):
    status, headers, _body = fetch(proxy_url + path)
    assert status == 200
    for name, value in HEADERS.items():
        assert headers.get(name) == value, name
    assert "server" not in headers
    if path == "/":
        assert "SERVERID=app" in headers.get("set-cookie", "")


def test_the_app_loads_through_the_proxy_with_no_csp_violation(browser, proxy_url, app_url):
    context = browser.new_context(viewport={"width": 1300, "height": 1600}, locale="id-ID")
    page = context.new_page()
    page.goto(app_url + "/")  # the first visit loads the demo (app_url fixture); let it finish directly
    page.get_by_text("Dasbor Nasional").first.wait_for(timeout=240_000)
    page.close()  # its late requests (health pings, reconnects) go to the app's own port, not the proxy
    page = context.new_page()
    violations: list[str] = []
    hosts: set[str] = set()
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    try:
        page.goto(proxy_url + "/")  # a loaded CI machine may take minutes through the proxy
        page.get_by_text("Dasbor Nasional").first.wait_for(timeout=180_000)
        page.goto(proxy_url + "/kerangka")
        page.get_by_text("Kerangka Penilaian").first.wait_for(timeout=180_000)
        page.wait_for_timeout(2_000)
    finally:
        context.close()
    # the favicon is the app's own file (a material icon would point at another host): no violation at all,
    # and any would be the app needing a looser policy.
    assert violations == []
    assert hosts == {proxy_url.removeprefix("http://")}
