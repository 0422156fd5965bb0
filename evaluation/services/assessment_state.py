"""What every assessment use case shares: loading with permission checks, the optimistic version bump,
and the read model a page shows (scores, evidence, notes, progress, the index as it would be)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from evaluation.models import (
    Agency,
    Assessment,
    Evidence,
    FrameworkVersion,
    IndicatorScore,
    Period,
    ReviewNote,
    ScoreEvidence,
    utcnow,
)
from evaluation.scoring import Rounding, ScoreResult, score_levels
from evaluation.services.actors import Actor, PermissionDenied, require_agency_access
from evaluation.services.frameworks import framework_of
from indicators.schema import Framework

STAGES_BY_TYPE = {
    "pemantauan": ("document",),
    "evaluasi": ("document", "interview", "visit"),
    "pemdi": ("document", "interview", "visit"),
}
REQUIRED_STAGES = {
    "pemantauan": ("document",),
    "evaluasi": ("document", "interview"),
    "pemdi": ("document", "interview"),
}


class WorkflowError(ValueError):
    """An action that the assessment's state does not allow; the message says why (id / en)."""


class StaleAssessment(WorkflowError):
    """Someone saved the assessment after this user read it: the save is refused, never merged silently."""


class IncompleteAssessment(WorkflowError):
    def __init__(self, missing: list[tuple[str, str]]):
        """`missing`: (indicator code, what is missing as 'indonesian/english') pairs."""
        self.missing = missing

        def listed(lang: int) -> str:
            shown = ", ".join(f"{code} ({what.split('/')[lang].strip()})" for code, what in missing[:15])
            return shown + (f" +{len(missing) - 15}" if len(missing) > 15 else "")

        super().__init__(
            f"Belum lengkap, {len(missing)} isian kurang: {listed(0)}. / "
            f"Incomplete, {len(missing)} entries missing: {listed(1)}."
        )


@dataclass
class EvidenceView:
    id: int
    kind: str
    filename: str
    mime_type: str | None
    size_bytes: int | None
    url: str | None
    sha256: str | None


@dataclass
class ScoreView:
    code: str
    self_level: float | None = None
    justification: str | None = None
    not_applicable: bool = False
    final_level: float | None = None
    reviewer_note: str | None = None
    national_index_value: float | None = None
    national_index_source: str | None = None
    national_index_read_on: date | None = None
    proposed_level: int | None = None
    evidence: list[EvidenceView] = field(default_factory=list)


@dataclass
class NoteView:
    indicator_code: str | None
    stage: str
    kind: str
    text: str
    author_id: int | None
    created_at: datetime


@dataclass
class AssessmentView:
    id: int
    agency_id: int
    agency_code: str
    agency_name: str
    period_id: int
    year: int
    evaluation_type: str
    framework: Framework
    status: str
    stage: str | None
    version: int
    submitted_at: datetime | None
    scores: dict[str, ScoreView]
    notes: list[NoteView]
    rounding: Rounding | None = None  # the period's predicate rounding, when it overrides the framework's

    @property
    def filled(self) -> int:
        return sum(1 for s in self.scores.values() if s.self_level is not None or s.not_applicable)

    @property
    def total(self) -> int:
        return len(self.framework.indicators)

    def result(self, which: str = "self") -> ScoreResult:
        """The index as it would be from self levels, or the verified result from final levels."""
        levels = {
            code: (s.self_level if which == "self" else s.final_level)
            for code, s in self.scores.items()
            if not s.not_applicable
        }
        na = [code for code, s in self.scores.items() if s.not_applicable]
        return score_levels(self.framework, levels, not_applicable=na, rounding=self.rounding)

    @property
    def stages(self) -> tuple[str, ...]:
        return STAGES_BY_TYPE.get(self.evaluation_type, ("document",))


def load_assessment(session: Session, assessment_id: int) -> tuple[Assessment, Period, Framework]:
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise LookupError(
            f"Penilaian {assessment_id} tidak ada. / Assessment {assessment_id} does not exist."
        )
    period = session.get(Period, assessment.period_id)
    version = session.get(FrameworkVersion, assessment.framework_version_id)
    assert period is not None and version is not None
    return assessment, period, framework_of(version)


def require_agency_editor(actor: Actor, assessment: Assessment) -> None:
    if actor.role not in ("operator", "coordinator") or actor.agency_id != assessment.agency_id:
        raise PermissionDenied(
            "Hanya operator atau koordinator instansi ini yang dapat mengisi. / "
            "Only this agency's operator or coordinator can fill it in."
        )


def require_reviewer(actor: Actor) -> None:
    if actor.role != "reviewer":
        raise PermissionDenied(
            "Hanya asesor kementerian yang dapat memverifikasi. / Only ministry reviewers verify."
        )


def bump_version(session: Session, assessment: Assessment, expected_version: int) -> int:
    """Claim the assessment for this write: version+1 only if nobody saved since `expected_version`."""
    result = session.execute(
        update(Assessment)
        .where(col(Assessment.id) == assessment.id, col(Assessment.version) == expected_version)
        .values(version=expected_version + 1, updated_at=utcnow())
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleAssessment(
            "Penilaian ini baru saja diubah oleh pengguna lain; simpanan Anda ditolak. "
            "Muat ulang lalu ulangi. / "
            "Someone else changed this assessment; your save was refused. Reload and try again."
        )
    session.refresh(assessment)
    return expected_version + 1


def move_status(
    session: Session,
    assessment: Assessment,
    *,
    actor: Actor,
    action: str,
    status: str,
    logged: Any = None,
) -> None:
    """Move the assessment to `status`, recorded in the audit log as one change (`logged` replaces the new
    status in the log, e.g. the finalized result's snapshot). The caller has checked the permission."""
    from evaluation.services import audit

    audit.record(
        session,
        actor=actor,
        change_set=audit.new_change_set(),
        action=action,
        entity="assessment",
        entity_id=assessment.id,
        field="status",
        old=assessment.status,
        new=status if logged is None else logged,
    )
    assessment.status = status
    session.add(assessment)


def set_score_fields(
    session: Session,
    *,
    actor: Actor,
    change_set: str,
    action: str,
    assessment_id: int,
    row: IndicatorScore,
    changes: dict[str, Any],
) -> dict[str, Any]:
    """Set the fields that really change on one score, each recorded in the audit log; returns them."""
    from evaluation.services import audit

    changed = {name: new for name, new in changes.items() if getattr(row, name) != new}
    for name, new in changed.items():
        audit.record(
            session,
            actor=actor,
            change_set=change_set,
            action=action,
            entity="assessment",
            entity_id=assessment_id,
            field=f"{row.indicator_code}.{name}",
            old=getattr(row, name),
            new=new,
        )
        setattr(row, name, new)
    row.updated_at = utcnow()
    session.add(row)
    return changed


def score_rows(session: Session, assessment_id: int) -> dict[str, IndicatorScore]:
    rows = session.exec(select(IndicatorScore).where(IndicatorScore.assessment_id == assessment_id))
    return {row.indicator_code: row for row in rows}


def view_assessment(session: Session, *, actor: Actor, assessment_id: int) -> AssessmentView:
    assessment, period, framework = load_assessment(session, assessment_id)
    require_agency_access(actor, assessment.agency_id)
    agency = session.get(Agency, assessment.agency_id)
    assert agency is not None
    rows = score_rows(session, assessment_id)
    evidence: dict[int, list[EvidenceView]] = defaultdict(list)
    if rows:
        links = session.exec(
            select(ScoreEvidence.score_id, Evidence)
            .join(Evidence, col(Evidence.id) == col(ScoreEvidence.evidence_id))
            .where(col(ScoreEvidence.score_id).in_([r.id for r in rows.values()]))
            .order_by(col(Evidence.id))
        )
        for score_id, ev in links:
            evidence[score_id].append(
                EvidenceView(ev.id or 0, ev.kind, ev.filename, ev.mime_type, ev.size_bytes, ev.url, ev.sha256)
            )
    scores = {}
    for indicator in framework.indicators:
        row = rows.get(indicator.code)
        if row is None:
            scores[indicator.code] = ScoreView(code=indicator.code)
            continue
        scores[indicator.code] = ScoreView(
            code=row.indicator_code,
            self_level=row.self_level,
            justification=row.justification,
            not_applicable=row.not_applicable,
            final_level=row.final_level,
            reviewer_note=row.reviewer_note,
            national_index_value=row.national_index_value,
            national_index_source=row.national_index_source,
            national_index_read_on=row.national_index_read_on,
            proposed_level=row.proposed_level,
            evidence=evidence.get(row.id or 0, []),
        )
    notes = [
        NoteView(n.indicator_code, n.stage, n.kind, n.text, n.author_id, n.created_at)
        for n in session.exec(
            select(ReviewNote).where(ReviewNote.assessment_id == assessment_id).order_by(col(ReviewNote.id))
        )
    ]
    return AssessmentView(
        id=assessment.id or 0,
        agency_id=agency.id or 0,
        agency_code=agency.code,
        agency_name=agency.name,
        period_id=period.id or 0,
        year=period.year,
        evaluation_type=period.evaluation_type,
        framework=framework,
        status=assessment.status,
        stage=assessment.stage,
        version=assessment.version,
        submitted_at=assessment.submitted_at,
        scores=scores,
        notes=notes,
        rounding=period.predicate_rounding,  # type: ignore[arg-type]
    )
