"""admin-defined crosswalks between frameworks

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crosswalk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_framework_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("to_framework_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("factor", sa.Float(), nullable=False),
        sa.Column("offset", sa.Float(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("from_framework_id <> to_framework_id", name="ck_crosswalk_frameworks"),
        sa.CheckConstraint("factor > 0", name="ck_crosswalk_factor"),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("crosswalk")
