"""Several servers (issue 14): migrate-and-seed under a start-up lock, so servers starting at once on an
empty database all come up; demo data only when asked; one engine per process with pool settings; the
/ready route answers 503 when the database or the evidence store is down."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import func, select
from starlette.requests import Request

from evaluation.db import make_engine, normalise_url, read_session, schema_is_current, shared_engine
from evaluation.models import FrameworkVersion, User
from evaluation.settings import demo_enabled, pool_settings
from tests.conftest import PG_URL, ROOT

STARTER = (
    "import sys\n"
    "from evaluation.bootstrap import ensure_database\n"
    "from evaluation.db import make_engine\n"
    "ensure_database(make_engine(sys.argv[1]))\n"
)


def test_four_servers_starting_at_once_on_an_empty_database_all_come_up(db_url):
    starters = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, db_url], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    results = [(p.wait(timeout=240), p.stderr.read().decode()[-1500:]) for p in starters]  # type: ignore[union-attr]
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    engine = make_engine(db_url)
    try:
        assert schema_is_current(engine)
        with read_session(engine) as session:
            versions = session.exec(select(FrameworkVersion.framework_id, FrameworkVersion.version)).all()
            assert len(versions) == len(set(versions))  # each shipped framework registered once
            assert session.exec(select(func.count()).select_from(User)).one() == 0
    finally:
        engine.dispose()


def test_demo_data_load_only_when_asked(monkeypatch):
    monkeypatch.delenv("SPBE_DEMO", raising=False)
    assert demo_enabled() is False
    monkeypatch.setenv("SPBE_DEMO", "0")
    assert demo_enabled() is False
    monkeypatch.setenv("SPBE_DEMO", "1")
    assert demo_enabled() is True


def test_pool_size_overflow_recycle_and_timeout_come_from_the_settings(monkeypatch):
    monkeypatch.setenv("SPBE_DB_POOL_SIZE", "7")
    monkeypatch.setenv("SPBE_DB_MAX_OVERFLOW", "0")
    monkeypatch.setenv("SPBE_DB_POOL_RECYCLE", "600")
    monkeypatch.setenv("SPBE_DB_POOL_TIMEOUT", "9")
    assert pool_settings() == {"pool_size": 7, "max_overflow": 0, "pool_recycle": 600, "pool_timeout": 9}
    engine = make_engine("postgresql://nobody@127.0.0.1:1/none")  # no connection is made here
    assert (engine.pool.size(), engine.pool._max_overflow, engine.pool._recycle) == (7, 0, 600)  # type: ignore[attr-defined]
    assert engine.pool._timeout == 9  # type: ignore[attr-defined]


def test_the_pages_and_the_http_routes_share_one_engine_per_process(tmp_path, monkeypatch):
    from app_pages import auth_routes, read_models

    url = f"sqlite:///{tmp_path / 'one.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert auth_routes._engine(url) is shared_engine(url) is read_models._engine.__wrapped__(url)  # type: ignore[attr-defined]


def _ready(monkeypatch, url: str) -> tuple[int, dict]:
    from app_pages.deploy_routes import ready_route

    monkeypatch.setenv("DATABASE_URL", url)
    response = ready_route(Request({"type": "http", "method": "GET", "path": "/ready", "headers": []}))
    return response.status_code, json.loads(bytes(response.body))


def test_ready_says_200_when_the_database_and_the_store_answer(engine, monkeypatch, tmp_path):
    monkeypatch.setenv("SPBE_EVIDENCE_DIR", str(tmp_path / "bukti"))
    status, body = _ready(monkeypatch, engine.url.render_as_string(hide_password=False))
    assert (status, body) == (200, {"ready": True, "database": "ok", "evidence": "ok"})


def test_ready_says_503_when_the_evidence_bucket_is_missing(engine, monkeypatch, s3_env):
    monkeypatch.setenv("SPBE_EVIDENCE_DIR", "s3://no-such-bucket-anywhere/bukti")
    status, body = _ready(monkeypatch, engine.url.render_as_string(hide_password=False))
    assert status == 503 and body["database"] == "ok" and body["evidence"].startswith("evidence:")


def test_ready_says_503_for_an_evidence_setting_with_another_scheme(engine, monkeypatch):
    monkeypatch.setenv("SPBE_EVIDENCE_DIR", "ftp://files/bukti")
    status, body = _ready(monkeypatch, engine.url.render_as_string(hide_password=False))
    assert status == 503 and "StoreConfigError" in body["evidence"]


@pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL")
def test_ready_says_503_while_the_database_refuses_connections_and_200_after(engine, monkeypatch, tmp_path):
    if engine.dialect.name != "postgresql":
        pytest.skip("the database is stopped on PostgreSQL (one SQLite file cannot be 'down')")
    monkeypatch.setenv("SPBE_EVIDENCE_DIR", str(tmp_path / "bukti"))
    url = engine.url.render_as_string(hide_password=False)
    name = engine.url.database
    assert _ready(monkeypatch, url)[0] == 200
    admin = create_engine(normalise_url(PG_URL or ""), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"), {"d": name}
            )
        status, body = _ready(monkeypatch, url)
        assert status == 503 and body["database"].startswith("database:") and body["evidence"] == "ok"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()
    assert _ready(monkeypatch, url)[0] == 200
