"""A conversation per indicator and assessment (issue 13): the agency's members and the ministry's
reviewers post plain-text messages (optionally with one of the agency's evidence documents); a reviewer
may mark a question as needing an answer, which stays open until an agency member posts after it and
blocks finalization. Messages are never edited or deleted (a correction is a new message); every post
is written to the audit log of the assessment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from evaluation.models import Evidence, ThreadMessage, ThreadRead, User
from evaluation.services.actors import Actor, PermissionDenied, require_agency_access
from evaluation.services.assessment_state import (
    WorkflowError,
    agency_row,
    assessment_agency,
    load_assessment,
)
from evaluation.services.audit_fields import record_on_assessment
from evaluation.translatable import Message
from evaluation.workflow import AGENCY_ROLES, Role

MAX_MESSAGE = 4000


@dataclass(frozen=True)
class MessageView:
    """One posted message as shown: `text` and `author` are user text (show as plain text)."""

    id: int
    author: str
    side: str  # "agency" or "ministry"
    text: str
    evidence_name: str | None
    needs_answer: bool
    answered: bool
    created_at: datetime


def _side(actor: Actor, agency_id: int) -> str:
    """'agency' or 'ministry' for who may post on this agency's threads; PermissionDenied otherwise."""
    if actor.role in AGENCY_ROLES and actor.agency_id == agency_id:
        return "agency"
    if actor.role == Role.REVIEWER:
        return "ministry"
    raise PermissionDenied("ew.perm_thread_members")


def post_message(
    session: Session,
    *,
    actor: Actor,
    assessment_id: int,
    indicator_code: str,
    text: str,
    needs_answer: bool = False,
    evidence_id: int | None = None,
) -> int:
    """Post a message on one indicator's thread; returns its id. `needs_answer` only for a reviewer;
    `evidence_id` must be one of the agency's documents. WorkflowError for empty or bad text, an unknown
    indicator, or a closed period; PermissionDenied for anyone outside the agency and the reviewers."""
    assessment, period, framework = load_assessment(session, assessment_id)
    side = _side(actor, assessment.agency_id)
    if needs_answer and side != "ministry":
        raise PermissionDenied("ew.perm_reviewer_asks")
    if indicator_code not in framework.indicator_by_code:
        raise WorkflowError("ew.unknown_indicator", code=indicator_code)
    if period.status == "closed":
        raise WorkflowError("ew.period_closed")
    clean = (text or "").strip()
    WorkflowError.check_text(clean, Message("ew.label_message"), MAX_MESSAGE, multiline=True)
    if not clean:
        raise WorkflowError("ew.message_empty")
    if evidence_id is not None:
        agency_row(session, Evidence, evidence_id, assessment.agency_id, "ew.document_not_agencys")
    message = ThreadMessage(
        assessment_id=assessment_id,
        indicator_code=indicator_code,
        author_id=actor.user_id or 0,
        author_side=side,
        text=clean,
        evidence_id=evidence_id,
        needs_answer=needs_answer,
    )
    session.add(message)
    session.flush()
    new = {"message_id": message.id, "text": clean, "needs_answer": needs_answer, "evidence_id": evidence_id}
    field = f"{indicator_code}.thread"
    record_on_assessment(session, assessment_id, field, actor=actor, action="post_message", new=new)
    _mark(session, actor, assessment_id, indicator_code, message.id or 0)
    return message.id or 0


def _messages(session: Session, assessment_id: int, code: str | None = None) -> list[ThreadMessage]:
    query = select(ThreadMessage).where(ThreadMessage.assessment_id == assessment_id)
    if code is not None:
        query = query.where(ThreadMessage.indicator_code == code)
    return list(session.exec(query.order_by(col(ThreadMessage.id))))


def _answered(messages: list[ThreadMessage], message: ThreadMessage) -> bool:
    return any(m.id and message.id and m.id > message.id and m.author_side == "agency" for m in messages)


def thread(session: Session, *, actor: Actor, assessment_id: int, indicator_code: str) -> list[MessageView]:
    """The indicator's messages, oldest first; the agency and the ministry may read them."""
    require_agency_access(actor, assessment_agency(session, assessment_id))
    messages = _messages(session, assessment_id, indicator_code)
    if not messages:  # most indicators' threads: no names or files to look up
        return []
    authors = sa_select(col(User.id), col(User.full_name)).where(
        col(User.id).in_({m.author_id for m in messages})
    )
    names = dict(session.connection().execute(authors).all())
    files = {
        e.id: e.filename
        for e in session.exec(
            select(Evidence).where(col(Evidence.id).in_({m.evidence_id for m in messages if m.evidence_id}))
        )
    }
    return [
        MessageView(
            id=m.id or 0,
            author=names.get(m.author_id, "?"),
            side=m.author_side,
            text=m.text,
            evidence_name=files.get(m.evidence_id) if m.evidence_id else None,
            needs_answer=m.needs_answer,
            answered=m.needs_answer and _answered(messages, m),
            created_at=m.created_at,
        )
        for m in messages
    ]


def _mark(session: Session, actor: Actor, assessment_id: int, code: str, last_id: int) -> None:
    if actor.user_id is None:
        return
    row = session.get(ThreadRead, (actor.user_id, assessment_id, code))
    if row is None:
        row = ThreadRead(user_id=actor.user_id, assessment_id=assessment_id, indicator_code=code)
    row.last_message_id = max(row.last_message_id, last_id)
    session.add(row)
    session.flush()


def mark_read(session: Session, *, actor: Actor, assessment_id: int, indicator_code: str) -> None:
    """Remember that this user has seen the indicator's thread up to its newest message (a read marker,
    not a change of the assessment: not audited)."""
    require_agency_access(actor, assessment_agency(session, assessment_id))
    messages = _messages(session, assessment_id, indicator_code)
    if messages:
        _mark(session, actor, assessment_id, indicator_code, messages[-1].id or 0)


def unread_counts(session: Session, *, actor: Actor, assessment_id: int) -> dict[str, int]:
    """{indicator code: messages by others this user has not seen}, only codes with unread messages."""
    require_agency_access(actor, assessment_agency(session, assessment_id))
    seen = {
        r.indicator_code: r.last_message_id
        for r in session.exec(
            select(ThreadRead).where(
                ThreadRead.user_id == actor.user_id, ThreadRead.assessment_id == assessment_id
            )
        )
    }
    counts: dict[str, int] = {}
    for m in _messages(session, assessment_id):
        if m.author_id != actor.user_id and (m.id or 0) > seen.get(m.indicator_code, 0):
            counts[m.indicator_code] = counts.get(m.indicator_code, 0) + 1
    return counts


def open_questions(session: Session, assessment_id: int) -> dict[str, int]:
    """{indicator code: questions needing an answer that no agency message has followed yet}. No
    permission check: finalization and the pages call it after their own."""
    by_code: dict[str, list[ThreadMessage]] = {}
    for m in _messages(session, assessment_id):
        by_code.setdefault(m.indicator_code, []).append(m)
    result = {}
    for code, messages in by_code.items():
        count = sum(1 for m in messages if m.needs_answer and not _answered(messages, m))
        if count:
            result[code] = count
    return result
