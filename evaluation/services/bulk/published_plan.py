"""The published-results import's plan: one row per agency and year, what the database held for it when
planned, and the changed values for the preview."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evaluation.excel_io.cells import Problem
from evaluation.excel_io.table import Column
from evaluation.services.bulk.keyed_import import KeyedChange
from evaluation.services.bulk.plan import PlanSummary
from evaluation.translatable import Message
from indicators.schema import Framework

SHEET = "Hasil"


@dataclass
class PlannedResult:
    """One file row: the group values, published index, predicate and source to store for an agency and
    year, and what the database held for them when planned (`stored`)."""

    row: int
    agency_id: int
    year: int
    framework: Framework
    version_id: int
    kind: str
    values: dict[str, float]
    index: float | None
    predicate: str | None
    source: str | None
    existing_id: int | None
    action: str  # insert, update, unchanged
    warnings: list[Message] = field(default_factory=list)  # published vs. recomputed
    stored: dict[str, Any] = field(default_factory=dict)  # what the database held when planned
    label: str = ""  # what the row is, for people: "KOTA-001 · 2024"

    @property
    def new(self) -> dict[str, Any]:
        """The values the apply step stores, keyed as the sheet's columns."""
        return {**self.values, "index": self.index, "predicate": self.predicate, "source": self.source}

    @property
    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, old, new) per value the apply step would change."""
        if self.action == "unchanged":
            return []
        fields = dict.fromkeys([*self.stored, *self.new])
        return [
            (k, self.stored.get(k), self.new.get(k)) for k in fields if self.stored.get(k) != self.new.get(k)
        ]


@dataclass
class PublishedPlan(PlanSummary):
    """The dry run of a published-results file. It has no origin column (the sheet is only offered as an
    empty form), so conflicts cannot be detected: `has_origin` False, `conflicts` always empty."""

    rows: list[PlannedResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheet: str = SHEET
    letters: dict[str, str] = field(default_factory=dict)
    conflicts: list[Any] = field(default_factory=list)
    has_origin: bool = False
    rows_without_origin: int = 0
    kept: int = 0
    columns: dict[str, Column] = field(default_factory=dict)  # value key -> its sheet column

    def headers(self, lang: str = "id") -> dict[str, str]:
        """Value key (D1, index, source ...) -> its column's header in `lang`."""
        return {name: column.header(lang) for name, column in self.columns.items()}

    def changes(self) -> list[KeyedChange]:
        """Every value the apply step writes (old -> new), in file order, for the preview."""
        return [
            KeyedChange(planned.row, self.letters.get(name, ""), name, planned.label, old, new)
            for planned in self.rows
            for name, old, new in planned.changes
        ]
