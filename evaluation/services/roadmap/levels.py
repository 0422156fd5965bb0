"""The levels the what-if simulator and the best path start from."""

from __future__ import annotations

from sqlmodel import Session

from evaluation.services.actors import Actor, require_agency_access
from evaluation.services.results import list_periods
from evaluation.workflow import AssessmentStatus


def latest_levels(
    session: Session, *, actor: Actor, agency_id: int, framework_id: str
) -> tuple[int | None, dict[str, float], str]:
    """The levels the what-if starts from: the latest verified ones, else the latest self-assessed ones."""
    require_agency_access(actor, agency_id)
    from evaluation.services.assessment_view import view_assessment
    from evaluation.services.self_assessment import find_assessment

    for source in ("final", "self"):
        for period in sorted(
            (p for p in list_periods(session) if p.framework_id == framework_id), key=lambda p: -p.year
        ):
            found = find_assessment(session, actor=actor, agency_id=agency_id, period_id=period.id)
            if found is None:
                continue
            view = view_assessment(session, actor=actor, assessment_id=found)
            if source == "final" and view.status != AssessmentStatus.FINAL:
                continue  # a review still in progress is not a verified result
            levels = {
                c: (s.final_level if source == "final" else s.self_level) for c, s in view.scores.items()
            }
            if all(v is not None for v in levels.values()):
                return period.year, {c: _level(v) for c, v in levels.items() if v is not None}, source
    return None, {}, "none"


def _level(value: float) -> float:
    """Whole levels as int (3, not 3.0); fractional Pemdi values kept as they are."""
    return int(value) if float(value).is_integer() else value
