"""The review stages as the reviewer walks them (issue 12): their names in both languages for the
services' refusals, and the steps a page shows (done / current / to do, what each needs, which minute is
missing).

Decision on minutes: reaching the interview or the site visit does not require its minute (berita acara)
before finalizing. The minute records a meeting that is signed on paper and may be written up after the
final levels are set, and the pedoman lets a stage pass without clarifying every indicator (Pedoman
MenPANRB 3/2024, III.E: "penilaian dapat ditinggalkan"). The step and the finalize confirmation say which
minute is still missing, so the reviewer decides knowingly.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from evaluation.i18n import N_
from evaluation.models import MINUTE_STAGES
from evaluation.translatable import Message
from evaluation.workflow import AssessmentStatus

# stage -> its short name inside a sentence ("interviu" / "interview"; the sentence adds "tahap"/"stage")
STAGE_NAMES: dict[str, str] = {
    "document": N_("ew.stage_short_document"),
    "interview": N_("ew.stage_short_interview"),
    "visit": N_("ew.stage_short_visit"),
    "final": N_("ew.stage_short_final"),
}


def stage_short(stage: str) -> Message | str:
    """The stage's short name as a Message (an unknown code as given)."""
    return Message(STAGE_NAMES[stage]) if stage in STAGE_NAMES else stage


def stage_label(stage: str) -> Message:
    """The stage's name inside a sentence ("tahap interviu" / "interview stage"), as a Message."""
    return Message("ew.stage_in_sentence", stage=stage_short(stage))


def stage_name(stage: str, lang: str = "id") -> str:
    """The stage's name inside a sentence in `lang`; unknown codes as given ("tahap x" / "x stage")."""
    return stage_label(stage).render(lang)


def missing_stage_message(stage: str, *, finalizing: bool) -> Message:
    """The refusal when `stage` is required and not reached yet: before finalizing, or (finalizing=False)
    when a move would skip it."""
    key = "ew.stage_missing_before_final" if finalizing else "ew.stage_missing_skipped"
    return Message(key, stage=stage_short(stage))


def unknown_stage_message(stage: str, allowed: Sequence[str]) -> Message:
    """The refusal of a stage that this period's evaluation type does not use, naming the ones it does."""
    return Message("ew.stage_not_used", stage=stage_short(stage), allowed=[stage_label(s) for s in allowed])


def skipped_required(
    order: Sequence[str], required: Collection[str], current: str, target: str
) -> str | None:
    """The first required stage a move from `current` to `target` would jump over, else None (moving
    back, staying, or stepping onto the next stage skips nothing)."""
    if current not in order or target not in order:
        return None
    start, end = order.index(current), order.index(target)
    for stage in order[start + 1 : end]:
        if stage in required:
            return stage
    return None


@dataclass(frozen=True)
class Step:
    """One stage as a step: `state` is "done", "current", "todo" or "skipped" (an optional stage passed
    without its minute); `needs` what the stage asks for
    ("final_levels", "minute_with_findings" or "minute"); `missing` what is still lacking for it, among
    "final_levels", "minute" and "findings" (only for a done or current stage)."""

    stage: str
    state: str
    required: bool
    needs: str
    missing: tuple[str, ...]


NEEDS = {"document": "final_levels", "interview": "minute_with_findings", "visit": "minute"}


def stage_steps(
    *,
    order: Sequence[str],
    required: Collection[str],
    current: str | None,
    status: str,
    final_levels_missing: int,
    minutes: dict[str, int],
) -> list[Step]:
    """The period's stages (`order`) as steps for an assessment at stage `current` with `status`.
    `minutes`: {stage: number of findings} of the minutes saved. A final assessment has every stage it
    went through done; a submitted one (not in review yet) has every stage to do. An optional minute stage
    left behind without its minute was skipped."""
    if status == AssessmentStatus.FINAL or current == "final":
        position = len(order)
    elif status == AssessmentStatus.IN_REVIEW and current in order:
        position = order.index(current)
    else:
        position = -1
    steps = []
    for n, stage in enumerate(order):
        state = "done" if n < position else ("current" if n == position else "todo")
        optional = stage not in required
        if state == "done" and optional and stage in MINUTE_STAGES and stage not in minutes:
            state = "skipped"
        missing: list[str] = []
        if state in ("done", "current"):
            if stage == "document" and final_levels_missing:
                missing.append("final_levels")
            if stage in MINUTE_STAGES and stage not in minutes:
                missing.append("minute")
            elif stage == "interview" and minutes.get(stage) == 0:
                missing.append("findings")
        steps.append(Step(stage, state, not optional, NEEDS.get(stage, "final_levels"), tuple(missing)))
    return steps
