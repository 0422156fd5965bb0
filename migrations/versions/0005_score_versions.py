"""per-score versions for optimistic locking (issue 10)

Each indicator score carries its own version (existing rows start at 1) and who changed it last, so that
two people saving different indicators of one assessment both succeed and a refusal can say who.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("indicator_score") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch.add_column(sa.Column("updated_by", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_indicator_score_updated_by_user_account", "user_account", ["updated_by"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("indicator_score") as batch:
        batch.drop_constraint("fk_indicator_score_updated_by_user_account", type_="foreignkey")
        batch.drop_column("updated_by")
        batch.drop_column("version")
