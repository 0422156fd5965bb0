"""One entry for every import: which kind a file is, its dry run, its application."""

from __future__ import annotations

from datetime import date
from typing import Any, Unpack

from sqlmodel import Session

from evaluation.excel_io.reader import read_upload
from evaluation.formats import fmt_day, fmt_short, fmt_when
from evaluation.i18n import t
from evaluation.services.actors import Actor
from evaluation.services.bulk import (
    activities_sheet,
    agencies_sheet,
    assessment_import,
    published_results,
    targets_sheet,
)
from evaluation.services.bulk.assessment_import import Progress
from evaluation.services.bulk.keyed_import import Settlement, settled
from evaluation.translatable import Message


def kind_of(data: bytes, filename: str) -> str:
    sheets = read_upload(data, filename)
    names = {s.name for s in sheets}
    for sheet_name, kind in (
        (published_results.SHEET, "published"),
        (agencies_sheet.SHEET, "agencies"),
        (targets_sheet.SHEET, "targets"),
        (activities_sheet.SHEET, "activities"),
    ):
        if sheet_name in names:
            return kind
    header = {str(c).strip().lower() for c in (sheets[0].rows[0] if sheets[0].rows else []) if c is not None}
    if {"jangka", "horizon"} & header:
        return "targets"
    if {"nama kegiatan", "activity"} & header:
        return "activities"
    if (
        {"kategori", "category"} & header
        and {"nama instansi", "agency name"} & header
        and not {"d1", "a1"} & header
    ):
        return "agencies"
    return "published" if {"d1", "a1"} & header and "kode indikator" not in header else "assessment"


PLANNERS: dict[str, Any] = {
    "published": published_results.plan_published_import,
    "agencies": agencies_sheet.plan_agencies_import,
    "targets": targets_sheet.plan_targets_import,
    "activities": activities_sheet.plan_activities_import,
}
WRITERS: dict[str, Any] = {  # the keyed sheets: each writes a settled plan
    "agencies": agencies_sheet.write_agencies,
    "targets": targets_sheet.write_targets,
    "activities": activities_sheet.write_activities,
}


def plan(
    session: Session, *, actor: Actor, data: bytes, filename: str, progress: Progress | None = None
) -> Any:
    """The dry run of whichever kind of file this is; nothing is written."""
    kind = kind_of(data, filename)
    if kind in PLANNERS:
        return PLANNERS[kind](session, actor=actor, data=data, filename=filename)
    return assessment_import.plan_assessment_import(
        session, actor=actor, data=data, filename=filename, progress=progress
    )


def apply(
    session: Session,
    *,
    actor: Actor,
    data: bytes,
    filename: str,
    progress: Progress | None = None,
    **settlement: Unpack[Settlement],
) -> Any:
    """Check again and apply in the caller's transaction: all rows, or none (ImportRefused). The
    `settlement`'s `preview` (the plan the user saw) makes each row changed in the database since then a
    problem; for assessment, targets, activities and agencies files its `choices` ({spreadsheet row:
    "file" | "database"}) and `default_choice` settle rows with conflicts."""
    kind = kind_of(data, filename)
    if kind == "published":
        return published_results.apply_published_import(
            session, actor=actor, data=data, filename=filename, preview=settlement.get("preview")
        )
    if kind in WRITERS:  # planned again in this transaction
        keyed = PLANNERS[kind](session, actor=actor, data=data, filename=filename)
        settled(keyed, **settlement)
        WRITERS[kind](session, actor=actor, plan=keyed)
        return keyed
    return assessment_import.apply_assessment_import(
        session, actor=actor, data=data, filename=filename, progress=progress, **settlement
    )


def warnings(plan: Any, lang: str = "id") -> list[str]:
    """Each row's warnings (a published result that disagrees with its recomputation), in `lang`."""
    return [
        t("pr.row_warning", lang, row=row.row, warning=w.render(lang))
        for row in getattr(plan, "rows", [])
        for w in getattr(row, "warnings", [])
    ]


def describe(plan: Any, lang: str = "id") -> list[str]:
    """Plain lines for a terminal: every changed cell (sheet!cell, what the row is, field: old -> new),
    every conflict (both values, who changed the database and when) and the notes (see `notes`)."""
    sheet = getattr(plan, "sheet", "")
    lines = []
    for change in preview_changes(plan):
        lines.append(
            f"{sheet}!{change.column}{change.row} {change.label} {change.key}: "
            f"{cell_text(change.old, lang)} -> {cell_text(change.new, lang)}"
        )
    for c in getattr(plan, "conflicts", []):
        who = c.changed_by or "?"
        when = fmt_when(c.changed_at, lang) if c.changed_at else "?"
        conflict = t(
            "pr.conflict_line",
            lang,
            file=cell_text(c.file_value, lang),
            db=cell_text(c.db_value, lang),
            who=who,
            when=when,
        )
        lines.append(f"{sheet}!{c.column}{c.row} {c.label} {c.key}: {conflict}")
    for note in notes(plan):
        lines.append(note.render(lang))
    return lines


def preview_changes(plan: Any) -> list[Any]:
    """Every cell a plan would write, each with row, column (letter), key, label, old and new; [] for
    plans that do not list their cells as such."""
    changes = getattr(plan, "changes", None)
    if not callable(changes):
        return []
    return [c for c in changes() if hasattr(c, "label")]


def notes(plan: Any) -> list[Message]:
    """The notes (each `.render(lang)`) of a plan that follows the three-way rule (assessment and keyed
    sheets): undetectable conflicts, rows without origin, rows skipped, newer database values kept."""
    has_origin = getattr(plan, "has_origin", None)
    if has_origin is None:
        return []
    found: list[Message] = []
    without = getattr(plan, "rows_without_origin", 0)
    skipped = getattr(plan, "skipped", 0)
    kept = getattr(plan, "kept", 0)
    if not has_origin:
        found.append(Message("pr.note_no_origin"))
    elif without:
        found.append(Message("pr.note_without_origin", count=without))
    if skipped:
        found.append(Message("pr.note_skipped", count=skipped))
    if kept:
        found.append(Message("pr.note_kept", count=kept))
    return found


def cell_text(value: Any, lang: str) -> str:
    """A cell's value as a terminal line shows it, in `lang`: numbers with only the decimals they need
    (1,5 / 1.5), dates written out, long text cut at 60 characters."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return fmt_short(float(value), lang)
    if isinstance(value, date):
        return fmt_day(value, lang)
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."
