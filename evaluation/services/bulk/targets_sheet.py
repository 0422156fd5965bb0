"""The roadmap targets sheet: short-, medium- and long-term targets of an agency (or national ones), with
where each stands now. Agencies import their own; the ministry any, national ones included."""

from __future__ import annotations

from typing import Any, Unpack

from sqlmodel import Session, col, select

from evaluation.excel_io.cells import Problem
from evaluation.excel_io.table import Column
from evaluation.excel_io.writer import SheetSpec
from evaluation.models import HORIZONS, TARGET_KINDS, Agency, RoadmapTarget
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.bulk.keyed_import import (
    FileOptions,
    KeyedPlan,
    PlannedRecord,
    apply_keyed,
    keyed_file,
    open_keyed_plan,
    require_agencies,
    stored_limit_messages,
)
from evaluation.services.bulk.keyed_three_way import name_conflicts, origin_of, vanished, weigh
from evaluation.services.bulk.plan import located
from evaluation.services.bulk.targets_checks import HORIZON_WORDS, target_problem, visible
from evaluation.services.results import list_periods, national_trend, period_results
from evaluation.translatable import Message
from evaluation.workflow import Role

SHEET = "Target"
COLUMNS = (
    Column("agency_code", "sh.agency_code", "code", width=12, note="sh.agency_code_note"),
    Column("framework", "sh.framework", required=True, width=14),
    Column("horizon", "sh.horizon", required=True, width=10),
    Column("target_kind", "sh.target_kind", width=10),
    Column("target_code", "sh.target_code", "code", width=10, note="sh.target_code_note"),
    Column("category", "sh.targets.category", width=14),
    Column("predicate", "sh.targets.predicate", width=14),
    Column("baseline_year", "sh.baseline_year", "int", required=True, width=10),
    Column("baseline_value", "sh.baseline_value", "number", width=10),
    Column("target_year", "sh.target_year", "int", required=True, width=10),
    Column("target_value", "sh.target_value", "number", required=True, width=10),
    Column("note", "sh.note", width=30),
    Column("current_value", "sh.current_value", "number", width=10),
    Column("achieved", "sh.achieved", width=9),
)
READ_ONLY = frozenset({"current_value", "achieved"})
STORED = {"agency_code": "agency_id", "framework": "framework_id"}  # sheet column -> stored field
IDENTITY = ("agency_code", "framework", "horizon", "target_kind", "target_code", "category", "predicate")
EDITABLE = ("baseline_year", "baseline_value", "target_year", "target_value", "note")


def _latest_values(session: Session) -> dict[tuple[int | None, str], float]:
    """The latest verified overall index per (agency or None for national, framework)."""
    latest: dict[tuple[int | None, str], float] = {}
    for period in list_periods(session):
        for result in period_results(session, period.id):
            if result.result.index_value is not None:
                latest[(result.agency_id, result.framework_id)] = result.result.index_value
    for point in national_trend(session):
        latest[(None, point.framework_id)] = point.index
    return latest


def targets_file(
    session: Session,
    *,
    actor: Actor,
    agency_ids: list[int] | None = None,
    **options: Unpack[FileOptions],
) -> bytes:
    """The live targets the actor may see (the ministry: all, national ones included; an agency: its own),
    only those of `agency_ids` when given, as `options` say (FileOptions: language, XLSX or CSV,
    dropdowns, the bare form), each row with its origin. Raises PermissionDenied for another agency's ids."""
    require_agencies(actor, agency_ids)
    codes = {a.id: a.code for a in session.exec(select(Agency))}
    latest = _latest_values(session)
    rows = []
    query = (
        select(RoadmapTarget)
        .where(col(RoadmapTarget.superseded_by).is_(None))
        .order_by(col(RoadmapTarget.id))
    )
    for target in [] if options.get("empty") else session.exec(query):
        if not visible(actor, target.agency_id) or (agency_ids and target.agency_id not in agency_ids):
            continue
        current = (
            latest.get((target.agency_id, target.framework_id)) if target.target_kind == "index" else None
        )
        rows.append(
            {
                "agency_code": codes.get(target.agency_id),
                "framework": target.framework_id,
                "horizon": target.horizon,
                "target_kind": target.target_kind,
                "target_code": target.target_code,
                "category": target.category,
                "predicate": target.predicate,
                "baseline_year": target.baseline_year,
                "baseline_value": target.baseline_value,
                "target_year": target.target_year,
                "target_value": target.target_value,
                "note": target.note,
                "current_value": current,
                "achieved": None
                if current is None
                else ("ya" if current >= target.target_value else "tidak"),
            }
        )
    spec = SheetSpec(
        SHEET,
        COLUMNS,
        rows,
        read_only=READ_ONLY,
        choices={"horizon": list(HORIZONS), "target_kind": list(TARGET_KINDS)},
        origin_keys=EDITABLE,
        identity_keys=IDENTITY,
    )
    return keyed_file(spec, "pr.sheet_targets_instructions", **options)


def plan_targets_import(session: Session, *, actor: Actor, data: bytes, filename: str) -> KeyedPlan:
    """The dry run of a targets file: every rule of save_target and of the table checked per row, the
    three-way rule where the file carries its origin column; nothing is written. Raises PermissionDenied
    for a role that may not plan targets, UnreadableFile for a file that cannot be read."""
    if actor.role not in tuple(Role):
        raise PermissionDenied("pr.err_unknown_role")
    plan, sheet, rows = open_keyed_plan(
        data, filename, sheet_name=SHEET, entity="roadmap_target", columns=COLUMNS, stored_name=STORED
    )
    agencies = {a.code: a.id for a in session.exec(select(Agency))}
    plan.display = {"agency_id": {agency_id: code for code, agency_id in agencies.items()}}
    live = {
        (t.agency_id, t.framework_id, t.horizon, t.target_kind, t.target_code, t.category, t.predicate): t
        for t in session.exec(select(RoadmapTarget).where(col(RoadmapTarget.superseded_by).is_(None)))
    }
    seen: dict[tuple[Any, ...], int] = {}
    for row, v, refuse in located(plan.problems, sheet.name, rows):
        problem = target_problem(session, actor, v, agencies)
        if problem is not None:
            refuse(*problem)
            continue
        agency_id = agencies.get(v["agency_code"]) if v.get("agency_code") else None
        kind = (v.get("target_kind") or "index").lower()
        key = (
            agency_id,
            v["framework"].lower(),
            HORIZON_WORDS[v["horizon"].strip().lower()],
            kind,
            v.get("target_code") or None,
            v.get("category") or None,
            v.get("predicate") or None,
        )
        if key in seen:
            plan.problems.append(
                Problem(sheet.name, row.number, "", Message("pr.duplicate_target", row=seen[key]))
            )
            continue
        seen[key] = row.number
        values = {
            "agency_id": key[0],
            "framework_id": key[1],
            "horizon": key[2],
            "target_kind": key[3],
            "target_code": key[4],
            "category": key[5],
            "predicate": key[6],
            "baseline_year": v["baseline_year"],
            "baseline_value": v.get("baseline_value"),
            "target_year": v["target_year"],
            "target_value": v["target_value"],
            "note": v.get("note") or None,
        }
        limits = stored_limit_messages(RoadmapTarget, values, {v: k for k, v in STORED.items()})
        for found in limits:
            refuse(*found)
        if limits:
            continue
        origin, usable = origin_of(plan, row, v.get("agency_code"), *key[1:])
        if usable and not vanished(plan, row, origin, key in live):
            planned = PlannedRecord(row.number, key, live.get(key), values)
            planned.label = " · ".join(
                str(part) for part in (v.get("agency_code") or "nasional", *key[1:]) if part
            )
            weigh(planned, origin, values, planned.stored, {name: name for name in EDITABLE})
            plan.rows.append(planned)
    name_conflicts(session, plan)
    return plan


def write_targets(session: Session, *, actor: Actor, plan: KeyedPlan) -> None:
    """Write a `settled` targets plan in the caller's transaction: each new target created by the actor."""
    creator = actor.user_id
    apply_keyed(session, actor=actor, plan=plan, make=lambda v: RoadmapTarget(**v, created_by=creator))
