"""units, indicator assignments and a thread per indicator (issue 13)

An agency has units; a user optionally belongs to one. A coordinator assigns an assessment's indicators to
a unit and/or a person (assigned, ready, returned with a note); `assessment.operators_edit_all` (true for
existing assessments) lets every operator edit every indicator until the coordinator delegates. Thread
messages on one indicator of one assessment are append-only; thread_read keeps what each user has seen.
Activities get their progress (percent) and actual start and finish dates.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.UniqueConstraint("agency_id", "name", name="uq_unit_agency_name"),
    )
    op.create_index("ix_unit_agency_id", "unit", ["agency_id"])
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_user_account_unit_id_unit", "unit", ["unit_id"], ["id"])
    with op.batch_alter_table("assessment") as batch:
        batch.add_column(
            sa.Column("operators_edit_all", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table("activity") as batch:
        batch.add_column(sa.Column("progress", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("started_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("finished_on", sa.Date(), nullable=True))
        batch.create_check_constraint("ck_activity_progress", "progress >= 0 AND progress <= 100")
    op.create_table(
        "indicator_assignment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessment.id"), nullable=False),
        sa.Column("indicator_code", sa.String(length=16), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.UniqueConstraint("assessment_id", "indicator_code", name="uq_assignment_indicator"),
        sa.CheckConstraint("unit_id IS NOT NULL OR user_id IS NOT NULL", name="ck_assignment_holder"),
        sa.CheckConstraint("status IN ('assigned', 'ready', 'returned')", name="ck_assignment_status"),
    )
    op.create_index("ix_indicator_assignment_assessment_id", "indicator_assignment", ["assessment_id"])
    op.create_table(
        "thread_message",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessment.id"), nullable=False),
        sa.Column("indicator_code", sa.String(length=16), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=False),
        sa.Column("author_side", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), sa.ForeignKey("evidence.id"), nullable=True),
        sa.Column("needs_answer", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("author_side IN ('agency', 'ministry')", name="ck_thread_side"),
    )
    op.create_index("ix_thread_assessment_indicator", "thread_message", ["assessment_id", "indicator_code"])
    op.create_table(
        "thread_read",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user_account.id"), primary_key=True),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessment.id"), primary_key=True),
        sa.Column("indicator_code", sa.String(length=16), primary_key=True),
        sa.Column("last_message_id", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("activity") as batch:
        batch.drop_constraint("ck_activity_progress", type_="check")
        batch.drop_column("finished_on")
        batch.drop_column("started_on")
        batch.drop_column("progress")
    op.drop_table("thread_read")
    op.drop_index("ix_thread_assessment_indicator", table_name="thread_message")
    op.drop_table("thread_message")
    op.drop_index("ix_indicator_assignment_assessment_id", table_name="indicator_assignment")
    op.drop_table("indicator_assignment")
    with op.batch_alter_table("assessment") as batch:
        batch.drop_column("operators_edit_all")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_constraint("fk_user_account_unit_id_unit", type_="foreignkey")
        batch.drop_column("unit_id")
    op.drop_index("ix_unit_agency_id", table_name="unit")
    op.drop_table("unit")
