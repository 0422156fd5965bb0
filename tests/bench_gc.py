"""`python -m tests.bench_gc --database URL`: what Streamlit's forced collection after every rerun costs
(issue 17), measured on warm reruns of one page in AppTest.

Streamlit calls `gc.collect(2)` after every script run while `runner.postScriptGC` is true (its default);
AppTest's runner does not, so each mode below adds what the server would do. Each mode runs in its own
process (so their memory does not mix): `on` (collect after every rerun, Streamlit's default), `off`
(`runner.postScriptGC = false`: only Python's own generational collections), `freeze` (collect after every
rerun, but everything alive after start-up and the first render moved out of the collector's reach with
`gc.freeze()`). Prints, per mode, the median CPU time per warm rerun (process time, so other load on the
machine weighs less), the median collection time, and the resident memory after the first render and after
all reruns.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

MODES = ("on", "off", "freeze")


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def one_mode(url: str, page: str, mode: str, reruns: int) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.bench_pages import _token

    os.environ["DATABASE_URL"] = url
    os.environ["SPBE_DEMO"] = "0"
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=300)
    at.session_state["session_token"] = _token(url)
    at.run()
    at.switch_page(f"app_pages/{page}")
    at.run()
    assert not at.exception, at.exception
    gc.collect(2)
    if mode == "freeze":
        gc.freeze()
    first = _rss_mb()
    cpu: list[float] = []
    collect: list[float] = []
    for _ in range(reruns):
        started = time.process_time()
        at.run()
        if mode != "off":
            before = time.process_time()
            gc.collect(2)
            collect.append(time.process_time() - before)
        cpu.append(time.process_time() - started)
    assert not at.exception, at.exception
    print(
        f"postScriptGC {mode:<6}: CPU per warm rerun median {statistics.median(cpu) * 1000:6.1f} ms "
        f"(of which gc.collect(2) {statistics.median(collect) * 1000 if collect else 0:6.1f} ms); "
        f"RSS {first:5.0f} MB after the first render, {_rss_mb():5.0f} MB after {reruns} reruns; "
        f"tracked objects {len(gc.get_objects()):,}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench_gc")
    parser.add_argument("--database", required=True, help="a database URL (e.g. from python -m bench scale)")
    parser.add_argument("--page", default="home.py")
    parser.add_argument("--reruns", type=int, default=100)
    parser.add_argument("--mode", choices=MODES, default=None, help="one mode in this process")
    args = parser.parse_args(argv)
    if args.mode:
        one_mode(args.database, args.page, args.mode, args.reruns)
        return 0
    print(f"{args.page}, {args.reruns} warm reruns per mode; load average {os.getloadavg()[0]:.1f}")
    for mode in MODES:
        command = [sys.executable, "-m", "tests.bench_gc", "--database", args.database]
        command += ["--page", args.page, "--reruns", str(args.reruns), "--mode", mode]
        subprocess.run(command, check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
