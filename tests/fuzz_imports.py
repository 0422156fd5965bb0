"""Fuzzing every import kind with generated files: `python -m tests.fuzz_imports --cases 1000`.

Each kind runs in a child process of its own (an abort, such as a native reader's SIGABRT, ends only that
child and is counted), against a database made for the run (SQLite in a temporary folder, or
`--database URL`). Every case goes through the same two steps as the Excel page: the dry run
(`imports.plan`), then `imports.apply`. Counted per kind: cases, outcomes, unhandled exceptions (anything
but UnreadableFile / PermissionDenied / LookupError / FrameworkError from the dry run, or ImportRefused /
PermissionDenied / ValueError from apply), partial writes (the database changed by a dry run or by a
refused apply), dry runs with problems that apply accepted anyway, and aborts. The quick profile is
tests/integration/test_fuzz_imports.py; this is the long one. Exit 1 when anything was found.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from evaluation.db import make_engine, read_session, write_session
from evaluation.excel_io.reader import UnreadableFile
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.bulk import imports
from evaluation.services.bulk.plan import ImportRefused
from indicators.loader import FrameworkError

PLAN_HANDLED = (UnreadableFile, PermissionDenied, LookupError, FrameworkError)  # as app_pages/excel.py
APPLY_HANDLED = (ImportRefused, PermissionDenied, ValueError)
ACTOR_ROLES = {  # who may import the kind (others are tried too: a refusal is an outcome)
    "assessment": ("reviewer", "coordinator"),
    "national_matrix": ("admin", "reviewer"),
    "targets": ("admin", "coordinator"),
    "activities": ("coordinator",),
    "agencies": ("admin",),
    "published": ("admin",),
}


@dataclass
class Tally:
    kind: str
    cases: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    unhandled: list[str] = field(default_factory=list)
    partial_writes: int = 0
    disagreements: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "cases": self.cases,
            "outcomes": dict(self.outcomes),
            "unhandled": len(self.unhandled),
            "unhandled_first": self.unhandled[:3],
            "partial_writes": self.partial_writes,
            "disagreements": self.disagreements,
        }


def fuzz_world(engine: Engine) -> dict[str, Actor]:
    """A migrated database with an open Pemdi 2026 and a closed SPBE 2025 period, an agency KOTA-001 with
    an operator and a coordinator, a reviewer and an admin; returns their actors by role."""
    from evaluation.bootstrap import ensure_schema
    from evaluation.models import Agency, Period, User
    from evaluation.services.auth import actor_of
    from evaluation.services.frameworks import latest_version

    ensure_schema(engine)
    no_hash = "$argon2id$v=19$m=1024,t=1,p=1$bm90LWEtcmVhbA$bm90LWEtcmVhbC1oYXNo"
    with write_session(engine) as session:
        for framework_id, year, kind, status in (
            ("pemdi-2026", 2026, "pemdi", "open"),
            ("spbe-2020", 2025, "pemantauan", "closed"),
        ):
            version = latest_version(session, framework_id)
            assert version is not None
            session.add(
                Period(year=year, framework_version_id=version.id, evaluation_type=kind, status=status)
            )
        agency = Agency(code="KOTA-001", name="Kota Uji", category="Kota")
        session.add(agency)
        session.flush()
        actors = {}
        for role in ("operator", "coordinator", "reviewer", "admin"):
            user = User(
                username=f"{role}-fuzz",
                full_name=role.title(),
                password_hash=no_hash,
                role=role,
                agency_id=agency.id if role in ("operator", "coordinator") else None,
            )
            session.add(user)
            session.flush()
            actors[role] = actor_of(user)
    return actors


def db_state(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    from tests.integration.excel_fixtures import db_state as dump

    return dump(engine)


def run_case(engine: Engine, actor: Actor, filename: str, data: bytes, tally: Tally) -> str:
    """One file through dry run and apply; the outcome is counted in `tally` and returned."""
    tally.cases += 1
    before = db_state(engine)
    try:
        with read_session(engine) as session:
            plan = imports.plan(session, actor=actor, data=data, filename=filename)
    except PLAN_HANDLED as exc:
        outcome = "unreadable" if isinstance(exc, UnreadableFile) else "refused"
    except Exception:
        tally.unhandled.append(f"plan {filename}: {traceback.format_exc(limit=-3)}")
        outcome = "unhandled"
    else:
        problems = list(getattr(plan, "problems", []))
        try:
            with write_session(engine) as session:
                imports.apply(session, actor=actor, data=data, filename=filename)
        except APPLY_HANDLED:
            outcome = "planned with problems" if problems else "apply refused"
            if db_state(engine) != before:
                tally.partial_writes += 1
                outcome = "partial write"
        except Exception:
            tally.unhandled.append(f"apply {filename}: {traceback.format_exc(limit=-3)}")
            outcome = "unhandled"
        else:
            outcome = "applied"
            if problems:
                tally.disagreements += 1
                outcome = "applied despite problems"
        tally.outcomes[outcome] += 1
        return outcome
    if db_state(engine) != before:
        tally.partial_writes += 1
        outcome = "partial write"
    tally.outcomes[outcome] += 1
    return outcome


def run_kind(kind: str, cases: int, url: str, seed: int) -> Tally:
    """`cases` generated files of `kind` through `run_case` (hypothesis, no shrinking)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as seeded

    from tests.fuzz_strategies import upload

    engine = make_engine(url)
    actors = fuzz_world(engine)
    roles = ACTOR_ROLES[kind]
    tally = Tally(kind)

    @seeded(seed)
    @settings(
        max_examples=cases,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(upload(kind))
    def one(case: tuple[str, bytes]) -> None:
        filename, data = case
        run_case(engine, actors[roles[tally.cases % len(roles)]], filename, data, tally)

    one()
    engine.dispose()
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz_imports")
    parser.add_argument("--cases", type=int, default=1000, help="cases per kind")
    parser.add_argument("--kinds", default=",".join(ACTOR_ROLES))
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--database", default=None, help="a database URL (default: SQLite per kind)")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:  # in the child process: one kind, the tally as one JSON line
        tally = run_kind(args.child, args.cases, args.database, args.seed)
        print(json.dumps(tally.as_dict()), flush=True)
        return 0
    found = 0
    heading = f"{'kind':<16}{'cases':>7}{'unhandled':>11}{'aborts':>8}{'partial':>9}{'disagree':>10}"
    print(f"{heading}  seconds  outcomes")
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.kinds.split(","):
            url = args.database or f"sqlite:///{Path(folder) / f'{kind}.db'}"
            started = time.perf_counter()
            child = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "tests.fuzz_imports",
                    "--child",
                    kind,
                    "--cases",
                    str(args.cases),
                    "--seed",
                    str(args.seed),
                    "--database",
                    url,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            seconds = time.perf_counter() - started
            aborted = child.returncode != 0
            lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
            result = json.loads(lines[-1]) if lines and not aborted else {"cases": 0, "outcomes": {}}
            unhandled, partial = result.get("unhandled", 0), result.get("partial_writes", 0)
            disagree = result.get("disagreements", 0)
            found += unhandled + partial + int(aborted)
            print(
                f"{kind:<16}{result['cases']:>7}{unhandled:>11}{int(aborted):>8}{partial:>9}{disagree:>10}"
                f"{seconds:>9.1f}  {json.dumps(result['outcomes'], ensure_ascii=False)}"
            )
            if aborted:
                print(f"  child ended with code {child.returncode}: {child.stderr[-2000:]}")
            for text in result.get("unhandled_first", []):
                print("  " + text.replace("\n", "\n  "))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
