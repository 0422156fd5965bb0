"""The data version's two scopes (evaluation/data_version.py, issue 17): a working save of an unfinished
assessment (the agency's `save_self`, the reviewer's `save_review`) bumps EVERYTHING only; every other
audited write bumps SETTLED too; and no read that a page keys on SETTLED shows anything such a save changed.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from evaluation import data_version
from evaluation.data_version import EVERYTHING, SETTLED
from evaluation.db import read_session, write_session
from evaluation.services import comparison, dashboard, gaps, trends
from evaluation.services.agencies import list_agencies
from evaluation.services.gap_totals import period_gap_totals
from evaluation.services.results import list_periods, national_trend, period_results, published_results
from evaluation.services.review import finalize, save_review
from evaluation.services.roadmap.targets import list_targets, off_track_targets
from evaluation.services.self_assessment import open_assessment, save_self_assessment
from tests.integration.workflow_fixtures import World, act, committed_versions, prepared, save


def _versions(world: World) -> tuple[int, int]:
    return data_version.current(world.engine, EVERYTHING), data_version.current(world.engine, SETTLED)


def test_an_agencys_working_save_bumps_everything_only(world: World):
    assessment_id = prepared(world, "a", "draft")
    everything, settled = _versions(world)
    save(world, "coordinator", assessment_id, {"I01": {"level": 3, "justification": "Ada SK."}})
    assert _versions(world) == (everything + 1, settled)


def test_a_reviewers_working_save_bumps_everything_only(world: World):
    assessment_id = prepared(world, "a", "in_review")
    everything, settled = _versions(world)
    act(world, save_review, "reviewer", assessment_id, entries={"I01": {"final_level": 2, "note": "Kurang."}})
    assert _versions(world) == (everything + 1, settled)


def test_other_writes_bump_both_scopes(world: World):
    everything, settled = _versions(world)
    assessment_id = prepared(world, "a", "finalizable")  # open, fill, submit, review...: one transaction
    assert _versions(world) == (everything + 1, settled + 1)
    act(world, finalize, "reviewer", assessment_id)
    assert _versions(world) == (everything + 2, settled + 2)


def _save_a(world: World, session: Any, assessment_id: int) -> None:
    read = committed_versions(world, assessment_id)
    save_self_assessment(
        session,
        actor=world.actors["coordinator"],
        assessment_id=assessment_id,
        versions={"I02": read.get("I02", 0)},
        entries={"I02": {"level": 4}},
    )


def _open_b(world: World, session: Any) -> None:
    open_assessment(session, actor=world.owner("b"), agency_id=world.agency["b"], period_id=world.pemdi)


def test_a_transaction_mixing_a_working_save_with_another_write_bumps_both_once(world: World):
    assessment_id = prepared(world, "a", "draft")
    everything, settled = _versions(world)
    with write_session(world.engine) as session:  # the working save first, then another write
        _save_a(world, session, assessment_id)
        _open_b(world, session)
    assert _versions(world) == (everything + 1, settled + 1)
    with write_session(world.engine) as session:  # another write first, then the working save
        open_assessment(session, actor=world.owner("b"), agency_id=world.agency["b"], period_id=world.spbe)
        _save_a(world, session, assessment_id)
    assert _versions(world) == (everything + 2, settled + 2)


def _frame(frame: pd.DataFrame) -> str:
    return frame.to_json(orient="split")  # a missing value as null: NaN is never equal to itself


def _settled_reads(world: World) -> dict[str, Any]:
    """What every cache keyed on SETTLED reads (app_pages/read_models.py and the pages' views), uncached."""
    reviewer = world.actors["reviewer"]
    out: dict[str, Any] = {}
    with read_session(world.engine) as session:
        out["periods"] = list_periods(session)
        out["agencies"] = list_agencies(session)
        out["trend"] = _frame(dashboard.trend_frame(session))
        out["national"] = national_trend(session)
        out["published"] = published_results(session)
        out["history"] = _frame(trends.index_history(session, actor=reviewer))
        out["gap_by_year"] = _frame(gaps.gap_by_year(session, actor=reviewer))
        out["off_track"] = off_track_targets(session, actor=reviewer, current_year=2026)
        out["targets"] = list_targets(session, actor=reviewer, agency_id=None, current_year=2026)
        for period_id in (world.pemdi, world.spbe):
            out[f"final {period_id}"] = period_results(session, period_id)
            out[f"self of final {period_id}"] = period_results(session, period_id, levels="self")
            out[f"statuses {period_id}"] = dashboard.status_counts(session, period_id)
            out[f"predicates {period_id}"] = _frame(dashboard.predicate_counts(session, period_id))
            out[f"ranking {period_id}"] = _frame(
                comparison.ranking(session, actor=reviewer, period_id=period_id)
            )
            out[f"gap totals {period_id}"] = period_gap_totals(session, period_id)
            out[f"gaps {period_id}"] = _frame(gaps.gaps_by_agency(session, period_id, actor=reviewer))
            out[f"indicator gaps {period_id}"] = _frame(
                gaps.indicator_gaps(session, actor=reviewer, period_id=period_id)
            )
            agencies = list(world.agency.values())
            out[f"matrix {period_id}"] = _frame(
                comparison.level_matrix(session, actor=reviewer, period_id=period_id, agency_ids=agencies)
            )
            for agency_id in agencies:
                out[f"profile {period_id} {agency_id}"] = dashboard.agency_profile(
                    session, agency_id, period_id
                )
    return out


def _working_reads(world: World) -> Any:
    """The self levels of unfinished assessments, scored: what a working save does change."""
    statuses = tuple(sorted(data_version.WORKING_STATUSES))
    with read_session(world.engine) as session:
        return [
            period_results(session, period_id, levels=levels, statuses=statuses)
            for period_id in (world.pemdi, world.spbe)
            for levels in ("self", "final")
        ]


def test_no_settled_read_shows_what_working_saves_change(world: World):
    finalized = prepared(world, "a", "finalizable")
    act(world, finalize, "reviewer", finalized)
    draft = prepared(world, "b", "complete")  # agency b: a draft in Pemdi 2026
    in_review = prepared(world, "b", "in_review", world.spbe)  # and one in review in SPBE 2025
    settled, working = _settled_reads(world), _working_reads(world)
    before = _versions(world)

    save(
        world, "coordinator_b", draft, {"I01": {"level": 5, "justification": "Diubah."}, "I02": {"level": 4}}
    )
    act(
        world,
        save_review,
        "reviewer",
        in_review,
        entries={"I01": {"final_level": 1}, "I03": {"final_level": 2}},
    )

    assert _working_reads(world) != working  # the saves changed what they save...
    assert _settled_reads(world) == settled  # ...and nothing a SETTLED cache shows
    assert _versions(world)[1] == before[1]


def test_reads_of_finalized_assessments_take_the_settled_scope():
    assert data_version.scope_of(("final",)) == SETTLED
    for status in data_version.WORKING_STATUSES:
        assert data_version.scope_of(("final", status)) == EVERYTHING
    assert data_version.is_working(["save_self", "save_review"])
    assert not data_version.is_working([])
    assert not data_version.is_working(["save_self", "submit"])
