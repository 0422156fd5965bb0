"""Load benchmark of two app servers behind HAProxy (issue 14; not a timed test): N browser sessions
(chromium, one context each) signed in across the two servers. Half are agency coordinators who open the
dashboard and the assessment page and save levels (each on its own agency and indicator, so no save is a
conflict); half are reviewers who open the dashboard and the comparison page. Prints p50/p95 page time,
saves per second, errors, each server's RSS and the most PostgreSQL connections seen.

    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:55433/postgres python -m tests.bench_multiserver 20 50

Goals (issue 14): 0 errors, p95 page under 2 s at 50 sessions on this machine, RSS under 400 MB per server.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROUNDS = 2


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _make_users(url: str, sessions: int) -> list[tuple[str, str, str]]:
    """(role, token, indicator code) per session; the 2026 Pemdi assessments made drafts again."""
    from argon2 import PasswordHasher
    from sqlalchemy import text
    from sqlmodel import select

    from evaluation.db import make_engine, write_session
    from evaluation.models import Agency, Assessment, FrameworkVersion, Period
    from evaluation.services import auth
    from evaluation.services.actors import SYSTEM
    from evaluation.services.users import create_user

    auth.HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # type: ignore[attr-defined]
    engine = make_engine(url)
    out: list[tuple[str, str, str]] = []
    with write_session(engine) as session:
        period = session.exec(
            select(Period)
            .join(FrameworkVersion, Period.framework_version_id == FrameworkVersion.id)  # type: ignore[arg-type]
            .where(FrameworkVersion.framework_id == "pemdi-2026")
        ).one()
        session.connection().execute(
            text(
                "UPDATE assessment SET status = 'draft', stage = NULL, submitted_at = NULL, "
                "finalized_at = NULL WHERE period_id = :p"
            ),
            {"p": period.id},
        )
        with_assessment = {
            a.agency_id for a in session.exec(select(Assessment).where(Assessment.period_id == period.id))
        }
        agencies = [a for a in session.exec(select(Agency).order_by(Agency.id)) if a.id in with_assessment]  # type: ignore[arg-type]
        for number in range(sessions):
            coordinator = number % 2 == 0
            agency = agencies[(number // 2) % len(agencies)]
            username = f"bench-{number:03d}"
            user = create_user(
                session,
                actor=SYSTEM,
                username=username,
                full_name=f"Bench {number}",
                password="sandi-bench-yang-panjang-2026",
                role="coordinator" if coordinator else "reviewer",
                agency_code=agency.code if coordinator else None,
            )
            session.flush()
            code_once = auth.create_handoff(session, user=user, nonce="bench")
            token = auth.redeem_handoff(session, code=code_once, nonce="bench")
            assert token
            code = f"I{((number // 2) // len(agencies)) % 20 + 1:02d}"
            out.append(("coordinator" if coordinator else "reviewer", token, code))
    engine.dispose()
    return out


async def _page(page: Any, url: str, times: list[float], errors: list[str]) -> None:
    started = time.perf_counter()
    try:
        await page.goto(url)
        await page.wait_for_selector("h1", timeout=60_000)
        await page.wait_for_selector(
            '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000
        )
        times.append(time.perf_counter() - started)
        if await page.locator('[data-testid="stException"]').count():
            errors.append(f"exception on {url}")
    except Exception as exc:
        errors.append(f"{url}: {type(exc).__name__}")


async def _save(page: Any, code: str, level: str, saves: list[float], errors: list[str]) -> None:
    try:
        box = page.get_by_role("combobox", name="Indikator")
        await box.click()
        await box.fill(f"{code} ·")
        await page.get_by_role("option").filter(has_text=f"{code} ·").first.click()
        await page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
        await page.get_by_test_id("stRadioGroup").get_by_text(level, exact=True).click()
        await page.get_by_text(f"Tersimpan: {code}").first.wait_for(timeout=60_000)
        saves.append(time.perf_counter())
    except Exception as exc:
        errors.append(f"save {code}: {type(exc).__name__}")


async def _session(
    browser: Any, proxy: str, server: str, who: tuple[str, str, str], out: dict[str, Any]
) -> None:
    from evaluation.services.auth import COOKIE_NAME

    role, token, code = who
    context = await browser.new_context(viewport={"width": 1280, "height": 1600}, locale="id-ID")
    await context.add_cookies(
        [
            {"name": "SERVERID", "value": server, "url": proxy},
            {"name": COOKIE_NAME, "value": token, "url": proxy},
        ]
    )
    page = await context.new_page()
    for round_number in range(ROUNDS):
        await _page(page, f"{proxy}/", out["times"], out["errors"])
        if role == "coordinator":
            await _page(page, f"{proxy}/penilaian", out["times"], out["errors"])
            level = "3 Berkembang" if round_number % 2 == 0 else "4 Melembaga"
            await _save(page, code, level, out["saves"], out["errors"])
        else:
            await _page(page, f"{proxy}/perbandingan", out["times"], out["errors"])
    await context.close()


async def _drive(proxy: str, users: list[tuple[str, str, str]]) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    out: dict[str, Any] = {"times": [], "errors": [], "saves": []}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        started = time.perf_counter()
        await asyncio.gather(
            *(_session(browser, proxy, f"app{1 + i % 2}", who, out) for i, who in enumerate(users))
        )
        out["elapsed"] = time.perf_counter() - started
        await browser.close()
    return out


def run(sessions: int) -> None:
    from sqlalchemy import create_engine, text

    from evaluation.db import normalise_url
    from tests.e2e.multiserver import start_cluster, stop_cluster

    cluster = start_cluster(Path(tempfile.mkdtemp(prefix="bench-ms-")))
    try:
        users = _make_users(cluster.database_url, sessions)
        counter = create_engine(normalise_url(cluster.database_url))
        peak = {"connections": 0, "rss": {"app1": 0.0, "app2": 0.0}}
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                with counter.connect() as conn:
                    count = conn.execute(
                        text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
                    ).scalar()
                peak["connections"] = max(peak["connections"], int(count or 0) - 1)  # minus this one
                for name in ("app1", "app2"):
                    pid = cluster.processes[name].pid
                    peak["rss"][name] = max(peak["rss"][name], _rss_mb(pid))  # type: ignore[index]
                time.sleep(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        result = asyncio.run(_drive(cluster.proxy, users))
        done.set()
        sampler.join()
        counter.dispose()
        times = sorted(result["times"])
        p50 = statistics.median(times) if times else float("nan")
        p95 = times[int(0.95 * (len(times) - 1))] if times else float("nan")
        saves = len(result["saves"])
        print(
            f"N={sessions}: pages {len(times)}, p50 {p50:.2f} s, p95 {p95:.2f} s; saves {saves} "
            f"({saves / result['elapsed']:.2f}/s over {result['elapsed']:.0f} s); "
            f"errors {len(result['errors'])}; "
            f"RSS app1 {peak['rss']['app1']:.0f} MB, app2 {peak['rss']['app2']:.0f} MB; "  # type: ignore[index]
            f"PostgreSQL connections (max) {peak['connections']}"
        )
        for error in sorted(set(result["errors"]))[:10]:
            print(f"  error: {error}")
    finally:
        stop_cluster(cluster)


def main(argv: list[str]) -> int:
    for sessions in [int(a) for a in argv] or [20, 50, 100]:
        run(sessions)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
