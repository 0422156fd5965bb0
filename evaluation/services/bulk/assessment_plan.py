"""Planning an assessment-sheet import (the dry run): what would change, cell by cell, decided by the
three-way rule (evaluation.excel_io.provenance) when the file carries its origin column, every conflict
with both values and who changed the database, and every problem located by sheet, row and column.
Nothing is written here; the apply step runs exactly this planning again inside its transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from evaluation.excel_io import provenance
from evaluation.excel_io.cells import Problem
from evaluation.excel_io.table import Row
from evaluation.scoring import level_bounds, level_problem
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.bulk.assessment_conflicts import name_conflicts, stale_two_way
from evaluation.services.bulk.assessment_context import (
    SCORE_FIELDS,
    STORED,
    Context,
    load_context,
    load_scores,
    stored_fields,
)
from evaluation.services.bulk.assessment_file import READ_COLUMNS, clear_read_cache, read_sheet
from evaluation.services.bulk.assessment_rows import CellChange, Conflict, ImportPlan, PlannedRow, planned_row
from evaluation.services.bulk.assessment_sheet import (
    AGENCY_COLUMNS,
    REVIEWER_COLUMNS,
)
from evaluation.services.bulk.plan import paused_gc
from evaluation.services.delegation import cached_editable_codes
from evaluation.services.self_assessment import MAX_JUSTIFICATION
from evaluation.translatable import Message
from evaluation.workflow import AGENCY_EDITABLE, AGENCY_ROLES, AssessmentStatus, Role
from indicators.schema import Framework

Progress = Callable[[float, Message], None]  # fraction done, what is being done
FIELD = {name: name for name in SCORE_FIELDS}
_NOTHING: dict[str, Any] = {}
_NO_SCORE = (None,) * len(STORED)  # no score row yet: every stored field None
__all__ = [
    "READ_COLUMNS",
    "CellChange",
    "Conflict",
    "ImportPlan",
    "PlannedRow",
    "clear_read_cache",
    "plan_assessment_import",
]


def _mode(actor: Actor) -> str:
    if actor.role in AGENCY_ROLES:
        return "agency"
    if actor.role == Role.REVIEWER:
        return "reviewer"
    raise PermissionDenied("pr.err_assessment_import_roles")


def _indicator(framework: Framework, raw: str) -> str | None:
    text = raw.strip().upper()
    if text in framework.indicator_by_code:
        return text
    digits = text[1:] if text[:1] == "I" else text
    if digits.isdigit() and int(digits) in framework.indicator_by_number:
        return framework.indicator_by_number[int(digits)].code
    return None


def plan_assessment_import(
    session: Session, *, actor: Actor, data: bytes, filename: str, progress: Progress | None = None
) -> ImportPlan:
    """The dry run: nothing is written. Every problem names sheet, row, column and reason; conflicts
    (changed in the file and in the database since the file was made) carry both values, who and when."""
    with paused_gc():
        return _plan(session, actor, data, filename, progress)


def _plan(
    session: Session, actor: Actor, data: bytes, filename: str, progress: Progress | None
) -> ImportPlan:
    report = progress or (lambda _f, _m: None)
    plan = ImportPlan(mode=_mode(actor))
    report(0.05, Message("pr.step_reading"))
    plan.sheet, plan.has_origin, rows, problems = read_sheet(data, filename)
    plan.problems = list(problems)
    report(0.35, Message("pr.step_checking"))
    context = load_context(session)
    named = {(r.values["agency_code"], r.values["year"]) for r in rows}  # rows come grouped: few pairs
    pairs = {
        (context.agencies.get(code), getattr(context.periods.get(year), "id", None)) for code, year in named
    }
    load_scores(session, context, {context.assessments[p][0] for p in pairs if p in context.assessments})
    seen: dict[tuple[int, int, str], int] = {}
    add = plan.rows.append
    for start in range(0, len(rows), 5000):
        report(0.35 + 0.6 * start / max(len(rows), 1), Message("pr.step_checking"))
        for row in rows[start : start + 5000]:
            planned = _plan_row(row, plan.sheet, actor, plan, context, seen)
            if planned is not None:
                add(planned)
    stale_two_way(session, plan)
    name_conflicts(session, plan)
    report(1.0, Message("pr.step_done"))
    return plan


def _pair(agency_code: str, year: int, actor: Actor, plan: ImportPlan, ctx: Context) -> tuple[Any, ...]:
    """What every row of one agency and year shares: (agency id, period, framework, assessment or None,
    whether the user may change it), or (column, message) when such rows are refused."""
    agency_id = ctx.agencies.get(agency_code)
    if agency_id is None:
        return ("agency_code", Message("pr.unknown_agency", code=agency_code))
    if plan.mode == "agency" and agency_id != actor.agency_id:
        return ("agency_code", Message("pr.not_your_agency", code=agency_code))
    period = ctx.periods.get(year)
    if period is None:
        return ("year", Message("pr.no_period_for_year", year=str(year)))
    found = ctx.assessments.get((agency_id, period.id))
    status = found[1] if found else None
    allowed = (
        status in AGENCY_EDITABLE or (status is None and period.status == "open")
        if plan.mode == "agency"
        else status == AssessmentStatus.IN_REVIEW
    )
    return agency_id, period, ctx.framework(period), found, allowed and period.status != "closed"


def _refuse(
    problems: list[Problem], sheet: str, row: Row, column: str, message: Message
) -> PlannedRow | None:
    """A problem of this row in the column of `column` (a key); None: the row is not planned."""
    problems.append(Problem(sheet, row.number, row.letters.get(column, ""), message))
    return None


def _plan_row(
    row: Row, sheet: str, actor: Actor, plan: ImportPlan, ctx: Context, seen: dict[tuple[int, int, str], int]
) -> PlannedRow | None:
    v = row.values
    problems = plan.problems
    where = ctx.pairs.get((v["agency_code"], v["year"]))  # rows come grouped: look each pair up once
    if where is None:
        where = ctx.pairs[(v["agency_code"], v["year"])] = _pair(
            v["agency_code"], v["year"], actor, plan, ctx
        )
    if len(where) == 2:  # (column, message): rows of this pair are refused
        return _refuse(problems, sheet, row, *where)
    agency_id, period, framework, found, writable = where
    period_id = period.id
    code = ctx.codes.get((period_id, v["indicator"]))
    if code is None:
        code = ctx.codes[(period_id, v["indicator"])] = _indicator(framework, v["indicator"]) or ""
    if not code:
        return _refuse(
            problems,
            sheet,
            row,
            "indicator",
            Message("pr.indicator_not_in", code=v["indicator"], framework=framework.id),
        )
    key = (agency_id, period_id, code)
    if key in seen:
        row_of = Message(
            "pr.duplicate_assessment_row", agency=v["agency_code"], year=str(v["year"]), code=code
        )
        return _refuse(
            problems, sheet, row, "indicator", Message("pr.duplicate_on_row", what=row_of, row=seen[key])
        )
    seen[key] = row.number
    stored = ctx.scores.get((found[0], code), _NO_SCORE) if found else _NO_SCORE
    self_level, final_level = v.get("self_level"), v.get("final_level")
    justification, note = v.get("justification") or None, v.get("reviewer_note") or None
    if (  # most rows of a returned file: as stored, nothing to check or decide (STORED's order, unrolled)
        self_level == stored[0]
        and justification == stored[1]
        and final_level == stored[2]
        and note == stored[3]
    ):
        if not writable:
            plan.skipped += 1  # nothing the user may not change was changed: not a problem
        else:
            plan.unchanged += 1  # counted, not listed: nothing of it is written or asked about
        return None
    new = {
        "self_level": self_level,
        "justification": justification,
        "final_level": final_level,
        "reviewer_note": note,
    }
    old = stored_fields(stored) if stored is not _NO_SCORE else _NOTHING
    get = old.get
    differs = [name for name in SCORE_FIELDS if new[name] != get(name)]
    origin = None
    if differs:  # only then does the rule need the row's origin and the file's values checked
        token = v.get(provenance.ORIGIN_KEY)
        if provenance.is_blank_token(token):
            plan.rows_without_origin += plan.has_origin
        else:
            identity = provenance.identity_of(v["agency_code"], v["year"], code)
            origin = provenance.parse(token, identity=identity)
            if origin is None:
                problems.append(
                    provenance.broken(sheet, row.number, row.letters.get(provenance.ORIGIN_KEY, ""))
                )
                return None
        for name in ("self_level", "final_level"):
            value = new[name]
            if value is None:
                continue
            problem = level_problem(framework, code, value)  # the scoring's rule (evaluation.scoring)
            if problem == "outside_scale":
                low, high = level_bounds(framework, code)
                return _refuse(
                    problems,
                    sheet,
                    row,
                    name,
                    Message("pr.level_outside_scale", value=value, low=low, high=high),
                )
            if problem == "not_whole":
                return _refuse(problems, sheet, row, name, Message("pr.level_not_whole", value=value))
            new[name] = float(value)
        if new["justification"] and len(new["justification"]) > MAX_JUSTIFICATION:
            return _refuse(
                problems,
                sheet,
                row,
                "justification",
                Message("pr.justification_too_long", limit=MAX_JUSTIFICATION),
            )
    editable = AGENCY_COLUMNS if plan.mode == "agency" else REVIEWER_COLUMNS
    writes: dict[str, Any] = {}
    conflicts: dict[str, Any] = {}
    kept: list[str] = []
    for name in differs:
        decision = provenance.three_way(origin, name, new[name], old.get(name))
        if decision in ("same", "keep"):
            if decision == "keep":
                kept.append(name)
            continue
        if name not in editable:
            return _refuse(problems, sheet, row, name, Message("pr.column_not_yours"))
        if decision == "take_file":
            writes[name] = new[name]
        else:
            conflicts[name] = new[name]
    if not writable:
        closed = period.status == "closed"  # read-only for everyone (services/periods.py)
        if not writes and not conflicts:  # nothing the user may not change was changed: not a problem
            plan.skipped += 1
            return None
        if closed:
            return _refuse(problems, sheet, row, "", Message("pr.period_closed", year=str(period.year)))
        if plan.mode == "agency":
            return _refuse(problems, sheet, row, "", Message("pr.agency_cannot_change"))
        return _refuse(problems, sheet, row, "", Message("pr.not_in_review"))
    if plan.mode == "agency" and found and (writes or conflicts):  # issue 13: delegation
        mine = cached_editable_codes(ctx.session, actor, found[0])
        if mine is not None and code not in mine:
            return _refuse(problems, sheet, row, "indicator", Message("pr.indicator_not_assigned", code=code))
    plan.kept += len(kept)
    return planned_row(row, where, code, old, plan.mode, writes, conflicts, tuple(kept), origin is not None)
