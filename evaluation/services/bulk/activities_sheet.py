"""The activities sheet (kegiatan): roadmap work per agency, matched by agency, framework and title, and
saved through the same service as the roadmap page's form."""

from __future__ import annotations

from datetime import date
from typing import Any, Unpack

from sqlmodel import Session, col, select

from evaluation.excel_io.table import Column
from evaluation.excel_io.writer import SheetSpec
from evaluation.models import ACTIVITY_STATUSES, Activity, ActivityIndicator, Agency
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.bulk.keyed_import import (
    FileOptions,
    KeyedPlan,
    PlannedRecord,
    keyed_file,
    open_keyed_plan,
    require_agencies,
    stored_limit_messages,
)
from evaluation.services.bulk.keyed_three_way import (
    name_conflicts,
    origin_of,
    vanished,
    weigh,
)
from evaluation.services.bulk.plan import known_agency, located
from evaluation.services.roadmap import save_activity
from evaluation.services.roadmap.activities import ActivityFields, activity_problems
from evaluation.translatable import Message
from evaluation.workflow import Role

SHEET = "Kegiatan"
COLUMNS = (
    Column("agency_code", "sh.agency_code", "code", required=True, width=12),
    Column("framework", "sh.framework", required=True, width=14),
    Column("title", "sh.title", required=True, width=40),
    Column("owner", "sh.owner", required=True, width=20),
    Column("starts_on", "sh.starts_on", "date", required=True, width=12),
    Column("due_on", "sh.due_on", "date", required=True, width=12),
    Column("status", "sh.status", width=12),
    Column("intended_level", "sh.intended_level", "int", width=10),
    Column("indicators", "sh.indicators", required=True, width=18, note="sh.indicators_note"),
    Column("notes", "sh.notes", width=30),
    Column("overdue", "sh.overdue", width=9),
)
STORED = {"framework": "framework_id"}  # sheet column -> stored field, where the names differ
SHEET_KEY = {name: column for column, name in STORED.items()}  # stored field -> sheet column
IDENTITY = ("agency_code", "framework", "title")
EDITABLE = ("owner", "starts_on", "due_on", "status", "intended_level", "indicators", "notes")


def activities_file(
    session: Session,
    *,
    actor: Actor,
    agency_ids: list[int] | None = None,
    **options: Unpack[FileOptions],
) -> bytes:
    """The activities the actor may see (all for the ministry, else the own agency's), only those of
    `agency_ids` when given, as `options` say (FileOptions: language, XLSX or CSV, dropdowns, the bare
    form); each row carries its origin token. Raises PermissionDenied for another agency's ids."""
    require_agencies(actor, agency_ids)
    agencies = {a.id: a.code for a in session.exec(select(Agency))}
    links: dict[int, list[str]] = {}
    for link in session.exec(select(ActivityIndicator)):
        links.setdefault(link.activity_id, []).append(link.indicator_code)
    today = date.today()
    rows = []
    query = select(Activity).order_by(col(Activity.agency_id), col(Activity.starts_on))
    for activity in [] if options.get("empty") else session.exec(query):
        if not actor.is_ministry and activity.agency_id != actor.agency_id:
            continue
        if agency_ids and activity.agency_id not in agency_ids:
            continue
        rows.append(
            {
                "agency_code": agencies.get(activity.agency_id),
                "framework": activity.framework_id,
                "title": activity.title,
                "owner": activity.owner,
                "starts_on": activity.starts_on.isoformat(),
                "due_on": activity.due_on.isoformat(),
                "status": activity.status,
                "intended_level": activity.intended_level,
                "indicators": _joined(links.get(activity.id or 0, [])),
                "notes": activity.notes,
                "overdue": "ya"
                if activity.due_on < today and activity.status not in ("done", "cancelled")
                else None,
            }
        )
    spec = SheetSpec(
        SHEET,
        COLUMNS,
        rows,
        read_only=frozenset({"overdue"}),
        choices={"status": list(ACTIVITY_STATUSES), "intended_level": [1, 2, 3, 4, 5]},
        origin_keys=EDITABLE,
        identity_keys=IDENTITY,
    )
    return keyed_file(spec, "pr.sheet_activities_instructions", **options)


def _joined(codes: list[str] | tuple[str, ...]) -> str:
    """Indicator codes as the sheet shows them and the plan compares them: sorted, unique, ", "-joined."""
    return ", ".join(sorted(set(codes)))


def _codes(text: str | None) -> list[str]:
    return [c.strip().upper() for c in (text or "").replace(";", ",").split(",") if c.strip()]


def _values(v: dict[str, Any]) -> dict[str, Any]:
    """A row's stored fields, each in the form the export shows (and stamps into the origin token)."""
    return {
        "title": v["title"],
        "owner": v["owner"],
        "starts_on": v["starts_on"],
        "due_on": v["due_on"],
        "status": (v.get("status") or "planned").strip().lower(),
        "intended_level": v.get("intended_level"),
        "notes": v.get("notes") or None,
        "indicators": _joined(_codes(v.get("indicators"))),
    }


def plan_activities_import(session: Session, *, actor: Actor, data: bytes, filename: str) -> KeyedPlan:
    """The dry run: every rule of save_activity (and of the database) checked per row, nothing written.

    Raises PermissionDenied for a role that may not plan activities; everything else is a Problem."""
    if actor.role not in tuple(Role):
        raise PermissionDenied("pr.err_unknown_role")
    plan, sheet, rows = open_keyed_plan(
        data, filename, sheet_name=SHEET, entity="activity", columns=COLUMNS, stored_name=STORED
    )
    agencies = {a.code: a.id for a in session.exec(select(Agency))}
    links: dict[int, list[str]] = {}
    for link in session.exec(select(ActivityIndicator)):
        links.setdefault(link.activity_id, []).append(link.indicator_code)
    stored = {(a.agency_id, a.framework_id, a.title): a for a in session.exec(select(Activity))}
    seen: dict[tuple[Any, ...], int] = {}
    for row, v, refuse in located(plan.problems, sheet.name, rows):
        agency_id = known_agency(agencies, v["agency_code"], refuse)
        if agency_id is None:
            continue
        if not actor.is_ministry and agency_id != actor.agency_id:
            refuse("agency_code", Message("pr.own_activities_only"))
            continue
        key = (agency_id, v["framework"].strip().lower(), v["title"])
        if key in seen:
            refuse("title", Message("pr.duplicate_activity", row=seen[key]))
            continue
        seen[key] = row.number
        values = _values(v)
        activity = ActivityFields(
            framework_id=key[1],
            title=values["title"],
            owner=values["owner"],
            starts_on=values["starts_on"],
            due_on=values["due_on"],
            indicators=_codes(values["indicators"]),
            status=values["status"],
            intended_level=values["intended_level"],
            notes=values["notes"],
        )
        found = activity_problems(session, activity) + stored_limit_messages(
            Activity, {"framework_id": key[1], "status": values["status"]}, SHEET_KEY
        )
        for name, *texts in found:  # (field, Message), or (field, Indonesian, English) from activity_problems
            refuse(SHEET_KEY.get(name, name), *texts)
        if found:
            continue
        origin, usable = origin_of(plan, row, v["agency_code"], key[1], key[2])
        if not usable or vanished(plan, row, origin, key in stored):
            continue
        existing = stored.get(key)
        old_links = {"indicators": _joined(links.get(existing.id or 0, []))} if existing else {}
        planned = PlannedRecord(row.number, key, existing, values, stored=old_links)
        planned.label = f"{v['agency_code']} · {key[2]}"
        weigh(planned, origin, values, planned.stored, {name: name for name in EDITABLE})
        plan.rows.append(planned)
    name_conflicts(session, plan)
    return plan


def write_activities(session: Session, *, actor: Actor, plan: KeyedPlan) -> None:
    """Write a `settled` activities plan in the caller's transaction: each changed row saved through
    save_activity (the form's rules)."""
    for planned in plan.rows:
        if planned.action == "unchanged":
            continue
        agency_id, framework_id, _title = planned.key
        values = {k: x for k, x in planned.values.items() if k != "indicators"}
        save_activity(
            session,
            actor=actor,
            agency_id=agency_id,
            framework_id=framework_id,
            indicators=_codes(planned.values["indicators"]),
            activity_id=getattr(planned.existing, "id", None),
            **values,
        )
