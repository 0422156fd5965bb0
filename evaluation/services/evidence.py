"""Evidence (data dukung): uploads checked by content and size, links, reuse across indicators and periods.

A change of an indicator's evidence claims only that indicator's score (issue 10), as a save of its level
does: the assessment row is locked FOR SHARE (`assessment_lock.lock_assessment`), the score row FOR UPDATE at
the version the caller read, and a changed link set raises that score's version. Two people changing the
evidence of two indicators of one assessment both succeed; on one indicator the later gets ScoreConflict."""

from __future__ import annotations

from typing import IO
from urllib.parse import urlparse

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from evaluation.evidence_checks import check_evidence, shorten_keeping_extension
from evaluation.filetypes import ALLOWED, detect_type
from evaluation.models import Assessment, Evidence, IndicatorScore, ScoreEvidence, utcnow
from evaluation.services.actors import Actor, require_agency_access
from evaluation.services.assessment_lock import lock_assessment
from evaluation.services.assessment_state import WorkflowError, agency_row
from evaluation.services.assessment_view import EvidenceView
from evaluation.services.audit_fields import record_on_assessment
from evaluation.services.delegation import require_indicators_editable
from evaluation.services.evidence_puts import put_for_transaction
from evaluation.services.score_versions import ScoreConflict, claim_scores, stored_scores
from evaluation.services.text_rules import LENGTHS
from evaluation.settings import evidence_max_bytes
from evaluation.storage import EvidenceStore
from evaluation.translatable import Message, NotFound
from evaluation.workflow import AGENCY_EDITABLE


def _claim_score(
    session: Session,
    actor: Actor,
    assessment_id: int,
    score_version: int,
    indicator_code: str,
    *,
    create: bool,
) -> tuple[Assessment, IndicatorScore | None]:
    """The assessment (locked FOR SHARE, as score saves lock it) and the indicator's score row, locked and
    still at `score_version` (0 = no row yet: with `create` a new row at version 0 is made, which the
    change then bumps to 1). Other indicators' scores stay free: two people changing the evidence of two
    indicators both succeed. Raises PermissionDenied, WorkflowError, ScoreConflict."""
    assessment, framework = lock_assessment(session, assessment_id)
    require_indicators_editable(session, actor, assessment, [indicator_code])  # issue 13: delegation
    if assessment.status not in AGENCY_EDITABLE:
        raise WorkflowError("ew.assessment_submitted")
    if indicator_code not in framework.indicator_by_code:
        raise WorkflowError("ew.unknown_indicator", code=indicator_code)
    row = claim_scores(session, assessment_id=assessment_id, seen={indicator_code: score_version}).get(
        indicator_code
    )
    if row is None and create:
        row = _first_row(session, assessment_id, indicator_code)
    return assessment, row


def _first_row(session: Session, assessment_id: int, indicator_code: str) -> IndicatorScore:
    """A new score row at version 0; ScoreConflict when someone created it since the caller read none."""
    session.flush()  # only the new row goes into the savepoint below
    row = IndicatorScore(assessment_id=assessment_id, indicator_code=indicator_code, version=0)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise ScoreConflict(stored_scores(session, assessment_id, [indicator_code])) from None
    return row


def _changed(
    session: Session, actor: Actor, row: IndicatorScore, action: str, old: object = None, new: object = None
) -> None:
    """The score's evidence changed: its version goes up by one, stamped with the actor and the time, and
    the change is logged as `action` on the assessment (field "<code>.evidence")."""
    row.version = (row.version or 0) + 1
    row.updated_by = actor.user_id
    row.updated_at = utcnow()
    session.add(row)
    field = f"{row.indicator_code}.evidence"
    record_on_assessment(session, row.assessment_id, field, actor=actor, action=action, old=old, new=new)


def _attach(session: Session, actor: Actor, row: IndicatorScore, evidence: Evidence) -> None:
    linked = session.get(ScoreEvidence, (row.id, evidence.id))
    if linked is None:
        session.add(ScoreEvidence(score_id=row.id or 0, evidence_id=evidence.id or 0))
        new = {
            "evidence_id": evidence.id,
            "name": evidence.filename,
            "sha256": evidence.sha256,
            "url": evidence.url,
        }
        _changed(session, actor, row, "attach_evidence", new=new)


def upload_evidence(
    session: Session,
    *,
    actor: Actor,
    store: EvidenceStore,
    assessment_id: int,
    score_version: int,
    indicator_code: str,
    filename: str,
    data: bytes,
) -> int:
    """Store a file (once per content) and attach it to the indicator; returns the evidence id.

    `score_version` is the version of the indicator's score the caller read (0 = no score yet); only
    that score is claimed (`_claim_score`) and its version goes up when the file is newly attached.
    Raises PermissionDenied, WorkflowError (a refused file, name or status) and ScoreConflict (the score
    changed since: nothing is written). The file is stored after every check; if the transaction then
    does not commit, a file this upload created is deleted again (evidence_puts)."""
    name, mime = checked_file(filename, data)  # before anything is stored: a refusal leaves no file
    assessment, row = _claim_score(session, actor, assessment_id, score_version, indicator_code, create=True)
    assert row is not None
    evidence = stored_file(
        session, store, data, name=name, mime=mime, agency_id=assessment.agency_id, actor=actor
    )
    _attach(session, actor, row, evidence)
    return evidence.id or 0


def checked_file(filename: str, data: bytes) -> tuple[str, str]:
    """The name to store and the content type of an uploaded document that passes every evidence check:
    its name's length, not empty, within SPBE_MAX_UPLOAD_MB (decimal MB), an allowed type by content, a
    sound structure (evidence_checks). Raises WorkflowError naming the file otherwise; stores nothing."""
    name = shorten_keeping_extension(filename or "")
    WorkflowError.check_text(name, Message("ew.label_file_name"), LENGTHS["evidence.filename"])
    if not data:
        raise WorkflowError("ew.file_empty", name=name)
    limit_bytes = evidence_max_bytes()
    if len(data) > limit_bytes:
        size, limit = round(len(data) / 1_000_000, 1), limit_bytes / 1_000_000
        raise WorkflowError("ew.file_too_large", name=name, size=size, limit=limit)
    mime = detect_type(name, data)
    if mime is None:
        raise WorkflowError("ew.content_not_allowed_type", name=name, kinds=", ".join(sorted(ALLOWED)))
    refused = check_evidence(name, data)
    if refused is not None:
        raise WorkflowError("ew.file_refused", name=name, why=refused)
    return name, mime


def stored_file(
    session: Session, store: EvidenceStore, data: bytes, *, name: str, mime: str, agency_id: int, actor: Actor
) -> Evidence:
    """The agency's evidence row for this content, stored once per content (under the digest lock; deleted
    again if the transaction rolls back: evidence_puts); a new row is made only for content the agency
    does not hold yet. Call after `checked_file` and the caller's own checks."""
    digest = put_for_transaction(session, store, data)
    evidence = session.exec(
        select(Evidence).where(Evidence.sha256 == digest, Evidence.agency_id == agency_id)
    ).first()
    if evidence is None:
        evidence = Evidence(
            kind="file",
            sha256=digest,
            filename=name,
            mime_type=mime,
            size_bytes=len(data),
            agency_id=agency_id,
            uploaded_by=actor.user_id,
        )
        session.add(evidence)
        session.flush()
    return evidence


def add_link(
    session: Session,
    *,
    actor: Actor,
    assessment_id: int,
    score_version: int,
    indicator_code: str,
    url: str,
    title: str | None = None,
) -> int:
    """Attach an http(s) link (a new evidence row) to the indicator; returns the evidence id.
    `score_version` and the errors as `upload_evidence`."""
    text = (url or "").strip()
    WorkflowError.check_text(text, Message("ew.label_link"), LENGTHS["evidence.url"])
    WorkflowError.check_text(title, Message("ew.label_link_title"), LENGTHS["evidence.filename"])
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(text) > 2000:
        raise WorkflowError("ew.link_invalid", link=text[:80])
    assessment, row = _claim_score(session, actor, assessment_id, score_version, indicator_code, create=True)
    assert row is not None
    evidence = Evidence(
        kind="link",
        filename=(title or parsed.netloc + parsed.path)[:255],
        url=text,
        agency_id=assessment.agency_id,
        uploaded_by=actor.user_id,
    )
    session.add(evidence)
    session.flush()
    _attach(session, actor, row, evidence)
    return evidence.id or 0


def set_attached(
    session: Session,
    *,
    actor: Actor,
    assessment_id: int,
    score_version: int,
    indicator_code: str,
    evidence_id: int,
    attached: bool,
) -> None:
    """Attach a document the agency already holds (from another indicator or period) to the indicator
    (`attached` True), or take it off (False: it stays in the agency's files; the stored file is never
    deleted). A document already so changes nothing. `score_version` and the errors as `upload_evidence`;
    attaching another agency's document or one that does not exist raises WorkflowError."""
    assessment, row = _claim_score(
        session, actor, assessment_id, score_version, indicator_code, create=attached
    )
    if attached:
        assert row is not None
        evidence = agency_row(session, Evidence, evidence_id, assessment.agency_id, "ew.document_not_found")
        _attach(session, actor, row, evidence)
        return
    link = session.get(ScoreEvidence, (row.id, evidence_id)) if row is not None else None
    if row is not None and link is not None:
        session.delete(link)
        _changed(session, actor, row, "detach_evidence", old={"evidence_id": evidence_id})


def agency_documents(session: Session, *, actor: Actor, agency_id: int) -> list[EvidenceView]:
    require_agency_access(actor, agency_id)
    rows = session.exec(
        select(Evidence).where(Evidence.agency_id == agency_id).order_by(col(Evidence.id).desc())
    )
    return [
        EvidenceView(e.id or 0, e.kind, e.filename, e.mime_type, e.size_bytes, e.url, e.sha256) for e in rows
    ]


def open_evidence(
    session: Session, *, actor: Actor, store: EvidenceStore, evidence_id: int
) -> tuple[str, str | None, IO[bytes]]:
    """(file name, MIME type, the verified content as a rewound file the caller closes) of a stored file
    the actor may read. LookupError for no such file, PermissionDenied for another agency's;
    storage.EvidenceMissing / EvidenceCorrupt when the store lacks it or it does not match its hash."""
    evidence = session.get(Evidence, evidence_id)
    if evidence is None or evidence.kind != "file" or evidence.sha256 is None:
        raise NotFound("ew.evidence_not_stored_file", evidence_id=str(evidence_id))
    require_agency_access(actor, evidence.agency_id or -1)
    return evidence.filename, evidence.mime_type, store.open(evidence.sha256)


def read_evidence(
    session: Session, *, actor: Actor, store: EvidenceStore, evidence_id: int
) -> tuple[str, bytes]:
    """(file name, content) of a stored file the actor may read; errors as `open_evidence`."""
    name, _mime, handle = open_evidence(session, actor=actor, store=store, evidence_id=evidence_id)
    with handle:
        return name, handle.read()
