"""hash-chained audit log and closed-period reopening (issue 11)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30

Adds `prev_hash` and `entry_hash` to audit_entry and chains the rows already there (in id order). The
append-only triggers are lifted while the rows are chained (this runs as the table's owner) and put back;
SQLite also gets a trigger refusing an INSERT that reuses an existing id (INSERT OR REPLACE deletes without
firing DELETE triggers), PostgreSQL one refusing TRUNCATE.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = {
    "audit_entry_no_update": "BEFORE UPDATE ON audit_entry BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END",
    "audit_entry_no_delete": "BEFORE DELETE ON audit_entry BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END",
}
SQLITE_NO_REPLACE = (
    "CREATE TRIGGER audit_entry_no_replace BEFORE INSERT ON audit_entry "
    "WHEN EXISTS (SELECT 1 FROM audit_entry WHERE id = NEW.id) "
    "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END"
)


def _drop_guards(sqlite: bool) -> None:
    if sqlite:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")


def _restore_guards(sqlite: bool) -> None:
    if sqlite:
        for name, body in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    else:
        op.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only")


def _chain_existing(bind: sa.engine.Connection) -> None:
    from evaluation.services.audit_chain import FIELDS, GENESIS, entry_hash

    table = sa.table(
        "audit_entry",
        sa.column("id", sa.Integer()),
        sa.column("at", sqlmodel.sql.sqltypes.UTCDateTime()),
        *(sa.column(name) for name in FIELDS if name != "at"),
        sa.column("prev_hash"),
        sa.column("entry_hash"),
    )
    rows = bind.execute(sa.select(table).order_by(table.c.id)).mappings().all()
    prev = GENESIS
    updates = []
    for row in rows:
        digest = entry_hash(row, prev)
        updates.append({"rid": row["id"], "p": prev, "e": digest})
        prev = digest
    if updates:
        bind.execute(
            table.update()
            .where(table.c.id == sa.bindparam("rid"))
            .values(prev_hash=sa.bindparam("p"), entry_hash=sa.bindparam("e")),
            updates,
        )


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    _drop_guards(sqlite)
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column("entry_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    _chain_existing(bind)
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)
        batch_op.alter_column("entry_hash", existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)
    _restore_guards(sqlite)
    if sqlite:
        op.execute(SQLITE_NO_REPLACE)
    else:
        op.execute(
            "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()"
        )


def downgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_replace")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry")
    _drop_guards(sqlite)
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_column("entry_hash")
        batch_op.drop_column("prev_hash")
    _restore_guards(sqlite)
