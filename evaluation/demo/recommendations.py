"""The demo's recommendations (issue 12): on the previous period's finalized assessments, a few per agency
on its weakest indicators (and one for the whole agency), some already followed up and done, one of the
demo agency's older ones confirmed; agencies waiting for verification now come first, so the reviewer
has finished follow-ups to check beside the indicators. Deterministic for a seed; written directly like
the rest of the demo (no audit entries)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from evaluation.models import (
    Activity,
    ActivityIndicator,
    Agency,
    Assessment,
    IndicatorScore,
    Period,
    Recommendation,
    User,
)
from evaluation.workflow import Role

TEXTS = (
    "Perkuat {name}: tetapkan kebijakannya dengan keputusan pimpinan dan sosialisasikan ke seluruh unit.",
    "Untuk {name}, lengkapi dokumen bukti: prosedur tertulis, laporan pelaksanaan dan hasil evaluasinya.",
    "Lakukan reviu berkala atas {name} dan tindak lanjuti temuannya.",
)
WHOLE_AGENCY = (
    "Susun peta rencana SPBE instansi yang memuat target tahunan dan penanggung jawab per indikator."
)
FOLLOWUPS = (
    ("Rancangan SK disusun dan ditetapkan oleh kepala instansi.", "Bagian Organisasi"),
    ("Dokumen prosedur dan laporan pelaksanaan dihimpun dan diunggah.", "Dinas Kominfo"),
    ("Reviu dilakukan oleh inspektorat; temuan ditindaklanjuti unit terkait.", "Inspektorat"),
)
WAITING_FIRST, SAMPLE_EVERY = 12, 9  # agencies waiting for verification now; then every 9th agency


def _time(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def _weakest(session: Session, assessment_id: int, n: int) -> list[str]:
    rows = session.exec(
        select(IndicatorScore.indicator_code, IndicatorScore.final_level)
        .where(col(IndicatorScore.assessment_id) == assessment_id)
        .order_by(col(IndicatorScore.final_level), col(IndicatorScore.indicator_code))
    ).all()
    return [code for code, level in rows if level is not None][:n]


def _period(session: Session, year: int) -> Period | None:
    return session.exec(
        select(Period).where(col(Period.year) == year, col(Period.kind) == "official")
    ).first()


def _assessments(session: Session, period: Period) -> dict[int, Assessment]:
    return {
        a.agency_id: a for a in session.exec(select(Assessment).where(col(Assessment.period_id) == period.id))
    }


def insert_demo_recommendations(
    session: Session, agencies: list[Agency], seed: int, *, current_year: int, demo_agency_code: str
) -> int:
    """Recommendations on the finalized assessments of `current_year - 1` (and one confirmed one of the year
    before for the demo agency); returns how many were inserted (0 without those periods)."""
    previous, current = _period(session, current_year - 1), _period(session, current_year)
    if previous is None or current is None:
        return 0
    rng = random.Random(f"{seed}-recommendations")
    reviewer = session.exec(
        select(User.id).where(col(User.role) == Role.REVIEWER).order_by(col(User.id))
    ).first()
    done_before = _assessments(session, previous)
    now = _assessments(session, current)
    by_id = {a.id: a for a in agencies}
    waiting = sorted(
        (by_id[aid] for aid, a in now.items() if a.status in ("submitted", "in_review") and aid in by_id),
        key=lambda a: a.code,
    )
    chosen = [a for a in agencies if a.code == demo_agency_code] + waiting[:WAITING_FIRST]
    chosen += [a for a in sorted(agencies, key=lambda a: a.code)[::SAMPLE_EVERY] if a not in chosen]
    framework = _framework_names(session, previous)
    written = previous.closes_on or date(previous.year, 12, 15)
    count = 0
    for agency in chosen:
        assessment = done_before.get(agency.id or 0)
        if assessment is None or assessment.status != "final":
            continue
        codes = _weakest(session, assessment.id or 0, rng.randint(1, 3))
        plan: list[tuple[str | None, str]] = [(code, TEXTS[i % len(TEXTS)]) for i, code in enumerate(codes)]
        plan.append((None, WHOLE_AGENCY))
        for number, (code, text) in enumerate(plan):
            rec = Recommendation(
                assessment_id=assessment.id or 0,
                indicator_code=code,
                priority=("high", "medium", "low")[min(number, 2)],
                text=text.format(name=framework.get(code or "", code or "")),
                due_on=(date(current_year, 6, 30), date(current_year, 9, 30), date(current_year, 12, 31))[
                    min(number, 2)
                ],
                created_by=reviewer,
                created_at=_time(written),
            )
            is_demo = agency.code == demo_agency_code  # its weakest stays open, the whole-agency one is done
            followed = number == len(plan) - 1 if is_demo else rng.random() < 0.45
            if followed:
                action, owner = FOLLOWUPS[number % len(FOLLOWUPS)]
                rec.followup_action, rec.followup_owner = action, owner
                rec.followup_due_on = date(current_year, 2 + 2 * number, 15)
                rec.followup_at = _time(date(current_year, 1, 20 + number))
                if is_demo:
                    rec.activity_id = _demo_activity(session, agency, code, current_year)
                if is_demo or rng.random() < 0.7:
                    rec.status, rec.done_at = "done", _time(date(current_year, 2, 10 + number))
            session.add(rec)
            count += 1
    count += _confirmed_example(session, agencies, demo_agency_code, current_year, reviewer)
    session.flush()
    return count


def _framework_names(session: Session, period: Period) -> dict[str, str]:
    from evaluation.services.frameworks import load_framework_version

    framework = load_framework_version(session, period.framework_version_id)
    return {i.code: i.name for i in framework.indicators}


def _demo_activity(session: Session, agency: Agency, code: str | None, year: int) -> int | None:
    """The demo agency's roadmap activity a follow-up links to (made once)."""
    title = "Penyusunan peta rencana SPBE instansi"
    found = session.exec(
        select(Activity.id).where(col(Activity.agency_id) == agency.id, col(Activity.title) == title)
    ).first()
    if found is not None:
        return int(found)
    activity = Activity(
        agency_id=agency.id or 0,
        framework_id="pemdi-2026",
        title=title,
        owner="Bappeda",
        starts_on=date(year, 1, 15),
        due_on=date(year, 6, 30),
        status="in_progress",
        intended_level=3,
        progress=60,
    )
    session.add(activity)
    session.flush()
    # an activity serves at least one indicator (the activities sheet requires it); a whole-agency
    # recommendation's activity serves Pemdi's I01, the governance indicator a roadmap belongs to
    session.add(ActivityIndicator(activity_id=activity.id or 0, indicator_code=code or "I01"))
    return activity.id


def _confirmed_example(
    session: Session, agencies: list[Agency], demo_agency_code: str, current_year: int, reviewer: int | None
) -> int:
    """One recommendation of two years back to the demo agency, followed up and confirmed a year later."""
    older = _period(session, current_year - 2)
    agency = next((a for a in agencies if a.code == demo_agency_code), None)
    if older is None or agency is None:
        return 0
    assessment = _assessments(session, older).get(agency.id or 0)
    if assessment is None or assessment.status != "final":
        return 0
    session.add(
        Recommendation(
            assessment_id=assessment.id or 0,
            indicator_code=None,
            priority="medium",
            text="Bentuk tim koordinasi SPBE dengan surat keputusan kepala daerah.",
            due_on=date(current_year - 1, 6, 30),
            status="confirmed",
            created_by=reviewer,
            created_at=_time(date(current_year - 2, 12, 10)),
            followup_action="Tim koordinasi SPBE dibentuk dengan keputusan wali kota; rapat tiap bulan.",
            followup_owner="Sekretariat Daerah",
            followup_due_on=date(current_year - 1, 5, 31),
            followup_at=_time(date(current_year - 1, 2, 3)),
            done_at=_time(date(current_year - 1, 5, 20)),
            checked_by=reviewer,
            checked_at=_time(date(current_year - 1, 10, 2)),
            check_note="Keputusan dan notulen rapat tim sesuai; rekomendasi dinyatakan selesai.",
            version=4,
        )
    )
    return 1
