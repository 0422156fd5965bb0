"""`python -m tests.bench_pages`: the ministry pages at full national scale (it drives AppTest, so it lives
with the tests, outside the Streamlit-free `evaluation` package).

Builds (once, kept under --folder) a SQLite database of 650 agencies x 47 indicators x 8 periods: the demo's
six periods plus 2019 and 2020 as extra spbe-2020 load (their levels are generated like the demo's). Then
renders each page in AppTest signed in as the demo reviewer, each run in a new session: once with empty
caches (the first visit after a change or a restart) and once more on warm caches, which is what a
reviewer clicking through sees (caches live 5 minutes). Prints medians.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from evaluation.bootstrap import ensure_schema
from evaluation.db import make_engine, read_session, write_session
from evaluation.demo.data import YEARS, agency_count, load_demo
from evaluation.services.results import list_periods

BENCH_YEARS = {2019: ("spbe-2020", "evaluasi", None), 2020: ("spbe-2020", "evaluasi", None), **YEARS}
PAGES = ("home.py", "national_roadmap.py", "compare.py", "trends.py", "gaps.py", "rollups.py")
PERIOD_KEYS = {"compare.py": "cp_period", "gaps.py": "gp_period", "rollups.py": "ru_period"}
GOAL_SECONDS = dict.fromkeys(PAGES, 1.5)  # issue 17: every page under 1.5 s cold, 200 ms warm


def full_scale_database(folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'bench-8-periods.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    with write_session(engine) as session:
        if agency_count(session) == 0:
            started = time.perf_counter()
            summary = load_demo(session, years=BENCH_YEARS)
            print(
                f"built {summary.agencies} agencies x {summary.periods} periods "
                f"({summary.scores:,} indicator scores) in {time.perf_counter() - started:.0f} s"
            )
    engine.dispose()
    return url


def _token(url: str) -> str:
    from evaluation.demo.data import DEMO_USERS
    from evaluation.services.auth import authenticate, create_handoff, redeem_handoff

    password = next(p for name, _n, _r, _a, p in DEMO_USERS if name == "asesor")
    engine = make_engine(url)
    with write_session(engine) as session:
        user = authenticate(session, username="asesor", password=password)
        code = create_handoff(session, user=user, nonce="nonce-of-the-bench-browser")
        token = redeem_handoff(session, code=code, nonce="nonce-of-the-bench-browser")
    engine.dispose()
    assert token is not None
    return token


def bench_pages(folder: Path, runs: int, database: str | None = None) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    url = database or full_scale_database(folder)
    os.environ["DATABASE_URL"] = url
    os.environ["SPBE_DEMO"] = "0"
    engine = make_engine(url)
    with read_session(engine) as session:
        periods = list_periods(session)
        full_year = max(p.year for p in periods if p.status == "closed")
        print(
            f"database: {agency_count(session)} agencies, {len(periods)} periods; "
            f"pages with a period open {full_year}"
        )
    token = _token(url)
    app = str(Path(__file__).resolve().parents[1] / "app.py")  # tests/ -> the project root
    for page in PAGES:
        cold: list[float] = []
        warm: list[float] = []
        warm_cpu: list[float] = []  # the process's CPU time over the warm rerun (the script runs in a thread)
        for _ in range(runs):  # each round: a new session with empty caches, then a rerun on warm ones
            st.cache_data.clear()
            st.cache_resource.clear()
            at = AppTest.from_file(app, default_timeout=120)
            at.session_state["session_token"] = token
            at.run()  # signs in on the home page, which fills caches: empty them again
            st.cache_data.clear()
            st.cache_resource.clear()
            at.switch_page(f"app_pages/{page}")
            key = PERIOD_KEYS.get(page)
            if key:  # the full-scale period: the latest closed one (every agency, 47 indicators)
                at.session_state[key] = next(p for p in periods if p.year == full_year)
            for timings in (cold, warm):
                started, cpu = time.perf_counter(), time.process_time()
                at.run()
                timings.append(time.perf_counter() - started)
                if timings is warm:
                    warm_cpu.append(time.process_time() - cpu)
                assert not at.exception, at.exception
        goal = GOAL_SECONDS.get(page)
        print(
            f"{page:<12} empty caches: median {statistics.median(cold) * 1000:5.0f} ms "
            f"(max {max(cold) * 1000:5.0f}); warm caches: median {statistics.median(warm) * 1000:5.0f} ms "
            f"(max {max(warm) * 1000:5.0f}, CPU {statistics.median(warm_cpu) * 1000:4.0f} ms); {runs} runs"
            + (f"; goal < {goal} s cold, 200 ms warm" if goal else "")
        )
    _bench_reports(url, runs)


def _bench_reports(url: str, runs: int) -> None:
    from evaluation.models import Agency
    from evaluation.reports.agency_data import agency_report
    from evaluation.reports.agency_pdf import render_agency_report
    from evaluation.reports.national import national_summary_pdf
    from evaluation.services.actors import Actor

    actor = Actor(None, "bench", "reviewer")
    engine = make_engine(url)
    with read_session(engine) as session:
        period = [p for p in list_periods(session) if p.status == "closed" and not p.is_programme][-1]
        agency = session.get(Agency, 1)
        assert agency is not None and agency.id is not None
        for name, build in (
            (
                "agency PDF",
                lambda: render_agency_report(
                    agency_report(session, actor=actor, agency_id=agency.id or 0, period_id=period.id)
                ),
            ),
            ("national PDF", lambda: national_summary_pdf(session, actor=actor, period_id=period.id)),
        ):
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                size = len(build())
                timings.append(time.perf_counter() - started)
            print(
                f"{name:<12} {period.year}: median {statistics.median(timings) * 1000:6.0f} ms "
                f"over {runs} runs ({size / 1024:.0f} KiB)"
            )
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(prog="python -m tests.bench_pages")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--folder",
        default=str(Path(tempfile.gettempdir()) / "spbe-bench"),
        help="where the full-scale database is built once and kept",
    )
    parser.add_argument("--database", default=None, help="an existing database URL (python -m bench scale)")
    args = parser.parse_args(argv)
    bench_pages(Path(args.folder), args.runs, args.database)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
