"""The sessions of the load benchmarks (issues 14 and 17), shared by `python -m bench server` (one app
server) and tests/bench_multiserver.py (two behind HAProxy): signed-in users made in the database, and a
driver that runs their tabs over Streamlit's protocol (bench/protocol.py) and tallies what they saw.

Half the users are agency coordinators who open the dashboard and the assessment page, pick their
indicator and save a level (each on its own agency and indicator, so no save is a conflict; a save counts
once the page shows "Tersimpan: <code>"); half are reviewers who open the dashboard, the assessment page and
the comparison page. After one warm-up round (the first load of every page, every session) all sessions
wait for each other, then run the measured rounds.
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.protocol import ProtocolError, StreamlitSession

ROUNDS = 3


@dataclass(frozen=True)
class BenchUser:
    """A session's sign-in: its role, session token, the indicator its coordinator saves and the
    coordinator's agency (its code; empty for a reviewer)."""

    role: str
    token: str
    code: str
    agency: str = ""


@dataclass
class Tally:
    """What the sessions saw: warm page seconds by page, save seconds, errors, and the moments the
    measured rounds began and ended."""

    pages: dict[str, list[float]] = field(default_factory=dict)
    saves: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    runs: int = 0
    started: float = 0.0
    ended: float = 0.0

    def times(self) -> list[float]:
        return [s for times in self.pages.values() for s in times]


def make_users(url: str, sessions: int) -> list[BenchUser]:
    """`sessions` users with session tokens, even numbers coordinators of the agencies holding a 2026 Pemdi
    assessment (made drafts again, so levels can be saved), odd numbers reviewers."""
    from argon2 import PasswordHasher
    from sqlalchemy import text
    from sqlmodel import select

    from evaluation.db import make_engine, write_session
    from evaluation.models import Agency, Assessment, FrameworkVersion, Period
    from evaluation.services import auth
    from evaluation.services.actors import SYSTEM
    from evaluation.services.users import create_user

    auth.HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    engine = make_engine(url)
    out: list[BenchUser] = []
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
        stamp = int(time.time() * 1000) % 10**8  # fresh names when a database is benchmarked twice
        for number in range(sessions):
            coordinator = number % 2 == 0
            agency = agencies[(number // 2) % len(agencies)]
            user = create_user(
                session,
                actor=SYSTEM,
                username=f"bench-{stamp}-{number:03d}",
                full_name=f"Bench {number}",
                password="sandi-bench-yang-panjang-2026",
                role="coordinator" if coordinator else "reviewer",
                agency_code=agency.code if coordinator else None,
            )
            session.flush()
            once = auth.create_handoff(session, user=user, nonce="bench")
            token = auth.redeem_handoff(session, code=once, nonce="bench")
            assert token
            code = f"I{((number // 2) // len(agencies)) % 20 + 1:02d}"
            role = "coordinator" if coordinator else "reviewer"
            out.append(BenchUser(role, token, code, agency.code if coordinator else ""))
    engine.dispose()
    return out


class Labels:
    """The texts the driver looks for, from the app's catalogue (Indonesian, the default language)."""

    def __init__(self) -> None:
        from evaluation.i18n import t

        self.indicator = t("as.pick", "id")
        self.level = t("as.level", "id")
        self.saved = t("as.saved", "id")


async def _page(tab: StreamlitSession, page: str, tally: Tally, measured: bool) -> None:
    run = await tab.run(page)
    tally.runs += measured
    tally.errors.extend(run.errors)
    if measured:
        tally.pages.setdefault(page or "beranda", []).append(run.seconds)


async def _save(tab: StreamlitSession, user: BenchUser, labels: Labels, tally: Tally, measured: bool) -> None:
    """Pick the user's indicator, then choose a level other than the one shown; the page must say saved."""
    picker = tab.last.widget("selectbox", labels.indicator) if tab.last else None
    wanted = next((o for o in picker.options if f"{user.code} ·" in o), None) if picker else None
    if wanted is None:
        raise ProtocolError(f"indicator {user.code} not offered")
    if tab.value_of("selectbox", labels.indicator) != wanted:
        run = await tab.change("selectbox", labels.indicator, wanted)
        tally.runs += measured
        tally.errors.extend(run.errors)
    radio = tab.last.widget("radio", labels.level) if tab.last else None
    shown = tab.value_of("radio", labels.level)
    choices = [o for o in (radio.options if radio else []) if o[:1] in "34" and o != shown]
    if not choices:
        raise ProtocolError(f"no level to choose for {user.code}")
    run = await tab.change("radio", labels.level, choices[0])
    tally.runs += measured
    tally.errors.extend(run.errors)
    if not run.shows(f"{labels.saved}: {user.code}"):
        tally.errors.append(f"save of {user.code} not confirmed")
    elif measured:
        tally.saves.append(run.seconds)


async def _session(
    base: str,
    cookies: dict[str, str],
    user: BenchUser,
    rounds: int,
    labels: Labels,
    tally: Tally,
    warm: asyncio.Barrier,
    on_warm: Callable[[], None],
) -> None:
    from evaluation.services.auth import COOKIE_NAME

    pages = ["", "penilaian"] if user.role == "coordinator" else ["", "penilaian", "perbandingan"]
    tab = StreamlitSession(base, {**cookies, COOKIE_NAME: user.token})
    try:
        for number in range(rounds + 1):
            measured = number > 0
            if number == 1 and await warm.wait() == 0:  # every session warm: the measured part begins
                on_warm()
            try:
                for page in pages:
                    if tab.last is None:
                        run = await tab.open(page)
                        tally.errors.extend(run.errors)
                    else:
                        await _page(tab, page, tally, measured)
                    if page == "penilaian" and user.role == "coordinator":
                        await _save(tab, user, labels, tally, measured)
            except Exception as exc:  # counted, never fatal: the other sessions wait at the barrier
                tally.errors.append(f"{user.role} {user.code}: {type(exc).__name__}: {exc}"[:200])
    finally:
        await tab.close()


async def _drive(
    targets: list[tuple[str, dict[str, str]]],
    users: list[BenchUser],
    rounds: int,
    on_warm: Callable[[], None],
) -> Tally:
    tally = Tally()
    labels = Labels()
    warm = asyncio.Barrier(len(users))

    def begin() -> None:
        tally.started = time.perf_counter()
        on_warm()

    await asyncio.gather(
        *(
            _session(*targets[i % len(targets)], user, rounds, labels, tally, warm, begin)
            for i, user in enumerate(users)
        )
    )
    tally.ended = time.perf_counter()
    return tally


def drive(
    targets: list[tuple[str, dict[str, str]]],
    users: list[BenchUser],
    rounds: int = ROUNDS,
    on_warm: Callable[[], None] = lambda: None,
) -> Tally:
    """Run every user's session against targets[i % len(targets)] (a base URL and the cookies its browser
    would hold, e.g. a load balancer's affinity cookie): a warm-up round, then `rounds` measured rounds once
    every session is warm (`on_warm` is called at that moment)."""
    return asyncio.run(_drive(targets, users, rounds, on_warm))


def percentile(values: list[float], pct: int) -> float:
    from bench.savers import percentile as inclusive

    return inclusive(sorted(values), pct)


def summary(sessions: int, tally: Tally, pages: str = "warm pages") -> str:
    """The figures every load benchmark prints, with the goals of issues 14 and 17."""
    times = tally.times()
    elapsed = max(tally.ended - tally.started, 1e-9)
    by_page = ", ".join(f"{page} {statistics.median(t):.2f}" for page, t in sorted(tally.pages.items()))
    return (
        f"N={sessions}: {pages} {len(times)}, p50 {percentile(times, 50):.2f} s (goal < 2 s), "
        f"p95 {percentile(times, 95):.2f} s (goal < 2 s) [p50 by page: {by_page}]; "
        f"saves {len(tally.saves)} ({len(tally.saves) / elapsed:.2f}/s over {elapsed:.0f} s, "
        f"p50 {percentile(tally.saves, 50):.2f} s); errors {len(tally.errors)} (goal 0)"
    )


def error_lines(tally: Tally, most: int = 10) -> list[str]:
    """The errors seen, alike ones counted together (incident ids left out: the server log has them)."""
    counts = Counter(re.sub(r"INC-[0-9A-F]{10}", "INC-…", error) for error in tally.errors)
    return [f"  error x{n}: {error}" for error, n in counts.most_common(most)]


def print_figures(figures: str, tally: Tally) -> None:
    """Print a run's `figures` line with the machine's load average, then its errors (`error_lines`)."""
    print(f"{figures}; load average {os.getloadavg()[0]:.1f}", flush=True)
    for line in error_lines(tally):
        print(line, flush=True)
