"""One entry for every import: which kind a file is, its dry run, its application."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from evaluation.excel_io.reader import read_upload
from evaluation.services.actors import Actor
from evaluation.services.bulk import (
    activities_sheet,
    agencies_sheet,
    assessment_import,
    published_results,
    targets_sheet,
)
from evaluation.services.bulk.assessment_import import Progress


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
APPLIERS: dict[str, Any] = {
    "published": published_results.apply_published_import,
    "agencies": agencies_sheet.apply_agencies_import,
    "targets": targets_sheet.apply_targets_import,
    "activities": activities_sheet.apply_activities_import,
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
    preview: Any = None,
    choices: Any = None,
    default_choice: str | None = None,
) -> Any:
    """Check again and apply in the caller's transaction: all rows, or none (ImportRefused). `preview` (the
    plan the user saw) makes each row changed in the database since then a problem. For assessment, targets,
    activities and agencies files, `choices` ({spreadsheet row: "file" | "database"}) and `default_choice`
    settle rows with conflicts."""
    kind = kind_of(data, filename)
    if kind in APPLIERS:
        settles = {} if kind == "published" else {"choices": choices, "default_choice": default_choice}
        return APPLIERS[kind](session, actor=actor, data=data, filename=filename, preview=preview, **settles)
    return assessment_import.apply_assessment_import(
        session, actor=actor, data=data, filename=filename, progress=progress
    )


def warnings(plan: Any) -> list[str]:
    return [
        f"baris/row {row.row}: {w}" for row in getattr(plan, "rows", []) for w in getattr(row, "warnings", [])
    ]
