"""What every import shares: a plan's summary, the refusal of a plan with problems, located problems."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from evaluation.excel_io.cells import Problem
from evaluation.excel_io.table import Row
from evaluation.services import audit
from evaluation.services.actors import Actor
from evaluation.translatable import Message, Translatable


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


class ImportRefused(Translatable, ValueError):
    """A plan with problems was not applied; `plan.problems` says where and why. Nothing changed.

    The message lists the problems too (sheet!cell: reason, the first `SHOWN` of them, then how many more),
    in the reader's language (`message(lang)`)."""

    SHOWN = 20

    def __init__(self, plan: PlanSummary):
        self.plan = plan
        super().__init__("pr.import_refused", count=len(plan.problems), listed="", more="")

    def message(self, lang: str) -> str:
        return refusal_text(self.plan.problems, self.SHOWN, lang)


def refusal_text(problems: list[Problem], shown: int = 20, lang: str = "id") -> str:
    """'Impor ditolak ... (2 masalah): Penilaian!F5: reason; ...' in `lang`."""
    count = len(problems)
    listed = "; ".join(p.text(lang) for p in problems[:shown])
    more = Message("pr.and_more", count=count - shown) if count > shown else ""
    return Message("pr.import_refused", count=count, listed=listed, more=more).render(lang)


def problem_at(problems: list[Problem], sheet: str, row: Row) -> Callable[..., None]:
    """A function that records a problem of this row in the column of a given key:
    `refuse(key, Message(...))`."""

    def refuse(key: str, message: Message) -> None:
        problems.append(Problem(sheet, row.number, row.letters.get(key, ""), message))

    return refuse


def located(
    problems: list[Problem], sheet: str, rows: Iterable[Row]
) -> Iterator[tuple[Row, dict[str, Any], Callable[..., None]]]:
    """A plan's loop over its rows: each row with its values and its `refuse` (see problem_at)."""
    for row in rows:
        yield row, row.values, problem_at(problems, sheet, row)


def known_agency(agencies: Mapping[str, int | None], code: str, refuse: Callable[..., None]) -> int | None:
    """The id of the agency `code` names, or None after refusing the row's agency code
    ("pr.unknown_agency")."""
    agency_id = agencies.get(code)
    if agency_id is None:
        refuse("agency_code", Message("pr.unknown_agency", code=code))
    return agency_id


def unsettled(
    problems: list[Problem], sheet: str, row: int, letters: Mapping[str, str], names: Iterable[str]
) -> None:
    """A problem ("pr.conflict_unsettled") for each cell `names` of a row whose conflict was settled
    neither way."""
    problems.extend(
        Problem(sheet, row, letters.get(name, ""), Message("pr.conflict_unsettled")) for name in names
    )


@dataclass
class ImportLog:
    """The audit log of one import, in the caller's transaction: every row it writes logged under one
    change set."""

    session: Session
    actor: Actor
    change_set: str = field(default_factory=audit.new_change_set)

    def written(self, row: Any, *, action: str, entity: str, old: Any, new: Any) -> None:
        """Add `row` (a table row, new or changed), flush it (so that it has its id) and log it as one entry
        on `entity` with `old` (None for an insert) and `new`."""
        self.session.add(row)
        self.session.flush()
        audit.record(
            self.session,
            entity,
            row.id,
            actor=self.actor,
            change_set=self.change_set,
            action=action,
            old=old,
            new=new,
        )


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
