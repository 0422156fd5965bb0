"""What the keyed sheets (targets, activities, agencies) share: rows matched to stored records by a natural
key, a plan of inserts and updates with every problem located, and an application in one audited change
set. The plan makes every check the database would make (lengths, whole-number ranges, finite numbers),
so a plan without problems applies on an unchanged database; a preview passed back to the apply step
names each row that the database changed in between."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict, Unpack

from sqlalchemy import Float, Integer, String
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel

from evaluation.excel_io import provenance
from evaluation.excel_io.cells import Problem
from evaluation.excel_io.reader import Sheet, read_upload
from evaluation.excel_io.table import Column, Row, parse_table
from evaluation.excel_io.writer import SheetSpec, write_csv, write_xlsx
from evaluation.i18n import t
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.bulk.keyed_three_way import KeyedConflict, has_origin, settle
from evaluation.services.bulk.plan import ImportLog, ImportRefused, PlanSummary
from evaluation.translatable import Message

INT_RANGE = (-(2**31), 2**31 - 1)  # PostgreSQL's integer


@dataclass
class PlannedRecord:
    """One file row: `values` to write (stored field -> value), `stored` what the database held for those
    fields when planned ({} for an insert), `changes` (field, old, new) for each field that differs."""

    row: int
    key: tuple[Any, ...]
    existing: SQLModel | None
    values: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    references: dict[str, Any] = field(default_factory=dict)  # links resolved once every row is stored
    extra: dict[str, Any] = field(default_factory=dict)  # carried to the apply step, not compared
    stored: dict[str, Any] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)  # fields the file did not change: the database's stay
    conflicts: dict[str, Any] = field(default_factory=dict)  # field -> the file's value (changed on both)
    label: str = ""  # what the row is, for people

    action: str = ""  # insert, update or unchanged: decided when planned, so it outlives the session

    def __post_init__(self) -> None:
        if self.existing is None:
            self.action = "insert"
            return
        for name in self.values:
            if name not in self.stored:  # fields not on the record itself (linked rows) come filled in
                self.stored[name] = getattr(self.existing, name)
        self.refresh()

    def refresh(self) -> None:
        """Decide the action again after `values` or `stored` changed (linked values, the three-way rule)."""
        if self.existing is None:
            self.action = "insert"
            return
        changed = any(self.stored.get(name) != value for name, value in self.values.items())
        self.action = "update" if changed or self.references else "unchanged"

    @property
    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, old, new) per field the apply step would change; old is None for an insert."""
        if self.action == "unchanged":
            return []
        return [
            (name, self.stored.get(name), value)
            for name, value in self.values.items()
            if self.existing is None or self.stored.get(name) != value
        ]


@dataclass
class KeyedChange:
    """One cell the apply step writes: its row and column letter in the file, the stored field, old -> new
    (old None for a new record), and what the row is."""

    row: int
    column: str
    key: str
    label: str
    old: Any
    new: Any


@dataclass
class KeyedPlan(PlanSummary):
    """The dry run of a keyed sheet: planned rows, every problem located, conflicts (three-way rule), and
    what the preview needs (changed cells, the sheet's headers, whether the file had its origin column)."""

    entity: str
    rows: list[PlannedRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheet: str = ""
    letters: dict[str, str] = field(default_factory=dict)  # stored field -> its column letter in the file
    conflicts: list[KeyedConflict] = field(default_factory=list)
    has_origin: bool = False  # the file carries the origin column: conflicts can be detected
    rows_without_origin: int = 0  # rows with a blank origin cell (added by hand): compared two ways
    columns: dict[str, Column] = field(default_factory=dict)  # stored field -> its sheet column
    display: dict[str, dict[Any, Any]] = field(default_factory=dict)  # stored field -> {value: as shown}

    def headers(self, lang: str = "id") -> dict[str, str]:
        """Stored field -> its column's header in `lang`, to name the fields of changes and conflicts."""
        return {name: column.header(lang) for name, column in self.columns.items()}

    @property
    def kept(self) -> int:
        """Cells the file did not change where the database has moved since: left as the database has them."""
        return sum(len(planned.kept) for planned in self.rows)

    def shown(self, name: str, value: Any) -> Any:
        """A stored value as people know it (an agency's code rather than its id)."""
        return self.display.get(name, {}).get(value, value)

    def cell(self, planned: PlannedRecord, name: str) -> tuple[int, str, str, str]:
        """Where a planned row's stored field `name` stands: (row, column letter, field, the row's label)."""
        return planned.row, self.letters.get(name, ""), name, planned.label

    def changes(self) -> list[KeyedChange]:
        """Every cell the apply step writes (old -> new), in file order, for the preview."""
        return [
            KeyedChange(*self.cell(planned, name), self.shown(name, old), self.shown(name, new))
            for planned in self.rows
            for name, old, new in planned.changes
        ]


def require_agencies(actor: Actor, agency_ids: list[int] | None) -> None:
    """An export narrowed to `agency_ids`: agency users may name only their own agency (PermissionDenied)."""
    if agency_ids and not actor.is_ministry and any(a != actor.agency_id for a in agency_ids):
        raise PermissionDenied("pr.err_own_agency_only")


def stored_limit_messages(
    model: type[SQLModel], values: dict[str, Any], columns: dict[str, str] | None = None
) -> list[tuple[str, Message]]:
    """What the database would refuse in `values` (stored field -> value) for `model`'s table: text longer
    than its column, whole numbers outside PostgreSQL's integer, numbers that are not finite. Returned as
    (sheet column key, message); `columns` maps a stored field to its sheet column key."""
    table = model.__table__  # type: ignore[attr-defined]
    found: list[tuple[str, Message]] = []
    for name, value in values.items():
        if value is None or name not in table.c:
            continue
        kind = table.c[name].type
        if isinstance(kind, TypeDecorator):  # SQLModel's AutoString
            kind = kind.impl_instance
        key = (columns or {}).get(name, name)
        if isinstance(kind, String) and kind.length and isinstance(value, str) and len(value) > kind.length:
            found.append((key, Message("pr.at_most_chars", limit=kind.length)))
        elif (
            isinstance(kind, Integer) and isinstance(value, int) and not INT_RANGE[0] <= value <= INT_RANGE[1]
        ):
            found.append((key, Message("pr.number_too_large")))
        elif isinstance(kind, Float) and isinstance(value, float) and not math.isfinite(value):
            found.append((key, Message("pr.not_finite")))
    return found


def check_preview(plan: KeyedPlan, preview: KeyedPlan | None) -> None:
    """Add a problem for each row whose stored record changed (or appeared) since `preview` was made."""
    if preview is None:
        return
    before = {planned.key: planned for planned in preview.rows}
    for planned in plan.rows:
        earlier = before.get(planned.key)
        if earlier is None:
            continue
        if (earlier.existing is None) != (planned.existing is None) or earlier.stored != planned.stored:
            plan.problems.append(Problem(plan.sheet, planned.row, "", Message("pr.changed_since_preview")))


class Settlement(TypedDict, total=False):
    """What an apply call is given to settle its plan: the `preview` the user saw (a plan of the file's
    kind: a KeyedPlan for a keyed sheet), and `choices` ({spreadsheet row: "file" | "database"}, else
    `default_choice`) for rows with conflicts."""

    preview: Any
    choices: Mapping[int, str] | None
    default_choice: str | None


class FileOptions(TypedDict, total=False):
    """How a keyed sheet is exported: in `lang` (default "id"), as `fmt` "xlsx" (default) or "csv", with
    the XLSX dropdowns unless `template` is False, and with `empty` the bare form (no stored rows)."""

    lang: str
    fmt: str
    template: bool
    empty: bool


def keyed_file(spec: SheetSpec, instructions: str, **options: Unpack[FileOptions]) -> bytes:
    """The export of `spec`'s sheet: CSV, or XLSX led by the `instructions` (a message key), as `options`
    say (`empty` is the caller's: it leaves the rows out of `spec`)."""
    lang = options.get("lang", "id")
    if options.get("fmt", "xlsx") == "csv":
        return write_csv(spec, lang=lang)
    lines = [t(instructions, lang)]
    return write_xlsx([spec], lang=lang, instructions=lines, template=options.get("template", True))


def open_keyed_plan(
    data: bytes,
    filename: str,
    *,
    sheet_name: str,
    entity: str,
    columns: tuple[Column, ...],
    stored_name: Mapping[str, str],
) -> tuple[KeyedPlan, Sheet, list[Row]]:
    """The start every keyed sheet's plan shares: the upload read (UnreadableFile when it cannot be), the
    sheet named `sheet_name` (else the first), its rows parsed against `columns` and the origin column
    (their problems the plan's), the origin column noticed, and the columns and cell letters named by the
    stored field (`stored_name`: {sheet key: field} where the two differ)."""
    sheets = read_upload(data, filename)
    sheet = next((s for s in sheets if s.name == sheet_name), sheets[0])
    plan = KeyedPlan(entity=entity, sheet=sheet.name)
    plan.has_origin = has_origin(sheet)
    plan.columns = {stored_name.get(c.key, c.key): c for c in columns}
    rows, plan.problems = parse_table(sheet, (*columns, provenance.ORIGIN_COLUMN))
    if rows:
        letters = rows[0].letters
        plan.letters = {**letters, **{stored_name.get(k, k): letter for k, letter in letters.items()}}
    return plan, sheet, rows


def settled(plan: KeyedPlan, **settlement: Unpack[Settlement]) -> KeyedPlan:
    """`plan` checked against the preview and its conflicts settled (see Settlement). Raises ImportRefused
    (nothing written) when it has problems, a conflict is left unsettled or a row's record changed in the
    database since the preview."""
    check_preview(plan, settlement.get("preview"))
    settle(plan, settlement.get("choices"), settlement.get("default_choice"))
    if not plan.ok:
        raise ImportRefused(plan)
    return plan


def apply_keyed(
    session: Session, *, actor: Actor, plan: KeyedPlan, make: Callable[[dict[str, Any]], SQLModel]
) -> None:
    """Insert (a record `make(values)`) or update every planned record of a `settled` plan, in the caller's
    transaction, audited as one change set."""
    log = ImportLog(session, actor)
    for planned in plan.rows:
        action = planned.action
        if action == "unchanged":
            continue
        record = planned.existing if planned.existing is not None else make(planned.values)
        old = (
            {name: getattr(record, name) for name in planned.values} if planned.existing is not None else None
        )
        for name, value in planned.values.items():
            setattr(record, name, value)
        log.written(record, action=f"import_{action}", entity=plan.entity, old=old, new=planned.values)
