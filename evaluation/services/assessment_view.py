"""The read model of one assessment: its scores with evidence, the reviewers' notes, and its index as
self-assessed or verified (scored with the period's rounding, as the ranking and the reports are)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from evaluation.models import Agency, Evidence, ReviewNote, ScoreEvidence, User
from evaluation.scoring import Rounding, ScoreResult, score_levels
from evaluation.services.actors import Actor, require_agency_access
from evaluation.services.assessment_state import (
    STAGES_BY_TYPE,
    load_assessment,
    required_stages_of,
    score_rows,
)
from indicators.schema import Framework


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
    version: int = 0  # the score's own version, which a save of it carries (0 = no score yet)
    updated_by: str | None = None  # full name of who saved it last
    updated_at: datetime | None = None


# ScoreView's and AssessmentView's fields read as they are stored on the score and the assessment row
SCORE_AS_STORED = (
    "self_level",
    "justification",
    "not_applicable",
    "final_level",
    "reviewer_note",
    "national_index_value",
    "national_index_source",
    "national_index_read_on",
    "proposed_level",
    "version",
    "updated_at",
)
ASSESSMENT_AS_STORED = ("status", "stage", "version", "submitted_at")


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
    agency_category: str = ""
    required_stages: tuple[str, ...] = ("document",)  # the stages this period requires (issue 12)

    @property
    def versions(self) -> dict[str, int]:
        """{code: score version} as read, what a save of these scores carries."""
        return {code: score.version for code, score in self.scores.items()}

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
    editors = {row.updated_by for row in rows.values() if row.updated_by is not None}
    names = (
        dict(session.exec(select(User.id, User.full_name).where(col(User.id).in_(editors))).all())
        if editors
        else {}
    )
    scores = {}
    for indicator in framework.indicators:
        row = rows.get(indicator.code)
        if row is None:
            scores[indicator.code] = ScoreView(code=indicator.code)
            continue
        scores[indicator.code] = ScoreView(
            code=row.indicator_code,
            **{name: getattr(row, name) for name in SCORE_AS_STORED},
            evidence=evidence.get(row.id or 0, []),
            updated_by=names.get(row.updated_by or 0),
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
        **{name: getattr(assessment, name) for name in ASSESSMENT_AS_STORED},
        scores=scores,
        notes=notes,
        rounding=period.predicate_rounding,  # type: ignore[arg-type]
        agency_category=agency.category,
        required_stages=required_stages_of(period),
    )
