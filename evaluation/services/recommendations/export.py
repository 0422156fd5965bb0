"""The recommendations and their follow-up as a spreadsheet (XLSX or CSV), for the agency's page, the
ministry's overview and `python -m evaluation export recommendations`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from evaluation.excel_io.table import Column
from evaluation.excel_io.writer import SheetSpec, write_csv, write_xlsx
from evaluation.i18n import t
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.recommendations.reads import (
    RecommendationView,
    recommendations_nationwide,
    recommendations_of_agency,
)

COLUMNS = (
    Column("agency_code", "sh.agency_code", "code", width=12),
    Column("agency_name", "sh.agency_name", width=30),
    Column("category", "sh.category", width=12),
    Column("province", "sh.province", width=18),
    Column("year", "sh.year", "int", width=8),
    Column("framework", "sh.framework", width=12),
    Column("indicator", "sh.export.indicator", width=10),
    Column("priority", "sh.priority", width=10),
    Column("text", "sh.text", width=50),
    Column("due_on", "sh.export.due_on", width=12),
    Column("status", "sh.status", width=14),
    Column("followup_action", "sh.followup_action", width=50),
    Column("followup_owner", "sh.owner", width=20),
    Column("followup_due_on", "sh.followup_due_on", width=12),
    Column("evidence", "sh.export.evidence", width=24),
    Column("activity", "sh.activity", width=30),
    Column("done_at", "sh.done_at", width=12),
    Column("checked_by", "sh.checked_by", width=20),
    Column("check_note", "sh.check_note", width=40),
)


def _row(view: RecommendationView, lang: str) -> dict[str, Any]:
    """A recommendation's row by column (COLUMNS' order): the columns named after a field of the view hold
    it as it is; the others as made here (translated words, ISO dates)."""
    made = {
        "framework": view.framework_id,
        "indicator": view.indicator_code or t("rc.whole_agency", lang),
        "priority": t(f"rc.priority.{view.priority}", lang),
        "due_on": view.due_on.isoformat() if view.due_on else None,
        "status": t(f"rc.status.{view.status}", lang),
        "followup_due_on": view.followup_due_on.isoformat() if view.followup_due_on else None,
        "evidence": view.evidence_name,
        "activity": view.activity_title,
        "done_at": view.done_at.date().isoformat() if view.done_at else None,
    }
    return {c.key: made[c.key] if c.key in made else getattr(view, c.key) for c in COLUMNS}


def recommendation_rows(
    session: Session,
    *,
    actor: Actor,
    year: int | None = None,
    agency_ids: Sequence[int] | None = None,
    lang: str = "id",
) -> list[dict[str, Any]]:
    """One row per recommendation (of one period year, or all), agency by agency: the ministry's roles get
    every agency (or those of `agency_ids`); agency users only their own agency, and PermissionDenied
    when they name another."""
    if actor.is_ministry:
        views = recommendations_nationwide(
            session, actor=actor, year=year, agency_ids=list(agency_ids) if agency_ids is not None else None
        )
    else:
        if agency_ids is not None and set(agency_ids) - {actor.agency_id}:
            raise PermissionDenied("ew.perm_own_recommendations")
        own = recommendations_of_agency(session, actor=actor, agency_id=actor.agency_id or 0)
        views = [v for v in own if year is None or v.year == year]
    views = sorted(views, key=lambda v: (v.agency_code, -v.year))  # stable: keeps priority order inside
    return [_row(view, lang) for view in views]


def recommendations_file(
    session: Session,
    *,
    actor: Actor,
    year: int | None = None,
    agency_ids: Sequence[int] | None = None,
    fmt: str = "xlsx",
    lang: str = "id",
) -> bytes:
    """The rows of `recommendation_rows` as XLSX (one sheet) or CSV; text never becomes a formula."""
    spec = SheetSpec(
        "Rekomendasi" if lang == "id" else "Recommendations",
        COLUMNS,
        recommendation_rows(session, actor=actor, year=year, agency_ids=agency_ids, lang=lang),
    )
    return write_csv(spec, lang=lang) if fmt == "csv" else write_xlsx([spec], lang=lang)
