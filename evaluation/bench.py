"""`python -m evaluation.bench scoring|excel|savers|scale|server ...`: the benchmarks under the name issues
10 and 17 give them. They live in the repository's `bench/` package (`python -m bench ...` is the same
command); this module only hands the arguments over. Benchmarks print figures; they are not tests."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run `bench`'s command line with `argv` (default: this process's arguments); its exit code."""
    from bench.__main__ import main as bench_main  # the repository's root is on sys.path under `-m`

    return bench_main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    raise SystemExit(main())
