"""Load benchmark of two app servers behind HAProxy (issue 14; not a timed test): N sessions signed in
across the two servers (half pinned to each by HAProxy's affinity cookie), driven over Streamlit's own
protocol (bench/protocol.py: one WebSocket per session, no browser, so the machine's CPU goes to the
servers). The sessions are bench/sessions.py's: half agency coordinators who open the dashboard and the
assessment page and save levels (each on its own agency and indicator, so no save is a conflict), half
reviewers who open the dashboard, the assessment page and the comparison page; one warm-up round, then
ROUNDS measured rounds. Prints p50/p95 warm page time, saves per second, errors, the servers' CPU per script
run, each server's peak RSS and the most PostgreSQL connections seen.

    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:55433/postgres \
        python -m tests.bench_multiserver 20 50 100 [--browser]

`--browser` drives the sessions the old way instead, one chromium context each (the browsers then take
much of the CPU the servers need on a small machine: its figures say more about chromium than the app).

Goals (issue 14): 0 errors, p95 page under 2 s at 50 sessions on this machine, RSS under 400 MB per server.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.server import Watch, rss_mb
from bench.sessions import ROUNDS, BenchUser, Tally, drive, make_users, print_figures, summary

BROWSER_ROUNDS = 2


async def _browser_page(page: Any, url: str, tally: Tally) -> None:
    started = time.perf_counter()
    try:
        await page.goto(url)
        await page.wait_for_selector("h1", timeout=60_000)
        await page.wait_for_selector(
            '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000
        )
        tally.pages.setdefault(url.rsplit("/", 1)[-1] or "beranda", []).append(time.perf_counter() - started)
        if await page.locator('[data-testid="stException"]').count():
            tally.errors.append(f"exception on {url}")
    except Exception as exc:
        tally.errors.append(f"{url}: {type(exc).__name__}")


async def _browser_save(page: Any, code: str, level: str, tally: Tally) -> None:
    started = time.perf_counter()
    try:
        box = page.get_by_role("combobox", name="Indikator")
        await box.click()
        await box.fill(f"{code} ·")
        await page.get_by_role("option").filter(has_text=f"{code} ·").first.click()
        await page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
        await page.get_by_test_id("stRadioGroup").get_by_text(level, exact=True).click()
        await page.get_by_text(f"Tersimpan: {code}").first.wait_for(timeout=60_000)
        tally.saves.append(time.perf_counter() - started)
    except Exception as exc:
        tally.errors.append(f"save {code}: {type(exc).__name__}")


async def _browser_session(browser: Any, proxy: str, server: str, user: BenchUser, tally: Tally) -> None:
    from evaluation.services.auth import COOKIE_NAME

    context = await browser.new_context(viewport={"width": 1280, "height": 1600}, locale="id-ID")
    await context.add_cookies(
        [
            {"name": "SERVERID", "value": server, "url": proxy},
            {"name": COOKIE_NAME, "value": user.token, "url": proxy},
        ]
    )
    page = await context.new_page()
    for round_number in range(BROWSER_ROUNDS):
        await _browser_page(page, f"{proxy}/", tally)
        if user.role == "coordinator":
            await _browser_page(page, f"{proxy}/penilaian", tally)
            level = "3 Berkembang" if round_number % 2 == 0 else "4 Melembaga"
            await _browser_save(page, user.code, level, tally)
        else:
            await _browser_page(page, f"{proxy}/perbandingan", tally)
    await context.close()


async def _browser_drive(proxy: str, users: list[BenchUser]) -> Tally:
    """The old way: one chromium context per session, every page loaded anew, no warm-up round."""
    from playwright.async_api import async_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    tally = Tally()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tally.started = time.perf_counter()
        await asyncio.gather(
            *(
                _browser_session(browser, proxy, f"app{1 + i % 2}", user, tally)
                for i, user in enumerate(users)
            )
        )
        tally.ended = time.perf_counter()
        await browser.close()
    return tally


def run(sessions: int, browser: bool = False, rounds: int = ROUNDS) -> None:
    from sqlalchemy import create_engine, text

    from evaluation.db import normalise_url
    from tests.e2e.multiserver import start_cluster, stop_cluster

    # no file watcher (as `bench server` and the browser tests): an edit in the tree while the servers run
    # (others work in it) makes Streamlit drop every app module from sys.modules at the next rerun, while
    # other sessions' threads import them: "Table 'framework_version' is already defined", servers broken
    os.environ["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] = "none"
    folder = Path(tempfile.mkdtemp(prefix="bench-ms-"))
    cluster = start_cluster(folder)
    keep = False
    try:
        users = make_users(cluster.database_url, sessions)
        counter = create_engine(normalise_url(cluster.database_url))
        servers = {name: cluster.processes[name].pid for name in ("app1", "app2")}
        peak = {"connections": 0, **{name: 0.0 for name in servers}}

        def sample() -> None:
            with counter.connect() as conn:
                count = conn.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
                ).scalar()
            peak["connections"] = max(peak["connections"], int(count or 0) - 1)  # minus this one
            for name, pid in servers.items():
                peak[name] = max(peak[name], rss_mb(pid))

        with Watch(list(servers.values()), sample, 0.5) as watch:
            if browser:
                watch.warm()
                tally = asyncio.run(_browser_drive(cluster.proxy, users))
            else:
                # HAProxy's affinity cookie pins each session to a server
                targets = [(cluster.proxy, {"SERVERID": name}) for name in servers]
                tally = drive(targets, users, rounds, watch.warm)
            cpu = watch.cpu()
        counter.dispose()
        rss = ", ".join(
            f"{name} {max(peak[name], rss_mb(pid, 'VmHWM')):.0f} MB" for name, pid in servers.items()
        )
        per_run = (
            f"{cpu * 1000 / tally.runs:.0f} ms per script run ({tally.runs} runs)" if tally.runs else "-"
        )
        way, pages = ("browsers", "pages (no warm-up)") if browser else ("protocol", "warm pages")
        print_figures(
            f"{way} {summary(sessions, tally, pages)}; servers' CPU {per_run}; "
            f"RSS peak {rss} (goal < 400 MB each); PostgreSQL connections (max) {peak['connections']}",
            tally,
        )
        keep = bool(tally.errors)
        if keep:
            print(f"  the servers' logs (tracebacks under the incident ids): {folder}", flush=True)
    finally:
        stop_cluster(cluster)
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    browser = "--browser" in argv
    for sessions in [int(a) for a in argv if a != "--browser"] or [20, 50, 100]:
        run(sessions, browser)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
