"""Readiness of one app server (issue 14): the database answers with a current schema and the evidence
store answers. `/_stcore/health` stays liveness only (the process runs); a load balancer sends users only
to a server whose `/ready` says 200."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from evaluation.models import User


def database_problem(engine: Engine) -> str | None:
    """None when the database answers and holds the data version row, else the reason (one line)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT version FROM data_version WHERE id = 1")).scalar_one()
    except Exception as exc:
        return f"database: {type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
    return None


def store_problem(store_factory: Any) -> str | None:
    """None when the evidence store (made by `store_factory()`) answers its check, else the reason."""
    try:
        store_factory().check()
    except Exception as exc:
        return f"evidence: {type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
    return None


def readiness(engine: Engine, store_factory: Any) -> dict[str, Any]:
    """{"ready": bool, "database": "ok" | reason, "evidence": "ok" | reason}."""
    database = database_problem(engine)
    evidence = store_problem(store_factory)
    return {
        "ready": database is None and evidence is None,
        "database": database or "ok",
        "evidence": evidence or "ok",
    }


def any_user(session: Session) -> bool:
    """True when at least one user account exists (a production start creates none)."""
    return session.exec(select(User.id).limit(1)).first() is not None
