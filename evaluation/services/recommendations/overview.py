"""The ministry's overview of open recommendations (open or reopened): counted by indicator, by agency
category and by province, with how many are past their due date."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from evaluation.models import Agency, Assessment, FrameworkVersion, Period, Recommendation
from evaluation.services.actors import Actor, require_role
from evaluation.services.frameworks import load_framework_version
from evaluation.services.recommendations.rules import OPEN_STATUSES
from evaluation.workflow import Role


@dataclass(frozen=True)
class OverviewCount:
    """Open recommendations (open or reopened) of one group; `overdue` of them past their due date."""

    key: str  # an indicator code ("" = whole agency), a category, a province ("" = none)
    framework_id: str | None  # for indicators: which framework the code belongs to
    name: str | None  # an indicator's name (Indonesian); None for categories and provinces
    name_en: str | None
    open: int
    overdue: int

    def name_in(self, lang: str) -> str | None:
        """The indicator's name in the reader's language (framework files are bilingual); None for others."""
        return self.name_en if lang == "en" else self.name


@dataclass(frozen=True)
class Overview:
    by_indicator: list[OverviewCount]
    by_category: list[OverviewCount]
    by_province: list[OverviewCount]
    by_status: dict[str, int]  # every status, open or not, in the chosen years and framework
    agencies: int  # agencies with at least one open recommendation


def overview(
    session: Session,
    *,
    actor: Actor,
    year: int | None = None,
    framework_id: str | None = None,
    today: date | None = None,
) -> Overview:
    """The ministry's picture (reviewer, admin): open recommendations counted by indicator, by agency
    category and by province, most first; optionally of one period year and/or one framework."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    today = today or date.today()
    query = (
        select(Recommendation, Agency, FrameworkVersion.framework_id, FrameworkVersion.id)
        .join(Assessment, col(Assessment.id) == col(Recommendation.assessment_id))
        .join(Agency, col(Agency.id) == col(Assessment.agency_id))
        .join(Period, col(Period.id) == col(Assessment.period_id))
        .join(FrameworkVersion, col(FrameworkVersion.id) == col(Assessment.framework_version_id))
    )
    if year is not None:
        query = query.where(col(Period.year) == year)
    if framework_id is not None:
        query = query.where(col(FrameworkVersion.framework_id) == framework_id)
    statuses: Counter[str] = Counter()
    opened: dict[str, Counter[tuple[Any, ...]]] = {
        k: Counter() for k in ("indicator", "category", "province")
    }
    late: dict[str, Counter[tuple[Any, ...]]] = {k: Counter() for k in ("indicator", "category", "province")}
    versions: dict[str, int] = {}
    agencies = set()
    for rec, agency, fw_id, fw_version in session.exec(query):
        statuses[rec.status] += 1
        if rec.status not in OPEN_STATUSES:
            continue
        agencies.add(agency.id)
        versions.setdefault(fw_id, int(fw_version or 0))
        keys = {
            "indicator": (fw_id, rec.indicator_code or ""),
            "category": (None, agency.category),
            "province": (None, agency.province or ""),
        }
        overdue = rec.due_on is not None and rec.due_on < today
        for kind, key in keys.items():
            opened[kind][key] += 1
            if overdue:
                late[kind][key] += 1
    names: dict[tuple[str, str], tuple[str, str]] = {}
    for fw_id, version_id in versions.items():
        fw = load_framework_version(session, version_id)
        for indicator in fw.indicators:
            names[(fw_id, indicator.code)] = (indicator.label("id"), indicator.label("en"))

    def counts(kind: str) -> list[OverviewCount]:
        rows = []
        for (fw_id, key), n in opened[kind].items():
            name = names.get((fw_id, key)) if fw_id else None
            rows.append(
                OverviewCount(
                    key,
                    fw_id,
                    name[0] if name else None,
                    name[1] if name else None,
                    n,
                    late[kind][(fw_id, key)],
                )
            )
        return sorted(rows, key=lambda r: (-r.open, r.framework_id or "", r.key))

    return Overview(
        counts("indicator"), counts("category"), counts("province"), dict(statuses), len(agencies)
    )
