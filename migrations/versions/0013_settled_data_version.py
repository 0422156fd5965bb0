"""a second data version that working saves of unfinished assessments leave alone (issue 17)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30

Row 2 of `data_version` (SETTLED, evaluation/data_version.py) starts at row 1's version. Every audited
write bumps row 1; every one but an agency's or a reviewer's save of an assessment still being filled or
reviewed also bumps row 2, which the caches of what shows finalized results key on.
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("INSERT INTO data_version (id, version) SELECT 2, version FROM data_version WHERE id = 1")


def downgrade() -> None:
    op.execute("DELETE FROM data_version WHERE id = 2")
