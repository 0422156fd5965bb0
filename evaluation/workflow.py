"""Roles, assessment statuses and the assessment's workflow, defined once (issue 15).

The values are the strings the database stores (evaluation.models builds its CHECK constraints from
them), so `Role.COORDINATOR == "coordinator"` and a stored status compares equal to its member.

The life of an assessment (DESIGN.md, "The assessment's life"):

    draft --submit (coordinator)--> submitted --start_review (reviewer)--> in_review
    in_review --return (reviewer)--> returned --submit (coordinator)--> submitted ...
    in_review --finalize (reviewer)--> final

Edits: the agency (operator, coordinator) fills levels and evidence in draft and returned; the reviewer
sets final levels and notes in review. Per-agency rules (own agency, delegated indicators, the lead
reviewer of an agency) and the period's dates are checked by the services on top of this table.
Pure: imports nothing from the rest of the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    OPERATOR = "operator"
    COORDINATOR = "coordinator"
    REVIEWER = "reviewer"
    ADMIN = "admin"


AGENCY_ROLES: tuple[Role, ...] = (Role.OPERATOR, Role.COORDINATOR)
MINISTRY_ROLES: tuple[Role, ...] = (Role.REVIEWER, Role.ADMIN)


class AssessmentStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    FINAL = "final"


# where each side may change an assessment's content
AGENCY_EDITABLE: frozenset[AssessmentStatus] = frozenset({AssessmentStatus.DRAFT, AssessmentStatus.RETURNED})
REVIEWER_EDITABLE: frozenset[AssessmentStatus] = frozenset({AssessmentStatus.IN_REVIEW})


@dataclass(frozen=True)
class Transition:
    """One status move: the action's name (as written in the audit log), the statuses it leaves, the one
    it reaches, and the roles that may take it."""

    action: str
    sources: frozenset[AssessmentStatus]
    target: AssessmentStatus
    roles: frozenset[Role]


TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", AGENCY_EDITABLE, AssessmentStatus.SUBMITTED, frozenset({Role.COORDINATOR})),
    Transition(
        "start_review",
        frozenset({AssessmentStatus.SUBMITTED}),
        AssessmentStatus.IN_REVIEW,
        frozenset({Role.REVIEWER}),
    ),
    Transition("return", REVIEWER_EDITABLE, AssessmentStatus.RETURNED, frozenset({Role.REVIEWER})),
    Transition("finalize", REVIEWER_EDITABLE, AssessmentStatus.FINAL, frozenset({Role.REVIEWER})),
)
TRANSITION_BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


def may_move(status: str, action: str, role: str) -> bool:
    """True when `role` may take `action` on an assessment in `status` (KeyError for an unknown action)."""
    transition = TRANSITION_BY_ACTION[action]
    return status in transition.sources and role in transition.roles


def next_actions(status: str, role: str) -> tuple[str, ...]:
    """The actions `role` may take on an assessment in `status`, in the workflow's order."""
    return tuple(t.action for t in TRANSITIONS if status in t.sources and role in t.roles)


def agency_may_edit(status: str) -> bool:
    """True in the statuses where the agency fills levels, justifications and evidence."""
    return status in AGENCY_EDITABLE


def reviewer_may_edit(status: str) -> bool:
    """True in the statuses where a reviewer sets final levels and notes."""
    return status in REVIEWER_EDITABLE
