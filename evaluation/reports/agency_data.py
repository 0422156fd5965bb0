"""Everything an agency's report shows, gathered through the services the app uses: the assessment view
(levels, notes), scoring with the period's rounding, the dashboard's national means, the roadmap targets
and the best path to the next predicate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from sqlmodel import Session

from evaluation import roadmap_math
from evaluation.models import Agency, Period
from evaluation.scoring import ScoreResult
from evaluation.services.actors import Actor, require_agency_access
from evaluation.services.assessment_view import AssessmentView, NoteView, view_assessment
from evaluation.services.dashboard import national_group_means
from evaluation.services.objections import ObjectionView, objections_of
from evaluation.services.recommendations import RecommendationView, recommendations_for_assessment
from evaluation.services.roadmap.targets import TargetView, list_targets
from evaluation.services.self_assessment import find_assessment
from evaluation.translatable import Translatable
from evaluation.workflow import AssessmentStatus
from indicators.schema import Framework, PredicateBand


class ReportUnavailable(Translatable, LookupError):
    """No report can be made; a message id says why, rendered in the reader's language."""


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    self_level: float | None
    final_level: float | None
    not_applicable: bool
    reviewer_note: str | None


@dataclass(frozen=True)
class AgencyReport:
    """An agency's report: the assessment `view` it is made from (agency, year, framework, levels, notes,
    read through the properties below) and what the report adds to it."""

    view: AssessmentView
    province: str | None
    result: ScoreResult  # from the final levels when `verified`, else from the self-assessed ones
    national_mean: dict[str, float]
    targets: list[TargetView]
    next_band: PredicateBand | None
    steps: list[roadmap_math.Step] | None
    index_after_steps: float | None
    made_on: date
    # a programme period on the founding framework (issue 16): its kind, runner and verification
    period_kind: str = "official"
    runner: str = "ministry"
    runner_name: str | None = None
    period_verified: bool = True
    recommendations: tuple[RecommendationView, ...] = ()  # issue 12: the assessment's, with follow-up
    objection_changes: tuple[ObjectionView, ...] = ()  # issue 12: upheld objections (final levels changed)

    @property
    def verified(self) -> bool:
        """The assessment is final: the report shows final levels; otherwise the self-assessed ones, marked
        provisional."""
        return self.view.status == AssessmentStatus.FINAL

    @property
    def agency_code(self) -> str:
        return self.view.agency_code

    @property
    def agency_name(self) -> str:
        return self.view.agency_name

    @property
    def category(self) -> str:
        return self.view.agency_category

    @property
    def year(self) -> int:
        return self.view.year

    @property
    def evaluation_type(self) -> str:
        return self.view.evaluation_type

    @property
    def framework(self) -> Framework:
        return self.view.framework

    @property
    def status(self) -> str:
        return self.view.status

    @property
    def notes(self) -> list[NoteView]:
        return self.view.notes

    @cached_property
    def self_result(self) -> ScoreResult:
        """The index from the self-assessed levels (beside the verified `result`)."""
        return self.view.result("self")

    @property
    def radar_kind(self) -> str:
        """The group level the radar chart shows: the framework's top level (domains)."""
        return self.framework.hierarchy[0]

    @cached_property
    def rows(self) -> list[IndicatorRow]:
        """One row per indicator: self and final level, not applicable, the reviewer's note."""
        return [
            IndicatorRow(code, s.self_level, s.final_level, s.not_applicable, s.reviewer_note)
            for code, s in self.view.scores.items()
        ]


def next_band(framework: Framework, current: PredicateBand | None) -> PredicateBand | None:
    """The predicate band above the current one (the lowest band when there is none yet)."""
    bands = sorted(framework.predicate.bands, key=lambda b: b.min)
    if current is None:
        return bands[0] if bands else None
    above = [b for b in bands if b.min > current.min]
    return above[0] if above else None


def agency_report(
    session: Session,
    *,
    actor: Actor,
    agency_id: int,
    period_id: int,
    today: date | None = None,
    national_mean: dict[str, float] | None = None,
) -> AgencyReport:
    """The report of an agency's assessment in a period (ministry: any agency; agency roles: their own).
    `national_mean` (the period's group means, as `national_group_means` gives) saves rescoring the period
    when many reports of one period are made."""
    require_agency_access(actor, agency_id)
    assessment_id = find_assessment(session, actor=actor, agency_id=agency_id, period_id=period_id)
    if assessment_id is None:
        raise ReportUnavailable("ea.report_no_assessment")
    view = view_assessment(session, actor=actor, assessment_id=assessment_id)
    agency = session.get(Agency, agency_id)
    period = session.get(Period, period_id)
    assert agency is not None and period is not None
    runner = session.get(Agency, period.runner_agency_id) if period.runner_agency_id else None
    framework = view.framework
    verified = view.status == AssessmentStatus.FINAL
    result = view.result("final" if verified else "self")
    if national_mean is None:
        national_mean = national_group_means(session, period_id)
    levels = {
        code: (s.final_level if verified else s.self_level)
        for code, s in view.scores.items()
        if not s.not_applicable
    }
    na = [code for code, s in view.scores.items() if s.not_applicable]
    band = next_band(framework, result.predicate) if result.complete else None
    steps: list[roadmap_math.Step] | None = None
    after = None
    if band is not None and result.complete:
        goal, strict = roadmap_math.threshold_for(framework, band.name, view.rounding)
        full = {code: float(v) for code, v in levels.items() if v is not None}
        steps = roadmap_math.best_path(framework, full, goal, strict=strict, not_applicable=na)
        if steps is not None:
            raised = roadmap_math.index_after(framework, full, steps, not_applicable=na)
            after = float(raised) if raised is not None else None
    return AgencyReport(
        view=view,
        province=agency.province,
        result=result,
        national_mean=national_mean,
        targets=[
            t
            for t in list_targets(session, actor=actor, agency_id=agency_id, include_history=False)
            if t.framework_id == framework.id
        ],
        next_band=band,
        steps=steps,
        index_after_steps=after,
        made_on=today or date.today(),
        period_kind=period.kind,
        runner=period.runner,
        runner_name=runner.name if runner else None,
        period_verified=period.verified,
        recommendations=tuple(
            recommendations_for_assessment(session, actor=actor, assessment_id=assessment_id)
        ),
        objection_changes=tuple(
            o
            for o in objections_of(session, actor=actor, assessment_id=assessment_id)
            if o.status == "upheld"
        ),
    )
