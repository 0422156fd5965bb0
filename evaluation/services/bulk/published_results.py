"""Published historical results (per agency and year, the domain or aspect indices as printed): import
with the index and predicate recomputed and disagreements flagged, so trends reach back before the tool."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from evaluation.excel_io.cells import Problem
from evaluation.excel_io.reader import read_upload
from evaluation.excel_io.table import Column, parse_table
from evaluation.excel_io.writer import SheetSpec, write_xlsx
from evaluation.i18n import t
from evaluation.models import Agency, PublishedResult
from evaluation.scoring import ScoringInputError, score_group_values
from evaluation.services.actors import Actor, require_role
from evaluation.services.bulk.keyed_import import stored_limit_messages
from evaluation.services.bulk.plan import ImportLog, ImportRefused, known_agency, located
from evaluation.services.bulk.published_plan import SHEET, PlannedResult, PublishedPlan
from evaluation.services.frameworks import framework_of, latest_version
from evaluation.translatable import Message
from evaluation.workflow import Role

BASE = (
    Column("agency_code", "sh.agency_code", "code", required=True, width=12),
    Column("agency_name", "sh.agency_name", width=34),
    Column("year", "sh.year", "int", required=True, width=8),
    Column("framework", "sh.framework", "text", width=14, note="sh.framework_note"),
)
TAIL = (
    Column("index", "sh.index", "number", width=9),
    Column("predicate", "sh.predicate", width=12),
    Column("source", "sh.source", width=30),
)
GROUP_CODES = ("D1", "D2", "D3", "D4", "A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8")
GROUPS = tuple(Column(code, code, "number", width=7, verbatim=True) for code in GROUP_CODES)
COLUMNS = BASE + GROUPS + TAIL
TOLERANCE = Fraction(1, 200)  # published indices are printed to 2 decimals


def default_framework(year: int) -> str:
    """The framework a published result of `year` is read with when the row names none."""
    return "spbe-2020" if year <= 2025 else "pemdi-2026"


def template(lang: str = "id") -> bytes:
    """The empty published-results form (XLSX with instructions); it carries no origin column, as no
    stored result is exported into it."""
    lines = [t("pr.sheet_published_instructions", lang)]
    return write_xlsx([SheetSpec(SHEET, COLUMNS, [])], lang=lang, instructions=lines, template=True)


def plan_published_import(session: Session, *, actor: Actor, data: bytes, filename: str) -> PublishedPlan:
    """The dry run of a published-results file (reviewers and admins): agencies, frameworks, group values
    and the table's limits checked per row, the index recomputed and disagreements flagged as warnings;
    nothing is written. Raises PermissionDenied for other roles."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    sheets = read_upload(data, filename)
    sheet = next((s for s in sheets if s.name == SHEET), sheets[0])
    plan = PublishedPlan(sheet=sheet.name, columns={c.key: c for c in COLUMNS})
    rows, plan.problems = parse_table(sheet, COLUMNS)
    if rows:
        plan.letters = dict(rows[0].letters)
    agencies = {
        str(c): int(i or 0)
        for i, c in session.connection().execute(sa_select(col(Agency.id), col(Agency.code))).fetchall()
    }
    existing = {
        (r.agency_id, r.year, r.framework_version_id): r for r in session.exec(select(PublishedResult))
    }
    seen: dict[tuple[int, int], int] = {}
    for row, v, refuse in located(plan.problems, sheet.name, rows):
        agency_id = known_agency(agencies, v["agency_code"], refuse)
        if agency_id is None:
            continue
        if (agency_id, v["year"]) in seen:
            refuse("year", Message("pr.duplicate_row_see", row=seen[(agency_id, v["year"])]))
            continue
        seen[(agency_id, v["year"])] = row.number
        framework_id = (v.get("framework") or default_framework(v["year"])).strip().lower()
        version = latest_version(session, framework_id)
        if version is None:
            refuse("framework", Message("pr.unknown_framework", framework=framework_id))
            continue
        limits = stored_limit_messages(
            PublishedResult,
            {
                "year": v["year"],
                "published_index": v.get("index"),
                "published_predicate": v.get("predicate"),
                "source": v.get("source"),
            },
            {"published_index": "index", "published_predicate": "predicate"},
        ) + [
            (k, Message("pr.not_finite"))
            for k in GROUP_CODES
            if v.get(k) is not None and not math.isfinite(v[k])
        ]
        for found in limits:
            refuse(*found)
        if limits:
            continue
        framework = framework_of(version)
        kind = framework.hierarchy[0]
        codes = [g.code for g in framework.groups_of_kind(kind)]
        given = {code: v[code] for code in codes if v.get(code) is not None}
        missing = [code for code in codes if code not in given]
        if missing:
            refuse(missing[0], Message("pr.values_required", codes=missing, framework=framework_id))
            continue
        try:
            result = score_group_values(framework, kind, given)
        except ScoringInputError as exc:
            code, message = next(iter(exc.problems.items()))
            refuse(code, Message("pr.code_problem", code=code, problem=message))
            continue
        warnings = _disagreements(result.index, result.predicate.name if result.predicate else None, v)
        stored = existing.get((agency_id, v["year"], version.id or 0))
        values = {code: float(value) for code, value in given.items()}
        same = (
            stored is not None
            and stored.group_values == values
            and stored.published_index == v.get("index")
            and stored.published_predicate == (v.get("predicate") or None)
            and stored.source == (v.get("source") or None)
        )
        plan.rows.append(
            PlannedResult(
                row.number,
                agency_id,
                v["year"],
                framework,
                version.id or 0,
                kind,
                values,
                v.get("index"),
                v.get("predicate") or None,
                v.get("source") or None,
                stored.id if stored else None,
                "unchanged" if same else ("update" if stored else "insert"),
                warnings,
                {}
                if stored is None
                else {
                    **stored.group_values,
                    "index": stored.published_index,
                    "predicate": stored.published_predicate,
                    "source": stored.source,
                },
                f"{v['agency_code']} · {v['year']}",
            )
        )
    return plan


def _disagreements(index: Fraction | None, predicate: str | None, v: dict[str, Any]) -> list[Message]:
    warnings = []
    if (
        index is not None
        and v.get("index") is not None
        and abs(index - Fraction(str(v["index"]))) >= TOLERANCE
    ):
        warnings.append(Message("pr.index_disagrees", published=float(v["index"]), computed=float(index)))
    if predicate and v.get("predicate") and v["predicate"].strip().lower() != predicate.lower():
        warnings.append(Message("pr.predicate_disagrees", published=v["predicate"], computed=predicate))
    return warnings


def apply_published_import(
    session: Session, *, actor: Actor, data: bytes, filename: str, preview: PublishedPlan | None = None
) -> PublishedPlan:
    """All rows or none, in the caller's transaction, audited as one change set. Raises ImportRefused
    (nothing written) for a plan with problems or a row stored differently than in the `preview`."""
    plan = plan_published_import(session, actor=actor, data=data, filename=filename)
    earlier = {(r.agency_id, r.year, r.version_id): r for r in (preview.rows if preview else [])}
    for planned in plan.rows:
        before = earlier.get((planned.agency_id, planned.year, planned.version_id))
        if before is not None and before.stored != planned.stored:
            plan.problems.append(Problem(plan.sheet, planned.row, "", Message("pr.changed_since_preview")))
    if not plan.ok:
        raise ImportRefused(plan)
    log = ImportLog(session, actor)
    for planned in plan.rows:
        if planned.action == "unchanged":
            continue
        record = session.get(PublishedResult, planned.existing_id) if planned.existing_id else None
        old = (
            None
            if record is None
            else {
                "values": record.group_values,
                "index": record.published_index,
                "predicate": record.published_predicate,
            }
        )
        record = record or PublishedResult(
            agency_id=planned.agency_id,
            year=planned.year,
            framework_version_id=planned.version_id,
            group_values={},
        )
        record.group_kind, record.group_values = planned.kind, planned.values
        record.published_index, record.published_predicate = planned.index, planned.predicate
        record.source = planned.source
        new = {"values": planned.values, "index": planned.index, "predicate": planned.predicate}
        log.written(record, action="import_published", entity="published_result", old=old, new=new)
    return plan
