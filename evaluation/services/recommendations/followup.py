"""The agency's follow-up (tindak lanjut) of a recommendation -- what, by whom, by when, evidence, a
roadmap activity -- and its closing: the agency marks it done, a reviewer of a later period of the same
agency confirms it or reopens it with a note.

Follow-up and checking happen after the recommendation's period (usually in the next one), so they are
not refused when that period is closed; writing the recommendations themselves is (writes.py)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from evaluation.evidence_checks import check_evidence, shorten_keeping_extension
from evaluation.filetypes import ALLOWED, detect_type
from evaluation.models import Activity, Assessment, Evidence, Period, utcnow
from evaluation.services import audit
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.evidence_puts import put_for_transaction
from evaluation.services.recommendations.rules import (
    ENTITY,
    MAX_OWNER,
    OPEN_STATUSES,
    apply_changes,
    checked_text,
    claim,
    load,
    require_agency_member,
    require_period_reviewer,
)
from evaluation.services.text_rules import LENGTHS, check_text
from evaluation.settings import evidence_max_bytes
from evaluation.storage import EvidenceStore


def _answerable(session: Session, actor: Actor, recommendation_id: int):  # type: ignore[no-untyped-def]
    rec, assessment, period = load(session, recommendation_id)
    require_agency_member(actor, assessment.agency_id)
    if rec.status not in OPEN_STATUSES:
        raise WorkflowError(
            "Rekomendasi ini sudah selesai ditindaklanjuti. / This recommendation's follow-up is finished."
        )
    return rec, assessment, period


def record_followup(
    session: Session,
    *,
    actor: Actor,
    recommendation_id: int,
    action: str,
    owner: str,
    due_on: date,
    evidence_id: int | None = None,
    activity_id: int | None = None,
    expected_version: int,
) -> int:
    """Write or rewrite the agency's follow-up of an open or reopened recommendation; returns the new
    version. PermissionDenied unless the actor is the agency's operator or coordinator; WorkflowError for
    empty or bad text, a missing date, a document or a roadmap activity that is not the agency's, or a
    recommendation already done/confirmed; StaleRecommendation on a stale `expected_version`."""
    rec, assessment, _period = _answerable(session, actor, recommendation_id)
    what = checked_text(action, label_id="Tindak lanjut", label_en="Follow-up", required=True)
    who = checked_text(owner, label_id="Penanggung jawab", label_en="Owner", required=True, limit=MAX_OWNER)
    if "\n" in who or "\r" in who:
        raise WorkflowError("Penanggung jawab: satu baris saja. / Owner: one line only.")
    if not isinstance(due_on, date):
        raise WorkflowError(
            "Tanggal target tindak lanjut wajib diisi. / The follow-up's target date is required."
        )
    if evidence_id is not None:
        evidence = session.get(Evidence, evidence_id)
        if evidence is None or evidence.agency_id != assessment.agency_id:
            raise WorkflowError("Dokumen bukan milik instansi ini. / The document is not this agency's.")
    if activity_id is not None:
        activity = session.get(Activity, activity_id)
        if activity is None or activity.agency_id != assessment.agency_id:
            raise WorkflowError(
                "Kegiatan peta rencana bukan milik instansi ini. / The roadmap activity is not this agency's."
            )
    claim(session, rec, expected_version)
    apply_changes(
        session,
        actor=actor,
        action="record_followup",
        rec=rec,
        changes={
            "followup_action": what,
            "followup_owner": who,
            "followup_due_on": due_on,
            "followup_evidence_id": evidence_id,
            "activity_id": activity_id,
            "followup_by": actor.user_id,
            "followup_at": utcnow(),
        },
    )
    return rec.version


def mark_done(session: Session, *, actor: Actor, recommendation_id: int, expected_version: int) -> int:
    """The agency marks its follow-up finished (open/reopened -> done); returns the new version. Needs a
    recorded follow-up (WorkflowError otherwise); other errors as `record_followup`."""
    rec, _assessment, _period = _answerable(session, actor, recommendation_id)
    if not rec.followup_action:
        raise WorkflowError(
            "Isi tindak lanjut dulu sebelum menandai selesai. / Record the follow-up before marking it done."
        )
    claim(session, rec, expected_version)
    apply_changes(
        session, actor=actor, action="mark_done", rec=rec, changes={"status": "done", "done_at": utcnow()}
    )
    return rec.version


def upload_followup_evidence(
    session: Session,
    *,
    actor: Actor,
    store: EvidenceStore,
    recommendation_id: int,
    filename: str,
    data: bytes,
) -> int:
    """Store a document in the agency's files for a follow-up (checked like every evidence upload: name,
    size, content type, structure) and return its evidence id, to pass to `record_followup`. Errors as
    `record_followup`, WorkflowError for a refused file."""
    _rec, assessment, _period = _answerable(session, actor, recommendation_id)
    name = shorten_keeping_extension(filename or "")
    check_text(
        name,
        label_id="Nama berkas",
        label_en="File name",
        max_length=LENGTHS["evidence.filename"],
        error=WorkflowError,
    )
    if not data:
        raise WorkflowError(f"{name}: berkas kosong. / {name}: the file is empty.")
    limit_bytes = evidence_max_bytes()  # SPBE_MAX_UPLOAD_MB, decimal MB, as every evidence upload
    if len(data) > limit_bytes:
        limit = f"{limit_bytes / 1_000_000:g}"
        raise WorkflowError(f"{name}: melebihi batas {limit} MB. / {name}: over the {limit} MB limit.")
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
    digest = put_for_transaction(session, store, data)  # deleted again if this transaction rolls back
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
    audit.record(
        session,
        actor=actor,
        change_set=audit.new_change_set(),
        action="upload_evidence",
        entity=ENTITY,
        entity_id=recommendation_id,
        field="followup_evidence",
        new={"evidence_id": evidence.id, "name": evidence.filename, "sha256": digest},
    )
    return evidence.id or 0


def later_period_ids(session: Session, agency_id: int, year: int) -> list[int]:
    """The periods after `year` in which the agency has an assessment (where its next reviewers work)."""
    return [
        int(pid or 0)
        for pid in session.exec(
            select(Period.id)
            .join(Assessment, col(Assessment.period_id) == col(Period.id))
            .where(col(Assessment.agency_id) == agency_id, col(Period.year) > year)
            .order_by(col(Period.year))
        ).all()
    ]


def check_recommendation(
    session: Session,
    *,
    actor: Actor,
    recommendation_id: int,
    confirmed: bool,
    note: str | None,
    expected_version: int | None = None,
) -> int:
    """A reviewer of a later period of the same agency checks a done follow-up: confirmed, or reopened
    (a note saying why is required); returns the new version. PermissionDenied for anyone else: when a
    later period has reviewers assigned to the agency only they may, while none is assigned any reviewer
    may (as in the review itself); WorkflowError when it is not done or the agency has no later assessment
    yet; StaleRecommendation on a stale `expected_version` (None: the version just read)."""
    rec, assessment, period = load(session, recommendation_id)
    later = later_period_ids(session, assessment.agency_id, period.year)
    if actor.role != "reviewer":
        raise PermissionDenied(
            "Hanya asesor periode berikutnya yang memeriksa tindak lanjut. / "
            "Only a reviewer of a later period checks the follow-up."
        )
    if not later:
        raise WorkflowError(
            "Tindak lanjut diperiksa pada periode berikutnya; instansi ini belum memiliki penilaian setelah "
            f"{period.year}. / The follow-up is checked in a later period; this agency has no assessment "
            f"after {period.year} yet."
        )
    refusals: list[PermissionDenied] = []
    for period_id in later:
        try:
            require_period_reviewer(session, actor, period_id, assessment.agency_id)
            break
        except PermissionDenied as exc:
            refusals.append(exc)
    else:
        raise refusals[0]
    if rec.status != "done":
        raise WorkflowError(
            "Hanya tindak lanjut yang sudah selesai yang dapat diperiksa. / "
            "Only a finished follow-up can be checked."
        )
    clean = checked_text(note, label_id="Catatan", label_en="Note", required=not confirmed)
    claim(session, rec, rec.version if expected_version is None else expected_version)
    changes: dict[str, object] = {
        "status": "confirmed" if confirmed else "reopened",
        "checked_by": actor.user_id,
        "checked_at": utcnow(),
        "check_note": clean or None,
    }
    if not confirmed:
        changes["done_at"] = None
    apply_changes(session, actor=actor, action="check_recommendation", rec=rec, changes=changes)
    return rec.version
