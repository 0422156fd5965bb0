"""Targets (agency and national): their status, adding and restating them, and the ones off track."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from evaluation import roadmap_math
from evaluation.models import (
    AGENCY_CATEGORIES,
    HORIZONS,
    Agency,
    RoadmapTarget,
)
from evaluation.services import audit
from evaluation.services.actors import Actor, PermissionDenied, require_agency_access
from evaluation.services.audit_fields import record_change, record_created
from evaluation.services.frameworks import framework_of, latest_version
from evaluation.services.roadmap.observed import ResultsCache, observations
from evaluation.services.text_rules import LENGTHS, check_text
from evaluation.settings import horizon_lengths
from evaluation.translatable import InvalidInput, Message
from evaluation.workflow import Role

ENTITY = "roadmap_target"  # the audit log's name of a target


def horizon_years(baseline_year: int) -> dict[str, int]:
    """Target years by horizon: defaults 1, 3 and 5 years on; SPBE_HORIZON_YEARS="1,3,5" changes them
    (evaluation.settings.horizon_lengths)."""
    return {h: baseline_year + n for h, n in zip(HORIZONS, horizon_lengths(), strict=True)}


@dataclass
class TargetView:
    id: int
    agency_id: int | None
    framework_id: str
    horizon: str
    target_kind: str
    target_code: str | None
    category: str | None
    predicate: str | None
    baseline_year: int
    baseline_value: float | None
    target_year: int
    target_value: float
    note: str | None
    superseded: bool
    observations: dict[int, float] = field(default_factory=dict)
    assessment: roadmap_math.Assessment | None = None


def list_targets(
    session: Session,
    *,
    actor: Actor,
    agency_id: int | None,
    current_year: int | None = None,
    include_history: bool = True,
    cache: ResultsCache | None = None,
) -> list[TargetView]:
    """An agency's targets (or the national ones with agency_id None), each with its status."""
    if agency_id is not None:
        require_agency_access(actor, agency_id)
    query = select(RoadmapTarget).where(
        col(RoadmapTarget.agency_id).is_(None) if agency_id is None else RoadmapTarget.agency_id == agency_id
    )
    if not include_history:
        query = query.where(col(RoadmapTarget.superseded_by).is_(None))
    now = current_year or date.today().year
    cache = cache if cache is not None else {}
    views = []
    for target in session.exec(query.order_by(col(RoadmapTarget.target_year), col(RoadmapTarget.id))):
        seen = observations(session, target, cache)
        line = roadmap_math.TargetLine(
            target.baseline_year,
            target.baseline_value
            if target.baseline_value is not None
            else seen.get(target.baseline_year, target.target_value),
            target.target_year,
            target.target_value,
        )
        views.append(
            TargetView(
                target.id or 0,
                target.agency_id,
                target.framework_id,
                target.horizon,
                target.target_kind,
                target.target_code,
                target.category,
                target.predicate,
                target.baseline_year,
                target.baseline_value,
                target.target_year,
                target.target_value,
                target.note,
                target.superseded_by is not None,
                seen,
                roadmap_math.assess(line, seen, current_year=now),
            )
        )
    return views


def require_target_owner(actor: Actor, agency_id: int | None) -> None:
    if agency_id is None:
        if not actor.is_ministry:
            raise PermissionDenied("ea.targets_national_ministry")
        return
    if actor.role not in tuple(Role):
        raise PermissionDenied("ea.targets_unknown_role")
    if not actor.is_ministry and actor.agency_id != agency_id:
        raise PermissionDenied("ea.targets_own_agency")


def save_target(
    session: Session,
    *,
    actor: Actor,
    agency_id: int | None,
    framework_id: str,
    horizon: str,
    baseline_year: int,
    target_year: int,
    target_value: float,
    baseline_value: float | None = None,
    target_kind: str = "index",
    target_code: str | None = None,
    category: str | None = None,
    predicate: str | None = None,
    note: str | None = None,
    replaces: int | None = None,
) -> int:
    """Add a target (or restate one: `replaces` keeps the old one visible as history)."""
    require_target_owner(actor, agency_id)
    check_text(note, Message("ea.label_note"), max_length=LENGTHS["free_text"], multiline=True)
    version = latest_version(session, framework_id)
    if version is None:
        raise InvalidInput("ea.unknown_framework", framework=framework_id)
    framework = framework_of(version)
    if horizon not in HORIZONS:
        raise InvalidInput("ea.unknown_horizon", horizon=horizon)
    if target_year < baseline_year:
        raise InvalidInput("ea.target_year_before_baseline")
    low, high = (0.0, 1.0) if target_kind == "share" else (1.0, 5.0)
    if not low <= target_value <= high or (baseline_value is not None and not low <= baseline_value <= high):
        raise InvalidInput("ea.value_outside", low=low, high=high)
    if target_kind == "group" and target_code not in framework.group_by_code:
        raise InvalidInput("ea.target_group_unknown", framework=framework_id)
    if target_kind == "indicator" and target_code not in framework.indicator_by_code:
        raise InvalidInput("ea.target_indicator_unknown", framework=framework_id)
    if target_kind == "share" and (category not in AGENCY_CATEGORIES or predicate is None):
        raise InvalidInput("ea.share_target_needs")
    target = RoadmapTarget(
        agency_id=agency_id,
        framework_id=framework_id,
        horizon=horizon,
        baseline_year=baseline_year,
        baseline_value=baseline_value,
        target_year=target_year,
        target_kind=target_kind,
        target_code=target_code,
        category=category,
        predicate=predicate,
        target_value=target_value,
        note=note,
        created_by=actor.user_id,
    )
    from evaluation.services.roadmap.edits import duplicate_target  # edits imports this module

    if duplicate_target(session, target.model_dump(), ignore_id=replaces) is not None:
        raise InvalidInput("ea.target_duplicate")
    session.add(target)
    session.flush()  # the logged fields include the new id
    change_set = audit.new_change_set()
    new = target.model_dump(exclude={"created_at"})
    record_created(
        session, target, actor=actor, action="add_target", entity=ENTITY, new=new, change_set=change_set
    )
    if replaces is not None:
        old = session.get(RoadmapTarget, replaces)
        if old is None or old.agency_id != agency_id:
            raise InvalidInput("ea.earlier_target_missing")
        # logged with its old value: None, as only live targets are offered for restating
        record_change(
            session,
            old,
            "superseded_by",
            target.id,
            actor=actor,
            action="restate_target",
            entity=ENTITY,
            change_set=change_set,
        )
        session.add(old)
    return target.id or 0


def agency_names(session: Session, agency_ids: Iterable[int]) -> dict[int, str]:
    """{agency id: name} of these agencies in one query ("?" for an id that is not an agency)."""
    wanted = sorted(set(agency_ids))
    found: dict[int, str] = {}
    for start in range(0, len(wanted), 500):  # bound the IN list (SQLite's variable limit, plan size)
        chunk = wanted[start : start + 500]
        rows = session.exec(select(Agency.id, Agency.name).where(col(Agency.id).in_(chunk)))
        found.update({int(i or 0): name for i, name in rows})
    return {agency_id: found.get(agency_id, "?") for agency_id in wanted}


def off_track_targets(
    session: Session,
    *,
    actor: Actor,
    current_year: int | None = None,
    cache: ResultsCache | None = None,
) -> list[TargetView]:
    """Every agency's live target that is off track or at risk (ministry only). `cache`: the results per
    framework and year already read by the caller (`list_targets`'s), filled here otherwise."""
    from evaluation.services.actors import require_role

    require_role(actor, Role.REVIEWER, Role.ADMIN)
    agencies = session.exec(
        select(RoadmapTarget.agency_id).where(col(RoadmapTarget.agency_id).is_not(None)).distinct()
    ).all()
    found: list[TargetView] = []
    cache = cache if cache is not None else {}  # every agency's targets read the same results
    for agency_id in agencies:
        if agency_id is None:
            continue
        found += [
            tv
            for tv in list_targets(
                session,
                actor=actor,
                agency_id=agency_id,
                current_year=current_year,
                include_history=False,
                cache=cache,
            )
            if tv.assessment is not None and tv.assessment.status in ("off_track", "at_risk")
        ]
    return found
