"""`python -m evaluation.bench` (the name issues 10 and 17 give the benchmarks) runs the `bench` package's
command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_evaluation_bench_hands_its_arguments_to_the_benchmarks():
    shown = subprocess.run(
        [sys.executable, "-m", "evaluation.bench", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert shown.returncode == 0
    assert all(kind in shown.stdout for kind in ("scoring", "excel", "savers", "scale", "server"))
    refused = subprocess.run(
        [sys.executable, "-m", "evaluation.bench", "nothing"], cwd=ROOT, capture_output=True, text=True
    )
    assert refused.returncode == 2 and "invalid choice" in refused.stderr
