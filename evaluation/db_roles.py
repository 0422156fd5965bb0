"""PostgreSQL's two roles: the owner runs migrations; the app runs as a role that may read and write the
data but only SELECT and INSERT on the audit log, and owns nothing, so it can neither TRUNCATE the log nor
disable its triggers.

The owner grants after every migration (`python -m evaluation grant-app-role ROLE`, run with the owner's
DATABASE_URL); SQLite has no roles (its integrity rests on the hash chain).
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import Engine

from evaluation.translatable import InvalidInput

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
READ_ONLY_TABLES = ("alembic_version",)
APPEND_ONLY_TABLES = ("audit_entry",)


def _quoted(role: str) -> str:
    if not _NAME.match(role):
        raise InvalidInput("error.role_name", role=role)
    return f'"{role}"'


def grant_app_role(owner_engine: Engine, role: str, *, create: bool = False) -> None:
    """Give `role` what the app needs on the owner's database (PostgreSQL only; ValueError elsewhere).

    With `create`, make the role (LOGIN, no password: for trusted local test clusters) when it is missing.
    Every table: SELECT, INSERT, UPDATE, DELETE; sequences: USAGE, SELECT; alembic_version: SELECT;
    audit_entry: SELECT, INSERT only. Idempotent: run it after every migration."""
    if owner_engine.dialect.name != "postgresql":
        raise InvalidInput("error.roles_postgres_only")
    name = _quoted(role)
    with owner_engine.begin() as conn:
        if create:
            exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
            if exists is None:
                conn.execute(text(f"CREATE ROLE {name} LOGIN"))
        database = conn.execute(text("SELECT current_database()")).scalar()
        conn.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO {name}'))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {name}"))
        conn.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}"))
        conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}"))
        for table in READ_ONLY_TABLES:
            conn.execute(text(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {table} FROM {name}"))
        for table in APPEND_ONLY_TABLES:
            conn.execute(text(f"REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON {table} FROM {name}"))


def app_role_rights(engine: Engine, table: str) -> set[str]:
    """The privileges the connected role holds on `table` (upper-case names such as 'INSERT')."""
    rights = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES")
    with engine.connect() as conn:
        return {
            right
            for right in rights
            if conn.execute(
                text("SELECT has_table_privilege(current_user, :t, :p)"), {"t": table, "p": right}
            ).scalar()
        }
