"""The levels the bridge's what-if starts from, for one agency: its latest founding-framework levels
(not-applicable indicators as None) and its latest official levels, each verified if there are any, else
self-assessed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from evaluation.services.actors import Actor, require_agency_access
from evaluation.services.results import list_periods
from evaluation.services.roadmap import latest_levels
from evaluation.workflow import AssessmentStatus


@dataclass(frozen=True)
class BridgeStart:
    founding_year: int | None
    founding: dict[str, float | None]  # None: not applicable
    founding_source: str  # "final", "self" or "none"
    official_year: int | None
    official: dict[str, float]
    official_source: str


def latest_founding_levels(
    session: Session, *, actor: Actor, agency_id: int, framework_id: str
) -> tuple[int | None, dict[str, float | None], str]:
    """(year, levels, source) of the agency's latest complete founding assessment: verified ('final')
    first, else self-assessed ('self'); not-applicable indicators are None. (None, {}, 'none') when there
    is none. Raises PermissionDenied for another agency's agency user."""
    require_agency_access(actor, agency_id)
    from evaluation.services.assessment_view import view_assessment
    from evaluation.services.self_assessment import find_assessment

    periods = sorted(
        (p for p in list_periods(session) if p.framework_id == framework_id), key=lambda p: -p.year
    )
    for source in ("final", "self"):
        for period in periods:
            found = find_assessment(session, actor=actor, agency_id=agency_id, period_id=period.id)
            if found is None:
                continue
            view = view_assessment(session, actor=actor, assessment_id=found)
            if source == "final" and view.status != AssessmentStatus.FINAL:
                continue
            levels: dict[str, float | None] = {
                code: None if s.not_applicable else (s.final_level if source == "final" else s.self_level)
                for code, s in view.scores.items()
            }
            applicable = [code for code, s in view.scores.items() if not s.not_applicable]
            if applicable and all(levels[code] is not None for code in applicable):
                return period.year, levels, source
    return None, {}, "none"


def bridge_start(
    session: Session, *, actor: Actor, agency_id: int, founding_id: str, official_id: str
) -> BridgeStart:
    """Both starting points of the bridge's what-if for one agency (see the module docstring)."""
    year, founding, source = latest_founding_levels(
        session, actor=actor, agency_id=agency_id, framework_id=founding_id
    )
    official_year, official, official_source = latest_levels(
        session, actor=actor, agency_id=agency_id, framework_id=official_id
    )
    return BridgeStart(year, founding, source, official_year, official, official_source)
