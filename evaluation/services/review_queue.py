"""Each reviewer's queue (issue 12): the assessments of the open periods (or of one period) with who is
assigned to them, how long they have waited and how many days are left before the period's verification
ends (`Period.verification_ends_on`). The reviewer's own agencies come first, then the rest; within each,
the oldest submission first. The older `review.review_queue` stays for its callers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from evaluation.models import (
    ASSESSMENT_STATUSES,
    Agency,
    Assessment,
    FrameworkVersion,
    Period,
    ReviewerAssignment,
    utcnow,
)
from evaluation.services.actors import Actor, require_role
from evaluation.services.agencies import AgencyYear, agency_year
from evaluation.translatable import InvalidInput
from evaluation.workflow import AssessmentStatus, Role

DEFAULT_STATUSES = (AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW)
# still to be verified: these may be overdue
PENDING = (AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW, AssessmentStatus.RETURNED)


@dataclass(frozen=True)
class QueueRow(AgencyYear):
    assessment_id: int
    period_id: int
    status: str
    stage: str | None
    submitted_at: datetime | None
    age_days: int | None  # days since submission
    days_left: int | None  # to the period's verification end; negative = overdue; None = no end set
    my_role: str | None  # "lead" | "member" when this reviewer is assigned to the agency in that period
    framework_name: str = ""  # the period's framework, telling apart an agency's two periods of one year

    @property
    def mine(self) -> bool:
        return self.my_role is not None

    @property
    def overdue(self) -> bool:
        return self.status in PENDING and self.days_left is not None and self.days_left < 0


@dataclass
class ReviewerQueue:
    """The rows (after every filter) and the count per status of the assessments that match every filter
    but the status one (all ASSESSMENT_STATUSES present, zero included), and how many of those are
    overdue."""

    rows: list[QueueRow] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _matches(text: str, row: QueueRow) -> bool:
    return text in row.agency_name.casefold() or text in row.agency_code.casefold()


def reviewer_queue(
    session: Session,
    *,
    actor: Actor,
    period_id: int | None = None,
    search: str | None = None,
    statuses: Iterable[str] | None = None,
    stage: str | None = None,
    category: str | None = None,
    province: str | None = None,
    overdue_only: bool = False,
    today: date | None = None,
) -> ReviewerQueue:
    """The queue as `actor` (a reviewer or an admin; PermissionDenied otherwise) sees it.

    `period_id` None = every open period. `search`: part of an agency's name or code, any case.
    `statuses` None = submitted and in review. `stage`, `category`, `province`: equal to. `overdue_only`:
    submitted, in review or returned past the period's verification end. `today` (tests) defaults to the
    UTC date. Rows: own agencies first (lead or member), then the rest; oldest submission first within
    each (never submitted last), then by agency name. Raises ValueError for an unknown status."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    wanted = tuple(DEFAULT_STATUSES if statuses is None else statuses)
    unknown = sorted(set(wanted) - set(ASSESSMENT_STATUSES))
    if unknown:
        raise InvalidInput("ew.unknown_status", items=unknown)
    now = utcnow()
    day = today or now.date()
    query = (
        select(Assessment, Agency, Period)
        .join(Agency, col(Agency.id) == col(Assessment.agency_id))
        .join(Period, col(Period.id) == col(Assessment.period_id))
        .options(defer(Assessment.final_snapshot))  # type: ignore[arg-type]
    )
    if period_id is not None:
        query = query.where(col(Period.id) == period_id)
    else:
        query = query.where(col(Period.status) == "open")
    if category:
        query = query.where(col(Agency.category) == category)
    if province:
        query = query.where(col(Agency.province) == province)
    if stage:
        query = query.where(col(Assessment.stage) == stage)
    mine: dict[tuple[int, int], str] = {}
    if actor.user_id is not None:
        assigned = select(ReviewerAssignment.period_id, ReviewerAssignment.agency_id, ReviewerAssignment.role)
        for p_id, a_id, role in session.exec(
            assigned.where(col(ReviewerAssignment.reviewer_id) == actor.user_id)
        ).all():
            mine[(int(p_id), int(a_id))] = str(role)
    frameworks = dict(session.exec(select(FrameworkVersion.id, FrameworkVersion.name)).all())
    text = (search or "").strip().casefold()
    matching: list[QueueRow] = []
    for assessment, agency, period in session.exec(query):
        submitted = _aware(assessment.submitted_at)
        ends = period.verification_ends_on
        row = QueueRow(
            assessment_id=assessment.id or 0,
            period_id=period.id or 0,
            **agency_year(agency, period.year),
            status=assessment.status,
            stage=assessment.stage,
            submitted_at=submitted,
            age_days=(now - submitted).days if submitted is not None else None,
            days_left=(ends - day).days if ends is not None else None,
            my_role=mine.get((period.id or 0, agency.id or 0)),
            framework_name=str(frameworks.get(period.framework_version_id, "")),
        )
        if text and not _matches(text, row):
            continue
        if overdue_only and not row.overdue:
            continue
        matching.append(row)
    counted = Counter(r.status for r in matching)
    rows = [r for r in matching if r.status in wanted]
    far = datetime.max.replace(tzinfo=UTC)
    rows.sort(key=lambda r: (not r.mine, r.submitted_at or far, r.agency_name, r.year))
    return ReviewerQueue(
        rows=rows,
        counts={status: counted.get(status, 0) for status in ASSESSMENT_STATUSES},
        overdue=sum(1 for r in matching if r.overdue),
    )


def queue_choices(session: Session, *, actor: Actor, period_id: int | None = None) -> dict[str, list[str]]:
    """The values the queue's filters offer, from the assessments in scope: {"category": [...],
    "province": [...]} sorted. Reviewers and admins only."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    query = (
        select(Agency.category, Agency.province)
        .join(Assessment, col(Assessment.agency_id) == col(Agency.id))
        .join(Period, col(Period.id) == col(Assessment.period_id))
    )
    query = (
        query.where(col(Period.id) == period_id) if period_id else query.where(col(Period.status) == "open")
    )
    pairs = session.exec(query.distinct()).all()
    return {
        "category": sorted({str(c) for c, _p in pairs}),
        "province": sorted({str(p) for _c, p in pairs if p}),
    }
