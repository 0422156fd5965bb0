"""The demo's programme on the founding framework (issue 16), on SQLite and PostgreSQL: loaded with the
40-agency test demo, shown by `python -m evaluation frameworks`, kept out of the national index, and
summarised for the home page."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import col, select

from evaluation.__main__ import main
from evaluation.db import read_session
from evaluation.demo.programme import (
    PROGRAMME_PROVINCE,
    PROGRAMME_YEARS,
    SHARED_DATA_CENTRE_NA,
    UNPLANNED_STEPS_OF_RUNNER,
)
from evaluation.models import Activity, Agency, Assessment, IndicatorScore, RoadmapTarget
from evaluation.services.programmes import programme_overview, programme_periods
from evaluation.services.results import list_periods, national_trend


def test_the_demo_has_the_provinces_programme_beside_the_official_periods(demo_engine):
    with read_session(demo_engine) as session:
        periods = programme_periods(session)
        assert [p.year for p in periods] == list(PROGRAMME_YEARS)
        assert {(p.framework_id, p.runner, p.verified) for p in periods} == {
            ("vision-to-evaluation", "province", True)
        }
        province = session.exec(select(Agency).where(Agency.code == PROGRAMME_PROVINCE)).one()
        assert {p.runner_agency_id for p in periods} == {province.id}
        years = Counter(p.year for p in list_periods(session))
        assert years[2026] == 2 and years[2025] == 2 and years[2024] == 2  # official + programme


def test_the_programme_has_the_province_and_its_regencies_and_cities(demo_engine):
    with read_session(demo_engine) as session:
        period = programme_periods(session)[-1]
        members = session.exec(
            select(Agency)
            .join(Assessment, col(Assessment.agency_id) == col(Agency.id))
            .where(Assessment.period_id == period.id)
        ).all()
    province = next(a for a in members if a.code == PROGRAMME_PROVINCE)
    others = [a for a in members if a is not province]
    assert len(others) >= 8 and {a.category for a in others} == {"Kabupaten", "Kota"}
    assert {a.province for a in others} == {province.province}


def test_self_levels_run_ahead_of_verified_ones_and_cities_use_na(demo_engine):
    with read_session(demo_engine) as session:
        period = programme_periods(session)[-1]
        rows = session.exec(
            select(IndicatorScore, Agency.category)
            .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
            .join(Agency, col(Agency.id) == col(Assessment.agency_id))
            .where(Assessment.period_id == period.id)
        ).all()
    pairs = [(s.self_level, s.final_level) for s, _ in rows if s.self_level and s.final_level]
    assert all(own >= final for own, final in pairs) and any(own > final for own, final in pairs)
    na = {(s.indicator_code, category) for s, category in rows if s.not_applicable}
    assert na == {(SHARED_DATA_CENTRE_NA, "Kota")}


def test_every_member_has_targets_per_horizon_on_the_index_and_the_steps(demo_engine):
    with read_session(demo_engine) as session:
        targets = session.exec(
            select(RoadmapTarget, Agency.code)
            .join(Agency, col(Agency.id) == col(RoadmapTarget.agency_id))
            .where(RoadmapTarget.framework_id == "vision-to-evaluation")
        ).all()
        activities = session.exec(
            select(Activity).where(Activity.framework_id == "vision-to-evaluation")
        ).all()
    by_agency: dict[str, set[tuple[str, str, str | None]]] = {}
    for target, code in targets:
        by_agency.setdefault(code, set()).add((target.horizon, target.target_kind, target.target_code))
    runner = by_agency.pop(PROGRAMME_PROVINCE)
    assert {("medium", "index", None), ("long", "group", "V01")} <= runner
    assert not {code for _, _, code in runner} & set(UNPLANNED_STEPS_OF_RUNNER)
    for planned in by_agency.values():
        assert len(planned) == 3 * 11  # three horizons x (index + ten steps)
    assert activities


def test_the_programme_stays_out_of_the_national_index(demo_engine):
    with read_session(demo_engine) as session:
        trend = national_trend(session)
    assert "vision-to-evaluation" not in {p.framework_id for p in trend}
    assert [p.year for p in trend] == sorted({p.year for p in trend})  # one point per year


def test_the_overview_counts_horizons_and_finds_the_stuck_step(demo_engine):
    with read_session(demo_engine) as session:
        overview = programme_overview(session, programme_periods(session)[-1].id)
        with pytest.raises(LookupError):
            programme_overview(session, list_periods(session)[0].id)  # an official period
    assert list(overview.verified_means) == [f"V{n:02d}" for n in range(1, 11)]
    assert all(overview.self_means[c] >= overview.verified_means[c] for c in overview.verified_means)
    assert [h.horizon for h in overview.horizons] == ["short", "medium", "long"]
    short, medium, long = overview.horizons
    assert short.reached >= medium.reached >= long.reached and short.agencies == len(overview.results)
    lowest = Counter(
        min(r.result.values_of("domain").items(), key=lambda kv: (kv[1], kv[0]))[0] for r in overview.results
    )
    assert overview.stuck_step == lowest.most_common(1)[0][0]
    assert overview.not_applicable > 0


@pytest.mark.db
def test_the_frameworks_command_lists_the_programme_periods_with_their_framework(
    demo_engine, capsys, monkeypatch
):
    monkeypatch.setenv("DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    assert main(["--lang", "en", "frameworks"]) == 0
    periods = capsys.readouterr().out.split("\n\n")[1].splitlines()
    assert periods[0].split() == ["year", "framework", "kind", "runner", "results", "status"]
    rows = [line.split() for line in periods[1:]]
    programme = [r for r in rows if r[2] == "programme"]
    assert [r[0] for r in programme] == ["2024", "2025", "2026"]
    assert {(r[1], r[3], r[4]) for r in programme} == {
        ("vision-to-evaluation", f"province:{PROGRAMME_PROVINCE}", "verified")
    }
    assert ["2026", "pemdi-2026", "official", "ministry", "verified", "open"] in rows
