"""Time and peak memory of refusing each hostile workbook: `python -m tests.bench_hostile`.

Each shape (tests/hostile_workbooks.py: one value at XFD1048576, a formula at row 50,000,000, a merged
range A2:A100000000, a sheet that unpacks to 1 GB), the field cases in tests/fixtures/cases and, for
comparison, an ordinary national-size workbook, run in a fresh child process: the file is built, the
baseline peak RSS taken, then `read_upload` runs. Printed: the outcome, seconds, and how far the peak RSS
rose above the baseline (goal: refused in under 2 s with under 200 MB). A figure, not a timed test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CASES = Path(__file__).resolve().parent / "fixtures" / "cases"
SHAPES = [
    "value at XFD1048576",
    "formula at row 50,000,000",
    "merged A2:A100000000",
    "sheet XML of 1 GB",
    "stray_XFD1048576.xlsx",
    "score_stray_XFD1048576.xlsx",
    "stray_A1048576.xlsx",
    "ordinary 30,700 x 14 (accepted)",
]

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from evaluation.excel_io.reader import UnreadableFile, read_upload
from tests.hostile_workbooks import HOSTILE, HEADER, text_cell, workbook
shape = sys.argv[1]
if shape in HOSTILE:
    data = HOSTILE[shape]()
elif shape.endswith(".xlsx"):
    data = (Path(sys.argv[2]) / shape).read_bytes()
else:
    rows = "".join(
        f'<row r="{r}">' + "".join(text_cell(f"{chr(65 + c)}{r}", f"t{r}x{c}") for c in range(14)) + "</row>"
        for r in range(2, 30_702)
    )
    data = workbook(HEADER + rows)
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    sheets = read_upload(data, "hostile.xlsx")
    outcome = f"read, {len(sheets[0].rows)} rows"
except UnreadableFile as exc:
    outcome = "refused: " + str(exc).split(" / ")[-1][:150]
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"outcome": outcome, "seconds": seconds, "rise_mb": (peak - baseline) / 1024,
                  "file_kb": len(data) / 1024}))
"""


def main() -> int:
    print(f"{'file':<34}{'size':>10}{'seconds':>9}{'peak RSS rise':>15}  outcome")
    worst = 0.0
    for shape in SHAPES:
        child = subprocess.run(
            [sys.executable, "-c", _CHILD, shape, str(CASES)], capture_output=True, text=True, check=False
        )
        if child.returncode != 0:
            print(f"{shape:<34} child ended with code {child.returncode}: {child.stderr[-300:]}")
            worst = float("inf")
            continue
        result = json.loads(child.stdout.strip().splitlines()[-1])
        if result["outcome"].startswith("refused"):
            worst = max(worst, result["seconds"])
        print(
            f"{shape:<34}{result['file_kb']:>8.0f}KB{result['seconds']:>9.3f}{result['rise_mb']:>12.1f} MB"
            f"  {result['outcome']}"
        )
    print(f"slowest refusal {worst:.3f} s (goal < 2 s)")
    return 0 if worst < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
