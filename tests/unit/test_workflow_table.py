"""Issue 15: roles, statuses and the assessment's workflow are defined once (evaluation/workflow.py); the
database's CHECK constraints and the services read them from there."""

from __future__ import annotations

import pytest

from evaluation.models import ASSESSMENT_STATUSES, ROLES
from evaluation.services import actors, delegation_flow, self_assessment
from evaluation.workflow import (
    AGENCY_EDITABLE,
    AGENCY_ROLES,
    MINISTRY_ROLES,
    REVIEWER_EDITABLE,
    TRANSITIONS,
    AssessmentStatus,
    Role,
    agency_may_edit,
    may_move,
    next_actions,
    reviewer_may_edit,
)

S = AssessmentStatus

# (status, role) -> the actions that role may take there; every pair not listed may take none
ALLOWED = {
    (S.DRAFT, Role.COORDINATOR): ("submit",),
    (S.RETURNED, Role.COORDINATOR): ("submit",),
    (S.SUBMITTED, Role.REVIEWER): ("start_review",),
    (S.IN_REVIEW, Role.REVIEWER): ("return", "finalize"),
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("role", list(Role))
def test_each_role_may_take_exactly_the_listed_actions_in_each_status(status, role):
    expected = ALLOWED.get((status, role), ())
    assert next_actions(status, role) == expected
    for transition in TRANSITIONS:
        assert may_move(status, transition.action, role) is (transition.action in expected)


@pytest.mark.parametrize(
    ("action", "target"),
    [("submit", S.SUBMITTED), ("start_review", S.IN_REVIEW), ("return", S.RETURNED), ("finalize", S.FINAL)],
)
def test_each_action_reaches_its_status(action, target):
    assert next(t.target for t in TRANSITIONS if t.action == action) == target


def test_every_status_is_reachable_from_draft_and_final_has_no_way_out():
    reached, frontier = {S.DRAFT}, [S.DRAFT]
    while frontier:
        status = frontier.pop()
        for transition in TRANSITIONS:
            if status in transition.sources and transition.target not in reached:
                reached.add(transition.target)
                frontier.append(transition.target)
    assert reached == set(S)
    assert not any(S.FINAL in t.sources for t in TRANSITIONS)


@pytest.mark.parametrize(
    ("status", "agency", "reviewer"),
    [
        (S.DRAFT, True, False),
        (S.SUBMITTED, False, False),
        (S.IN_REVIEW, False, True),
        (S.RETURNED, True, False),
        (S.FINAL, False, False),
    ],
)
def test_who_may_edit_in_each_status(status, agency, reviewer):
    assert agency_may_edit(status) is agency
    assert reviewer_may_edit(status) is reviewer


def test_the_database_stores_the_same_strings():
    assert ROLES == ("operator", "coordinator", "reviewer", "admin")
    assert ASSESSMENT_STATUSES == ("draft", "submitted", "in_review", "returned", "final")
    assert all(type(value) is str for value in (*ROLES, *ASSESSMENT_STATUSES))
    assert Role.COORDINATOR == "coordinator" and AssessmentStatus.IN_REVIEW == "in_review"


def test_the_roles_split_into_agency_and_ministry():
    assert set(AGENCY_ROLES) | set(MINISTRY_ROLES) == set(Role)
    assert not set(AGENCY_ROLES) & set(MINISTRY_ROLES)


def test_the_services_use_the_workflow_definitions():
    assert actors.AGENCY_ROLES is AGENCY_ROLES and actors.MINISTRY_ROLES is MINISTRY_ROLES
    assert self_assessment.EDITABLE is AGENCY_EDITABLE and delegation_flow.EDITABLE is AGENCY_EDITABLE
    assert set(REVIEWER_EDITABLE) == {S.IN_REVIEW}
