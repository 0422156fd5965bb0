"""One entry for every import: which kind a file is, its dry run, its application."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from evaluation.excel_io.reader import read_upload
from evaluation.services.actors import Actor
from evaluation.services.bulk import assessment_import, published_results
from evaluation.services.bulk.assessment_import import Progress


def kind_of(data: bytes, filename: str) -> str:
    sheets = read_upload(data, filename)
    names = {s.name for s in sheets}
    if published_results.SHEET in names:
        return "published"
    header = {str(c).strip().lower() for c in (sheets[0].rows[0] if sheets[0].rows else []) if c is not None}
    return "published" if {"d1", "a1"} & header and "kode indikator" not in header else "assessment"


def plan(
    session: Session, *, actor: Actor, data: bytes, filename: str, progress: Progress | None = None
) -> Any:
    if kind_of(data, filename) == "published":
        return published_results.plan_published_import(session, actor=actor, data=data, filename=filename)
    return assessment_import.plan_assessment_import(
        session, actor=actor, data=data, filename=filename, progress=progress
    )


def apply(
    session: Session, *, actor: Actor, data: bytes, filename: str, progress: Progress | None = None
) -> Any:
    if kind_of(data, filename) == "published":
        return published_results.apply_published_import(session, actor=actor, data=data, filename=filename)
    return assessment_import.apply_assessment_import(
        session, actor=actor, data=data, filename=filename, progress=progress
    )


def warnings(plan: Any) -> list[str]:
    return [
        f"baris/row {row.row}: {w}" for row in getattr(plan, "rows", []) for w in getattr(row, "warnings", [])
    ]
