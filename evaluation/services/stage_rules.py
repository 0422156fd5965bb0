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

from evaluation.models import MINUTE_STAGES

# stage -> (Indonesian, English) as it reads inside a sentence
STAGE_NAMES: dict[str, tuple[str, str]] = {
    "document": ("tahap penilaian dokumen", "document review stage"),
    "interview": ("tahap interviu", "interview stage"),
    "visit": ("tahap visitasi", "site visit stage"),
    "final": ("tahap final", "final stage"),
}


def stage_name(stage: str, lang: str = "id") -> str:
    """The stage's name inside a sentence ("tahap interviu" / "interview stage"); unknown codes as given."""
    indonesian, english = STAGE_NAMES.get(stage, (f"tahap {stage}", f"{stage} stage"))
    return english if lang == "en" else indonesian


def missing_stage_message(stage: str, *, finalizing: bool) -> str:
    """The refusal "Indonesian. / English." when `stage` is required and not reached yet: before
    finalizing, or (finalizing=False) when a move would skip it."""
    name_id, name_en = stage_name(stage, "id"), stage_name(stage, "en")
    if finalizing:
        then_id = f"pindahkan penilaian ke {name_id} sebelum menetapkan hasil akhir"
        then_en = f"move the assessment to the {name_en} before finalizing"
    else:
        then_id = f"{name_id} wajib pada periode ini dan tidak boleh dilewati"
        then_en = f"this period requires the {name_en}; it cannot be skipped"
    return (
        f"{name_id[0].upper()}{name_id[1:]} belum dilalui: {then_id}. / "
        f"The {name_en} has not been done yet: {then_en}."
    )


def unknown_stage_message(stage: str, allowed: Sequence[str]) -> str:
    """The refusal of a stage that this period's evaluation type does not use, naming the ones it does."""
    return (
        f"{stage_name(stage, 'id').capitalize()} tidak digunakan pada periode ini (tahap yang berlaku: "
        f"{', '.join(stage_name(s, 'id') for s in allowed)}). / "
        f"The {stage_name(stage, 'en')} is not used in this period (its stages: "
        f"{', '.join(stage_name(s, 'en') for s in allowed)})."
    )


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
    if status == "final" or current == "final":
        position = len(order)
    elif status == "in_review" and current in order:
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
