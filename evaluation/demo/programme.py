"""The demo's programme on the founding framework (issue 16): the Aceh province runs an acceleration
programme on `vision-to-evaluation` for itself and its regencies and cities, 2024-2026, verified by the
province's reviewers, beside the official periods of the same years.

Deterministic and seeded like the rest of the demo: levels grow year on year, self levels run ahead of
verified ones, a city using the province's data centre marks V05.1 not applicable (the framework allows
N/A), every participant has short-, medium- and long-term targets on the index and on most steps, and
a few activities. Nothing here claims to be a real agency's result.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert
from sqlmodel import Session, col, select

from evaluation import models
from evaluation.models import Agency, Period, utcnow
from evaluation.scoring import score_levels
from evaluation.services.frameworks import framework_of, latest_version
from indicators.schema import Framework

PROGRAMME_FRAMEWORK = "vision-to-evaluation"
PROGRAMME_PROVINCE = "PROV-001"  # Pemerintah Aceh; its regencies and cities are in the 40-agency sample
PROGRAMME_YEARS = (2024, 2025, 2026)
PROGRAMME_OPEN_YEAR = 2026
PROGRAMME_BASELINE_YEAR = 2025  # targets start from the last closed year, so 2026 shows progress
# The steps the runner's own roadmap leaves without a target, for its coordinator to plan (demo, e2e test).
UNPLANNED_STEPS_OF_RUNNER = ("V08", "V09", "V10")
# A city on the province's shared data centre has no data centre of its own to assess.
SHARED_DATA_CENTRE_NA = "V05.1"
HORIZON_STEPS = (("short", 1, 0.5), ("medium", 3, 1.1), ("long", 5, 1.7))


@dataclass(frozen=True)
class ProgrammeSummary:
    periods: int
    assessments: int
    scores: int
    targets: int
    activities: int


def programme_agencies(agencies: list[Agency]) -> list[Agency]:
    """The runner province and its regencies and cities among the loaded agencies (empty without it)."""
    runner = next((a for a in agencies if a.code == PROGRAMME_PROVINCE), None)
    if runner is None:
        return []
    members = [a for a in agencies if a.category in ("Kabupaten", "Kota") and a.province == runner.province]
    return [runner, *members]


def _final_level(centre: float, difficulty: float, rng: random.Random) -> int:
    return max(1, min(5, round(centre + difficulty + rng.gauss(0, 0.45))))


def _self_level(final: int, rng: random.Random) -> int:
    roll = rng.random()
    return min(5, final + (1 if roll < 0.45 else 2 if roll < 0.52 else 0))


def _status(year: int, agency: Agency, rng: random.Random) -> str:
    if year != PROGRAMME_OPEN_YEAR or agency.code == PROGRAMME_PROVINCE:
        return "final"
    roll = rng.random()
    return "final" if roll < 0.5 else "in_review" if roll < 0.7 else "submitted" if roll < 0.9 else "draft"


def insert_demo_programme(session: Session, agencies: list[Agency], seed: int) -> ProgrammeSummary:
    """Periods, assessments, scores, targets and activities of the demo programme; nothing when the
    province is not among `agencies`."""
    members = programme_agencies(agencies)
    version = latest_version(session, PROGRAMME_FRAMEWORK)
    if not members or version is None or version.id is None:
        return ProgrammeSummary(0, 0, 0, 0, 0)
    framework = framework_of(version)
    runner = members[0]
    rng = random.Random(f"{seed}-programme")
    strength = {a.id or 0: rng.gauss(0, 0.35) for a in members}
    difficulty = {i.code: rng.gauss(0, 0.3) for i in framework.indicators}
    n_assessments = n_scores = 0
    baseline_final: dict[int, dict[str, float]] = {}
    for step, year in enumerate(PROGRAMME_YEARS):
        period = Period(
            year=year,
            framework_version_id=version.id,
            evaluation_type="pemantauan",
            status="open" if year == PROGRAMME_OPEN_YEAR else "closed",
            opens_on=date(year, 2, 1),
            closes_on=date(year, 11, 30),
            kind="programme",
            runner="province",
            runner_agency_id=runner.id,
            verified=True,
        )
        session.add(period)
        session.flush()
        year_rng = random.Random(f"{seed}-programme-{year}")
        for agency in members:
            status = _status(year, agency, year_rng)
            centre = 1.5 + 0.55 * step + strength[agency.id or 0]
            levels = {
                i.code: _final_level(centre, difficulty[i.code], year_rng) for i in framework.indicators
            }
            n_scores += _insert_assessment(session, framework, period, agency, status, levels, year_rng)
            n_assessments += 1
            if status == "final" and year == PROGRAMME_BASELINE_YEAR:
                baseline_final[agency.id or 0] = {k: float(v) for k, v in levels.items()}
    n_targets = _insert_targets(session, framework, members, baseline_final)
    n_activities = _insert_activities(session, members)
    return ProgrammeSummary(len(PROGRAMME_YEARS), n_assessments, n_scores, n_targets, n_activities)


def _insert_assessment(
    session: Session,
    framework: Framework,
    period: Period,
    agency: Agency,
    status: str,
    levels: dict[str, int],
    rng: random.Random,
) -> int:
    now = utcnow()
    assessment = models.Assessment(
        agency_id=agency.id or 0,
        period_id=period.id or 0,
        framework_version_id=period.framework_version_id,
        status=status,
        stage="final" if status == "final" else "document" if status == "in_review" else None,
        submitted_at=now if status != "draft" else None,
        finalized_at=now if status == "final" else None,
    )
    session.add(assessment)
    session.flush()
    not_applicable = {SHARED_DATA_CENTRE_NA} if agency.category == "Kota" else set()
    rows = []
    for indicator in framework.indicators:
        na = indicator.code in not_applicable
        own = (
            None
            if na or (status == "draft" and rng.random() < 0.4)
            else _self_level(levels[indicator.code], rng)
        )
        verified = status == "final" or (status == "in_review" and indicator.number % 3 == 0)
        rows.append(
            {
                "assessment_id": assessment.id,
                "indicator_code": indicator.code,
                "self_level": own,
                "final_level": None if na or not verified else levels[indicator.code],
                "justification": "Demo: memakai pusat data provinsi / uses the province's data centre"
                if na
                else None,
                "not_applicable": na,
                "updated_at": now,
            }
        )
    session.execute(insert(models.IndicatorScore), rows)
    return len(rows)


def _insert_targets(
    session: Session, framework: Framework, members: list[Agency], latest: dict[int, dict[str, float]]
) -> int:
    targets = []
    for agency in members:
        levels = latest.get(agency.id or 0)
        if not levels:
            continue
        na = [SHARED_DATA_CENTRE_NA] if agency.category == "Kota" else []
        result = score_levels(framework, {k: v for k, v in levels.items() if k not in na}, not_applicable=na)
        steps = result.values_of("domain")
        planned: list[tuple[str, str | None, float]] = [("index", None, result.index_value or 1.0)]
        for code, value in steps.items():
            if agency.code == PROGRAMME_PROVINCE and code in UNPLANNED_STEPS_OF_RUNNER:
                continue
            planned.append(("group", code, value))
        for kind, target_code, base in planned:
            for horizon, years, lift in HORIZON_STEPS:
                targets.append(
                    models.RoadmapTarget(
                        agency_id=agency.id,
                        framework_id=PROGRAMME_FRAMEWORK,
                        horizon=horizon,
                        baseline_year=PROGRAMME_BASELINE_YEAR,
                        baseline_value=round(base, 2),
                        target_year=PROGRAMME_BASELINE_YEAR + years,
                        target_kind=kind,
                        target_code=target_code,
                        target_value=min(5.0, round(base + lift, 2)),
                        note="Program akselerasi provinsi / provincial acceleration programme",
                    )
                )
    session.add_all(targets)
    session.flush()
    return len(targets)


ACTIVITIES = (
    ("Penetapan peta jalan e-government daerah", "Bappeda", ("V03.1", "V03.2"), 3, "done"),
    ("Survei kebutuhan layanan warga", "Dinas Kominfo", ("V02.1",), 3, "in_progress"),
    ("Pelatihan keamanan informasi untuk ASN", "BKPSDM", ("V10.1", "V08.2"), 3, "planned"),
)


def _insert_activities(session: Session, members: list[Agency]) -> int:
    count = 0
    for position, agency in enumerate(members):
        for number, (title, owner, codes, level, status) in enumerate(ACTIVITIES):
            if (position + number) % 2 and agency.code != PROGRAMME_PROVINCE:
                continue
            activity = models.Activity(
                agency_id=agency.id or 0,
                framework_id=PROGRAMME_FRAMEWORK,
                title=title,
                owner=owner,
                starts_on=date(PROGRAMME_OPEN_YEAR, 2 + 3 * number, 1),
                due_on=date(PROGRAMME_OPEN_YEAR, 4 + 3 * number, 28),
                status=status,
                intended_level=level,
            )
            session.add(activity)
            session.flush()
            session.add_all(
                [models.ActivityIndicator(activity_id=activity.id or 0, indicator_code=c) for c in codes]
            )
            count += 1
    session.flush()
    return count


def programme_period_ids(session: Session) -> list[int]:
    """Ids of the programme periods (any runner), oldest first."""
    rows = session.exec(select(Period.id).where(Period.kind == "programme").order_by(col(Period.year))).all()
    return [int(r or 0) for r in rows]
