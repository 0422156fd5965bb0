"""`python -m bench server --sessions 20,50 [--database-url URL] [--rounds N]` (issue 17): N signed-in
sessions on ONE app server, driven over Streamlit's own protocol (bench/protocol.py, no browser; the
sessions are bench/sessions.py's).

The server is `streamlit run app.py` (headless, a free port, no file watcher) on a copy of the demo
register database on SQLite (built once by `bench scale`'s `register_database`), or on a throwaway database
holding the demo on the PostgreSQL server of `--database-url`. Prints p50/p95 of the warm page runs, saves
per second, errors, the server's CPU seconds per script run in the measured rounds (/proc/<pid>/stat
utime+stime delta over those runs) and its peak RSS (VmHWM), each beside its goal.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.sessions import ROUNDS, drive, make_users, print_figures, summary

ROOT = Path(__file__).resolve().parents[1]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_mb(pid: int, key: str = "VmRSS") -> float:
    """A memory line of /proc/<pid>/status in MB (VmRSS now, VmHWM the peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Watch:
    """Server processes watched while a benchmark drives them, as a `with` block: `probe` (the peaks of
    memory, connections...) is called every `every` seconds in a thread until the block ends, and `cpu()`
    gives the CPU seconds the processes have used since `warm()` (since they started, before it)."""

    def __init__(self, pids: list[int], probe: Callable[[], None], every: float) -> None:
        self.pids, self._probe, self._every = pids, probe, every
        self._since = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> Watch:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._done.is_set():
            self._probe()
            self._done.wait(self._every)

    def warm(self) -> None:
        """The warm-up is over: count CPU seconds from now on."""
        self._since = self._total()

    def cpu(self) -> float:
        """CPU seconds (utime + stime) of all the processes since `warm()`."""
        return self._total() - self._since

    def _total(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids)


def serve(
    url: str, folder: Path, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """`streamlit run app.py` on `url` (headless, a free port, no file watcher), ready (GET /ready 200)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SPBE_EVIDENCE_DIR": str(folder / "evidence"),
        **(extra_env or {}),
    }
    env.pop("SPBE_DEMO", None)  # the database holds the demo already
    log = folder / f"server-{port}.log"
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"),
            *(
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--server.fileWatcherType",
                "none",
            ),
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{base}/ready", timeout=5) as response:
                if response.status == 200:
                    return process, base
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    stop(process)
    raise RuntimeError(f"the app server did not become ready: {log.read_text(errors='replace')[-3000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def demo_database(folder: Path, database_url: str | None) -> Iterator[str]:
    """A database holding the demo register: a SQLite copy of `bench scale`'s register database, or a
    throwaway database on the PostgreSQL server of `database_url` (dropped afterwards)."""
    from evaluation.bootstrap import ensure_database
    from evaluation.db import make_engine

    if database_url:
        from bench.savers import throwaway_postgres

        with throwaway_postgres(database_url) as url:
            engine = make_engine(url)
            ensure_database(engine, demo=True)
            engine.dispose()
            yield url
        return
    from bench.scale import register_database

    path = folder / "server.db"
    shutil.copyfile(register_database(Path(tempfile.gettempdir()) / "spbe-scale"), path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    ensure_database(engine)  # migrations made since the register was built
    engine.dispose()
    yield url


def run_one(url: str, folder: Path, sessions: int, rounds: int) -> None:
    """One server, `sessions` sessions; prints the figures."""
    users = make_users(url, sessions)
    process, base = serve(url, folder)
    try:
        peak = {"rss": 0.0}

        def sample() -> None:
            if process.poll() is None:
                peak["rss"] = max(peak["rss"], rss_mb(process.pid))

        with Watch([process.pid], sample, 0.25) as watch:
            tally = drive([(base, {})], users, rounds, watch.warm)
            cpu = watch.cpu()
        high = max(peak["rss"], rss_mb(process.pid, "VmHWM"))
        print_figures(
            f"{summary(sessions, tally)}; server CPU {cpu * 1000 / max(tally.runs, 1):.0f} ms per script run "
            f"({tally.runs} runs; goal < 50 ms); RSS peak {high:.0f} MB (goal < 400 MB)",
            tally,
        )
        if tally.errors:  # the tracebacks are in the server's log, under the incident ids
            kept = Path(tempfile.mkdtemp(prefix="bench-server-log-")) / "server.log"
            shutil.copyfile(folder / f"server-{base.rsplit(':', 1)[1]}.log", kept)
            print(f"  the server's log: {kept}", flush=True)
    finally:
        stop(process)


def bench_server(sessions: list[int], database_url: str | None, rounds: int = ROUNDS) -> None:
    """Each N of `sessions` on a fresh server (and a fresh copy of the database)."""
    print(
        f"one app server, {rounds} warm rounds after one warm-up round; {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} at the start",
        flush=True,
    )
    for n in sessions:
        with (
            tempfile.TemporaryDirectory(prefix="bench-server-") as name,
            demo_database(Path(name), database_url) as url,
        ):
            run_one(url, Path(name), n, rounds)
