"""`python -m bench scale --agencies N`: the national instance at 1x, 3x, 10x (issue 17).

Builds (once, kept under --folder) the demo database (the real register, 652 agencies, every demo period)
and, for a larger N, copies every agency with its assessments and indicator scores under a synthetic code
(`<code>-S<k>`) until there are N agencies: the same shape as the register. Then prints, side by side in
one run, medians over --runs:

- rescoring a closed period from its stored levels (`period_results`, no cache) against its floor, the
  same rows fetched raw plus numpy weighted sums per group (no banding, no objects), and against the
  per-assessment path it replaced; a cached read; a read of the period's stored scoring by a new process
  (evaluation/services/scoring_store.py) and every period in both kinds as a restarted server reads them;
- the national matrix export against a raw XlsxWriter write of the same cells (the floor);
- the national summary PDF: time and peak Python allocation (tracemalloc).

Pages cold and warm are AppTest runs, outside this Streamlit-free package: `--pages` runs
`python -m tests.bench_pages --database URL` on the same database afterwards.
"""

from __future__ import annotations

import gc
import io
import os
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from bench.scale_scoring import floor_of, per_assessment, stored_reads
from bench.timing import median_ms
from evaluation.data_version import BUMP_SQL
from evaluation.db import make_engine, read_session

REGISTER = "scale-1x.db"


def _side_by_side(first: Callable[[], Any], second: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Medians (ms) of two actions run alternately, so load from elsewhere weighs on both alike. Each
    starts after a full collection, so that neither is charged with collecting what the other left (an
    action that pauses the collector leaves the next one a collection over everything it allocated)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for action, out in ((first, times[0]), (second, times[1])):
            gc.collect()
            started = time.perf_counter()
            action()
            out.append(time.perf_counter() - started)
    return statistics.median(times[0]) * 1000, statistics.median(times[1]) * 1000


def register_database(folder: Path) -> Path:
    """The demo database on the full register (built once under `folder`)."""
    from evaluation.bootstrap import ensure_database

    path = folder / REGISTER
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        partial = folder / (REGISTER + ".building")
        for leftover in folder.glob(REGISTER + ".building*"):
            leftover.unlink()
        engine = make_engine(f"sqlite:///{partial}")
        ensure_database(engine, demo=True)
        _finish(engine, partial, path, "the register database", started)
    return path


def _finish(engine: Engine, work: Path, path: Path, what: str, started: float) -> None:
    """The database built at `work` folded into one file (its WAL checkpointed) and renamed to `path`, so a
    half-built one never stands under the final name; prints how long building `what` took since `started`
    (a perf_counter reading)."""
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    work.rename(path)
    print(f"built {what} in {time.perf_counter() - started:.0f} s")


def _columns(engine: Engine, table: str) -> list[str]:
    return [c["name"] for c in inspect(engine).get_columns(table) if c["name"] != "id"]


def scaled_database(folder: Path, agencies: int) -> str:
    """A SQLite URL of a database with `agencies` agencies (the register, then synthetic copies)."""
    base = register_database(folder)
    path = folder / f"scale-{agencies}.db"
    url = f"sqlite:///{path}"
    if path.exists():
        from evaluation.db import migrate

        migrate(make_engine(url))  # built by an older version: bring its schema up to date
        return url
    work = folder / f"scale-{agencies}.db.building"
    shutil.copyfile(base, work)
    engine = make_engine(f"sqlite:///{work}")
    started = time.perf_counter()
    with engine.begin() as connection:
        count = int(connection.execute(text("SELECT count(*) FROM agency")).scalar() or 0)
        top_agency = int(connection.execute(text("SELECT max(id) FROM agency")).scalar() or 0)
        top_assessment = int(connection.execute(text("SELECT max(id) FROM assessment")).scalar() or 0)
        agency_cols = _columns(engine, "agency")
        assessment_cols = _columns(engine, "assessment")
        score_cols = _columns(engine, "indicator_score")
        copy = 1
        while count < agencies:
            take = min(agencies - count, top_agency)
            suffix = f"-S{copy}"
            picked = [
                "code || :suffix" if c == "code" else "name || :suffix" if c == "name" else c
                for c in agency_cols
            ]
            connection.execute(
                text(
                    f"INSERT INTO agency ({', '.join(agency_cols)}) SELECT {', '.join(picked)} "
                    f"FROM agency WHERE id <= :top ORDER BY id LIMIT :take"
                ),
                {"suffix": suffix, "top": top_agency, "take": take},
            )
            picked = ["fresh.id" if c == "agency_id" else f"a.{c}" for c in assessment_cols]
            connection.execute(
                text(
                    f"INSERT INTO assessment ({', '.join(assessment_cols)}) SELECT {', '.join(picked)} "
                    "FROM assessment a JOIN agency old ON old.id = a.agency_id "
                    "JOIN agency fresh ON fresh.code = old.code || :suffix WHERE a.id <= :top"
                ),
                {"suffix": suffix, "top": top_assessment},
            )
            picked = ["na.id" if c == "assessment_id" else f"s.{c}" for c in score_cols]
            connection.execute(
                text(
                    f"INSERT INTO indicator_score ({', '.join(score_cols)}) SELECT {', '.join(picked)} "
                    "FROM indicator_score s JOIN assessment a ON a.id = s.assessment_id "
                    "JOIN agency old ON old.id = a.agency_id "
                    "JOIN agency fresh ON fresh.code = old.code || :suffix "
                    "JOIN assessment na ON na.agency_id = fresh.id AND na.period_id = a.period_id "
                    "WHERE a.id <= :top"
                ),
                {"suffix": suffix, "top": top_assessment},
            )
            count += take
            copy += 1
        connection.execute(text(BUMP_SQL))  # every scope: the copies are settled data too
    _finish(engine, work, path, f"{agencies} agencies", started)
    return url


def _raw_xlsx(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Matriks")
    sheet.write_row(0, 0, columns)
    for n, row in enumerate(rows, start=1):
        sheet.write_row(n, 0, [row.get(c) for c in columns])
    book.close()
    return buffer.getvalue()


def bench_scale(folder: Path, agencies: list[int], runs: int, pages: bool) -> None:
    """Print the figures listed in the module docstring for each scale, in one run."""
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; medians over {runs} runs")
    for count in agencies:
        url = scaled_database(folder, count)
        _one_scale(url, count, runs)
        if pages:
            command = [sys.executable, "-m", "tests.bench_pages", "--database", url, "--runs", str(runs)]
            subprocess.run(command, check=False)


def _one_scale(url: str, count: int, runs: int) -> None:
    from evaluation.reports.national import national_summary_pdf
    from evaluation.services import scoring_cache
    from evaluation.services.actors import Actor
    from evaluation.services.bulk.national_matrix import matrix_file, matrix_rows
    from evaluation.services.frameworks import load_framework_version
    from evaluation.services.results import _score_period, list_periods, period_results

    actor = Actor(None, "bench", "reviewer")
    engine = make_engine(url)
    cache = scoring_cache.attach(engine)
    with read_session(engine) as session:
        period = [p for p in list_periods(session) if p.status == "closed" and not p.is_programme][-1]
        framework = load_framework_version(session, period.framework_version_id)
        scored = len(_score_period(session, period.id, "final", ("final",)))
    floor = floor_of(engine, period.id, framework)

    def rescore() -> None:
        with read_session(engine) as session:
            _score_period(session, period.id, "final", ("final",))

    def cached() -> None:
        with read_session(engine) as session:
            period_results(session, period.id)

    floor_ms, rescore_ms = _side_by_side(floor, rescore, runs)
    before_ms, again_ms = _side_by_side(per_assessment(engine, period.id, framework), rescore, runs)
    cached()
    cached_ms = median_ms(cached, runs)
    stored_ms, every_ms, every_count = stored_reads(url, runs)
    with read_session(engine) as session:
        columns, rows = matrix_rows(session, actor=actor, period_id=period.id)
        names = [str(getattr(c, "key", None) or getattr(c, "name", c)) for c in columns]
        export = lambda: matrix_file(session, actor=actor, period_id=period.id)  # noqa: E731
        export_ms, raw_ms = _side_by_side(export, lambda: _raw_xlsx(rows, names), runs)
    with read_session(engine) as session:
        pdf_ms = median_ms(lambda: national_summary_pdf(session, actor=actor, period_id=period.id), runs)
        tracemalloc.start()
        national_summary_pdf(session, actor=actor, period_id=period.id)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    scoring_cache.detach(engine)
    engine.dispose()
    print(f"{count} agencies, period {period.year} ({period.framework_id}, {scored} scored):")
    print(f"  floor: raw fetch + numpy     {floor_ms:8.1f} ms")
    print(
        f"  rescoring (period_results)   {rescore_ms:8.1f} ms   ({rescore_ms / floor_ms:.2f}x; goal <= 1.5x)"
    )
    print(
        f"  before: per-assessment path  {before_ms:8.1f} ms   (alternating with rescoring {again_ms:.1f} ms)"
    )
    print(f"  cached read (same version)   {cached_ms:8.2f} ms   (hits {cache.hits})")
    print(f"  stored read (a new process)  {stored_ms:8.1f} ms   (the closed period from period_scoring)")
    print(f"  every period, both kinds     {every_ms:8.0f} ms   ({every_count} reads, a new process)")
    print(f"  raw XlsxWriter write         {raw_ms:8.0f} ms   ({len(rows)} rows x {len(names)} columns)")
    print(
        f"  national matrix export       {export_ms:8.0f} ms   ({export_ms / raw_ms:.2f}x raw; goal <= 1.2x)"
    )
    print(f"  national summary PDF         {pdf_ms:8.0f} ms   (peak Python allocation {peak / 1e6:.0f} MB)")
