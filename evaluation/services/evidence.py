"""Evidence (data dukung): uploads checked by content and size, links, reuse across indicators and periods."""

from __future__ import annotations

from typing import IO
from urllib.parse import urlparse

from sqlmodel import Session, col, select

from evaluation.evidence_checks import check_evidence, shorten_keeping_extension
from evaluation.filetypes import ALLOWED, detect_type
from evaluation.models import Evidence, IndicatorScore, ScoreEvidence
from evaluation.services import audit
from evaluation.services.actors import Actor, require_agency_access
from evaluation.services.assessment_state import (
    WorkflowError,
    bump_version,
    load_assessment,
    score_rows,
)
from evaluation.services.assessment_view import EvidenceView
from evaluation.services.delegation import require_indicators_editable
from evaluation.services.text_rules import LENGTHS, check_text
from evaluation.settings import evidence_max_bytes
from evaluation.storage import EvidenceStore


def _editable_score(
    session: Session, actor: Actor, assessment_id: int, expected_version: int, indicator_code: str
) -> IndicatorScore:
    assessment, _period, framework = load_assessment(session, assessment_id)
    require_indicators_editable(session, actor, assessment, [indicator_code])  # issue 13: delegation
    if assessment.status not in ("draft", "returned"):
        raise WorkflowError("Penilaian sudah diajukan. / The assessment has been submitted.")
    if indicator_code not in framework.indicator_by_code:
        raise WorkflowError(
            f"{indicator_code}: indikator tidak dikenal. / {indicator_code}: unknown indicator."
        )
    bump_version(session, assessment, expected_version)
    row = score_rows(session, assessment_id).get(indicator_code)
    if row is None:
        row = IndicatorScore(assessment_id=assessment_id, indicator_code=indicator_code)
        session.add(row)
        session.flush()
    return row


def _attach(
    session: Session, actor: Actor, assessment_id: int, row: IndicatorScore, evidence: Evidence
) -> None:
    linked = session.get(ScoreEvidence, (row.id, evidence.id))
    if linked is None:
        session.add(ScoreEvidence(score_id=row.id or 0, evidence_id=evidence.id or 0))
        audit.record(
            session,
            actor=actor,
            change_set=audit.new_change_set(),
            action="attach_evidence",
            entity="assessment",
            entity_id=assessment_id,
            field=f"{row.indicator_code}.evidence",
            new={
                "evidence_id": evidence.id,
                "name": evidence.filename,
                "sha256": evidence.sha256,
                "url": evidence.url,
            },
        )


def upload_evidence(
    session: Session,
    *,
    actor: Actor,
    store: EvidenceStore,
    assessment_id: int,
    expected_version: int,
    indicator_code: str,
    filename: str,
    data: bytes,
) -> int:
    """Store a file (once per content) and attach it to the indicator; returns the evidence id."""
    name = shorten_keeping_extension(filename or "")
    check_text(  # before the file is stored: a refused save leaves no file behind
        name,
        label_id="Nama berkas",
        label_en="File name",
        max_length=LENGTHS["evidence.filename"],
        error=WorkflowError,
    )
    if not data:
        raise WorkflowError(f"{name}: berkas kosong. / {name}: the file is empty.")
    limit_bytes = evidence_max_bytes()  # SPBE_MAX_UPLOAD_MB, decimal MB
    if len(data) > limit_bytes:
        size, limit = len(data) / 1_000_000, f"{limit_bytes / 1_000_000:g}"
        raise WorkflowError(
            f"{name}: {size:.1f} MB melebihi batas {limit} MB. / "
            f"{name}: {size:.1f} MB is over the {limit} MB limit."
        )
    mime = detect_type(name, data)
    if mime is None:
        kinds = ", ".join(sorted(ALLOWED))
        raise WorkflowError(
            f"{name}: isi berkas bukan jenis yang diizinkan ({kinds}) atau tidak sesuai namanya. / "
            f"{name}: the content is not an allowed type ({kinds}) or does not match the name."
        )
    refused = check_evidence(name, data)
    if refused is not None:
        raise WorkflowError(f"{name}: {refused[0]}. / {name}: {refused[1]}.")
    row = _editable_score(session, actor, assessment_id, expected_version, indicator_code)
    assessment, _p, _f = load_assessment(session, assessment_id)
    digest = store.put(data)
    evidence = session.exec(
        select(Evidence).where(Evidence.sha256 == digest, Evidence.agency_id == assessment.agency_id)
    ).first()
    if evidence is None:
        evidence = Evidence(
            kind="file",
            sha256=digest,
            filename=name,
            mime_type=mime,
            size_bytes=len(data),
            agency_id=assessment.agency_id,
            uploaded_by=actor.user_id,
        )
        session.add(evidence)
        session.flush()
    _attach(session, actor, assessment_id, row, evidence)
    return evidence.id or 0


def add_link(
    session: Session,
    *,
    actor: Actor,
    assessment_id: int,
    expected_version: int,
    indicator_code: str,
    url: str,
    title: str | None = None,
) -> int:
    text = (url or "").strip()
    check_text(
        text, label_id="Tautan", label_en="Link", max_length=LENGTHS["evidence.url"], error=WorkflowError
    )
    check_text(
        title,
        label_id="Judul tautan",
        label_en="Link title",
        max_length=LENGTHS["evidence.filename"],
        error=WorkflowError,
    )
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(text) > 2000:
        raise WorkflowError(
            f"'{text[:80]}': bukan tautan http(s) yang valid. / '{text[:80]}': not a valid http(s) link."
        )
    row = _editable_score(session, actor, assessment_id, expected_version, indicator_code)
    assessment, _p, _f = load_assessment(session, assessment_id)
    evidence = Evidence(
        kind="link",
        filename=(title or parsed.netloc + parsed.path)[:255],
        url=text,
        agency_id=assessment.agency_id,
        uploaded_by=actor.user_id,
    )
    session.add(evidence)
    session.flush()
    _attach(session, actor, assessment_id, row, evidence)
    return evidence.id or 0


def attach_existing(
    session: Session,
    *,
    actor: Actor,
    assessment_id: int,
    expected_version: int,
    indicator_code: str,
    evidence_id: int,
) -> None:
    """Reuse a document the agency already holds (from another indicator or period)."""
    row = _editable_score(session, actor, assessment_id, expected_version, indicator_code)
    evidence = session.get(Evidence, evidence_id)
    assessment, _p, _f = load_assessment(session, assessment_id)
    if evidence is None or evidence.agency_id != assessment.agency_id:
        raise WorkflowError(
            "Dokumen tidak ditemukan di arsip instansi. / No such document in the agency's files."
        )
    _attach(session, actor, assessment_id, row, evidence)


def detach(
    session: Session,
    *,
    actor: Actor,
    assessment_id: int,
    expected_version: int,
    indicator_code: str,
    evidence_id: int,
) -> None:
    row = _editable_score(session, actor, assessment_id, expected_version, indicator_code)
    link = session.get(ScoreEvidence, (row.id, evidence_id))
    if link is not None:
        session.delete(link)
        audit.record(
            session,
            actor=actor,
            change_set=audit.new_change_set(),
            action="detach_evidence",
            entity="assessment",
            entity_id=assessment_id,
            field=f"{indicator_code}.evidence",
            old={"evidence_id": evidence_id},
        )


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
        raise LookupError(f"evidence {evidence_id} is not a stored file")
    require_agency_access(actor, evidence.agency_id or -1)
    return evidence.filename, evidence.mime_type, store.open(evidence.sha256)


def read_evidence(
    session: Session, *, actor: Actor, store: EvidenceStore, evidence_id: int
) -> tuple[str, bytes]:
    """(file name, content) of a stored file the actor may read; errors as `open_evidence`."""
    name, _mime, handle = open_evidence(session, actor=actor, store=store, evidence_id=evidence_id)
    with handle:
        return name, handle.read()
