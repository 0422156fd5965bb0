"""What every import shares: a plan's summary, the refusal of a plan with problems, located problems."""

from __future__ import annotations

from collections.abc import Callable
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
    """A plan with problems was not applied; `plan.problems` says where and why. Nothing changed."""

    def __init__(self, plan: PlanSummary):
        self.plan = plan
        super().__init__(
            f"Impor ditolak: {len(plan.problems)} masalah; tidak ada yang berubah. / "
            f"Import refused: {len(plan.problems)} problems; nothing changed."
        )


def problem_at(problems: list[Problem], sheet: str, row: Row) -> Callable[[str, str, str], None]:
    """A function that records a problem of this row in the column of a given key."""

    def refuse(key: str, message_id: str, message_en: str) -> None:
        problems.append(Problem(sheet, row.number, row.letters.get(key, ""), message_id, message_en))

    return refuse
