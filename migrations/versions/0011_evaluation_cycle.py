"""the evaluation cycle's ends (issue 12): schedule, reviewers, minutes, recommendations, objections,
notifications

A period gets its schedule (self-assessment closes, verification ends, objections close) and the stages it
requires. Reviewers are assigned per period and agency (one lead). Interviews and site visits get a minute
(berita acara). Finalizing brings recommendations that the agency follows up; an agency may object to a
final level; users get notifications, optionally by email (hence `user_account.email`).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_DT = sqlmodel.sql.sqltypes.UTCDateTime


def _level_check(column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        f"{column} IS NULL OR ({column} >= 1 AND {column} <= 5)", name=f"ck_{column}_scale"
    )


def upgrade() -> None:
    with op.batch_alter_table("period") as batch:
        batch.add_column(sa.Column("required_stages", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("self_assessment_closes_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("verification_ends_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("objections_close_on", sa.Date(), nullable=True))
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("email", sa.String(length=254), nullable=True))
    op.create_table(
        "reviewer_assignment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("period_id", sa.Integer(), sa.ForeignKey("period.id"), nullable=False),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("assigned_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("assigned_at", _DT(), nullable=False),
        sa.UniqueConstraint("period_id", "agency_id", "reviewer_id", name="uq_reviewer_assignment"),
        sa.CheckConstraint("role IN ('lead', 'member')", name="ck_reviewer_assignment_role"),
    )
    op.create_index(
        "uq_reviewer_assignment_lead",
        "reviewer_assignment",
        ["period_id", "agency_id"],
        unique=True,
        sqlite_where=sa.text("role = 'lead'"),
        postgresql_where=sa.text("role = 'lead'"),
    )
    op.create_index("ix_reviewer_assignment_reviewer", "reviewer_assignment", ["reviewer_id", "period_id"])
    op.create_table(
        "stage_minute",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessment.id"), nullable=False),
        sa.Column("stage", sa.String(length=12), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("participants", sa.Text(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("agreed_changes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("updated_at", _DT(), nullable=False),
        sa.UniqueConstraint("assessment_id", "stage", name="uq_stage_minute"),
        sa.CheckConstraint("stage IN ('interview', 'visit')", name="ck_stage_minute_stage"),
    )
    op.create_index("ix_stage_minute_assessment_id", "stage_minute", ["assessment_id"])
    op.create_table(
        "recommendation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessment.id"), nullable=False),
        sa.Column("indicator_code", sa.String(length=16), nullable=True),
        sa.Column("priority", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("created_at", _DT(), nullable=False),
        sa.Column("followup_action", sa.Text(), nullable=True),
        sa.Column("followup_owner", sa.String(length=200), nullable=True),
        sa.Column("followup_due_on", sa.Date(), nullable=True),
        sa.Column("followup_evidence_id", sa.Integer(), sa.ForeignKey("evidence.id"), nullable=True),
        sa.Column("activity_id", sa.Integer(), sa.ForeignKey("activity.id"), nullable=True),
        sa.Column("followup_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("followup_at", _DT(), nullable=True),
        sa.Column("done_at", _DT(), nullable=True),
        sa.Column("checked_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("checked_at", _DT(), nullable=True),
        sa.Column("check_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("priority IN ('high', 'medium', 'low')", name="ck_recommendation_priority"),
        sa.CheckConstraint(
            "status IN ('open', 'done', 'confirmed', 'reopened')", name="ck_recommendation_status"
        ),
    )
    op.create_index("ix_recommendation_assessment_id", "recommendation", ["assessment_id"])
    op.create_table(
        "objection",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessment.id"), nullable=False),
        sa.Column("indicator_code", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_level", sa.Float(), nullable=True),
        sa.Column("evidence_id", sa.Integer(), sa.ForeignKey("evidence.id"), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("filed_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("filed_at", _DT(), nullable=False),
        sa.Column("decided_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("decided_at", _DT(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("level_before", sa.Float(), nullable=True),
        sa.Column("level_after", sa.Float(), nullable=True),
        sa.UniqueConstraint("assessment_id", "indicator_code", name="uq_objection_indicator"),
        sa.CheckConstraint("status IN ('pending', 'upheld', 'rejected')", name="ck_objection_status"),
        _level_check("requested_level"),
        _level_check("level_before"),
        _level_check("level_after"),
    )
    op.create_index("ix_objection_assessment_id", "objection", ["assessment_id"])
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessment.id"), nullable=True),
        sa.Column("dedupe_key", sa.String(length=120), nullable=True),
        sa.Column("created_at", _DT(), nullable=False),
        sa.Column("read_at", _DT(), nullable=True),
        sa.Column("email_status", sa.String(length=8), nullable=True),
        sa.Column("emailed_at", _DT(), nullable=True),
        sa.UniqueConstraint("user_id", "dedupe_key", name="uq_notification_dedupe"),
        sa.CheckConstraint(
            "kind IN ('submitted', 'returned', 'finalized', 'objection_filed', 'objection_decided', "
            "'recommendation_due', 'deadline', 'assigned')",
            name="ck_notification_kind",
        ),
        sa.CheckConstraint(
            "email_status IS NULL OR email_status IN ('pending', 'sent', 'failed', 'skipped')",
            name="ck_notification_email",
        ),
    )
    op.create_index("ix_notification_user_unread", "notification", ["user_id", "read_at"])


def downgrade() -> None:
    op.drop_index("ix_notification_user_unread", table_name="notification")
    op.drop_table("notification")
    op.drop_index("ix_objection_assessment_id", table_name="objection")
    op.drop_table("objection")
    op.drop_index("ix_recommendation_assessment_id", table_name="recommendation")
    op.drop_table("recommendation")
    op.drop_index("ix_stage_minute_assessment_id", table_name="stage_minute")
    op.drop_table("stage_minute")
    op.drop_index("ix_reviewer_assignment_reviewer", table_name="reviewer_assignment")
    op.drop_index("uq_reviewer_assignment_lead", table_name="reviewer_assignment")
    op.drop_table("reviewer_assignment")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("email")
    with op.batch_alter_table("period") as batch:
        batch.drop_column("objections_close_on")
        batch.drop_column("verification_ends_on")
        batch.drop_column("self_assessment_closes_on")
        batch.drop_column("required_stages")
