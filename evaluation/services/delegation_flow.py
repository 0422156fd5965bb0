"""A unit's work on its assigned indicators (issue 13): marked ready by the unit, sent back by the
coordinator with a note, and the progress per unit and per person (filled, with evidence, ready,
returned) shown on the assessment page and exported."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from evaluation.models import IndicatorScore, ScoreEvidence, Unit, User, utcnow
from evaluation.services.actors import Actor, require_agency_access
from evaluation.services.assessment_state import WorkflowError, assessment_agency, load_assessment
from evaluation.services.audit_fields import record_on_assessment
from evaluation.services.delegation import assignments, require_coordinator, require_indicators_editable
from evaluation.translatable import Message
from evaluation.workflow import AGENCY_EDITABLE

EDITABLE = AGENCY_EDITABLE  # draft, returned (evaluation/workflow.py)


@dataclass(frozen=True)
class Progress:
    """One unit's or person's share of an assessment: counts of its assigned indicators."""

    kind: str  # "unit" or "person"
    name: str
    assigned: int
    filled: int
    with_evidence: int
    ready: int
    returned: int


def _set_status(
    session: Session, actor: Actor, assessment_id: int, code: str, status: str, note: str | None
) -> None:
    row = assignments(session, assessment_id).get(code)
    if row is None:
        raise WorkflowError("ew.not_assigned", code=code)
    old = {"status": row.status, "note": row.note}
    row.status, row.note, row.updated_at = status, note, utcnow()
    session.add(row)
    new = {"status": status, "note": note}
    field, action = f"{code}.assignment_status", f"assignment_{status}"
    record_on_assessment(session, assessment_id, field, actor=actor, action=action, old=old, new=new)


def mark_ready(session: Session, *, actor: Actor, assessment_id: int, codes: Iterable[str]) -> None:
    """The unit (an operator it is assigned to, or the coordinator) marks its indicators ready for review
    by the coordinator. PermissionDenied for indicators not theirs; WorkflowError if not assigned or the
    assessment is no longer editable."""
    assessment, _period, _framework = load_assessment(session, assessment_id)
    codes = list(codes)
    require_indicators_editable(session, actor, assessment, codes)
    if assessment.status not in EDITABLE:
        raise WorkflowError("ew.assessment_submitted")
    for code in codes:
        _set_status(session, actor, assessment_id, code, "ready", None)


def send_back(session: Session, *, actor: Actor, assessment_id: int, code: str, note: str) -> None:
    """The coordinator returns one indicator to its unit with a note (required, plain text)."""
    assessment, _period, _framework = load_assessment(session, assessment_id)
    require_coordinator(actor, assessment.agency_id)
    if assessment.status not in EDITABLE:
        raise WorkflowError("ew.assessment_submitted")
    clean = (note or "").strip()
    WorkflowError.check_text(clean, Message("ew.label_note"), 2000, multiline=True)
    if not clean:
        raise WorkflowError("ew.note_required")
    _set_status(session, actor, assessment_id, code, "returned", clean)


def progress(session: Session, *, actor: Actor, assessment_id: int) -> list[Progress]:
    """Progress per unit, then per person, of the assigned indicators; the agency and the ministry read."""
    agency_id = assessment_agency(session, assessment_id)
    require_agency_access(actor, agency_id)
    held = assignments(session, assessment_id)
    connection = session.connection()
    query = sa_select(
        col(IndicatorScore.indicator_code),
        col(IndicatorScore.id),
        col(IndicatorScore.self_level).is_not(None) | col(IndicatorScore.not_applicable),
    ).where(col(IndicatorScore.assessment_id) == assessment_id)
    scores = {code: (score_id, bool(filled)) for code, score_id, filled in connection.execute(query)}
    evidenced = set(
        connection.execute(
            sa_select(col(ScoreEvidence.score_id)).where(
                col(ScoreEvidence.score_id).in_([score_id for score_id, _ in scores.values()])
            )
        ).scalars()
    )
    units, people = _names(session, agency_id)
    groups: dict[tuple[str, str], list[str]] = {}
    for code, row in sorted(held.items()):
        if row.unit_id is not None:
            groups.setdefault(("unit", units.get(row.unit_id, "?")), []).append(code)
        if row.user_id is not None:
            groups.setdefault(("person", people.get(row.user_id, "?")), []).append(code)
    result = []
    for (kind, name), codes in sorted(groups.items()):
        filled = [c for c in codes if c in scores and scores[c][1]]
        result.append(
            Progress(
                kind=kind,
                name=name,
                assigned=len(codes),
                filled=len(filled),
                with_evidence=sum(1 for c in codes if c in scores and scores[c][0] in evidenced),
                ready=sum(1 for c in codes if held[c].status == "ready"),
                returned=sum(1 for c in codes if held[c].status == "returned"),
            )
        )
    return result


def _names(session: Session, agency_id: int) -> tuple[dict[int, str], dict[int, str]]:
    """({unit id: name}, {user id: full name}) of the agency's units and people."""
    connection = session.connection()
    units = sa_select(col(Unit.id), col(Unit.name)).where(col(Unit.agency_id) == agency_id)
    people = sa_select(col(User.id), col(User.full_name)).where(col(User.agency_id) == agency_id)
    return dict(connection.execute(units).all()), dict(connection.execute(people).all())  # type: ignore[arg-type]


@dataclass(frozen=True)
class Holding:
    """Who holds one indicator: `holder` is the unit's and/or person's name (user text)."""

    holder: str
    status: str
    note: str | None


def holdings(session: Session, *, actor: Actor, assessment_id: int) -> dict[str, Holding]:
    """{indicator code: who holds it, its status and the coordinator's note} for the assigned ones."""
    agency_id = assessment_agency(session, assessment_id)
    require_agency_access(actor, agency_id)
    units, people = _names(session, agency_id)
    result = {}
    for code, row in assignments(session, assessment_id).items():
        names = [
            units.get(row.unit_id, "?") if row.unit_id else "",
            people.get(row.user_id, "?") if row.user_id else "",
        ]
        result[code] = Holding(" / ".join(n for n in names if n), row.status, row.note)
    return result


def members(session: Session, *, actor: Actor, agency_id: int) -> list[tuple[int, str, int | None]]:
    """[(user id, full name, unit id)] of the agency's operators and coordinators, by name."""
    require_agency_access(actor, agency_id)
    rows = session.exec(
        select(User)
        .where(User.agency_id == agency_id, col(User.active).is_(True))
        .order_by(col(User.full_name))
    )
    return [(u.id or 0, u.full_name, u.unit_id) for u in rows]
