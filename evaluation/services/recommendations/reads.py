"""Reading recommendations: one assessment's, an agency's by period (for the agency and for the next
period's reviewer), and the ministry's list (the overview's counts are in overview.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from evaluation.models import (
    Activity,
    Agency,
    Assessment,
    Evidence,
    Period,
    Recommendation,
    User,
)
from evaluation.services.actors import Actor, require_agency_access, require_role
from evaluation.services.agencies import AgencyYear, agency_year
from evaluation.services.frameworks import load_framework_version
from evaluation.services.recommendations.rules import OPEN_STATUSES
from evaluation.translatable import NotFound
from evaluation.workflow import Role

PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}
AS_STORED = (  # RecommendationView's fields that are the recommendation's own, under the same name
    "version",
    "assessment_id",
    "indicator_code",
    "priority",
    "text",
    "due_on",
    "status",
    "created_at",
    "followup_action",
    "followup_owner",
    "followup_due_on",
    "activity_id",
    "followup_at",
    "done_at",
    "checked_at",
    "check_note",
)


@dataclass(frozen=True)
class RecommendationView(AgencyYear):
    """One recommendation and its follow-up as shown, with its agency and year. User text (text,
    followup_action, followup_owner, check_note, evidence_name, activity_title, the names) is plain text:
    escape it before Markdown."""

    id: int
    version: int
    assessment_id: int
    framework_id: str
    indicator_code: str | None  # None: the whole agency
    indicator_name: str | None
    indicator_name_en: str | None
    priority: str
    text: str
    due_on: date | None
    status: str
    author: str | None
    created_at: datetime
    followup_action: str | None
    followup_owner: str | None
    followup_due_on: date | None
    evidence_id: int | None
    evidence_name: str | None
    activity_id: int | None
    activity_title: str | None
    followup_at: datetime | None
    done_at: datetime | None
    checked_by: str | None
    checked_at: datetime | None
    check_note: str | None

    def overdue(self, today: date) -> bool:
        """Still owed by the agency and past the reviewer's due date."""
        return self.status in OPEN_STATUSES and self.due_on is not None and self.due_on < today

    def indicator_label(self, lang: str = "id") -> str | None:
        """The indicator's code and name in the reader's language ("I07 · ..."), None for a whole agency."""
        name = self.indicator_name_en if lang == "en" else self.indicator_name
        return f"{self.indicator_code} · {name}" if self.indicator_code else None


def _views(session: Session, query: Any) -> list[RecommendationView]:
    rows = list(session.exec(query))
    recs = [r[0] for r in rows]
    users = {
        u.id: u.full_name
        for u in session.exec(
            select(User).where(col(User.id).in_({r.created_by for r in recs} | {r.checked_by for r in recs}))
        )
    }
    files = {
        e.id: e.filename
        for e in session.exec(
            select(Evidence).where(col(Evidence.id).in_({r.followup_evidence_id for r in recs}))
        )
    }
    activities = {
        a.id: a.title
        for a in session.exec(select(Activity).where(col(Activity.id).in_({r.activity_id for r in recs})))
    }
    frameworks: dict[int, Any] = {}
    views = []
    for rec, assessment, agency, period in rows:
        fw = frameworks.get(assessment.framework_version_id)
        if fw is None:
            fw = frameworks[assessment.framework_version_id] = load_framework_version(
                session, assessment.framework_version_id
            )
        indicator = fw.indicator_by_code.get(rec.indicator_code) if rec.indicator_code else None
        views.append(
            RecommendationView(
                id=rec.id or 0,
                **{name: getattr(rec, name) for name in AS_STORED},
                **agency_year(agency, period.year),
                framework_id=fw.id,
                indicator_name=indicator.label("id") if indicator else None,
                indicator_name_en=indicator.label("en") if indicator else None,
                author=users.get(rec.created_by),
                evidence_id=rec.followup_evidence_id,
                evidence_name=files.get(rec.followup_evidence_id),
                activity_title=activities.get(rec.activity_id),
                checked_by=users.get(rec.checked_by),
            )
        )
    views.sort(
        key=lambda v: (
            -v.year,
            v.agency_code,
            PRIORITY_ORDER.get(v.priority, 9),
            v.indicator_code or "",
            v.id,
        )
    )
    return views


def _base() -> Any:
    return (
        select(Recommendation, Assessment, Agency, Period)
        .join(Assessment, col(Assessment.id) == col(Recommendation.assessment_id))
        .join(Agency, col(Agency.id) == col(Assessment.agency_id))
        .join(Period, col(Period.id) == col(Assessment.period_id))
    )


def recommendations_for_assessment(
    session: Session, *, actor: Actor, assessment_id: int
) -> list[RecommendationView]:
    """The recommendations of one assessment (high priority first); its agency and the ministry may read
    them. LookupError for an unknown assessment."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound("ew.assessment_does_not_exist", assessment_id=str(assessment_id))
    require_agency_access(actor, assessment.agency_id)
    return _views(session, _base().where(col(Recommendation.assessment_id) == assessment_id))


def recommendations_of_agency(session: Session, *, actor: Actor, agency_id: int) -> list[RecommendationView]:
    """Every recommendation the agency received, newest period first (its own users and the ministry)."""
    require_agency_access(actor, agency_id)
    return _views(session, _base().where(col(Assessment.agency_id) == agency_id))


def recommendations_nationwide(
    session: Session, *, actor: Actor, year: int | None = None, agency_ids: list[int] | None = None
) -> list[RecommendationView]:
    """The ministry's list (reviewer, admin): every agency's recommendations, of one period year or all,
    optionally of some agencies only."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    query = _base()
    if year is not None:
        query = query.where(col(Period.year) == year)
    if agency_ids is not None:
        query = query.where(col(Assessment.agency_id).in_(agency_ids))
    return _views(session, query)


def open_recommendations_of_agency(
    session: Session, *, actor: Actor, agency_id: int, before_year: int
) -> list[RecommendationView]:
    """For the next period's reviewer: the agency's recommendations from periods before `before_year`
    that are not confirmed yet (open, reopened, or done and waiting for the check), with their follow-up."""
    require_agency_access(actor, agency_id)
    return _views(
        session,
        _base().where(
            col(Assessment.agency_id) == agency_id,
            col(Period.year) < before_year,
            col(Recommendation.status) != "confirmed",
        ),
    )
