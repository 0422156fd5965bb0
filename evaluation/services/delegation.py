"""Delegation inside an agency (issue 13): units, indicators assigned to a unit or a person, who may edit
which indicator, a unit marking its indicators ready and the coordinator sending one back with a note.

Rule: an operator edits an indicator only when it is assigned to them or to their unit, unless the
assessment's `operators_edit_all` is on (the default until the coordinator first assigns an indicator; the
coordinator may turn it on again). A coordinator edits every indicator of the agency.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from evaluation.models import Assessment, IndicatorAssignment, Unit, User, utcnow
from evaluation.services import audit
from evaluation.services.actors import Actor, PermissionDenied, require_agency_access
from evaluation.services.assessment_state import (
    AgencyAssessment,
    WorkflowError,
    agency_row,
    load_assessment,
    require_agency_editor,
)
from evaluation.services.audit_fields import record_change, record_created, record_on_assessment
from evaluation.translatable import Message
from evaluation.workflow import AGENCY_ROLES, Role


def require_coordinator(actor: Actor, agency_id: int) -> None:
    """PermissionDenied unless the actor is the coordinator of this agency."""
    if actor.role != Role.COORDINATOR or actor.agency_id != agency_id:
        raise PermissionDenied("ew.perm_coordinator_delegates")


def unit_of(session: Session, actor: Actor) -> int | None:
    """The unit id of the acting user, or None."""
    if actor.user_id is None:
        return None
    user = session.get(User, actor.user_id)
    return None if user is None else user.unit_id


def assignments(session: Session, assessment_id: int) -> dict[str, IndicatorAssignment]:
    """{indicator code: assignment} of one assessment (no permission check: callers check)."""
    rows = session.exec(select(IndicatorAssignment).where(IndicatorAssignment.assessment_id == assessment_id))
    return {row.indicator_code: row for row in rows}


def editable_codes(session: Session, actor: Actor, assessment: AgencyAssessment) -> frozenset[str] | None:
    """The indicator codes this agency member may edit: None means every indicator (a coordinator, or
    operators_edit_all on); an empty set for anyone outside the agency."""
    if actor.role not in AGENCY_ROLES or actor.agency_id != assessment.agency_id:
        return frozenset()
    if actor.role == Role.COORDINATOR or assessment.operators_edit_all:
        return None
    unit_id = unit_of(session, actor)
    return frozenset(
        code
        for code, row in assignments(session, assessment.id or 0).items()
        if (row.user_id is not None and row.user_id == actor.user_id)
        or (row.unit_id is not None and row.unit_id == unit_id)
    )


def cached_editable_codes(session: Session, actor: Actor, assessment_id: int) -> frozenset[str] | None:
    """`editable_codes`, read once per session (an import plan asks once per file row)."""
    key = ("editable_codes", actor.user_id, actor.role, assessment_id)
    if key not in session.info:
        assessment = session.get(Assessment, assessment_id)
        session.info[key] = frozenset() if assessment is None else editable_codes(session, actor, assessment)
    found: frozenset[str] | None = session.info[key]
    return found


def require_indicators_editable(
    session: Session, actor: Actor, assessment: AgencyAssessment, codes: Iterable[str]
) -> None:
    """The one delegation check of every agency write on indicators (form save, Excel import, evidence):
    PermissionDenied naming the indicators assigned to neither this operator nor their unit."""
    require_agency_editor(actor, assessment)
    allowed = editable_codes(session, actor, assessment)
    if allowed is None:
        return
    refused = sorted(set(codes) - allowed)
    if refused:
        names = ", ".join(refused)
        raise PermissionDenied("ew.perm_indicators_not_yours", codes=names)


def create_unit(session: Session, *, actor: Actor, agency_id: int, name: str) -> int:
    """A new unit of the agency (coordinator or admin); returns its id. WorkflowError for a bad or
    duplicate name."""
    if actor.role != Role.ADMIN:
        require_coordinator(actor, agency_id)
    clean = " ".join((name or "").split())
    WorkflowError.check_text(clean, Message("ew.label_unit_name"), 120)
    if not clean:
        raise WorkflowError("ew.unit_name_required")
    taken = session.exec(select(Unit.id).where(Unit.agency_id == agency_id, Unit.name == clean)).first()
    if taken is not None:
        raise WorkflowError("ew.unit_already_exists", name=clean)
    unit = Unit(agency_id=agency_id, name=clean)
    new = {"agency_id": agency_id, "name": clean}
    session.add(unit)
    return record_created(session, unit, actor=actor, action="create_unit", entity="unit", new=new)


def list_units(session: Session, *, actor: Actor, agency_id: int) -> list[tuple[int, str]]:
    """[(unit id, name)] of the agency, by name; the agency's members and the ministry may read them."""
    require_agency_access(actor, agency_id)
    rows = session.exec(select(Unit).where(Unit.agency_id == agency_id).order_by(col(Unit.name)))
    return [(row.id or 0, row.name) for row in rows]


def set_user_unit(session: Session, *, actor: Actor, user_id: int, unit_id: int | None) -> None:
    """Place an agency member in one of the agency's units (or none): its coordinator or an admin."""
    user = session.get(User, user_id)
    if user is None or user.agency_id is None:
        raise WorkflowError("ew.unknown_user")
    if actor.role != Role.ADMIN:
        require_coordinator(actor, user.agency_id)
    if unit_id is not None:
        agency_row(session, Unit, unit_id, user.agency_id, "ew.unit_not_agencys")
    record_change(session, user, "unit_id", unit_id, actor=actor, action="set_unit", entity="user")


def set_operators_edit_all(session: Session, *, actor: Actor, assessment_id: int, value: bool) -> None:
    """The coordinator lets every operator edit every indicator (True) or only their assigned ones."""
    assessment, _period, _framework = load_assessment(session, assessment_id)
    require_coordinator(actor, assessment.agency_id)
    if assessment.operators_edit_all == value:
        return
    record_change(
        session,
        assessment,
        "operators_edit_all",
        value,
        actor=actor,
        action="delegation_mode",
        entity="assessment",
    )


def assign(
    session: Session,
    *,
    actor: Actor,
    assessment_id: int,
    codes: Iterable[str],
    unit_id: int | None = None,
    user_id: int | None = None,
) -> int:
    """Assign indicators to a unit and/or a person of the agency (the coordinator). The first assignment
    turns `operators_edit_all` off. Returns how many assignments changed. WorkflowError for an unknown
    indicator, a unit or user of another agency, or neither given."""
    assessment, _period, framework = load_assessment(session, assessment_id)
    require_coordinator(actor, assessment.agency_id)
    if unit_id is None and user_id is None:
        raise WorkflowError("ew.choose_unit_or_person")
    if unit_id is not None:
        agency_row(session, Unit, unit_id, assessment.agency_id, "ew.unit_not_agencys")
    if user_id is not None:
        agency_row(session, User, user_id, assessment.agency_id, "ew.person_not_in_agency")
    current = assignments(session, assessment_id)
    change_set = audit.new_change_set()
    changed = 0
    for code in codes:
        if code not in framework.indicator_by_code:
            raise WorkflowError("ew.unknown_indicator", code=code)
        row = current.get(code)
        old = None if row is None else {"unit_id": row.unit_id, "user_id": row.user_id}
        if old == {"unit_id": unit_id, "user_id": user_id}:
            continue
        if row is None:
            row = IndicatorAssignment(assessment_id=assessment_id, indicator_code=code)
        row.unit_id, row.user_id, row.status, row.updated_at = unit_id, user_id, "assigned", utcnow()
        session.add(row)
        changed += 1
        new = {"unit_id": unit_id, "user_id": user_id}
        record_on_assessment(
            session,
            assessment_id,
            f"{code}.assignment",
            actor=actor,
            action="assign",
            old=old,
            new=new,
            change_set=change_set,
        )
    if changed and assessment.operators_edit_all and not current:
        set_operators_edit_all(session, actor=actor, assessment_id=assessment_id, value=False)
    session.flush()
    return changed
