"""The cluster of the multiserver test (issue 14): a throwaway PostgreSQL database on TEST_DATABASE_URL's
server with the small demo loaded, a moto S3 server, two `streamlit run app.py` servers and Debian's
haproxy in front with deploy/haproxy.cfg (health checks made faster, and a response header naming the
server that answered, for the test only)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "haproxy.cfg"
BUCKET = "spbe-bukti"
DEMO_AGENCIES = 20


@dataclass
class Cluster:
    proxy: str
    apps: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]]
    database_url: str
    database: str
    folder: Path
    s3_endpoint: str
    logs: dict[str, Path] = field(default_factory=dict)

    def log(self, name: str) -> str:
        return self.logs[name].read_text(errors="replace")[-3000:]


def free_port() -> int:
    from tests.s3_fixtures import free_port as port

    return port()


def status_of(url: str, timeout: float = 5) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return 0


def wait_for(url: str, seconds: float = 60, expect: int = 200) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if status_of(url) == expect:
            return True
        time.sleep(0.3)
    return False


def missing_tool() -> str | None:
    from tests.conftest import PG_URL

    if not PG_URL:
        return "needs TEST_DATABASE_URL (a PostgreSQL server)"
    if not (shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists()):
        return "haproxy is not installed (apt-get install haproxy)"
    return None


def haproxy_config(folder: Path) -> Path:
    """deploy/haproxy.cfg with checks every second and an X-Spbe-Server header (test only)."""
    text = CONFIG.read_text()
    text = text.replace("default-server inter 2s fall 2 rise 2", "default-server inter 1s fall 2 rise 1")
    text = text.replace(
        "    cookie SERVERID", "    http-response set-header X-Spbe-Server %[srv_name]\n    cookie SERVERID"
    )
    assert "X-Spbe-Server" in text and "inter 1s" in text, "deploy/haproxy.cfg changed shape"
    path = folder / "haproxy.cfg"
    path.write_text(text)
    return path


def prepare_database(url: str) -> None:
    """The small demo, then an in-review assessment of another agency made ready to finalize (final levels
    set, interview stage) and the demo agency's 2026 assessment opened."""
    from sqlmodel import select

    from evaluation.bootstrap import ensure_database
    from evaluation.db import make_engine, write_session
    from evaluation.demo.data import DEMO_AGENCY_CODE
    from evaluation.models import Agency, Assessment, FrameworkVersion, Period, User
    from evaluation.services.auth import actor_of
    from evaluation.services.frameworks import framework_of
    from evaluation.services.review import save_review, set_stage
    from evaluation.services.score_versions import score_versions
    from evaluation.services.self_assessment import open_assessment

    engine = make_engine(url)
    ensure_database(engine, demo=True, demo_limit=DEMO_AGENCIES)
    with write_session(engine) as session:
        reviewer = actor_of(session.exec(select(User).where(User.username == "asesor")).one())
        coordinator = actor_of(session.exec(select(User).where(User.username == "koordinator")).one())
        period, version = session.exec(
            select(Period, FrameworkVersion)
            .where(Period.framework_version_id == FrameworkVersion.id)
            .where(FrameworkVersion.framework_id == "pemdi-2026", Period.year == 2026)
        ).one()
        target = session.exec(
            select(Assessment)
            .where(Assessment.period_id == period.id, Assessment.status == "in_review")
            .order_by(Assessment.id)  # type: ignore[arg-type]
        ).first()
        assert target is not None, "the demo has no assessment in review"
        framework = framework_of(version)
        save_review(
            session,
            actor=reviewer,
            assessment_id=target.id or 0,
            versions=score_versions(session, target.id or 0),
            entries={i.code: {"final_level": 3} for i in framework.indicators},
        )
        session.refresh(target)
        set_stage(
            session,
            actor=reviewer,
            assessment_id=target.id or 0,
            expected_version=target.version,
            stage="interview",
        )
        own = session.exec(select(Agency).where(Agency.code == DEMO_AGENCY_CODE)).one()
        open_assessment(session, actor=coordinator, agency_id=own.id or 0, period_id=period.id or 0)
    engine.dispose()


def finalizable_agency(url: str) -> str:
    from sqlmodel import select

    from evaluation.db import make_engine, read_session
    from evaluation.models import Agency, Assessment

    engine = make_engine(url)
    with read_session(engine) as session:
        name = session.exec(
            select(Agency.name)
            .join(Assessment, Assessment.agency_id == Agency.id)  # type: ignore[arg-type]
            .where(Assessment.status == "in_review", Assessment.stage == "interview")
        ).first()
    engine.dispose()
    assert name
    return str(name)


def start_cluster(folder: Path) -> Cluster:
    from tests.conftest import _fresh_postgres
    from tests.s3_fixtures import CREDENTIALS, s3_client

    url, drop = _fresh_postgres()
    prepare_database(url)
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 request otherwise
    s3_port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port, verbose=False)
    moto.start()
    endpoint = f"http://127.0.0.1:{s3_port}"
    s3_client(endpoint).create_bucket(Bucket=BUCKET)
    env = {
        **os.environ,
        **CREDENTIALS,
        "DATABASE_URL": url,
        "SPBE_EVIDENCE_DIR": f"s3://{BUCKET}/evidence",
        "SPBE_S3_ENDPOINT_URL": endpoint,
        "SPBE_DB_POOL_SIZE": "4",
        "SPBE_DB_MAX_OVERFLOW": "2",
    }
    env.pop("SPBE_DEMO", None)  # production start: the database is ready already
    processes: dict[str, subprocess.Popen[bytes]] = {}
    apps: dict[str, str] = {}
    logs: dict[str, Path] = {}
    for name in ("app1", "app2"):
        port = free_port()
        logs[name] = folder / f"{name}.log"
        processes[name] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
            ],
            cwd=ROOT,
            env=env,
            stdout=logs[name].open("w"),
            stderr=subprocess.STDOUT,
        )
        apps[name] = f"http://127.0.0.1:{port}"
    proxy_port = free_port()
    logs["haproxy"] = folder / "haproxy.log"
    processes["haproxy"] = subprocess.Popen(
        [shutil.which("haproxy") or "/usr/sbin/haproxy", "-db", "-f", str(haproxy_config(folder))],
        env={
            **os.environ,
            "SPBE_PROXY_BIND": f"127.0.0.1:{proxy_port}",
            "SPBE_APP1": apps["app1"].removeprefix("http://"),
            "SPBE_APP2": apps["app2"].removeprefix("http://"),
        },
        stdout=logs["haproxy"].open("w"),
        stderr=subprocess.STDOUT,
    )
    cluster = Cluster(
        proxy=f"http://127.0.0.1:{proxy_port}",
        apps=apps,
        processes=processes,
        database_url=url,
        database=url.rsplit("/", 1)[-1],
        folder=folder,
        s3_endpoint=endpoint,
        logs=logs,
    )
    cluster._stop = lambda: (moto.stop(), drop())  # type: ignore[attr-defined]
    for name in ("app1", "app2"):
        if not wait_for(f"{apps[name]}/ready", 90):
            stop_cluster(cluster)
            pytest.fail(f"{name} did not become ready: {cluster.log(name)}")
    if not wait_for(f"{cluster.proxy}/ready", 30):
        stop_cluster(cluster)
        pytest.fail(f"haproxy did not answer: {cluster.log('haproxy')}")
    return cluster


def stop_cluster(cluster: Cluster) -> None:
    for process in cluster.processes.values():
        if process.poll() is None:
            process.terminate()
    for process in cluster.processes.values():
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    cluster._stop()  # type: ignore[attr-defined]


def set_database_connections(database: str, allowed: bool) -> None:
    """Stop the database for the app (no new connections, every open one ended) or start it again; the
    test PostgreSQL server itself keeps serving the other tests."""
    from sqlalchemy import create_engine, text

    from evaluation.db import normalise_url
    from tests.conftest import PG_URL

    admin = create_engine(normalise_url(PG_URL or ""), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {"true" if allowed else "false"}'))
        if not allowed:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"),
                {"d": database},
            )
    admin.dispose()


def stored_level(url: str, code: str) -> Any:
    """The demo agency's 2026 self-assessed level of indicator `code` (None when unset)."""
    from sqlmodel import select

    from evaluation.db import make_engine, read_session
    from evaluation.demo.data import DEMO_AGENCY_CODE
    from evaluation.models import Agency, Assessment, IndicatorScore, Period

    engine = make_engine(url)
    with read_session(engine) as session:
        level = session.exec(
            select(IndicatorScore.self_level)
            .join(Assessment, IndicatorScore.assessment_id == Assessment.id)  # type: ignore[arg-type]
            .join(Agency, Assessment.agency_id == Agency.id)  # type: ignore[arg-type]
            .join(Period, Assessment.period_id == Period.id)  # type: ignore[arg-type]
            .where(
                Agency.code == DEMO_AGENCY_CODE, Period.year == 2026, IndicatorScore.indicator_code == code
            )
        ).first()
    engine.dispose()
    return level
