"""Every table. SQLModel `table=True` classes do not validate: services validate, CHECK constraints guard.

Indicator identity is always the framework's code (`I07`), never a list position.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy import true as sa_true
from sqlmodel import Field, SQLModel

from evaluation.workflow import AssessmentStatus, Role

AGENCY_CATEGORIES = ("Kementerian", "Lembaga", "Provinsi", "Kabupaten", "Kota")
ROLES = tuple(role.value for role in Role)  # evaluation/workflow.py: roles and statuses defined once
ASSESSMENT_STATUSES = tuple(status.value for status in AssessmentStatus)
REVIEW_STAGES = ("document", "interview", "visit", "final")
EVALUATION_TYPES = ("pemantauan", "evaluasi", "pemdi")
HORIZONS = ("short", "medium", "long")
TARGET_KINDS = ("index", "group", "indicator", "share")
ACTIVITY_STATUSES = ("planned", "in_progress", "done", "cancelled")
PERIOD_KINDS = ("official", "programme")  # the official evaluation, or a programme on its own framework
PERIOD_RUNNERS = ("ministry", "province", "agency")  # who runs a period (a province for its regencies)
ASSIGNMENT_STATUSES = ("assigned", "ready", "returned")  # issue 13: a unit marks ready, coordinator returns
# issue 12 (migration 0011): the evaluation cycle's ends
REVIEWER_ROLES = ("lead", "member")  # one lead reviewer per agency and period, others members
MINUTE_STAGES = ("interview", "visit")  # stages with a minute (berita acara)
RECOMMENDATION_PRIORITIES = ("high", "medium", "low")
# open -> done (the agency's follow-up finished) -> confirmed or reopened by the next period's reviewer
RECOMMENDATION_STATUSES = ("open", "done", "confirmed", "reopened")
OBJECTION_STATUSES = ("pending", "upheld", "rejected")
NOTIFICATION_KINDS = (
    "submitted",
    "returned",
    "finalized",
    "objection_filed",
    "objection_decided",
    "recommendation_due",
    "deadline",
    "assigned",
)
EMAIL_STATUSES = ("pending", "sent", "failed", "skipped")


def utcnow() -> datetime:
    return datetime.now(UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _level_check(column: str) -> CheckConstraint:
    return CheckConstraint(
        f"{column} IS NULL OR ({column} >= 1 AND {column} <= 5)", name=f"ck_{column}_scale"
    )


class FrameworkVersion(SQLModel, table=True):
    """A framework file frozen at load time: the YAML text is kept so results stay reproducible."""

    __tablename__ = "framework_version"
    __table_args__ = (UniqueConstraint("framework_id", "version", name="uq_framework_version"),)

    id: int | None = Field(default=None, primary_key=True)
    framework_id: str = Field(max_length=40, index=True)
    version: str = Field(max_length=32)
    name: str = Field(max_length=200)
    content_hash: str = Field(max_length=64)
    content: str = Field(sa_column=Column(Text, nullable=False))
    indicator_count: int
    shipped: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class Agency(SQLModel, table=True):
    __table_args__ = (CheckConstraint(_in("category", AGENCY_CATEGORIES), name="ck_agency_category"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=200, index=True)
    category: str = Field(max_length=20)
    subcategory: str | None = Field(default=None, max_length=60)
    province: str | None = Field(default=None, max_length=80, index=True)
    parent_id: int | None = Field(default=None, foreign_key="agency.id")
    active: bool = True


class Period(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("year", "framework_version_id", name="uq_period_year_framework"),
        CheckConstraint(_in("evaluation_type", EVALUATION_TYPES), name="ck_period_type"),
        CheckConstraint("status IN ('open', 'closed')", name="ck_period_status"),
        CheckConstraint(
            "predicate_rounding IS NULL OR predicate_rounding IN ('round2', 'raw')", name="ck_period_rounding"
        ),
        CheckConstraint(_in("kind", PERIOD_KINDS), name="ck_period_kind"),
        CheckConstraint(_in("runner", PERIOD_RUNNERS), name="ck_period_runner"),
        CheckConstraint("(runner = 'ministry') = (runner_agency_id IS NULL)", name="ck_period_runner_agency"),
    )

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    framework_version_id: int = Field(foreign_key="framework_version.id")
    evaluation_type: str = Field(max_length=20)
    status: str = Field(default="open", max_length=10)
    opens_on: date | None = None
    closes_on: date | None = None
    predicate_rounding: str | None = Field(default=None, max_length=10)
    # programmes (issue 16, migration 0009): an official period or an agency's / a province's programme
    kind: str = Field(default="official", max_length=10, sa_column_kwargs={"server_default": "official"})
    runner: str = Field(default="ministry", max_length=10, sa_column_kwargs={"server_default": "ministry"})
    runner_agency_id: int | None = Field(default=None, foreign_key="agency.id")
    verified: bool = Field(default=True, sa_column_kwargs={"server_default": sa_true()})
    # issue 12 (migration 0011): the schedule and the stages this period requires (comma-separated, in
    # order, e.g. "document,interview"; None = the evaluation type's default in assessment_state)
    required_stages: str | None = Field(default=None, max_length=40)
    self_assessment_closes_on: date | None = None
    verification_ends_on: date | None = None
    objections_close_on: date | None = None


class Assessment(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("agency_id", "period_id", name="uq_assessment_agency_period"),
        CheckConstraint(_in("status", ASSESSMENT_STATUSES), name="ck_assessment_status"),
        CheckConstraint(f"stage IS NULL OR {_in('stage', REVIEW_STAGES)}", name="ck_assessment_stage"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    period_id: int = Field(foreign_key="period.id", index=True)
    framework_version_id: int = Field(foreign_key="framework_version.id")
    status: str = Field(default="draft", max_length=12)
    stage: str | None = Field(default=None, max_length=12)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    finalized_at: datetime | None = None
    final_snapshot: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # issue 13 (migration 0010): every operator may edit every indicator until the coordinator delegates
    operators_edit_all: bool = Field(default=True, sa_column_kwargs={"server_default": sa_true()})


class IndicatorScore(SQLModel, table=True):
    __tablename__ = "indicator_score"
    __table_args__ = (
        UniqueConstraint("assessment_id", "indicator_code", name="uq_score_assessment_indicator"),
        _level_check("self_level"),
        _level_check("final_level"),
        CheckConstraint(
            "proposed_level IS NULL OR (proposed_level >= 1 AND proposed_level <= 5)",
            name="ck_proposed_level_scale",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True)
    indicator_code: str = Field(max_length=16)
    self_level: float | None = None
    justification: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    not_applicable: bool = False
    final_level: float | None = None
    reviewer_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    national_index_value: float | None = None
    national_index_source: str | None = Field(default=None, max_length=120)
    national_index_read_on: date | None = None
    proposed_level: int | None = None
    # optimistic locking per score: a save names the version it read (0 = no row yet) and bumps it
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    updated_by: int | None = Field(default=None, foreign_key="user_account.id")
    updated_at: datetime = Field(default_factory=utcnow)


class Evidence(SQLModel, table=True):
    """A stored document (content-addressed by hash) or a link; attached to scores through ScoreEvidence."""

    __table_args__ = (CheckConstraint("kind IN ('file', 'link')", name="ck_evidence_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="file", max_length=8)
    sha256: str | None = Field(default=None, max_length=64, index=True)
    filename: str = Field(max_length=255)
    mime_type: str | None = Field(default=None, max_length=120)
    size_bytes: int | None = None
    url: str | None = Field(default=None, max_length=2000)
    agency_id: int | None = Field(default=None, foreign_key="agency.id")
    uploaded_by: int | None = Field(default=None, foreign_key="user_account.id")
    uploaded_at: datetime = Field(default_factory=utcnow)


class ScoreEvidence(SQLModel, table=True):
    __tablename__ = "score_evidence"

    score_id: int = Field(foreign_key="indicator_score.id", primary_key=True)
    evidence_id: int = Field(foreign_key="evidence.id", primary_key=True)


class PublishedResult(SQLModel, table=True):
    """A historical result known only at group level, as published (e.g. the four SPBE domain indices)."""

    __tablename__ = "published_result"
    __table_args__ = (
        UniqueConstraint("agency_id", "year", "framework_version_id", name="uq_published_result"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    year: int
    framework_version_id: int = Field(foreign_key="framework_version.id")
    group_kind: str = Field(default="domain", max_length=10)
    group_values: dict[str, float] = Field(sa_column=Column(JSON, nullable=False))
    published_index: float | None = None
    published_predicate: str | None = Field(default=None, max_length=40)
    source: str | None = Field(default=None, max_length=200)


class RoadmapTarget(SQLModel, table=True):
    __tablename__ = "roadmap_target"
    __table_args__ = (
        CheckConstraint(_in("horizon", HORIZONS), name="ck_target_horizon"),
        CheckConstraint(_in("target_kind", TARGET_KINDS), name="ck_target_kind"),
        CheckConstraint("target_year >= baseline_year", name="ck_target_years"),
        Index("ix_target_agency_framework", "agency_id", "framework_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int | None = Field(default=None, foreign_key="agency.id")
    framework_id: str = Field(max_length=40)
    horizon: str = Field(max_length=8)
    baseline_year: int
    baseline_value: float | None = None
    target_year: int
    target_kind: str = Field(default="index", max_length=10)
    target_code: str | None = Field(default=None, max_length=16)
    category: str | None = Field(default=None, max_length=20)
    predicate: str | None = Field(default=None, max_length=40)
    target_value: float
    superseded_by: int | None = Field(default=None, foreign_key="roadmap_target.id")
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_by: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)


class User(SQLModel, table=True):
    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="ck_user_role"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True, index=True)
    full_name: str = Field(max_length=200)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=12)
    agency_id: int | None = Field(default=None, foreign_key="agency.id")
    unit_id: int | None = Field(default=None, foreign_key="unit.id")  # issue 13: optional, in the agency
    active: bool = True
    # multi-factor sign-in (TOTP, RFC 6238): the base32 secret once enrolment is confirmed, and the last
    # accepted time step (a code is accepted once: a replay within its window is refused)
    mfa_secret: str | None = Field(default=None, max_length=64)
    mfa_enabled_at: datetime | None = None
    mfa_last_step: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
    email: str | None = Field(default=None, max_length=254)  # issue 12: notifications by email


class AuditEntry(SQLModel, table=True):
    """Append-only: services insert rows and never update or delete them."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    actor: str = Field(max_length=80)
    change_set: str = Field(max_length=36, index=True)
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: str = Field(max_length=64, index=True)
    field: str | None = Field(default=None, max_length=80)
    old_value: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    new_value: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    prev_hash: str = Field(max_length=64)  # the previous entry's entry_hash (services/audit_chain.py)
    entry_hash: str = Field(max_length=64)


class UserSession(SQLModel, table=True):
    """A login kept server-side, so that any app server recognises it and logout ends it everywhere.

    The browser holds only the random token in an HttpOnly cookie; the database holds its hash.
    """

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None


class LoginHandoff(SQLModel, table=True):
    """A one-time, short-lived code that turns a successful login into a session cookie."""

    __tablename__ = "login_handoff"

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user_account.id")
    expires_at: datetime
    used_at: datetime | None = None
    # hash of the pre-sign-in nonce cookie of the browser that signed in: only that browser may redeem
    nonce_hash: str | None = Field(default=None, max_length=64)


class SignInThrottle(SQLModel, table=True):
    """Consecutive failed sign-ins per account or per client (`key`), and when the next attempt is
    allowed; updated with one atomic UPDATE ... RETURNING so that parallel attempts cannot all pass."""

    __tablename__ = "sign_in_throttle"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, unique=True, index=True)
    failures: int = 0
    blocked_until: datetime | None = None
    last_failure_at: datetime | None = None


class RecoveryCode(SQLModel, table=True):
    """A one-time recovery code for multi-factor sign-in, stored as a SHA-256 hash (the codes are random,
    60 bits each)."""

    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    code_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    used_at: datetime | None = None


class ReviewNote(SQLModel, table=True):
    """A reviewer's note at a review stage: on one indicator, or on the whole assessment (a return)."""

    __tablename__ = "review_note"
    __table_args__ = (
        CheckConstraint(_in("stage", REVIEW_STAGES), name="ck_review_note_stage"),
        CheckConstraint("kind IN ('note', 'return', 'finalize')", name="ck_review_note_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True)
    indicator_code: str | None = Field(default=None, max_length=16)
    stage: str = Field(max_length=12)
    kind: str = Field(default="note", max_length=10)
    text: str = Field(sa_column=Column(Text, nullable=False))
    author_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)


class Activity(SQLModel, table=True):
    """Roadmap work (kegiatan) meant to bring one or more indicators to a level."""

    __table_args__ = (
        CheckConstraint(_in("status", ACTIVITY_STATUSES), name="ck_activity_status"),
        CheckConstraint("due_on >= starts_on", name="ck_activity_dates"),
        CheckConstraint(
            "intended_level IS NULL OR (intended_level >= 1 AND intended_level <= 5)",
            name="ck_activity_level",
        ),
        CheckConstraint("progress >= 0 AND progress <= 100", name="ck_activity_progress"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    framework_id: str = Field(max_length=40)
    title: str = Field(max_length=200)
    owner: str = Field(max_length=120)
    starts_on: date
    due_on: date
    status: str = Field(default="planned", max_length=12)
    intended_level: int | None = None
    notes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
    # issue 13 (migration 0010): progress in percent and the actual dates, updated in the app
    progress: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    started_on: date | None = None
    finished_on: date | None = None


class ActivityIndicator(SQLModel, table=True):
    __tablename__ = "activity_indicator"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True)
    indicator_code: str = Field(max_length=16, primary_key=True)


class Crosswalk(SQLModel, table=True):
    """An admin-defined conversion of one framework's index onto another's scale: `offset + factor x index`,
    clamped to 1-5. There is no official one from spbe-2020 to pemdi-2026; values through it are "mapped"."""

    __table_args__ = (
        CheckConstraint("from_framework_id <> to_framework_id", name="ck_crosswalk_frameworks"),
        CheckConstraint("factor > 0", name="ck_crosswalk_factor"),
    )

    id: int | None = Field(default=None, primary_key=True)
    from_framework_id: str = Field(max_length=40)
    to_framework_id: str = Field(max_length=40)
    factor: float
    offset: float
    basis: str = Field(sa_column=Column(Text, nullable=False))
    active: bool = True
    created_by: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)


class PeriodScoring(SQLModel, table=True):
    """A period's scoring kept for every server and process (issue 17; evaluation/services/scoring_store.py):
    per period, level kind and assessment statuses, the per-assessment numbers as JSON (agency names and
    categories are joined when read). Stored only for a closed period; database triggers of migration 0012
    delete a period's rows in the same transaction as any change of its period, assessments or scores."""

    __tablename__ = "period_scoring"

    period_id: int = Field(
        sa_column=Column(Integer, ForeignKey("period.id", ondelete="CASCADE"), primary_key=True)
    )
    level_kind: str = Field(max_length=8, primary_key=True)
    statuses: str = Field(max_length=120, primary_key=True)
    token: str = Field(max_length=32)  # new on every store: a process keeps its decoded copy under it
    data_version: int  # the data version the scoring was read at
    computed_at: datetime = Field(default_factory=utcnow)
    payload: str = Field(sa_column=Column(Text, nullable=False))


class DataVersion(SQLModel, table=True):
    """One row per scope (id 1 EVERYTHING, id 2 SETTLED): counters bumped in the same transaction as the
    audited writes (`evaluation.data_version`), so that every app server's read caches can key on them
    (issues 14 and 17)."""

    __tablename__ = "data_version"

    id: int = Field(default=1, primary_key=True)
    version: int = 0


class Unit(SQLModel, table=True):
    """A unit of an agency (unit kerja / OPD) that owns indicators (issue 13)."""

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("agency_id", "name", name="uq_unit_agency_name"),)

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    name: str = Field(max_length=120)
    created_at: datetime = Field(default_factory=utcnow)


class IndicatorAssignment(SQLModel, table=True):
    """One indicator of one assessment handed to a unit and/or a person; its status follows the unit's
    work (assigned -> ready -> returned by the coordinator with a note -> ready ...)."""

    __tablename__ = "indicator_assignment"
    __table_args__ = (
        UniqueConstraint("assessment_id", "indicator_code", name="uq_assignment_indicator"),
        CheckConstraint("unit_id IS NOT NULL OR user_id IS NOT NULL", name="ck_assignment_holder"),
        CheckConstraint(_in("status", ASSIGNMENT_STATUSES), name="ck_assignment_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True)
    indicator_code: str = Field(max_length=16)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    status: str = Field(default="assigned", max_length=10)
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    updated_at: datetime = Field(default_factory=utcnow)


class ThreadMessage(SQLModel, table=True):
    """A message on one indicator of one assessment; never edited after posting (a correction is a new
    message). `needs_answer`: a reviewer's question the agency must answer before finalization."""

    __tablename__ = "thread_message"
    __table_args__ = (
        Index("ix_thread_assessment_indicator", "assessment_id", "indicator_code"),
        CheckConstraint("author_side IN ('agency', 'ministry')", name="ck_thread_side"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id")
    indicator_code: str = Field(max_length=16)
    author_id: int = Field(foreign_key="user_account.id")
    author_side: str = Field(max_length=10)  # "agency" or "ministry", fixed at posting
    text: str = Field(sa_column=Column(Text, nullable=False))
    evidence_id: int | None = Field(default=None, foreign_key="evidence.id")
    needs_answer: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class ThreadRead(SQLModel, table=True):
    """The last message of one thread a user has seen (unread counts)."""

    __tablename__ = "thread_read"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", primary_key=True)
    indicator_code: str = Field(max_length=16, primary_key=True)
    last_message_id: int = 0


class ReviewerAssignment(SQLModel, table=True):
    """A reviewer (asesor) assigned to one agency for one period: one lead, any number of members."""

    __tablename__ = "reviewer_assignment"
    __table_args__ = (
        UniqueConstraint("period_id", "agency_id", "reviewer_id", name="uq_reviewer_assignment"),
        CheckConstraint(_in("role", REVIEWER_ROLES), name="ck_reviewer_assignment_role"),
        Index(
            "uq_reviewer_assignment_lead",
            "period_id",
            "agency_id",
            unique=True,
            sqlite_where=sql_text("role = 'lead'"),
            postgresql_where=sql_text("role = 'lead'"),
        ),
        Index("ix_reviewer_assignment_reviewer", "reviewer_id", "period_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="period.id")
    agency_id: int = Field(foreign_key="agency.id")
    reviewer_id: int = Field(foreign_key="user_account.id")
    role: str = Field(default="member", max_length=8)
    assigned_by: int | None = Field(default=None, foreign_key="user_account.id")
    assigned_at: datetime = Field(default_factory=utcnow)


class StageMinute(SQLModel, table=True):
    """The minute (berita acara) of an interview or a site visit: when, where, who, the findings per
    indicator ({code: text}) and the changes agreed; printed as a PDF for signing."""

    __tablename__ = "stage_minute"
    __table_args__ = (
        UniqueConstraint("assessment_id", "stage", name="uq_stage_minute"),
        CheckConstraint(_in("stage", MINUTE_STAGES), name="ck_stage_minute_stage"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True)
    stage: str = Field(max_length=12)
    held_on: date
    place: str = Field(max_length=200)
    participants: str = Field(sa_column=Column(Text, nullable=False))  # one person per line
    findings: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    agreed_changes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    version: int = 1
    created_by: int | None = Field(default=None, foreign_key="user_account.id")
    updated_at: datetime = Field(default_factory=utcnow)


class Recommendation(SQLModel, table=True):
    """A reviewer's recommendation on finalizing (one indicator, or the whole agency when `indicator_code`
    is None) and the agency's follow-up (tindak lanjut); the next period's reviewer confirms or reopens it."""

    __tablename__ = "recommendation"
    __table_args__ = (
        CheckConstraint(_in("priority", RECOMMENDATION_PRIORITIES), name="ck_recommendation_priority"),
        CheckConstraint(_in("status", RECOMMENDATION_STATUSES), name="ck_recommendation_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True)
    indicator_code: str | None = Field(default=None, max_length=16)
    priority: str = Field(default="medium", max_length=8)
    text: str = Field(sa_column=Column(Text, nullable=False))
    due_on: date | None = None
    status: str = Field(default="open", max_length=10)
    created_by: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
    # the agency's follow-up: what, by whom, by when, evidence, a roadmap activity
    followup_action: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    followup_owner: str | None = Field(default=None, max_length=200)
    followup_due_on: date | None = None
    followup_evidence_id: int | None = Field(default=None, foreign_key="evidence.id")
    activity_id: int | None = Field(default=None, foreign_key="activity.id")
    followup_by: int | None = Field(default=None, foreign_key="user_account.id")
    followup_at: datetime | None = None
    done_at: datetime | None = None
    # the next period's reviewer: confirmed or reopened, with a note
    checked_by: int | None = Field(default=None, foreign_key="user_account.id")
    checked_at: datetime | None = None
    check_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    version: int = 1


class Objection(SQLModel, table=True):
    """An agency's objection (keberatan) to one final level, filed within the period's objection window;
    the lead reviewer upholds it (the final level becomes `level_after`) or rejects it with a reason."""

    __tablename__ = "objection"
    __table_args__ = (
        UniqueConstraint("assessment_id", "indicator_code", name="uq_objection_indicator"),
        CheckConstraint(_in("status", OBJECTION_STATUSES), name="ck_objection_status"),
        _level_check("requested_level"),
        _level_check("level_before"),
        _level_check("level_after"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True)
    indicator_code: str = Field(max_length=16)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    requested_level: float | None = None
    evidence_id: int | None = Field(default=None, foreign_key="evidence.id")
    status: str = Field(default="pending", max_length=10)
    filed_by: int | None = Field(default=None, foreign_key="user_account.id")
    filed_at: datetime = Field(default_factory=utcnow)
    decided_by: int | None = Field(default=None, foreign_key="user_account.id")
    decided_at: datetime | None = None
    decision_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    level_before: float | None = None
    level_after: float | None = None


class Notification(SQLModel, table=True):
    """Something a user should know (a badge and a list in the app; optionally an email). The text is
    made when shown, in the reader's language, from `kind` and `params`. `dedupe_key` keeps reminders
    (deadline in N days, recommendation due) to one per user and occasion."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("user_id", "dedupe_key", name="uq_notification_dedupe"),
        CheckConstraint(_in("kind", NOTIFICATION_KINDS), name="ck_notification_kind"),
        CheckConstraint(
            f"email_status IS NULL OR {_in('email_status', EMAIL_STATUSES)}", name="ck_notification_email"
        ),
        Index("ix_notification_user_unread", "user_id", "read_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    kind: str = Field(max_length=20)
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    assessment_id: int | None = Field(default=None, foreign_key="assessment.id")
    dedupe_key: str | None = Field(default=None, max_length=120)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None
    email_status: str | None = Field(default=None, max_length=8)
    emailed_at: datetime | None = None
