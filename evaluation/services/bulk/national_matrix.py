"""The national matrix of a period: agencies x indicators (final levels), group indices, index, predicate."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from evaluation.excel_io.table import Column
from evaluation.excel_io.writer import SheetSpec, write_csv, write_xlsx
from evaluation.models import Period
from evaluation.services.actors import Actor, require_role
from evaluation.services.comparison import final_levels
from evaluation.services.frameworks import load_framework_version
from evaluation.services.results import period_results
from evaluation.services.scoring_cache import collector_paused
from evaluation.translatable import NotFound
from evaluation.workflow import Role


def matrix_rows(
    session: Session, *, actor: Actor, period_id: int
) -> tuple[list[Column], list[dict[str, Any]]]:
    """Ministry only: every verified agency of the period, its final levels and results."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    period = session.get(Period, period_id)
    if period is None:
        raise NotFound("pr.err_no_period", period_id=str(period_id))
    framework = load_framework_version(session, period.framework_version_id)
    levels = final_levels(session, period_id)
    groups = list(framework.group_by_code)
    columns = [
        Column("agency_code", "sh.agency_code", "code", width=12),
        Column("agency_name", "sh.agency_name", width=34),
        Column("category", "sh.category", width=12),
        Column("province", "sh.province", width=18),
        Column("year", "sh.year", "int", width=8),
        *[Column(i.code, i.code, "level", width=6, verbatim=True) for i in framework.indicators],
        *[Column(code, code, "number", width=7, verbatim=True) for code in groups],
        Column("index", "sh.index", "number", width=9),
        Column("predicate", "sh.predicate", width=12),
    ]
    rows = []
    for result in period_results(session, period_id):
        score = result.result
        row: dict[str, Any] = {
            "agency_code": result.agency_code,
            "agency_name": result.agency_name,
            "category": result.category,
            "province": result.province,
            "year": result.year,
            "index": score.index_value,
            "predicate": score.predicate.name if score.predicate else None,
        }
        # whole levels are written as whole numbers (3, not 3.00) by the writer and the CSV alike
        row.update(levels.get(result.agency_id, ()))
        for code in groups:
            row[code] = float(score.groups[code]) if code in score.groups else None
        rows.append(row)
    return columns, rows


def matrix_file(
    session: Session, *, actor: Actor, period_id: int, fmt: str = "xlsx", lang: str = "id"
) -> bytes:
    """The matrix as an XLSX or CSV file (bytes). Built with the cyclic garbage collector paused: the
    rows and the writer's cells hold no cycles, and full collections over a server's heap (its scorings
    kept for every period) cost a third of the export at 3x the national scale (issue 17)."""
    with collector_paused():
        columns, rows = matrix_rows(session, actor=actor, period_id=period_id)
        spec = SheetSpec("Matriks", columns, rows)
        return write_csv(spec, lang=lang) if fmt == "csv" else write_xlsx([spec], lang=lang)
