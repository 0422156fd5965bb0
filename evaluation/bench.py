"""Benchmarks that print figures (not timed tests): `python -m evaluation.bench scoring [--runs N]`.

`scoring` recomputes every index of a national period (all demo agencies) from the database, the way
the dashboard does, and prints the median. It builds a full-scale demo database in a temporary folder
unless `--database URL` names one that already holds the demo.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from evaluation.bootstrap import ensure_database
from evaluation.db import make_engine, read_session
from evaluation.services.results import list_periods, period_results


def bench_scoring(url: str | None, runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = url or f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = make_engine(url)
        started = time.perf_counter()
        ensure_database(engine, demo=True)
        print(f"database ready in {time.perf_counter() - started:.1f} s ({engine.dialect.name})")
        with read_session(engine) as session:
            periods = [p for p in list_periods(session) if p.status == "closed"]
            for period in (periods[-1], list_periods(session)[-1]):
                timings = []
                for _ in range(runs):
                    started = time.perf_counter()
                    results = period_results(session, period.id)
                    timings.append(time.perf_counter() - started)
                indicators = sum(1 for _ in results[0].result.groups) if results else 0
                print(
                    f"period {period.year} ({period.framework_id}): {len(results)} agencies scored "
                    f"({indicators} group indices each); median {statistics.median(timings) * 1000:.1f} ms, "
                    f"min {min(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms over {runs} runs "
                    f"(goal <= 100 ms)"
                )
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.bench")
    parser.add_argument("what", choices=["scoring"])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database", default=None, help="a database URL that already holds the demo")
    args = parser.parse_args(argv)
    if args.what == "scoring":
        bench_scoring(args.database, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
