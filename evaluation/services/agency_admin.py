"""The agency register managed in the app (issue 12): add an agency, edit it, deactivate or reactivate it.
Admins only, audited. An inactive agency keeps its history but opens no new assessment
(`self_assessment.open_assessment`) and is left out of pickers (`agencies.list_agencies`).

`check_agency` (services/agency_checks.py) is the one validation of a register row: the agencies Excel
sheet (`bulk/agencies_sheet.py`) checks its rows with it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from evaluation.models import Agency, Assessment
from evaluation.services import audit
from evaluation.services.actors import Actor, require_role
from evaluation.services.agency_checks import category_of, check_agency, refuse
from evaluation.services.audit_fields import record_change, record_created
from evaluation.translatable import InvalidInput, NotFound
from evaluation.workflow import Role

EDITABLE = ("name", "category", "subcategory", "province", "parent_id")


@dataclass(frozen=True)
class RegisterRow:
    """One agency as the register page lists it."""

    id: int
    code: str
    name: str
    category: str
    subcategory: str | None
    province: str | None
    parent_code: str | None
    active: bool
    assessments: int


AS_STORED = ("code", "name", "category", "subcategory", "province", "active")  # RegisterRow's, as on Agency


def _register(session: Session) -> tuple[dict[str, Agency], dict[str, str | None]]:
    """Every agency by code, and code -> parent code."""
    agencies = list(session.exec(select(Agency)))
    by_id = {a.id: a.code for a in agencies}
    return {a.code: a for a in agencies}, {a.code: by_id.get(a.parent_id) for a in agencies}


def _agency(session: Session, agency_id: int) -> Agency:
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound("ew.agency_does_not_exist", agency_id=str(agency_id))
    return agency


def add_agency(
    session: Session,
    *,
    actor: Actor,
    code: str,
    name: str,
    category: str,
    subcategory: str | None = None,
    province: str | None = None,
    parent_code: str | None = None,
) -> int:
    """Add an active agency to the register; returns its id. Audited as "add_agency".

    Raises PermissionDenied for non-admins, ValueError for a code already in use or any problem
    `check_agency` finds."""
    require_role(actor, Role.ADMIN)
    code = code.strip().upper()
    stored, parents = _register(session)
    if code in stored:
        raise InvalidInput("ew.code_already_in_use", code=code)
    parent = (parent_code or "").strip().upper() or None
    values = {
        "code": code,
        "name": name.strip(),
        "category": category,
        "subcategory": (subcategory or "").strip() or None,
        "province": (province or "").strip() or None,
        "parent": parent,
    }
    refuse(check_agency(values, {**parents, code: parent}))
    agency = Agency(
        code=code,
        name=name.strip(),
        category=category_of(category) or category,
        subcategory=values["subcategory"],
        province=values["province"],
        parent_id=stored[parent].id if parent else None,
    )
    new = {k: v for k, v in values.items() if v is not None} | {"category": agency.category}
    session.add(agency)
    return record_created(session, agency, actor=actor, action="add_agency", entity="agency", new=new)


def edit_agency(
    session: Session,
    *,
    actor: Actor,
    agency_id: int,
    name: str,
    category: str,
    subcategory: str | None = None,
    province: str | None = None,
    parent_code: str | None = None,
) -> list[str]:
    """Set an agency's name, category, subcategory, province and parent (the code stays); returns the
    fields that changed, each one audit entry ("edit_agency") in one change set.

    Raises PermissionDenied for non-admins, LookupError for an unknown agency, ValueError for any problem
    `check_agency` finds (a parent cycle among them)."""
    require_role(actor, Role.ADMIN)
    agency = _agency(session, agency_id)
    stored, parents = _register(session)
    parent = (parent_code or "").strip().upper() or None
    values = {
        "code": agency.code,
        "name": name.strip(),
        "category": category,
        "subcategory": (subcategory or "").strip() or None,
        "province": (province or "").strip() or None,
        "parent": parent,
    }
    refuse(check_agency(values, {**parents, agency.code: parent}))
    wanted = {
        "name": values["name"],
        "category": category_of(category),
        "subcategory": values["subcategory"],
        "province": values["province"],
        "parent_id": stored[parent].id if parent else None,
    }
    change_set = audit.new_change_set()
    changed = [field for field in EDITABLE if getattr(agency, field) != wanted[field]]
    shown: dict[Any, str] = {a.id: a.code for a in stored.values()}
    for field in changed:
        old, new = getattr(agency, field), wanted[field]
        audit.record(
            session,
            actor=actor,
            change_set=change_set,
            action="edit_agency",
            entity="agency",
            entity_id=agency_id,
            field="parent" if field == "parent_id" else field,
            old=shown.get(old) if field == "parent_id" else old,
            new=shown.get(new) if field == "parent_id" else new,
        )
        setattr(agency, field, new)
    session.add(agency)
    session.flush()
    return changed


def set_agency_active(session: Session, *, actor: Actor, agency_id: int, active: bool) -> bool:
    """Deactivate or reactivate an agency; returns False when it already was so. Its assessments, results
    and users stay as they are. Audited as "deactivate_agency" or "reactivate_agency".

    Raises PermissionDenied for non-admins, LookupError for an unknown agency."""
    require_role(actor, Role.ADMIN)
    agency = _agency(session, agency_id)
    if agency.active == active:
        return False
    action = "reactivate_agency" if active else "deactivate_agency"
    record_change(session, agency, "active", active, actor=actor, action=action, entity="agency")
    session.flush()
    return True


def search_register(session: Session, *, actor: Actor, text: str = "") -> list[RegisterRow]:
    """The whole register (inactive agencies too), by code, narrowed to agencies whose code, name or
    province contains `text` (any case); each with its number of assessments. Admins and reviewers.
    Raises PermissionDenied for other roles."""
    require_role(actor, Role.ADMIN, Role.REVIEWER)
    counts = dict(
        session.exec(select(Assessment.agency_id, func.count()).group_by(col(Assessment.agency_id))).all()
    )
    agencies = list(session.exec(select(Agency).order_by(col(Agency.code))))
    codes = {a.id: a.code for a in agencies}
    needle = text.strip().lower()
    return [
        RegisterRow(
            id=a.id or 0,
            **{name: getattr(a, name) for name in AS_STORED},
            parent_code=codes.get(a.parent_id),
            assessments=int(counts.get(a.id or 0, 0)),
        )
        for a in agencies
        if not needle or any(needle in (v or "").lower() for v in (a.code, a.name, a.province))
    ]
