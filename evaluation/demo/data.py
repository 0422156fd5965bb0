"""Deterministic demo data: the real agency list, 2021-2025 on spbe-2020 and 2026 (in progress) on pemdi-2026,
and a province's programme on the founding framework 2024-2026 (demo/programme.py).

Levels come from a seeded model: per agency a lasting strength, per indicator a difficulty, per year a
category mean calibrated to the published national figures (SPBE.md). Self-assessed levels run higher
than final ones. Nothing here claims to be a real agency's result.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert
from sqlmodel import Session, col, select

from evaluation.demo.programme import PROGRAMME_PROVINCE, insert_demo_programme
from evaluation.demo.targets import insert_demo_targets
from evaluation.models import Agency, Assessment, IndicatorScore, Period, utcnow
from evaluation.services.actors import SYSTEM
from evaluation.services.agencies import AgencyRow, read_reference_agencies
from evaluation.services.frameworks import framework_of, latest_version, sync_shipped_frameworks
from evaluation.translatable import SetupError
from indicators.schema import Framework

# National index (published, SPBE.md) and 2024 category means; 2025 and 2026 are demo assumptions.
# 2019 and 2020 (published under the older 2018 framework) only calibrate the benchmarks' extra periods.
NATIONAL = {2019: 2.18, 2020: 2.26, 2021: 2.24, 2022: 2.34, 2023: 2.79, 2024: 3.12, 2025: 3.28, 2026: 2.86}
CATEGORY_2024 = {"Kementerian": 4.03, "Lembaga": 3.60, "Provinsi": 3.42, "Kabupaten": 2.97, "Kota": 3.39}
YEARS = {
    2021: ("spbe-2020", "evaluasi", None),
    2022: ("spbe-2020", "evaluasi", None),
    2023: ("spbe-2020", "evaluasi", "round2"),
    2024: ("spbe-2020", "evaluasi", "raw"),
    2025: ("spbe-2020", "pemantauan", None),
    2026: ("pemdi-2026", "pemdi", None),
}
CURRENT_YEAR = 2026
DEMO_AGENCY_CODE = "KOTA-001"
# Demo only: one user per role, documented in the README. Never use these outside a demo.
DEMO_USERS = (
    ("admin", "Admin Demo", "admin", None, "pengelola-demo-2026"),
    ("asesor", "Asesor Demo", "reviewer", None, "penilai-demo-2026"),
    ("koordinator", "Koordinator SPBE Demo", "coordinator", DEMO_AGENCY_CODE, "pengaju-demo-2026"),
    ("operator", "Operator Demo", "operator", DEMO_AGENCY_CODE, "pengisi-demo-2026"),
    # the coordinator of the province's programme on the founding framework (demo/programme.py)
    (
        "koordinator-program",
        "Koordinator Program Aceh",
        "coordinator",
        PROGRAMME_PROVINCE,
        "penggerak-langkah-2026",
    ),
)
Progress = Callable[[float, str], None]


@dataclass
class DemoSummary:
    agencies: int
    periods: int
    assessments: int
    scores: int
    targets: int


def _category_means(national: float, weights: dict[str, int]) -> dict[str, float]:
    """Category means for a year, keeping 2024's ratios and matching that year's national mean."""
    total = sum(weights.values())
    national_2024 = sum(CATEGORY_2024[c] * n for c, n in weights.items()) / total
    factor = national / national_2024
    return {c: CATEGORY_2024[c] * factor for c in CATEGORY_2024}


def _levels(rng: random.Random, centre: float, difficulties: list[float]) -> list[int]:
    return [max(1, min(5, round(centre + d + rng.gauss(0, 0.55)))) for d in difficulties]


def _mean_index(levels: list[int], weights: list[float]) -> float:
    return sum(lv * w for lv, w in zip(levels, weights, strict=True)) / sum(weights)


def _self_level(rng: random.Random, final: int) -> int:
    roll = rng.random()
    bump = 2 if roll < 0.07 else 1 if roll < 0.42 else -1 if roll > 0.98 else 0
    return max(1, min(5, final + bump))


def _year_levels(
    seed: int, year: int, framework: Framework, agencies: list[Agency], strength: dict[int, float]
) -> dict[int, list[int]]:
    """Final levels per agency for one year, calibrated (two passes) to the category means."""
    weights = [float(ind.weight) for ind in framework.indicators]
    diff_rng = random.Random(f"{seed}-{framework.id}-difficulty")
    difficulties = [diff_rng.gauss(0, 0.35) for _ in framework.indicators]
    counts: dict[str, int] = {}
    for agency in agencies:
        counts[agency.category] = counts.get(agency.category, 0) + 1
    targets = _category_means(NATIONAL.get(year, NATIONAL[min(NATIONAL)]), counts)
    shift = dict.fromkeys(targets, 0.0)
    levels: dict[int, list[int]] = {}
    for _ in range(3):
        rng = random.Random(f"{seed}-{year}")
        levels = {
            a.id or 0: _levels(
                rng, targets[a.category] + shift[a.category] + strength[a.id or 0], difficulties
            )
            for a in agencies
        }
        for category, target in targets.items():
            members = [levels[a.id or 0] for a in agencies if a.category == category]
            if members:
                actual = sum(_mean_index(m, weights) for m in members) / len(members)
                shift[category] += target - actual
    return levels


def load_demo(
    session: Session,
    *,
    limit: int | None = None,
    seed: int = 2026,
    progress: Progress | None = None,
    years: Mapping[int, tuple[str, str, str | None]] = YEARS,
) -> DemoSummary:
    """Fill an empty database with the demo picture. `limit` keeps the first N agencies (tests); `years`
    adds or replaces periods (the benchmarks load more years than the demo shows)."""
    report = progress or (lambda _f, _m: None)
    if session.exec(select(Agency).limit(1)).first() is not None:
        raise SetupError("error.demo_needs_empty_database")
    sync_shipped_frameworks(session, actor=SYSTEM)
    rows = read_reference_agencies()
    if limit is not None:
        rows = _spread(rows, limit)
    report(0.05, "instansi / agencies")
    agencies = [
        Agency(code=r.code, name=r.name, category=r.category, subcategory=r.subcategory, province=r.province)
        for r in rows
    ]
    session.add_all(agencies)
    session.flush()
    provinces = {a.province: a.id for a in agencies if a.category == "Provinsi"}
    for agency in agencies:
        if agency.category in ("Kabupaten", "Kota"):
            agency.parent_id = provinces.get(agency.province)
    rng = random.Random(f"{seed}-strength")
    strength = {a.id or 0: rng.gauss(0, 0.38) for a in agencies}
    n_assessments = n_scores = 0
    for step, (year, (framework_id, evaluation_type, rounding)) in enumerate(sorted(years.items())):
        report(0.1 + 0.8 * step / len(years), f"periode / period {year}")
        version = latest_version(session, framework_id)
        assert version is not None and version.id is not None
        framework = framework_of(version)
        period = Period(
            year=year,
            framework_version_id=version.id,
            evaluation_type=evaluation_type,
            status="open" if year == CURRENT_YEAR else "closed",
            predicate_rounding=rounding,
            opens_on=date(year, 3, 1),
            closes_on=date(year, 12, 15),
        )
        session.add(period)
        session.flush()
        drift = {aid: s + rng.gauss(0, 0.08) * (year - 2021) for aid, s in strength.items()}
        levels = _year_levels(seed, year, framework, agencies, drift)
        a, s = _insert_period(
            session, period, version.id, framework, agencies, levels, random.Random(f"{seed}-{year}-s")
        )
        n_assessments += a
        n_scores += s
    report(0.9, "program / programme")
    programme = insert_demo_programme(session, agencies, seed)
    report(0.92, "peta rencana / roadmap targets")
    targets = insert_demo_targets(session, agencies, random.Random(f"{seed}-targets"))
    _insert_users(session, agencies)
    from evaluation.demo.reviewers import assign_demo_reviewers

    assign_demo_reviewers(session, year=CURRENT_YEAR, demo_agency_code=DEMO_AGENCY_CODE)
    from evaluation.demo.schedule import schedule_demo_periods

    schedule_demo_periods(session, year=CURRENT_YEAR, today=utcnow().date())
    from evaluation.demo.recommendations import insert_demo_recommendations

    insert_demo_recommendations(
        session, agencies, seed, current_year=CURRENT_YEAR, demo_agency_code=DEMO_AGENCY_CODE
    )
    report(1.0, "selesai / done")
    return DemoSummary(
        len(agencies),
        len(years) + programme.periods,
        n_assessments + programme.assessments,
        n_scores + programme.scores,
        targets + programme.targets,
    )


def _spread(rows: list[AgencyRow], limit: int) -> list[AgencyRow]:
    """A small sample that still has every category (for tests and quick demos)."""
    by_category: dict[str, list[AgencyRow]] = {}
    for row in rows:
        by_category.setdefault(row.category, []).append(row)
    picked: list[AgencyRow] = []
    while len(picked) < min(limit, len(rows)):
        for members in by_category.values():
            if members and len(picked) < limit:
                picked.append(members.pop(0))
    return picked


def _status_2026(rng: random.Random) -> str:
    roll = rng.random()
    return "final" if roll < 0.45 else "in_review" if roll < 0.62 else "submitted" if roll < 0.8 else "draft"


def _insert_period(
    session: Session,
    period: Period,
    version_id: int,
    framework: Framework,
    agencies: list[Agency],
    levels: dict[int, list[int]],
    rng: random.Random,
) -> tuple[int, int]:
    in_progress = period.status == "open"
    now = utcnow()
    assessment_rows = []
    status_of: dict[int, str] = {}
    if in_progress:  # the demo users' agency opens its current assessment itself
        agencies = [a for a in agencies if a.code != DEMO_AGENCY_CODE]
    for agency in agencies:
        status = status_of[agency.id or 0] = _status_2026(rng) if in_progress else "final"
        assessment_rows.append(
            {
                "agency_id": agency.id,
                "period_id": period.id,
                "framework_version_id": version_id,
                "status": status,
                "stage": "document" if status == "in_review" else ("final" if status == "final" else None),
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "submitted_at": now if status != "draft" else None,
                "finalized_at": now if status == "final" else None,
            }
        )
    session.execute(insert(Assessment), assessment_rows)
    ids = dict(
        session.exec(
            select(Assessment.agency_id, Assessment.id).where(Assessment.period_id == period.id)
        ).all()
    )
    score_rows = []
    for agency in agencies:
        aid = agency.id or 0
        status = status_of[aid]
        filled = (
            len(framework.indicators) if status != "draft" else rng.randint(0, len(framework.indicators) - 1)
        )
        for position, (indicator, final) in enumerate(zip(framework.indicators, levels[aid], strict=True)):
            own = _self_level(rng, final) if position < filled else None
            criterion = indicator.criterion(own) if own else None
            score_rows.append(
                {
                    "assessment_id": ids[aid],
                    "indicator_code": indicator.code,
                    "self_level": own,
                    "final_level": final
                    if status == "final" or (status == "in_review" and position % 3 == 0)
                    else None,
                    "justification": (f"Demo: {criterion.id}" if criterion and in_progress else None),
                    "not_applicable": False,
                    "updated_at": now,
                }
            )
    session.execute(insert(IndicatorScore), score_rows)
    return len(assessment_rows), len(score_rows)


def agency_count(session: Session) -> int:
    return len(session.exec(select(col(Agency.id))).all())


def _insert_users(session: Session, agencies: list[Agency]) -> None:
    from evaluation.services.users import create_user

    present = {a.code for a in agencies}
    for username, name, role, agency_code, password in DEMO_USERS:
        if agency_code is None or agency_code in present:
            create_user(
                session,
                actor=SYSTEM,
                username=username,
                full_name=name,
                password=password,
                role=role,
                agency_code=agency_code,
            )
