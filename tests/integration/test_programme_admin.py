"""Opening a programme period (issue 16): admins only, the runner checked, audited, beside the official
period of the same year; and the `programme` command. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import select

from evaluation.__main__ import main
from evaluation.db import read_session, write_session
from evaluation.models import AuditEntry, Period
from evaluation.services.actors import SYSTEM, Actor, PermissionDenied
from evaluation.services.programme_admin import open_programme
from evaluation.services.results import list_periods

COORDINATOR = Actor(user_id=None, username="k", role="coordinator", agency_id=1)


def test_an_admin_opens_a_provincial_programme_beside_the_official_period_and_it_is_audited(demo_engine):
    with write_session(demo_engine) as session:
        period_id = open_programme(
            session, actor=SYSTEM, year=2027, runner="province", runner_agency_code="prov-002", verified=False
        )
    with read_session(demo_engine) as session:
        period = next(p for p in list_periods(session) if p.id == period_id)
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "open_programme")).one()
    assert (period.year, period.framework_id, period.kind, period.runner, period.verified) == (
        2027,
        "vision-to-evaluation",
        "programme",
        "province",
        False,
    )
    assert entry.entity_id == str(period_id) and entry.new_value.endswith("province:PROV-002 self")


@pytest.mark.parametrize(
    ("runner", "code"),
    [
        ("district", None),
        ("province", "KAB-001"),
        ("province", None),
        ("ministry", "PROV-001"),
        ("agency", "X-9"),
    ],
    ids=[
        "unknown-runner",
        "province-not-a-province",
        "province-without-agency",
        "ministry-with-agency",
        "no-agency",
    ],
)
def test_a_wrong_runner_is_refused_and_nothing_is_written(demo_engine, runner, code):
    with read_session(demo_engine) as session:
        before = len(session.exec(select(Period)).all())
    with pytest.raises(ValueError), write_session(demo_engine) as session:
        open_programme(session, actor=SYSTEM, year=2028, runner=runner, runner_agency_code=code)
    with read_session(demo_engine) as session:
        assert len(session.exec(select(Period)).all()) == before


def test_a_second_programme_on_the_same_year_and_version_is_refused(demo_engine):
    with pytest.raises(ValueError, match="sudah ada"), write_session(demo_engine) as session:
        open_programme(session, actor=SYSTEM, year=2026, runner="ministry")  # the demo's 2026 programme


def test_only_admins_open_programmes(demo_engine):
    with pytest.raises(PermissionDenied), write_session(demo_engine) as session:
        open_programme(session, actor=COORDINATOR, year=2029, runner="agency", runner_agency_code="KOTA-001")


@pytest.mark.db
def test_the_programme_command_opens_one_and_frameworks_lists_it(demo_engine, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    assert main(["programme", "2030", "--runner", "agency", "--agency", "KOTA-001"]) == 0
    assert main(["programme", "2030", "--runner", "agency", "--agency", "KOTA-001"]) == 2
    assert "sudah ada" in capsys.readouterr().err
    assert main(["programme", "2030", "--runner", "agency", "--agency", "KOTA-001", "--lang", "en"]) == 2
    assert "A 2030 period on vision-to-evaluation" in capsys.readouterr().err
    assert main(["frameworks"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.split("\n\n")[1].splitlines()]
    assert ["2030", "vision-to-evaluation", "programme", "agency:KOTA-001", "verifikasi", "open"] in rows
    assert main(["--lang", "en", "frameworks"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.split("\n\n")[1].splitlines()]
    assert rows[0] == ["year", "framework", "kind", "runner", "results", "status"]
    assert ["2030", "vision-to-evaluation", "programme", "agency:KOTA-001", "verified", "open"] in rows
