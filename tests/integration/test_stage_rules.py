"""The review stages: a refusal names the missing stage in both languages, the stages a period chose as
required are the ones finalize waits for, a required stage cannot be jumped over, and the steps the page
shows say what each stage still lacks."""

from __future__ import annotations

import pytest

from evaluation.db import read_session, write_session
from evaluation.i18n import t
from evaluation.models import Assessment, Period
from evaluation.services.assessment_state import IncompleteAssessment, WorkflowError
from evaluation.services.review import finalize, save_review, set_stage
from evaluation.services.stage_rules import Step, stage_steps
from tests.integration.workflow_fixtures import (
    World,
    act,
    committed_snapshot,
    framework_for,
    prepared,
)


def require(world: World, period_id: int, stages: str | None) -> None:
    with write_session(world.engine) as session:
        period = session.get(Period, period_id)
        assert period is not None
        period.required_stages = stages
        session.add(period)


def all_final(world: World, aid: int, period_id: int | None = None) -> None:
    with read_session(world.engine) as session:
        codes = [i.code for i in framework_for(session, period_id or world.pemdi).indicators]
    act(world, save_review, "reviewer", aid, entries={c: {"final_level": 3} for c in codes})


def stage_of(world: World, aid: int) -> str | None:
    with read_session(world.engine) as session:
        row = session.get(Assessment, aid)
        assert row is not None
        return row.stage


def test_finalizing_before_the_interview_names_the_interview_stage_in_both_languages(world):
    aid = prepared(world, "a", "in_review")
    all_final(world, aid)
    with pytest.raises(WorkflowError) as refused:
        act(world, finalize, "reviewer", aid)
    indonesian, english = str(refused.value).split(" / ")
    assert indonesian.startswith("Tahap interviu belum dilalui: pindahkan penilaian ke tahap interviu")
    assert english.startswith("The interview stage has not been done yet: move the assessment")
    assert "interview " not in indonesian  # no raw stage code in the Indonesian sentence


def test_a_period_that_requires_the_site_visit_finalizes_only_after_it(world):
    require(world, world.pemdi, "document,interview,visit")
    aid = prepared(world, "a", "finalizable")  # at the interview
    before = committed_snapshot(world.engine)
    with pytest.raises(WorkflowError, match="Tahap visitasi belum dilalui") as refused:
        act(world, finalize, "reviewer", aid)
    assert "The site visit stage has not been done yet" in str(refused.value)
    assert committed_snapshot(world.engine) == before
    act(world, set_stage, "reviewer", aid, stage="visit")
    act(world, finalize, "reviewer", aid)
    assert stage_of(world, aid) == "final"


def test_a_period_that_requires_only_the_document_review_finalizes_from_it(world):
    require(world, world.pemdi, "document")
    aid = prepared(world, "a", "in_review")
    all_final(world, aid)
    act(world, finalize, "reviewer", aid)
    assert stage_of(world, aid) == "final"


def test_without_a_choice_the_evaluation_types_default_requires_the_interview(world):
    require(world, world.spbe, None)
    aid = prepared(world, "a", "in_review", period_id=world.spbe)
    all_final(world, aid, world.spbe)
    with pytest.raises(WorkflowError, match="tahap interviu"):
        act(world, finalize, "reviewer", aid)


def test_a_move_may_not_jump_over_a_required_stage(world):
    aid = prepared(world, "a", "in_review")
    with pytest.raises(WorkflowError) as refused:
        act(world, set_stage, "reviewer", aid, stage="visit")
    assert str(refused.value) == (
        "Tahap interviu belum dilalui: tahap interviu wajib pada periode ini dan tidak boleh dilewati. / "
        "The interview stage has not been done yet: this period requires the interview stage; it cannot be "
        "skipped."
    )
    assert stage_of(world, aid) == "document"


def test_an_optional_interview_may_be_skipped_and_a_reviewer_may_step_back(world):
    require(world, world.pemdi, "document,visit")
    aid = prepared(world, "a", "in_review")
    act(world, set_stage, "reviewer", aid, stage="visit")
    assert stage_of(world, aid) == "visit"
    act(world, set_stage, "reviewer", aid, stage="document")
    assert stage_of(world, aid) == "document"


def test_a_stage_the_period_does_not_use_is_refused_by_name(world):
    with write_session(world.engine) as session:
        period = session.get(Period, world.spbe)
        assert period is not None
        period.evaluation_type = "pemantauan"
        session.add(period)
    aid = prepared(world, "a", "in_review", period_id=world.spbe)
    with pytest.raises(WorkflowError) as refused:
        act(world, set_stage, "reviewer", aid, stage="interview")
    assert str(refused.value) == (
        "Tahap interviu tidak digunakan pada periode ini (tahap yang berlaku: tahap penilaian dokumen). / "
        "The interview stage is not used in this period (its stages: document review stage)."
    )


def test_a_missing_final_level_is_still_reported_as_incomplete_after_the_stages(world):
    aid = prepared(world, "a", "in_review")
    act(world, set_stage, "reviewer", aid, stage="interview")
    with pytest.raises(IncompleteAssessment):
        act(world, finalize, "reviewer", aid)


ORDER = ("document", "interview", "visit")


def steps(**kwargs: object) -> list[Step]:
    args: dict[str, object] = {
        "order": ORDER,
        "required": ("document", "interview"),
        "current": "document",
        "status": "in_review",
        "final_levels_missing": 0,
        "minutes": {},
    }
    args.update(kwargs)
    return stage_steps(**args)  # type: ignore[arg-type]


def test_the_steps_mark_done_current_and_to_do_with_what_each_needs():
    shown = steps(current="interview", final_levels_missing=4)
    assert [(s.stage, s.state, s.required, s.needs) for s in shown] == [
        ("document", "done", True, "final_levels"),
        ("interview", "current", True, "minute_with_findings"),
        ("visit", "todo", False, "minute"),
    ]
    assert [s.missing for s in shown] == [("final_levels",), ("minute",), ()]


def test_an_interview_minute_without_findings_is_flagged_and_one_with_findings_is_not():
    assert steps(current="interview", minutes={"interview": 0})[1].missing == ("findings",)
    assert steps(current="interview", minutes={"interview": 2})[1].missing == ()


def test_an_optional_stage_passed_without_its_minute_shows_as_skipped():
    shown = steps(required=("document", "visit"), current="visit", minutes={"visit": 0})
    assert [s.state for s in shown] == ["done", "skipped", "current"]
    assert [s.missing for s in shown] == [(), (), ()]


def test_a_submitted_assessment_has_every_step_to_do_and_a_final_one_every_required_step_done():
    assert {s.state for s in steps(status="submitted", current=None)} == {"todo"}
    final = steps(status="final", current="final", minutes={"interview": 1})
    assert [s.state for s in final] == ["done", "done", "skipped"]


def test_the_stage_names_read_in_both_languages():
    assert [t(f"stage.{s}", "id") for s in ORDER] == ["Penilaian dokumen", "Interviu", "Visitasi"]
    assert [t(f"stage.{s}", "en") for s in ORDER] == ["Document review", "Interview", "Site visit"]
