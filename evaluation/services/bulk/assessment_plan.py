"""Planning an assessment-sheet import (the dry run): what would change, and every problem located by
sheet, row and column. Nothing is written here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from evaluation.excel_io.cells import Problem
from evaluation.excel_io.reader import Sheet, read_upload
from evaluation.excel_io.table import Row, parse_table
from evaluation.models import Agency, Assessment, IndicatorScore, Period
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.bulk.assessment_sheet import AGENCY_COLUMNS, COLUMNS, REVIEWER_COLUMNS, SHEET
from evaluation.services.bulk.plan import PlanSummary
from evaluation.services.frameworks import load_framework_version
from evaluation.services.self_assessment import MAX_JUSTIFICATION
from indicators.schema import Framework

Progress = Callable[[float, str], None]
FIELD = {
    "self_level": "self_level",
    "justification": "justification",
    "final_level": "final_level",
    "reviewer_note": "reviewer_note",
}


@dataclass
class PlannedRow:
    row: int
    agency_id: int
    period_id: int
    assessment_id: int | None
    code: str
    old: dict[str, Any]
    new: dict[str, Any]
    score_id: int | None = None
    version: int | None = None  # of the assessment, as read by the plan

    @property
    def action(self) -> str:
        changed = {k: v for k, v in self.new.items() if self.old.get(k) != v}
        if not changed:
            return "unchanged"
        return "insert" if all(self.old.get(k) is None for k in changed) else "update"


@dataclass
class ImportPlan(PlanSummary):
    mode: str  # "agency" or "reviewer"
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _sheet(sheets: list[Sheet]) -> Sheet:
    for sheet in sheets:
        if sheet.name == SHEET:
            return sheet
    for sheet in sheets:
        header = {str(c).strip().lower() for c in (sheet.rows[0] if sheet.rows else []) if c is not None}
        if header & {"kode indikator", "indicator code", "indicator"}:
            return sheet
    return sheets[0]


def _mode(actor: Actor) -> str:
    if actor.role in ("operator", "coordinator"):
        return "agency"
    if actor.role == "reviewer":
        return "reviewer"
    raise PermissionDenied(
        "Impor penilaian: peran instansi atau asesor. / Assessment import: agency or reviewer roles."
    )


def _bounds(framework: Framework, code: str) -> tuple[int, int]:
    """The scale's lowest and highest level for an indicator (looked up once per framework and scale)."""
    scale_id = framework.indicator_by_code[code].scale
    key = (framework.content_hash, scale_id)
    found = _BOUNDS.get(key)
    if found is None:
        scale = framework.scales[scale_id]
        found = _BOUNDS[key] = (scale.minimum, scale.maximum)
    return found


_BOUNDS: dict[tuple[str, str], tuple[int, int]] = {}


def _indicator(framework: Framework, raw: str) -> str | None:
    text = raw.strip().upper()
    if text in framework.indicator_by_code:
        return text
    digits = text[1:] if text[:1] == "I" else text
    if digits.isdigit() and int(digits) in framework.indicator_by_number:
        return framework.indicator_by_number[int(digits)].code
    return None


@dataclass
class _Context:
    agencies: dict[str, int]
    periods: dict[int, Period]
    frameworks: dict[int, Framework]
    assessments: dict[tuple[int, int], tuple[int, str, int]]  # (agency, period) -> (id, status, version)
    scores: dict[tuple[int, str], dict[str, Any]]  # (assessment, code) -> stored values


def _load_context(session: Session) -> _Context:
    conn = session.connection()
    agencies = {
        str(code): int(aid or 0)
        for aid, code in conn.execute(sa_select(col(Agency.id), col(Agency.code))).fetchall()
    }
    periods: dict[int, Period] = {}
    for period in sorted(session.scalars(sa_select(Period)), key=lambda p: (p.status != "open", p.id or 0)):
        periods.setdefault(period.year, period)
    frameworks = {
        p.id or 0: load_framework_version(session, p.framework_version_id) for p in periods.values()
    }
    assessments = {
        (int(a), int(p)): (int(i or 0), str(s), int(v))
        for i, a, p, s, v in conn.execute(
            sa_select(
                col(Assessment.id),
                col(Assessment.agency_id),
                col(Assessment.period_id),
                col(Assessment.status),
                col(Assessment.version),
            )
        ).fetchall()
    }
    return _Context(agencies, periods, frameworks, assessments, {})


def _load_scores(session: Session, context: _Context, assessment_ids: set[int]) -> None:
    if not assessment_ids:
        return
    rows = (
        session.connection()
        .execute(
            sa_select(
                col(IndicatorScore.id),
                col(IndicatorScore.assessment_id),
                col(IndicatorScore.indicator_code),
                col(IndicatorScore.self_level),
                col(IndicatorScore.justification),
                col(IndicatorScore.final_level),
                col(IndicatorScore.reviewer_note),
            ).where(col(IndicatorScore.assessment_id).in_(assessment_ids))
        )
        .fetchall()
    )
    for sid, aid, code, own, text, final, note in rows:
        context.scores[(aid, code)] = {
            "id": sid,
            "self_level": own,
            "justification": text,
            "final_level": final,
            "reviewer_note": note,
        }


def plan_assessment_import(
    session: Session, *, actor: Actor, data: bytes, filename: str, progress: Progress | None = None
) -> ImportPlan:
    """The dry run: nothing is written. Every problem names sheet, row, column and reason."""
    report = progress or (lambda _f, _m: None)
    plan = ImportPlan(mode=_mode(actor))
    report(0.05, "membaca berkas / reading the file")
    sheet = _sheet(read_upload(data, filename))
    rows, plan.problems = parse_table(sheet, COLUMNS)
    report(0.35, "memeriksa baris / checking rows")
    context = _load_context(session)
    pairs = {
        (
            context.agencies.get(r.values["agency_code"]),
            getattr(context.periods.get(r.values["year"]), "id", None),
        )
        for r in rows
    }
    _load_scores(session, context, {context.assessments[p][0] for p in pairs if p in context.assessments})
    seen: dict[tuple[int, int, str], int] = {}
    for position, row in enumerate(rows):
        if position % 5000 == 0:
            report(0.35 + 0.6 * position / max(len(rows), 1), "memeriksa baris / checking rows")
        planned = _plan_row(row, sheet.name, actor, plan, context, seen)
        if planned is not None:
            plan.rows.append(planned)
    report(1.0, "selesai / done")
    return plan


def _plan_row(
    row: Row, sheet: str, actor: Actor, plan: ImportPlan, ctx: _Context, seen: dict[tuple[int, int, str], int]
) -> PlannedRow | None:
    v = row.values
    problems = plan.problems

    def refuse(column: str, message_id: str, message_en: str) -> PlannedRow | None:
        problems.append(Problem(sheet, row.number, row.letters.get(column, ""), message_id, message_en))
        return None

    agency_id = ctx.agencies.get(v["agency_code"])
    if agency_id is None:
        return refuse(
            "agency_code",
            f"instansi '{v['agency_code']}' tidak dikenal",
            f"unknown agency '{v['agency_code']}'",
        )
    if plan.mode == "agency" and agency_id != actor.agency_id:
        return refuse(
            "agency_code",
            f"'{v['agency_code']}' bukan instansi Anda",
            f"'{v['agency_code']}' is not your agency",
        )
    period = ctx.periods.get(v["year"])
    if period is None:
        return refuse("year", f"tidak ada periode tahun {v['year']}", f"no period for the year {v['year']}")
    framework = ctx.frameworks[period.id or 0]
    code = _indicator(framework, v["indicator"])
    if code is None:
        return refuse(
            "indicator",
            f"indikator '{v['indicator']}' tidak ada di {framework.id}",
            f"indicator '{v['indicator']}' is not in {framework.id}",
        )
    key = (agency_id, period.id or 0, code)
    if key in seen:
        return refuse(
            "indicator",
            f"baris ganda: {v['agency_code']} {v['year']} {code} sudah ada di baris {seen[key]}",
            f"duplicate row: {v['agency_code']} {v['year']} {code} is already on row {seen[key]}",
        )
    seen[key] = row.number
    new: dict[str, Any] = {}
    low, high = _bounds(framework, code)
    for name in ("self_level", "final_level"):
        value = v.get(name)
        if value is None:
            new[name] = None
        elif not low <= value <= high:
            return refuse(
                name,
                f"tingkat {value:g} di luar skala {low}-{high}",
                f"level {value:g} is outside the scale {low}-{high}",
            )
        elif not float(value).is_integer() and not framework.fractional_values:
            return refuse(
                name, f"tingkat {value:g} harus bilangan bulat", f"level {value:g} must be a whole number"
            )
        else:
            new[name] = float(value)
    new["justification"] = v.get("justification") or None
    if new["justification"] and len(new["justification"]) > MAX_JUSTIFICATION:
        return refuse(
            "justification",
            f"penjelasan lebih dari {MAX_JUSTIFICATION} karakter",
            f"the justification is longer than {MAX_JUSTIFICATION} characters",
        )
    new["reviewer_note"] = v.get("reviewer_note") or None
    found = ctx.assessments.get((agency_id, period.id or 0))
    old = ctx.scores.get((found[0], code), {}) if found else {}
    editable = AGENCY_COLUMNS if plan.mode == "agency" else REVIEWER_COLUMNS
    for name in new:
        if name not in editable and new[name] != old.get(name):
            return refuse(name, "kolom ini tidak boleh Anda ubah", "you may not change this column")
    status = found[1] if found else None
    if plan.mode == "agency" and not (
        status in ("draft", "returned") or (status is None and period.status == "open")
    ):
        return refuse(
            "",
            "penilaian ini tidak dapat diubah instansi (sudah diajukan atau periode tutup)",
            "the agency cannot change this assessment (submitted, or the period is closed)",
        )
    if plan.mode == "reviewer" and status != "in_review":
        return refuse("", "penilaian ini tidak sedang diverifikasi", "this assessment is not in review")
    return PlannedRow(
        row.number,
        agency_id,
        period.id or 0,
        found[0] if found else None,
        code,
        {k: old.get(k) for k in editable},
        {k: new[k] for k in editable},
        old.get("id"),
        found[2] if found else None,
    )
