"""The agency register managed in the app (issue 12): add an agency, edit it, deactivate or reactivate it.
Admins only, audited. An inactive agency keeps its history but opens no new assessment
(`self_assessment.open_assessment`) and is left out of pickers (`agencies.list_agencies`).

`check_agency` is the one validation of a register row: the agencies Excel sheet
(`bulk/agencies_sheet.py`) checks its rows with it too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from evaluation.i18n import t
from evaluation.models import AGENCY_CATEGORIES, Agency, Assessment
from evaluation.services import audit
from evaluation.services.actors import Actor, require_role
from evaluation.services.bulk.keyed_import import stored_limit_messages
from evaluation.translatable import InvalidInput, Message, NotFound
from evaluation.workflow import Role

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._-]*$")
EDITABLE = ("name", "category", "subcategory", "province", "parent_id")
Problem = tuple[str, Message]  # (field, why): the import's refuse() takes the same
_FIELD_NAMES = {
    "code": Message("ea.agency_field_code"),
    "name": Message("ea.agency_field_name"),
    "category": Message("ea.agency_field_category"),
    "subcategory": Message("ea.agency_field_subcategory"),
    "province": Message("ea.agency_field_province"),
    "parent": Message("ea.agency_field_parent"),
}


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


def category_of(text: str | None) -> str | None:
    """The register's spelling of a category typed in any case, or None when it is not one."""
    return {c.lower(): c for c in AGENCY_CATEGORIES}.get((text or "").strip().lower())


def check_agency(values: Mapping[str, Any], parents: Mapping[str, str | None]) -> list[Problem]:
    """What is wrong with one register row; empty when it may be stored.

    `values`: code, name, category (as typed), subcategory, province, parent (a code or None).
    `parents`: every agency code the register will hold (stored ones and, for an import, the file's) ->
    its parent code, with this row's own entry as it would become. Checks: a code of letters, digits,
    '.', '_' or '-'; a name; a known category; a parent that exists, is not the agency itself and does not
    make a cycle; the table's text limits."""
    problems: list[Problem] = []
    code = str(values.get("code") or "").strip().upper()
    if not CODE_PATTERN.match(code):
        problems.append(("code", Message("ea.agency_code_format", code=code)))
    if not str(values.get("name") or "").strip():
        problems.append(("name", Message("ea.agency_name_required")))
    if category_of(values.get("category")) is None:
        typed = values.get("category") or ""
        problems.append(
            ("category", Message("ea.agency_unknown_category", category=typed, known=AGENCY_CATEGORIES))
        )
    parent = (values.get("parent") or "").strip().upper() or None
    if parent is not None:
        if parent == code:
            problems.append(("parent", Message("ea.agency_own_parent")))
        elif parent not in parents:
            problems.append(("parent", Message("ea.agency_unknown_parent", parent=parent)))
        elif _reaches(parents, parent, code):
            problems.append(("parent", Message("ea.agency_parent_cycle", parent=parent, code=code)))
    limited = {k: values.get(k) for k in ("code", "name", "subcategory", "province") if values.get(k)}
    problems.extend(stored_limit_messages(Agency, limited))
    return problems


def _reaches(parents: Mapping[str, str | None], start: str, target: str) -> bool:
    """Whether walking up from `start` through `parents` meets `target` (a cycle if `target` is the child)."""
    seen: set[str] = set()
    node: str | None = start
    while node is not None and node not in seen:
        if node == target:
            return True
        seen.add(node)
        node = parents.get(node)
    return False


class _ProblemSentence(Message):
    """Every problem of a register row as one sentence in the reader's language: "Kode: ...; induk: ..."."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("ea.agency_problem", problems=tuple(problems))

    def render(self, lang: str) -> str:
        parts = [
            t("ea.agency_problem", lang, field=_FIELD_NAMES[f].render(lang), why=why.render(lang))
            for f, why in self.params["problems"]
        ]
        text = "; ".join(parts)
        return text[:1].upper() + text[1:] + "."


def _refuse(problems: list[Problem]) -> None:
    """Raise InvalidInput (a ValueError) naming every problem in one sentence."""
    if problems:
        raise InvalidInput("ew.agency_refused", problems=_ProblemSentence(problems))


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
    _refuse(check_agency(values, {**parents, code: parent}))
    agency = Agency(
        code=code,
        name=name.strip(),
        category=category_of(category) or category,
        subcategory=values["subcategory"],
        province=values["province"],
        parent_id=stored[parent].id if parent else None,
    )
    session.add(agency)
    session.flush()
    audit.record(
        session,
        actor=actor,
        change_set=audit.new_change_set(),
        action="add_agency",
        entity="agency",
        entity_id=agency.id,
        new={k: v for k, v in values.items() if v is not None} | {"category": agency.category},
    )
    return int(agency.id or 0)


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
    _refuse(check_agency(values, {**parents, agency.code: parent}))
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
    audit.record(
        session,
        actor=actor,
        change_set=audit.new_change_set(),
        action="reactivate_agency" if active else "deactivate_agency",
        entity="agency",
        entity_id=agency_id,
        field="active",
        old=agency.active,
        new=active,
    )
    agency.active = active
    session.add(agency)
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
            code=a.code,
            name=a.name,
            category=a.category,
            subcategory=a.subcategory,
            province=a.province,
            parent_code=codes.get(a.parent_id),
            active=a.active,
            assessments=int(counts.get(a.id or 0, 0)),
        )
        for a in agencies
        if not needle or any(needle in (v or "").lower() for v in (a.code, a.name, a.province))
    ]
