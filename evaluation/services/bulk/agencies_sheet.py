"""The agencies sheet: the register of instansi (code, name, category, province, parent), admin only."""

from __future__ import annotations

from typing import Unpack

from sqlmodel import Session, col, select

from evaluation.excel_io.table import Column
from evaluation.excel_io.writer import SheetSpec
from evaluation.models import AGENCY_CATEGORIES, Agency
from evaluation.services.actors import Actor, require_role
from evaluation.services.agency_checks import category_of, check_agency
from evaluation.services.bulk import keyed_import as keyed
from evaluation.services.bulk.keyed_three_way import name_conflicts, origin_of, vanished, weigh
from evaluation.services.bulk.plan import located
from evaluation.translatable import Message
from evaluation.workflow import Role

SHEET = "Instansi"
YES, NO = "ya", "tidak"
EDITABLE = ("name", "category", "subcategory", "province", "parent", "active")
STORED = {"parent": "parent_id"}  # sheet column -> stored field, where the names differ
COLUMNS = (
    Column("code", "sh.agency_code", "code", required=True, width=12),
    Column("name", "sh.agency_name", required=True, width=40),
    Column("category", "sh.category", required=True, width=14),
    Column("subcategory", "sh.subcategory", width=24),
    Column("province", "sh.province", width=20),
    Column("parent", "sh.parent", "code", width=12, note="sh.parent_note"),
    Column("active", "sh.active", width=8),
)


def agencies_file(session: Session, *, actor: Actor, **options: Unpack[keyed.FileOptions]) -> bytes:
    """The agency register (admins and reviewers) as `options` say (FileOptions: language, XLSX or CSV,
    dropdowns, the bare form), each row with its origin token. Raises PermissionDenied for other roles."""
    require_role(actor, Role.ADMIN, Role.REVIEWER)
    agencies = list(session.exec(select(Agency).order_by(col(Agency.code))))
    codes = {a.id: a.code for a in agencies}
    rows = [
        {
            "code": a.code,
            "name": a.name,
            "category": a.category,
            "subcategory": a.subcategory,
            "province": a.province,
            "parent": codes.get(a.parent_id),
            "active": YES if a.active else NO,
        }
        for a in ([] if options.get("empty") else agencies)
    ]
    spec = SheetSpec(
        SHEET,
        COLUMNS,
        rows,
        choices={"category": list(AGENCY_CATEGORIES), "active": [YES, NO]},
        origin_keys=EDITABLE,
        identity_keys=("code",),
    )
    return keyed.keyed_file(spec, "pr.sheet_agencies_instructions", **options)


def plan_agencies_import(session: Session, *, actor: Actor, data: bytes, filename: str) -> keyed.KeyedPlan:
    """The dry run of an agencies file (admins): codes, categories, parents and the table's limits checked
    per row, the three-way rule where the file carries its origin column; nothing is written. Raises
    PermissionDenied for other roles."""
    require_role(actor, Role.ADMIN)
    plan, sheet, rows = keyed.open_keyed_plan(
        data, filename, sheet_name=SHEET, entity="agency", columns=COLUMNS, stored_name=STORED
    )
    stored = {a.code: a for a in session.exec(select(Agency))}
    codes = {a.id: a.code for a in stored.values()}
    plan.display = {"parent_id": codes}
    parents = {a.code: codes.get(a.parent_id) for a in stored.values()}
    parents |= {r.values["code"]: r.values.get("parent") or None for r in rows}  # the register after it
    seen: dict[str, int] = {}
    for row, v, refuse in located(plan.problems, sheet.name, rows):
        if v["code"] in seen:
            refuse("code", Message("pr.duplicate_code", row=seen[v["code"]]))
            continue
        seen[v["code"]] = row.number
        problems = check_agency(v, parents)  # the same checks as the register page (agency_admin)
        for found in problems:
            refuse(*found)
        if problems:
            continue
        category = category_of(v["category"])
        parent = v.get("parent")
        active = (v.get("active") or YES).strip().lower()
        if active not in (YES, NO, "yes", "no", "1", "0"):
            refuse("active", Message("pr.yes_or_no"))
            continue
        values = {
            "code": v["code"],
            "name": v["name"],
            "category": category,
            "subcategory": v.get("subcategory") or None,
            "province": v.get("province") or None,
            "active": active in (YES, "yes", "1"),
        }
        origin, usable = origin_of(plan, row, v["code"])
        if not usable or vanished(plan, row, origin, v["code"] in stored):
            continue
        references = {}
        if parent in stored:
            values["parent_id"] = stored[parent].id
        elif parent:
            references["parent"] = parent  # a parent that this file itself adds
        else:
            values["parent_id"] = None
        existing = stored.get(v["code"])
        before = {"parent_id": existing.parent_id} if existing else {}
        planned = keyed.PlannedRecord(
            row.number, (v["code"],), existing, values, references=references, stored=before
        )
        planned.label = f"{v['code']} · {v['name']}"
        if existing is not None:
            fields = {k: k for k in EDITABLE if k not in ("parent", "active")} | {"active": "active"}
            if not references:  # a parent the file itself adds is the file's change
                fields["parent"] = "parent_id"
            file_form = {**values, "parent": parent or None, "active": YES if values["active"] else NO}
            db_form = {
                **{k: getattr(existing, k) for k in ("name", "category", "subcategory", "province")},
                "parent": codes.get(existing.parent_id),
                "active": YES if existing.active else NO,
            }
            weigh(planned, origin, file_form, db_form, fields)
        plan.rows.append(planned)
    name_conflicts(session, plan)
    return plan


def write_agencies(session: Session, *, actor: Actor, plan: keyed.KeyedPlan) -> None:
    """Write a `settled` agencies plan in the caller's transaction, then link the parents the file itself
    adds."""
    keyed.apply_keyed(session, actor=actor, plan=plan, make=lambda values: Agency(**values))
    for planned in plan.rows:
        if "parent" in planned.references:
            parent = session.exec(select(Agency).where(Agency.code == planned.references["parent"])).one()
            agency = session.exec(select(Agency).where(Agency.code == planned.key[0])).one()
            agency.parent_id = parent.id
            session.add(agency)
