"""a period's scoring kept in the database for every server and process (issue 17)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30

`period_scoring` holds a closed period's per-assessment numbers (evaluation/services/scoring_store.py).
Triggers delete a period's rows in the same transaction as any insert, update or delete of its scores or
assessments, any update of the period itself (reopening, rounding) or of its framework version, whoever
writes (a service, an import, a script on another server). A stored scoring can therefore never outlive
what it was computed from.

Note for later migrations: SQLite's batch_alter_table rebuilds a table and drops its triggers; a migration
that rebuilds indicator_score, assessment, period or framework_version must create these triggers again
(the store checks that they are all there and is not used otherwise).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_DT = sqlmodel.sql.sqltypes.UTCDateTime
# PostgreSQL: every firing takes this advisory lock shared, a store takes it exclusive
# (evaluation/services/scoring_store.py STORE_LOCK_KEY), so no row is stored while a write is in flight
STORE_LOCK_KEY = 0x53_43_4F_52
_GUARD = "EXISTS (SELECT 1 FROM period_scoring)"
_OF_SCORE = "(SELECT period_id FROM assessment WHERE id = {row}.assessment_id)"
_OF_VERSION = "(SELECT id FROM period WHERE framework_version_id = {row}.id)"
# table -> (operations, the period ids a changed row names, written for row OLD or NEW)
_WATCHED = {
    "indicator_score": (("INSERT", "UPDATE", "DELETE"), f"period_id IN {_OF_SCORE}"),
    "assessment": (("INSERT", "UPDATE", "DELETE"), "period_id = {row}.period_id"),
    "period": (("UPDATE",), "period_id = {row}.id"),
    "framework_version": (("UPDATE",), f"period_id IN {_OF_VERSION}"),
}


def _rows(operation: str) -> tuple[str, ...]:
    return {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}[operation]


def _sqlite_triggers() -> None:
    for table, (operations, where) in _WATCHED.items():
        for operation in operations:
            deletes = " ".join(
                f"DELETE FROM period_scoring WHERE {where.format(row=row)};" for row in _rows(operation)
            )
            name = f"trg_{table}_{operation.lower()}_forgets_scoring"
            when = f"AFTER {operation} ON {table} WHEN {_GUARD}"
            op.execute(f"CREATE TRIGGER {name} {when} BEGIN {deletes} END")


def _postgresql_triggers() -> None:
    for table, (operations, where) in _WATCHED.items():
        old = f"DELETE FROM period_scoring WHERE {where.format(row='OLD')};"
        new = f"DELETE FROM period_scoring WHERE {where.format(row='NEW')};"
        op.execute(
            f"CREATE FUNCTION {table}_forgets_scoring() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n  PERFORM pg_advisory_xact_lock_shared({STORE_LOCK_KEY});\n  IF {_GUARD} THEN\n"
            f"    IF TG_OP <> 'INSERT' THEN {old} END IF;\n"
            f"    IF TG_OP <> 'DELETE' THEN {new} END IF;\n"
            "  END IF;\n  RETURN NULL;\nEND $$"
        )
        op.execute(
            f"CREATE TRIGGER trg_{table}_forgets_scoring AFTER {' OR '.join(operations)} ON {table} "
            f"FOR EACH ROW EXECUTE PROCEDURE {table}_forgets_scoring()"
        )


def upgrade() -> None:
    op.create_table(
        "period_scoring",
        sa.Column("period_id", sa.Integer(), sa.ForeignKey("period.id", ondelete="CASCADE"), nullable=False),
        sa.Column("level_kind", sa.String(length=8), nullable=False),
        sa.Column("statuses", sa.String(length=120), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.Column("computed_at", _DT(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("period_id", "level_kind", "statuses"),
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_forgets_scoring ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_forgets_scoring()")
    else:
        for table, (operations, _) in _WATCHED.items():
            for operation in operations:
                op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_{operation.lower()}_forgets_scoring")
    op.drop_table("period_scoring")
