"""What every import shares: a plan's summary, the refusal of a plan with problems, located problems."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from evaluation.excel_io.cells import Problem
from evaluation.excel_io.table import Row


class PlanSummary:
    """Mixed into each plan (a dataclass with `rows`, each having an `action`, and `problems`)."""

    rows: list[Any]
    problems: list[Problem]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"insert": 0, "update": 0, "unchanged": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def ok(self) -> bool:
        return not self.problems


class ImportRefused(ValueError):
    """A plan with problems was not applied; `plan.problems` says where and why. Nothing changed.

    The message lists the problems too (sheet!cell: reason, the first `SHOWN` of them, then how many more),
    in the house's "Indonesian. / English." form."""

    SHOWN = 20

    def __init__(self, plan: PlanSummary):
        self.plan = plan
        super().__init__(refusal_text(plan.problems, self.SHOWN))


def refusal_text(problems: list[Problem], shown: int = 20) -> str:
    """'Impor ditolak ... : Penilaian!F5: reason; ... . / Import refused ... : Penilaian!F5: reason; ...'"""
    count = len(problems)
    listed_id = "; ".join(p.text("id") for p in problems[:shown])
    listed_en = "; ".join(p.text("en") for p in problems[:shown])
    more_id = f"; dan {count - shown} lagi" if count > shown else ""
    more_en = f"; and {count - shown} more" if count > shown else ""
    return (
        f"Impor ditolak, tidak ada yang berubah ({count} masalah): {listed_id}{more_id}. / "
        f"Import refused, nothing changed ({count} problems): {listed_en}{more_en}."
    )


def problem_at(problems: list[Problem], sheet: str, row: Row) -> Callable[[str, str, str], None]:
    """A function that records a problem of this row in the column of a given key."""

    def refuse(key: str, message_id: str, message_en: str) -> None:
        problems.append(Problem(sheet, row.number, row.letters.get(key, ""), message_id, message_en))

    return refuse


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector paused for a bulk import's planning and writing (objects are still
    freed by reference counting; cycles wait until the end). A national file allocates hundreds of
    thousands of small objects, and each collection walks every one alive: ~40% of a dry run's own time
    (measured: `python -m bench excel`). Restores the collector's previous state; nests."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
