"""Real-browser fixtures: Debian's chromium driven by Playwright against `streamlit run app.py`.

Without a browser the tests skip with the reason; under CI=true a missing browser is a failure.
Screenshots go to test-output/<test name>/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    if not Path(CHROMIUM).exists():
        return f"no chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    reason = _missing_browser()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory, browser: object) -> Iterator[str]:
    """A fresh `streamlit run app.py` that creates its database and loads demo data on first start.

    E2E_URL names an already running app instead (for working on a test)."""
    if os.environ.get("E2E_URL"):
        yield os.environ["E2E_URL"]
        return
    folder = tmp_path_factory.mktemp("e2e")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'e2e.db'}",
        "SPBE_DEMO": "1",  # demo data only when asked (issue 14)
        "SPBE_DEMO_AGENCIES": "60",
        "SPBE_EVIDENCE_DIR": str(folder / "evidence"),
    }
    with streamlit_server(folder, env) as url:
        yield url


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 2200}, locale="id-ID")  # type: ignore[attr-defined]
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    folder = OUTPUT / request.node.name.replace("/", "_")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def wait_for_app(tab: object, timeout_ms: int = 90_000) -> None:
    tab.wait_for_selector(  # type: ignore[attr-defined]
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms
    )


@contextmanager
def streamlit_server(folder: Path, env: dict[str, str]) -> Iterator[str]:
    """`streamlit run app.py` on a free port with `env`, its log in `folder`; yields its URL once it answers
    /_stcore/health (fails the test after 60 s with the log's tail), and stops it afterwards."""
    port = _free_port()
    log = (folder / "streamlit.log").open("w")
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"),
            *("--server.address", "127.0.0.1", "--server.port", str(port)),
            *("--server.fileWatcherType", "none"),  # others edit the tree while browser tests run
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail(f"streamlit did not answer on {url}: {(folder / 'streamlit.log').read_text()[-2000:]}")
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
