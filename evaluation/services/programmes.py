"""Programmes on the founding framework (issue 16): read models of a programme period for the home page,
the reports and the command line.

A programme period (Period.kind 'programme') runs on its own framework beside the official period of the
same year; its results are the runner's reviewers' (verified) or the agencies' own (self-assessed only).
Read models only: every signed-in user sees programme summaries, as they see the national picture.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from evaluation.models import HORIZONS, Agency, RoadmapTarget
from evaluation.services.dashboard import group_means
from evaluation.services.frameworks import load_framework_version
from evaluation.services.results import AgencyResult, PeriodInfo, list_periods, period_results
from evaluation.translatable import NotFound
from evaluation.workflow import AssessmentStatus
from indicators.schema import Framework

PROGRAMME_STATUSES = (
    AssessmentStatus.FINAL,
    AssessmentStatus.IN_REVIEW,
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.DRAFT,
    AssessmentStatus.RETURNED,
)


@dataclass(frozen=True)
class HorizonProgress:
    """Index targets of one horizon over the programme's agencies: how many have one, how many reached it,
    and the mean share of the way from baseline to target (0-1, capped)."""

    horizon: str
    agencies: int
    reached: int
    mean_share: float


@dataclass(frozen=True)
class ProgrammeOverview:
    period: PeriodInfo
    framework: Framework  # the programme's own (bilingual); its first hierarchy level's groups are the steps
    runner_name: str | None
    agencies: int
    verified_means: dict[str, float]  # step -> mean over agencies with verified results
    self_means: dict[str, float]  # step -> mean of self-assessed levels (all submitted or later)
    target_means: dict[str, dict[str, float]]  # horizon -> step -> mean target value
    horizons: list[HorizonProgress]
    stuck: list[tuple[str, int]]  # (step, agencies whose lowest step it is), most first
    not_applicable: int  # indicator scores marked N/A in the period
    results: list[AgencyResult] = field(default_factory=list)

    @property
    def stuck_step(self) -> str | None:
        return self.stuck[0][0] if self.stuck else None

    def framework_name_in(self, lang: str) -> str:
        """The framework's name in the reader's language (framework files are bilingual)."""
        return self.framework.name_en if lang == "en" else self.framework.name

    def step_labels_in(self, lang: str) -> dict[str, str]:
        """Step code -> the step's name in the reader's language."""
        steps = self.framework.groups_of_kind(self.framework.hierarchy[0])
        return {g.code: g.name_en if lang == "en" else g.name for g in steps}


def prefer_official(periods: list[PeriodInfo]) -> list[PeriodInfo]:
    """Periods of one year as a command asked for them without --framework: when a programme sits beside
    exactly one official period, the official one (a programme is named with --framework)."""
    official = [p for p in periods if not p.is_programme]
    return official if len(periods) > 1 and len(official) == 1 else periods


def programme_periods(session: Session) -> list[PeriodInfo]:
    """Every programme period, oldest first."""
    return [p for p in list_periods(session) if p.is_programme]


def programme_overview(session: Session, period_id: int) -> ProgrammeOverview:
    """The programme period's steps (verified and self means), targets per horizon and the stuck step.
    Raises LookupError when the period is not a programme period."""
    period = next((p for p in list_periods(session) if p.id == period_id and p.is_programme), None)
    if period is None:
        raise NotFound("ea.programme_period_missing", period_id=str(period_id))
    framework = load_framework_version(session, period.framework_version_id)
    kind = framework.hierarchy[0]
    verified = [r for r in period_results(session, period_id) if r.result.complete]
    if not period.verified:  # self-assessed only: the agencies' own levels are the programme's results
        verified = []
    own = [
        r
        for r in period_results(session, period_id, levels="self", statuses=PROGRAMME_STATUSES[:3])
        if r.result.complete
    ]
    shown = verified or own
    agency_ids = {r.agency_id for r in period_results(session, period_id, statuses=PROGRAMME_STATUSES)}
    targets = session.exec(
        select(RoadmapTarget).where(
            RoadmapTarget.framework_id == framework.id,
            col(RoadmapTarget.agency_id).in_(agency_ids),
            col(RoadmapTarget.superseded_by).is_(None),
        )
    ).all()
    target_sums: dict[str, dict[str, list[float]]] = {h: defaultdict(list) for h in HORIZONS}
    latest_index = {r.agency_id: r.result.index_value for r in shown}
    horizon_rows: dict[str, list[tuple[bool, float]]] = defaultdict(list)
    for target in targets:
        if target.target_kind == "group" and target.target_code:
            target_sums[target.horizon][target.target_code].append(target.target_value)
        elif target.target_kind == "index" and target.agency_id in latest_index:
            now = latest_index[target.agency_id] or 0.0
            base = target.baseline_value if target.baseline_value is not None else now
            span = target.target_value - base
            share = 1.0 if span <= 0 else max(0.0, min(1.0, (now - base) / span))
            horizon_rows[target.horizon].append((now >= target.target_value, share))
    stuck = Counter(
        min(r.result.values_of(kind).items(), key=lambda item: (item[1], item[0]))[0]
        for r in shown
        if r.result.values_of(kind)
    )
    runner = session.get(Agency, period.runner_agency_id) if period.runner_agency_id else None
    from evaluation.models import Assessment, IndicatorScore

    na = session.exec(
        select(IndicatorScore.id)
        .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
        .where(Assessment.period_id == period_id, col(IndicatorScore.not_applicable))
    ).all()
    return ProgrammeOverview(
        period=period,
        framework=framework,
        runner_name=runner.name if runner else None,
        agencies=len(agency_ids),
        verified_means=group_means(verified, kind),
        self_means=group_means(own, kind),
        target_means={
            h: {code: sum(v) / len(v) for code, v in by_step.items()} for h, by_step in target_sums.items()
        },
        horizons=[
            HorizonProgress(
                h,
                len(horizon_rows[h]),
                sum(1 for ok, _ in horizon_rows[h] if ok),
                sum(s for _, s in horizon_rows[h]) / len(horizon_rows[h]) if horizon_rows[h] else 0.0,
            )
            for h in HORIZONS
        ],
        stuck=sorted(stuck.items(), key=lambda item: (-item[1], item[0])),
        not_applicable=len(na),
        results=shown,
    )
