"""Index history across the years: every agency's index per year (assessed periods and published results
on one line), national and category means, and admin-defined crosswalks that map one framework's values
onto another's scale. Without a crosswalk, a framework change is a break, never a join."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session, col, select

from evaluation.models import Crosswalk
from evaluation.services import audit
from evaluation.services.actors import Actor, require_role
from evaluation.services.audit_fields import record_change, record_created
from evaluation.services.frameworks import latest_version
from evaluation.services.results import AgencyResult, list_periods, period_results, published_results
from evaluation.translatable import Message, Translatable
from evaluation.workflow import Role

HISTORY_COLUMNS = [
    "agency_id", "name", "category", "province", "year", "framework_id", "index", "source", "mapped",
]  # fmt: skip
LINE_COLUMNS = ["series", "year", "framework_id", "index", "agencies", "source", "mapped"]


class CrosswalkError(Translatable, ValueError):
    """A crosswalk that cannot be defined; a message id says why, rendered in the reader's language."""


@dataclass(frozen=True)
class CrosswalkInfo:
    id: int
    from_framework_id: str
    to_framework_id: str
    factor: float
    offset: float
    basis: str

    def map(self, value: float) -> float:
        return map_value(value, self.factor, self.offset)


def map_value(value: float, factor: float, offset: float) -> float:
    """`offset + factor x value`, kept on the 1-5 scale."""
    return min(5.0, max(1.0, offset + factor * value))


def index_history(session: Session, *, actor: Actor) -> pd.DataFrame:
    """One row per agency and year with a complete index: final levels of assessed periods, and published
    results (the Excel import) for years without verified results (as the home page's national trend).
    Columns HISTORY_COLUMNS, sorted by year and agency id. Built column by column: ~35,000 rows at 10x."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    columns: dict[str, list[object]] = {name: [] for name in HISTORY_COLUMNS}
    assessed_years: set[int] = set()  # as `national_trend`: a year with verified results ignores published
    for period in list_periods(session):
        if period.is_programme:  # a programme's results are not the official index (home: programme view)
            continue
        _add_rows(columns, period_results(session, period.id), "final", assessed_years)
    published = [r for r in published_results(session) if r.year not in assessed_years]
    _add_rows(columns, published, "published", set())
    frame = pd.DataFrame(columns, columns=HISTORY_COLUMNS)
    return frame.sort_values(["year", "agency_id"]).reset_index(drop=True)


def _add_rows(
    columns: dict[str, list[object]], results: list[AgencyResult], source: str, years: set[int]
) -> None:
    """Append the results with a complete index to `columns` (HISTORY_COLUMNS) and their years to `years`."""
    complete = [(r, float(r.result.index)) for r in results if r.result.index is not None]
    if not complete:
        return
    years.update(r.year for r, _ in complete)
    columns["agency_id"] += [r.agency_id for r, _ in complete]
    columns["name"] += [r.agency_name for r, _ in complete]
    columns["category"] += [r.category for r, _ in complete]
    columns["province"] += [r.province for r, _ in complete]
    columns["year"] += [r.year for r, _ in complete]
    columns["framework_id"] += [r.framework_id for r, _ in complete]
    columns["index"] += [value for _, value in complete]
    columns["source"] += [source] * len(complete)
    columns["mapped"] += [False] * len(complete)


def mean_lines(history: pd.DataFrame, *, by: str | None = None, label: str = "") -> pd.DataFrame:
    """The plain mean index per year and framework: one series (`label`) or one per value of `by`. Rows
    mapped through a crosswalk (`with_crosswalks` on the history) form their own mapped points, so a mapped
    mean is the mean of the agencies' mapped values."""
    if history.empty:
        return pd.DataFrame(columns=LINE_COLUMNS)
    if "mapped" not in history.columns:
        history = history.assign(mapped=False)
    keys = ["year", "framework_id", "mapped"] if by is None else [by, "year", "framework_id", "mapped"]
    grouped = history.groupby(keys, sort=True)
    lines = grouped.agg(index=("index", "mean"), agencies=("agency_id", "nunique")).reset_index()
    lines["source"] = grouped["source"].agg(_source_of).to_numpy()
    lines["series"] = label if by is None else lines[by].astype(str)
    lines["mapped"] = lines["mapped"].astype(bool)
    return lines[LINE_COLUMNS]


def agency_line(history: pd.DataFrame, agency_id: int, label: str) -> pd.DataFrame:
    part = history[history["agency_id"] == agency_id]
    lines = part.assign(series=label, agencies=1)
    if "mapped" not in lines.columns:
        lines = lines.assign(mapped=False)
    return lines[LINE_COLUMNS].reset_index(drop=True)


def _source_of(sources: pd.Series) -> str:
    kinds = set(sources)
    return kinds.pop() if len(kinds) == 1 else "mixed"


def with_crosswalks(lines: pd.DataFrame, crosswalks: list[CrosswalkInfo]) -> pd.DataFrame:
    """Add, for every row on a framework a crosswalk starts from, the same row mapped onto the target
    framework's scale (marked `mapped`); the originals stay as they are. Works on the history (map each
    agency, then take means: the page does this) as on lines (columns framework_id, index, mapped)."""
    extra = []
    for crosswalk in crosswalks:
        part = lines[(lines["framework_id"] == crosswalk.from_framework_id) & ~lines["mapped"]]
        if part.empty:
            continue
        mapped = part.assign(
            index=part["index"].map(crosswalk.map), framework_id=crosswalk.to_framework_id, mapped=True
        )
        extra.append(mapped)
    if not extra:
        return lines
    return pd.concat([lines, *extra], ignore_index=True)


def active_crosswalks(session: Session) -> list[CrosswalkInfo]:
    rows = session.exec(select(Crosswalk).where(col(Crosswalk.active)).order_by(col(Crosswalk.id)))
    return [
        CrosswalkInfo(c.id or 0, c.from_framework_id, c.to_framework_id, c.factor, c.offset, c.basis)
        for c in rows
    ]


def define_crosswalk(
    session: Session,
    *,
    actor: Actor,
    from_framework_id: str,
    to_framework_id: str,
    factor: float,
    offset: float,
    basis: str,
) -> int:
    """Define (or replace) the crosswalk from one framework to another. Admin only, audited."""
    require_role(actor, Role.ADMIN)
    problems: list[Message] = []
    for framework_id in (from_framework_id, to_framework_id):
        if latest_version(session, framework_id) is None:
            problems.append(Message("ea.crosswalk_framework_unknown", framework=framework_id))
    if from_framework_id == to_framework_id:
        problems.append(Message("ea.crosswalk_same_framework"))
    if not math.isfinite(factor) or factor <= 0:
        problems.append(Message("ea.crosswalk_factor"))
    if not math.isfinite(offset):
        problems.append(Message("ea.crosswalk_offset"))
    if not basis.strip():
        problems.append(Message("ea.crosswalk_basis"))
    if problems:
        raise CrosswalkError("ea.crosswalk_refused", reasons=problems)
    change_set = audit.new_change_set()
    for old in session.exec(
        select(Crosswalk).where(
            col(Crosswalk.active),
            Crosswalk.from_framework_id == from_framework_id,
            Crosswalk.to_framework_id == to_framework_id,
        )
    ):
        record_change(
            session,
            old,
            "active",
            False,
            actor=actor,
            action="withdraw",
            entity="crosswalk",
            change_set=change_set,
        )
    crosswalk = Crosswalk(
        from_framework_id=from_framework_id,
        to_framework_id=to_framework_id,
        factor=float(factor),
        offset=float(offset),
        basis=basis.strip(),
        created_by=actor.user_id,
    )
    new = {
        "from": from_framework_id,
        "to": to_framework_id,
        "factor": factor,
        "offset": offset,
        "basis": crosswalk.basis,
    }
    session.add(crosswalk)
    return record_created(
        session, crosswalk, actor=actor, action="create", entity="crosswalk", new=new, change_set=change_set
    )


def withdraw_crosswalk(session: Session, *, actor: Actor, crosswalk_id: int) -> None:
    """Stop using a crosswalk; the framework change shows as a break again. Admin only, audited."""
    require_role(actor, Role.ADMIN)
    crosswalk = session.get(Crosswalk, crosswalk_id)
    if crosswalk is None or not crosswalk.active:
        raise CrosswalkError("ea.crosswalk_missing", crosswalk_id=str(crosswalk_id))
    record_change(session, crosswalk, "active", False, actor=actor, action="withdraw", entity="crosswalk")
