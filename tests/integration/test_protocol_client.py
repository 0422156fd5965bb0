"""The load benchmarks' client of Streamlit's protocol (bench/protocol.py, bench/sessions.py) against a real
`streamlit run app.py` on the small demo: a coordinator's tab opens the dashboard and saves a level, which
is then in the database; a tab without a session is refused the assessment page (the error is seen); the
benchmark's driver runs a coordinator and a reviewer through a warm-up and a measured round without
errors."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import select

from bench.protocol import ProtocolError, StreamlitSession
from bench.server import serve, stop
from bench.sessions import BenchUser, drive, make_users
from evaluation.db import make_engine, read_session
from evaluation.i18n import t
from evaluation.models import Agency, Assessment, FrameworkVersion, IndicatorScore, Period
from evaluation.services.auth import COOKIE_NAME
from tests.conftest import BACKENDS, _copy_of
from tests.own_thread import in_own_thread

pytestmark = pytest.mark.db


@pytest.fixture(scope="module", params=BACKENDS)
def served(
    request: pytest.FixtureRequest,
    templates: dict[tuple[str, bool], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, str, list[BenchUser]]]:
    """(database URL, app server URL, four bench users: coordinator, reviewer, coordinator, reviewer)."""
    folder = tmp_path_factory.mktemp("protocol")
    url, drop = _copy_of(request.param, templates[(request.param, True)], folder)
    users = make_users(url, 4)
    process, base = serve(url, folder)
    yield url, base, users
    stop(process)
    drop()


def stored_level(url: str, agency: str, code: str) -> Any:
    """The 2026 Pemdi self-assessed level of `code` at the agency with this code."""
    engine = make_engine(url)
    with read_session(engine) as session:
        level = session.exec(
            select(IndicatorScore.self_level)
            .join(Assessment, IndicatorScore.assessment_id == Assessment.id)  # type: ignore[arg-type]
            .join(Agency, Assessment.agency_id == Agency.id)  # type: ignore[arg-type]
            .join(Period, Assessment.period_id == Period.id)  # type: ignore[arg-type]
            .join(FrameworkVersion, Period.framework_version_id == FrameworkVersion.id)  # type: ignore[arg-type]
            .where(
                Agency.code == agency,
                FrameworkVersion.framework_id == "pemdi-2026",
                IndicatorScore.indicator_code == code,
            )
        ).one()
    engine.dispose()
    return level


def test_a_coordinator_tab_opens_the_dashboard_and_saves_a_level(
    served: tuple[str, str, list[BenchUser]],
) -> None:
    url, base, users = served
    coordinator = users[0]
    picker, level_label, done = t("as.pick", "id"), t("as.level", "id"), t("as.saved", "id")

    async def session() -> tuple[str, list[str]]:
        tab = StreamlitSession(base, {COOKIE_NAME: coordinator.token}, timeout=60)
        try:
            home = await tab.open("")
            assert home.errors == []
            assert "penilaian" in tab.page_hashes  # signed in: the navigation offers the assessment
            page = await tab.run("penilaian")
            assert page.errors == []
            wanted = next(o for o in page.widget("selectbox", picker).options if f"{coordinator.code} ·" in o)
            picked = await tab.change("selectbox", picker, wanted)
            assert picked.errors == []
            shown = tab.value_of("radio", level_label)
            choice = next(o for o in picked.widget("radio", level_label).options if o != shown)
            saved = await tab.change("radio", level_label, choice)
            with pytest.raises(ProtocolError):
                saved.widget("radio", "no such label")
            return choice, [*saved.errors, *([] if saved.shows(f"{done}: {coordinator.code}") else ["-"])]
        finally:
            await tab.close()

    choice, problems = in_own_thread(lambda: asyncio.run(session()))
    assert problems == []
    assert stored_level(url, coordinator.agency, coordinator.code) == float(choice.split()[0])


def test_a_tab_without_a_session_is_refused_the_assessment_page(
    served: tuple[str, str, list[BenchUser]],
) -> None:
    _url, base, _users = served

    async def session() -> list[str]:
        tab = StreamlitSession(base, timeout=60)
        try:
            home = await tab.open("")
            assert home.errors == []
            assert "penilaian" not in tab.page_hashes and "masuk" in tab.page_hashes
            return (await tab.run("penilaian")).errors
        finally:
            await tab.close()

    assert in_own_thread(lambda: asyncio.run(session())) == ["page not found: 'penilaian'"]


def test_the_benchmark_driver_runs_a_coordinator_and_a_reviewer_without_errors(
    served: tuple[str, str, list[BenchUser]],
) -> None:
    url, base, users = served
    coordinator, reviewer = users[2], users[3]
    warm: list[bool] = []
    before = stored_level(url, coordinator.agency, coordinator.code)
    tally = in_own_thread(
        lambda: drive([(base, {})], [coordinator, reviewer], rounds=1, on_warm=lambda: warm.append(True))
    )
    assert tally.errors == []
    assert warm == [True]
    assert len(tally.saves) == 1
    assert sorted(tally.pages) == ["beranda", "penilaian", "perbandingan"]
    assert len(tally.times()) == 5  # coordinator: dashboard, assessment; reviewer: + comparison
    assert stored_level(url, coordinator.agency, coordinator.code) in (3.0, 4.0)
    assert stored_level(url, coordinator.agency, coordinator.code) != before
