"""Roadmap use cases: targets (agency and national) with their status, restating targets on a new
framework, activities (kegiatan), and the levels the what-if and best-path tools start from."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from evaluation import roadmap
from evaluation.models import (
    ACTIVITY_STATUSES,
    AGENCY_CATEGORIES,
    HORIZONS,
    Activity,
    ActivityIndicator,
    Agency,
    Assessment,
    FrameworkVersion,
    IndicatorScore,
    Period,
    RoadmapTarget,
)
from evaluation.services import audit
from evaluation.services.actors import Actor, PermissionDenied, require_agency_access
from evaluation.services.frameworks import framework_of, latest_version
from evaluation.services.results import AgencyResult, list_periods, period_results, published_results


def horizon_years(baseline_year: int) -> dict[str, int]:
    """Target years by horizon: defaults 1, 3 and 5 years on; SPBE_HORIZON_YEARS="1,3,5" changes them."""
    lengths = [int(x) for x in os.environ.get("SPBE_HORIZON_YEARS", "1,3,5").split(",")]
    return {h: baseline_year + n for h, n in zip(HORIZONS, lengths, strict=True)}


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
    assessment: roadmap.Assessment | None = None


def _results_by_year(session: Session, framework_id: str) -> dict[int, list[AgencyResult]]:
    """Verified results per year on a framework; published results fill the years not assessed here."""
    by_year: dict[int, list[AgencyResult]] = {}
    for period in list_periods(session):
        if period.framework_id == framework_id:
            by_year[period.year] = [r for r in period_results(session, period.id) if r.result.complete]
    assessed = set(by_year)
    for result in published_results(session):
        if result.framework_id == framework_id and result.year not in assessed:
            by_year.setdefault(result.year, []).append(result)
    return by_year


def _value(result: AgencyResult, kind: str, code: str | None) -> float | None:
    if kind == "index":
        return result.result.index_value
    if kind == "group" and code in result.result.groups:
        return float(result.result.groups[code])
    return None


def series(
    session: Session,
    *,
    agency_id: int | None,
    framework_id: str,
    kind: str = "index",
    code: str | None = None,
    category: str | None = None,
    predicate: str | None = None,
    cache: dict[str, dict[int, list[AgencyResult]]] | None = None,
) -> dict[int, float]:
    """Observed values per year: an agency's (or, with agency_id None, the mean over agencies), or for
    kind "share" the share of a category's agencies at `predicate` or better."""
    cache = cache if cache is not None else {}
    if framework_id not in cache:
        cache[framework_id] = _results_by_year(session, framework_id)
    if kind == "indicator":
        return _indicator_series(session, agency_id=agency_id, framework_id=framework_id, code=code or "")
    rank: dict[str, int] = {}
    if kind == "share":
        version = latest_version(session, framework_id)
        assert version is not None
        bands = [b.name for b in framework_of(version).predicate.bands]
        if predicate not in bands:
            raise ValueError(f"Predikat tidak dikenal: {predicate}. / Unknown predicate {predicate}.")
        rank = {name: n for n, name in enumerate(bands)}
    values_by_year: dict[int, float] = {}
    for year, results in cache[framework_id].items():
        if kind == "share":
            # each result's own predicate, banded by its period's rounding rule
            members = [
                r.result.predicate.name for r in results if r.category == category and r.result.predicate
            ]
            if members:
                good = sum(1 for name in members if rank[name] >= rank[predicate or ""])
                values_by_year[year] = good / len(members)
            continue
        values = [
            v
            for r in results
            if (agency_id is None or r.agency_id == agency_id) and (v := _value(r, kind, code)) is not None
        ]
        if values:
            values_by_year[year] = sum(values) / len(values)
    return values_by_year


def _indicator_series(
    session: Session, *, agency_id: int | None, framework_id: str, code: str
) -> dict[int, float]:
    """An indicator's verified level per year (the mean over agencies when agency_id is None)."""
    query = (
        sa_select(col(Period.year), col(IndicatorScore.final_level))
        .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
        .join(Period, col(Period.id) == col(Assessment.period_id))
        .join(FrameworkVersion, col(FrameworkVersion.id) == col(Period.framework_version_id))
        .where(
            col(FrameworkVersion.framework_id) == framework_id,
            col(Assessment.status) == "final",
            col(IndicatorScore.indicator_code) == code,
            col(IndicatorScore.final_level).is_not(None),
        )
    )
    if agency_id is not None:
        query = query.where(col(Assessment.agency_id) == agency_id)
    by_year: dict[int, list[float]] = defaultdict(list)
    for year, level in session.connection().execute(query).fetchall():
        by_year[int(year)].append(float(level or 0))
    return {year: sum(values) / len(values) for year, values in by_year.items()}


def observations(
    session: Session, target: RoadmapTarget, cache: dict[str, dict[int, list[AgencyResult]]] | None = None
) -> dict[int, float]:
    """What was observed per year for a target."""
    return series(
        session,
        agency_id=target.agency_id,
        framework_id=target.framework_id,
        kind=target.target_kind,
        code=target.target_code,
        category=target.category,
        predicate=target.predicate,
        cache=cache,
    )


def list_targets(
    session: Session,
    *,
    actor: Actor,
    agency_id: int | None,
    current_year: int | None = None,
    include_history: bool = True,
    cache: dict[str, dict[int, list[AgencyResult]]] | None = None,
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
        line = roadmap.TargetLine(
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
                roadmap.assess(line, seen, current_year=now),
            )
        )
    return views


def _require_target_owner(actor: Actor, agency_id: int | None) -> None:
    if agency_id is None:
        if not actor.is_ministry:
            raise PermissionDenied(
                "Target nasional hanya untuk kementerian. / National targets are the ministry's."
            )
        return
    if actor.role not in ("coordinator", "operator", "reviewer", "admin"):
        raise PermissionDenied("Peran tidak dikenal. / Unknown role.")
    if not actor.is_ministry and actor.agency_id != agency_id:
        raise PermissionDenied("Hanya target instansi Anda sendiri. / Only your own agency's targets.")


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
    _require_target_owner(actor, agency_id)
    version = latest_version(session, framework_id)
    if version is None:
        raise ValueError(f"Kerangka tidak dikenal: {framework_id}. / Unknown framework {framework_id}.")
    framework = framework_of(version)
    if horizon not in HORIZONS:
        raise ValueError(f"Jangka tidak dikenal: {horizon}. / Unknown horizon {horizon}.")
    if target_year < baseline_year:
        raise ValueError("Tahun target sebelum tahun dasar. / The target year is before the baseline year.")
    low, high = (0.0, 1.0) if target_kind == "share" else (1.0, 5.0)
    if not low <= target_value <= high or (baseline_value is not None and not low <= baseline_value <= high):
        raise ValueError(f"Nilai di luar {low:g}-{high:g}. / Value outside {low:g}-{high:g}.")
    if target_kind == "group" and target_code not in framework.group_by_code:
        raise ValueError(
            f"Pilih domain/aspek {framework_id} yang dikenal. / Choose a group of {framework_id}."
        )
    if target_kind == "indicator" and target_code not in framework.indicator_by_code:
        raise ValueError(
            f"Pilih indikator {framework_id} yang dikenal. / Choose an indicator of {framework_id}."
        )
    if target_kind == "share" and (category not in AGENCY_CATEGORIES or predicate is None):
        raise ValueError(
            "Target porsi perlu kategori dan predikat. / A share target needs category and predicate."
        )
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
    session.add(target)
    session.flush()
    change_set = audit.new_change_set()
    audit.record(
        session,
        actor=actor,
        change_set=change_set,
        action="add_target",
        entity="roadmap_target",
        entity_id=target.id,
        new=target.model_dump(exclude={"created_at"}),
    )
    if replaces is not None:
        old = session.get(RoadmapTarget, replaces)
        if old is None or old.agency_id != agency_id:
            raise ValueError("Target lama tidak ditemukan. / The earlier target does not exist.")
        old.superseded_by = target.id
        session.add(old)
        audit.record(
            session,
            actor=actor,
            change_set=change_set,
            action="restate_target",
            entity="roadmap_target",
            entity_id=old.id,
            field="superseded_by",
            old=None,
            new=target.id,
        )
    return target.id or 0


@dataclass(frozen=True)
class ActivityView:
    id: int
    framework_id: str
    title: str
    owner: str
    starts_on: date
    due_on: date
    status: str
    intended_level: int | None
    indicators: tuple[str, ...]
    notes: str | None
    overdue: bool


def save_activity(
    session: Session,
    *,
    actor: Actor,
    agency_id: int,
    framework_id: str,
    title: str,
    owner: str,
    starts_on: date,
    due_on: date,
    indicators: list[str],
    status: str = "planned",
    intended_level: int | None = None,
    notes: str | None = None,
    activity_id: int | None = None,
) -> int:
    _require_target_owner(actor, agency_id)
    version = latest_version(session, framework_id)
    if version is None:
        raise ValueError(f"Kerangka tidak dikenal: {framework_id}. / Unknown framework {framework_id}.")
    framework = framework_of(version)
    unknown = [code for code in indicators if code not in framework.indicator_by_code]
    if not title.strip() or not owner.strip():
        raise ValueError("Judul dan penanggung jawab wajib diisi. / Title and owner are required.")
    if not indicators or unknown:
        raise ValueError(f"Pilih indikator yang dikenal ({', '.join(unknown)}). / Choose known indicators.")
    if due_on < starts_on:
        raise ValueError("Tanggal selesai sebelum tanggal mulai. / The due date is before the start date.")
    if status not in ACTIVITY_STATUSES:
        raise ValueError(f"Status tidak dikenal: {status}. / Unknown status {status}.")
    if intended_level is not None and not 1 <= intended_level <= 5:
        raise ValueError("Tingkat sasaran 1-5. / The intended level is 1-5.")
    twin = session.exec(
        select(Activity).where(
            Activity.agency_id == agency_id,
            Activity.framework_id == framework_id,
            Activity.title == title.strip(),
        )
    ).first()
    if twin is not None and twin.id != activity_id:
        raise ValueError(
            f"Kegiatan '{title.strip()}' sudah ada; ubah yang itu. / "
            f"The activity '{title.strip()}' exists already; edit that one."
        )
    record = session.get(Activity, activity_id) if activity_id else None
    if activity_id and (record is None or record.agency_id != agency_id):
        raise ValueError("Kegiatan tidak ditemukan. / No such activity.")
    values: dict[str, Any] = {
        "title": title.strip(),
        "owner": owner.strip(),
        "starts_on": starts_on,
        "due_on": due_on,
        "status": status,
        "intended_level": intended_level,
        "notes": (notes or "").strip() or None,
    }
    old = None if record is None else {k: getattr(record, k) for k in values}
    record = record or Activity(agency_id=agency_id, framework_id=framework_id, **values)
    for name, value in values.items():
        setattr(record, name, value)
    session.add(record)
    session.flush()
    for link in session.exec(select(ActivityIndicator).where(ActivityIndicator.activity_id == record.id)):
        session.delete(link)
    session.flush()
    for code in dict.fromkeys(indicators):
        session.add(ActivityIndicator(activity_id=record.id or 0, indicator_code=code))
    audit.record(
        session,
        actor=actor,
        change_set=audit.new_change_set(),
        action="save_activity",
        entity="activity",
        entity_id=record.id,
        old=old,
        new={**values, "indicators": indicators},
    )
    return record.id or 0


def list_activities(
    session: Session, *, actor: Actor, agency_id: int, today: date | None = None
) -> list[ActivityView]:
    require_agency_access(actor, agency_id)
    today = today or date.today()
    links: dict[int, list[str]] = defaultdict(list)
    for link in session.exec(
        select(ActivityIndicator)
        .join(Activity, col(Activity.id) == col(ActivityIndicator.activity_id))
        .where(Activity.agency_id == agency_id)
    ):
        links[link.activity_id].append(link.indicator_code)
    return [
        ActivityView(
            a.id or 0,
            a.framework_id,
            a.title,
            a.owner,
            a.starts_on,
            a.due_on,
            a.status,
            a.intended_level,
            tuple(sorted(links[a.id or 0])),
            a.notes,
            a.due_on < today and a.status not in ("done", "cancelled"),
        )
        for a in session.exec(
            select(Activity)
            .where(Activity.agency_id == agency_id)
            .order_by(col(Activity.starts_on), col(Activity.id))
        )
    ]


def latest_levels(
    session: Session, *, actor: Actor, agency_id: int, framework_id: str
) -> tuple[int | None, dict[str, float], str]:
    """The levels the what-if starts from: the latest verified ones, else the latest self-assessed ones."""
    require_agency_access(actor, agency_id)
    from evaluation.services.assessment_state import view_assessment
    from evaluation.services.self_assessment import find_assessment

    for source in ("final", "self"):
        for period in sorted(
            (p for p in list_periods(session) if p.framework_id == framework_id), key=lambda p: -p.year
        ):
            found = find_assessment(session, actor=actor, agency_id=agency_id, period_id=period.id)
            if found is None:
                continue
            view = view_assessment(session, actor=actor, assessment_id=found)
            if source == "final" and view.status != "final":
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


def agency_name(session: Session, agency_id: int) -> str:
    agency = session.get(Agency, agency_id)
    return agency.name if agency else "?"


def off_track_targets(session: Session, *, actor: Actor, current_year: int | None = None) -> list[TargetView]:
    """Every agency's live target that is off track or at risk (ministry only)."""
    from evaluation.services.actors import require_role

    require_role(actor, "reviewer", "admin")
    agencies = session.exec(
        select(RoadmapTarget.agency_id).where(col(RoadmapTarget.agency_id).is_not(None)).distinct()
    ).all()
    found: list[TargetView] = []
    cache: dict[str, dict[int, list[AgencyResult]]] = {}  # every agency's targets read the same results
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
