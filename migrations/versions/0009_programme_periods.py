"""programme periods on the founding framework beside official ones (issue 16)

A period is the official evaluation (kind 'official', run by the ministry, verified) or a programme on
its own framework (kind 'programme'), run by the ministry, by a province for its regencies and cities, or
by an agency alone (runner, runner_agency_id), with results verified by the runner's reviewers or
self-assessed only (verified). Existing periods become official, ministry-run, verified.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("period") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=10), server_default="official", nullable=False))
        batch.add_column(sa.Column("runner", sa.String(length=10), server_default="ministry", nullable=False))
        batch.add_column(sa.Column("runner_agency_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("verified", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch.create_foreign_key("fk_period_runner_agency_id_agency", "agency", ["runner_agency_id"], ["id"])
        batch.create_check_constraint("ck_period_kind", "kind IN ('official', 'programme')")
        batch.create_check_constraint("ck_period_runner", "runner IN ('ministry', 'province', 'agency')")
        batch.create_check_constraint(
            "ck_period_runner_agency", "(runner = 'ministry') = (runner_agency_id IS NULL)"
        )


def downgrade() -> None:
    with op.batch_alter_table("period") as batch:
        batch.drop_constraint("ck_period_runner_agency", type_="check")
        batch.drop_constraint("ck_period_runner", type_="check")
        batch.drop_constraint("ck_period_kind", type_="check")
        batch.drop_constraint("fk_period_runner_agency_id_agency", type_="foreignkey")
        batch.drop_column("verified")
        batch.drop_column("runner_agency_id")
        batch.drop_column("runner")
        batch.drop_column("kind")
