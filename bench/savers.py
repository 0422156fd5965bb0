"""Benchmark (prints figures, not a timed test): `python -m bench savers [--database-url URL]`.

50 people save at the same moment on one assessment, each on its own indicator, through the real service
(`save_self_assessment`) and a real engine: on SQLite (a temporary file) and, when `--database-url` names a
PostgreSQL server, on a throwaway database created there and dropped afterwards. Several rounds: the first
creates every score, the next ones change them again on the versions read. It prints how many saves were
refused (goal 0), how many values were lost when everything is read back (goal 0) and the latency of one
save (p50, p95, max in ms; goal p95 <= 200 ms).

The shipped frameworks have at most 47 indicators, so the benchmark registers its own 50-indicator framework
(`bench-savers`, built from the shipped `vision-to-evaluation` file) in the throwaway database.
"""

from __future__ import annotations

import copy
import os
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import select

from evaluation import db
from evaluation.bootstrap import ensure_schema
from evaluation.db import make_engine, normalise_url, read_session, write_session
from evaluation.models import Agency, IndicatorScore, Period, User
from evaluation.services.actors import SYSTEM, Actor
from evaluation.services.assessment_state import StaleAssessment
from evaluation.services.frameworks import add_framework
from evaluation.services.self_assessment import open_assessment, save_self_assessment
from indicators.loader import SHIPPED_DIR

SAVERS = 50
ROUNDS = 3
GOALS = {"sqlite": "goal p95 <= 50 ms, issue 17", "postgresql": "goal p95 <= 200 ms, issue 10"}


@dataclass
class RoundResult:
    latencies_ms: list[float]
    refused: int
    failed: list[str]


def bench_framework_text(indicators: int = SAVERS) -> str:
    """A framework file with `indicators` indicators of equal weight in one group (criteria and scale
    copied from the shipped vision-to-evaluation file)."""
    source = yaml.safe_load((SHIPPED_DIR / "vision-to-evaluation.yaml").read_text(encoding="utf-8"))
    kept = ("name", "name_en", "scale", "criteria")  # not links to other frameworks (`prepares`)
    template = {k: v for k, v in source["groups"][0]["indicators"][0].items() if k in kept}
    group = {k: v for k, v in source["groups"][0].items() if k != "indicators"}
    group.update(code="G1", name="Uji beban", name_en="Load test", weight=100)
    group["indicators"] = [
        {**copy.deepcopy(template), "code": f"B{n:02d}", "number": n, "weight": 100 / indicators}
        for n in range(1, indicators + 1)
    ]
    framework = {k: v for k, v in source.items() if k != "groups"}
    framework.update(id="bench-savers", version="1.0", name="Uji beban", name_en="Load test")
    framework["description"] = framework["description_en"] = f"{indicators} indicators, one group"
    framework["groups"] = [group]
    return yaml.safe_dump(framework, allow_unicode=True, sort_keys=False)


def prepare(engine: Engine) -> tuple[int, list[Actor], list[str]]:
    """Schema, the bench framework, an agency with one operator per saver and its opened assessment."""
    ensure_schema(engine)
    with write_session(engine) as session:
        version = add_framework(session, actor=SYSTEM, text=bench_framework_text(), source_name="bench")
        period = Period(year=2026, framework_version_id=version.id or 0, evaluation_type="evaluasi")
        agency = Agency(code="BENCH-001", name="Instansi Uji Beban", category="Lembaga")
        session.add_all([period, agency])
        session.flush()
        users = [
            User(
                username=f"saver-{n:02d}",
                full_name=f"Operator {n:02d}",
                password_hash="!",  # cannot sign in
                role="operator",
                agency_id=agency.id,
            )
            for n in range(1, SAVERS + 1)
        ]
        session.add_all(users)
        session.flush()
        actors = [Actor(u.id, u.username, u.role, u.agency_id) for u in users]
        assessment_id = open_assessment(
            session, actor=actors[0], agency_id=agency.id or 0, period_id=period.id or 0
        )
    return assessment_id, actors, [f"B{n:02d}" for n in range(1, SAVERS + 1)]


def one_round(
    engine: Engine, assessment_id: int, actors: list[Actor], codes: list[str], rnd: int
) -> RoundResult:
    """Every saver at once (a barrier), each saving level and justification of its own indicator on the
    version it read before the barrier."""
    with read_session(engine) as session:
        read = {
            row.indicator_code: row.version
            for row in session.exec(
                select(IndicatorScore).where(IndicatorScore.assessment_id == assessment_id)
            )
        }
    barrier = threading.Barrier(len(codes))
    latencies: list[float] = []
    failed: list[str] = []
    refused = 0
    guard = threading.Lock()

    def saver(actor: Actor, code: str) -> None:
        nonlocal refused
        entries = {code: {"level": rnd % 5 + 1, "justification": f"{code} round {rnd} by {actor.username}"}}
        barrier.wait()
        started = time.perf_counter()
        try:
            with write_session(engine) as session:
                save_self_assessment(
                    session,
                    actor=actor,
                    assessment_id=assessment_id,
                    versions={code: read.get(code, 0)},
                    entries=entries,
                )
        except StaleAssessment:
            with guard:
                refused += 1
        except Exception as exc:  # counted and printed: a benchmark reports failures, it does not stop
            with guard:
                failed.append(f"{code}: {type(exc).__name__}: {exc}"[:200])
        else:
            with guard:
                latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=saver, args=(a, c)) for a, c in zip(actors, codes, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return RoundResult(latencies, refused, failed)


def lost_values(engine: Engine, assessment_id: int, actors: list[Actor], rnd: int) -> int:
    """Scores whose stored level, text, author or version is not what the last round saved."""
    with read_session(engine) as session:
        rows = {
            row.indicator_code: row
            for row in session.exec(
                select(IndicatorScore).where(IndicatorScore.assessment_id == assessment_id)
            )
        }
    lost = 0
    for n, actor in enumerate(actors, start=1):
        code = f"B{n:02d}"
        row = rows.get(code)
        expected = (float(rnd % 5 + 1), f"{code} round {rnd} by {actor.username}", actor.user_id, rnd)
        if row is None or (row.self_level, row.justification, row.updated_by, row.version) != expected:
            lost += 1
    return lost


def warm_pool(engine: Engine) -> None:
    """Open the pool's connections (as in a server that has been running), so that round 1 does not
    measure connecting."""
    size = engine.pool.size() + engine.pool._max_overflow  # type: ignore[attr-defined]
    barrier = threading.Barrier(size)

    def hold() -> None:
        with engine.connect() as conn:
            barrier.wait()
            conn.execute(text("SELECT 1"))

    threads = [threading.Thread(target=hold) for _ in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def warm_caches(engine: Engine) -> None:
    """One save by another agency's operator on its own assessment of the same period, before the rounds:
    as in a server that has been running, the framework is parsed and the statements are compiled, so
    round 1 measures saving (and creating the scores), not the process's first save."""
    with write_session(engine) as session:
        period_id = session.exec(select(Period.id)).one()
        agency = Agency(code="BENCH-000", name="Instansi Pemanasan", category="Lembaga")
        session.add(agency)
        session.flush()
        user = User(
            username="saver-warm",
            full_name="Operator",
            password_hash="!",
            role="operator",
            agency_id=agency.id,
        )
        session.add(user)
        session.flush()
        actor = Actor(user.id, user.username, user.role, user.agency_id)
        assessment_id = open_assessment(
            session, actor=actor, agency_id=agency.id or 0, period_id=period_id or 0
        )
    for version in (0, 1):  # a first save (insert) and a second one (update)
        with write_session(engine) as session:
            save_self_assessment(
                session,
                actor=actor,
                assessment_id=assessment_id,
                versions={"B01": version},
                entries={"B01": {"level": version + 1, "justification": "pemanasan"}},
            )


def run(engine: Engine, rounds: int = ROUNDS, label: str = "") -> dict[str, float]:
    """Prepare, run the rounds and print one line per round and a summary; returns the summary."""
    assessment_id, actors, codes = prepare(engine)
    warm_pool(engine)
    warm_caches(engine)
    latencies: list[float] = []
    refused = lost = 0
    cpu_started, load = time.process_time(), os.getloadavg()[0]
    for rnd in range(1, rounds + 1):
        result = one_round(engine, assessment_id, actors, codes, rnd)
        round_lost = lost_values(engine, assessment_id, actors, rnd)
        latencies += result.latencies_ms
        refused += result.refused
        lost += round_lost
        for line in result.failed[:5]:
            print(f"  failed: {line}")
        print(
            f"  round {rnd}: {len(result.latencies_ms)} saved, {result.refused} refused, "
            f"{len(result.failed)} failed, {round_lost} lost; "
            f"p95 {percentile(result.latencies_ms, 95):.0f} ms"
        )
    cpu_ms = (time.process_time() - cpu_started) * 1000 / max(len(latencies), 1)
    summary = {
        "cpu_per_save": cpu_ms,
        "saves": len(latencies),
        "refused": refused,
        "lost": lost,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "max": max(latencies, default=float("nan")),
    }
    print(
        f"{engine.dialect.name}{label}: {SAVERS} concurrent savers x {rounds} rounds, "
        f"{summary['saves']:.0f} saves: "
        f"refused {refused}, lost {lost}; p50 {summary['p50']:.0f} ms, p95 {summary['p95']:.0f} ms, "
        f"max {summary['max']:.0f} ms ({GOALS.get(engine.dialect.name, '')}); "
        f"this process's CPU {cpu_ms:.1f} ms per save "
        f"(with read-backs), machine load {load:.1f} at the start"
    )
    return summary


def percentile(values: list[float], pct: int) -> float:
    """The pct-th percentile (inclusive method); NaN for no values."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


@contextmanager
def throwaway_postgres(server_url: str) -> Iterator[str]:
    """A new database on the server of `server_url` (its URL), dropped afterwards."""
    admin = create_engine(normalise_url(server_url), isolation_level="AUTOCOMMIT")
    name = f"bench_savers_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(normalise_url(server_url)).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def without_writer_lock() -> Iterator[None]:
    """SQLite writers of this process busy-wait on SQLite's own lock, as before `sqlite_writer_lock`."""

    @contextmanager
    def no_turn(_engine: Engine) -> Iterator[None]:
        yield

    saved = db._writer_turn
    db._writer_turn = no_turn  # type: ignore[assignment]
    try:
        yield
    finally:
        db._writer_turn = saved


def bench_savers(database_url: str | None, rounds: int = ROUNDS) -> None:
    """SQLite (without, then with the in-process writer lock); PostgreSQL too when `database_url` names a
    server (a throwaway database there)."""
    for label, turn in ((" (writers busy-wait, before)", without_writer_lock), ("", nullcontext)):
        with tempfile.TemporaryDirectory() as folder, turn():
            engine = make_engine(f"sqlite:///{Path(folder) / 'savers.db'}")
            try:
                run(engine, rounds, label)
            finally:
                engine.dispose()
    if database_url:
        with throwaway_postgres(database_url) as url:
            engine = make_engine(url)
            try:
                run(engine, rounds)
            finally:
                engine.dispose()
