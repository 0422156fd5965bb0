"""Read models of the home dashboard, as tidy DataFrames ready for the chart factories."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session, col, func, select

from evaluation.models import Agency, Assessment
from evaluation.scoring import ScoreResult
from evaluation.services.frameworks import load_framework_version
from evaluation.services.results import AgencyResult, list_periods, national_trend, period_results

CATEGORY_ORDER = ("Kementerian", "Lembaga", "Provinsi", "Kabupaten", "Kota")


def trend_frame(session: Session) -> pd.DataFrame:
    points = national_trend(session)
    return pd.DataFrame(
        [
            {
                "year": p.year,
                "framework_id": p.framework_id,
                "index": p.index,
                "agencies": p.agencies,
                "source": p.source,
            }
            for p in points
        ],
        columns=["year", "framework_id", "index", "agencies", "source"],
    )


def predicate_counts(session: Session, period_id: int) -> pd.DataFrame:
    """Agencies per category and predicate in a period (final results only)."""
    counts = Counter(
        (r.category, r.result.predicate.name)
        for r in period_results(session, period_id)
        if r.result.predicate is not None
    )
    rows = [{"category": c, "predicate": p, "count": n} for (c, p), n in counts.items()]
    frame = pd.DataFrame(rows, columns=["category", "predicate", "count"])
    order = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    return frame.sort_values(by="category", key=lambda s: s.map(order)).reset_index(drop=True)


def status_counts(session: Session, period_id: int) -> dict[str, int]:
    rows = session.exec(
        select(Assessment.status, func.count(col(Assessment.id)))
        .where(Assessment.period_id == period_id)
        .group_by(col(Assessment.status))
    ).all()
    return {status: int(n) for status, n in rows}


@dataclass(frozen=True)
class AgencyProfile:
    agency_name: str
    year: int
    framework_id: str
    kind: str  # the group kind shown on the radar
    result: ScoreResult | None
    national_mean: dict[str, float]
    labels: dict[str, str]
    labels_en: dict[str, str]

    def labels_in(self, lang: str) -> dict[str, str]:
        """Group code -> the group's name in the reader's language (framework files are bilingual)."""
        return self.labels_en if lang == "en" else self.labels


def group_means(results: list[AgencyResult], kind: str) -> dict[str, float]:
    """The mean value per group code of one level of the hierarchy (`kind`: "domain", "aspect", ...) over
    the agencies whose result has that group."""
    sums: dict[str, float] = defaultdict(float)
    counts: Counter[str] = Counter()
    for r in results:
        for code, value in r.result.values_of(kind).items():
            sums[code] += value
            counts[code] += 1
    return {code: sums[code] / counts[code] for code in sums}


def national_group_means(session: Session, period_id: int) -> dict[str, float]:
    """The national mean of each top-level group (domain, or aspect for one-level frameworks) in a period,
    over the verified agencies: what the radar compares an agency with."""
    period = next(p for p in list_periods(session) if p.id == period_id)
    framework = load_framework_version(session, period.framework_version_id)
    return group_means(period_results(session, period_id), framework.hierarchy[0])


def agency_profile(session: Session, agency_id: int, period_id: int) -> AgencyProfile:
    """An agency's group indices in a period beside the national mean of the same groups."""
    period = next(p for p in list_periods(session) if p.id == period_id)
    framework = load_framework_version(session, period.framework_version_id)
    kind = framework.hierarchy[0]
    results = period_results(session, period_id)
    mine = next((r.result for r in results if r.agency_id == agency_id), None)
    agency = session.get(Agency, agency_id)
    groups = framework.groups_of_kind(kind)
    return AgencyProfile(
        agency_name=agency.name if agency else "?",
        year=period.year,
        framework_id=framework.id,
        kind=kind,
        result=mine if mine is not None and mine.complete else None,
        national_mean=group_means(results, kind),
        labels={g.code: g.name for g in groups},
        labels_en={g.code: g.name_en for g in groups},
    )
