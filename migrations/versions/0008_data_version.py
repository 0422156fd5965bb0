"""a data version bumped with every write, for caches shared by several servers (issue 14)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30

One table with one row (id 1, version 0): every transaction that writes the audit log bumps it
(evaluation/data_version.py), so a server's read caches keyed on it see another server's write on their
next rerun.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])


def downgrade() -> None:
    op.drop_table("data_version")
