"""Roadmap use cases on a real database: targets (who may set which, checks, audit, restating on a new
framework), what each target observed and its status, activities, and the levels the what-if starts from."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import func, select

from evaluation.db import read_session, write_session
from evaluation.models import Activity, ActivityIndicator, AuditEntry, Period, RoadmapTarget
from evaluation.roadmap_math import STATUSES, TargetLine, assess
from evaluation.services import audit
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.frameworks import latest_version
from evaluation.services.results import list_periods, national_trend, period_results
from evaluation.services.review import finalize, save_review
from evaluation.services.roadmap import (
    horizon_years,
    latest_levels,
    list_activities,
    list_targets,
    save_activity,
    save_target,
)
from evaluation.services.score_versions import score_versions
from evaluation.services.self_assessment import save_self_assessment
from tests.integration.workflow_fixtures import World, framework_for, prepare, version_of

pytestmark = pytest.mark.db

REVIEWER = Actor(user_id=None, username="asesor", role="reviewer")
TODAY = date(2026, 5, 20)
BAIK_OR_BETTER = {"Baik", "Sangat Baik", "Memuaskan"}


# --- helpers ---------------------------------------------------------------------------------------


def add_target(world: World, who: str, agency_key: str | None, **fields) -> int:
    """save_target, committed; the agency is "a", "b" or None (national)."""
    values = {
        "framework_id": "pemdi-2026",
        "horizon": "short",
        "baseline_year": 2026,
        "target_year": 2027,
        "target_value": 3.0,
        **fields,
    }
    with write_session(world.engine) as session:
        return save_target(
            session,
            actor=world.actors[who],
            agency_id=None if agency_key is None else world.agency[agency_key],
            **values,
        )


def targets(world: World, who: str, agency_key: str | None, **options):
    with read_session(world.engine) as session:
        return list_targets(
            session,
            actor=world.actors[who],
            agency_id=None if agency_key is None else world.agency[agency_key],
            **options,
        )


def count(world: World, model) -> int:
    with read_session(world.engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def written(world: World) -> tuple[int, ...]:
    """Row counts of everything a refused save might have touched."""
    return tuple(count(world, model) for model in (RoadmapTarget, Activity, ActivityIndicator, AuditEntry))


def add_activity(world: World, who: str = "coordinator", agency_key: str = "a", **fields) -> int:
    values = {
        "framework_id": "pemdi-2026",
        "title": "Menyusun Arsitektur Pemdi",
        "owner": "Bidang Aplikasi Informatika",
        "starts_on": date(2026, 2, 1),
        "due_on": date(2026, 9, 30),
        "indicators": ["I01", "I02"],
        "intended_level": 3,
        **fields,
    }
    with write_session(world.engine) as session:
        return save_activity(session, actor=world.actors[who], agency_id=world.agency[agency_key], **values)


def activities(world: World, who: str = "coordinator", agency_key: str = "a", today: date = TODAY):
    with read_session(world.engine) as session:
        return list_activities(
            session, actor=world.actors[who], agency_id=world.agency[agency_key], today=today
        )


def spbe_period(world: World, year: int) -> int:
    """Another open spbe-2020 period (the world has 2025)."""
    with write_session(world.engine) as session:
        version = latest_version(session, "spbe-2020")
        assert version is not None
        period = Period(year=year, framework_version_id=version.id, evaluation_type="evaluasi", status="open")
        session.add(period)
        session.flush()
        return period.id or 0


def verified(world: World, agency_key: str, period_id: int, final_levels: dict[str, int]) -> int:
    """An assessment self-assessed at 3 everywhere, reviewed to `final_levels` and finalised."""
    reviewer = world.actors["reviewer"]
    with write_session(world.engine) as session:
        aid = prepare(world, session, agency_key, "finalizable", period_id)
        save_review(
            session,
            actor=reviewer,
            assessment_id=aid,
            versions={code: score_versions(session, aid).get(code, 0) for code in final_levels},
            entries={code: {"final_level": level} for code, level in final_levels.items()},
        )
        finalize(session, actor=reviewer, assessment_id=aid, expected_version=version_of(session, aid))
        return aid


def levels_at(world: World, period_id: int, level: int) -> dict[str, int]:
    with read_session(world.engine) as session:
        return {i.code: level for i in framework_for(session, period_id).indicators}


def spbe_2596(world: World) -> dict[str, int]:
    """SPBE levels with the index 2.596: level 3 on D4 (45.5), I01-I07 (9.1) and I11-I12 (5), else 2."""
    threes = {f"I{n:02d}" for n in [*range(1, 8), 11, 12, *range(32, 48)]}
    return {code: 3 if code in threes else 2 for code in levels_at(world, world.spbe, 2)}


# --- horizons --------------------------------------------------------------------------------------


def test_the_horizons_are_one_three_and_five_years_after_the_baseline_by_default(monkeypatch):
    monkeypatch.delenv("SPBE_HORIZON_YEARS", raising=False)
    assert horizon_years(2026) == {"short": 2027, "medium": 2029, "long": 2031}


def test_the_horizon_lengths_follow_the_setting(monkeypatch):
    monkeypatch.setenv("SPBE_HORIZON_YEARS", "2,4,6")
    assert horizon_years(2026) == {"short": 2028, "medium": 2030, "long": 2032}


# --- saving targets: who may --------------------------------------------------------------------------


def test_the_coordinator_sets_short_medium_and_long_targets_for_the_own_agency(world, monkeypatch):
    monkeypatch.delenv("SPBE_HORIZON_YEARS", raising=False)
    for (horizon, year), value in zip(horizon_years(2026).items(), (2.8, 3.1, 3.5), strict=True):
        add_target(world, "coordinator", "a", horizon=horizon, target_year=year, target_value=value)
    listed = [(t.horizon, t.target_year, t.target_value) for t in targets(world, "coordinator", "a")]
    assert listed == [("short", 2027, 2.8), ("medium", 2029, 3.1), ("long", 2031, 3.5)]


def test_the_target_years_follow_the_horizon_setting(world, monkeypatch):
    monkeypatch.setenv("SPBE_HORIZON_YEARS", "2,4,6")
    for horizon, year in horizon_years(2026).items():
        add_target(world, "coordinator", "a", horizon=horizon, target_year=year)
    assert [t.target_year for t in targets(world, "coordinator", "a")] == [2028, 2030, 2032]


def test_the_operator_may_set_the_own_agency_targets(world):
    add_target(world, "operator", "a")
    assert len(targets(world, "operator", "a")) == 1


@pytest.mark.parametrize("who", ["coordinator", "operator"])
def test_an_agency_may_not_set_another_agency_targets(world, who):
    before = written(world)
    with pytest.raises(PermissionDenied):
        add_target(world, who, "b")
    assert written(world) == before


@pytest.mark.parametrize("who", ["operator", "coordinator"])
def test_an_agency_may_not_set_national_targets(world, who):
    before = written(world)
    with pytest.raises(PermissionDenied):
        add_target(world, who, None)
    assert written(world) == before


@pytest.mark.parametrize("who", ["reviewer", "admin"])
def test_the_ministry_sets_national_targets(world, who):
    add_target(
        world, who, None, framework_id="spbe-2020", baseline_year=2022, target_year=2024, target_value=2.85
    )
    assert [(t.agency_id, t.target_value) for t in targets(world, "operator", None)] == [(None, 2.85)]


def test_an_agency_may_not_read_another_agency_targets(world):
    add_target(world, "coordinator_b", "b")
    with pytest.raises(PermissionDenied):
        targets(world, "coordinator", "b")


# --- saving targets: what is refused ---------------------------------------------------------------------

REFUSED = {
    "index above 5": {"target_value": 7},
    "baseline above 5": {"baseline_value": 7},
    "target year before the baseline": {"baseline_year": 2026, "target_year": 2025},
    "unknown framework": {"framework_id": "spbe-2018"},
    "unknown horizon": {"horizon": "forever"},
    "a spbe domain on pemdi (no domains there)": {"target_kind": "group", "target_code": "D1"},
    "indicator code unknown": {"target_kind": "indicator", "target_code": "I99"},
    "share without category": {"target_kind": "share", "predicate": "Baik", "target_value": 0.6},
    "share without predicate": {"target_kind": "share", "category": "Kota", "target_value": 0.6},
    "share with an unknown category": {
        "target_kind": "share",
        "category": "Desa",
        "predicate": "Baik",
        "target_value": 0.6,
    },
    "share above 100%": {
        "target_kind": "share",
        "category": "Kota",
        "predicate": "Baik",
        "target_value": 1.5,
    },
}


@pytest.mark.parametrize("fields", REFUSED.values(), ids=REFUSED.keys())
def test_a_target_that_does_not_make_sense_is_refused_and_nothing_is_written(world, fields):
    before = written(world)
    with pytest.raises(ValueError):
        add_target(world, "reviewer", "a", **fields)
    assert written(world) == before


ACCEPTED = {
    "an aspect of pemdi": {"target_kind": "group", "target_code": "A1"},
    "an indicator of pemdi": {"target_kind": "indicator", "target_code": "I20"},
    "a domain of spbe": {"framework_id": "spbe-2020", "target_kind": "group", "target_code": "D4"},
    "a share of Kota at Baik": {
        "target_kind": "share",
        "category": "Kota",
        "predicate": "Baik",
        "target_value": 0.6,
    },
    "a target in the baseline year": {"target_year": 2026},
}


@pytest.mark.parametrize("fields", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_a_sensible_target_is_kept_as_given(world, fields):
    target_id = add_target(world, "reviewer", "a", **fields)
    with read_session(world.engine) as session:
        row = session.get(RoadmapTarget, target_id)
        assert row is not None
        assert {name: getattr(row, name) for name in fields} == fields


def test_every_saved_target_writes_an_audit_entry_naming_the_actor(world):
    ids = [add_target(world, "coordinator", "a", horizon=h) for h in ("short", "medium")]
    with read_session(world.engine) as session:
        entries = [audit.history(session, entity="roadmap_target", entity_id=i) for i in ids]
    assert [[(e.action, e.actor) for e in rows] for rows in entries] == [[("add_target", "coordinator")]] * 2


def test_the_audit_entry_records_the_target_as_saved(world):
    target_id = add_target(world, "coordinator", "a", target_value=3.25, note="RPJMD 2026-2030")
    with read_session(world.engine) as session:
        (entry,) = audit.history(session, entity="roadmap_target", entity_id=target_id)
    assert entry.new_value is not None
    assert '"target_value": 3.25' in entry.new_value and "RPJMD 2026-2030" in entry.new_value


# --- restating a target on a new framework (PermenPANRB 8/2026 Pasal 11) ----------------------------------


def restate(world: World) -> tuple[int, int]:
    """A 2025 spbe-2020 target restated as a pemdi-2026 target; returns (old id, new id)."""
    old = add_target(
        world,
        "coordinator",
        "a",
        framework_id="spbe-2020",
        horizon="medium",
        baseline_year=2025,
        target_year=2027,
        target_value=3.2,
    )
    new = add_target(
        world,
        "coordinator",
        "a",
        framework_id="pemdi-2026",
        horizon="medium",
        baseline_year=2026,
        target_year=2027,
        target_value=3.0,
        replaces=old,
    )
    return old, new


def test_a_restated_target_is_kept_and_marked_superseded_by_the_new_one(world):
    old, new = restate(world)
    with read_session(world.engine) as session:
        row = session.get(RoadmapTarget, old)
        assert row is not None and row.superseded_by == new


def test_with_history_both_the_restated_and_the_new_target_are_listed(world):
    old, new = restate(world)
    listed = {t.id: (t.framework_id, t.superseded) for t in targets(world, "coordinator", "a")}
    assert listed == {old: ("spbe-2020", True), new: ("pemdi-2026", False)}


def test_without_history_only_the_new_target_is_listed(world):
    _old, new = restate(world)
    assert [t.id for t in targets(world, "coordinator", "a", include_history=False)] == [new]


def test_restating_is_audited_on_the_old_target(world):
    old, new = restate(world)
    with read_session(world.engine) as session:
        entries = audit.history(session, entity="roadmap_target", entity_id=old)
    assert [(e.action, e.field, e.new_value) for e in entries] == [
        ("add_target", None, entries[0].new_value),
        ("restate_target", "superseded_by", str(new)),
    ]


def test_restating_another_agency_target_is_refused_and_nothing_is_written(world):
    other = add_target(world, "coordinator_b", "b")
    before = written(world)
    with pytest.raises(ValueError):
        add_target(world, "coordinator", "a", replaces=other)
    assert written(world) == before
    assert targets(world, "coordinator_b", "b")[0].superseded is False


def test_restating_a_target_that_does_not_exist_is_refused(world):
    before = written(world)
    with pytest.raises(ValueError):
        add_target(world, "coordinator", "a", replaces=999)
    assert written(world) == before


# --- what a target observed, and its status ----------------------------------------------------------------


def test_an_agency_target_observes_the_agency_own_verified_index(world):
    verified(world, "a", world.spbe, levels_at(world, world.spbe, 3))
    verified(world, "b", world.spbe, levels_at(world, world.spbe, 2))
    add_target(
        world,
        "coordinator",
        "a",
        framework_id="spbe-2020",
        baseline_year=2024,
        baseline_value=2.8,
        target_year=2026,
        target_value=3.2,
    )
    (target,) = targets(world, "coordinator", "a", current_year=2025)
    assert target.observations == {2025: 3.0}


def test_a_national_index_target_observes_the_mean_of_the_agencies(world):
    verified(world, "a", world.spbe, levels_at(world, world.spbe, 3))
    verified(world, "b", world.spbe, levels_at(world, world.spbe, 2))
    add_target(world, "reviewer", None, framework_id="spbe-2020", baseline_year=2024, target_year=2026)
    (target,) = targets(world, "reviewer", None, current_year=2025)
    assert target.observations == {2025: pytest.approx(2.5)}


def test_a_group_target_observes_the_group_index(world):
    levels = levels_at(world, world.spbe, 2) | {f"I{n}": 4 for n in range(42, 48)}
    verified(world, "a", world.spbe, levels)
    add_target(
        world,
        "coordinator",
        "a",
        framework_id="spbe-2020",
        target_kind="group",
        target_code="A8",
        baseline_year=2024,
        target_year=2026,
        target_value=4.5,
    )
    (target,) = targets(world, "coordinator", "a", current_year=2025)
    assert target.observations == {2025: 4.0}


def test_an_unfinished_assessment_is_not_observed(world):
    with write_session(world.engine) as session:
        prepare(world, session, "a", "finalizable", world.spbe)
    add_target(world, "coordinator", "a", framework_id="spbe-2020", baseline_year=2024, target_year=2026)
    (target,) = targets(world, "coordinator", "a", current_year=2025)
    assert target.observations == {}


def share_targets(world: World) -> dict[str, float]:
    """Observed 2025 shares of Kota ("a", index 2.596) and Kabupaten ("b", all 2) at Baik or better."""
    verified(world, "a", world.spbe, spbe_2596(world))
    verified(world, "b", world.spbe, levels_at(world, world.spbe, 2))
    for category in ("Kota", "Kabupaten"):
        add_target(
            world,
            "reviewer",
            None,
            framework_id="spbe-2020",
            target_kind="share",
            category=category,
            predicate="Baik",
            baseline_year=2024,
            target_year=2026,
            target_value=0.6,
        )
    return {t.category or "": t.observations.get(2025, -1) for t in targets(world, "reviewer", None)}


def test_a_share_target_observes_the_share_of_the_category_at_the_predicate_or_better(world):
    # spbe-2020 bands the index rounded to 2 decimals: 2.596 shows as 2.60, Baik.
    assert share_targets(world) == {"Kota": 1.0, "Kabupaten": 0.0}


def test_a_share_target_bands_the_index_with_the_period_rounding_rule(world):
    with write_session(world.engine) as session:
        period = session.get(Period, world.spbe)
        assert period is not None
        period.predicate_rounding = "raw"
        session.add(period)
    assert share_targets(world)["Kota"] == 0.0


def test_an_indicator_target_observes_the_indicator_level(world):
    verified(world, "a", world.spbe, levels_at(world, world.spbe, 2) | {"I42": 4})
    add_target(
        world,
        "coordinator",
        "a",
        framework_id="spbe-2020",
        target_kind="indicator",
        target_code="I42",
        baseline_year=2024,
        target_year=2026,
        target_value=4,
    )
    (target,) = targets(world, "coordinator", "a", current_year=2025)
    assert target.observations == {2025: 4.0}


def test_a_target_status_is_assessed_from_its_observations(world):
    verified(world, "a", world.spbe, levels_at(world, world.spbe, 3))
    add_target(
        world,
        "coordinator",
        "a",
        framework_id="spbe-2020",
        baseline_year=2024,
        baseline_value=2.8,
        target_year=2026,
        target_value=3.0,
    )
    (target,) = targets(world, "coordinator", "a", current_year=2025)
    assert target.assessment is not None and target.assessment.status == "achieved"


def test_a_target_without_a_baseline_value_starts_from_the_value_observed_in_its_baseline_year(world):
    verified(world, "a", world.spbe, levels_at(world, world.spbe, 2))
    add_target(
        world,
        "coordinator",
        "a",
        framework_id="spbe-2020",
        baseline_year=2025,
        target_year=2027,
        target_value=3.0,
    )
    (target,) = targets(world, "coordinator", "a", current_year=2026)
    assert target.assessment is not None
    assert (target.assessment.expected_value, target.assessment.status) == (2.0, "on_track")


# --- national targets on the demo --------------------------------------------------------------------------


@pytest.fixture(name="national")
def national_fixture(demo_engine):
    with read_session(demo_engine) as session:
        views = list_targets(session, actor=REVIEWER, agency_id=None, current_year=2026)
        trend = {p.year: p.index for p in national_trend(session) if p.framework_id == "spbe-2020"}
    return views, trend


def test_the_demo_has_the_national_targets_2_60_for_2023_and_2_85_for_2024(national):
    views, _trend = national
    index = sorted((t.target_year, t.target_value) for t in views if t.target_kind == "index")
    assert index == [(2023, 2.60), (2024, 2.85)]


def test_the_demo_has_a_national_share_target_at_baik_per_category(national):
    views, _trend = national
    shares = {t.category: t.target_value for t in views if t.target_kind == "share"}
    assert shares == {"Kementerian": 1.0, "Lembaga": 1.0, "Provinsi": 0.8, "Kabupaten": 0.6, "Kota": 0.6}
    assert {t.predicate for t in views if t.target_kind == "share"} == {"Baik"}


def test_a_national_index_target_observes_the_national_trend_every_year(national):
    views, trend = national
    for target in (t for t in views if t.target_kind == "index"):
        assert target.observations == pytest.approx(trend)
        assert set(target.observations) == {2021, 2022, 2023, 2024, 2025}


def test_a_national_share_target_observes_the_verified_share_of_its_category_at_baik_or_better(
    demo_engine, national
):
    views, _trend = national
    with read_session(demo_engine) as session:
        expected: dict[str, dict[int, float]] = {}
        for period in (p for p in list_periods(session) if p.framework_id == "spbe-2020"):
            results = [r for r in period_results(session, period.id) if r.result.complete]
            for category in {r.category for r in results}:
                members = [r for r in results if r.category == category]
                good = [
                    r for r in members if r.result.predicate and r.result.predicate.name in BAIK_OR_BETTER
                ]
                expected.setdefault(category, {})[period.year] = len(good) / len(members)
    observed = {t.category: t.observations for t in views if t.target_kind == "share"}
    assert observed == {c: pytest.approx(expected.get(c, {})) for c in observed}


def test_a_national_target_status_follows_its_latest_observation_once_its_year_has_passed(national):
    views, _trend = national
    for target in views:
        assert target.assessment is not None
        latest = target.observations[max(target.observations)] if target.observations else None
        reached = latest is not None and latest >= target.target_value
        assert target.assessment.status == ("achieved" if reached else "off_track"), target


def test_a_national_target_status_is_the_one_its_line_and_observations_give(national):
    views, _trend = national
    for target in views:
        baseline = target.baseline_value
        if baseline is None:
            baseline = target.observations.get(target.baseline_year, target.target_value)
        line = TargetLine(target.baseline_year, baseline, target.target_year, target.target_value)
        assert target.assessment == assess(line, target.observations, current_year=2026)
        assert target.assessment.status in STATUSES


# --- activities ----------------------------------------------------------------------------------------


def test_an_activity_is_saved_with_its_indicators_dates_and_intended_level(world):
    activity_id = add_activity(world, notes="  Didampingi Diskominfo  ")
    (view,) = activities(world)
    assert view.id == activity_id
    assert (view.title, view.owner, view.starts_on, view.due_on) == (
        "Menyusun Arsitektur Pemdi",
        "Bidang Aplikasi Informatika",
        date(2026, 2, 1),
        date(2026, 9, 30),
    )
    assert (view.indicators, view.intended_level, view.status, view.notes) == (
        ("I01", "I02"),
        3,
        "planned",
        "Didampingi Diskominfo",
    )


ACTIVITY_REFUSED = {
    "due date before the start": {"starts_on": date(2026, 6, 1), "due_on": date(2026, 5, 31)},
    "unknown indicator": {"indicators": ["I01", "I99"]},
    "no indicator": {"indicators": []},
    "empty title": {"title": "   "},
    "unknown status": {"status": "paused"},
    "intended level 6": {"intended_level": 6},
    "unknown framework": {"framework_id": "spbe-2018"},
}


@pytest.mark.parametrize("fields", ACTIVITY_REFUSED.values(), ids=ACTIVITY_REFUSED.keys())
def test_an_activity_that_does_not_make_sense_is_refused_and_nothing_is_written(world, fields):
    before = written(world)
    with pytest.raises(ValueError):
        add_activity(world, **fields)
    assert written(world) == before


def test_an_agency_may_not_plan_activities_for_another_agency(world):
    before = written(world)
    with pytest.raises(PermissionDenied):
        add_activity(world, "coordinator", "b")
    assert written(world) == before


def test_an_agency_may_not_list_another_agency_activities(world):
    add_activity(world, "coordinator_b", "b")
    with pytest.raises(PermissionDenied):
        activities(world, "coordinator", "b")


def test_the_ministry_sees_an_agency_activities(world):
    add_activity(world)
    assert len(activities(world, "reviewer", "a")) == 1


OVERDUE = {
    "due in the past and planned": (date(2026, 3, 31), "planned", True),
    "due in the past but done": (date(2026, 3, 31), "done", False),
    "due in the past but cancelled": (date(2026, 3, 31), "cancelled", False),
    "due today": (TODAY, "planned", False),
    "due in the future": (date(2026, 12, 31), "planned", False),
}


@pytest.mark.parametrize(("due_on", "status", "overdue"), OVERDUE.values(), ids=OVERDUE.keys())
def test_an_activity_is_overdue_when_its_due_date_passed_and_it_is_not_done_or_cancelled(
    world, due_on, status, overdue
):
    add_activity(world, due_on=due_on, status=status)
    assert activities(world, today=TODAY)[0].overdue is overdue


def test_activities_are_listed_by_start_date(world):
    add_activity(world, title="Kedua", starts_on=date(2026, 4, 1))
    add_activity(world, title="Pertama", starts_on=date(2026, 1, 15))
    assert [a.title for a in activities(world)] == ["Pertama", "Kedua"]


def test_editing_an_activity_replaces_its_indicator_links(world):
    activity_id = add_activity(world, indicators=["I01", "I02"])
    add_activity(world, activity_id=activity_id, indicators=["I05"], status="in_progress")
    (view,) = activities(world)
    assert (view.id, view.indicators, view.status) == (activity_id, ("I05",), "in_progress")
    assert count(world, ActivityIndicator) == 1


def test_editing_another_agency_activity_is_refused(world):
    other = add_activity(world, "coordinator_b", "b")
    with pytest.raises(ValueError):
        add_activity(world, activity_id=other)
    assert activities(world, "coordinator_b", "b")[0].indicators == ("I01", "I02")


def test_saving_and_editing_an_activity_are_audited_with_the_old_values(world):
    activity_id = add_activity(world, title="Draf")
    add_activity(world, activity_id=activity_id, title="Final")
    with read_session(world.engine) as session:
        entries = audit.history(session, entity="activity", entity_id=activity_id)
    assert [e.action for e in entries] == ["save_activity", "save_activity"]
    assert entries[0].old_value is None
    assert entries[1].old_value is not None and '"title": "Draf"' in entries[1].old_value


# --- the levels the what-if starts from ------------------------------------------------------------------


def start_levels(world: World, framework_id: str = "spbe-2020", who: str = "coordinator"):
    with read_session(world.engine) as session:
        return latest_levels(
            session, actor=world.actors[who], agency_id=world.agency["a"], framework_id=framework_id
        )


def test_without_any_assessment_there_are_no_levels_to_start_from(world):
    assert start_levels(world) == (None, {}, "none")


def test_an_incomplete_self_assessment_gives_no_levels_to_start_from(world):
    with write_session(world.engine) as session:
        prepare(world, session, "a", "draft", world.spbe)
    assert start_levels(world) == (None, {}, "none")


def test_without_a_verified_result_the_self_assessed_levels_are_the_start(world):
    with write_session(world.engine) as session:
        prepare(world, session, "a", "complete", world.spbe)
    assert start_levels(world) == (2025, levels_at(world, world.spbe, 3), "self")


def test_the_verified_levels_come_before_the_self_assessed_ones(world):
    verified(world, "a", world.spbe, levels_at(world, world.spbe, 2))
    assert start_levels(world) == (2025, levels_at(world, world.spbe, 2), "final")


def test_the_latest_verified_year_is_taken(world):
    older = spbe_period(world, 2024)
    verified(world, "a", older, levels_at(world, older, 2))
    verified(world, "a", world.spbe, levels_at(world, world.spbe, 4))
    assert start_levels(world) == (2025, levels_at(world, world.spbe, 4), "final")


def test_an_older_verified_result_comes_before_a_newer_self_assessment(world):
    older = spbe_period(world, 2024)
    verified(world, "a", older, levels_at(world, older, 2))
    with write_session(world.engine) as session:
        prepare(world, session, "a", "complete", world.spbe)
    assert start_levels(world) == (2024, levels_at(world, older, 2), "final")


def test_only_the_asked_framework_is_searched(world):
    verified(world, "a", world.spbe, levels_at(world, world.spbe, 2))
    assert start_levels(world, "pemdi-2026") == (None, {}, "none")


def test_another_agency_levels_are_refused(world):
    with pytest.raises(PermissionDenied):
        start_levels(world, who="coordinator_b")


def test_final_levels_of_a_review_still_in_progress_are_not_taken_as_verified(world):
    with write_session(world.engine) as session:
        prepare(world, session, "a", "finalizable", world.spbe)
    assert start_levels(world)[2] == "self"


def test_fractional_pemdi_levels_are_kept_as_they_are(world):
    with write_session(world.engine) as session:
        aid = prepare(world, session, "a", "draft", world.pemdi)
        framework = framework_for(session, world.pemdi)
        save_self_assessment(
            session,
            actor=world.actors["coordinator"],
            assessment_id=aid,
            versions={i.code: 0 for i in framework.indicators},
            entries={i.code: {"level": 3.5, "justification": "Bukti"} for i in framework.indicators},
        )
    year, levels, source = start_levels(world, "pemdi-2026")
    assert (year, source) == (2026, "self")
    assert set(levels.values()) == {3.5}
